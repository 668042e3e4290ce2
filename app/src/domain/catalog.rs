//! Catalog types as the browser sees them, and the listing query (sort, filters, paging).

use crate::domain::locale::Locale;
use crate::domain::{CategoryId, Money, ProductId, ShopId};
use crate::domain::locale;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// A seller's text as one reader gets it: the version in the reader's language when the seller
/// wrote one, otherwise the original, with the language it is in (for a note and `lang`).
pub fn for_reader(reader: Locale, original_language: Locale, original: String, translated: Option<String>) -> (String, Option<Locale>) {
    if reader == original_language {
        return (original, None);
    }
    match translated.filter(|t| !t.trim().is_empty()) {
        Some(t) => (t, None),
        None => (original, Some(original_language)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub product_count: i64,
}

/// An average of 1–5 stars over `count` ratings; `None` when nobody rated yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub sum: i64,
    pub count: i64,
}

impl Rating {
    /// The rating of these stars (each clamped to 1–5).
    pub fn of(stars: impl IntoIterator<Item = u8>) -> Rating {
        stars.into_iter().fold(Rating { sum: 0, count: 0 }, |r, s| Rating { sum: r.sum + i64::from(s.clamp(1, 5)), count: r.count + 1 })
    }

    /// Average in tenths of a star, rounded half up (4.75 → 48), `None` without ratings.
    pub fn tenths(self) -> Option<i64> {
        (self.count > 0).then(|| (self.sum * 10 + self.count / 2) / self.count)
    }

    pub fn average(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// The average to one decimal the language's way ("4.5" / "4,5"), `None` without ratings.
    pub fn score_in(self, l: Locale) -> Option<String> {
        let point = if l == Locale::fr { ',' } else { '.' };
        self.tenths().map(|t| format!("{}{point}{}", t / 10, t % 10))
    }

    /// "4.5 out of 5 (2 ratings)" / "4,5 sur 5 (2 avis)", or that there is none yet, in `l`.
    pub fn describe_in(self, l: Locale) -> String {
        match self.score_in(l) {
            Some(score) => td_string!(l, rating.out_of_five, score = score, count = self.count, shown = locale::number(l, self.count)).to_string(),
            None => td_string!(l, rating.none).to_string(),
        }
    }

    /// "4.3 out of 5 (27 ratings)" or "No ratings yet".
    pub fn describe(&self) -> String {
        match self.tenths() {
            Some(t) => format!(
                "{}.{} out of 5 ({} rating{})",
                t / 10,
                t % 10,
                self.count,
                if self.count == 1 { "" } else { "s" }
            ),
            None => "No ratings yet".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockLevel {
    OutOfStock,
    Low(i64),
    InStock,
}

impl StockLevel {
    pub const LOW_THRESHOLD: i64 = 5;

    pub fn of(stock: i64) -> StockLevel {
        if stock <= 0 {
            StockLevel::OutOfStock
        } else if stock <= Self::LOW_THRESHOLD {
            StockLevel::Low(stock)
        } else {
            StockLevel::InStock
        }
    }

    pub fn label(&self) -> String {
        match self {
            StockLevel::OutOfStock => "Out of stock".into(),
            StockLevel::Low(n) => format!("Only {n} left"),
            StockLevel::InStock => "In stock".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: ProductId,
    pub name: String,
    pub price: Money,
    pub stock: i64,
    pub picture: crate::domain::photo::Picture,
    pub rating: Rating,
    pub shop_name: String,
    pub shop_slug: String,
    pub shop_city: String,
    /// The seller holds the Top seller badge.
    pub shop_top_seller: bool,
    /// The name is shown in the original, in this language: the reader's is missing.
    #[serde(default)]
    pub name_language: Option<Locale>,
}

/// Who the buyer deals with: shown on every product page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopCard {
    pub id: ShopId,
    pub slug: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub description: String,
    pub return_policy: String,
    pub return_days: i64,
    pub handling_days: i64,
    pub shipping: Money,
    pub rating: Rating,
    /// Every threshold of the Top seller badge holds over the trailing window.
    pub top_seller: bool,
    pub member_since: String,
    pub opening_hours: String,
    /// The shop's email and phone as buyers see them: masked (Troika relays).
    pub contact: String,
    /// An admin suspended it: its products are not for sale meanwhile.
    pub suspended: bool,
    /// "3 hours": the shop's median first answer to buyers' messages over 90 days, once it has a few.
    #[serde(default)]
    pub usually_answers: Option<String>,
    /// The description and return policy are shown in the original, in this language: the
    /// seller wrote none in the reader's.
    #[serde(default)]
    pub text_language: Option<Locale>,
}

impl ShopCard {
    pub fn handling_label(&self) -> String {
        crate::domain::shop::handling_label(self.handling_days)
    }

    pub fn returns_label(&self) -> String {
        crate::domain::shop::returns_label(self.return_days)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub id: ProductId,
    pub name: String,
    pub description: String,
    pub price: Money,
    pub stock: i64,
    pub picture: crate::domain::photo::Picture,
    pub rating: Rating,
    pub category: Category,
    pub shop: ShopCard,
    /// The name and description are shown in the original, in this language: the seller wrote
    /// none in the reader's.
    #[serde(default)]
    pub text_language: Option<Locale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopPageData {
    pub shop: ShopCard,
    pub products: Vec<ProductSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Sort {
    /// Best match first (search) or newest first (browsing).
    #[default]
    Relevance,
    PriceLow,
    PriceHigh,
    Newest,
    Rating,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Relevance, Sort::PriceLow, Sort::PriceHigh, Sort::Newest, Sort::Rating];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::PriceLow => "price_asc",
            Sort::PriceHigh => "price_desc",
            Sort::Newest => "newest",
            Sort::Rating => "rating",
        }
    }

    pub fn parse(s: &str) -> Sort {
        Sort::ALL.into_iter().find(|x| x.as_str() == s).unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::PriceLow => "Price: low to high",
            Sort::PriceHigh => "Price: high to low",
            Sort::Newest => "Newest",
            Sort::Rating => "Top rated",
        }
    }
}

/// The listing query as it comes from the URL (`/search?q=…&category=…&min=…`): all text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListingInput {
    pub q: String,
    pub category: String,
    pub sort: String,
    pub min: String,
    pub max: String,
    pub rating: String,
    /// "top": Top sellers only.
    pub badge: String,
    pub page: String,
}

/// A validated listing query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingQuery {
    pub terms: Vec<String>,
    pub category: Option<String>,
    pub sort: Sort,
    pub min_price: Option<Money>,
    pub max_price: Option<Money>,
    /// Minimum average seller rating, 1–5 stars.
    pub min_seller_rating: Option<i64>,
    pub top_sellers_only: bool,
    pub page: i64,
}

pub const PAGE_SIZE: i64 = 12;
pub const MAX_PAGE: i64 = 1000;

impl TryFrom<ListingInput> for ListingQuery {
    type Error = crate::error::AppError;

    fn try_from(input: ListingInput) -> Result<Self, Self::Error> {
        use crate::error::FieldErrors;
        let mut fields = FieldErrors::new();
        let mut price = |name: &str, raw: &str| -> Option<Money> {
            if raw.trim().is_empty() {
                return None;
            }
            let parsed = Money::parse(raw);
            if parsed.is_none() {
                fields.insert(name.into(), td_string!(locale::request(), server.catalog.price_format).to_string());
            }
            parsed
        };
        let min_price = price("min", &input.min);
        let max_price = price("max", &input.max);
        if let (Some(lo), Some(hi)) = (min_price, max_price) {
            if lo > hi {
                fields.insert("max".into(), td_string!(locale::request(), server.catalog.price_range).to_string());
            }
        }
        let min_seller_rating = match input.rating.trim() {
            "" => None,
            r => match r.parse::<i64>() {
                Ok(n @ 1..=5) => Some(n),
                _ => {
                    fields.insert("rating".into(), td_string!(locale::request(), server.catalog.rating).to_string());
                    None
                }
            },
        };
        let page = input.page.trim().parse::<i64>().unwrap_or(1).clamp(1, MAX_PAGE);
        let category = Some(input.category.trim().to_string()).filter(|c| !c.is_empty());
        if !fields.is_empty() {
            return Err(crate::error::AppError::from_fields(fields));
        }
        Ok(ListingQuery {
            terms: crate::domain::search::terms(&crate::domain::text::cut(&input.q, crate::domain::text::QUERY_MAX)),
            category,
            sort: Sort::parse(input.sort.trim()),
            min_price,
            max_price,
            min_seller_rating,
            top_sellers_only: input.badge.trim() == "top",
            page,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub products: Vec<ProductSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// When a search finds nothing: a close query that finds something ("did you mean …").
    pub suggestion: Option<String>,
    /// The search matched more products than it returns (`total` counts the best of them only).
    pub more: bool,
}

impl ProductPage {
    pub fn pages_for(total: i64) -> i64 {
        ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(min: &str, max: &str, rating: &str) -> ListingInput {
        ListingInput { min: min.into(), max: max.into(), rating: rating.into(), ..Default::default() }
    }

    #[test]
    fn a_reader_gets_their_language_when_the_seller_wrote_it_otherwise_the_original_and_its_language() {
        let fr = Some("Torchons en lin".to_string());
        assert_eq!(for_reader(Locale::fr, Locale::en, "Linen tea towels".into(), fr.clone()), ("Torchons en lin".into(), None));
        assert_eq!(for_reader(Locale::en, Locale::en, "Linen tea towels".into(), fr), ("Linen tea towels".into(), None));
        assert_eq!(for_reader(Locale::fr, Locale::en, "Linen tea towels".into(), None), ("Linen tea towels".into(), Some(Locale::en)));
        assert_eq!(for_reader(Locale::fr, Locale::en, "Linen tea towels".into(), Some("  ".into())), ("Linen tea towels".into(), Some(Locale::en)));
        assert_eq!(for_reader(Locale::en, Locale::fr, "Poêle à crêpes".into(), None), ("Poêle à crêpes".into(), Some(Locale::fr)));
    }

    #[test]
    fn stock_levels_warn_when_few_are_left() {
        assert_eq!(StockLevel::of(0).label(), "Out of stock");
        assert_eq!(StockLevel::of(3).label(), "Only 3 left");
        assert_eq!(StockLevel::of(40).label(), "In stock");
    }

    #[test]
    fn listing_query_parses_prices_and_rating() {
        let q = ListingQuery::try_from(input("5", "20.50", "4")).unwrap();
        assert_eq!(q.min_price, Some(Money(500)));
        assert_eq!(q.max_price, Some(Money(2050)));
        assert_eq!(q.min_seller_rating, Some(4));
        assert_eq!(q.page, 1);
        assert_eq!(q.sort, Sort::Relevance);
    }

    #[test]
    fn listing_query_rejects_bad_prices_with_the_field_name() {
        let err = ListingQuery::try_from(input("cheap", "", "")).unwrap_err();
        assert!(err.field("min").is_some());
        let err = ListingQuery::try_from(input("30", "10", "")).unwrap_err();
        assert!(err.field("max").is_some());
        let err = ListingQuery::try_from(input("", "", "9")).unwrap_err();
        assert!(err.field("rating").is_some());
    }

    #[test]
    fn unknown_sort_and_silly_pages_fall_back_to_defaults() {
        let q = ListingQuery::try_from(ListingInput { sort: "drop table".into(), page: "-4".into(), ..Default::default() }).unwrap();
        assert_eq!(q.sort, Sort::Relevance);
        assert_eq!(q.page, 1);
        assert_eq!(ProductPage::pages_for(0), 1);
        assert_eq!(ProductPage::pages_for(13), 2);
    }

    #[test]
    fn ratings_describe_themselves() {
        assert_eq!(Rating { sum: 0, count: 0 }.describe(), "No ratings yet");
        assert_eq!(Rating { sum: 9, count: 2 }.describe(), "4.5 out of 5 (2 ratings)");
    }
}
