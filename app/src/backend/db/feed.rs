//! The per-user live feed (one entry per order change the user should see, numbered per user) and
//! in-app notifications.

use super::{DbResult, Tx};
use crate::backend::clock;
use crate::backend::db::orders::status_of;
use crate::domain::notification::NotificationView;
use crate::domain::order::{NotificationKind, OrderStatus};
use crate::domain::{OrderId, UserId};
use sqlx::{Any, AnyPool, FromRow};

/// Appends an entry to `user`'s feed and returns its sequence number. Taking the number updates
/// the user's row, which serialises writers per user: numbers become visible in order, so a reader
/// that has seen N and asks for "after N" never skips one that commits later.
/// Callers that write several users' feeds in one transaction do so in ascending user id order.
pub async fn append(tx: &mut Tx, user: UserId, order: OrderId, status: OrderStatus, now: i64) -> DbResult<i64> {
    let seq = sqlx::query_scalar::<Any, i64>("UPDATE users SET feed_seq = feed_seq + 1 WHERE id = $1 RETURNING feed_seq")
        .bind(user.0)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO user_feed (user_id, seq, order_id, status, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.0)
        .bind(seq)
        .bind(order.0)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

/// The newest sequence number of `user`'s feed (0 when empty).
pub async fn cursor(pool: &AnyPool, user: UserId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT feed_seq FROM users WHERE id = $1").bind(user.0).fetch_optional(pool).await?.unwrap_or(0))
}

/// Feed entries after `after`, oldest first: (seq, order, status).
pub async fn after(pool: &AnyPool, user: UserId, after: i64, limit: i64) -> DbResult<Vec<(i64, OrderId, OrderStatus)>> {
    let rows = sqlx::query_as::<Any, (i64, i64, String)>(
        "SELECT seq, order_id, status FROM user_feed WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(user.0)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(seq, order, status)| (seq, OrderId(order), status_of(&status))).collect())
}

/// Drops feed entries older than `before` (clients that far behind resync).
pub async fn prune(pool: &AnyPool, before: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM user_feed WHERE created_at < $1").bind(before).execute(pool).await?.rows_affected())
}

pub struct NewNotification<'a> {
    pub user: UserId,
    /// The order it is about (none for news about the person's shop).
    pub order: Option<OrderId>,
    /// Set for news about a claim: the notification leads to its room.
    pub claim: Option<crate::domain::ClaimId>,
    /// Set for news about a review: the notification leads to it.
    pub review: Option<crate::domain::ReviewId>,
    /// Set for news about an application to sell: the notification leads to it.
    pub application: Option<i64>,
    /// Set for news about a product (low stock, back in stock).
    pub product: Option<crate::domain::ProductId>,
    /// Set for news about a conversation (an answer is late, it became a claim).
    pub thread: Option<crate::domain::ThreadId>,
    pub kind: NotificationKind,
    pub title: &'a str,
    pub body: &'a str,
    /// What makes it unique for this user: "event:<history id>" or "late:<order id>".
    pub dedupe_key: &'a str,
}

/// Stores a notification unless this user already has one with the same key; `true` if stored.
pub async fn notify(tx: &mut Tx, n: &NewNotification<'_>, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO notifications (user_id, order_id, kind, title, body, dedupe_key, created_at, claim_id, review_id, application_id, product_id, thread_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (user_id, dedupe_key) DO NOTHING",
    )
    .bind(n.user.0)
    .bind(n.order.map(|o| o.0))
    .bind(n.kind.as_str())
    .bind(n.title)
    .bind(n.body)
    .bind(n.dedupe_key)
    .bind(now)
    .bind(n.claim.map(|c| c.0))
    .bind(n.review.map(|r| r.0))
    .bind(n.application)
    .bind(n.product.map(|p| p.0))
    .bind(n.thread.map(|t| t.0))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unread_count(pool: &AnyPool, user: UserId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.0)
        .fetch_one(pool)
        .await?)
}

#[derive(Debug, FromRow)]
struct NotificationRow {
    id: i64,
    order_id: Option<i64>,
    kind: String,
    application_id: Option<i64>,
    product_id: Option<i64>,
    thread_id: Option<i64>,
    claim_id: Option<i64>,
    review_id: Option<i64>,
    title: String,
    body: String,
    created_at: i64,
    read_at: Option<i64>,
}

/// `user`'s notifications, newest first.
pub async fn list(pool: &AnyPool, user: UserId, limit: i64) -> DbResult<Vec<NotificationView>> {
    let rows = sqlx::query_as::<Any, NotificationRow>(
        "SELECT id, order_id, kind, application_id, product_id, thread_id, claim_id, review_id, title, body, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user.0)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NotificationView {
            id: r.id,
            order_id: r.order_id.map(OrderId),
            href: match (r.claim_id, r.review_id, r.order_id, r.application_id, r.product_id) {
                // A conversation's news leads to it (even when it is about an order too).
                _ if r.thread_id.is_some() => format!("/messages/{}", r.thread_id.unwrap_or_default()),
                (Some(c), ..) => format!("/claims/{c}"),
                (None, Some(review), ..) => format!("/reviews#review-{review}"),
                (None, None, Some(order), ..) => format!("/orders/{order}"),
                (None, None, None, Some(_), _) => "/sell".to_string(),
                // A product of the seller's running low: their stock page.
                (None, None, None, None, Some(_)) if r.kind == NotificationKind::LowStock.as_str() => "/seller/products".to_string(),
                (None, None, None, None, Some(p)) => format!("/product/{p}"),
                // News about the person's shop (suspended, reinstated).
                (None, None, None, None, None) if r.kind == NotificationKind::Shop.as_str() => "/seller/shop".to_string(),
                (None, None, None, None, None) => "/notifications".to_string(),
            },
            title: r.title,
            body: r.body,
            at: clock::display(r.created_at),
            unread: r.read_at.is_none(),
        })
        .collect())
}

/// Marks one of `user`'s notifications read (someone else's id changes nothing).
pub async fn mark_read(pool: &AnyPool, user: UserId, id: i64, now: i64) -> DbResult<bool> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(user.0)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_all_read(pool: &AnyPool, user: UserId, now: i64) -> DbResult<u64> {
    Ok(sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(user.0)
        .execute(pool)
        .await?
        .rows_affected())
}
