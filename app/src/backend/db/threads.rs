//! Conversations between a buyer and a shop: the threads, their room entries and read markers,
//! the seller's answer clocks, saved replies, and the photos sent in them.

use super::{DbResult, Tx};
use crate::backend::clock;
use crate::domain::dispute::{Audience, Party};
use crate::domain::review::Flagged;
use crate::domain::locale::Locale;
use crate::domain::room::{EntryKind, MessagePhoto, RoomEntry};
use crate::domain::room_note::RoomNote;
use crate::domain::thread::{AnswerClock, SavedReply, ThreadState, ThreadTopic};
use crate::domain::{ClaimId, OrderId, ProductId, ShopId, ThreadId, UserId};
use sqlx::{Any, AnyPool, AssertSqlSafe, FromRow};
use std::borrow::Cow;

const THREAD_SELECT: &str = "SELECT t.id, t.shop_id, t.buyer_id, s.owner_id AS shop_owner_id, t.product_id, t.order_id, t.topic, \
     t.created_at, t.last_message_at, t.last_buyer_seq, t.last_seller_seq, t.waiting_since, t.answer_due, t.claim_id, t.room_seq \
     FROM threads t JOIN shops s ON s.id = t.shop_id";

#[derive(Debug, Clone, FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub shop_id: i64,
    pub buyer_id: i64,
    pub shop_owner_id: i64,
    pub product_id: Option<i64>,
    pub order_id: Option<i64>,
    pub topic: String,
    pub created_at: i64,
    pub last_message_at: i64,
    pub last_buyer_seq: i64,
    pub last_seller_seq: i64,
    pub waiting_since: Option<i64>,
    pub answer_due: Option<i64>,
    pub claim_id: Option<i64>,
    pub room_seq: i64,
}

impl ThreadRow {
    pub fn id(&self) -> ThreadId {
        ThreadId(self.id)
    }

    /// The topic as stored; an unknown one is an error, not silently relabelled.
    pub fn topic(&self) -> Result<ThreadTopic, String> {
        ThreadTopic::parse(&self.topic).ok_or_else(|| format!("thread {} has an unknown topic {:?}", self.id, self.topic))
    }

    /// How `user` takes part: the buyer, the shop's seller, or (read-only) a mediator once the
    /// conversation became a claim.
    pub fn party_of(&self, user: UserId, is_mediator: bool) -> Option<Party> {
        if user.0 == self.buyer_id {
            Some(Party::Buyer)
        } else if user.0 == self.shop_owner_id {
            Some(Party::Seller)
        } else if is_mediator && self.claim_id.is_some() {
            Some(Party::Mediator)
        } else {
            None
        }
    }
}

pub async fn get(pool: &AnyPool, thread: ThreadId) -> DbResult<Option<ThreadRow>> {
    Ok(sqlx::query_as::<Any, ThreadRow>(AssertSqlSafe(format!("{THREAD_SELECT} WHERE t.id = $1"))).bind(thread.0).fetch_optional(pool).await?)
}

/// Locks the thread's row for the rest of the transaction and reads it (every change starts here).
pub async fn lock(tx: &mut Tx, thread: ThreadId) -> DbResult<Option<ThreadRow>> {
    let locked = sqlx::query_scalar::<Any, i64>("UPDATE threads SET room_seq = room_seq WHERE id = $1 RETURNING id").bind(thread.0).fetch_optional(&mut **tx).await?;
    if locked.is_none() {
        return Ok(None);
    }
    Ok(sqlx::query_as::<Any, ThreadRow>(AssertSqlSafe(format!("{THREAD_SELECT} WHERE t.id = $1"))).bind(thread.0).fetch_optional(&mut **tx).await?)
}

/// The conversation about `order`, if there is one.
pub async fn of_order(pool: &AnyPool, order: OrderId) -> DbResult<Option<ThreadRow>> {
    Ok(sqlx::query_as::<Any, ThreadRow>(AssertSqlSafe(format!("{THREAD_SELECT} WHERE t.order_id = $1"))).bind(order.0).fetch_optional(pool).await?)
}

/// `buyer`'s question thread about `product`, if there is one.
pub async fn of_question(pool: &AnyPool, buyer: UserId, product: ProductId) -> DbResult<Option<ThreadRow>> {
    Ok(sqlx::query_as::<Any, ThreadRow>(AssertSqlSafe(format!("{THREAD_SELECT} WHERE t.buyer_id = $1 AND t.product_id = $2 AND t.order_id IS NULL")))
        .bind(buyer.0)
        .bind(product.0)
        .fetch_optional(pool)
        .await?)
}

