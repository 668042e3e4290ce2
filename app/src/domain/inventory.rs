//! A shop's products as their seller runs them: the product form and its checks, whether a
//! product is for sale, stock changes that never fight checkouts, and the stock page's figures
//! (units sold over 7 and 30 days, when stock runs out at the current pace, the low-stock line).

use crate::domain::money::Money;
use crate::domain::locale::{self, Locale};
use crate::domain::text::{check_len, language, whole_number, whole_translation};
use crate::domain::{CategoryId, ProductId};
use crate::error::{AppError, FieldErrors};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;
/// €100,000.00: the highest price of one unit.
pub const MAX_PRICE: Money = Money(10_000_000);
/// The most units of one product a shop may hold.
pub const MAX_STOCK: i64 = 100_000;

/// Whether a product is for sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductStatus {
    /// In the storefront: searched, shown and sold.
    Listed,
    /// Kept with its stock, out of the storefront until listed again.
    Hidden,
    /// Retired: out of the storefront for good, kept for past orders and reviews (it can be
    /// brought back as hidden).
    Archived,
}

impl ProductStatus {
    pub const ALL: [ProductStatus; 3] = [ProductStatus::Listed, ProductStatus::Hidden, ProductStatus::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Listed => "listed",
            ProductStatus::Hidden => "hidden",
            ProductStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ProductStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ProductStatus::Listed => "For sale",
            ProductStatus::Hidden => "Hidden",
            ProductStatus::Archived => "Archived",
        }
    }

    /// The statuses the seller may move it to, with the button's words.
    pub fn moves(self) -> &'static [(ProductStatus, &'static str)] {
        match self {
            ProductStatus::Listed => &[(ProductStatus::Hidden, "Hide from the storefront"), (ProductStatus::Archived, "Archive")],
            ProductStatus::Hidden => &[(ProductStatus::Listed, "Put on sale"), (ProductStatus::Archived, "Archive")],
            ProductStatus::Archived => &[(ProductStatus::Hidden, "Bring back (hidden)")],
        }
    }

    pub fn may_become(self, to: ProductStatus) -> bool {
        self.moves().iter().any(|(s, _)| *s == to)
    }
}

/// The product form as posted (`product[…]`): all text, so a malformed number is a message on its
/// field and what was typed comes back as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductInput {
    pub name: String,
    pub description: String,
    /// The language the name and description are written in (`en`, `fr`).
    pub language: String,
    /// The name and description in the other language (optional, both or neither).
    pub translated_name: String,
    pub translated_description: String,
    /// The category's slug.
    pub category: String,
    pub price: String,
    /// Units in stock: asked when the product is created; later changed on the stock page.
    pub stock: String,
    pub low_stock: String,
}

impl ProductInput {
    pub fn blank() -> Self {
        ProductInput { stock: "1".into(), low_stock: "3".into(), ..Default::default() }
    }
}

/// A checked product (the category is checked against the catalogue by the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    pub name: String,
    pub description: String,
    pub language: Locale,
    /// The name and description in the other language; both empty when there is none.
    pub translated_name: String,
    pub translated_description: String,
    pub category: String,
    pub price: Money,
    pub stock: i64,
    pub low_stock: i64,
}

impl ProductDraft {
    /// The name and description in the other language, when the seller wrote them.
    pub fn translated(&self) -> Option<(&str, &str)> {
        (!self.translated_name.is_empty()).then_some((self.translated_name.as_str(), self.translated_description.as_str()))
    }

    pub fn to_input(&self) -> ProductInput {
        ProductInput {
            name: self.name.clone(),
            description: self.description.clone(),
            language: locale::code(self.language).into(),
            translated_name: self.translated_name.clone(),
            translated_description: self.translated_description.clone(),
            category: self.category.clone(),
            price: self.price.plain(),
            stock: self.stock.to_string(),
            low_stock: self.low_stock.to_string(),
        }
    }
}

impl TryFrom<ProductInput> for ProductDraft {
    type Error = AppError;

    fn try_from(input: ProductInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        let (name, description) = (input.name.trim().to_string(), input.description.trim().to_string());
        check_len(&mut fields, "name", &name, 3, NAME_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.product_name));
        check_len(&mut fields, "description", &description, 10, DESCRIPTION_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.description));
        let language = language(&mut fields, "language", &input.language);
        let (translated_name, translated_description) = (input.translated_name.trim().to_string(), input.translated_description.trim().to_string());
        if whole_translation(&mut fields, &[("translated_name", &translated_name), ("translated_description", &translated_description)]) {
            check_len(&mut fields, "translated_name", &translated_name, 3, NAME_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.product_name));
            check_len(&mut fields, "translated_description", &translated_description, 10, DESCRIPTION_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.description));
        }
        let category = input.category.trim().to_string();
        if category.is_empty() {
            fields.insert("category".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.category).to_string());
        }
        let price = match Money::parse(&input.price) {
            Some(m) if m.0 > 0 && m <= MAX_PRICE => m,
            Some(m) if m.0 == 0 => {
                fields.insert("price".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.price_positive).to_string());
                m
            }
            Some(m) => {
                fields.insert("price".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.price_max, max = crate::domain::locale::money(crate::domain::locale::request(), MAX_PRICE)).to_string());
                m
            }
            None => {
                fields.insert("price".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.price_format).to_string());
                Money(0)
            }
        };
        let stock = whole_number(&mut fields, "stock", &input.stock, 0, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.stock_units));
        let low_stock = whole_number(&mut fields, "low_stock", &input.low_stock, 0, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.low_stock));
        if !fields.is_empty() {
            return Err(AppError::from_fields(fields));
        }
        Ok(ProductDraft { name, description, language, translated_name, translated_description, category, price, stock, low_stock })
    }
}

