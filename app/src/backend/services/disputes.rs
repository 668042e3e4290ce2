//! Claims and their rooms. Every change is one transaction that first locks the claim's row, checks
//! the rules (`domain::dispute`) against the state nobody else can change meanwhile, appends the
//! room entries (each with the room's next sequence number), updates the claim (and the order when
//! a claim settles), tells the parties; committed first, published after.

use crate::backend::clock;
use crate::backend::db::claims::{self, ClaimFilter, ClaimRow, NewClaim, NewEntry};
use crate::backend::db::orders;
use crate::backend::db::{Db, DbError, Tx};
use crate::backend::live::{LiveHub, Topic};
use crate::backend::services::notices::{self, About, Notice};
use crate::domain::dispute::{
    after_message, check_client_id, check_message, may_address, may_answer_offer, may_decide, may_offer, may_open_claim,
    may_take, may_withdraw, Audience, ClaimDue, ClaimReason, ClaimState, Outcome, Party, Remedy, IDLE_CLOSE_AFTER_MS,
    IDLE_WARNING_MS, MEDIATOR_ANSWER_WITHIN_MS, SELLER_REPLY_WITHIN_MS,
};
use crate::domain::room::{
    ClaimList, ClaimRoom, ClaimSummary, ClaimTab, ClaimView, Deadline, EntryKind, OfferState, RoomEntry, RoomPermissions,
};
use crate::domain::room_note::RoomNote;
use crate::domain::text::{self, capped};
use crate::domain::user::SessionUser;
use crate::domain::{ClaimId, Money, OrderId, UserId};
use crate::domain::locale::Locale;
use crate::error::AppError;
use crate::i18n::td_string;

/// At most this many entries load with the room (older ones: not yet, see the closing note).
const ROOM_ENTRIES: i64 = 500;
const LIST_LIMIT: i64 = 200;
const JOB_BATCH: i64 = 200;

fn not_found() -> AppError {
    AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.no_claim).to_string())
}

fn party_of(row: &ClaimRow, user: &SessionUser) -> Result<Party, AppError> {
    row.party_of(user.id, user.role.is_staff()).ok_or_else(not_found)
}

/// A mediator acts towards the parties only on a claim they have taken.
fn require_taken(row: &ClaimRow, user: &SessionUser) -> Result<(), AppError> {
    match row.mediator_id {
        Some(m) if m == user.id.0 => Ok(()),
        Some(_) => Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.other_working).to_string())),
        None => Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.take_first).to_string())),
    }
}

/// Who hears of a change: the buyer, the seller, and the mediator on the claim.
fn everyone(row: &ClaimRow) -> Vec<UserId> {
    let mut v = vec![UserId(row.buyer_id), UserId(row.seller_id)];
    v.extend(row.mediator_id.map(UserId));
    v
}

async fn lock(tx: &mut Tx, claim: ClaimId) -> Result<ClaimRow, AppError> {
    claims::lock(tx, claim).await?.ok_or_else(not_found)
}

/// Tells the claim's people (but not `except`) about a change.
async fn notify(tx: &mut Tx, row: &ClaimRow, recipients: &[UserId], except: Option<UserId>, notice: Notice<'_>, now: i64) -> Result<Vec<UserId>, DbError> {
    notices::tell(tx, OrderId(row.order_id), About::Claim(ClaimId(row.id)), recipients, except, notice, now).await
}

/// Commits, then wakes the room, the feeds of the users told, and the order's timeline when the
/// order changed (persist first, publish after).
async fn commit_and_publish(tx: Tx, live: &LiveHub, claim: ClaimId, told: &[UserId], order: Option<OrderId>) -> Result<(), AppError> {
    tx.commit().await.map_err(DbError::from)?;
    let mut topics = vec![Topic::Claim(claim)];
    topics.extend(told.iter().map(|u| Topic::User(*u)));
    topics.extend(order.map(Topic::Order));
    live.publish(&topics).await;
    Ok(())
}

/// "Ana withdrew the claim." plus the optional note the person wrote.
fn with_note(text: String, note: &str) -> String {
    if note.is_empty() { text } else { format!("{text} {note}") }
}

/// The remedy asked for (or proposed) and the first message of a new claim, each problem named
/// in `fields`; `None` when either is wrong.
fn remedy_and_message(remedy: &str, amount: &str, message: &str, total: Money, fields: &mut crate::error::FieldErrors) -> Option<(Remedy, String)> {
    let wanted = Remedy::from_form(remedy, amount, total);
    if let Err(e) = &wanted {
        for f in ["remedy", "amount"] {
            if let Some(m) = e.field(f) {
                fields.insert(f.into(), m);
            }
        }
    }
    let message = check_message(message);
    if let Err(e) = &message {
        fields.insert("message".into(), e.field("body").unwrap_or_else(|| e.to_string()));
    }
    Some((wanted.ok()?, message.ok()?))
}