pub struct NewThread {
    pub shop: ShopId,
    pub buyer: UserId,
    pub product: Option<ProductId>,
    pub order: Option<OrderId>,
    pub topic: ThreadTopic,
}

/// Starts a conversation, or finds the one already there (one per order, one per buyer and
/// product before buying; two tabs starting at once make one).
pub async fn insert_or_find(tx: &mut Tx, t: &NewThread, now: i64) -> DbResult<ThreadId> {
    let inserted = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO threads (shop_id, buyer_id, product_id, order_id, topic, created_at, last_message_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(t.shop.0)
    .bind(t.buyer.0)
    .bind(t.product.map(|p| p.0))
    .bind(t.order.map(|o| o.0))
    .bind(t.topic.as_str())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = inserted {
        return Ok(ThreadId(id));
    }
    let existing = match t.order {
        Some(order) => sqlx::query_scalar::<Any, i64>("SELECT id FROM threads WHERE order_id = $1").bind(order.0).fetch_one(&mut **tx).await?,
        None => {
            sqlx::query_scalar::<Any, i64>("SELECT id FROM threads WHERE buyer_id = $1 AND product_id = $2 AND order_id IS NULL")
                .bind(t.buyer.0)
                .bind(t.product.map(|p| p.0))
                .fetch_one(&mut **tx)
                .await?
        }
    };
    Ok(ThreadId(existing))
}

pub struct NewEntry<'a> {
    pub thread: ThreadId,
    pub kind: EntryKind,
    pub author: Option<UserId>,
    pub party: Party,
    pub body: Cow<'a, str>,
    pub flags: &'a [Flagged],
    pub photo: Option<i64>,
    pub client_id: Option<&'a str>,
    /// What Troika wrote, as values (read in each reader's language); `body` is its English.
    pub note: Option<&'a RoomNote>,
}

impl<'a> NewEntry<'a> {
    /// What Troika writes in the conversation: kept as `note`'s values, its English in `body`.
    pub fn said(thread: ThreadId, kind: EntryKind, author: Option<UserId>, party: Party, note: &'a RoomNote) -> Self {
        NewEntry { thread, kind, author, party, body: Cow::Owned(note.english(clock::display_in)), flags: &[], photo: None, client_id: None, note: Some(note) }
    }
}

/// Appends an entry with the thread's next sequence number (taking it locks the thread's row, so
/// entries commit in order) and keeps each side's newest message; returns its number.
pub async fn append(tx: &mut Tx, e: &NewEntry<'_>, now: i64) -> DbResult<i64> {
    let (buyer, seller) = match (e.kind, e.party) {
        (EntryKind::Message, Party::Buyer) => (1, 0),
        (EntryKind::Message, Party::Seller) => (0, 1),
        _ => (0, 0),
    };
    let seq = sqlx::query_scalar::<Any, i64>(
        "UPDATE threads SET room_seq = room_seq + 1, last_message_at = $2, \
         last_buyer_seq = CASE WHEN $3 = 1 THEN room_seq + 1 ELSE last_buyer_seq END, \
         last_seller_seq = CASE WHEN $4 = 1 THEN room_seq + 1 ELSE last_seller_seq END WHERE id = $1 RETURNING room_seq",
    )
    .bind(e.thread.0)
    .bind(now)
    .bind(buyer)
    .bind(seller)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO thread_entries (thread_id, seq, kind, author_id, party, body, flags, photo_id, client_id, created_at, note_args) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(e.thread.0)
    .bind(seq)
    .bind(e.kind.as_str())
    .bind(e.author.map(|a| a.0))
    .bind(e.party.as_str())
    .bind(e.body.as_ref())
    .bind(serde_json::to_string(e.flags).unwrap_or_else(|_| "[]".into()))
    .bind(e.photo)
    .bind(e.client_id)
    .bind(now)
    .bind(e.note.map(RoomNote::args))
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// The seq of the entry `author` already sent with `client_id`, if any (a retried send).
pub async fn seq_of_client_id(tx: &mut Tx, thread: ThreadId, author: UserId, client_id: &str) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT seq FROM thread_entries WHERE thread_id = $1 AND author_id = $2 AND client_id = $3")
        .bind(thread.0)
        .bind(author.0)
        .bind(client_id)
        .fetch_optional(&mut **tx)
        .await?)
}

