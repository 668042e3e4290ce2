//! Reviews, sellers' replies (the same table: both are moderated the same way), reports, the
//! moderation decisions' audit log, ratings recomputed from published reviews, and the figures
//! behind seller performance and the Top seller badge.

use super::{Arg, DbError, DbResult, SqlBuilder, Tx};
use crate::domain::catalog::Rating;
use crate::domain::review::{QueueReason, CLAIM_LEASE_MS};
use crate::domain::{OrderId, ProductId, ReviewId, ShopId, UserId};
use sqlx::AssertSqlSafe;
use sqlx::{Any, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    /// Reviews and replies: the order reviewed. Public questions: none.
    pub order_id: Option<i64>,
    pub product_id: i64,
    pub shop_id: i64,
    pub author_id: i64,
    pub stars: Option<i64>,
    pub seller_stars: Option<i64>,
    pub title: String,
    pub body: String,
    pub state: String,
    pub queue: Option<String>,
    pub queued_at: Option<i64>,
    pub flags: String,
    pub risk: i64,
    pub version: i64,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<i64>,
    pub excluded_moderator: Option<i64>,
    pub reject_reason: Option<String>,
    pub reject_note: Option<String>,
    pub appealed: i64,
    pub appeal_text: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    /// Public questions: the conversation they come from.
    pub thread_id: Option<i64>,
}

impl ReviewRow {
    pub fn is_reply(&self) -> bool {
        self.kind == "reply"
    }

    /// A buyer's question and the seller's answer, published on the product page.
    pub fn is_question(&self) -> bool {
        self.kind == "question"
    }

    pub fn queue(&self) -> Option<QueueReason> {
        self.queue.as_deref().and_then(QueueReason::parse)
    }

    /// The moderator holding the item at `now` (a claim lapses after `CLAIM_LEASE_MS`).
    pub fn holder(&self, now: i64) -> Option<i64> {
        self.claimed_by.filter(|_| self.claimed_at.is_some_and(|t| t >= now - CLAIM_LEASE_MS))
    }
}

const COLUMNS: &str = "r.id, r.kind, r.parent_id, r.order_id, r.product_id, r.shop_id, r.author_id, r.stars, r.seller_stars, \
     r.title, r.body, r.state, r.queue, r.queued_at, r.flags, r.risk, r.version, r.claimed_by, r.claimed_at, \
     r.excluded_moderator, r.reject_reason, r.reject_note, r.appealed, r.appeal_text, r.created_at, r.updated_at, r.published_at, r.thread_id";

pub async fn get(pool: &AnyPool, id: ReviewId) -> DbResult<Option<ReviewRow>> {
    Ok(sqlx::query_as::<Any, ReviewRow>(AssertSqlSafe(format!("SELECT {COLUMNS} FROM reviews r WHERE r.id = $1")))
        .bind(id.0)
        .fetch_optional(pool)
        .await?)
}

pub async fn get_in(tx: &mut Tx, id: ReviewId) -> DbResult<Option<ReviewRow>> {
    Ok(sqlx::query_as::<Any, ReviewRow>(AssertSqlSafe(format!("SELECT {COLUMNS} FROM reviews r WHERE r.id = $1")))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?)
}

/// The buyer's review of one line of an order.
pub async fn of_line(pool: &AnyPool, order: OrderId, product: ProductId) -> DbResult<Option<ReviewRow>> {
    Ok(sqlx::query_as::<Any, ReviewRow>(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reviews r WHERE r.kind = 'review' AND r.order_id = $1 AND r.product_id = $2"
    )))
    .bind(order.0)
    .bind(product.0)
    .fetch_optional(pool)
    .await?)
}

/// The seller's reply to a review.
pub async fn reply_to(pool: &AnyPool, review: ReviewId) -> DbResult<Option<ReviewRow>> {
    Ok(sqlx::query_as::<Any, ReviewRow>(AssertSqlSafe(format!("SELECT {COLUMNS} FROM reviews r WHERE r.kind = 'reply' AND r.parent_id = $1")))
        .bind(review.0)
        .fetch_optional(pool)
        .await?)
}

