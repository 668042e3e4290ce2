//! The generated catalogue the benches search and browse: N products spread over the demo shops
//! and categories, the same on every run.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use app::backend::db::catalog::{insert_product, NewProduct};
use app::backend::db::Db;
use app::domain::{CategoryId, Money, ShopId};

/// splitmix64: the same "random" catalogue and picks on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Words the generated catalogue is made of, per category slug: things sold there.
pub fn nouns(slug: &str) -> &'static [&'static str] {
    match slug {
        "kitchen" => &["crepe pan", "serving bowl", "cutting board", "tea towels", "spoon set", "butter dish", "salad bowl", "bread knife", "pie dish", "storage jar", "apron", "teapot"],
        "coffee-tea" => &["espresso blend", "coffee grinder", "pour-over dripper", "moka pot", "green tea", "herbal tea", "milk jug", "tea tin", "cold brew bottle", "tasting cups"],
        "books" => &["field guide", "cookbook", "novel", "poetry collection", "travel atlas", "history of tea", "picture atlas", "sketchbook", "bird guide", "star atlas"],
        "outdoors" => &["sleeping bag", "tent", "trekking poles", "headlamp", "camp stove", "water bottle", "bivvy bag", "camp chair", "rucksack", "compass"],
        "clothing" => &["sweater", "base layer", "mittens", "beanie", "scarf", "rain jacket", "socks", "cardigan", "gilet", "work shirt"],
        "toys" => &["train set", "puzzle", "board game", "stacker", "teddy bear", "marble run", "chess set", "card game", "kite", "spinning top"],
        _ => &["keepsake", "box", "set", "kit"],
    }
}

const ADJECTIVES: [&str; 16] = [
    "Hand-thrown", "Classic", "Compact", "Rustic", "Nordic", "Everyday", "Heirloom", "Travel", "Deluxe", "Minimal", "Vintage", "Sturdy",
    "Bright", "Quiet", "Folding", "Small-batch",
];
const MATERIALS: [&str; 12] = ["wool", "linen", "walnut", "oak", "copper", "stoneware", "cotton", "steel", "beech", "cork", "leather", "bamboo"];
const PLACES: [&str; 8] = ["Lyon", "Porto", "Leipzig", "Sevilla", "Bergen", "Lisboa", "Ghent", "Turin"];
const USES: [&str; 8] = ["slow mornings", "long walks", "the weekend market", "rainy afternoons", "first camping trips", "family dinners", "quiet reading", "the holidays"];

/// Product `n` of the generated catalogue: (name, description).
pub fn product_text(rng: &mut Rng, n: usize, slug: &str) -> (String, String) {
    let (adj, material, noun) = (rng.pick(&ADJECTIVES), rng.pick(&MATERIALS), rng.pick(nouns(slug)));
    // A rare word: about one product in a thousand.
    let rare = if n % 1000 == 500 { "Saffron-dyed " } else { "" };
    let name = match rng.below(4) {
        0 => format!("{rare}{adj} {material} {noun}, set of {}", 2 + rng.below(5)),
        1 => format!("{rare}{adj} {noun} in {material}, {} cm", 10 + rng.below(50)),
        _ => format!("{rare}{adj} {material} {noun}"),
    };
    let mut description = format!(
        "{adj} {noun} made from {} in {} and finished by hand. Made for {}.",
        rng.pick(&MATERIALS),
        rng.pick(&PLACES),
        rng.pick(&USES)
    );
    // A common word: in about half of the descriptions.
    if rng.below(2) == 0 {
        description.push_str(" Wrapped in paper, ready to give as a gift.");
    }
    description.push_str(&format!(" Weighs {} g. Item {n}.", 80 + rng.below(2000)));
    (name, description)
}

/// Writes `count` products straight into the database with the app's own insert (which keeps the
/// search index right), spread over the demo shops and categories; their ids and names.
pub async fn write_catalogue(db: &Db, count: usize, now: i64) -> Vec<(i64, String)> {
    let categories = sqlx::query_as::<sqlx::Any, (i64, String, String)>("SELECT id, slug, name FROM categories ORDER BY position, id").fetch_all(&db.pool).await.unwrap();
    let shops = sqlx::query_as::<sqlx::Any, (i64, String)>("SELECT id, name FROM shops ORDER BY id").fetch_all(&db.pool).await.unwrap();
    assert!(!categories.is_empty() && !shops.is_empty(), "the demo marketplace is seeded");
    let mut rng = Rng(42);
    let mut written = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(2_000) {
        let mut tx = db.begin().await.unwrap();
        for &n in chunk {
            let (category, slug, _) = &categories[rng.below(categories.len())];
            let (shop, _) = &shops[rng.below(shops.len())];
            let (name, description) = product_text(&mut rng, n, slug);
            let image = format!("/img/{slug}.svg");
            let product = NewProduct {
                shop: ShopId(*shop),
                category: CategoryId(*category),
                name: &name,
                description: &description,
                language: app::domain::locale::Locale::en,
                translated: None,
                price: Money(500 + 50 * rng.below(900) as i64),
                stock: if rng.below(10) == 0 { 0 } else { 1 + rng.below(60) as i64 },
                low_stock: 3,
                image: &image,
            };
            // Listed over the past year, newest last.
            let created = now - (count - n) as i64 * 3_600_000;
            let id = insert_product(&mut tx, &product, created).await.unwrap();
            written.push((id.0, name));
        }
        tx.commit().await.unwrap();
    }
    written
}

/// The total a search page shows ("1234 products"), or 0 when it says nothing matches.
pub fn shown_total(html: &str) -> i64 {
    if html.contains("No products match") {
        return 0;
    }
    let at = html.find("result-count").expect("the page shows how many products match");
    // "1,719" in English, "1 719" (a narrow no-break space) in French.
    let digits: String = html[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '\u{202f}' | '\u{a0}'))
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number of products")
}