pub struct OpenClaimInput<'a> {
    pub order: OrderId,
    pub reason: &'a str,
    pub wanted: &'a str,
    pub amount: &'a str,
    pub message: &'a str,
}

/// The buyer opens a claim on their order: a reason, the outcome they want, a first message.
#[tracing::instrument(skip(db, live, user, input), fields(user = %user.id, order = %input.order))]
pub async fn open_claim(db: &Db, live: &LiveHub, user: &SessionUser, input: &OpenClaimInput<'_>, now: i64) -> Result<ClaimId, AppError> {
    let facts = orders::facts(&db.pool, input.order).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_order).to_string()))?;
    if facts.buyer_id != user.id.0 {
        return Err(if facts.shop_owner_id == user.id.0 || user.role.is_staff() {
            AppError::Forbidden
        } else {
            AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_order).to_string())
        });
    }
    let mut fields = crate::error::FieldErrors::new();
    let reason = ClaimReason::parse(input.reason.trim());
    if reason.is_none() {
        fields.insert("reason".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.claim.choose_reason).to_string());
    }
    let wanted_and_message = remedy_and_message(input.wanted, input.amount, input.message, Money(facts.total_cents), &mut fields);
    let (Some(reason), Some((wanted, message))) = (reason, wanted_and_message) else {
        return Err(AppError::from_fields(fields));
    };
    let open = claims::latest_of_order(&db.pool, input.order).await?.is_some_and(|c| c.state().is_open());
    may_open_claim(facts.status(), facts.times().late(now).is_some(), open, facts.returns_open(now))?;

    let mut tx = db.begin().await?;
    let new = NewClaim {
        order: input.order,
        buyer: user.id,
        seller: UserId(facts.shop_owner_id),
        reason,
        wanted,
        state: ClaimState::AwaitingSeller,
        opened_at: now,
        opened_by: Party::Buyer,
    };
    let Some(claim) = claims::insert(&mut tx, &new).await? else {
        tx.rollback().await.map_err(DbError::from)?;
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.already_open).to_string()));
    };
    let said = RoomNote::ClaimOpened { name: user.display_name.clone(), reason, remedy: wanted };
    let opened = NewEntry { remedy: Some(wanted), ..NewEntry::said(claim, EntryKind::Opened, Some(user.id), Party::Buyer, &said) };
    claims::append(&mut tx, &opened, now).await?;
    claims::append(&mut tx, &NewEntry::to_all(claim, EntryKind::Message, Some(user.id), Party::Buyer, &message), now).await?;
    // The order's conversation comes with the claim: the mediator reads how it got here.
    let thread = crate::backend::services::threads::attach_to_claim(&mut tx, input.order, claim, &user.display_name, now).await?;
    if let Some(t) = thread {
        claims::set_thread(&mut tx, claim, t).await?;
    }
    let row = lock(&mut tx, claim).await?;
    let text = |l: Locale| (td_string!(l, notices.claim.opened, order = input.order, reason = reason.label_in(l)).to_string(), message.clone());
    let told = notify(&mut tx, &row, &[UserId(row.seller_id)], None, Notice { text: &text, key: &format!("claim:{claim}:opened") }, now).await?;
    commit_and_publish(tx, live, claim, &told, Some(input.order)).await?;
    if let Some(t) = thread {
        live.publish(&[Topic::Thread(t)]).await;
    }
    tracing::info!(claim = %claim, "claim opened");
    Ok(claim)
}

/// What the seller writes when asking the marketplace to step in on an order's conversation.
pub struct StepInInput<'a> {
    pub thread: crate::domain::ThreadId,
    pub remedy: &'a str,
    pub amount: &'a str,
    pub message: &'a str,
}