/// What a review of one order line needs to know about it.
#[derive(Debug, FromRow)]
pub struct LineFacts {
    pub buyer_id: i64,
    pub status: String,
    pub shop_id: i64,
    pub shop_owner_id: i64,
    pub shop_name: String,
    pub product_name: String,
}

pub async fn line_facts(pool: &AnyPool, order: OrderId, product: ProductId) -> DbResult<Option<LineFacts>> {
    Ok(sqlx::query_as::<Any, LineFacts>(
        "SELECT o.buyer_id, o.status, o.shop_id, s.owner_id AS shop_owner_id, s.name AS shop_name, i.product_name \
         FROM orders o JOIN order_items i ON i.order_id = o.id JOIN shops s ON s.id = o.shop_id \
         WHERE o.id = $1 AND i.product_id = $2",
    )
    .bind(order.0)
    .bind(product.0)
    .fetch_optional(pool)
    .await?)
}

/// Another review of the same order already rates the seller (and was not rejected).
pub async fn seller_rated_elsewhere(pool: &AnyPool, order: OrderId, product: ProductId) -> DbResult<bool> {
    let n = sqlx::query_scalar::<Any, i64>(
        "SELECT COUNT(*) FROM reviews WHERE kind = 'review' AND order_id = $1 AND product_id <> $2 \
         AND seller_stars IS NOT NULL AND state <> 'rejected'",
    )
    .bind(order.0)
    .bind(product.0)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Texts to compare a new one with: the latest reviews (or replies) about the same shop (hence
/// product), and the author's own elsewhere, whoever wrote them: up to `limit` of each.
pub async fn earlier_texts(pool: &AnyPool, kind: &str, shop: ShopId, author: UserId, except: Option<ReviewId>, limit: i64) -> DbResult<Vec<String>> {
    let rows = sqlx::query_as::<Any, (String, String)>(
        "SELECT title, body FROM (SELECT title, body FROM reviews WHERE shop_id = $2 AND kind = $1 AND id <> $4 ORDER BY id DESC LIMIT $5) s \
         UNION ALL \
         SELECT title, body FROM (SELECT title, body FROM reviews WHERE author_id = $3 AND kind = $1 AND shop_id <> $2 AND id <> $4 \
         ORDER BY id DESC LIMIT $5) a",
    )
    .bind(kind)
    .bind(shop.0)
    .bind(author.0)
    .bind(except.map_or(0, |r| r.0))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(t, b)| format!("{t}\n{b}")).collect())
}

/// Reviews written since `since` for the product, and for the shop.
pub async fn recent_counts(pool: &AnyPool, product: ProductId, shop: ShopId, since: i64) -> DbResult<(i64, i64)> {
    Ok(sqlx::query_as::<Any, (i64, i64)>(
        "SELECT CAST(COALESCE(SUM(CASE WHEN product_id = $1 THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*) FROM reviews \
         WHERE kind = 'review' AND shop_id = $2 AND created_at >= $3",
    )
    .bind(product.0)
    .bind(shop.0)
    .bind(since)
    .fetch_one(pool)
    .await?)
}

pub struct NewRow<'a> {
    pub kind: &'a str,
    pub parent: Option<ReviewId>,
    pub order: Option<OrderId>,
    /// Public questions: the conversation.
    pub thread: Option<crate::domain::ThreadId>,
    pub product: ProductId,
    pub shop: ShopId,
    pub author: UserId,
    pub stars: Option<u8>,
    pub seller_stars: Option<u8>,
    pub title: &'a str,
    pub body: &'a str,
    pub flags: &'a str,
    pub risk: i64,
}

