//! Buyer–seller conversations: a question about a product before buying, a message about an order
//! after it. Messages go through the same room machinery as claims (numbered entries, resume after
//! N, a client id per message so a retry stores nothing twice, read markers, typing); a buyer's
//! message starts the seller's answer clock, the seller's answer (or "no answer needed") stops it,
//! and the job marks a missed answer once, on whichever server runs it.

use crate::backend::clock;
use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::threads::{self, ClockStop, InboxOf, NewEntry, NewThread, ThreadRow};
use crate::backend::db::{catalog, orders, DbError, Tx};
use crate::backend::live::Topic;
use crate::backend::services::mail::{self, MailKind, Subject};
use crate::backend::services::notices::language_of;
use crate::backend::AppState;
use crate::domain::dispute::{Party, MESSAGE_MAX_CHARS};
use crate::domain::order::NotificationKind;
use crate::domain::review::{contact_flags, found_in_message, Flagged};
use crate::domain::room::EntryKind;
use crate::domain::room_note::RoomNote;
use crate::domain::thread::{
    answer_due, countdown_in, fill_template, Inbox, OrderPanel, SavedReply, TemplateInput, TemplateValues, ThreadState, ThreadSummary,
    ThreadTopic, ThreadView, HOUR_MS, TEMPLATES_MAX, USUAL_WINDOW_DAYS,
};
use crate::domain::user::SessionUser;
use crate::domain::{OrderId, ProductId, ShopId, ThreadId, UserId};
use crate::error::AppError;
use crate::i18n::td_string;

/// Entries a conversation page starts with (older ones are in the room's history).
const THREAD_ENTRIES: i64 = 200;
const INBOX_LIMIT: i64 = 200;
const DAY_MS: i64 = 24 * HOUR_MS;

fn not_found() -> AppError {
    AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_conversation).to_string())
}

/// The thread's state as its inbox shows it.
pub fn state_of(row: &ThreadRow) -> ThreadState {
    if row.claim_id.is_some() {
        ThreadState::Claim
    } else if row.waiting_since.is_some() {
        ThreadState::Waiting
    } else {
        ThreadState::Answered
    }
}

/// A message as typed: trimmed, present, within the cap.
fn check_body(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid_field("body", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.write).to_string()));
    }
    if body.chars().count() > MESSAGE_MAX_CHARS {
        return Err(AppError::invalid_field("body", crate::i18n::td_string!(crate::domain::locale::request(), server.at_most, max = MESSAGE_MAX_CHARS).to_string()));
    }
    Ok(body.to_string())
}

fn check_client_id(id: &str) -> Result<String, AppError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(AppError::invalid_field("client_id", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.bad_id).to_string()));
    }
    Ok(id.to_string())
}

/// Contact details and links are flagged; the sender is warned first and may still send
/// (`confirm`). The warning names the field, so the form shows it beside the message; an error on
/// `confirm` tells the form to offer "send it anyway".
fn screen(body: &str, confirm: bool) -> Result<Vec<Flagged>, AppError> {
    use crate::i18n::td_string;
    let flags = contact_flags(body);
    if !flags.is_empty() && !confirm {
        let l = crate::domain::locale::request();
        let found: Vec<&str> = flags.iter().filter_map(|f| found_in_message(l, f.flag)).collect();
        let message = td_string!(l, server.thread.warn_contact, found = found.join(td_string!(l, server.thread.and))).to_string();
        let mut fields = crate::error::FieldErrors::new();
        fields.insert("body".into(), message.clone());
        fields.insert("confirm".into(), td_string!(l, server.thread.tick_to_send).to_string());
        return Err(AppError::Invalid { message, fields });
    }
    Ok(flags)
}

/// What a message is: the text, the sender's id for it, and whether they confirmed a flagged one.
pub struct MessageInput<'a> {
    pub client_id: &'a str,
    pub body: &'a str,
    pub confirm: bool,
    /// A photo already uploaded to this conversation (its id).
    pub photo: Option<i64>,
}

/// What a sent message became: the conversation and its place in it (the same for a retry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub thread: ThreadId,
    pub seq: i64,
}

