//! Claims (disputes), their room entries and read markers.

use super::{Arg, DbResult, SqlBuilder, Tx};
use crate::backend::clock;
use crate::domain::dispute::{Audience, ClaimReason, ClaimState, ClaimTimes, Outcome, Party, Remedy};
use crate::domain::locale::Locale;
use crate::domain::room::{EntryKind, OfferState, RoomEntry};
use crate::domain::room_note::RoomNote;
use crate::domain::{ClaimId, Money, OrderId, UserId};
use sqlx::{Any, AnyPool, AssertSqlSafe, FromRow};
use std::borrow::Cow;

/// The open states, for SQL (`ClaimState::is_open`); the partial unique index in the migrations
/// repeats this list.
pub const OPEN_STATES: &str = "('awaiting_seller', 'seller_responded', 'escalated')";

const CLAIM_COLUMNS: &str = "id, order_id, buyer_id, seller_id, reason, wanted, wanted_cents, state, opened_at, last_activity_at, \
     idle_warned, seller_first_reply_at, seller_reply_missed, escalated_at, mediator_id, ended_at, outcome, outcome_remedy, \
     outcome_cents, room_seq, opened_by";

#[derive(Debug, Clone, FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub order_id: i64,
    pub buyer_id: i64,
    pub seller_id: i64,
    pub reason: String,
    pub wanted: String,
    pub wanted_cents: i64,
    pub state: String,
    pub opened_at: i64,
    pub last_activity_at: i64,
    pub idle_warned: i64,
    pub seller_first_reply_at: Option<i64>,
    pub seller_reply_missed: i64,
    pub escalated_at: Option<i64>,
    pub mediator_id: Option<i64>,
    pub ended_at: Option<i64>,
    pub outcome: Option<String>,
    pub outcome_remedy: Option<String>,
    pub outcome_cents: Option<i64>,
    pub room_seq: i64,
    /// `buyer`, or `seller` when the seller asked the marketplace to step in.
    pub opened_by: String,
}

impl ClaimRow {
    pub fn state(&self) -> ClaimState {
        ClaimState::parse(&self.state).unwrap_or(ClaimState::Closed)
    }

    pub fn reason(&self) -> ClaimReason {
        ClaimReason::parse(&self.reason).unwrap_or(ClaimReason::Other)
    }

    pub fn wanted(&self) -> Remedy {
        Remedy::from_parts(&self.wanted, self.wanted_cents).unwrap_or(Remedy::FullRefund)
    }

    pub fn outcome(&self) -> Option<Outcome> {
        let remedy = self.outcome_remedy.as_deref().and_then(|k| Remedy::from_parts(k, self.outcome_cents.unwrap_or(0)));
        self.outcome.as_deref().and_then(|o| Outcome::from_parts(o, remedy))
    }

    pub fn times(&self) -> ClaimTimes {
        ClaimTimes {
            state: self.state(),
            opened_at: self.opened_at,
            last_activity_at: self.last_activity_at,
            idle_warned: self.idle_warned != 0,
        }
    }

    /// How `user` takes part, if at all (mediators: any marketplace mediator or admin).
    pub fn party_of(&self, user: UserId, is_mediator: bool) -> Option<Party> {
        if user.0 == self.buyer_id {
            Some(Party::Buyer)
        } else if user.0 == self.seller_id {
            Some(Party::Seller)
        } else if is_mediator {
            Some(Party::Mediator)
        } else {
            None
        }
    }
}

pub struct NewClaim {
    pub order: OrderId,
    pub buyer: UserId,
    pub seller: UserId,
    pub reason: ClaimReason,
    pub wanted: Remedy,
    pub state: ClaimState,
    pub opened_at: i64,
    /// The buyer, or the seller asking the marketplace to step in.
    pub opened_by: Party,
}

