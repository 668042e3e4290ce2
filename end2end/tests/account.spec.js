// Accounts on a phone, with JavaScript on and off: changing the password from the account page
// (the old one is required) signs the person's other devices out; an admin gives a new person the
// moderator role from the roles page and takes it back, and both changes are in its log.

const { test, expect, js, open, signUp, signIn, noHorizontalScroll, contextOptions, expectNoCspViolations } = require('./helpers');

test('change the password; the other device is signed out', async ({ page, browser }, testInfo) => {
  const email = await signUp(page, testInfo, { name: 'Pia Password' });
  // The same person on a second device.
  const laptop = await (await browser.newContext(contextOptions(testInfo))).newPage();
  await open(laptop, '/signin', testInfo);
  await laptop.getByLabel('Email').fill(email);
  await laptop.getByLabel('Password').fill('a long enough password');
  await laptop.getByRole('button', { name: 'Sign in' }).click();
  await expect(laptop.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText(`Signed in as Pia Password (${email})`)).toBeVisible();
  await noHorizontalScroll(page);

  // A wrong current password is refused, by its field.
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('a brand new password');
  await page.getByLabel('Repeat the new password').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That is not your current password.')).toBeVisible();

  await page.getByLabel('Current password').fill('a long enough password');
  await page.getByLabel('New password', { exact: true }).fill('a brand new password');
  await page.getByLabel('Repeat the new password').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password is changed. Your other devices are signed out.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

  await open(laptop, '/account', testInfo);
  await expect(laptop.getByRole('heading', { name: 'Please sign in' })).toBeVisible();
  expectNoCspViolations(laptop);

  // The new password is the one that works now.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await open(page, '/signin', testInfo);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a brand new password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
});

test('an admin gives a new person the moderator role and takes it back', async ({ page, browser }, testInfo) => {
  const person = await (await browser.newContext(contextOptions(testInfo))).newPage();
  const email = await signUp(person, testInfo, { name: 'Mo Derator' });
  await expect(person.getByRole('link', { name: 'Moderation' })).toHaveCount(0);

  await signIn(page, testInfo, 'admin@troika.test', '/admin/roles');
  await expect(page.getByRole('heading', { name: 'People and roles' })).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByLabel("The person's email").fill(email);
  await page.getByLabel('Moderator', { exact: true }).check();
  await page.getByRole('button', { name: 'Give the role' }).click();
  await expect(page.getByRole('status').filter({ hasText: /They sign in again to start/ })).toBeVisible();
  const staff = page.getByTestId('staff');
  await expect(staff).toContainText(email);
  await expect(page.getByTestId('role-log').locator('li').first()).toContainText('Buyer → Moderator');
  await expect(page.getByTestId('role-log').locator('li').first()).toContainText('by Ada Admin (admin@troika.test)');

  // Their session ended: they sign in again, as a moderator.
  await open(person, '/', testInfo);
  await expect(person.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await open(person, '/signin', testInfo);
  await person.getByLabel('Email').fill(email);
  await person.getByLabel('Password').fill('a long enough password');
  await person.getByRole('button', { name: 'Sign in' }).click();
  await expect(person.getByRole('link', { name: 'Moderation' })).toBeVisible();

  // Taken back.
  await page.getByTestId('staff').locator('li', { hasText: email }).getByRole('button', { name: 'Take back the role of Mo Derator (moderator)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The role is taken back' })).toBeVisible();
  await expect(page.getByTestId('role-log').locator('li').first()).toContainText('Moderator → Buyer');
  if (!js(testInfo)) await open(page, '/admin/roles', testInfo);
  await expect(page.getByTestId('staff')).not.toContainText(email);
  await open(person, '/moderation', testInfo);
  await expect(person.getByRole('link', { name: 'Moderation' })).toHaveCount(0);
});