/// The seller asks Troika to step in on an order's conversation that became a dispute: a claim
/// opens straight in the mediators' queue, with what the seller proposes and why, and takes the
/// conversation along. Only the order's seller, on an order with no open claim.
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %input.thread))]
pub async fn open_claim_as_seller(db: &Db, live: &LiveHub, user: &SessionUser, input: &StepInInput<'_>, now: i64) -> Result<ClaimId, AppError> {
    let gone = || AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_conversation).to_string());
    let thread = crate::backend::db::threads::get(&db.pool, input.thread).await?.ok_or_else(gone)?;
    match thread.party_of(user.id, false) {
        Some(Party::Seller) => {}
        Some(_) => return Err(AppError::Forbidden),
        None => return Err(gone()),
    }
    let Some(order) = thread.order_id.map(OrderId) else {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.order_only).to_string()));
    };
    let facts = orders::facts(&db.pool, order).await?.ok_or_else(gone)?;
    let mut fields = crate::error::FieldErrors::new();
    let Some((wanted, message)) = remedy_and_message(input.remedy, input.amount, input.message, Money(facts.total_cents), &mut fields) else {
        return Err(AppError::from_fields(fields));
    };
    let mut tx = db.begin().await?;
    let new = NewClaim {
        order,
        buyer: UserId(facts.buyer_id),
        seller: user.id,
        reason: ClaimReason::Other,
        wanted,
        state: ClaimState::Escalated,
        opened_at: now,
        opened_by: Party::Seller,
    };
    let Some(claim) = claims::insert(&mut tx, &new).await? else {
        tx.rollback().await.map_err(DbError::from)?;
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.already_open).to_string()));
    };
    let said = RoomNote::SellerSteppedIn { name: user.display_name.clone(), remedy: wanted };
    let opened = NewEntry { remedy: Some(wanted), ..NewEntry::said(claim, EntryKind::Escalated, Some(user.id), Party::Seller, &said) };
    claims::append(&mut tx, &opened, now).await?;
    claims::append(&mut tx, &NewEntry::to_all(claim, EntryKind::Message, Some(user.id), Party::Seller, &message), now).await?;
    let attached = crate::backend::services::threads::attach_to_claim(&mut tx, order, claim, &user.display_name, now).await?;
    if let Some(t) = attached {
        claims::set_thread(&mut tx, claim, t).await?;
    }
    let row = lock(&mut tx, claim).await?;
    let text = |l: Locale| (td_string!(l, notices.claim.seller_asked, order = order).to_string(), message.clone());
    let told = notify(&mut tx, &row, &[UserId(row.buyer_id)], None, Notice { text: &text, key: &format!("claim:{claim}:opened") }, now).await?;
    commit_and_publish(tx, live, claim, &told, Some(order)).await?;
    live.publish(&[Topic::Thread(input.thread)]).await;
    tracing::info!(claim = %claim, "claim opened by the seller");
    Ok(claim)
}

/// What a sent message became: its place in the room (the same for a retried send).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub seq: i64,
    pub duplicate: bool,
}

/// A party writes in the room (a mediator may address one party, or the other mediators).
/// A retried send (same client id) is stored once and answers with the first one's place.
#[tracing::instrument(skip(db, live, user, body), fields(user = %user.id, claim = %claim))]
#[allow(clippy::too_many_arguments)]
pub async fn post_message(
    db: &Db,
    live: &LiveHub,
    user: &SessionUser,
    claim: ClaimId,
    client_id: &str,
    body: &str,
    audience: Audience,
    now: i64,
) -> Result<Posted, AppError> {
    let body = check_message(body)?;
    let client_id = check_client_id(client_id)?;
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    if let Some(seq) = claims::seq_of_client_id(&mut tx, claim, user.id, &client_id).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(Posted { seq, duplicate: true });
    }
    may_address(party, audience)?;
    let state = row.state();
    let note = audience == Audience::Mediators;
    if !note {
        if !state.is_open() {
            return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.ended).to_string()));
        }
        if party == Party::Mediator {
            require_taken(&row, user)?;
        }
    }
    let kind = if note { EntryKind::Note } else { EntryKind::Message };
    let entry = NewEntry { audience, client_id: Some(&client_id), ..NewEntry::to_all(claim, kind, Some(user.id), party, &body) };
    let seq = claims::append(&mut tx, &entry, now).await?;
    let mut told = Vec::new();
    if !note {
        let next = after_message(state, party);
        claims::touch(&mut tx, claim, next, now, party == Party::Seller).await?;
        if next != state {
            let text = |l: Locale| (td_string!(l, notices.claim.answered, name = &user.display_name, order = row.order_id).to_string(), body.clone());
            told = notify(&mut tx, &row, &[UserId(row.buyer_id)], None, Notice { text: &text, key: &format!("claim:{claim}:answered") }, now).await?;
        }
    }
    commit_and_publish(tx, live, claim, &told, None).await?;
    Ok(Posted { seq, duplicate: false })
}

