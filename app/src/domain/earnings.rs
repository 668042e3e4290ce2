//! What a seller earns: the marketplace's commission (a rate per category, in basis points, kept
//! on each order line at the sale), each order's statement, and the shop's ledger and balances.
//! All money in integer cents; rounding is to the nearest cent, half up, per order line.

use crate::domain::{Money, OrderId};
use crate::domain::locale;
use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// The highest rate an admin may set: 50 %.
pub const MAX_RATE_BP: i64 = 5_000;
/// An order's net becomes payable this long after delivery with no open claim (the order completes).
pub const PAYABLE_AFTER_DAYS: i64 = 14;

/// `bp` basis points of `cents`, rounded to the nearest cent (half up).
pub fn commission_of(cents: i64, bp: i64) -> i64 {
    (cents * bp + 5_000).div_euclid(10_000)
}

/// A rate as people read it: "10 %", "12.5 %".
pub fn rate_text(bp: i64) -> String {
    let (whole, rest) = (bp / 100, bp % 100);
    match rest {
        0 => format!("{whole} %"),
        r if r % 10 == 0 => format!("{whole}.{} %", r / 10),
        r => format!("{whole}.{r:02} %"),
    }
}

/// A rate in `l`'s writing: "12.5 %" in English, « 12,5 % » in French.
pub fn rate_in(l: Locale, bp: i64) -> String {
    match l {
        Locale::en => rate_text(bp),
        Locale::fr => rate_text(bp).replace('.', ","),
    }
}

/// A rate typed by an admin ("12", "12.5", "12,50 %"): basis points, or a message.
pub fn parse_rate(input: &str) -> Result<i64, String> {
    let t = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let bad = || td_string!(locale::request(), server.earnings.rate, max = MAX_RATE_BP / 100).to_string();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || whole.len() > 3 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    let bp = whole * 100 + frac;
    if bp > MAX_RATE_BP {
        return Err(bad());
    }
    Ok(bp)
}

/// One line of an order's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub amount: Money,
    pub rate_bp: i64,
    pub commission: Money,
}

/// An order's statement: what the buyer paid, what the marketplace takes, what the seller is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub order: OrderId,
    pub lines: Vec<StatementLine>,
    pub shipping: Money,
    pub commission: Money,
    pub refunded: Money,
    /// The part of the commission given back with the refunds (in proportion to what was refunded).
    pub commission_returned: Money,
    pub net: Money,
    /// Due to the seller (completed), or still pending.
    pub payable: bool,
}

impl Statement {
    /// `lines`: (name, quantity, unit price in cents, commission rate in basis points).
    pub fn new(order: OrderId, lines: &[(String, i64, i64, i64)], shipping: i64, refunded: i64, payable: bool) -> Statement {
        let lines: Vec<StatementLine> = lines
            .iter()
            .map(|(name, quantity, unit, bp)| {
                let amount = unit * quantity;
                StatementLine { name: name.clone(), quantity: *quantity, unit_price: Money(*unit), amount: Money(amount), rate_bp: *bp, commission: Money(commission_of(amount, *bp)) }
            })
            .collect();
        let items: i64 = lines.iter().map(|l| l.amount.0).sum();
        let commission: i64 = lines.iter().map(|l| l.commission.0).sum();
        let returned = commission_returned(commission, refunded, items + shipping);
        Statement {
            order,
            lines,
            shipping: Money(shipping),
            commission: Money(commission),
            refunded: Money(refunded),
            commission_returned: Money(returned),
            net: Money(items + shipping - commission - refunded + returned),
            payable,
        }
    }

    /// The rate of the commission in `l`: "10 %", or each rate when the lines differ ("10 % and 15 %").
    pub fn rates_in(&self, l: Locale) -> String {
        let mut rates: Vec<i64> = self.lines.iter().map(|line| line.rate_bp).collect();
        rates.sort_unstable();
        rates.dedup();
        let words: Vec<String> = rates.into_iter().map(|bp| rate_in(l, bp)).collect();
        match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => td_string!(l, earnings.rates_and, first = rest.join(", "), last = last.clone()).to_string(),
            _ => words.concat(),
        }
    }

    /// The order's net before any refund: what its sale puts in the ledger.
    pub fn sale_net(&self) -> i64 {
        self.lines.iter().map(|l| l.amount.0 - l.commission.0).sum::<i64>() + self.shipping.0
    }
}

/// The commission given back when `refunded` of an order's `total` is refunded: in proportion,
/// rounded down (a full refund returns all of it).
pub fn commission_returned(commission: i64, refunded: i64, total: i64) -> i64 {
    if total <= 0 || refunded <= 0 {
        return 0;
    }
    if refunded >= total {
        return commission;
    }
    commission * refunded / total
}

