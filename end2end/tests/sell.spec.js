// Joining as a seller on a phone, with JavaScript on and off: a new person applies to sell (a
// mistake is shown by its field and nothing typed is lost), an admin approves the application in
// another browser, and the person's shop opens with its contact details masked.

const { test, expect, js, open, signUp, signIn, noHorizontalScroll, contextOptions } = require('./helpers');

test('a new person applies to sell and an admin approves; the shop opens', async ({ page, browser }, testInfo) => {
  const shopName = `Azulejo ${testInfo.project.name} ${Date.now() % 1e8}`;
  await signUp(page, testInfo, { name: 'Sofia Seller' });
  await page.getByRole('link', { name: 'Sell on Troika' }).click();
  await expect(page.getByRole('heading', { name: 'Apply to sell' })).toBeVisible();
  await noHorizontalScroll(page);

  await page.getByLabel('Shop name').fill(shopName);
  await page.getByLabel('City').fill('Porto');
  await page.getByLabel('Country').fill('Portugal');
  await page.getByLabel('Description').fill('Hand-painted azulejo tiles and ceramics from our studio.');
  await page.getByLabel('Opening hours').fill('Mon–Fri 10:00–18:00');
  await page.getByLabel('Email').fill('ola-at-azulejo');
  await page.getByLabel('Phone').fill('+351 22 123 4567');
  await page.getByLabel('Start from a standard return policy').selectOption('buyer-pays-14');
  await page.getByLabel('Return policy (optional)', { exact: true }).fill('');
  await page.getByLabel('Days to return').fill('');
  await page.getByLabel('Handling time').fill('3');
  await page.getByLabel('Shipping fee per order (€)').fill('5.50');
  await page.getByRole('button', { name: 'Send my application' }).click();

  // The mistake is named by its field; what was typed is still there.
  await expect(page.getByRole('alert')).toContainText('please correct the fields marked below');
  await expect(page.locator('#field-shop-contact_email-error')).toHaveText('Enter an email address like name@example.com.');
  await expect(page.getByLabel('Shop name')).toHaveValue(shopName);
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Email').fill('ola@azulejo.example');
  await page.getByRole('button', { name: 'Send my application' }).click();
  await expect(page.getByText('Your application is sent')).toBeVisible();
  await expect(page.getByTestId('application-status')).toContainText('Waiting for review');

  // The admin, in another browser, approves it.
  const admin = await (await browser.newContext(contextOptions(testInfo))).newPage();
  await signIn(admin, testInfo, 'admin@troika.test', '/admin/shops');
  await expect(admin.getByRole('heading', { name: 'Shops', exact: true })).toBeVisible();
  await noHorizontalScroll(admin);
  const item = admin.getByTestId('applications').locator('li', { hasText: shopName });
  await expect(item).toContainText('Sofia Seller');
  await expect(item).toContainText('o•••@azulejo.example');
  await item.getByRole('button', { name: `Approve ${shopName}` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Approved: the shop is open' })).toBeVisible();
  await expect(admin.getByTestId('shop-decisions').locator('li').first()).toContainText(`Application approved · ${shopName}`);

  // The person is a seller now, in the same session.
  await open(page, '/sell', testInfo);
  await expect(page.getByText('You run a shop on Troika.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Your shop', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'See your shop' }).click();
  await expect(page.getByRole('heading', { name: shopName }).first()).toBeVisible();
  await expect(page.getByText('o•••@azulejo.example')).toBeVisible();
  await expect(page.getByText('14-day returns')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('ola@azulejo.example');

  // Their shop's profile, editable (the name stays as approved).
  await open(page, '/seller/shop', testInfo);
  await expect(page.getByRole('heading', { name: 'Your shop' })).toBeVisible();
  await page.getByLabel('Handling time').fill('4');
  await page.getByRole('button', { name: 'Save the shop' }).click();
  await expect(page.getByText('Saved. New orders get these policies')).toBeVisible();
  if (!js(testInfo)) await open(page, '/seller/shop', testInfo);
  await expect(page.getByLabel('Handling time')).toHaveValue('4');
  await noHorizontalScroll(page);
});