/// "Ask the seller": a signed-in buyer's question about a listed product; starts the
/// conversation (or continues the one they already have about it).
#[tracing::instrument(skip_all, fields(user = %user.id, product = %product))]
pub async fn ask_question(state: &AppState, user: &SessionUser, product: ProductId, msg: &MessageInput<'_>, now: i64) -> Result<Posted, AppError> {
    let body = check_body(msg.body)?;
    let client_id = check_client_id(msg.client_id)?;
    let detail = catalog::product_detail(&state.db.pool, product, crate::backend::web::locale::current().locale).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_product).to_string()))?;
    let (owner, _) = shop_owner(state, detail.shop.id).await?;
    if owner == user.id {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.own_product).to_string()));
    }
    let flags = screen(&body, msg.confirm)?;
    let mut tx = state.db.begin().await?;
    let new = NewThread { shop: detail.shop.id, buyer: user.id, product: Some(product), order: None, topic: ThreadTopic::Product };
    let thread = threads::insert_or_find(&mut tx, &new, now).await?;
    let row = threads::lock(&mut tx, thread).await?.ok_or_else(not_found)?;
    post_in(state, tx, &row, user, Party::Buyer, &client_id, &body, &flags, msg.photo, now).await
}

/// "Message the seller" about an order: its buyer only, with a topic; one conversation per order
/// (a second start continues it).
#[tracing::instrument(skip_all, fields(user = %user.id, order = %order))]
pub async fn message_about_order(state: &AppState, user: &SessionUser, order: OrderId, topic: &str, msg: &MessageInput<'_>, now: i64) -> Result<Posted, AppError> {
    let facts = orders::facts(&state.db.pool, order).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_order).to_string()))?;
    if facts.buyer_id != user.id.0 {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_order).to_string()));
    }
    let topic = ThreadTopic::parse(topic.trim()).ok_or_else(|| AppError::invalid_field("topic", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.topic).to_string()))?;
    let body = check_body(msg.body)?;
    let client_id = check_client_id(msg.client_id)?;
    let flags = screen(&body, msg.confirm)?;
    let mut tx = state.db.begin().await?;
    let new = NewThread { shop: ShopId(facts.shop_id), buyer: user.id, product: None, order: Some(order), topic };
    let thread = threads::insert_or_find(&mut tx, &new, now).await?;
    let row = threads::lock(&mut tx, thread).await?.ok_or_else(not_found)?;
    post_in(state, tx, &row, user, Party::Buyer, &client_id, &body, &flags, msg.photo, now).await
}

/// A party writes in the conversation. A retried send (same client id) is stored once.
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %thread))]
pub async fn post_message(state: &AppState, user: &SessionUser, thread: ThreadId, msg: &MessageInput<'_>, now: i64) -> Result<Posted, AppError> {
    let body = check_body(msg.body)?;
    let client_id = check_client_id(msg.client_id)?;
    let mut tx = state.db.begin().await?;
    let row = threads::lock(&mut tx, thread).await?.ok_or_else(not_found)?;
    let party = row.party_of(user.id, user.role.is_staff()).ok_or_else(not_found)?;
    if party == Party::Mediator {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.mediators).to_string()));
    }
    if let Some(claim) = row.claim_id {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.became_claim, claim = claim).to_string()));
    }
    // A retry of a message already stored answers with its place, before any new check.
    if let Some(seq) = threads::seq_of_client_id(&mut tx, thread, user.id, &client_id).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(Posted { thread, seq });
    }
    let flags = screen(&body, msg.confirm)?;
    post_in(state, tx, &row, user, party, &client_id, &body, &flags, msg.photo, now).await
}

