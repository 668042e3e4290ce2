// The same purchase in a French browser and in an English one, on a phone: the language comes from
// the browser, every page of the journey speaks it (no English words of the interface show in
// French), prices are written the language's way, and the switcher changes it.

const { test, expect, hydrated, signUp, js } = require('./helpers');

// Words of the English interface along the journey (sellers' own texts may be in any language).
const ENGLISH_UI = ['Add to cart', 'Your cart', 'Check out', 'Checkout', 'Sign out', 'Search products', 'Sort and filter',
  'Shipping', 'Timeline', 'Quantity', 'In stock', 'Sold by', 'Returns', 'Payment', 'Order #', 'Accept by', 'Estimated delivery',
  'What you can do now', 'Your orders', 'Full name', 'Place order', 'Cancel order', 'Handling time', 'On Troika since',
  'Skip to content', 'Loading', 'Message the seller', 'products', 'Did you mean', 'Thank you'];

async function noEnglish(page, where) {
  const text = await page.locator('body').innerText();
  for (const words of ENGLISH_UI) {
    expect(text.includes(words), `"${words}" shows on the French ${where}`).toBe(false);
  }
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
}

test.describe('in a French browser', () => {
  test.use({ locale: 'fr-FR' });

  test('a typo search, the product, the cart, checkout and the order, all in French', async ({ page }, testInfo) => {
    await signUp(page, testInfo);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    // The tea towels: the crêpe pan's stock is for other journeys.
    await page.getByLabel('Rechercher des produits').fill('tea towl');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Résultats pour « tea towl »');
    await expect(page.getByRole('status').filter({ hasText: /produits?$/ })).toBeVisible();
    await noEnglish(page, 'search page');

    // The seller wrote a French version: French readers get it.
    await page.getByRole('link', { name: 'Torchons en lin, lot de 3' }).click();
    await hydrated(page, testInfo);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Torchons en lin, lot de 3');
    await expect(page.locator('.price.big')).toHaveText(/^\d+,\d\d\u00a0€$/);
    await expect(page.getByRole('region', { name: /Vendu par/ })).toContainText('Retours sous 30 jours');
    await noEnglish(page, 'product page');

    await page.getByLabel('Quantité').fill('2');
    await page.getByRole('button', { name: 'Ajouter au panier' }).click();
    if (js(testInfo)) {
      await expect(page.getByRole('status').filter({ hasText: 'Ajouté à votre panier' })).toBeVisible();
      await expect(page.getByTestId('cart-count')).toHaveAttribute('aria-label', '2 articles dans le panier');
      await page.getByRole('link', { name: 'Voir le panier' }).click();
    } else {
      await expect(page).toHaveURL(/\/cart$/);
    }

    await expect(page.getByRole('heading', { name: 'Votre panier' })).toBeVisible();
    await expect(page.getByText('Total pour 2 articles :')).toBeVisible();
    await noEnglish(page, 'cart');
    await page.getByRole('link', { name: 'Commander' }).click();

    await expect(page.getByRole('heading', { name: 'Commande', exact: true })).toBeVisible();
    await expect(page.getByTestId('checkout-total')).toHaveText(/^\d+,\d\d\u00a0€$/);
    await noEnglish(page, 'checkout');
    await page.getByLabel('Nom complet').fill('Léa Martin');
    await page.getByLabel('Numéro et rue').fill('12 rue de la République');
    await page.getByLabel('Code postal').fill('69002');
    await page.getByLabel('Ville').fill('Lyon');
    await page.getByLabel('Pays').fill('France');
    await page.getByRole('button', { name: 'Commander et payer' }).click();

    await expect(page).toHaveURL(/\/orders\?placed=\d+/);
    await expect(page.getByText(/Merci ! L’achat n° \d+ est passé/)).toBeVisible();
    await noEnglish(page, 'orders page');
    await page.getByRole('link', { name: /Commande n° \d+/ }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Commande n° \d+/);
    await expect(page.getByTestId('order-status')).toHaveText('Passée');
    await expect(page.getByTestId('order-deadlines')).toContainText('À accepter avant le');
    await noEnglish(page, 'order page');
  });

  test('the switcher turns the site to English and it stays so', async ({ page }) => {
    await page.goto('/fr/product/1');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await page.getByRole('button', { name: 'Show this site in English' }).click();
    await expect(page).toHaveURL(/\/en\/product\/1$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.goto('/cart');
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  });
});

test.describe('in an English browser', () => {
  test.use({ locale: 'en-GB' });

  test('the same journey in English', async ({ page }, testInfo) => {
    await signUp(page, testInfo);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByLabel('Search products').fill('tea towl');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Linen tea towels, set of 3' }).click();
    await hydrated(page, testInfo);
    await expect(page.locator('.price.big')).toHaveText(/^€\d+\.\d\d$/);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    if (js(testInfo)) {
      await page.getByRole('link', { name: 'View cart' }).click();
    }
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByLabel('Full name').fill('Phone Buyer');
    await page.getByLabel('Street and number').fill('12 Rua Augusta');
    await page.getByLabel('Postcode').fill('1100-053');
    await page.getByLabel('Town or city').fill('Lisboa');
    await page.getByLabel('Country').fill('Portugal');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await expect(page).toHaveURL(/\/orders\?placed=\d+/);
    await page.getByRole('link', { name: /Order #\d+/ }).first().click();
    await expect(page.getByTestId('order-status')).toHaveText('Placed');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});
