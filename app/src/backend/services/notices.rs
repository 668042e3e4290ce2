//! Telling people about a change: a notification for each recipient, and an entry in their live
//! feed so the bell updates at once. Used by claims and reviews (orders build theirs from the
//! order's history).

use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::{orders, DbError, Tx};
use crate::domain::order::NotificationKind;
use crate::domain::{ClaimId, OrderId, ReviewId, UserId};

/// What the recipients are told: a title, the text, and what makes it unique per recipient.
pub struct Notice<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub key: &'a str,
}

/// What a notice is about (where it leads).
#[derive(Clone, Copy)]
pub enum About {
    Claim(ClaimId),
    Review(ReviewId),
}

/// Notifies `recipients` (but not `except`) about `order`; written in ascending id order (one lock
/// order for every writer). Returns who was told, for the caller to wake their feeds after commit.
pub async fn tell(tx: &mut Tx, order: OrderId, about: About, recipients: &[UserId], except: Option<UserId>, notice: Notice<'_>, now: i64) -> Result<Vec<UserId>, DbError> {
    let Notice { title, body, key } = notice;
    let mut users: Vec<UserId> = recipients.iter().copied().filter(|u| Some(*u) != except).collect();
    users.sort();
    users.dedup();
    let status = orders::status_in(tx, order).await?;
    for u in &users {
        feed::append(tx, *u, order, status, now).await?;
    }
    let (claim, review, kind) = match about {
        About::Claim(c) => (Some(c), None, NotificationKind::Claim),
        About::Review(r) => (None, Some(r), NotificationKind::Review),
    };
    for u in &users {
        let n = NewNotification { user: *u, order: Some(order), claim, review, application: None, product: None, thread: None, kind, title, body, dedupe_key: key };
        feed::notify(tx, &n, now).await?;
    }
    Ok(users)
}