/// A photo sent in a conversation, with an optional caption: checked and stored like a product's
/// photo, then posted as a message carrying it. A retried send (same client id) stores nothing new.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %thread))]
pub async fn post_photo(state: &AppState, user: &SessionUser, thread: ThreadId, client_id: &str, caption: &str, confirm: bool, bytes: Vec<u8>, now: i64) -> Result<i64, AppError> {
    let client_id = check_client_id(client_id)?;
    let caption = caption.trim();
    if caption.chars().count() > MESSAGE_MAX_CHARS {
        return Err(AppError::invalid_field("body", crate::i18n::td_string!(crate::domain::locale::request(), server.at_most, max = MESSAGE_MAX_CHARS).to_string()));
    }
    // Who may send, before the photo costs anything.
    let row = threads::get(&state.db.pool, thread).await?.ok_or_else(not_found)?;
    let party = row.party_of(user.id, user.role.is_staff()).ok_or_else(not_found)?;
    if party == Party::Mediator || row.claim_id.is_some() {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.read_only).to_string()));
    }
    let flags = screen(caption, confirm)?;
    let processed = crate::backend::photos::process_bounded(bytes).await.map_err(crate::backend::photos::refusal)?;
    let mut tx = state.db.begin().await?;
    let row = threads::lock(&mut tx, thread).await?.ok_or_else(not_found)?;
    if let Some(seq) = threads::seq_of_client_id(&mut tx, thread, user.id, &client_id).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(seq);
    }
    let photo = threads::insert_photo(&mut tx, thread, user.id, &processed, now).await?;
    let posted = post_in(state, tx, &row, user, party, &client_id, caption, &flags, Some(photo), now).await?;
    Ok(posted.seq)
}

/// Stores the message in the locked thread, moves the answer clock, tells the other side (in the
/// app, and by e-mail when configured), commits, then wakes the room and both feeds.
#[allow(clippy::too_many_arguments)]
async fn post_in(
    state: &AppState,
    mut tx: Tx,
    row: &ThreadRow,
    user: &SessionUser,
    party: Party,
    client_id: &str,
    body: &str,
    flags: &[Flagged],
    photo: Option<i64>,
    now: i64,
) -> Result<Posted, AppError> {
    let thread = row.id();
    if let Some(seq) = threads::seq_of_client_id(&mut tx, thread, user.id, client_id).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Ok(Posted { thread, seq });
    }
    if let Some(p) = photo {
        if !threads::photo_belongs(&mut tx, p, thread, user.id).await? {
            return Err(AppError::invalid_field("photo", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.not_your_photo).to_string()));
        }
    }
    let entry = NewEntry { thread, kind: EntryKind::Message, author: Some(user.id), party, body: body.into(), flags, photo, client_id: Some(client_id), note: None };
    let seq = threads::append(&mut tx, &entry, now).await?;
    match party {
        Party::Buyer => {
            threads::start_clock(&mut tx, row, now, answer_due(now, state.settings.answer_hours)).await?;
        }
        Party::Seller => {
            threads::stop_clock(&mut tx, row, now, ClockStop::Answered).await?;
        }
        _ => {}
    }
    // The sender has read everything up to their own message.
    threads::mark_read_in(&mut tx, thread, user.id, seq).await?;
    let subject = subject_of(&mut tx, row).await?;
    let (to, mail_kind) = match party {
        Party::Buyer => (UserId(row.shop_owner_id), MailKind::Message),
        _ => (UserId(row.buyer_id), MailKind::Answer),
    };
    let l = language_of(&mut tx, to).await?;
    let title = match party {
        Party::Buyer => td_string!(l, notices.thread.wrote, name = &user.display_name, subject = subject.text(l)).to_string(),
        _ => td_string!(l, notices.thread.answered, subject = subject.text(l)).to_string(),
    };
    // One notification per unread stretch: the key holds how far the recipient had read.
    let read = threads::read_seq_in(&mut tx, thread, to).await?;
    let key = format!("thread:{thread}:unread-after:{read}");
    let preview: String = if body.is_empty() { td_string!(l, notices.thread.a_photo).to_string() } else { body.chars().take(140).collect() };
    let n = NewNotification {
        user: to,
        order: row.order_id.map(OrderId),
        claim: None,
        review: None,
        application: None,
        product: None,
        thread: Some(thread),
        kind: NotificationKind::Message,
        title: &title,
        body: &preview,
        dedupe_key: &key,
    };
    feed::notify(&mut tx, &n, now).await?;
    let due = (party == Party::Buyer).then(|| row.answer_due.unwrap_or_else(|| answer_due(now, state.settings.answer_hours)));
    mail::enqueue(&mut tx, state, to, thread, mail_kind, &subject, due, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    state.live.publish(&[Topic::Thread(thread), Topic::User(UserId(row.buyer_id)), Topic::User(UserId(row.shop_owner_id))]).await;
    Ok(Posted { thread, seq })
}

