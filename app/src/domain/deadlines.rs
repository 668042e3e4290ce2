//! Order deadlines, lateness and delivery estimates. Times are UTC milliseconds since the epoch and
//! `now` is always an argument, so tests and background jobs can move time.

use crate::domain::order::{ActionKind, OrderStatus};

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// A seller must accept (or refuse) a new order within this time.
pub const ACCEPT_WITHIN_MS: i64 = 24 * HOUR_MS;
/// After delivery, the order stays open this long (a dispute may be opened), then completes.
pub const QUIET_PERIOD_MS: i64 = 14 * DAY_MS;
/// Business days a carrier takes within one country, and across borders.
pub const DOMESTIC_TRANSIT_DAYS: i64 = 2;
pub const INTERNATIONAL_TRANSIT_DAYS: i64 = 4;

/// Monday = 0 … Sunday = 6 (1 January 1970 was a Thursday).
pub fn weekday(ms: i64) -> i64 {
    (ms.div_euclid(DAY_MS) + 3).rem_euclid(7)
}

pub fn is_weekend(ms: i64) -> bool {
    weekday(ms) >= 5
}

/// `days` business days after `ms`, at the same time of day (weekends are skipped).
pub fn add_business_days(ms: i64, days: i64) -> i64 {
    let mut t = ms;
    for _ in 0..days.max(0) {
        t += DAY_MS;
        while is_weekend(t) {
            t += DAY_MS;
        }
    }
    t
}

/// When a new order must be accepted by.
pub fn accept_deadline(placed_at: i64) -> i64 {
    placed_at + ACCEPT_WITHIN_MS
}

/// When an order must be shipped by: the shop's handling time in business days (at least one).
pub fn ship_deadline(placed_at: i64, handling_days: i64) -> i64 {
    add_business_days(placed_at, handling_days.max(1))
}

/// The times that decide an order's deadlines and estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTimes {
    pub status: OrderStatus,
    pub accept_by: i64,
    pub ship_by: i64,
    pub shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    /// Shop and buyer in the same country.
    pub domestic: bool,
}

/// Which deadline an order has missed, and since when.
/// A deadline the seller has ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Accept,
    Ship,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Late {
    NotAccepted { since: i64 },
    NotShipped { since: i64 },
}

impl OrderTimes {
    /// The missed deadline, if any, at `now`.
    pub fn late(&self, now: i64) -> Option<Late> {
        match self.status {
            OrderStatus::Placed if now > self.accept_by => Some(Late::NotAccepted { since: self.accept_by }),
            OrderStatus::Placed | OrderStatus::Accepted if now > self.ship_by => Some(Late::NotShipped { since: self.ship_by }),
            _ => None,
        }
    }

    /// The deadlines still ahead of the seller: (accept, when) and/or (ship, when).
    pub fn open_deadlines(&self, now: i64) -> Vec<(Deadline, i64)> {
        let mut out = Vec::new();
        if self.status == OrderStatus::Placed && now <= self.accept_by {
            out.push((Deadline::Accept, self.accept_by));
        }
        if matches!(self.status, OrderStatus::Placed | OrderStatus::Accepted) && now <= self.ship_by {
            out.push((Deadline::Ship, self.ship_by));
        }
        out
    }

    /// The estimated delivery day while the order is still to be delivered.
    pub fn estimated_delivery(&self) -> Option<i64> {
        let waiting = matches!(self.status, OrderStatus::Placed | OrderStatus::Accepted) || self.status.is_on_the_way();
        if !waiting {
            return None;
        }
        let transit = if self.domestic { DOMESTIC_TRANSIT_DAYS } else { INTERNATIONAL_TRANSIT_DAYS };
        Some(add_business_days(self.shipped_at.unwrap_or(self.ship_by), transit))
    }

