// A buyer on a phone: search → product → cart → checkout → order in history, with JS on and off.

const { test, expect, open, hydrated, signUp, js } = require('./helpers');

test('search, product, cart, checkout, order history', async ({ page }, testInfo) => {
  await signUp(page, testInfo);

  // A search that finds nothing offers a close one that does.
  await page.getByLabel('Search products').fill('mushrms guide');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No products match')).toBeVisible();
  await page.getByRole('link', { name: 'mushrooms guide' }).click();
  await expect(page.getByRole('link', { name: 'A field guide to mushrooms' })).toBeVisible();

  // Search forgives a typo and finds the product without its accent.
  await page.getByLabel('Search products').fill('crepe pann');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=crepe/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('crepe pann');
  await page.getByRole('link', { name: 'Cast-iron crêpe pan, 24 cm' }).click();
  await hydrated(page, testInfo);

  // The product page says who sells it.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cast-iron crêpe pan, 24 cm');
  await expect(page.getByRole('region', { name: /Sold by/ })).toContainText('Atelier Lumière');
  await expect(page.getByRole('region', { name: /Sold by/ })).toContainText('Lyon, France');
  await expect(page.getByRole('region', { name: /Sold by/ })).toContainText('30-day returns');

  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  if (js(testInfo)) {
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
    await expect(page.getByTestId('cart-count')).toHaveText('2'); // updated live, no reload
    await page.getByRole('link', { name: 'View cart' }).click();
  } else {
    await expect(page).toHaveURL(/\/cart$/);
  }

  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Items from Atelier Lumière' })).toContainText('Cast-iron crêpe pan');
  await page.getByRole('link', { name: 'Check out' }).click();

  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect(page.getByText('Simulated payment.')).toBeVisible();
  // A missing field is named next to the field, and what was typed stays.
  await page.getByLabel('Full name').fill('Phone Buyer');
  await page.getByLabel('Street and number').fill('12 Rua Augusta');
  await page.getByLabel('Postcode').fill('1100-053');
  await page.getByLabel('Country').fill('Portugal');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await expect(page.getByText('Enter the town or city.')).toBeVisible();
  await expect(page.getByLabel('Street and number')).toHaveValue('12 Rua Augusta');
  await expect(page.getByLabel('Town or city')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Town or city').fill('Lisboa');
  await page.getByRole('button', { name: 'Place order and pay' }).click();

  await expect(page).toHaveURL(/\/orders\?placed=\d+/);
  await expect(page.getByText(/Thank you! Purchase #\d+ is placed/)).toBeVisible();
  const order = page.getByRole('listitem').filter({ hasText: 'Atelier Lumière' });
  await expect(order).toContainText('Placed');
  await expect(order).toContainText('€102.90'); // 2 × €49.00 + €4.90 shipping
  await order.getByRole('link', { name: /Order #\d+/ }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Placed');
  await expect(page.getByText('12 Rua Augusta')).toBeVisible();
});

test('the storefront fits a 360 px screen and a missing page is a real 404', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.getByRole('heading', { name: 'Shop by category' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling at 360 px').toBeLessThanOrEqual(0);
  await page.getByRole('link', { name: /Books/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Books');
  await expect(page.getByText(/\d+ products?/).first()).toBeVisible();

  const res = await page.goto('/no-such-page');
  expect(res.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