/// The seller marks the waiting message as needing no answer (a thank-you): the clock stops, and
/// the entry stays in the conversation (and on the performance drill-down) for audit.
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %thread))]
pub async fn no_answer_needed(state: &AppState, user: &SessionUser, thread: ThreadId, now: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let row = threads::lock(&mut tx, thread).await?.ok_or_else(not_found)?;
    if row.party_of(user.id, false) != Some(Party::Seller) {
        return Err(match row.party_of(user.id, user.role.is_staff()) {
            Some(_) => AppError::Forbidden,
            None => not_found(),
        });
    }
    if !threads::stop_clock(&mut tx, &row, now, ClockStop::NoAnswerNeeded).await? {
        tx.rollback().await.map_err(DbError::from)?;
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.nothing_waits).to_string()));
    }
    let note = RoomNote::NoAnswerNeeded { name: user.display_name.clone() };
    let entry = NewEntry::said(thread, EntryKind::NoAnswerNeeded, Some(user.id), Party::Seller, &note);
    threads::append(&mut tx, &entry, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    state.live.publish(&[Topic::Thread(thread), Topic::User(UserId(row.shop_owner_id))]).await;
    Ok(())
}

/// Called in a claim's transaction when a claim opens on `order`: its conversation (if any) is
/// attached to the claim, says so, and mediators may read it from then on. Returns the thread.
pub async fn attach_to_claim(tx: &mut Tx, order: OrderId, claim: crate::domain::ClaimId, by: &str, now: i64) -> Result<Option<ThreadId>, DbError> {
    let Some(thread) = threads::of_order_in(tx, order).await? else { return Ok(None) };
    let Some(row) = threads::lock(tx, thread).await? else { return Ok(None) };
    threads::set_claim(tx, thread, claim).await?;
    // The claim's room takes over: the answer clock stops (it is neither answered nor missed).
    threads::stop_clock(tx, &row, now, ClockStop::BecameClaim).await?;
    let note = RoomNote::BecameClaim { name: by.to_string(), claim: claim.0 };
    let entry = NewEntry::said(thread, EntryKind::ClaimOpened, None, Party::System, &note);
    threads::append(tx, &entry, now).await?;
    Ok(Some(thread))
}

/// "Crêpe pan, 24 cm" or "order #12": what a conversation is about, in a sentence.
async fn subject_of(tx: &mut Tx, row: &ThreadRow) -> Result<Subject, AppError> {
    if let Some(o) = row.order_id {
        return Ok(Subject::Order(o));
    }
    match row.product_id {
        Some(p) => Ok(threads::product_name(tx, ProductId(p)).await?.map_or(Subject::SomeProduct, Subject::Product)),
        None => Ok(Subject::Conversation),
    }
}

async fn shop_owner(state: &AppState, shop: ShopId) -> Result<(UserId, String), AppError> {
    threads::shop_owner(&state.db.pool, shop).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_shop).to_string()))
}

/// The shop's "usually answers within …" over the last 90 days (none until it has answered a few).
pub async fn usually_answers(state: &AppState, shop: ShopId, now: i64) -> Result<Option<String>, AppError> {
    let times = threads::answer_times(&state.db.pool, shop, now - USUAL_WINDOW_DAYS * DAY_MS).await?;
    Ok(crate::domain::thread::usually_answers_within_in(crate::backend::web::locale::current().locale, &times))
}