/// A new review or reply, pending, in the queue. A second review of the same line (or a second
/// reply to a review) is a conflict.
pub async fn insert(tx: &mut Tx, r: &NewRow<'_>, now: i64) -> DbResult<ReviewId> {
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO reviews (kind, parent_id, order_id, product_id, shop_id, author_id, stars, seller_stars, title, body, \
         state, queue, queued_at, flags, risk, created_at, updated_at, thread_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', 'new', $11, $12, $13, $11, $11, $14) RETURNING id",
    )
    .bind(r.kind)
    .bind(r.parent.map(|p| p.0))
    .bind(r.order.map(|o| o.0))
    .bind(r.product.0)
    .bind(r.shop.0)
    .bind(r.author.0)
    .bind(r.stars.map(i64::from))
    .bind(r.seller_stars.map(i64::from))
    .bind(r.title)
    .bind(r.body)
    .bind(now)
    .bind(r.flags)
    .bind(r.risk)
    .bind(r.thread.map(|t| t.0))
    .fetch_one(&mut **tx)
    .await?;
    Ok(ReviewId(id))
}

pub struct Edit<'a> {
    pub stars: Option<u8>,
    pub seller_stars: Option<u8>,
    pub title: &'a str,
    pub body: &'a str,
    pub flags: &'a str,
    pub risk: i64,
    pub queue: QueueReason,
}

