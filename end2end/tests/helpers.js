// Steps the journeys share: opening a page (and waiting for hydration), signing up, signing in, and
// a watch on the Content-Security-Policy: a page whose scripts, styles or sockets the policy blocks
// fails its journey.
const base = require('@playwright/test');

const { expect } = base;

const js = (testInfo) => testInfo.project.name === 'js';

// Records what the browser reports blocked by the Content-Security-Policy on `page`.
function watchCsp(page) {
  if (!page.__csp) {
    page.__csp = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) page.__csp.push(m.text());
    });
  }
  return page.__csp;
}

function expectNoCspViolations(page) {
  expect(watchCsp(page), 'nothing blocked by the Content-Security-Policy').toEqual([]);
}

// `test` with every journey's main page watched: no uncaught error, nothing blocked by the CSP.
const test = base.test.extend({
  page: async ({ page }, use) => {
    const errors = watchErrors(page);
    watchCsp(page);
    await use(page);
    expect(errors, 'no uncaught errors in the page').toEqual([]);
    expectNoCspViolations(page);
  },
});

async function open(page, path, testInfo) {
  expectNoCspViolations(page);
  await page.goto(path);
  await hydrated(page, testInfo);
}

// With JavaScript, waits until every island of the page runs (the last one marks `main`): after a
// link or a form took the browser to a new page, before using what only the islands do. The
// release wasm must load and hydrate the page (a broken wasm-opt shows up here).
async function hydrated(page, testInfo) {
  if (js(testInfo)) await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
}

// The form's words in the page's language (a French browser gets the French form).
const SIGN_UP_WORDS = {
  en: { email: 'Email', name: 'Your name', password: 'Password', repeat: 'Repeat password', create: 'Create account', signOut: 'Sign out' },
  fr: { email: 'E-mail', name: 'Votre nom', password: 'Mot de passe', repeat: 'Répétez le mot de passe', create: 'Créer le compte', signOut: 'Se déconnecter' },
};

// A new buyer account; lands on `next` (default: the home page).
async function signUp(page, testInfo, { name = 'Phone Buyer', next = '' } = {}) {
  const email = `e2e-${testInfo.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await open(page, next ? `/signup?next=${next}` : '/signup', testInfo);
  const words = SIGN_UP_WORDS[await page.locator('html').getAttribute('lang')];
  expect(words, 'the sign-up page is in a language this helper knows').toBeTruthy();
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.name).fill(name);
  await page.getByLabel(words.password, { exact: true }).fill('a long enough password');
  await page.getByLabel(words.repeat).fill('a long enough password');
  await page.getByRole('button', { name: words.create }).click();
  await expect(page.getByRole('button', { name: words.signOut })).toBeVisible();
  return email;
}

// A demo account (password troika-demo); lands on `next`.
async function signIn(page, testInfo, email, next) {
  await open(page, `/signin?next=${next}`, testInfo);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('troika-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth).then((overflow) => {
    expect(overflow, 'no horizontal scrolling at 360 px').toBeLessThanOrEqual(0);
  });
}

// The project's settings, for a second (or third) person's browser context.
function contextOptions(testInfo) {
  const u = testInfo.project.use;
  return { baseURL: u.baseURL, viewport: u.viewport, isMobile: u.isMobile, hasTouch: u.hasTouch, javaScriptEnabled: u.javaScriptEnabled };
}

// Uncaught errors in `page`; a Rust panic in the wasm is reported with its message (the page error
// itself only says "unreachable").
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('panicked at')) errors.push(m.text());
  });
  return errors;
}

// Calls a server function with the page's cookies, as the hydrated app does (form in, JSON out).
async function callApi(page, name, form) {
  const res = await page.request.post(`/api/${name}`, { form, headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  expect(res.ok(), `${name}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
  return body;
}

// A new buyer called `name` with an order for the crêpe pan that Atelier Lumière's seller (signed in
// on `seller`) has accepted and shipped, set up through the API (the checkout and the orders desk
// have journeys of their own). Returns the order id.
// (`product`: another of Atelier Lumière's products, for journeys that need not use up the pan's stock.)
async function shippedPan(buyer, seller, testInfo, name, product = '1') {
  await signUp(buyer, testInfo, { name });
  await callApi(buyer, 'add_to_cart', { product_id: product, quantity: '1' });
  const receipt = await callApi(buyer, 'place_order', {
    idempotency_key: require('crypto').randomUUID(),
    full_name: name, line1: '3 Rue de la République', city: 'Lyon', postcode: '69002', country: 'France',
  });
  const order = String(receipt.order_ids[0]);
  await signIn(seller, testInfo, 'seller@troika.test', '/seller/orders');
  await expect(seller.getByRole('heading', { name: 'Orders · Atelier Lumière' })).toBeVisible();
  await callApi(seller, 'advance_order', { order_id: order, action: 'accept' });
  await callApi(seller, 'advance_order', { order_id: order, action: 'ship', carrier: 'DHL', tracking_number: 'JD0146000099' });
  return order;
}

module.exports = { test, expect, js, open, hydrated, expectNoCspViolations, signUp, signIn, noHorizontalScroll, contextOptions, watchErrors, callApi, shippedPan };