/// A conversation as `user` sees it: its two parties, or a mediator once it became a claim;
/// anyone else: not found.
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %thread))]
pub async fn thread_view(state: &AppState, user: &SessionUser, thread: ThreadId, now: i64) -> Result<ThreadView, AppError> {
    let l = crate::domain::locale::request();
    let row = threads::get(&state.db.pool, thread).await?.ok_or_else(not_found)?;
    let viewer = row.party_of(user.id, user.role.is_staff()).ok_or_else(not_found)?;
    let topic = row.topic().map_err(crate::backend::internal)?;
    let names = threads::names(&state.db.pool, thread).await?.ok_or_else(not_found)?;
    let entries = threads::latest_entries(&state.db.pool, thread, viewer, crate::domain::locale::request(), THREAD_ENTRIES).await?;
    let mut reads = Vec::new();
    for (reader, seq) in threads::reads(&state.db.pool, thread).await? {
        if reader == user.id {
            continue;
        }
        if let Some(p) = row.party_of(reader, false) {
            reads.push((p, seq));
        }
    }
    let mut may_escalate = false;
    let (order, may_claim) = match row.order_id {
        Some(o) => {
            let detail = crate::backend::services::orders::order_view(&state.db, user, OrderId(o), now).await?;
            let panel = OrderPanel {
                id: detail.id,
                status: detail.status.label_in(crate::domain::locale::request()).to_string(),
                placed_at: detail.placed_at.clone(),
                items: detail.lines.iter().map(|l| (l.name.clone(), l.quantity)).collect(),
                total: detail.total,
                shipment: detail.shipment.clone(),
                estimate: detail.estimate.clone(),
            };
            let open_claim = detail.claim.is_some_and(|(_, s)| s.is_open());
            may_escalate = viewer == Party::Seller && row.claim_id.is_none() && !open_claim;
            (Some(panel), viewer == Party::Buyer && detail.may_claim && row.claim_id.is_none())
        }
        None => (None, false),
    };
    let state_now = state_of(&row);
    let replies = if viewer == Party::Seller {
        let values = TemplateValues {
            buyer: names.buyer_name.clone(),
            order: order.as_ref().map(|o| o.id),
            tracking: order.as_ref().and_then(|o| o.shipment.as_ref().map(|(carrier, number)| format!("{number} ({carrier})"))),
            return_policy: names.return_policy_for_buyer(),
        };
        threads::saved_replies(&state.db.pool, ShopId(row.shop_id)).await?.into_iter().map(|r| SavedReply { body: fill_template(&r.body, &values), ..r }).collect()
    } else {
        Vec::new()
    };
    let (may_publish, public_qa) = if viewer == Party::Seller && row.order_id.is_none() && row.product_id.is_some() {
        let qa = crate::backend::db::reviews::question_of_thread(&state.db.pool, thread).await?;
        let qa_state = qa.as_ref().map(|(_, s)| crate::domain::review::ReviewState::parse(s));
        let (q, a) = threads::question_and_answer(&state.db.pool, thread).await?;
        let text = qa_state.map(|s| match s {
            crate::domain::review::ReviewState::Pending => td_string!(l, service_views.thread.qa_pending).to_string(),
            crate::domain::review::ReviewState::Published => td_string!(l, service_views.thread.qa_published).to_string(),
            crate::domain::review::ReviewState::Rejected => td_string!(l, service_views.thread.qa_rejected).to_string(),
        });
        (q.is_some() && a.is_some() && qa_state.is_none_or(|s| s == crate::domain::review::ReviewState::Rejected), text)
    } else {
        (false, None)
    };
    let subject = match (&names.product_name, row.order_id) {
        (_, Some(o)) => td_string!(l, service_views.thread.subject_order, id = o).to_string(),
        (Some(p), None) => p.clone(),
        (None, None) => td_string!(l, service_views.thread.subject_conversation).to_string(),
    };
    Ok(ThreadView {
        id: thread,
        topic,
        subject,
        shop_id: ShopId(row.shop_id),
        shop_name: names.shop_name,
        shop_slug: names.shop_slug,
        buyer_name: names.buyer_name,
        product: row.product_id.map(ProductId).zip(names.product_name.clone()),
        order,
        viewer,
        viewer_id: user.id,
        entries,
        cursor: row.room_seq,
        reads,
        state: state_now,
        answer_expected: row.answer_due.map(|d| td_string!(l, service_views.thread.answer_expected, at = clock::display_in(l, d)).to_string()),
        countdown: (viewer == Party::Seller).then_some(row.answer_due).flatten().map(|d| countdown_in(l, d, now)),
        answer_window_ms: state.settings.answer_hours.max(1) * HOUR_MS,
        usually: usually_answers(state, ShopId(row.shop_id), now).await?.map(|u| td_string!(l, service_views.thread.usually, within = u).to_string()),
        others_read: crate::backend::services::accounts::others_read(&state.db, viewer, UserId(row.buyer_id), UserId(row.shop_owner_id)).await?,
        claim: row.claim_id.map(crate::domain::ClaimId),
        may_claim,
        may_escalate,
        replies,
        may_publish,
        public_qa,
        now,
    })
}

