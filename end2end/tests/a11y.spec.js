// Every page at a phone's viewport (360 px), visited as the person it is for: axe finds no serious
// or critical violation (WCAG 2.x A and AA rules) and nothing scrolls sideways. One test per person;
// the buyer's pages hold a real order, claim and conversation (made through the API first).
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, js, open, signIn, noHorizontalScroll, contextOptions, callApi, shippedPan } = require('./helpers');

// Runs axe on the open page; fails with each serious or critical violation named with its nodes.
async function expectAccessible(page, path) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on ${path}`).toEqual([]);
  await noHorizontalScroll(page);
}

async function visitAll(page, testInfo, paths) {
  for (const path of paths) {
    await test.step(path, async () => {
      await open(page, path, testInfo);
      await expectAccessible(page, path);
    });
  }
}

// Axe runs its script in the page: with JavaScript off there is nothing to run it with, and the
// HTML is the same server-rendered document the js project checks.
test.beforeEach(async ({}, testInfo) => {
  test.skip(!js(testInfo), 'axe runs in the page: checked in the js project (same server-rendered HTML)');
});

test('storefront pages are accessible to a guest', async ({ page }, testInfo) => {
  await visitAll(page, testInfo, [
    '/', '/search?q=pan', '/search?q=zzzznothing', '/category/kitchen', '/product/1', '/shop/atelier-lumiere',
    '/cart', '/signin', '/signup', '/sell', '/no-such-page',
  ]);
});

test('a buyer\'s pages are accessible, with an order, a claim and a conversation', async ({ page: buyer, browser }, testInfo) => {
  test.setTimeout(180_000);
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const order = await shippedPan(buyer, seller, testInfo, 'Ada Access', '3');
  const thread = await callApi(buyer, 'message_seller', {
    order_id: order, client_id: require('crypto').randomUUID(), topic: 'where_is_order', body: 'Has it left Lyon yet?',
  });
  await callApi(buyer, 'add_to_cart', { product_id: '2', quantity: '1' });
  await visitAll(buyer, testInfo, [
    '/cart', '/checkout', '/orders', `/orders/${order}`, `/orders/${order}/claim`, `/orders/${order}/review/3`,
    '/reviews', '/notifications', '/messages', `/messages/${thread}`, '/account',
  ]);
  const claim = await callApi(buyer, 'open_claim', { order_id: order, reason: 'not_as_described', remedy: 'replacement', message: 'Wrong colour.' });
  await visitAll(buyer, testInfo, ['/claims', `/claims/${claim}`]);

  // The seller's side of the same order, claim and conversation, and the rest of the shop.
  await visitAll(seller, testInfo, [
    '/seller/orders', `/orders/${order}`, '/seller/inbox', `/messages/${thread}`, '/seller/replies', '/claims', `/claims/${claim}`,
    '/seller/performance', '/seller/shop', '/seller/products', '/seller/products/new', '/seller/products/1',
    '/seller/earnings', `/seller/statements/${order}`, '/notifications',
  ]);

  // The mediator sees the claim from the desk.
  const mediatorContext = await browser.newContext(contextOptions(testInfo));
  const mediator = await mediatorContext.newPage();
  await signIn(mediator, testInfo, 'mediator@troika.test', '/claims');
  await expect(mediator.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await visitAll(mediator, testInfo, ['/claims', `/claims/${claim}`, '/seller/orders', `/orders/${order}`]);
  await sellerContext.close();
  await mediatorContext.close();
});

test('moderation pages are accessible to a moderator', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'moderator@troika.test', '/moderation');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await visitAll(page, testInfo, ['/moderation', '/moderation/log']);
});

test('admin pages are accessible to an admin', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'admin@troika.test', '/admin/shops');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await visitAll(page, testInfo, ['/admin/shops', '/admin/roles', '/admin/commissions', '/moderation/log']);
});
