//! In-app notifications as the browser sees them.

use crate::domain::OrderId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    /// The order it is about (none for news about the person's shop).
    pub order_id: Option<OrderId>,
    /// Where the notification leads: the order, or the claim's room.
    pub href: String,
    pub title: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
}