/// The seller (or the mediator on an escalated claim) puts a typed offer in the room; it replaces
/// an earlier one still waiting for the buyer.
#[tracing::instrument(skip(db, live, user, note), fields(user = %user.id, claim = %claim))]
#[allow(clippy::too_many_arguments)]
pub async fn make_offer(
    db: &Db,
    live: &LiveHub,
    user: &SessionUser,
    claim: ClaimId,
    client_id: &str,
    remedy_kind: &str,
    amount: &str,
    note: &str,
    now: i64,
) -> Result<Posted, AppError> {
    let client_id = check_client_id(client_id)?;
    let note = &capped(note, "note", text::NOTE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.offer_note))?;
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    if let Some(seq) = claims::seq_of_client_id(&mut tx, claim, user.id, &client_id).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(Posted { seq, duplicate: true });
    }
    may_offer(row.state(), party)?;
    if party == Party::Mediator {
        require_taken(&row, user)?;
    }
    let total = orders::total_in(&mut tx, OrderId(row.order_id)).await?;
    let remedy = Remedy::from_form(remedy_kind, amount, total)?;
    claims::close_pending_offers(&mut tx, claim, OfferState::Superseded).await?;
    let entry = NewEntry { remedy: Some(remedy), client_id: Some(&client_id), ..NewEntry::to_all(claim, EntryKind::Offer, Some(user.id), party, note) };
    let seq = claims::append(&mut tx, &entry, now).await?;
    let next = after_message(row.state(), party);
    claims::touch(&mut tx, claim, next, now, party == Party::Seller).await?;
    let text = |l: Locale| {
        let title = td_string!(l, notices.claim.offer, order = row.order_id, remedy = remedy.label_in(l)).to_string();
        let body = if note.is_empty() { td_string!(l, notices.claim.offer_body).to_string() } else { note.to_string() };
        (title, body)
    };
    let told = notify(&mut tx, &row, &[UserId(row.buyer_id)], None, Notice { text: &text, key: &format!("claim:{claim}:offer:{seq}") }, now).await?;
    commit_and_publish(tx, live, claim, &told, None).await?;
    Ok(Posted { seq, duplicate: false })
}

/// Ends a claim with an agreed or decided remedy: the claim is resolved, the buyer refunded (on
/// the order, simulated), the order's timeline says so.
async fn settle(tx: &mut Tx, row: &ClaimRow, outcome: Outcome, actor: Option<UserId>, now: i64) -> Result<(), AppError> {
    let claim = ClaimId(row.id);
    let order = OrderId(row.order_id);
    claims::end(tx, claim, outcome, now).await?;
    let refund = match outcome {
        Outcome::Settled(remedy) => {
            let total = orders::total_in(tx, order).await?;
            let refund = remedy.refund(total);
            if refund.0 > 0 {
                claims::refund_order(tx, order, refund).await?;
                Some(refund)
            } else {
                None
            }
        }
        _ => None,
    };
    let note = crate::domain::order::SystemNote::ClaimEnded { claim: claim.0, outcome, refund };
    let status = orders::status_in(tx, order).await?;
    orders::insert_system_event(tx, order, status, actor, &note, now).await?;
    Ok(())
}

/// The buyer accepts or declines the offer waiting for them; accepting resolves the claim.
#[tracing::instrument(skip(db, live, user), fields(user = %user.id, claim = %claim))]
pub async fn answer_offer(db: &Db, live: &LiveHub, user: &SessionUser, claim: ClaimId, offer: i64, accept: bool, now: i64) -> Result<ClaimState, AppError> {
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    may_answer_offer(row.state(), party)?;
    let Some((pending, remedy)) = claims::pending_offer(&mut tx, claim).await?.filter(|(seq, _)| *seq == offer) else {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.offer_replaced).to_string()));
    };
    let to = if accept { OfferState::Accepted } else { OfferState::Declined };
    if !claims::answer_offer(&mut tx, claim, pending, to).await? {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.offer_closed).to_string()));
    }
    let said = RoomNote::OfferAnswered { accepted: accept, remedy };
    let kind = if accept { EntryKind::OfferAccepted } else { EntryKind::OfferDeclined };
    let entry = NewEntry { remedy: Some(remedy), refers_to: Some(pending), ..NewEntry::said(claim, kind, Some(user.id), party, &said) };
    claims::append(&mut tx, &entry, now).await?;
    let state = if accept {
        settle(&mut tx, &row, Outcome::Settled(remedy), Some(user.id), now).await?;
        ClaimState::Resolved
    } else {
        claims::touch(&mut tx, claim, row.state(), now, false).await?;
        row.state()
    };
    let text = |l: Locale| {
        if accept {
            (
                td_string!(l, notices.claim.resolved, order = row.order_id, remedy = remedy.label_in(l)).to_string(),
                td_string!(l, notices.claim.offer_accepted, remedy = remedy.label_in(l)).to_string(),
            )
        } else {
            (
                td_string!(l, notices.claim.declined, order = row.order_id).to_string(),
                td_string!(l, notices.claim.offer_declined, remedy = remedy.label_in(l)).to_string(),
            )
        }
    };
    let told = notify(&mut tx, &row, &everyone(&row), Some(user.id), Notice { text: &text, key: &format!("claim:{claim}:answer:{pending}") }, now).await?;
    commit_and_publish(tx, live, claim, &told, accept.then_some(OrderId(row.order_id))).await?;
    Ok(state)
}