/// Whose inbox to show: the buyer's conversations, or their shop's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    Buyer,
    Shop,
}

/// An inbox: a buyer's conversations (newest first), or a shop's (waiting ones first, the oldest
/// deadline first), filtered by topic and state.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn inbox(state: &AppState, user: &SessionUser, kind: InboxKind, topic: Option<ThreadTopic>, wanted: Option<ThreadState>, now: i64) -> Result<Inbox, AppError> {
    let (of, shop_name) = match kind {
        InboxKind::Buyer => (InboxOf::Buyer(user.id), None),
        InboxKind::Shop => {
            let (shop, name, _) = catalog::shop_of_owner(&state.db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
            (InboxOf::Shop(shop, user.id), Some(name))
        }
    };
    let l = crate::domain::locale::request();
    let rows = threads::inbox(&state.db.pool, of, topic, wanted, INBOX_LIMIT).await?;
    let mut out = Vec::with_capacity(rows.len());
    let (mut waiting, mut late) = (0, 0);
    for r in rows {
        let Some(t) = ThreadTopic::parse(&r.topic) else {
            tracing::warn!(thread = r.id, topic = %r.topic, "a conversation with an unknown topic is left out of the inbox");
            continue;
        };
        let st = if r.claim_id.is_some() {
            ThreadState::Claim
        } else if r.answer_due.is_some() {
            ThreadState::Waiting
        } else {
            ThreadState::Answered
        };
        let is_late = st == ThreadState::Waiting && r.answer_due.is_some_and(|d| d <= now);
        if st == ThreadState::Waiting {
            waiting += 1;
            if is_late {
                late += 1;
            }
        }
        let read = r.read_seq.unwrap_or(0);
        let unread = match kind {
            InboxKind::Buyer => r.last_seller_seq > read,
            InboxKind::Shop => r.last_buyer_seq > read,
        };
        let subject = match (r.order_id, &r.product_name) {
            (Some(o), _) => td_string!(l, service_views.thread.subject_order, id = o).to_string(),
            (None, Some(p)) => p.clone(),
            (None, None) => td_string!(l, service_views.thread.subject_conversation).to_string(),
        };
        let preview: String = match r.preview.unwrap_or_default() {
            p if p.is_empty() => td_string!(l, service_views.thread.a_photo).to_string(),
            p => p.chars().take(100).collect(),
        };
        out.push(ThreadSummary {
            id: ThreadId(r.id),
            topic: t,
            subject,
            with: match kind {
                InboxKind::Buyer => r.shop_name,
                InboxKind::Shop => r.buyer_name,
            },
            state: st,
            unread,
            last_message_at: clock::display(r.last_message_at),
            preview,
            countdown: (kind == InboxKind::Shop).then_some(r.answer_due).flatten().filter(|_| st == ThreadState::Waiting).map(|d| countdown_in(l, d, now)),
            late: is_late,
        });
    }
    Ok(Inbox { threads: out, topic, state: wanted, waiting, late, shop_name })
}