/// Inserts a claim; `None` when the order already has an open one (the unique index decides, so
/// two tabs opening at once make one claim).
pub async fn insert(tx: &mut Tx, c: &NewClaim) -> DbResult<Option<ClaimId>> {
    let id = sqlx::query_scalar::<Any, i64>(AssertSqlSafe(format!(
        "INSERT INTO claims (order_id, buyer_id, seller_id, reason, wanted, wanted_cents, state, opened_at, last_activity_at, opened_by, escalated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) ON CONFLICT (order_id) WHERE state IN {OPEN_STATES} DO NOTHING RETURNING id"
    )))
    .bind(c.order.0)
    .bind(c.buyer.0)
    .bind(c.seller.0)
    .bind(c.reason.as_str())
    .bind(c.wanted.kind_str())
    .bind(c.wanted.cents())
    .bind(c.state.as_str())
    .bind(c.opened_at)
    .bind(c.opened_by.as_str())
    .bind((c.state == ClaimState::Escalated).then_some(c.opened_at))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(ClaimId))
}

pub async fn get(pool: &AnyPool, claim: ClaimId) -> DbResult<Option<ClaimRow>> {
    Ok(sqlx::query_as::<Any, ClaimRow>(AssertSqlSafe(format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = $1")))
        .bind(claim.0)
        .fetch_optional(pool)
        .await?)
}

/// Locks the claim's row for the rest of the transaction and reads it: every change to a claim
/// starts here, so its rules are checked against the state no one else can change meanwhile.
pub async fn lock(tx: &mut Tx, claim: ClaimId) -> DbResult<Option<ClaimRow>> {
    Ok(sqlx::query_as::<Any, ClaimRow>(AssertSqlSafe(format!(
        "UPDATE claims SET room_seq = room_seq WHERE id = $1 RETURNING {CLAIM_COLUMNS}"
    )))
    .bind(claim.0)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The most recent claim on an order (open or not).
pub async fn latest_of_order(pool: &AnyPool, order: OrderId) -> DbResult<Option<ClaimRow>> {
    Ok(sqlx::query_as::<Any, ClaimRow>(AssertSqlSafe(format!(
        "SELECT {CLAIM_COLUMNS} FROM claims WHERE order_id = $1 ORDER BY id DESC LIMIT 1"
    )))
    .bind(order.0)
    .fetch_optional(pool)
    .await?)
}

pub struct NewEntry<'a> {
    pub claim: ClaimId,
    pub kind: EntryKind,
    pub author: Option<UserId>,
    pub party: Party,
    pub audience: Audience,
    pub body: Cow<'a, str>,
    pub remedy: Option<Remedy>,
    pub refers_to: Option<i64>,
    pub client_id: Option<&'a str>,
    /// What Troika wrote, as values (read in each reader's language); `body` is its English.
    pub note: Option<&'a RoomNote>,
}

impl<'a> NewEntry<'a> {
    /// An entry everyone in the room reads, with nothing attached (set the other fields after).
    pub fn to_all(claim: ClaimId, kind: EntryKind, author: Option<UserId>, party: Party, body: &'a str) -> Self {
        NewEntry { claim, kind, author, party, audience: Audience::All, body: Cow::Borrowed(body), remedy: None, refers_to: None, client_id: None, note: None }
    }

    /// What Troika writes, for everyone in the room: kept as `note`'s values, its English in `body`.
    pub fn said(claim: ClaimId, kind: EntryKind, author: Option<UserId>, party: Party, note: &'a RoomNote) -> Self {
        NewEntry { body: Cow::Owned(note.english(clock::display_in)), note: Some(note), ..NewEntry::to_all(claim, kind, author, party, "") }
    }
}

/// Appends an entry to the room with the room's next sequence number and returns it.
pub async fn append(tx: &mut Tx, e: &NewEntry<'_>, now: i64) -> DbResult<i64> {
    let seq = sqlx::query_scalar::<Any, i64>("UPDATE claims SET room_seq = room_seq + 1 WHERE id = $1 RETURNING room_seq")
        .bind(e.claim.0)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO claim_entries (claim_id, seq, kind, author_id, party, audience, body, remedy, remedy_cents, offer_state, \
         refers_to, client_id, created_at, note_args) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(e.claim.0)
    .bind(seq)
    .bind(e.kind.as_str())
    .bind(e.author.map(|a| a.0))
    .bind(e.party.as_str())
    .bind(e.audience.as_str())
    .bind(e.body.as_ref())
    .bind(e.remedy.map(|r| r.kind_str()))
    .bind(e.remedy.map(|r| r.cents()))
    .bind((e.kind == EntryKind::Offer).then_some(OfferState::Pending.as_str()))
    .bind(e.refers_to)
    .bind(e.client_id)
    .bind(now)
    .bind(e.note.map(RoomNote::args))
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// The seq of the entry `author` already sent with `client_id`, if any (a retried send).
pub async fn seq_of_client_id(tx: &mut Tx, claim: ClaimId, author: UserId, client_id: &str) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT seq FROM claim_entries WHERE claim_id = $1 AND author_id = $2 AND client_id = $3")
        .bind(claim.0)
        .bind(author.0)
        .bind(client_id)
        .fetch_optional(&mut **tx)
        .await?)
}

/// After a message, offer or decision: the claim's state and its last activity; the seller's
/// first answer is kept as their response time.
pub async fn touch(tx: &mut Tx, claim: ClaimId, state: ClaimState, now: i64, seller_answered: bool) -> DbResult<()> {
    sqlx::query(
        "UPDATE claims SET state = $1, last_activity_at = $2, idle_warned = 0, \
         seller_first_reply_at = CASE WHEN $3 = 1 AND seller_first_reply_at IS NULL THEN $2 ELSE seller_first_reply_at END \
         WHERE id = $4",
    )
    .bind(state.as_str())
    .bind(now)
    .bind(i64::from(seller_answered))
    .bind(claim.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn escalate(tx: &mut Tx, claim: ClaimId, now: i64, seller_missed_reply: bool) -> DbResult<()> {
    sqlx::query(
        "UPDATE claims SET state = $1, escalated_at = $2, last_activity_at = $2, idle_warned = 0, \
         seller_reply_missed = CASE WHEN $3 = 1 THEN 1 ELSE seller_reply_missed END WHERE id = $4",
    )
    .bind(ClaimState::Escalated.as_str())
    .bind(now)
    .bind(i64::from(seller_missed_reply))
    .bind(claim.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives the claim to `mediator` unless another mediator has it; `true` when it is theirs now.
pub async fn take(tx: &mut Tx, claim: ClaimId, mediator: UserId, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE claims SET mediator_id = $1, last_activity_at = $2 WHERE id = $3 AND state = $4 AND mediator_id IS NULL",
    )
    .bind(mediator.0)
    .bind(now)
    .bind(claim.0)
    .bind(ClaimState::Escalated.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the claim with `outcome`; pending offers are closed.
pub async fn end(tx: &mut Tx, claim: ClaimId, outcome: Outcome, now: i64) -> DbResult<()> {
    let remedy = match outcome {
        Outcome::Settled(r) => Some(r),
        _ => None,
    };
    sqlx::query(
        "UPDATE claims SET state = $1, outcome = $2, outcome_remedy = $3, outcome_cents = $4, ended_at = $5, last_activity_at = $5 \
         WHERE id = $6",
    )
    .bind(outcome.final_state().as_str())
    .bind(outcome.kind_str())
    .bind(remedy.map(|r| r.kind_str()))
    .bind(remedy.map(|r| r.cents()))
    .bind(now)
    .bind(claim.0)
    .execute(&mut **tx)
    .await?;
    close_pending_offers(tx, claim, OfferState::Superseded).await
}

pub async fn mark_idle_warned(tx: &mut Tx, claim: ClaimId) -> DbResult<()> {
    sqlx::query("UPDATE claims SET idle_warned = 1 WHERE id = $1").bind(claim.0).execute(&mut **tx).await?;
    Ok(())
}

/// The offer waiting for the buyer's answer: (seq, remedy).
pub async fn pending_offer(tx: &mut Tx, claim: ClaimId) -> DbResult<Option<(i64, Remedy)>> {
    let row = sqlx::query_as::<Any, (i64, Option<String>, Option<i64>)>(
        "SELECT seq, remedy, remedy_cents FROM claim_entries WHERE claim_id = $1 AND kind = 'offer' AND offer_state = 'pending' \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(claim.0)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(seq, kind, cents)| Remedy::from_parts(kind.as_deref()?, cents.unwrap_or(0)).map(|r| (seq, r))))
}

pub async fn close_pending_offers(tx: &mut Tx, claim: ClaimId, to: OfferState) -> DbResult<()> {
    sqlx::query("UPDATE claim_entries SET offer_state = $1 WHERE claim_id = $2 AND kind = 'offer' AND offer_state = 'pending'")
        .bind(to.as_str())
        .bind(claim.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn answer_offer(tx: &mut Tx, claim: ClaimId, seq: i64, to: OfferState) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE claim_entries SET offer_state = $1 WHERE claim_id = $2 AND seq = $3 AND kind = 'offer' AND offer_state = 'pending'",
    )
    .bind(to.as_str())
    .bind(claim.0)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, FromRow)]
struct EntryRow {
    seq: i64,
    kind: String,
    author_id: Option<i64>,
    author_name: Option<String>,
    party: String,
    audience: String,
    body: String,
    remedy: Option<String>,
    remedy_cents: Option<i64>,
    offer_state: Option<String>,
    refers_to: Option<i64>,
    client_id: Option<String>,
    created_at: i64,
    note_args: Option<String>,
}

impl EntryRow {
    /// The entry as a reader in `l` sees it: what Troika wrote, in their language.
    fn into_entry(self, l: Locale) -> RoomEntry {
        let party = Party::parse(&self.party).unwrap_or(Party::System);
        RoomEntry {
            seq: self.seq,
            kind: EntryKind::parse(&self.kind).unwrap_or(EntryKind::Message),
            party,
            author: self.author_name.unwrap_or_else(|| party.label().to_string()),
            audience: Audience::parse(&self.audience).unwrap_or(Audience::Mediators),
            body: RoomNote::stored(self.note_args.as_deref()).map(|n| n.text(l, clock::display_in)).unwrap_or(self.body),
            remedy: self.remedy.as_deref().and_then(|k| Remedy::from_parts(k, self.remedy_cents.unwrap_or(0))),
            offer_state: self.offer_state.as_deref().and_then(OfferState::parse),
            refers_to: self.refers_to,
            client_id: self.client_id,
            author_id: self.author_id.map(UserId),
            at: self.created_at,
            at_text: clock::display_in(l, self.created_at),
            flags: Vec::new(),
            photo: None,
        }
    }
}

fn entries_query(claim: ClaimId, viewer: Party) -> SqlBuilder {
    let mut q = SqlBuilder::new(
        "SELECT e.seq, e.kind, e.author_id, u.display_name AS author_name, e.party, e.audience, e.body, e.remedy, e.remedy_cents, \
         e.offer_state, e.refers_to, e.client_id, e.created_at, e.note_args FROM claim_entries e LEFT JOIN users u ON u.id = e.author_id \
         WHERE e.claim_id = ",
    );
    q.bind(Arg::Int(claim.0)).push(" AND e.audience IN (");
    for (i, a) in Audience::visible_to(viewer).iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Text(a.as_str().into()));
    }
    q.push(")");
    q
}

/// The entries `viewer` may read after `after`, oldest first, at most `limit`.
pub async fn entries_after(pool: &AnyPool, claim: ClaimId, viewer: Party, l: Locale, after: i64, limit: i64) -> DbResult<Vec<RoomEntry>> {
    let mut q = entries_query(claim, viewer);
    q.push(" AND e.seq > ").bind(Arg::Int(after)).push(" ORDER BY e.seq LIMIT ").bind(Arg::Int(limit));
    Ok(q.fetch_all::<EntryRow>(pool).await?.into_iter().map(|r| r.into_entry(l)).collect())
}

/// The newest `limit` entries `viewer` may read, oldest first.
pub async fn latest_entries(pool: &AnyPool, claim: ClaimId, viewer: Party, l: Locale, limit: i64) -> DbResult<Vec<RoomEntry>> {
    let mut q = entries_query(claim, viewer);
    q.push(" ORDER BY e.seq DESC LIMIT ").bind(Arg::Int(limit));
    let mut rows: Vec<RoomEntry> = q.fetch_all::<EntryRow>(pool).await?.into_iter().map(|r| r.into_entry(l)).collect();
    rows.reverse();
    Ok(rows)
}

/// The room's newest sequence number.
pub async fn cursor(pool: &AnyPool, claim: ClaimId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT room_seq FROM claims WHERE id = $1").bind(claim.0).fetch_optional(pool).await?.unwrap_or(0))
}

/// Records that `user` has read up to `seq` (never moves back).
pub async fn mark_read(pool: &AnyPool, claim: ClaimId, user: UserId, seq: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO claim_reads (claim_id, user_id, seq) VALUES ($1, $2, $3) \
         ON CONFLICT (claim_id, user_id) DO UPDATE SET seq = excluded.seq WHERE claim_reads.seq < excluded.seq",
    )
    .bind(claim.0)
    .bind(user.0)
    .bind(seq)
    .execute(pool)
    .await?;
    Ok(())
}

/// How far each reader has read: (user, seq).
pub async fn reads(pool: &AnyPool, claim: ClaimId) -> DbResult<Vec<(UserId, i64)>> {
    let rows = sqlx::query_as::<Any, (i64, i64)>("SELECT user_id, seq FROM claim_reads WHERE claim_id = $1")
        .bind(claim.0)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(u, s)| (UserId(u), s)).collect())
}

/// Names and amounts the room's header shows.
#[derive(Debug, FromRow)]
pub struct ClaimNamesRow {
    pub shop_name: String,
    pub buyer_name: String,
    pub seller_name: String,
    pub mediator_name: Option<String>,
    pub order_total_cents: i64,
}

pub async fn names(pool: &AnyPool, claim: ClaimId) -> DbResult<Option<ClaimNamesRow>> {
    Ok(sqlx::query_as::<Any, ClaimNamesRow>(
        "SELECT s.name AS shop_name, b.display_name AS buyer_name, sl.display_name AS seller_name, m.display_name AS mediator_name, \
         o.total_cents AS order_total_cents FROM claims c JOIN orders o ON o.id = c.order_id JOIN shops s ON s.id = o.shop_id \
         JOIN users b ON b.id = c.buyer_id JOIN users sl ON sl.id = c.seller_id LEFT JOIN users m ON m.id = c.mediator_id \
         WHERE c.id = $1",
    )
    .bind(claim.0)
    .fetch_optional(pool)
    .await?)
}

#[derive(Debug, FromRow)]
pub struct ClaimListRow {
    pub id: i64,
    pub order_id: i64,
    pub shop_name: String,
    pub buyer_name: String,
    pub reason: String,
    pub state: String,
    pub mediator_id: Option<i64>,
    pub mediator_name: Option<String>,
    pub opened_at: i64,
    pub last_activity_at: i64,
    pub escalated_at: Option<i64>,
    pub idle_warned: i64,
}

/// Which claims a list shows.
pub enum ClaimFilter {
    /// The buyer's or the seller's own claims.
    PartyTo(UserId),
    /// Escalated, oldest escalation (hence deadline) first.
    Escalated,
    TakenBy(UserId),
    AllOpen,
    AllEnded,
}

pub async fn list(pool: &AnyPool, filter: ClaimFilter, limit: i64) -> DbResult<Vec<ClaimListRow>> {
    let mut q = SqlBuilder::new(
        "SELECT c.id, c.order_id, s.name AS shop_name, b.display_name AS buyer_name, c.reason, c.state, c.mediator_id, \
         m.display_name AS mediator_name, c.opened_at, c.last_activity_at, c.escalated_at, c.idle_warned \
         FROM claims c JOIN orders o ON o.id = c.order_id JOIN shops s ON s.id = o.shop_id JOIN users b ON b.id = c.buyer_id \
         LEFT JOIN users m ON m.id = c.mediator_id WHERE ",
    );
    let open = format!("c.state IN {OPEN_STATES}");
    match filter {
        ClaimFilter::PartyTo(u) => {
            q.push("(c.buyer_id = ").bind(Arg::Int(u.0)).push(" OR c.seller_id = ").bind(Arg::Int(u.0));
            q.push(&format!(") ORDER BY CASE WHEN {open} THEN 0 ELSE 1 END, c.id DESC"));
        }
        ClaimFilter::Escalated => {
            q.push("c.state = 'escalated' ORDER BY c.escalated_at, c.id");
        }
        ClaimFilter::TakenBy(u) => {
            q.push("c.mediator_id = ").bind(Arg::Int(u.0)).push(&format!(" AND {open} ORDER BY c.escalated_at, c.id"));
        }
        ClaimFilter::AllOpen => {
            q.push(&format!("{open} ORDER BY c.opened_at, c.id"));
        }
        ClaimFilter::AllEnded => {
            q.push(&format!("NOT {open} ORDER BY c.ended_at DESC, c.id DESC"));
        }
    }
    q.push(" LIMIT ").bind(Arg::Int(limit));
    q.fetch_all(pool).await
}

/// Open claims with something due at `now`: a seller silent past the reply deadline, or a quiet
/// spell long enough for the idle warning.
pub async fn due_for_jobs(pool: &AnyPool, now: i64, reply_within: i64, warn_after: i64, limit: i64) -> DbResult<Vec<ClaimRow>> {
    Ok(sqlx::query_as::<Any, ClaimRow>(AssertSqlSafe(format!(
        "SELECT {CLAIM_COLUMNS} FROM claims WHERE (state = 'awaiting_seller' AND opened_at < $1) \
         OR (state IN {OPEN_STATES} AND last_activity_at <= $2) ORDER BY id LIMIT $3"
    )))
    .bind(now - reply_within)
    .bind(now - warn_after)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// A settled claim's refund on the order (never more than the order's total).
pub async fn refund_order(tx: &mut Tx, order: OrderId, amount: Money) -> DbResult<()> {
    sqlx::query(
        "UPDATE orders SET refunded_cents = CASE WHEN refunded_cents + $1 > total_cents THEN total_cents ELSE refunded_cents + $1 END \
         WHERE id = $2",
    )
    .bind(amount.0)
    .bind(order.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The escalated claims `mediator` has taken and not decided yet.
pub async fn taken_by(tx: &mut Tx, mediator: UserId) -> DbResult<Vec<ClaimId>> {
    let ids = sqlx::query_scalar::<Any, i64>("SELECT id FROM claims WHERE mediator_id = $1 AND state = $2 ORDER BY id")
        .bind(mediator.0)
        .bind(ClaimState::Escalated.as_str())
        .fetch_all(&mut **tx)
        .await?;
    Ok(ids.into_iter().map(ClaimId).collect())
}

/// Puts a taken claim back in the mediators' queue.
pub async fn hand_back(tx: &mut Tx, claim: ClaimId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE claims SET mediator_id = NULL, last_activity_at = $2 WHERE id = $1").bind(claim.0).bind(now).execute(&mut **tx).await?;
    Ok(())
}

/// The conversation the claim grew out of (its mediator reads it).
pub async fn set_thread(tx: &mut Tx, claim: ClaimId, thread: crate::domain::ThreadId) -> DbResult<()> {
    sqlx::query("UPDATE claims SET thread_id = $2 WHERE id = $1").bind(claim.0).bind(thread.0).execute(&mut **tx).await?;
    Ok(())
}