/// The buyer or the seller asks a mediator to step in (after the seller's fair chance).
#[tracing::instrument(skip(db, live, user, note), fields(user = %user.id, claim = %claim))]
pub async fn escalate(db: &Db, live: &LiveHub, user: &SessionUser, claim: ClaimId, note: &str, now: i64) -> Result<(), AppError> {
    let note = &capped(note, "note", text::NOTE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.note))?;
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    let times = row.times();
    times.may_escalate(party, now)?;
    let missed = row.state() == ClaimState::AwaitingSeller && now > times.seller_reply_by();
    claims::escalate(&mut tx, claim, now, missed).await?;
    let said = RoomNote::AskedMediator { name: user.display_name.clone(), party, note: note.clone() };
    let entry = NewEntry::said(claim, EntryKind::Escalated, Some(user.id), party, &said);
    claims::append(&mut tx, &entry, now).await?;
    let text = |l: Locale| {
        let who = match party {
            Party::Buyer => td_string!(l, notices.claim.the_buyer),
            _ => td_string!(l, notices.claim.the_seller),
        };
        let said = td_string!(l, notices.claim.asked_mediator, name = &user.display_name, party = who).to_string();
        (td_string!(l, notices.claim.escalated, order = row.order_id).to_string(), with_note(said, note))
    };
    let told = notify(&mut tx, &row, &everyone(&row), Some(user.id), Notice { text: &text, key: &format!("claim:{claim}:escalated") }, now).await?;
    commit_and_publish(tx, live, claim, &told, None).await?;
    Ok(())
}

/// A mediator takes an escalated claim; two mediators taking it at once: one gets it.
#[tracing::instrument(skip(db, live, user), fields(user = %user.id, claim = %claim))]
pub async fn take(db: &Db, live: &LiveHub, user: &SessionUser, claim: ClaimId, now: i64) -> Result<(), AppError> {
    if !user.role.is_staff() {
        return Err(if claims::get(&db.pool, claim).await?.is_some_and(|r| r.party_of(user.id, false).is_some()) {
            AppError::Forbidden
        } else {
            not_found()
        });
    }
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    // A mediator never referees their own purchase or sale.
    if row.party_of(user.id, false).is_some() {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.own_order).to_string()));
    }
    may_take(row.state(), row.mediator_id, user.id.0)?;
    if row.mediator_id == Some(user.id.0) {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(());
    }
    if !claims::take(&mut tx, claim, user.id, now).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.other_mediator).to_string()));
    }
    let said = RoomNote::MediatorJoined { name: user.display_name.clone(), within_ms: MEDIATOR_ANSWER_WITHIN_MS };
    let entry = NewEntry::said(claim, EntryKind::MediatorJoined, Some(user.id), Party::Mediator, &said);
    claims::append(&mut tx, &entry, now).await?;
    let text = |l: Locale| {
        let within = crate::domain::dispute::countdown_in(l, MEDIATOR_ANSWER_WITHIN_MS);
        (
            td_string!(l, notices.claim.taken, order = row.order_id).to_string(),
            td_string!(l, notices.claim.taken_body, name = &user.display_name, within = within).to_string(),
        )
    };
    let told = notify(&mut tx, &row, &[UserId(row.buyer_id), UserId(row.seller_id)], None, Notice { text: &text, key: &format!("claim:{claim}:taken") }, now).await?;
    commit_and_publish(tx, live, claim, &told, None).await?;
    Ok(())
}

/// A mediator's role was taken back: each claim they had taken goes back to the mediators' queue,
/// with a line in its room saying so. Returns the claims, to publish after the commit.
pub async fn hand_back_claims(tx: &mut Tx, mediator: &SessionUser, now: i64) -> Result<Vec<ClaimId>, DbError> {
    let taken = claims::taken_by(tx, mediator.id).await?;
    for claim in &taken {
        claims::lock(tx, *claim).await?;
        claims::hand_back(tx, *claim, now).await?;
        let said = RoomNote::MediatorLeft { name: mediator.display_name.clone() };
        let entry = NewEntry::said(*claim, EntryKind::MediatorLeft, Some(mediator.id), Party::Mediator, &said);
        claims::append(tx, &entry, now).await?;
    }
    Ok(taken)
}

