//! Money as an integer number of cents (one currency: euro).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const fn cents(cents: i64) -> Self { Money(cents) }

    pub fn times(self, quantity: i64) -> Money { Money(self.0.saturating_mul(quantity)) }

    /// As a person types it into a form: "12.50" (no symbol, no grouping).
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100)
    }

    /// Parses what a person types for a price: "12", "12.5", "12,50", "€12.50".
    pub fn parse(input: &str) -> Option<Money> {
        let s = input.trim().trim_start_matches('€').trim().replace(',', ".");
        if s.is_empty() { return None; }
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() { return None; }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let frac: i64 = match frac.len() { 0 => 0, 1 => frac.parse::<i64>().ok()? * 10, _ => frac.parse().ok()? };
        whole.checked_mul(100)?.checked_add(frac).map(Money)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money { Money(self.0.saturating_add(rhs.0)) }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money { iter.fold(Money(0), |a, b| a + b) }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        // Thousands separated by a thin space for readability on small screens.
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) { grouped.push(','); }
            grouped.push(c);
        }
        write!(f, "{sign}€{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_displays_as_euros_with_two_decimals() {
        assert_eq!(Money(0).to_string(), "€0.00");
        assert_eq!(Money(1999).to_string(), "€19.99");
        assert_eq!(Money(123456789).to_string(), "€1,234,567.89");
        assert_eq!(Money(-5).to_string(), "-€0.05");
    }

    #[test]
    fn money_parses_what_people_type() {
        assert_eq!(Money::parse("12"), Some(Money(1200)));
        assert_eq!(Money::parse("12.5"), Some(Money(1250)));
        assert_eq!(Money::parse("12,50"), Some(Money(1250)));
        assert_eq!(Money::parse(" €7.05 "), Some(Money(705)));
        assert_eq!(Money::parse(".5"), Some(Money(50)));
        assert_eq!(Money::parse(""), None);
        assert_eq!(Money::parse("abc"), None);
        assert_eq!(Money::parse("1.234"), None);
        assert_eq!(Money::parse("-3"), None);
    }

    #[test]
    fn money_sums_and_multiplies() {
        let total: Money = [Money(100), Money(250)].into_iter().sum();
        assert_eq!(total, Money(350));
        assert_eq!(Money(199).times(3), Money(597));
    }
}
