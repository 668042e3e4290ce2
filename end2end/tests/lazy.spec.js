// The heavy screens load their code only where they are used (`#[island(lazy)]`, split into files
// of their own). When that code cannot be fetched (a phone dropping off the network mid-load), the
// page still works: it is server-rendered HTML with plain forms and links. Here the conversation's
// code is blocked, and the buyer still reads the conversation and sends a message.

const { test, expect, js, contextOptions, shippedPan, callApi } = require('./helpers');

// Files the split build loads on demand: the lazy islands and the chunks they share.
const isLazyCode = (url) => /\/pkg\/(split_|chunk_)[^/]*\.wasm$/.test(new URL(url).pathname);

test('a conversation whose code cannot be fetched still works as plain forms', async ({ browser }, testInfo) => {
  test.skip(!js(testInfo), 'blocks the lazily loaded code: only with JavaScript');
  // Pages of their own (not the watched `page`): the blocked download is reported as an error.
  const buyerContext = await browser.newContext(contextOptions(testInfo));
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const buyer = await buyerContext.newPage();
  const order = await shippedPan(buyer, await sellerContext.newPage(), testInfo, 'Tunnel Buyer', '2');
  const thread = await callApi(buyer, 'message_seller', {
    order_id: order, client_id: require('crypto').randomUUID(), topic: 'where_is_order', body: 'Has it left yet?',
  });

  const blocked = [];
  await buyer.route(isLazyCode, (route) => {
    blocked.push(new URL(route.request().url()).pathname);
    return route.abort('internetdisconnected');
  });
  await buyer.goto(`/messages/${thread}`);
  await expect(buyer.getByTestId('room-log')).toContainText('Has it left yet?');
  await expect.poll(() => blocked.length, { message: 'the conversation\'s code was asked for, and blocked' }).toBeGreaterThan(0);

  // Not blank, not frozen: the message box is a plain form and the page comes back with the message.
  await buyer.getByLabel('Message', { exact: true }).fill('Any news about the parcel?');
  await buyer.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(buyer).toHaveURL(new RegExp(`/messages/${thread}\\??$`));
  await expect(buyer.getByTestId('room-log')).toContainText('Any news about the parcel?');
  await expect(buyer.getByTestId('room-log').locator('li', { hasText: 'Any news about the parcel?' })).toHaveCount(1);
  // Links still lead on.
  await buyer.getByRole('link', { name: 'Open the order' }).click();
  await expect(buyer).toHaveURL(new RegExp(`/orders/${order}$`));
  await expect(buyer.getByTestId('order-status')).toHaveText('Shipped');

  await buyerContext.close();
  await sellerContext.close();
});
