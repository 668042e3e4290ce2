//! Orders as the buyer sees them. The full life-cycle rules arrive with live tracking; the status
//! names and the history (one event per change, with time and actor) are already the real ones.

use crate::domain::{checkout::ShippingAddress, Money, OrderId, ProductId, PurchaseId, ShopId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    Placed,
    Accepted,
    Refused,
    Shipped,
    InTransit,
    OutForDelivery,
    DeliveryException,
    Delivered,
    Completed,
    CancelledByBuyer,
    CancelledBySeller,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 11] = [
        OrderStatus::Placed,
        OrderStatus::Accepted,
        OrderStatus::Refused,
        OrderStatus::Shipped,
        OrderStatus::InTransit,
        OrderStatus::OutForDelivery,
        OrderStatus::DeliveryException,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::CancelledByBuyer,
        OrderStatus::CancelledBySeller,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Refused => "refused",
            OrderStatus::Shipped => "shipped",
            OrderStatus::InTransit => "in_transit",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::DeliveryException => "delivery_exception",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::CancelledByBuyer => "cancelled_by_buyer",
            OrderStatus::CancelledBySeller => "cancelled_by_seller",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "Placed",
            OrderStatus::Accepted => "Accepted by seller",
            OrderStatus::Refused => "Refused by seller",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::InTransit => "In transit",
            OrderStatus::OutForDelivery => "Out for delivery",
            OrderStatus::DeliveryException => "Delivery problem",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Completed => "Completed",
            OrderStatus::CancelledByBuyer => "Cancelled by you",
            OrderStatus::CancelledBySeller => "Cancelled by seller",
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderStatus::Refused | OrderStatus::Completed | OrderStatus::CancelledByBuyer | OrderStatus::CancelledBySeller
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: OrderId,
    pub purchase_id: PurchaseId,
    pub shop_name: String,
    pub shop_slug: String,
    pub status: OrderStatus,
    pub total: Money,
    pub item_count: i64,
    pub placed_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: ProductId,
    pub name: String,
    pub unit_price: Money,
    pub quantity: i64,
}

impl OrderLine {
    pub fn line_total(&self) -> Money {
        self.unit_price.times(self.quantity)
    }
}

/// One entry of the status history: what happened, when, by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub status: OrderStatus,
    pub at: String,
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: OrderId,
    pub purchase_id: PurchaseId,
    pub shop_id: ShopId,
    pub shop_name: String,
    pub shop_slug: String,
    pub status: OrderStatus,
    pub lines: Vec<OrderLine>,
    pub subtotal: Money,
    pub shipping: Money,
    pub total: Money,
    pub address: ShippingAddress,
    pub payment_reference: String,
    pub placed_at: String,
    /// Newest first.
    pub history: Vec<OrderEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }

    #[test]
    fn only_final_statuses_are_closed() {
        assert!(!OrderStatus::Placed.is_closed());
        assert!(!OrderStatus::Shipped.is_closed());
        assert!(OrderStatus::Completed.is_closed());
        assert!(OrderStatus::CancelledByBuyer.is_closed());
    }
}
