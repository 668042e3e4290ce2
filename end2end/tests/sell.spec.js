// A seller's whole start on a phone, with JavaScript on and off: a new person applies to sell (a
// mistake is shown by its field and nothing typed is lost), an admin approves the application in
// another browser and the shop opens with its contact details masked; the new seller lists a product
// (a mistake named by its field again) and adds a photo (a disguised file is refused); it is in
// search at once with its photo; a buyer in a third browser buys one; the seller's stock page drops
// by one (live with JavaScript, on the next load without); the order shows the commission and its
// statement adds up; the seller then adds units.

const { test, expect, js, open, hydrated, signUp, signIn, noHorizontalScroll, contextOptions } = require('./helpers');

test('a new person applies, is approved, lists a product with a photo, sells it and reads the statement', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const token = `${testInfo.project.name.replace('-', '')}${Date.now() % 1e8}`;
  const shopName = `Azulejo ${token}`;
  await signUp(page, testInfo, { name: 'Sofia Seller' });
  await page.getByRole('link', { name: 'Sell on Troika' }).click();
  await expect(page.getByRole('heading', { name: 'Apply to sell' })).toBeVisible();
  await noHorizontalScroll(page);

  await page.getByLabel('Shop name').fill(shopName);
  await page.getByLabel('City').fill('Porto');
  await page.getByLabel('Country').fill('Portugal');
  await page.getByLabel('Description', { exact: true }).fill('Hand-painted azulejo tiles and ceramics from our studio.');
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
  // The marketplace's commission per category, which the new seller will see before listing.
  await admin.getByRole('link', { name: 'Commissions and payouts' }).click();
  await expect(admin.getByRole('heading', { name: 'Commissions and payouts' })).toBeVisible();
  await expect(admin.getByLabel(/^Kitchen & Home \(now 10 %\), in %$/)).toHaveValue('10');
  await noHorizontalScroll(admin);

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

  // The first product: the category's commission is shown before listing; a mistake is named.
  const name = `Tile coaster ${token}`;
  await open(page, '/seller/products/new', testInfo);
  await expect(page.getByRole('heading', { name: 'Add a product' })).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description', { exact: true }).fill('A hand-painted tile with a cork back, 10 × 10 cm.');
  await expect(page.getByLabel('Category').locator('option', { hasText: 'commission 10 %' }).first()).toBeAttached();
  await page.getByLabel('Category').selectOption('kitchen');
  await page.getByLabel('Price (€)').fill('twelve');
  await page.getByLabel('Low-stock line').fill('2');
  await page.getByLabel('Units in stock').fill('5');
  await page.getByRole('button', { name: 'List the product' }).click();
  await expect(page.locator('#field-product-price-error')).toHaveText('Enter the price in euros, like 12.50.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(page.getByLabel('Price (€)')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Price (€)').fill('12.50');
  await page.getByRole('button', { name: 'List the product' }).click();

  // Listed: on to its photos. A file that is not a photo is refused by its content, whatever its name.
  await expect(page.getByRole('heading', { name: `Edit “${name}”` })).toBeVisible();
  await expect(page.getByText('Listed: it is in the storefront now.')).toBeVisible();
  await page.getByLabel('Add a photo').setInputFiles({ name: 'tile.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture at all') });
  await page.getByRole('button', { name: 'Upload the photo' }).click();
  await expect(page.getByRole('alert')).toContainText('not a JPEG, PNG or WebP photo');
  // A real photo (a demo product's, as WebP) is stored and becomes the main one.
  const photo = await (await page.request.get('/photos/1/640.webp')).body();
  await page.getByLabel('Add a photo').setInputFiles({ name: 'tile.webp', mimeType: 'image/webp', buffer: photo });
  await page.getByRole('button', { name: 'Upload the photo' }).click();
  await expect(page.getByText('The photo is added.')).toBeVisible();
  await expect(page.getByTestId('photos').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('photos')).toContainText('Main photo');
  await noHorizontalScroll(page);

  await open(page, '/seller/products', testInfo);
  await expect(page.getByRole('heading', { name: 'Products and stock' })).toBeVisible();
  const card = page.locator('li.stock-card', { hasText: name });
  await expect(card.getByTestId(/^stock-\d+$/)).toHaveText('5');
  await noHorizontalScroll(page);

  // A buyer, in a third browser, finds it and buys one.
  const buyer = await (await browser.newContext(contextOptions(testInfo))).newPage();
  await signUp(buyer, testInfo, { name: 'Tile Buyer' });
  await open(buyer, `/search?q=${token}`, testInfo);
  // In search with its photo (a small copy for the card, the size known before it loads).
  const cardImg = buyer.locator('li.product-card', { hasText: name }).locator('img');
  await expect(cardImg).toHaveAttribute('srcset', /\/photos\/\d+\/320\.webp 320w/);
  await expect(cardImg).toHaveAttribute('loading', 'lazy');
  await buyer.getByRole('link', { name }).click();
  await hydrated(buyer, testInfo);
  await expect(buyer.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(buyer.getByRole('img', { name })).toHaveAttribute('width', '640');
  await buyer.getByRole('button', { name: 'Add to cart' }).click();
  if (js(testInfo)) await expect(buyer.getByTestId('cart-count')).toHaveText('1');
  await open(buyer, '/checkout', testInfo);
  await buyer.getByLabel('Full name').fill('Tile Buyer');
  await buyer.getByLabel('Street and number').fill('12 Rua Augusta');
  await buyer.getByLabel('Town or city').fill('Lisboa');
  await buyer.getByLabel('Postcode').fill('1100-053');
  await buyer.getByLabel('Country').fill('Portugal');
  await buyer.getByRole('button', { name: 'Place order and pay' }).click();
  await expect(buyer.getByText(/Thank you! Purchase #\d+ is placed/)).toBeVisible();

  // The seller's stock page follows: live with JavaScript, on reload without.
  if (!js(testInfo)) await page.reload();
  await expect(card.getByTestId(/^stock-\d+$/)).toHaveText('4');
  await expect(card).toContainText('Sold, 7 days1');

  // The order shows what Troika keeps (10 % of €12.50) and what is due; its statement adds up.
  await open(page, '/seller/orders', testInfo);
  await page.getByTestId('desk-orders').getByRole('link', { name: /^Order #\d+$/ }).first().click();
  const earnings = page.getByTestId('order-earnings');
  await expect(earnings).toContainText('−€1.25 (10 %)');
  await expect(earnings).toContainText('€16.75');
  await page.getByRole('link', { name: "The order's statement" }).click();
  await expect(page.getByRole('heading', { name: /^Statement for order #\d+$/ })).toBeVisible();
  await expect(page.getByTestId('statement')).toContainText('1 × ' + name + ' at €12.50');
  await expect(page.getByTestId('commission')).toHaveText('−€1.25');
  await expect(page.getByTestId('net')).toHaveText('€16.75');
  await expect(page.getByText('Pending: the order is under way')).toBeVisible();
  await noHorizontalScroll(page);
  await open(page, '/seller/earnings', testInfo);
  await expect(page.getByTestId('pending')).toHaveText('€16.75');
  await expect(page.getByText('Payouts are simulated').first()).toBeVisible();
  await noHorizontalScroll(page);

  // The seller adds three units.
  await open(page, '/seller/products', testInfo);
  await card.getByLabel(`Change the stock of ${name}`).selectOption('add');
  await card.getByLabel('Units').fill('3');
  await card.getByRole('button', { name: 'Update stock' }).click();
  await expect(page.locator('li.stock-card', { hasText: name }).getByTestId(/^stock-\d+$/)).toHaveText('7');
});