#[derive(Debug, FromRow)]
struct EntryRow {
    seq: i64,
    kind: String,
    author_id: Option<i64>,
    author_name: Option<String>,
    party: String,
    body: String,
    flags: String,
    photo_id: Option<i64>,
    photo_width: Option<i64>,
    photo_height: Option<i64>,
    client_id: Option<String>,
    created_at: i64,
    note_args: Option<String>,
}

impl EntryRow {
    /// The entry as `viewer` reads it, in `l`: the screening's flags only for their sender and for
    /// staff; what Troika wrote in the reader's language.
    fn into_entry(self, viewer: Party, l: Locale) -> Result<RoomEntry, super::DbError> {
        let bad = |what: &str, v: &str| super::DbError::Other(sqlx::Error::Decode(format!("thread entry {}: unknown {what} {v:?}", self.seq).into()));
        let kind = EntryKind::parse(&self.kind).ok_or_else(|| bad("kind", &self.kind))?;
        let party = Party::parse(&self.party).ok_or_else(|| bad("party", &self.party))?;
        let flags: Vec<Flagged> = if party == viewer || viewer == Party::Mediator { serde_json::from_str(&self.flags).unwrap_or_default() } else { Vec::new() };
        let photo = match (self.photo_id, self.photo_width, self.photo_height) {
            (Some(id), Some(w), Some(h)) => Some(MessagePhoto { id, width: w.clamp(1, 100_000) as u32, height: h.clamp(1, 100_000) as u32 }),
            _ => None,
        };
        Ok(RoomEntry {
            seq: self.seq,
            kind,
            party,
            author: self.author_name.unwrap_or_else(|| party.label().to_string()),
            audience: Audience::All,
            body: RoomNote::stored(self.note_args.as_deref()).map(|n| n.text(l, clock::display_in)).unwrap_or(self.body),
            remedy: None,
            offer_state: None,
            refers_to: None,
            client_id: self.client_id,
            author_id: self.author_id.map(UserId),
            at: self.created_at,
            at_text: clock::display_in(l, self.created_at),
            flags,
            photo,
        })
    }
}

const ENTRY_SELECT: &str = "SELECT e.seq, e.kind, e.author_id, u.display_name AS author_name, e.party, e.body, e.flags, e.photo_id, \
     p.width AS photo_width, p.height AS photo_height, e.client_id, e.created_at, e.note_args \
     FROM thread_entries e LEFT JOIN users u ON u.id = e.author_id LEFT JOIN thread_photos p ON p.id = e.photo_id WHERE e.thread_id = $1";

/// The entries after `after`, oldest first, at most `limit`.
pub async fn entries_after(pool: &AnyPool, thread: ThreadId, viewer: Party, l: Locale, after: i64, limit: i64) -> DbResult<Vec<RoomEntry>> {
    let rows = sqlx::query_as::<Any, EntryRow>(AssertSqlSafe(format!("{ENTRY_SELECT} AND e.seq > $2 ORDER BY e.seq LIMIT $3")))
        .bind(thread.0)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(|r| r.into_entry(viewer, l)).collect()
}

/// The newest `limit` entries, oldest first.
pub async fn latest_entries(pool: &AnyPool, thread: ThreadId, viewer: Party, l: Locale, limit: i64) -> DbResult<Vec<RoomEntry>> {
    let rows = sqlx::query_as::<Any, EntryRow>(AssertSqlSafe(format!("{ENTRY_SELECT} ORDER BY e.seq DESC LIMIT $2"))).bind(thread.0).bind(limit).fetch_all(pool).await?;
    let mut entries = rows.into_iter().map(|r| r.into_entry(viewer, l)).collect::<Result<Vec<_>, _>>()?;
    entries.reverse();
    Ok(entries)
}

/// The thread's newest sequence number.
pub async fn cursor(pool: &AnyPool, thread: ThreadId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT room_seq FROM threads WHERE id = $1").bind(thread.0).fetch_optional(pool).await?.unwrap_or(0))
}