    /// What the marketplace must do on its own at `now`: cancel an order the seller did not accept
    /// in time, or complete a delivered order after the quiet period.
    pub fn due_action(&self, now: i64) -> Option<ActionKind> {
        match self.status {
            OrderStatus::Placed if now > self.accept_by => Some(ActionKind::CancelUnaccepted),
            OrderStatus::Delivered if self.delivered_at.is_some_and(|d| now >= d + QUIET_PERIOD_MS) => Some(ActionKind::Complete),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Monday 23 November 2026, 10:00 UTC.
    const MON: i64 = 1_795_428_000_000;

    fn times(status: OrderStatus) -> OrderTimes {
        OrderTimes {
            status,
            accept_by: accept_deadline(MON),
            ship_by: ship_deadline(MON, 2),
            shipped_at: None,
            delivered_at: None,
            domestic: true,
        }
    }

    #[test]
    fn weekdays_are_counted_from_the_epoch() {
        assert_eq!(weekday(0), 3, "1 January 1970 was a Thursday");
        assert_eq!(weekday(MON), 0);
        assert!(is_weekend(MON + 5 * DAY_MS) && is_weekend(MON + 6 * DAY_MS) && !is_weekend(MON + 7 * DAY_MS));
    }

    #[test]
    fn business_days_skip_weekends() {
        assert_eq!(add_business_days(MON, 2), MON + 2 * DAY_MS);
        let fri = MON + 4 * DAY_MS;
        assert_eq!(add_business_days(fri, 1), MON + 7 * DAY_MS, "Friday + 1 is Monday");
        let sat = MON + 5 * DAY_MS;
        assert_eq!(add_business_days(sat, 1), MON + 7 * DAY_MS, "Saturday + 1 is Monday");
        assert_eq!(add_business_days(MON, 0), MON);
    }

    #[test]
    fn a_seller_has_24_hours_to_accept_and_the_handling_time_to_ship() {
        assert_eq!(accept_deadline(MON), MON + DAY_MS);
        assert_eq!(ship_deadline(MON, 2), MON + 2 * DAY_MS);
        assert_eq!(ship_deadline(MON, 0), MON + DAY_MS, "at least one business day");
        assert_eq!(ship_deadline(MON + 4 * DAY_MS, 1), MON + 7 * DAY_MS, "Friday's order ships by Monday");
    }

    #[test]
    fn an_order_is_late_once_a_deadline_has_passed_and_not_before() {
        let t = times(OrderStatus::Placed);
        assert_eq!(t.late(MON + DAY_MS), None, "on the deadline is still in time");
        assert_eq!(t.late(MON + DAY_MS + 1), Some(Late::NotAccepted { since: MON + DAY_MS }));
        let accepted = times(OrderStatus::Accepted);
        assert_eq!(accepted.late(MON + DAY_MS + 1), None);
        assert_eq!(accepted.late(MON + 2 * DAY_MS + 1), Some(Late::NotShipped { since: MON + 2 * DAY_MS }));
        assert_eq!(times(OrderStatus::Shipped).late(MON + 30 * DAY_MS), None, "shipped orders are not late to ship");
        assert_eq!(times(OrderStatus::CancelledByBuyer).late(MON + 30 * DAY_MS), None);
    }

    #[test]
    fn open_deadlines_are_shown_until_they_pass() {
        assert_eq!(times(OrderStatus::Placed).open_deadlines(MON), vec![(Deadline::Accept, MON + DAY_MS), (Deadline::Ship, MON + 2 * DAY_MS)]);
        assert_eq!(times(OrderStatus::Accepted).open_deadlines(MON), vec![(Deadline::Ship, MON + 2 * DAY_MS)]);
        assert!(times(OrderStatus::Shipped).open_deadlines(MON).is_empty());
    }

    #[test]
    fn the_estimate_adds_transit_days_to_the_shipping_day() {
        let placed = times(OrderStatus::Placed);
        assert_eq!(placed.estimated_delivery(), Some(MON + 4 * DAY_MS), "ship by Wednesday + 2 business days");
        let abroad = OrderTimes { domestic: false, ..placed };
        assert_eq!(abroad.estimated_delivery(), Some(MON + 8 * DAY_MS), "Wednesday + 4 business days is next Tuesday");
        let shipped = OrderTimes { status: OrderStatus::InTransit, shipped_at: Some(MON), ..placed };
        assert_eq!(shipped.estimated_delivery(), Some(MON + 2 * DAY_MS));
        assert_eq!(times(OrderStatus::Delivered).estimated_delivery(), None);
    }

    #[test]
    fn the_marketplace_cancels_unaccepted_orders_and_completes_quiet_ones() {
        let placed = times(OrderStatus::Placed);
        assert_eq!(placed.due_action(MON + DAY_MS), None);
        assert_eq!(placed.due_action(MON + DAY_MS + 1), Some(ActionKind::CancelUnaccepted));
        let delivered = OrderTimes { status: OrderStatus::Delivered, delivered_at: Some(MON), ..placed };
        assert_eq!(delivered.due_action(MON + QUIET_PERIOD_MS - 1), None);
        assert_eq!(delivered.due_action(MON + QUIET_PERIOD_MS), Some(ActionKind::Complete));
        assert_eq!(times(OrderStatus::Accepted).due_action(MON + 30 * DAY_MS), None, "late shipments are flagged, not cancelled");
    }
}