/// The mediator on an escalated claim decides: a remedy, or the claim rejected; always with a
/// written reason every party reads.
#[tracing::instrument(skip(db, live, user, reason), fields(user = %user.id, claim = %claim))]
#[allow(clippy::too_many_arguments)]
pub async fn decide(db: &Db, live: &LiveHub, user: &SessionUser, claim: ClaimId, decision: &str, amount: &str, reason: &str, now: i64) -> Result<Outcome, AppError> {
    let reason = &capped(reason, "reason", text::REASON_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.reason))?;
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    may_decide(row.state(), party, reason)?;
    require_taken(&row, user)?;
    let outcome = if decision.trim() == "reject" {
        Outcome::Rejected
    } else {
        let total = orders::total_in(&mut tx, OrderId(row.order_id)).await?;
        Outcome::Settled(Remedy::from_form(decision, amount, total)?)
    };
    let said = RoomNote::Decision { outcome, reason: reason.clone() };
    let remedy = match outcome {
        Outcome::Settled(r) => Some(r),
        _ => None,
    };
    let entry = NewEntry { remedy, ..NewEntry::said(claim, EntryKind::Decision, Some(user.id), party, &said) };
    claims::append(&mut tx, &entry, now).await?;
    settle(&mut tx, &row, outcome, Some(user.id), now).await?;
    let text = |l: Locale| (td_string!(l, notices.claim.decided, order = row.order_id, outcome = outcome.label_in(l)).to_string(), reason.to_string());
    let told = notify(&mut tx, &row, &[UserId(row.buyer_id), UserId(row.seller_id)], None, Notice { text: &text, key: &format!("claim:{claim}:decided") }, now).await?;
    commit_and_publish(tx, live, claim, &told, Some(OrderId(row.order_id))).await?;
    Ok(outcome)
}

/// The buyer withdraws their claim.
#[tracing::instrument(skip(db, live, user, note), fields(user = %user.id, claim = %claim))]
pub async fn withdraw(db: &Db, live: &LiveHub, user: &SessionUser, claim: ClaimId, note: &str, now: i64) -> Result<(), AppError> {
    let note = &capped(note, "note", text::NOTE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.note))?;
    let mut tx = db.begin().await?;
    let row = lock(&mut tx, claim).await?;
    let party = party_of(&row, user)?;
    may_withdraw(row.state(), party)?;
    let said = RoomNote::Withdrew { name: user.display_name.clone(), note: note.clone() };
    let entry = NewEntry::said(claim, EntryKind::Withdrawn, Some(user.id), party, &said);
    claims::append(&mut tx, &entry, now).await?;
    settle(&mut tx, &row, Outcome::Withdrawn, Some(user.id), now).await?;
    let text = |l: Locale| {
        let said = td_string!(l, notices.claim.withdrew, name = &user.display_name).to_string();
        (td_string!(l, notices.claim.withdrawn, order = row.order_id).to_string(), with_note(said, note))
    };
    let told = notify(&mut tx, &row, &everyone(&row), Some(user.id), Notice { text: &text, key: &format!("claim:{claim}:withdrawn") }, now).await?;
    commit_and_publish(tx, live, claim, &told, Some(OrderId(row.order_id))).await?;
    Ok(())
}

/// What one run of the claim jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClaimJobReport {
    pub escalated: usize,
    pub warned: usize,
    pub closed: usize,
}

/// Escalates claims whose seller let 24 h pass (it counts against their response record), warns
/// quiet claims, then closes them. Safe on every app server at once: each claim is locked and its
/// rule checked again inside the transaction.
#[tracing::instrument(skip(db, live))]
pub async fn run_claim_jobs(db: &Db, live: &LiveHub, now: i64) -> Result<ClaimJobReport, AppError> {
    let mut report = ClaimJobReport::default();
    let due = claims::due_for_jobs(&db.pool, now, SELLER_REPLY_WITHIN_MS, IDLE_CLOSE_AFTER_MS - IDLE_WARNING_MS, JOB_BATCH).await?;
    for candidate in due {
        let claim = ClaimId(candidate.id);
        let mut tx = db.begin().await?;
        let row = lock(&mut tx, claim).await?;
        let Some(what) = row.times().due(now) else {
            tx.rollback().await.map_err(DbError::from)?;
            continue;
        };
        let (kind, said, key) = match what {
            ClaimDue::AutoEscalate => {
                claims::escalate(&mut tx, claim, now, true).await?;
                report.escalated += 1;
                (EntryKind::Escalated, RoomNote::SellerMissedReply, format!("claim:{claim}:escalated"))
            }
            ClaimDue::WarnIdle => {
                claims::mark_idle_warned(&mut tx, claim).await?;
                report.warned += 1;
                let closes_at = row.times().idle_close_at();
                (EntryKind::IdleWarning, RoomNote::IdleWarning { closes_at }, format!("claim:{claim}:idle:{}", row.last_activity_at))
            }
            ClaimDue::CloseIdle => {
                report.closed += 1;
                (EntryKind::Closed, RoomNote::ClosedIdle, format!("claim:{claim}:closed"))
            }
        };
        claims::append(&mut tx, &NewEntry::said(claim, kind, None, Party::System, &said), now).await?;
        if what == ClaimDue::CloseIdle {
            settle(&mut tx, &row, Outcome::ClosedIdle, None, now).await?;
        }
        let order = row.order_id;
        let closes_at = row.times().idle_close_at();
        let text = |l: Locale| match what {
            ClaimDue::AutoEscalate => {
                (td_string!(l, notices.claim.escalated, order = order).to_string(), td_string!(l, notices.claim.auto_escalated).to_string())
            }
            ClaimDue::WarnIdle => (
                td_string!(l, notices.claim.closes_soon, order = order).to_string(),
                td_string!(l, notices.claim.idle_warning, at = clock::display_in(l, closes_at)).to_string(),
            ),
            ClaimDue::CloseIdle => {
                (td_string!(l, notices.claim.closed, order = order).to_string(), td_string!(l, notices.claim.closed_idle).to_string())
            }
        };
        let told = notify(&mut tx, &row, &everyone(&row), None, Notice { text: &text, key: &key }, now).await?;
        commit_and_publish(tx, live, claim, &told, (what == ClaimDue::CloseIdle).then_some(OrderId(row.order_id))).await?;
    }
    if report != ClaimJobReport::default() {
        tracing::info!(?report, "claim jobs");
    }
    Ok(report)
}

