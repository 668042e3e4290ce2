// Live order tracking with two people on two phones: a buyer follows an order while the seller
// accepts and ships it from the orders desk. With JavaScript the buyer's open page updates by
// itself; without it, every seller action still works as a plain form and a reload shows it.

const { test, expect, js, open, signUp, signIn, noHorizontalScroll, contextOptions, watchErrors } = require('./helpers');

test('the seller accepts and ships; the buyer sees it happen', async ({ page, browser }, testInfo) => {
  const buyerErrors = watchErrors(page);
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const sellerErrors = watchErrors(seller);

  // The seller signs in and keeps the orders desk open.
  await signIn(seller, testInfo, 'seller@troika.test', '/seller/orders');
  await expect(seller.getByRole('heading', { name: 'Orders · Atelier Lumière' })).toBeVisible();
  await expect(seller.getByRole('link', { name: /^To accept/ })).toHaveAttribute('aria-current', 'page');
  await expect(seller.getByRole('link', { name: /^To ship/ })).not.toHaveAttribute('aria-current', 'page');
  await noHorizontalScroll(seller);
  if (js(testInfo)) await expect(seller.getByTestId('live-status')).toHaveAttribute('data-live', 'live');

  // A new buyer orders a crêpe pan from that shop.
  await signUp(page, testInfo, { name: 'Tracking Buyer', next: '/product/1' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cast-iron crêpe pan, 24 cm');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  if (js(testInfo)) await expect(page.getByTestId('cart-count')).toHaveText('1');
  await open(page, '/checkout', testInfo);
  await page.getByLabel('Full name').fill('Tracking Buyer');
  await page.getByLabel('Street and number').fill('3 Rue de la République');
  await page.getByLabel('Postcode').fill('69002');
  await page.getByLabel('Town or city').fill('Lyon');
  await page.getByLabel('Country').fill('France');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await expect(page).toHaveURL(/\/orders\?placed=\d+/);
  await page.getByRole('listitem').filter({ hasText: 'Atelier Lumière' }).first().getByRole('link', { name: /Order #\d+/ }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const orderId = page.url().match(/\/orders\/(\d+)$/)[1];
  await expect(page.getByTestId('order-status')).toHaveText('Placed');
  await expect(page.getByTestId('order-deadlines')).toContainText('Accept by');
  await expect(page.getByTestId('order-estimate')).toContainText('Estimated delivery by');
  await expect(page.locator('summary', { hasText: 'Cancel order…' })).toBeVisible();
  if (js(testInfo)) {
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'live');
    await page.evaluate(() => { window.__sameDocument = true; });
  }

  // The new order reaches the seller's desk: live with JavaScript, on reload without.
  if (!js(testInfo)) await seller.reload();
  const card = seller.getByTestId(`desk-order-${orderId}`);
  await expect(card).toContainText('Tracking Buyer · Lyon, France');
  await expect(card).toContainText('1 × Cast-iron crêpe pan, 24 cm');
  await card.getByRole('button', { name: `Accept #${orderId}` }).click();
  await expect(seller.getByTestId(`desk-order-${orderId}`)).toHaveCount(0); // no longer to accept

  // The buyer's open page says so by itself.
  if (!js(testInfo)) await page.reload();
  await expect(page.getByTestId('order-status')).toHaveText('Accepted by seller');
  await expect(page.getByTestId('order-timeline')).toContainText('Accepted by seller');

  // The seller ships it from the order page, with carrier and tracking number.
  await open(seller, `/orders/${orderId}`, testInfo);
  await noHorizontalScroll(seller);
  await seller.getByLabel('Carrier').fill('DHL');
  await seller.getByLabel('Tracking number').fill('jd0146 0000 3');
  await seller.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(seller.getByTestId('order-status')).toHaveText('Shipped');

  if (!js(testInfo)) await page.reload();
  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await expect(page.getByTestId('order-shipment')).toContainText('DHL');
  await expect(page.getByTestId('order-shipment')).toContainText('JD014600003');
  await expect(page.getByTestId('unread-count')).toHaveText('2'); // accepted, shipped
  if (js(testInfo)) {
    expect(await page.evaluate(() => window.__sameDocument), 'updated without a reload').toBe(true);
  }
  await expect(page.getByRole('button', { name: 'I received this order' })).toBeVisible();
  await noHorizontalScroll(page);

  // The notifications page lists both; marking them read clears the badge.
  await open(page, '/notifications', testInfo);
  await expect(page.getByRole('link', { name: `Order #${orderId} has shipped` })).toBeVisible();
  await expect(page.getByRole('link', { name: `Atelier Lumière accepted order #${orderId}` })).toBeVisible();
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByTestId('unread-count')).toHaveText('0');

  expect(buyerErrors, 'no uncaught errors for the buyer').toEqual([]);
  expect(sellerErrors, 'no uncaught errors for the seller').toEqual([]);
  await sellerContext.close();
});

test('a dropped live connection says so and comes back by itself', async ({ page }, testInfo) => {
  test.skip(!js(testInfo), 'the live connection needs JavaScript');
  const errors = watchErrors(page);
  // The live feed is unreachable at first (a phone in a tunnel).
  let blocked = true;
  await page.route('**/live/feed**', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await signIn(page, testInfo, 'buyer2@troika.test', '/orders');
  await expect(page.getByRole('heading', { name: 'Your orders' })).toBeVisible();
  const status = page.getByTestId('live-status');
  await expect(status).toHaveAttribute('data-live', 'reconnecting');
  await expect(status).toHaveText(/Reconnecting…/);
  await expect(status).toBeVisible();
  // The network comes back: the next retry (back-off, at most a few seconds here) reconnects.
  blocked = false;
  await expect(status).toHaveAttribute('data-live', 'live', { timeout: 15_000 });
  await expect(status).toBeHidden();
  expect(errors, 'no uncaught errors').toEqual([]);
});
