//! Cart and checkout: what the buyer sees, and the shipping address rules.

use crate::domain::{Money, ProductId, PurchaseId, ShopId};
use crate::domain::locale;
use crate::error::{AppError, FieldErrors};
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

pub const MAX_QUANTITY: i64 = 99;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: ProductId,
    pub name: String,
    pub image: String,
    pub unit_price: Money,
    pub quantity: i64,
    pub stock: i64,
}

impl CartLine {
    pub fn line_total(&self) -> Money {
        self.unit_price.times(self.quantity)
    }
    pub fn available(&self) -> bool {
        self.quantity <= self.stock
    }
}

/// The part of a cart sold by one shop: it becomes one order at checkout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartShopGroup {
    pub shop_id: ShopId,
    pub shop_name: String,
    pub shop_slug: String,
    pub shipping: Money,
    pub lines: Vec<CartLine>,
}

impl CartShopGroup {
    pub fn subtotal(&self) -> Money {
        self.lines.iter().map(CartLine::line_total).sum()
    }
    pub fn total(&self) -> Money {
        self.subtotal() + self.shipping
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CartView {
    pub groups: Vec<CartShopGroup>,
}

impl CartView {
    pub fn item_count(&self) -> i64 {
        self.groups.iter().flat_map(|g| &g.lines).map(|l| l.quantity).sum()
    }
    pub fn total(&self) -> Money {
        self.groups.iter().map(CartShopGroup::total).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Validates a quantity typed into a cart form.
pub fn parse_quantity(raw: &str) -> Result<i64, AppError> {
    match raw.trim().parse::<i64>() {
        Ok(n @ 1..=MAX_QUANTITY) => Ok(n),
        _ => Err(AppError::invalid_field("quantity", td_string!(locale::request(), server.checkout.quantity, max = MAX_QUANTITY).to_string())),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingAddressInput {
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingAddress {
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
}

impl ShippingAddress {
    pub fn lines(&self) -> Vec<String> {
        [
            self.full_name.clone(),
            self.line1.clone(),
            self.line2.clone(),
            format!("{} {}", self.postcode, self.city),
            self.country.clone(),
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect()
    }
}

impl TryFrom<ShippingAddressInput> for ShippingAddress {
    type Error = AppError;

    fn try_from(input: ShippingAddressInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        let mut required = |name: &str, value: &str, what: &str, max: usize| -> String {
            let v = value.trim().to_string();
            if v.is_empty() {
                fields.insert(name.into(), td_string!(locale::request(), server.checkout.enter, what = what).to_string());
            } else if v.chars().count() > max {
                fields.insert(name.into(), td_string!(locale::request(), server.checkout.too_long, what = what, max = max).to_string());
            }
            v
        };
        let full_name = required("full_name", &input.full_name, td_string!(locale::request(), server.what.full_name), 100);
        let line1 = required("line1", &input.line1, td_string!(locale::request(), server.what.street), 120);
        let city = required("city", &input.city, td_string!(locale::request(), server.what.town), 80);
        let postcode = required("postcode", &input.postcode, td_string!(locale::request(), server.what.postcode), 12);
        let country = required("country", &input.country, td_string!(locale::request(), server.what.the_country), 60);
        let line2 = input.line2.trim().to_string();
        if line2.chars().count() > 120 {
            fields.insert("line2".into(), td_string!(locale::request(), server.checkout.line2).to_string());
        }
        if !postcode.is_empty() && !postcode.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
            fields.insert("postcode".into(), td_string!(locale::request(), server.checkout.postcode).to_string());
        }
        let phone = input.phone.trim().to_string();
        if !phone.is_empty() {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !allowed || !(6..=15).contains(&digits) {
                fields.insert("phone".into(), td_string!(locale::request(), server.checkout.phone).to_string());
            }
        }
        if !fields.is_empty() {
            return Err(AppError::from_fields(fields));
        }
        Ok(ShippingAddress { full_name, line1, line2, city, postcode, country, phone })
    }
}

/// Checkout idempotency keys are generated by the server when the checkout page is rendered.
pub fn check_idempotency_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if (8..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(key.to_string())
    } else {
        Err(AppError::invalid(td_string!(locale::request(), server.checkout.expired).to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseReceipt {
    pub purchase_id: PurchaseId,
    pub order_ids: Vec<crate::domain::OrderId>,
    pub total: Money,
    pub payment_reference: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> ShippingAddressInput {
        ShippingAddressInput {
            full_name: "Ana Lima".into(),
            line1: "12 Rua Augusta".into(),
            line2: "".into(),
            city: "Lisboa".into(),
            postcode: "1100-053".into(),
            country: "Portugal".into(),
            phone: "+351 912 345 678".into(),
        }
    }

    #[test]
    fn a_complete_address_is_accepted_and_trimmed() {
        let mut input = address();
        input.city = "  Lisboa ".into();
        let a = ShippingAddress::try_from(input).unwrap();
        assert_eq!(a.city, "Lisboa");
        assert_eq!(a.lines().len(), 4);
    }

    #[test]
    fn missing_address_fields_are_named() {
        let err = ShippingAddress::try_from(ShippingAddressInput::default()).unwrap_err();
        for f in ["full_name", "line1", "city", "postcode", "country"] {
            assert!(err.field(f).is_some(), "{f} should be reported");
        }
        assert!(err.field("phone").is_none(), "phone is optional");
    }

    #[test]
    fn odd_postcodes_and_phones_are_refused() {
        let mut input = address();
        input.postcode = "<script>".into();
        input.phone = "call me".into();
        let err = ShippingAddress::try_from(input).unwrap_err();
        assert!(err.field("postcode").is_some());
        assert!(err.field("phone").is_some());
    }

    #[test]
    fn quantities_stay_between_one_and_the_maximum() {
        assert_eq!(parse_quantity("3").unwrap(), 3);
        assert!(parse_quantity("0").is_err());
        assert!(parse_quantity("100").is_err());
        assert!(parse_quantity("two").is_err());
    }

    #[test]
    fn idempotency_keys_must_look_like_ours() {
        assert!(check_idempotency_key("3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b").is_ok());
        assert!(check_idempotency_key("short").is_err());
        assert!(check_idempotency_key("has spaces in it!").is_err());
    }

    #[test]
    fn a_cart_totals_items_and_shipping_per_shop() {
        let line = |price, qty| CartLine {
            product_id: ProductId(1), name: "x".into(), image: "".into(), unit_price: Money(price), quantity: qty, stock: 10,
        };
        let cart = CartView {
            groups: vec![
                CartShopGroup { shop_id: ShopId(1), shop_name: "A".into(), shop_slug: "a".into(), shipping: Money(490), lines: vec![line(1000, 2)] },
                CartShopGroup { shop_id: ShopId(2), shop_name: "B".into(), shop_slug: "b".into(), shipping: Money(0), lines: vec![line(250, 1)] },
            ],
        };
        assert_eq!(cart.item_count(), 3);
        assert_eq!(cart.total(), Money(2000 + 490 + 250));
    }
}
