// A seller on a phone lists a product (a mistake is named by its field, nothing typed is lost) and
// adds a photo (a disguised file is refused); it is in search at once with the photo, a buyer in another browser buys one, and the seller's stock page drops by
// one: live with JavaScript, on the next load without. The seller then adds units.

const { test, expect, js, open, signUp, signIn, noHorizontalScroll, contextOptions } = require('./helpers');

test('a seller lists a product, a buyer buys it and the stock page follows', async ({ page, browser }, testInfo) => {
  const token = `oak${testInfo.project.name}${Date.now() % 1e8}`;
  const name = `Oak spoon ${token}`;
  await signIn(page, testInfo, 'seller3@troika.test', '/seller/products/new');
  await expect(page.getByRole('heading', { name: 'Add a product' })).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Carved from one piece of oak, oiled with linseed.');
  await page.getByLabel('Category').selectOption('kitchen');
  await page.getByLabel('Price (€)').fill('twelve');
  await page.getByLabel('Low-stock line').fill('2');
  await page.getByLabel('Units in stock').fill('5');
  await page.getByRole('button', { name: 'List the product' }).click();
  await expect(page.locator('#field-product-price-error')).toHaveText('Enter the price in euros, like 12.50.');
  await expect(page.getByLabel('Name')).toHaveValue(name);
  await expect(page.getByLabel('Price (€)')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Price (€)').fill('12.50');
  await page.getByRole('button', { name: 'List the product' }).click();

  // Listed: on to its photos. A file that is not a photo is refused by its content, whatever its name.
  await expect(page.getByRole('heading', { name: `Edit “${name}”` })).toBeVisible();
  await expect(page.getByText('Listed: it is in the storefront now.')).toBeVisible();
  await page.getByLabel('Add a photo').setInputFiles({ name: 'spoon.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture at all') });
  await page.getByRole('button', { name: 'Upload the photo' }).click();
  await expect(page.getByRole('alert')).toContainText('not a JPEG, PNG or WebP photo');
  // A real photo (a demo product's, as WebP) is stored and becomes the main one.
  const photo = await (await page.request.get('/photos/1/640.webp')).body();
  await page.getByLabel('Add a photo').setInputFiles({ name: 'spoon.webp', mimeType: 'image/webp', buffer: photo });
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

  // A buyer, in another browser, finds it and buys one.
  const buyer = await (await browser.newContext(contextOptions(testInfo))).newPage();
  await signUp(buyer, testInfo, { name: 'Spoon Buyer' });
  await open(buyer, `/search?q=${token}`, testInfo);
  // In search with its photo (a small copy for the card, the size known before it loads).
  const cardImg = buyer.locator('li.product-card', { hasText: name }).locator('img');
  await expect(cardImg).toHaveAttribute('srcset', /\/photos\/\d+\/320\.webp 320w/);
  await expect(cardImg).toHaveAttribute('loading', 'lazy');
  await buyer.getByRole('link', { name }).click();
  await expect(buyer.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(buyer.getByRole('img', { name })).toHaveAttribute('width', '640');
  await buyer.getByRole('button', { name: 'Add to cart' }).click();
  if (js(testInfo)) await expect(buyer.getByTestId('cart-count')).toHaveText('1');
  await open(buyer, '/checkout', testInfo);
  await buyer.getByLabel('Full name').fill('Spoon Buyer');
  await buyer.getByLabel('Street and number').fill('12 Rua Augusta');
  await buyer.getByLabel('Town or city').fill('Lisboa');
  await buyer.getByLabel('Postcode').fill('1100-053');
  await buyer.getByLabel('Country').fill('Portugal');
  await buyer.getByRole('button', { name: 'Place order and pay' }).click();
  await expect(buyer.getByText(/Thank you! Purchase #\d+ is placed/)).toBeVisible();

  // The seller's page follows: live with JavaScript, on reload without.
  if (!js(testInfo)) await page.reload();
  await expect(card.getByTestId(/^stock-\d+$/)).toHaveText('4');
  await expect(card).toContainText('Sold, 7 days1');

  // The seller adds three units.
  await card.getByLabel(`Change the stock of ${name}`).selectOption('add');
  await card.getByLabel('Units').fill('3');
  await card.getByRole('button', { name: 'Update stock' }).click();
  await expect(page.locator('li.stock-card', { hasText: name }).getByTestId(/^stock-\d+$/)).toHaveText('7');
});
