//! What the live streams send, as JSON in each server-sent event's `data`. Shared by the server
//! (which writes it) and the browser (which reads it).

use crate::domain::order::OrderStatus;
use crate::domain::OrderId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// The stream is open; `cursor` is where it stands (the SSE id, sent back on resume).
    Ready { cursor: i64, unread: Option<i64> },
    /// An order changed. `seq` is the per-user feed sequence number (feed stream) or the order's
    /// history entry id (order stream): the SSE id a reconnecting client resumes after.
    Order { seq: i64, order_id: OrderId, status: OrderStatus, unread: Option<i64> },
    /// The client fell too far behind to catch up event by event: reload what it shows.
    Resync { cursor: i64, unread: Option<i64> },
    /// The person's conversations changed: how many have a message they have not read, and when
    /// the newest message came (inbox pages reread when it moves).
    Messages { cursor: i64, unread: Option<i64>, messages: i64, stamp: i64 },
}

impl LiveMessage {
    pub fn cursor(&self) -> i64 {
        match self {
            LiveMessage::Ready { cursor, .. } | LiveMessage::Resync { cursor, .. } => *cursor,
            LiveMessage::Order { seq, .. } => *seq,
            LiveMessage::Messages { cursor, .. } => *cursor,
        }
    }

    pub fn unread(&self) -> Option<i64> {
        match self {
            LiveMessage::Ready { unread, .. } | LiveMessage::Resync { unread, .. } | LiveMessage::Order { unread, .. } | LiveMessage::Messages { unread, .. } => *unread,
        }
    }
}

/// At most this many missed events are replayed on resume; further behind, the client resyncs.
pub const MAX_REPLAY: i64 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_json_that_round_trips() {
        let m = LiveMessage::Order { seq: 7, order_id: OrderId(3), status: OrderStatus::Shipped, unread: Some(2) };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"type":"order","seq":7,"order_id":3,"status":"Shipped","unread":2}"#);
        assert_eq!(serde_json::from_str::<LiveMessage>(&json).unwrap(), m);
        assert_eq!(m.cursor(), 7);
    }
}