/// Records that `user` has read up to `seq` (never moves back).
pub async fn mark_read(pool: &AnyPool, thread: ThreadId, user: UserId, seq: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO thread_reads (thread_id, user_id, seq) VALUES ($1, $2, $3) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET seq = excluded.seq WHERE thread_reads.seq < excluded.seq",
    )
    .bind(thread.0)
    .bind(user.0)
    .bind(seq)
    .execute(pool)
    .await?;
    Ok(())
}

/// How far each reader has read: (user, seq).
pub async fn reads(pool: &AnyPool, thread: ThreadId) -> DbResult<Vec<(UserId, i64)>> {
    let rows = sqlx::query_as::<Any, (i64, i64)>("SELECT user_id, seq FROM thread_reads WHERE thread_id = $1").bind(thread.0).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(u, s)| (UserId(u), s)).collect())
}

/// Starts the answer clock for a buyer's message, unless one runs already; `true` if started.
pub async fn start_clock(tx: &mut Tx, t: &ThreadRow, asked_at: i64, due_at: i64) -> DbResult<bool> {
    if t.waiting_since.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE threads SET waiting_since = $2, answer_due = $3 WHERE id = $1").bind(t.id).bind(asked_at).bind(due_at).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO answer_clocks (thread_id, shop_id, asked_at, due_at) VALUES ($1, $2, $3, $4)")
        .bind(t.id)
        .bind(t.shop_id)
        .bind(asked_at)
        .bind(due_at)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// How a running answer clock stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStop {
    Answered,
    NoAnswerNeeded,
    /// The conversation became a claim (the claim's own deadline counts instead).
    BecameClaim,
}

/// A clock that still runs (in SQL).
const RUNNING: &str = "answered_at IS NULL AND no_answer_needed_at IS NULL AND claimed_at IS NULL";

