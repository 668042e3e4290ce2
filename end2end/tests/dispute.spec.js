// The dispute room with three people on three phones: a buyer opens a claim about a damaged pan,
// the seller and a Troika mediator join the room, messages go back and forth live, the seller
// offers a partial refund and the buyer accepts it with one tap; all three see the claim resolved
// and the order refunded. Without JavaScript every step still works as a plain form (a reload
// shows what the others did).

const { test, expect, js, open, signIn, noHorizontalScroll, contextOptions, watchErrors, callApi, shippedPan } = require('./helpers');

async function say(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

test('buyer, seller and mediator settle a claim in one live room', async ({ page: buyer, browser }, testInfo) => {
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const mediatorContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const mediator = await mediatorContext.newPage();
  const errors = [watchErrors(buyer), watchErrors(seller), watchErrors(mediator)];
  const order = await shippedPan(buyer, seller, testInfo, 'Claire Buyer');

  // The buyer reports the problem from the order page.
  await open(buyer, `/orders/${order}`, testInfo);
  await buyer.getByRole('link', { name: 'Report a problem with this order' }).click();
  await expect(buyer.getByRole('heading', { level: 1 })).toHaveText(`Report a problem with order #${order}`);
  await noHorizontalScroll(buyer);
  await buyer.getByRole('button', { name: 'Open the claim' }).click();
  await expect(buyer.getByText('Choose what went wrong.')).toBeVisible(); // nothing chosen: told, nothing opened
  await buyer.getByLabel('Damaged').check();
  await buyer.getByLabel('Full refund', { exact: true }).check();
  await buyer.getByLabel('Your message to the seller').fill('The handle arrived cracked.');
  await buyer.getByRole('button', { name: 'Open the claim' }).click();
  await expect(buyer).toHaveURL(/\/claims\/\d+$/);
  const claim = buyer.url().match(/\/claims\/(\d+)$/)[1];
  await expect(buyer.getByTestId('claim-state')).toHaveText('Awaiting the seller');
  await expect(buyer.getByTestId('claim-deadlines')).toContainText(/Seller must answer within 23 h 5\d min/);
  await expect(buyer.getByTestId('room-log')).toContainText('The handle arrived cracked.');
  await noHorizontalScroll(buyer);

  // Seller and mediator open the room; with JavaScript everyone sees who is here.
  await open(seller, `/claims/${claim}`, testInfo);
  await signIn(mediator, testInfo, 'mediator@troika.test', `/claims/${claim}`);
  await expect(mediator.getByTestId('claim-state')).toHaveText('Awaiting the seller');
  await expect(seller.getByTestId('room-log')).toContainText('The handle arrived cracked.');
  if (js(testInfo)) {
    await expect(buyer.getByTestId('presence')).toContainText('Camille Laurent (seller)');
    await expect(buyer.getByTestId('presence')).toContainText('Maya Mediator (mediator)');
    await buyer.evaluate(() => { window.__sameDocument = true; });
  }

  // The seller answers; the message reaches the buyer and the mediator live (on reload without JS).
  if (js(testInfo)) {
    await seller.getByLabel('Message', { exact: true }).pressSequentially('Sorry');
    await expect(buyer.getByTestId('typing')).toHaveText('Camille Laurent (seller) is typing…');
  }
  await say(seller, 'Sorry! Could you send a photo?');
  if (!js(testInfo)) { await buyer.reload(); await mediator.reload(); }
  const sellerLine = buyer.getByTestId('room-log').locator('li', { hasText: 'Could you send a photo?' });
  await expect(sellerLine).toContainText('Seller');
  await expect(mediator.getByTestId('room-log')).toContainText('Could you send a photo?');
  await expect(buyer.getByTestId('claim-state')).toHaveText('Seller responded');

  // User text is shown as text, never as HTML.
  await say(buyer, '<img src=x onerror="window.__pwned=1"> photo attached');
  if (!js(testInfo)) await seller.reload();
  await expect(seller.getByTestId('room-log')).toContainText('<img src=x onerror="window.__pwned=1"> photo attached');
  expect(await seller.getByTestId('room-log').locator('img').count()).toBe(0);
  if (js(testInfo)) {
    expect(await seller.evaluate(() => window.__pwned)).toBeUndefined();
    // Read markers: the buyer's screen has shown the seller's message.
    await expect(seller.getByTestId('room-log').locator('li', { hasText: 'Could you send a photo?' })).toContainText(/Seen by .*buyer/);
  }

  // The seller offers a partial refund; the buyer accepts with one tap.
  await seller.getByLabel('Partial refund', { exact: true }).check();
  await seller.getByLabel(/Amount, for a partial refund/).fill('15.00');
  await seller.getByRole('button', { name: 'Send the offer' }).click();
  await expect(seller.getByTestId('room-log')).toContainText('Offer: Partial refund of €15.00');
  if (!js(testInfo)) await buyer.reload();
  await buyer.getByRole('button', { name: 'Accept offer' }).click();

  // All three see the claim resolved, and the order refunded.
  if (!js(testInfo)) { await seller.reload(); await mediator.reload(); }
  for (const p of [buyer, seller, mediator]) {
    await expect(p.getByTestId('claim-state')).toHaveText('Resolved');
    await expect(p.getByTestId('claim-outcome')).toHaveText('Settled: Partial refund of €15.00');
    await expect(p.getByTestId('room-log')).toContainText('Accepted the offer: Partial refund of €15.00.');
  }
  if (js(testInfo)) {
    expect(await buyer.evaluate(() => window.__sameDocument), 'the buyer never reloaded').toBe(true);
  }
  await expect(buyer.getByLabel('Message', { exact: true })).toHaveCount(0); // the room is read-only now
  await open(buyer, `/orders/${order}`, testInfo);
  await expect(buyer.locator('.refund')).toHaveText('Refunded €15.00 (simulated)');
  await expect(buyer.getByTestId('order-timeline')).toContainText(`Claim #${claim} settled: Partial refund of €15.00.`);
  await expect(buyer.getByTestId('order-claim')).toContainText('Resolved');
  await noHorizontalScroll(seller);
  await noHorizontalScroll(mediator);

  for (const e of errors) expect(e, 'no uncaught errors').toEqual([]);
  await sellerContext.close();
  await mediatorContext.close();
});

test('a message written offline is sent once when the connection is back', async ({ page: buyer, browser }, testInfo) => {
  test.skip(!js(testInfo), 'the outbox needs JavaScript (without it a message is a plain form post)');
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const errors = [watchErrors(buyer), watchErrors(seller)];
  const order = await shippedPan(buyer, seller, testInfo, 'Claire Buyer');
  const claimId = await callApi(buyer, 'open_claim', { order_id: order, reason: 'not_as_described', remedy: 'replacement', message: 'Wrong colour.' });
  await open(buyer, `/claims/${claimId}`, testInfo);
  await open(seller, `/claims/${claimId}`, testInfo);
  await expect(buyer.getByTestId('presence')).toContainText('Camille Laurent (seller)');

  // The buyer's phone loses the network and they keep writing.
  await buyer.context().setOffline(true);
  await say(buyer, 'Written in the tunnel');
  await expect(buyer.getByTestId('pending-message')).toContainText('Waiting for the connection');
  await buyer.context().setOffline(false);

  // Back online: the socket reconnects, the queued message goes out with its same id, once.
  const line = seller.getByTestId('room-log').locator('li', { hasText: 'Written in the tunnel' });
  await expect(line).toHaveCount(1, { timeout: 20_000 });
  await expect(buyer.getByTestId('pending-message')).toHaveCount(0);
  await expect(buyer.getByTestId('room-log').locator('li', { hasText: 'Written in the tunnel' })).toHaveCount(1);
  await seller.reload();
  await expect(seller.getByTestId('room-log').locator('li', { hasText: 'Written in the tunnel' })).toHaveCount(1);
  for (const e of errors) expect(e, 'no uncaught errors').toEqual([]);
  await sellerContext.close();
});