fn deadlines(row: &ClaimRow, now: i64) -> Vec<Deadline> {
    let times = row.times();
    let mut out = Vec::new();
    let l = crate::domain::locale::request();
    let mut push = |label: &str, at: i64| {
        if at > now {
            out.push(Deadline { label: label.into(), at, at_text: clock::display_in(l, at) });
        }
    };
    match row.state() {
        ClaimState::AwaitingSeller => {
            push(td_string!(l, service_views.claim.seller_must_answer), times.seller_reply_by());
            push(td_string!(l, service_views.claim.ask_mediator_in), times.escalation_open_from());
        }
        ClaimState::SellerResponded => push(td_string!(l, service_views.claim.ask_mediator_in), times.escalation_open_from()),
        ClaimState::Escalated => {
            if let Some(at) = row.escalated_at {
                push(td_string!(l, service_views.claim.mediator_decides_within), at + MEDIATOR_ANSWER_WITHIN_MS);
            }
        }
        ClaimState::Resolved | ClaimState::Closed => {}
    }
    if row.state().is_open() && (row.idle_warned != 0 || times.idle_close_at() - now <= IDLE_WARNING_MS) {
        push(td_string!(l, service_views.claim.closes_idle_in), times.idle_close_at());
    }
    out
}

fn permissions(row: &ClaimRow, user: &SessionUser, party: Party, entries: &[RoomEntry], now: i64) -> RoomPermissions {
    let state = row.state();
    let open = state.is_open();
    let taken_by_me = row.mediator_id == Some(user.id.0);
    let mut can = RoomPermissions::default();
    match party {
        Party::Buyer | Party::Seller => {
            can.message = open;
            match row.times().may_escalate(party, now) {
                Ok(()) => can.escalate = true,
                Err(AppError::Conflict(m)) if matches!(state, ClaimState::AwaitingSeller | ClaimState::SellerResponded) => {
                    can.escalate_later = Some(m)
                }
                Err(_) => {}
            }
        }
        Party::Mediator => {
            can.message = open && taken_by_me;
            can.address_one = true;
            can.take = may_take(state, row.mediator_id, user.id.0).is_ok() && !taken_by_me;
            can.decide = state == ClaimState::Escalated && taken_by_me;
        }
        Party::System => {}
    }
    can.offer = may_offer(state, party).is_ok() && (party != Party::Mediator || taken_by_me);
    can.withdraw = may_withdraw(state, party).is_ok();
    if party == Party::Buyer && open {
        can.answer = entries.iter().rev().find(|e| e.kind == EntryKind::Offer && e.offer_state == Some(OfferState::Pending)).map(|e| e.seq);
    }
    can
}