/// What a refund posted after an earlier posting takes from the ledger: the refunds grew from
/// `before` to `after` cents; the debit is the growth less the commission returned with it.
pub fn refund_debit(commission: i64, total: i64, before: i64, after: i64) -> i64 {
    (after - before) - (commission_returned(commission, after, total) - commission_returned(commission, before, total))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    Sale,
    Refund,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Refund => "refund",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        [EntryKind::Sale, EntryKind::Refund].into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Sale => "Order completed",
            EntryKind::Refund => "Refund",
        }
    }
}

/// One posting in a shop's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub order: OrderId,
    pub kind: EntryKind,
    pub amount: Money,
    pub at: String,
    pub paid_in: Option<i64>,
}

/// A payout (simulated: no money moves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub id: i64,
    pub amount: Money,
    pub at: String,
}

/// The earnings page: balances, the ledger (newest first), payouts, and the months with postings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarningsPage {
    pub shop_name: String,
    /// Nets of orders under way (not completed yet, not cancelled).
    pub pending: Money,
    /// Posted and not paid out (may be negative after a refund that followed a payout).
    pub payable: Money,
    pub paid: Money,
    pub entries: Vec<LedgerEntry>,
    pub payouts: Vec<Payout>,
    /// "2026-12", newest first.
    pub months: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_in_each_language() {
        assert_eq!((rate_in(Locale::en, 1250), rate_in(Locale::fr, 1250)), ("12.5 %".to_string(), "12,5 %".to_string()));
        let statement = |rates: &[i64]| {
            let lines: Vec<(String, i64, i64, i64)> = rates.iter().map(|&bp| ("Pan".to_string(), 1, 1000, bp)).collect();
            Statement::new(OrderId(1), &lines, 490, 0, false)
        };
        assert_eq!(statement(&[1000, 1000]).rates_in(Locale::fr), "10 %");
        assert_eq!(statement(&[1500, 1000, 1250]).rates_in(Locale::en), "10 %, 12.5 % and 15 %");
        assert_eq!(statement(&[1500, 1000, 1250]).rates_in(Locale::fr), "10 %, 12,5 % et 15 %");
    }

    #[test]
    fn commission_rounds_to_the_nearest_cent_per_line() {
        assert_eq!(commission_of(1000, 1000), 100);
        assert_eq!(commission_of(1005, 1000), 101, "100.5 rounds up");
        assert_eq!(commission_of(1004, 1000), 100);
        assert_eq!(commission_of(3333, 1250), 417);
        assert_eq!(commission_of(0, 1000), 0);
        assert_eq!(commission_of(999, 0), 0);
    }

    #[test]
    fn rates_read_and_write_as_people_type_them() {
        assert_eq!(parse_rate("12"), Ok(1200));
        assert_eq!(parse_rate(" 12.5 % "), Ok(1250));
        assert_eq!(parse_rate("7,25"), Ok(725));
        assert_eq!(parse_rate("0"), Ok(0));
        assert_eq!(parse_rate("50"), Ok(5000));
        assert_eq!(parse_rate("12."), Ok(1200), "a trailing point is forgiven");
        for bad in ["", "51", "-1", "abc", "1.234", ".5", "1e3", "12.5.1"] {
            assert!(parse_rate(bad).is_err(), "{bad:?}");
        }
        assert_eq!(rate_text(1000), "10 %");
        assert_eq!(rate_text(1250), "12.5 %");
        assert_eq!(rate_text(725), "7.25 %");
    }

    #[test]
    fn a_statement_adds_up() {
        let s = Statement::new(OrderId(1), &[("Bowl".into(), 2, 1250, 1000), ("Spoon".into(), 1, 499, 1500)], 495, 0, false);
        assert_eq!(s.lines[0].commission, Money(250));
        assert_eq!(s.lines[1].commission, Money(75), "74.85 rounds to 75");
        assert_eq!(s.commission, Money(325));
        assert_eq!(s.net, Money(2500 + 499 + 495 - 325));
        assert_eq!(s.sale_net(), s.net.0);
    }

    #[test]
    fn refunds_return_their_share_of_the_commission_and_sum_to_the_statement() {
        let lines = [("Bowl".into(), 1, 10_000, 1000)];
        let full = Statement::new(OrderId(1), &lines, 0, 10_000, true);
        assert_eq!(full.net, Money(0), "a full refund leaves nothing to either side");
        let half = Statement::new(OrderId(1), &lines, 0, 5_000, true);
        assert_eq!(half.commission_returned, Money(500));
        assert_eq!(half.net, Money(4_500));
        // Refunds posted in steps take from the ledger exactly what the statement says.
        let (commission, total) = (1000, 10_000);
        let steps = [0, 1_234, 5_000, 9_999, 10_000];
        let debits: i64 = steps.windows(2).map(|w| refund_debit(commission, total, w[0], w[1])).sum();
        assert_eq!(full.sale_net() - debits, full.net.0);
        assert_eq!(half.sale_net() - refund_debit(commission, total, 0, 5_000), half.net.0);
    }
}
