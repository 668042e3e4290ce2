//! In-app notifications as the browser sees them.

use crate::domain::OrderId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub order_id: OrderId,
    /// Where the notification leads: the order, or the claim's room.
    pub href: String,
    pub title: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
}
