// Ask the seller, on two phones: a buyer asks about the crêpe pan from its page (warned first about
// the phone number they typed), the seller's inbox shows the question live with its countdown, the
// seller answers with a saved reply and the buyer sees it without reloading; the buyer's thank-you
// is marked "no answer needed". After buying, a "where is my order" conversation shows the order
// beside it. Without JavaScript every step works as a plain form (a reload shows the other side).

const { test, expect, js, open, hydrated, signUp, signIn, noHorizontalScroll, contextOptions, watchErrors, shippedPan } = require('./helpers');

async function say(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

test('a buyer asks the seller about a product and the seller answers live with a saved reply', async ({ page: buyer, browser }, testInfo) => {
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const sellerErrors = watchErrors(seller);
  const name = `Quentin ${testInfo.project.name} ${Date.now() % 100000}`;
  const replyTitle = `Induction (${testInfo.project.name})`;

  // The seller keeps a saved reply with a placeholder, then watches the inbox.
  await signIn(seller, testInfo, 'seller@troika.test', '/seller/replies');
  await expect(seller.getByRole('heading', { level: 1, name: 'Saved replies' })).toBeVisible();
  await seller.getByLabel('Name').fill(replyTitle);
  await seller.getByLabel('Reply', { exact: true }).fill('Hello {nobody}');
  await seller.getByRole('button', { name: 'Save the reply' }).click();
  await expect(seller.getByText('{nobody} is not a placeholder')).toBeVisible();
  await seller.getByLabel('Name').fill(replyTitle);
  await seller.getByLabel('Reply', { exact: true }).fill('Hello {buyer}, yes: it works on induction and in the oven.');
  await seller.getByRole('button', { name: 'Save the reply' }).click();
  await expect(seller.getByTestId('reply-list')).toContainText(replyTitle);
  await open(seller, '/seller/inbox', testInfo);
  await noHorizontalScroll(seller);

  // The buyer asks from the product page; a phone number is flagged and warned about first.
  await signUp(buyer, testInfo, { name, next: '/product/1' });
  await open(buyer, '/product/1', testInfo);
  await buyer.getByText('Ask the seller', { exact: true }).click();
  await buyer.getByLabel('Your question to Atelier Lumière').fill('Does it work on induction? Call me on 06 12 34 56 78');
  await buyer.getByRole('button', { name: 'Send the question' }).click();
  await expect(buyer.getByText(/contains a phone number.*Send it anyway\?/)).toBeVisible();
  await expect(buyer.getByLabel('Your question to Atelier Lumière')).toHaveValue(/Does it work on induction\?/); // what was typed is kept
  await buyer.getByLabel('Your question to Atelier Lumière').fill('Does it work on induction?');
  await buyer.getByRole('button', { name: 'Send the question' }).click();
  await expect(buyer).toHaveURL(/\/messages\/\d+$/);
  const thread = buyer.url().match(/\/messages\/(\d+)$/)[1];
  await expect(buyer.getByTestId('room-log')).toContainText('Does it work on induction?');
  await expect(buyer.getByTestId('answer-expected')).toContainText('Answer expected by');
  await noHorizontalScroll(buyer);

  // The seller's inbox shows it live (on reload without JavaScript), waiting, with its countdown.
  if (!js(testInfo)) await seller.reload();
  const row = seller.getByTestId('thread-card').filter({ hasText: name });
  await expect(row).toContainText('Waiting for an answer');
  await expect(row.getByTestId('countdown')).toHaveText(/2[34] h left/);
  if (js(testInfo)) await expect(seller.getByTestId('messages-count')).not.toHaveText('0');
  await row.getByRole('link').click();
  await expect(seller).toHaveURL(new RegExp(`/messages/${thread}$`));
  await hydrated(seller, testInfo);
  await expect(seller.getByTestId('thread-countdown')).toContainText(/left/);
  await expect(seller.getByText(`With ${name} (buyer)`)).toBeVisible();
  if (js(testInfo)) {
    await buyer.evaluate(() => { window.__sameDocument = true; });
    // The saved reply is inserted, filled with the buyer's name, and sent.
    await seller.getByLabel('Saved reply').selectOption({ label: replyTitle });
    await expect(seller.getByLabel('Message', { exact: true })).toHaveValue(`Hello ${name}, yes: it works on induction and in the oven.`);
    await seller.getByRole('button', { name: 'Send', exact: true }).click();
  } else {
    await say(seller, `Hello ${name}, yes: it works on induction and in the oven.`);
  }
  await expect(seller.getByTestId('room-log')).toContainText('it works on induction and in the oven');

  // The buyer sees the answer without reloading (with JavaScript).
  if (!js(testInfo)) await buyer.reload();
  await expect(buyer.getByTestId('room-log')).toContainText(`Hello ${name}, yes: it works on induction`);
  if (js(testInfo)) {
    expect(await buyer.evaluate(() => window.__sameDocument)).toBe(true);
    await expect(seller.getByTestId('room-log').locator('li', { hasText: 'in the oven' })).toContainText(/Seen by buyer/);
  }

  // A thank-you needs no answer: the seller says so and the clock stops.
  await say(buyer, 'Thanks a lot!');
  await expect(buyer.getByTestId('room-log')).toContainText('Thanks a lot!');
  if (!js(testInfo)) await seller.reload();
  await expect(seller.getByTestId('room-log')).toContainText('Thanks a lot!');
  await expect(seller.getByTestId('thread-state')).toHaveText('Waiting for an answer');
  await seller.getByRole('button', { name: 'No answer needed' }).click();
  await expect(seller.getByTestId('thread-state')).toHaveText('Answered');
  await expect(seller.getByTestId('room-log')).toContainText('marked the buyer\'s message as needing no answer');
  await noHorizontalScroll(seller);
  expect(sellerErrors).toEqual([]);
  await sellerContext.close();
});

test('after buying, a "where is my order" conversation shows the order beside it', async ({ page: buyer, browser }, testInfo) => {
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const seller = await sellerContext.newPage();
  const name = `Wendy ${testInfo.project.name} ${Date.now() % 100000}`;
  const order = await shippedPan(buyer, seller, testInfo, name, '2'); // the tea towels: the pan's stock is for other journeys
  await open(buyer, `/orders/${order}`, testInfo);
  await buyer.getByText('Message the seller', { exact: true }).click();
  await buyer.getByLabel('About').selectOption({ label: 'Where is my order?' });
  await buyer.getByLabel('Your message').fill('Hello, where is my parcel?');
  await buyer.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(buyer).toHaveURL(/\/messages\/\d+$/);
  const panel = buyer.getByTestId('order-panel');
  await expect(panel).toContainText(`Order #${order}`);
  await expect(panel).toContainText('Shipped');
  await expect(buyer.getByTestId('order-panel-tracking')).toContainText('JD0146000099');
  await expect(buyer.getByRole('link', { name: 'Turn this into a claim' })).toBeVisible();
  await noHorizontalScroll(buyer);
  // The seller finds it from the order page too, with the same panel.
  await open(seller, `/orders/${order}`, testInfo);
  await seller.getByRole('link', { name: 'Messages with the buyer' }).click();
  await expect(seller.getByTestId('room-log')).toContainText('Hello, where is my parcel?');
  await expect(seller.getByTestId('order-panel')).toContainText(`Order #${order}`);
  await sellerContext.close();
});
