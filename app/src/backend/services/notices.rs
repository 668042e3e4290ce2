//! Telling people about a change: a notification for each recipient, and an entry in their live
//! feed so the bell updates at once. Used by claims and reviews (orders build theirs from the
//! order's history).

use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::{orders, users, DbError, Tx};
use crate::domain::locale::{self, Locale};
use crate::domain::order::NotificationKind;
use crate::domain::{ClaimId, OrderId, ReviewId, UserId};

/// The language `user` reads (kept on the account), English when they never chose one: what is
/// written to them (notifications, e-mails) is written in it, whoever or whatever caused it.
pub async fn language_of(tx: &mut Tx, user: UserId) -> Result<Locale, DbError> {
    Ok(users::language_in(tx, user).await?.as_deref().and_then(locale::from_code).unwrap_or(Locale::en))
}

/// What the recipients are told: the title and the text in a recipient's language, and what makes
/// it unique per recipient.
pub struct Notice<'a> {
    pub text: &'a (dyn Fn(Locale) -> (String, String) + Sync),
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
    let Notice { text, key } = notice;
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
        let (title, body) = text(language_of(tx, *u).await?);
        let n = NewNotification { user: *u, order: Some(order), claim, review, application: None, product: None, thread: None, kind, title: &title, body: &body, dedupe_key: key };
        feed::notify(tx, &n, now).await?;
    }
    Ok(users)
}