/// Marks what `user` has read in the conversation (the page does when it shows the newest).
pub async fn mark_read(state: &AppState, user: &SessionUser, thread: ThreadId, seq: i64) -> Result<(), AppError> {
    let row = threads::get(&state.db.pool, thread).await?.ok_or_else(not_found)?;
    row.party_of(user.id, user.role.is_staff()).ok_or_else(not_found)?;
    threads::mark_read(&state.db.pool, thread, user.id, seq.min(row.room_seq)).await?;
    state.live.publish(&[Topic::User(user.id)]).await;
    Ok(())
}

/// The deadline job: each answer clock whose deadline passed unanswered is marked missed once
/// (whichever server gets there first), the conversation says so, and the seller is told (in the
/// app, and by e-mail when configured). Returns how many it marked.
pub async fn run_answer_jobs(state: &AppState, now: i64) -> Result<usize, AppError> {
    let mut marked = 0;
    for (clock_id, thread) in threads::clocks_overdue(&state.db.pool, now, 100).await? {
        let mut tx = state.db.begin().await?;
        let Some(row) = threads::lock(&mut tx, thread).await? else { continue };
        if !threads::mark_missed(&mut tx, clock_id, now).await? {
            tx.rollback().await.map_err(DbError::from)?;
            continue;
        }
        let hours = state.settings.answer_hours;
        let note = RoomNote::AnswerLate { hours };
        let entry = NewEntry::said(thread, EntryKind::AnswerLate, None, Party::System, &note);
        threads::append(&mut tx, &entry, now).await?;
        let subject = subject_of(&mut tx, &row).await?;
        let seller = UserId(row.shop_owner_id);
        let l = language_of(&mut tx, seller).await?;
        let title = td_string!(l, notices.thread.late, subject = subject.text(l)).to_string();
        let body = td_string!(l, notices.thread.late_body, hours = hours).to_string();
        let key = format!("thread:{thread}:late:{clock_id}");
        let n = NewNotification {
            user: seller,
            order: row.order_id.map(OrderId),
            claim: None,
            review: None,
            application: None,
            product: None,
            thread: Some(thread),
            kind: NotificationKind::Message,
            title: &title,
            body: &body,
            dedupe_key: &key,
        };
        feed::notify(&mut tx, &n, now).await?;
        mail::enqueue(&mut tx, state, seller, thread, MailKind::Late, &subject, None, now).await?;
        tx.commit().await.map_err(DbError::from)?;
        state.live.publish(&[Topic::Thread(thread), Topic::User(seller), Topic::User(UserId(row.buyer_id))]).await;
        marked += 1;
    }
    Ok(marked)
}

/// The seller's saved replies (as written, placeholders unfilled).
pub async fn saved_replies(state: &AppState, user: &SessionUser) -> Result<Vec<SavedReply>, AppError> {
    let (shop, ..) = catalog::shop_of_owner(&state.db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
    Ok(threads::saved_replies(&state.db.pool, shop).await?)
}

/// Saves a new reply (`id` none) or changes one of the shop's.
pub async fn save_reply(state: &AppState, user: &SessionUser, id: Option<i64>, input: &TemplateInput, now: i64) -> Result<(), AppError> {
    let (shop, ..) = catalog::shop_of_owner(&state.db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
    let (title, body) = crate::domain::thread::check_template(input)?;
    let mut tx = state.db.begin().await?;
    if id.is_none() && threads::count_replies(&mut tx, shop).await? >= TEMPLATES_MAX as i64 {
        return Err(AppError::invalid_field("title", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.templates_max, max = TEMPLATES_MAX).to_string()));
    }
    if !threads::save_reply(&mut tx, shop, id, &title, &body, now).await? {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.no_reply).to_string()));
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

pub async fn delete_reply(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    let (shop, ..) = catalog::shop_of_owner(&state.db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
    if !threads::delete_reply(&state.db.pool, shop, id).await? {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.thread.no_reply).to_string()));
    }
    Ok(())
}

/// How many conversations have a message `user` has not read, and when the newest changed.
pub async fn unread(state: &AppState, user: UserId) -> Result<(i64, i64), AppError> {
    Ok(threads::unread(&state.db.pool, user).await?)
}