/// The room as `user` sees it: the claim, the entries they may read, who read how far, and what
/// they may do now. Anyone but the parties and mediators: not found.
pub async fn room_view(db: &Db, user: &SessionUser, claim: ClaimId, now: i64) -> Result<ClaimRoom, AppError> {
    let row = claims::get(&db.pool, claim).await?.ok_or_else(not_found)?;
    let party = party_of(&row, user)?;
    let names = claims::names(&db.pool, claim).await?.ok_or_else(not_found)?;
    let entries = claims::latest_entries(&db.pool, claim, party, crate::domain::locale::request(), ROOM_ENTRIES).await?;
    let mut reads: Vec<(Party, i64)> = Vec::new();
    for (reader, seq) in claims::reads(&db.pool, claim).await? {
        let p = row.party_of(reader, true).unwrap_or(Party::Mediator);
        if reader == user.id {
            continue;
        }
        match reads.iter_mut().find(|(q, _)| *q == p) {
            Some(r) => r.1 = r.1.max(seq),
            None => reads.push((p, seq)),
        }
    }
    let can = permissions(&row, user, party, &entries, now);
    let view = ClaimView {
        id: claim,
        order_id: OrderId(row.order_id),
        order_total: Money(names.order_total_cents),
        shop_name: names.shop_name,
        buyer_name: names.buyer_name,
        seller_name: names.seller_name,
        mediator_name: names.mediator_name,
        reason: row.reason(),
        wanted: row.wanted(),
        state: row.state(),
        outcome: row.outcome(),
        opened_at: clock::display(row.opened_at),
        opened_by_seller: row.opened_by == "seller",
        deadlines: deadlines(&row, now),
        others_read: crate::backend::services::accounts::others_read(db, party, UserId(row.buyer_id), UserId(row.seller_id)).await?,
    };
    let thread = crate::backend::db::threads::of_order(&db.pool, OrderId(row.order_id)).await?.filter(|t| t.claim_id == Some(claim.0)).map(|t| t.id());
    Ok(ClaimRoom { claim: view, viewer: party, viewer_id: user.id, entries, cursor: row.room_seq, reads, can, now, form_id: uuid::Uuid::new_v4().to_string(), thread })
}

/// The claims `user` may see in `tab`: buyers and sellers their own; mediators the queue of
/// escalated claims (oldest deadline first), the ones they work on, all open, all ended.
pub async fn list_claims(db: &Db, user: &SessionUser, tab: Option<ClaimTab>, now: i64) -> Result<ClaimList, AppError> {
    let (tab, tabs, filter) = if user.role.is_staff() {
        let tab = tab.unwrap_or(ClaimTab::Queue);
        let filter = match tab {
            ClaimTab::Queue => ClaimFilter::Escalated,
            ClaimTab::Mine => ClaimFilter::TakenBy(user.id),
            ClaimTab::Open => ClaimFilter::AllOpen,
            ClaimTab::Ended => ClaimFilter::AllEnded,
        };
        (tab, vec![ClaimTab::Queue, ClaimTab::Mine, ClaimTab::Open, ClaimTab::Ended], filter)
    } else {
        (ClaimTab::Open, Vec::new(), ClaimFilter::PartyTo(user.id))
    };
    let rows = claims::list(&db.pool, filter, LIST_LIMIT).await?;
    let l = crate::domain::locale::request();
    let claims = rows
        .into_iter()
        .map(|r| {
            let state = ClaimState::parse(&r.state).unwrap_or(ClaimState::Closed);
            let next_deadline = match state {
                ClaimState::AwaitingSeller => Some(td_string!(l, service_views.claim.seller_answers_by, at = clock::display_in(l, r.opened_at + SELLER_REPLY_WITHIN_MS)).to_string()),
                ClaimState::Escalated => r.escalated_at.map(|at| {
                    let due = at + MEDIATOR_ANSWER_WITHIN_MS;
                    let at = clock::display_in(l, due);
                    if due < now {
                        td_string!(l, service_views.claim.mediator_decides_by_overdue, at = at).to_string()
                    } else {
                        td_string!(l, service_views.claim.mediator_decides_by, at = at).to_string()
                    }
                }),
                ClaimState::SellerResponded if r.idle_warned != 0 => {
                    Some(td_string!(l, service_views.claim.closes_idle_on, at = clock::display_in(l, r.last_activity_at + IDLE_CLOSE_AFTER_MS)).to_string())
                }
                _ => None,
            };
            ClaimSummary {
                id: ClaimId(r.id),
                order_id: OrderId(r.order_id),
                shop_name: r.shop_name,
                buyer_name: r.buyer_name,
                reason: ClaimReason::parse(&r.reason).unwrap_or(ClaimReason::Other),
                state,
                mediator_name: r.mediator_name,
                opened_at: clock::display(r.opened_at),
                next_deadline,
                taken_by_me: r.mediator_id == Some(user.id.0),
            }
        })
        .collect();
    Ok(ClaimList { tab, tabs, claims })
}

/// The claim on an order, if any (the latest), for the order page's link to its room.
pub async fn claim_of_order(db: &Db, order: OrderId) -> Result<Option<(ClaimId, ClaimState)>, AppError> {
    Ok(claims::latest_of_order(&db.pool, order).await?.map(|r| (ClaimId(r.id), r.state())))
}

/// Records how far `user` has read (the socket passes at most what it has delivered).
pub async fn mark_read(db: &Db, claim: ClaimId, user: UserId, seq: i64) -> Result<(), AppError> {
    claims::mark_read(&db.pool, claim, user, seq).await?;
    Ok(())
}