/// A change of stock the seller asks for. Adding and removing are relative (a sale at the same
/// moment still counts); setting is against the level the seller saw, and refused if it moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockChange {
    Add(i64),
    Remove(i64),
    Set { to: i64, seen: i64 },
}

/// The stock form as posted: `change` is add, remove or set; `seen` is the level the page showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockInput {
    pub change: String,
    pub units: String,
    pub seen: String,
}

impl TryFrom<&StockInput> for StockChange {
    type Error = AppError;

    fn try_from(input: &StockInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        let change = match input.change.trim() {
            "add" => StockChange::Add(whole_number(&mut fields, "units", &input.units, 1, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.units_add))),
            "remove" => StockChange::Remove(whole_number(&mut fields, "units", &input.units, 1, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.units_remove))),
            "set" => StockChange::Set {
                to: whole_number(&mut fields, "units", &input.units, 0, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.new_level)),
                seen: whole_number(&mut fields, "seen", &input.seen, 0, MAX_STOCK, crate::i18n::td_string!(crate::domain::locale::request(), server.what.seen_level)),
            },
            _ => {
                fields.insert("change".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.change).to_string());
                StockChange::Add(0)
            }
        };
        if !fields.is_empty() {
            return Err(AppError::from_fields(fields));
        }
        Ok(change)
    }
}

/// About how many days the stock lasts at the current pace: the last 7 days' pace when there were
/// sales in them, else the last 30 days'. `None` without sales in 30 days (no pace to go by).
pub fn runs_out_in_days(stock: i64, sold_7: i64, sold_30: i64) -> Option<i64> {
    let (sold, days) = if sold_7 > 0 { (sold_7, 7) } else { (sold_30, 30) };
    if sold <= 0 {
        return None;
    }
    // stock / (sold / days), rounded down: "about N days" never promises more than there is.
    Some(stock.max(0) * days / sold)
}

/// How the stock page says it.
pub fn forecast_text(stock: i64, runs_out_in: Option<i64>) -> String {
    match (stock, runs_out_in) {
        (0, _) => "Sold out".into(),
        (_, None) => "No sales in 30 days".into(),
        (_, Some(0)) => "Runs out within a day".into(),
        (_, Some(1)) => "Runs out in about 1 day".into(),
        (_, Some(n)) => format!("Runs out in about {n} days"),
    }
}

/// True when a change from `before` to `after` units brings the stock down to the seller's line.
pub fn crosses_low_stock(before: i64, after: i64, line: i64) -> bool {
    after < before && after <= line && before > line
}

/// One product on the stock page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryItem {
    pub id: ProductId,
    pub name: String,
    pub category: String,
    pub status: ProductStatus,
    pub price: Money,
    pub stock: i64,
    pub low_stock: i64,
    pub sold_7: i64,
    pub sold_30: i64,
    pub runs_out_in: Option<i64>,
}

impl InventoryItem {
    pub fn is_low(&self) -> bool {
        self.stock <= self.low_stock
    }
}

/// The seller's products and stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryPage {
    pub shop_name: String,
    pub shop_slug: String,
    pub items: Vec<InventoryItem>,
}

/// A category a product may be listed in, with the marketplace's commission on its sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    /// Basis points (1000 = 10 %).
    pub rate_bp: i64,
}