/// The author's edit of a pending or published item: back to pending, screened anew, a new
/// version (a moderator's decision on the old text no longer applies); `false` if it is neither
/// (rejected, or not theirs).
pub async fn edit(tx: &mut Tx, id: ReviewId, author: UserId, e: &Edit<'_>, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE reviews SET stars = $1, seller_stars = $2, title = $3, body = $4, flags = $5, risk = $6, queue = $7, \
         queued_at = $8, updated_at = $8, state = 'pending', version = version + 1, claimed_by = NULL, claimed_at = NULL \
         WHERE id = $9 AND author_id = $10 AND state IN ('pending', 'published')",
    )
    .bind(e.stars.map(i64::from))
    .bind(e.seller_stars.map(i64::from))
    .bind(e.title)
    .bind(e.body)
    .bind(e.flags)
    .bind(e.risk)
    .bind(e.queue.as_str())
    .bind(now)
    .bind(id.0)
    .bind(author.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The conditions under which `moderator` may act on an item: it is in the queue, nobody else
/// holds a live claim on it, and it is not an appeal against their own rejection.
const FREE_FOR: &str = "queue IS NOT NULL AND (claimed_by IS NULL OR claimed_by = $1 OR claimed_at < $2) \
     AND (excluded_moderator IS NULL OR excluded_moderator <> $1 OR queue <> 'appeal')";

/// Claims an item for `moderator` (a conditional update: of two moderators at once, one wins).
pub async fn claim(pool: &AnyPool, id: ReviewId, moderator: UserId, now: i64) -> DbResult<bool> {
    let done = sqlx::query(AssertSqlSafe(format!("UPDATE reviews SET claimed_by = $1, claimed_at = $3 WHERE id = $4 AND {FREE_FOR}")))
        .bind(moderator.0)
        .bind(now - CLAIM_LEASE_MS)
        .bind(now)
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Decision<'a> {
    pub approve: bool,
    pub reason: Option<&'a str>,
    pub note: &'a str,
    /// The version the moderator read.
    pub version: i64,
    /// Bulk approval: only items without flags that are new or edited.
    pub clean_only: bool,
}

/// Publishes or rejects an item as `moderator` decided, if it is still the version they read and
/// nobody else holds it; `false` and no change otherwise. A rejection keeps who rejected, so an
/// appeal goes to somebody else.
pub async fn decide(tx: &mut Tx, id: ReviewId, moderator: UserId, d: &Decision<'_>, risk: i64, now: i64) -> DbResult<bool> {
    let clean = if d.clean_only { " AND risk = 0 AND queue IN ('new', 'edited')" } else { "" };
    let done = sqlx::query(AssertSqlSafe(format!(
        "UPDATE reviews SET state = CASE WHEN $9 = 1 THEN 'published' ELSE 'rejected' END, \
         published_at = CASE WHEN $9 = 1 AND state <> 'published' THEN $3 ELSE published_at END, \
         reject_reason = $4, reject_note = $5, excluded_moderator = CASE WHEN $9 = 1 THEN excluded_moderator ELSE $1 END, \
         queue = NULL, queued_at = NULL, claimed_by = NULL, claimed_at = NULL, risk = $6, updated_at = $3 \
         WHERE id = $7 AND version = $8 AND {FREE_FOR}{clean}"
    )))
    .bind(moderator.0)
    .bind(now - CLAIM_LEASE_MS)
    .bind(now)
    .bind(if d.approve { None } else { d.reason })
    .bind(if d.approve { None } else { Some(d.note) })
    .bind(risk)
    .bind(id.0)
    .bind(d.version)
    .bind(i64::from(d.approve))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The audit log: the decision, and the item as it was judged.
pub async fn record_decision(tx: &mut Tx, judged: &ReviewRow, moderator: UserId, d: &Decision<'_>, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO review_decisions (review_id, moderator_id, action, reason, note, queue, flags, title, body, stars, version, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(judged.id)
    .bind(moderator.0)
    .bind(if d.approve { "approved" } else { "rejected" })
    .bind(d.reason)
    .bind(d.note)
    .bind(judged.queue.as_deref().unwrap_or("new"))
    .bind(judged.flags.as_str())
    .bind(judged.title.as_str())
    .bind(judged.body.as_str())
    .bind(judged.stars)
    .bind(judged.version)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks the item's open reports as judged.
pub async fn resolve_reports(tx: &mut Tx, id: ReviewId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE review_reports SET resolved_at = $1 WHERE review_id = $2 AND resolved_at IS NULL")
        .bind(now)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds weight to the queue position of reported items.
pub const REPORT_WEIGHT: i64 = 10;

/// Records a report on a published item and puts it back in the queue (it stays published while
/// a moderator looks). One report per person and item: a second is a conflict.
pub async fn report(tx: &mut Tx, id: ReviewId, reporter: UserId, reason: &str, note: &str, now: i64) -> DbResult<bool> {
    sqlx::query("INSERT INTO review_reports (review_id, reporter_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0)
        .bind(reporter.0)
        .bind(reason)
        .bind(note)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query(
        "UPDATE reviews SET queue = COALESCE(queue, 'reported'), queued_at = COALESCE(queued_at, $1), risk = risk + $2 \
         WHERE id = $3 AND state = 'published'",
    )
    .bind(now)
    .bind(REPORT_WEIGHT)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The author appeals a rejection, once: back to the queue, for another moderator.
pub async fn appeal(tx: &mut Tx, id: ReviewId, author: UserId, text: &str, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE reviews SET appealed = 1, appeal_text = $1, queue = 'appeal', queued_at = $2, updated_at = $2 \
         WHERE id = $3 AND author_id = $4 AND state = 'rejected' AND appealed = 0",
    )
    .bind(text)
    .bind(now)
    .bind(id.0)
    .bind(author.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Recomputes a product's and its shop's ratings from published reviews only: the product's stars,
/// and the seller's stars (one per order).
pub async fn recompute_ratings(tx: &mut Tx, product: ProductId, shop: ShopId) -> DbResult<()> {
    sqlx::query(
        "UPDATE products SET \
         rating_sum = (SELECT CAST(COALESCE(SUM(stars), 0) AS BIGINT) FROM reviews WHERE kind = 'review' AND state = 'published' AND product_id = $1), \
         rating_count = (SELECT COUNT(*) FROM reviews WHERE kind = 'review' AND state = 'published' AND product_id = $1) \
         WHERE id = $1",
    )
    .bind(product.0)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE shops SET \
         rating_sum = (SELECT CAST(COALESCE(SUM(seller_stars), 0) AS BIGINT) FROM reviews WHERE kind = 'review' AND state = 'published' AND shop_id = $1), \
         rating_count = (SELECT COUNT(seller_stars) FROM reviews WHERE kind = 'review' AND state = 'published' AND shop_id = $1) \
         WHERE id = $1",
    )
    .bind(shop.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The queue: everything waiting for a moderator, riskiest first, then oldest.
#[derive(Debug, FromRow)]
pub struct QueueRow {
    #[sqlx(flatten)]
    pub review: ReviewRow,
    pub product_name: String,
    pub shop_name: String,
    pub author_name: String,
    pub author_since: i64,
    pub order_created_at: Option<i64>,
    pub order_delivered_at: Option<i64>,
    pub claimer_name: Option<String>,
    pub parent_title: Option<String>,
    pub parent_body: Option<String>,
}

pub async fn queue(pool: &AnyPool, limit: i64) -> DbResult<Vec<QueueRow>> {
    Ok(sqlx::query_as::<Any, QueueRow>(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {} AS product_name, s.name AS shop_name, u.display_name AS author_name, u.created_at AS author_since, \
         o.created_at AS order_created_at, o.delivered_at AS order_delivered_at, m.display_name AS claimer_name, \
         pr.title AS parent_title, pr.body AS parent_body \
         FROM reviews r JOIN products p ON p.id = r.product_id JOIN shops s ON s.id = r.shop_id JOIN users u ON u.id = r.author_id \
         LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN users m ON m.id = r.claimed_by LEFT JOIN reviews pr ON pr.id = r.parent_id \
         WHERE r.queue IS NOT NULL ORDER BY r.risk DESC, r.queued_at, r.id LIMIT $1",
        super::product_name()
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

pub async fn waiting(pool: &AnyPool) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM reviews WHERE queue IS NOT NULL").fetch_one(pool).await?)
}

fn in_list(q: &mut SqlBuilder, ids: &[i64]) {
    q.push("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Int(*id));
    }
    q.push(")");
}

/// Per author: (author, written, published, rejected).
pub async fn author_counts(pool: &AnyPool, authors: &[i64]) -> DbResult<Vec<(i64, i64, i64, i64)>> {
    if authors.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(
        "SELECT author_id, COUNT(*), CAST(COALESCE(SUM(CASE WHEN state = 'published' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN state = 'rejected' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM reviews WHERE author_id IN ",
    );
    in_list(&mut q, authors);
    q.push(" GROUP BY author_id");
    q.fetch_all(pool).await
}

/// Per buyer: (buyer, orders).
pub async fn order_counts(pool: &AnyPool, buyers: &[i64]) -> DbResult<Vec<(i64, i64)>> {
    if buyers.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new("SELECT buyer_id, COUNT(*) FROM orders WHERE buyer_id IN ");
    in_list(&mut q, buyers);
    q.push(" GROUP BY buyer_id");
    q.fetch_all(pool).await
}

/// Open reports on these items: (review, reason, note, at).
pub async fn open_reports(pool: &AnyPool, reviews: &[i64]) -> DbResult<Vec<(i64, String, String, i64)>> {
    if reviews.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new("SELECT review_id, reason, note, created_at FROM review_reports WHERE resolved_at IS NULL AND review_id IN ");
    in_list(&mut q, reviews);
    q.push(" ORDER BY id");
    q.fetch_all(pool).await
}

/// A review with the names and the reply around it, for lists.
#[derive(Debug, FromRow)]
pub struct ListedRow {
    #[sqlx(flatten)]
    pub review: ReviewRow,
    pub product_name: String,
    pub shop_name: String,
    pub author_name: String,
    pub reply_id: Option<i64>,
    pub reply_body: Option<String>,
    pub reply_state: Option<String>,
    pub reply_reject_reason: Option<String>,
    pub reply_reject_note: Option<String>,
    pub reply_appealed: Option<i64>,
    pub reply_published_at: Option<i64>,
}

/// What a listed review shows beside its own columns, and the joins that bring it.
fn listed() -> String {
    format!("{} AS product_name, {LISTED_REST}", super::product_name())
}

const LISTED_REST: &str = "s.name AS shop_name, u.display_name AS author_name, rp.id AS reply_id, \
     rp.body AS reply_body, rp.state AS reply_state, rp.reject_reason AS reply_reject_reason, rp.reject_note AS reply_reject_note, \
     rp.appealed AS reply_appealed, rp.published_at AS reply_published_at FROM reviews r JOIN products p ON p.id = r.product_id JOIN shops s ON s.id = r.shop_id \
     JOIN users u ON u.id = r.author_id LEFT JOIN reviews rp ON rp.parent_id = r.id AND rp.kind = 'reply'";

/// A product's published reviews, newest first: never sorted or filtered by stars.
pub async fn published_for_product(pool: &AnyPool, product: ProductId, limit: i64, offset: i64) -> DbResult<Vec<ListedRow>> {
    Ok(sqlx::query_as::<Any, ListedRow>(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {listed} WHERE r.kind = 'review' AND r.state = 'published' AND r.product_id = $1 \
         ORDER BY r.published_at DESC, r.id DESC LIMIT $2 OFFSET $3",
        listed = listed()
    )))
    .bind(product.0)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?)
}

/// The reviews `author` wrote, newest first.
pub async fn written_by(pool: &AnyPool, author: UserId, limit: i64) -> DbResult<Vec<ListedRow>> {
    Ok(sqlx::query_as::<Any, ListedRow>(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {listed} WHERE r.kind = 'review' AND r.author_id = $1 ORDER BY r.id DESC LIMIT $2",
        listed = listed()
    )))
    .bind(author.0)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Published reviews of a shop's products, newest first, with the seller's reply if any.
pub async fn published_for_shop(pool: &AnyPool, shop: ShopId, limit: i64) -> DbResult<Vec<ListedRow>> {
    Ok(sqlx::query_as::<Any, ListedRow>(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {listed} WHERE r.kind = 'review' AND r.state = 'published' AND r.shop_id = $1 \
         ORDER BY r.published_at DESC, r.id DESC LIMIT $2",
        listed = listed()
    )))
    .bind(shop.0)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The audit log, newest first: (review, moderator name, action, reason, note, queue, title, body, stars, at).
#[derive(Debug, FromRow)]
pub struct DecisionRow {
    pub review_id: i64,
    pub moderator_name: String,
    pub action: String,
    pub reason: Option<String>,
    pub note: String,
    pub queue: String,
    pub title: String,
    pub body: String,
    pub stars: Option<i64>,
    pub decided_at: i64,
}

pub async fn decisions(pool: &AnyPool, review: Option<ReviewId>, limit: i64) -> DbResult<Vec<DecisionRow>> {
    let mut q = SqlBuilder::new(
        "SELECT d.review_id, u.display_name AS moderator_name, d.action, d.reason, d.note, d.queue, d.title, d.body, d.stars, \
         d.decided_at FROM review_decisions d JOIN users u ON u.id = d.moderator_id",
    );
    if let Some(r) = review {
        q.push(" WHERE d.review_id = ").bind(Arg::Int(r.0));
    }
    q.push(" ORDER BY d.id DESC LIMIT ").bind(Arg::Int(limit));
    q.fetch_all(pool).await
}

/// Orders of a shop in the window, with what the figures need.
#[derive(Debug, FromRow)]
pub struct WindowOrderRow {
    pub id: i64,
    pub status: String,
    pub ship_by: i64,
    pub shipped_at: Option<i64>,
}

pub async fn window_orders(pool: &AnyPool, shop: ShopId, since: i64) -> DbResult<Vec<WindowOrderRow>> {
    Ok(sqlx::query_as::<Any, WindowOrderRow>(
        "SELECT id, status, ship_by, shipped_at FROM orders WHERE shop_id = $1 AND created_at >= $2 ORDER BY id",
    )
    .bind(shop.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// Claims about a shop's orders opened in the window.
#[derive(Debug, FromRow)]
pub struct WindowClaimRow {
    pub order_id: i64,
    pub opened_at: i64,
    pub seller_first_reply_at: Option<i64>,
    pub outcome: Option<String>,
}

pub async fn window_claims(pool: &AnyPool, shop: ShopId, since: i64) -> DbResult<Vec<WindowClaimRow>> {
    Ok(sqlx::query_as::<Any, WindowClaimRow>(
        "SELECT c.order_id, c.opened_at, c.seller_first_reply_at, c.outcome FROM claims c JOIN orders o ON o.id = c.order_id \
         WHERE o.shop_id = $1 AND c.opened_at >= $2 ORDER BY c.id",
    )
    .bind(shop.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// The seller's rating from reviews published in the window.
pub async fn window_rating(pool: &AnyPool, shop: ShopId, since: i64) -> DbResult<Rating> {
    let (sum, count) = sqlx::query_as::<Any, (i64, i64)>(
        "SELECT CAST(COALESCE(SUM(seller_stars), 0) AS BIGINT), COUNT(seller_stars) FROM reviews \
         WHERE kind = 'review' AND state = 'published' AND shop_id = $1 AND published_at >= $2",
    )
    .bind(shop.0)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok(Rating { sum, count })
}

/// Shops whose badge was last checked before `before`.
pub async fn shops_due_for_badge(pool: &AnyPool, before: i64, limit: i64) -> DbResult<Vec<ShopId>> {
    let ids = sqlx::query_scalar::<Any, i64>("SELECT id FROM shops WHERE badge_checked_at < $1 ORDER BY badge_checked_at, id LIMIT $2")
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().map(ShopId).collect())
}

pub async fn set_badge(pool: &AnyPool, shop: ShopId, holds: bool, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE shops SET top_seller = $1, badge_checked_at = $2 WHERE id = $3")
        .bind(i64::from(holds))
        .bind(now)
        .bind(shop.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// Publishes a seeded review at once (the demo history: judged by the demo moderator).
pub async fn publish_seeded(tx: &mut Tx, id: ReviewId, moderator: UserId, now: i64) -> DbResult<()> {
    let Some(row) = get_in(tx, id).await? else { return Err(DbError::NotFound) };
    let d = Decision { approve: true, reason: None, note: "", version: row.version, clean_only: false };
    if decide(tx, id, moderator, &d, row.risk, now).await? {
        record_decision(tx, &row, moderator, &d, now).await?;
    }
    recompute_ratings(tx, ProductId(row.product_id), ShopId(row.shop_id)).await
}

/// The reviews written about an order's products: (product, review, state).
pub async fn of_order(pool: &AnyPool, order: OrderId) -> DbResult<Vec<(ProductId, ReviewId, crate::domain::review::ReviewState)>> {
    let rows = sqlx::query_as::<Any, (i64, i64, String)>("SELECT product_id, id, state FROM reviews WHERE kind = 'review' AND order_id = $1")
        .bind(order.0)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(p, id, s)| (ProductId(p), ReviewId(id), crate::domain::review::ReviewState::parse(&s))).collect())
}

/// Lets go of every item `moderator` holds (their role was taken back).
pub async fn release_claims_of(tx: &mut Tx, moderator: UserId) -> DbResult<u64> {
    Ok(sqlx::query("UPDATE reviews SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = $1")
        .bind(moderator.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// A product's published questions and answers, newest first: (id, question, answer, published at).
pub async fn published_questions(pool: &AnyPool, product: ProductId, limit: i64) -> DbResult<Vec<(i64, String, String, i64)>> {
    Ok(sqlx::query_as::<Any, (i64, String, String, i64)>(
        "SELECT id, title, body, COALESCE(published_at, created_at) FROM reviews WHERE kind = 'question' AND state = 'published' AND product_id = $1 \
         ORDER BY published_at DESC, id DESC LIMIT $2",
    )
    .bind(product.0)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The public question made from a conversation, if any: (id, state).
pub async fn question_of_thread(pool: &AnyPool, thread: crate::domain::ThreadId) -> DbResult<Option<(i64, String)>> {
    Ok(sqlx::query_as::<Any, (i64, String)>("SELECT id, state FROM reviews WHERE kind = 'question' AND thread_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(thread.0)
        .fetch_optional(pool)
        .await?)
}
