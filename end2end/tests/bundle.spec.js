// The code a first visit downloads, per route: a fresh browser context (empty cache) opens the page
// as the person it is for, waits until the app has taken over and the network is quiet, and adds up
// the bytes on the wire (after compression) of every script and wasm response. Each route has a
// budget in ../bundle-budget.json; a route above it fails, and the whole table is written to
// test-results/bundle-report.md (and printed). Byte counts are deterministic for a build: no timing.
const fs = require('fs');
const path = require('path');
const { test, expect, js, contextOptions, shippedPan, callApi } = require('./helpers');

const budgets = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'bundle-budget.json'), 'utf8'));

// Where a signed-in route's person comes from: a demo account (password troika-demo).
const people = { seller: 'seller@troika.test', moderator: 'moderator@troika.test', admin: 'admin@troika.test', buyer: 'regular@troika.test' };

const isCode = (url, type) => type === 'script' || /\.(wasm|js)(\?|$)/.test(url);

// The rooms need one of their own: a new buyer ("claimant") with a shipped order, a conversation
// about it and a claim, made through the API. Routes say `{thread}` and `{claim}`.
async function claimant(browser, testInfo) {
  const buyerContext = await browser.newContext(contextOptions(testInfo));
  const sellerContext = await browser.newContext(contextOptions(testInfo));
  const buyer = await buyerContext.newPage();
  const order = await shippedPan(buyer, await sellerContext.newPage(), testInfo, 'Bundle Buyer', '2');
  const thread = await callApi(buyer, 'message_seller', {
    order_id: order, client_id: require('crypto').randomUUID(), topic: 'where_is_order', body: 'Has it left yet?',
  });
  const claim = await callApi(buyer, 'open_claim', { order_id: order, reason: 'damaged', remedy: 'replacement', message: 'It came cracked.' });
  const storageState = await buyerContext.storageState();
  await buyerContext.close();
  await sellerContext.close();
  return { storageState, ids: { order, thread: String(thread), claim: String(claim) } };
}

async function measure(browser, testInfo, route, made) {
  const context = await browser.newContext({ ...contextOptions(testInfo), ...(route.as === 'claimant' ? { storageState: made.storageState } : {}) });
  if (route.as && route.as !== 'claimant') {
    const res = await context.request.post('/api/sign_in', {
      form: { email: people[route.as], password: 'troika-demo', next: '/' }, headers: { accept: 'application/json' }, maxRedirects: 0,
    });
    expect(res.status(), `sign in as ${route.as}`).toBeLessThan(400);
  }
  const page = await context.newPage();
  const files = [];
  page.on('requestfinished', async (req) => {
    if (!isCode(req.url(), req.resourceType())) return;
    const sizes = await req.sizes();
    files.push({ url: new URL(req.url()).pathname, bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  await page.goto(route.path.replace(/\{(\w+)\}/g, (_, name) => made.ids[name]));
  await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
  await page.waitForLoadState('networkidle');
  await context.close();
  return files;
}

test('each route downloads no more code than its budget', async ({ browser }, testInfo) => {
  test.skip(!js(testInfo), 'without JavaScript no code is downloaded');
  test.setTimeout(240_000);
  const rows = [];
  const made = budgets.routes.some((r) => r.as === 'claimant') ? await claimant(browser, testInfo) : null;
  for (const route of budgets.routes) {
    const files = await measure(browser, testInfo, route, made);
    const total = files.reduce((n, f) => n + f.bytes, 0);
    rows.push({ ...route, total, files });
  }
  const kib = (n) => (n / 1024).toFixed(1);
  const table = [
    '| route | as | code on the wire (KiB) | budget (KiB) | files |', '|---|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.path} | ${r.as || 'guest'} | ${kib(r.total)} | ${kib(r.budget)} | ${r.files.map((f) => `${path.basename(f.url)} ${kib(f.bytes)}`).join(', ')} |`),
  ].join('\n');
  fs.mkdirSync(path.join(__dirname, '..', 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, '..', 'test-results', 'bundle-report.md'), `${table}\n`);
  console.log(`\nCode a first visit downloads (bytes on the wire, headers included):\n${table}\n`);
  for (const r of rows) {
    expect(r.total, `${r.path} (${r.as || 'guest'}): ${r.total} bytes of code, budget ${r.budget}`).toBeLessThanOrEqual(r.budget);
  }
});