/// The product form: a new product (`id` none) or one of the seller's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub id: Option<ProductId>,
    pub status: Option<ProductStatus>,
    pub stock: i64,
    pub form: ProductInput,
    pub categories: Vec<CategoryChoice>,
    pub shop_slug: String,
    pub photos: Vec<crate::domain::photo::PhotoView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProductInput {
        ProductInput {
            name: "Walnut bowl".into(),
            description: "Turned by hand from one piece.".into(),
            category: "home".into(),
            price: "34.50".into(),
            stock: "8".into(),
            low_stock: "2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_product_is_accepted_with_its_price_in_cents() {
        let d = ProductDraft::try_from(input()).unwrap();
        assert_eq!(d.price, Money(3450));
        assert_eq!((d.stock, d.low_stock), (8, 2));
        assert_eq!(ProductDraft::try_from(d.to_input()).unwrap(), d, "the form round-trips");
    }

    #[test]
    fn every_bad_field_is_named_with_its_own_message() {
        let bad = ProductInput { name: "a".into(), description: "".into(), category: " ".into(), price: "12,345".into(), stock: "-1".into(), low_stock: "x".into(), ..Default::default() };
        let AppError::Invalid { fields, .. } = ProductDraft::try_from(bad).unwrap_err() else { panic!() };
        for f in ["name", "description", "category", "price", "stock", "low_stock"] {
            assert!(fields.contains_key(f), "{f}: {fields:?}");
        }
        assert!(fields["price"].contains("12.50"));
        let AppError::Invalid { fields, .. } = ProductDraft::try_from(ProductInput { price: "0".into(), ..input() }).unwrap_err() else { panic!() };
        assert_eq!(fields["price"], "The price must be more than 0.");
        let AppError::Invalid { fields, .. } = ProductDraft::try_from(ProductInput { price: "100000.01".into(), ..input() }).unwrap_err() else { panic!() };
        assert!(fields["price"].contains("at most"));
    }

    #[test]
    fn a_translation_is_whole_or_absent_and_the_language_is_english_or_french() {
        let d = ProductDraft::try_from(ProductInput { language: "fr".into(), ..input() }).unwrap();
        assert_eq!((d.language, d.translated()), (Locale::fr, None));
        let both = ProductInput { translated_name: "Bol en noyer".into(), translated_description: "Tourné à la main dans une seule pièce.".into(), ..input() };
        let d = ProductDraft::try_from(both.clone()).unwrap();
        assert_eq!(d.translated(), Some(("Bol en noyer", "Tourné à la main dans une seule pièce.")));
        assert_eq!(ProductDraft::try_from(d.to_input()).unwrap(), d, "the form round-trips");
        let AppError::Invalid { fields, .. } = ProductDraft::try_from(ProductInput { translated_description: " ".into(), ..both }).unwrap_err() else { panic!() };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["translated_description"]);
        let AppError::Invalid { fields, .. } = ProductDraft::try_from(ProductInput { language: "de".into(), ..input() }).unwrap_err() else { panic!() };
        assert!(fields.contains_key("language"));
    }

    #[test]
    fn stock_changes_are_relative_or_against_the_level_seen() {
        let parse = |c: &str, u: &str, s: &str| StockChange::try_from(&StockInput { change: c.into(), units: u.into(), seen: s.into() });
        assert_eq!(parse("add", "10", "").unwrap(), StockChange::Add(10));
        assert_eq!(parse("remove", "2", "").unwrap(), StockChange::Remove(2));
        assert_eq!(parse("set", "0", "7").unwrap(), StockChange::Set { to: 0, seen: 7 });
        assert!(parse("add", "0", "").is_err(), "adding nothing");
        assert!(parse("set", "5", "").is_err(), "setting needs the level seen");
        assert!(parse("steal", "5", "").unwrap_err().field("change").is_some());
    }

    #[test]
    fn the_forecast_follows_the_recent_pace_and_never_overpromises() {
        assert_eq!(runs_out_in_days(10, 7, 9), Some(10), "one a day this week");
        assert_eq!(runs_out_in_days(10, 0, 15), Some(20), "half a day's pace over the month");
        assert_eq!(runs_out_in_days(10, 3, 3), Some(23), "10 / (3/7) = 23.3 → 23");
        assert_eq!(runs_out_in_days(10, 0, 0), None);
        assert_eq!(runs_out_in_days(0, 4, 4), Some(0));
        assert_eq!(forecast_text(0, Some(0)), "Sold out");
        assert_eq!(forecast_text(5, None), "No sales in 30 days");
        assert_eq!(forecast_text(5, Some(1)), "Runs out in about 1 day");
        assert_eq!(forecast_text(5, Some(12)), "Runs out in about 12 days");
    }

    #[test]
    fn the_low_stock_line_is_crossed_once_on_the_way_down() {
        assert!(crosses_low_stock(4, 3, 3));
        assert!(crosses_low_stock(10, 0, 3));
        assert!(!crosses_low_stock(3, 2, 3), "already below: told before");
        assert!(!crosses_low_stock(2, 5, 3), "restocking");
        assert!(!crosses_low_stock(5, 4, 3));
    }

    #[test]
    fn statuses_round_trip_and_archived_products_come_back_hidden() {
        for s in ProductStatus::ALL {
            assert_eq!(ProductStatus::parse(s.as_str()), Some(s));
        }
        assert!(ProductStatus::Listed.may_become(ProductStatus::Hidden));
        assert!(ProductStatus::Archived.may_become(ProductStatus::Hidden));
        assert!(!ProductStatus::Archived.may_become(ProductStatus::Listed));
        assert!(!ProductStatus::Listed.may_become(ProductStatus::Listed));
    }
}

/// Why a catalogue import changed nothing: its first problems (line and column in each) and how
/// many there were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub problems: Vec<String>,
    pub count: usize,
}