/// Stops the running clock; `true` if one ran.
pub async fn stop_clock(tx: &mut Tx, t: &ThreadRow, now: i64, how: ClockStop) -> DbResult<bool> {
    if t.waiting_since.is_none() {
        return Ok(false);
    }
    sqlx::query("UPDATE threads SET waiting_since = NULL, answer_due = NULL WHERE id = $1").bind(t.id).execute(&mut **tx).await?;
    let column = match how {
        ClockStop::Answered => "answered_at",
        ClockStop::NoAnswerNeeded => "no_answer_needed_at",
        ClockStop::BecameClaim => "claimed_at",
    };
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE answer_clocks SET {column} = $2 WHERE thread_id = $1 AND {RUNNING}"
    )))
    .bind(t.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Clocks whose deadline passed without an answer and that nobody announced yet: (clock, thread).
pub async fn clocks_overdue(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<(i64, ThreadId)>> {
    let rows = sqlx::query_as::<Any, (i64, i64)>(
        "SELECT id, thread_id FROM answer_clocks WHERE due_at <= $1 AND answered_at IS NULL AND no_answer_needed_at IS NULL AND claimed_at IS NULL \
         AND missed_at IS NULL ORDER BY due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(c, t)| (c, ThreadId(t))).collect())
}

/// Marks a clock missed; `false` when another server did first (each is announced once).
pub async fn mark_missed(tx: &mut Tx, clock: i64, now: i64) -> DbResult<bool> {
    let done = sqlx::query(AssertSqlSafe(format!("UPDATE answer_clocks SET missed_at = $2 WHERE id = $1 AND missed_at IS NULL AND {RUNNING}")))
        .bind(clock)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A shop's clocks started since `since`, with their thread and subject, newest first (the
/// performance drill-down).
#[derive(Debug, FromRow)]
pub struct ClockRow {
    pub thread_id: i64,
    pub asked_at: i64,
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub no_answer_needed_at: Option<i64>,
    pub claimed_at: Option<i64>,
    pub subject: String,
}

impl ClockRow {
    pub fn clock(&self) -> AnswerClock {
        AnswerClock { asked_at: self.asked_at, due_at: self.due_at, answered_at: self.answered_at, no_answer_needed_at: self.no_answer_needed_at, became_claim_at: self.claimed_at }
    }
}

pub async fn clocks_of_shop(pool: &AnyPool, shop: ShopId, since: i64) -> DbResult<Vec<ClockRow>> {
    Ok(sqlx::query_as::<Any, ClockRow>(
        "SELECT c.thread_id, c.asked_at, c.due_at, c.answered_at, c.no_answer_needed_at, c.claimed_at, \
         COALESCE(p.name, 'Order #' || CAST(t.order_id AS TEXT), 'Conversation') AS subject \
         FROM answer_clocks c JOIN threads t ON t.id = c.thread_id LEFT JOIN products p ON p.id = t.product_id \
         WHERE c.shop_id = $1 AND c.asked_at >= $2 ORDER BY c.asked_at DESC",
    )
    .bind(shop.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// The shop's answer times (first answers, ms) since `since`: "usually answers within".
pub async fn answer_times(pool: &AnyPool, shop: ShopId, since: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "SELECT answered_at - asked_at FROM answer_clocks WHERE shop_id = $1 AND asked_at >= $2 AND answered_at IS NOT NULL ORDER BY id DESC LIMIT 500",
    )
    .bind(shop.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// Marks the thread as having become `claim`.
pub async fn set_claim(tx: &mut Tx, thread: ThreadId, claim: ClaimId) -> DbResult<()> {
    sqlx::query("UPDATE threads SET claim_id = $2 WHERE id = $1").bind(thread.0).bind(claim.0).execute(&mut **tx).await?;
    Ok(())
}

/// One line of an inbox as read from the database.
#[derive(Debug, FromRow)]
pub struct InboxRow {
    pub id: i64,
    pub topic: String,
    pub product_name: Option<String>,
    pub order_id: Option<i64>,
    pub shop_name: String,
    pub buyer_name: String,
    pub last_message_at: i64,
    pub last_buyer_seq: i64,
    pub last_seller_seq: i64,
    pub answer_due: Option<i64>,
    pub claim_id: Option<i64>,
    pub read_seq: Option<i64>,
    pub preview: Option<String>,
}

/// Whose inbox: a buyer's conversations, or a shop's.
#[derive(Debug, Clone, Copy)]
pub enum InboxOf {
    Buyer(UserId),
    Shop(ShopId, UserId),
}

/// An inbox: the seller's waiting ones first, oldest deadline first, then the newest; a buyer's
/// newest first. `topic` filters.
pub async fn inbox(pool: &AnyPool, of: InboxOf, topic: Option<ThreadTopic>, state: Option<ThreadState>, limit: i64) -> DbResult<Vec<InboxRow>> {
    let (filter, who, reader, order) = match of {
        InboxOf::Buyer(u) => ("t.buyer_id = $1", u.0, u.0, "t.last_message_at DESC"),
        InboxOf::Shop(s, u) => ("t.shop_id = $1", s.0, u.0, "CASE WHEN t.answer_due IS NULL THEN 1 ELSE 0 END, t.answer_due, t.last_message_at DESC"),
    };
    let state_filter = match state {
        None => "",
        Some(ThreadState::Claim) => "AND t.claim_id IS NOT NULL",
        Some(ThreadState::Waiting) => "AND t.claim_id IS NULL AND t.answer_due IS NOT NULL",
        Some(ThreadState::Answered) => "AND t.claim_id IS NULL AND t.answer_due IS NULL",
    };
    let sql = format!(
        "SELECT t.id, t.topic, {product_name} AS product_name, t.order_id, s.name AS shop_name, u.display_name AS buyer_name, t.last_message_at, \
         t.last_buyer_seq, t.last_seller_seq, t.answer_due, t.claim_id, r.seq AS read_seq, \
         (SELECT e.body FROM thread_entries e WHERE e.thread_id = t.id AND e.kind = 'message' ORDER BY e.seq DESC LIMIT 1) AS preview \
         FROM threads t JOIN shops s ON s.id = t.shop_id JOIN users u ON u.id = t.buyer_id LEFT JOIN products p ON p.id = t.product_id \
         LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = $2 \
         WHERE {filter} AND ($3 = '' OR t.topic = $3) {state_filter} ORDER BY {order} LIMIT $4",
        product_name = super::product_name()
    );
    Ok(sqlx::query_as::<Any, InboxRow>(AssertSqlSafe(sql))
        .bind(who)
        .bind(reader)
        .bind(topic.map(|t| t.as_str()).unwrap_or(""))
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// How many of `user`'s conversations (as buyer, and as the seller of their shop) have a message
/// from the other side they have not read, and when the newest of them changed.
pub async fn unread(pool: &AnyPool, user: UserId) -> DbResult<(i64, i64)> {
    let (count, latest) = sqlx::query_as::<Any, (i64, i64)>(
        "SELECT CAST(COALESCE(SUM(CASE WHEN (t.buyer_id = $1 AND t.last_seller_seq > COALESCE(r.seq, 0)) \
                                   OR (t.buyer_id <> $1 AND t.last_buyer_seq > COALESCE(r.seq, 0)) THEN 1 ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(MAX(t.last_message_at), 0) AS BIGINT) \
         FROM threads t LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = $1 \
         WHERE t.buyer_id = $1 OR t.shop_id IN (SELECT id FROM shops WHERE owner_id = $1)",
    )
    .bind(user.0)
    .fetch_one(pool)
    .await?;
    Ok((count, latest))
}

pub async fn saved_replies(pool: &AnyPool, shop: ShopId) -> DbResult<Vec<SavedReply>> {
    let rows = sqlx::query_as::<Any, (i64, String, String)>("SELECT id, title, body FROM saved_replies WHERE shop_id = $1 ORDER BY title, id")
        .bind(shop.0)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id, title, body)| SavedReply { id, title, body }).collect())
}

pub async fn count_replies(tx: &mut Tx, shop: ShopId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM saved_replies WHERE shop_id = $1").bind(shop.0).fetch_one(&mut **tx).await?)
}

/// Saves a new reply (`id` none) or changes one of the shop's; `false` when it is not the shop's.
pub async fn save_reply(tx: &mut Tx, shop: ShopId, id: Option<i64>, title: &str, body: &str, now: i64) -> DbResult<bool> {
    let done = match id {
        None => sqlx::query("INSERT INTO saved_replies (shop_id, title, body, created_at) VALUES ($1, $2, $3, $4)")
            .bind(shop.0)
            .bind(title)
            .bind(body)
            .bind(now)
            .execute(&mut **tx)
            .await?,
        Some(id) => sqlx::query("UPDATE saved_replies SET title = $3, body = $4 WHERE id = $1 AND shop_id = $2")
            .bind(id)
            .bind(shop.0)
            .bind(title)
            .bind(body)
            .execute(&mut **tx)
            .await?,
    };
    Ok(done.rows_affected() == 1)
}

pub async fn delete_reply(pool: &AnyPool, shop: ShopId, id: i64) -> DbResult<bool> {
    Ok(sqlx::query("DELETE FROM saved_replies WHERE id = $1 AND shop_id = $2").bind(id).bind(shop.0).execute(pool).await?.rows_affected() == 1)
}

/// Stores a photo sent in a conversation and its copies; its id.
pub async fn insert_photo(tx: &mut Tx, thread: ThreadId, uploader: UserId, processed: &crate::backend::photos::Processed, now: i64) -> DbResult<i64> {
    let id = sqlx::query_scalar::<Any, i64>("INSERT INTO thread_photos (thread_id, uploader_id, width, height, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(thread.0)
        .bind(uploader.0)
        .bind(i64::from(processed.width))
        .bind(i64::from(processed.height))
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    for v in &processed.variants {
        sqlx::query("INSERT INTO thread_photo_variants (photo_id, width, height, bytes) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i64::from(v.width))
            .bind(i64::from(v.height))
            .bind(v.webp.as_slice())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// A conversation photo's copy `width` px wide, with the thread it belongs to.
pub async fn photo_variant(pool: &AnyPool, photo: i64, width: i64) -> DbResult<Option<(ThreadId, Vec<u8>)>> {
    let row = sqlx::query_as::<Any, (i64, Vec<u8>)>(
        "SELECT p.thread_id, v.bytes FROM thread_photo_variants v JOIN thread_photos p ON p.id = v.photo_id WHERE v.photo_id = $1 AND v.width = $2",
    )
    .bind(photo)
    .bind(width)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(t, b)| (ThreadId(t), b)))
}

/// The conversation about `order` inside a transaction, if there is one.
pub async fn of_order_in(tx: &mut Tx, order: OrderId) -> DbResult<Option<ThreadId>> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT id FROM threads WHERE order_id = $1").bind(order.0).fetch_optional(&mut **tx).await?.map(ThreadId))
}

/// Whether `photo` was sent to `thread` by `uploader` (and is not yet in a message).
pub async fn photo_belongs(tx: &mut Tx, photo: i64, thread: ThreadId, uploader: UserId) -> DbResult<bool> {
    let n = sqlx::query_scalar::<Any, i64>(
        "SELECT COUNT(*) FROM thread_photos p WHERE p.id = $1 AND p.thread_id = $2 AND p.uploader_id = $3 \
         AND NOT EXISTS (SELECT 1 FROM thread_entries e WHERE e.thread_id = p.thread_id AND e.photo_id = p.id)",
    )
    .bind(photo)
    .bind(thread.0)
    .bind(uploader.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// `mark_read` inside a transaction (the sender has read their own message).
pub async fn mark_read_in(tx: &mut Tx, thread: ThreadId, user: UserId, seq: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO thread_reads (thread_id, user_id, seq) VALUES ($1, $2, $3) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET seq = excluded.seq WHERE thread_reads.seq < excluded.seq",
    )
    .bind(thread.0)
    .bind(user.0)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How far `user` has read the conversation (0: nothing).
pub async fn read_seq_in(tx: &mut Tx, thread: ThreadId, user: UserId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT seq FROM thread_reads WHERE thread_id = $1 AND user_id = $2")
        .bind(thread.0)
        .bind(user.0)
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or(0))
}

/// (On the transaction's own connection: asking the pool for a second one while holding the write
/// lock starved the pool under load, and every writer waited out the busy timeout.)
pub async fn product_name(tx: &mut Tx, product: ProductId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar::<Any, String>("SELECT name FROM products WHERE id = $1").bind(product.0).fetch_optional(&mut **tx).await?)
}

/// A shop's owner and name.
pub async fn shop_owner(pool: &AnyPool, shop: ShopId) -> DbResult<Option<(UserId, String)>> {
    let row = sqlx::query_as::<Any, (i64, String)>("SELECT owner_id, name FROM shops WHERE id = $1").bind(shop.0).fetch_optional(pool).await?;
    Ok(row.map(|(u, n)| (UserId(u), n)))
}

/// The names a conversation page shows.
#[derive(Debug, FromRow)]
pub struct ThreadNames {
    pub shop_name: String,
    pub shop_slug: String,
    pub return_policy: String,
    /// The shop's texts' original language and the policy in the other one (optional).
    pub text_language: String,
    pub return_policy_translated: Option<String>,
    pub buyer_name: String,
    /// The language the buyer chose (none: English).
    pub buyer_language: Option<String>,
    pub product_name: Option<String>,
}

impl ThreadNames {
    /// The shop's return policy in the language the buyer reads, when the shop wrote one (what a
    /// saved reply sends them).
    pub fn return_policy_for_buyer(&self) -> String {
        let code = |c: Option<&str>| c.and_then(crate::domain::locale::from_code).unwrap_or(Locale::en);
        let (policy, _) = crate::domain::catalog::for_reader(code(self.buyer_language.as_deref()), code(Some(&self.text_language)), self.return_policy.clone(), self.return_policy_translated.clone());
        policy
    }
}

pub async fn names(pool: &AnyPool, thread: ThreadId) -> DbResult<Option<ThreadNames>> {
    Ok(sqlx::query_as::<Any, ThreadNames>(AssertSqlSafe(format!(
        "SELECT s.name AS shop_name, s.slug AS shop_slug, s.return_policy, s.text_language, s.return_policy_translated, u.display_name AS buyer_name, u.language AS buyer_language, {} AS product_name \
         FROM threads t JOIN shops s ON s.id = t.shop_id JOIN users u ON u.id = t.buyer_id LEFT JOIN products p ON p.id = t.product_id WHERE t.id = $1",
        super::product_name()
    )))
    .bind(thread.0)
    .fetch_optional(pool)
    .await?)
}

/// A conversation's first buyer message and the seller's latest message (a public Q&A's texts).
pub async fn question_and_answer(pool: &AnyPool, thread: ThreadId) -> DbResult<(Option<String>, Option<String>)> {
    let question = sqlx::query_scalar::<Any, String>("SELECT body FROM thread_entries WHERE thread_id = $1 AND kind = 'message' AND party = 'buyer' AND body <> '' ORDER BY seq LIMIT 1")
        .bind(thread.0)
        .fetch_optional(pool)
        .await?;
    let answer = sqlx::query_scalar::<Any, String>("SELECT body FROM thread_entries WHERE thread_id = $1 AND kind = 'message' AND party = 'seller' AND body <> '' ORDER BY seq DESC LIMIT 1")
        .bind(thread.0)
        .fetch_optional(pool)
        .await?;
    Ok((question, answer))
}
