//! Reviews and their moderation. Only the buyer of a delivered order reviews its products; every
//! new or edited review (and every seller's reply) is screened (`domain::review::screen`) and
//! waits in the queue; a moderator claims it (a conditional update: one wins) and approves or
//! rejects it with a reason from the policy list; every decision is logged with the text as it
//! was judged; ratings are recomputed from published reviews in the same transaction. Committed
//! first, published after (the queue's live stream, the people told).

use crate::backend::clock;
use crate::backend::db::reviews::{self, Decision, Edit, ListedRow, NewRow, QueueRow, ReviewRow};
use crate::backend::db::{catalog, Db, DbError, Tx};
use crate::backend::live::{LiveHub, Topic};
use crate::backend::services::notices::{self, About, Notice};
use crate::domain::order::OrderStatus;
use crate::domain::review::{
    badge_checks, check_appeal, check_reason, check_reply, is_top_seller, median, public_name, risk, screen,
    AuthorHistory, DecisionView, Figure, Flagged, ModerationQueue, MyReply, MyReviews, MyReview, NewReview, Performance,
    PerformanceView, PolicyReason, ProductReviews, PublicReply, PublicReview, QueueItem, QueueReason, Rejection, ReportView,
    ReviewForm, ReviewInput, ReviewState, ScreeningContext, ShopReview, BURST_WINDOW_MS, QUEUE_PAGE, REVIEWS_PER_PAGE,
    WINDOW_DAYS,
};
use crate::domain::user::SessionUser;
use crate::domain::{OrderId, ProductId, ReviewId, ShopId, UserId};
use crate::domain::dispute::countdown_in;
use crate::domain::locale::Locale;
use crate::error::AppError;
use crate::i18n::td_string;
use std::collections::HashMap;

const DAY_MS: i64 = 86_400_000;
/// How many earlier texts about the shop (and, besides, by the author) a new one is compared with.
const EARLIER_TEXTS: i64 = 300;
const LIST_LIMIT: i64 = 200;
/// Badges are rechecked this often by the job (and at once when a review is published).
const BADGE_EVERY_MS: i64 = 10 * 60 * 1000;

fn not_found() -> AppError {
    AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.review.no_review).to_string())
}

fn require_moderator(user: &SessionUser) -> Result<(), AppError> {
    if user.role.moderates_reviews() { Ok(()) } else { Err(AppError::Forbidden) }
}

fn stars_of(v: Option<i64>) -> Option<u8> {
    v.and_then(|s| u8::try_from(s).ok())
}

fn flags_of(json: &str) -> Vec<Flagged> {
    serde_json::from_str::<Vec<Flagged>>(json).unwrap_or_default().into_iter().map(Flagged::with_detail).collect()
}

fn rejection_of(reason: Option<&str>, note: Option<&str>) -> Option<Rejection> {
    reason.map(|r| Rejection { reason: policy_reason(r), note: note.unwrap_or_default().to_string() })
}

/// A stored policy reason. Only `PolicyReason::as_str` writes them; anything else is logged and
/// read as "other" (the note says why).
fn policy_reason(stored: &str) -> PolicyReason {
    PolicyReason::parse(stored).unwrap_or_else(|| {
        tracing::warn!(stored, "unknown policy reason in the database");
        PolicyReason::Other
    })
}

/// A stored queue reason, likewise.
fn queue_reason(stored: &str) -> QueueReason {
    QueueReason::parse(stored).unwrap_or_else(|| {
        tracing::warn!(stored, "unknown queue reason in the database");
        QueueReason::New
    })
}

/// What is screened: a new or edited review or reply, and where it belongs.
struct Subject<'a> {
    kind: &'a str,
    product: ProductId,
    shop: ShopId,
    author: UserId,
    /// The item itself, when edited (not compared with itself).
    except: Option<ReviewId>,
    title: &'a str,
    body: &'a str,
}

/// Screens a text against what was written before; (flags as JSON, risk).
async fn screening(db: &Db, s: &Subject<'_>, ctx: ScreeningContext<'_>, now: i64) -> Result<(String, i64), AppError> {
    let earlier = reviews::earlier_texts(&db.pool, s.kind, s.shop, s.author, s.except, EARLIER_TEXTS).await?;
    let is_review = s.kind == "review";
    let (mut for_product, mut for_shop) =
        if is_review { reviews::recent_counts(&db.pool, s.product, s.shop, now - BURST_WINDOW_MS).await? } else { (0, 0) };
    if s.except.is_none() && is_review {
        // This one included.
        for_product += 1;
        for_shop += 1;
    }
    let ctx = ScreeningContext { earlier: &earlier, recent_for_product: for_product, recent_for_seller: for_shop, ..ctx };
    let flags = screen(s.title, s.body, &ctx);
    let json = serde_json::to_string(&flags).map_err(crate::backend::internal)?;
    Ok((json, i64::from(risk(&flags))))
}

async fn commit_and_publish(tx: Tx, live: &LiveHub, told: &[UserId]) -> Result<(), AppError> {
    tx.commit().await.map_err(DbError::from)?;
    let mut topics = vec![Topic::Moderation];
    topics.extend(told.iter().map(|u| Topic::User(*u)));
    live.publish(&topics).await;
    Ok(())
}

/// One line of the buyer's order as theirs to review: the facts about it, the review written so
/// far, and whether the seller's stars are asked on it (once per order).
struct Line {
    facts: reviews::LineFacts,
    existing: Option<ReviewRow>,
    asks_seller: bool,
}

/// The order line as the buyer's to review: theirs (else not found) and delivered.
async fn reviewable_line(db: &Db, user: &SessionUser, order: OrderId, product: ProductId) -> Result<Line, AppError> {
    let facts = reviews::line_facts(&db.pool, order, product)
        .await?
        .filter(|f| f.buyer_id == user.id.0)
        .ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.review.no_product).to_string()))?;
    if !matches!(OrderStatus::parse(&facts.status), Some(OrderStatus::Delivered | OrderStatus::Completed)) {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.not_delivered).to_string()));
    }
    let existing = reviews::of_line(&db.pool, order, product).await?;
    let asks_seller = existing.as_ref().is_some_and(|r| r.seller_stars.is_some()) || !reviews::seller_rated_elsewhere(&db.pool, order, product).await?;
    Ok(Line { facts, existing, asks_seller })
}

/// The review form for one line of the buyer's delivered order (empty, or the review to edit).
pub async fn review_form(db: &Db, user: &SessionUser, order: OrderId, product: ProductId) -> Result<ReviewForm, AppError> {
    let Line { facts, existing, asks_seller } = reviewable_line(db, user, order, product).await?;
    Ok(ReviewForm {
        order_id: order,
        product_id: product,
        product_name: facts.product_name,
        shop_name: facts.shop_name,
        asks_seller,
        state: existing.as_ref().map(|r| ReviewState::parse(&r.state)),
        current: existing.map(|r| ReviewInput {
            stars: r.stars.map(|s| s.to_string()).unwrap_or_default(),
            seller_stars: r.seller_stars.map(|s| s.to_string()).unwrap_or_default(),
            title: r.title,
            body: r.body,
        }),
    })
}

/// Writes or edits the buyer's review of one line. A published review that is edited goes back
/// to the queue (and out of the ratings until a moderator publishes it again).
#[tracing::instrument(skip(db, live, user, input), fields(user = %user.id))]
pub async fn save_review(db: &Db, live: &LiveHub, user: &SessionUser, order: OrderId, product: ProductId, input: &ReviewInput, now: i64) -> Result<ReviewId, AppError> {
    let Line { facts, existing, asks_seller } = reviewable_line(db, user, order, product).await?;
    let new = NewReview::parse(input, asks_seller)?;
    if existing.as_ref().is_some_and(|r| ReviewState::parse(&r.state) == ReviewState::Rejected) {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.not_published).to_string()));
    }
    let ctx = ScreeningContext { stars: Some(new.stars), author_is_seller: facts.shop_owner_id == user.id.0, ..Default::default() };
    let shop = ShopId(facts.shop_id);
    let except = existing.as_ref().map(|r| ReviewId(r.id));
    let subject = Subject { kind: "review", product, shop, author: user.id, except, title: &new.title, body: &new.body };
    let (flags, risk) = screening(db, &subject, ctx, now).await?;
    let mut tx = db.begin().await?;
    let id = match existing {
        Some(row) => {
            let was_published = ReviewState::parse(&row.state) == ReviewState::Published;
            let queue = if was_published || row.queue() == Some(QueueReason::Edited) { QueueReason::Edited } else { QueueReason::New };
            let edit = Edit { stars: Some(new.stars), seller_stars: new.seller_stars, title: &new.title, body: &new.body, flags: &flags, risk, queue };
            if !reviews::edit(&mut tx, ReviewId(row.id), user.id, &edit, now).await? {
                return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.locked).to_string()));
            }
            if was_published {
                reviews::recompute_ratings(&mut tx, product, shop).await?;
            }
            ReviewId(row.id)
        }
        None => {
            let row = NewRow {
                kind: "review",
                parent: None,
                order: Some(order),
                thread: None,
                product,
                shop,
                author: user.id,
                stars: Some(new.stars),
                seller_stars: new.seller_stars,
                title: &new.title,
                body: &new.body,
                flags: &flags,
                risk,
            };
            match reviews::insert(&mut tx, &row, now).await {
                Ok(id) => id,
                Err(DbError::Conflict(_)) => return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.already).to_string())),
                Err(e) => return Err(e.into()),
            }
        }
    };
    commit_and_publish(tx, live, &[]).await?;
    Ok(id)
}

/// The seller's public reply to a published review of their product: one per review (editable
/// like a review, moderated the same way).
#[tracing::instrument(skip(db, live, user, body), fields(user = %user.id))]
pub async fn save_reply(db: &Db, live: &LiveHub, user: &SessionUser, review: ReviewId, body: &str, now: i64) -> Result<ReviewId, AppError> {
    let parent = reviews::get(&db.pool, review).await?.filter(|r| !r.is_reply()).ok_or_else(not_found)?;
    let own_shop = catalog::shop_of_owner(&db.pool, user.id).await?.map(|(s, _, _)| s);
    if own_shop != Some(ShopId(parent.shop_id)) {
        return Err(not_found());
    }
    if ReviewState::parse(&parent.state) != ReviewState::Published {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.reply_unpublished).to_string()));
    }
    let body = check_reply(body)?;
    let existing = reviews::reply_to(&db.pool, review).await?;
    if existing.as_ref().is_some_and(|r| ReviewState::parse(&r.state) == ReviewState::Rejected) {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.reply_rejected).to_string()));
    }
    let (product, shop) = (ProductId(parent.product_id), ShopId(parent.shop_id));
    let except = existing.as_ref().map(|r| ReviewId(r.id));
    let subject = Subject { kind: "reply", product, shop, author: user.id, except, title: "", body: &body };
    let (flags, risk) = screening(db, &subject, ScreeningContext::default(), now).await?;
    let mut tx = db.begin().await?;
    let id = match existing {
        Some(row) => {
            let queue = if ReviewState::parse(&row.state) == ReviewState::Published { QueueReason::Edited } else { QueueReason::New };
            let edit = Edit { stars: None, seller_stars: None, title: "", body: &body, flags: &flags, risk, queue };
            if !reviews::edit(&mut tx, ReviewId(row.id), user.id, &edit, now).await? {
                return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.reply_locked).to_string()));
            }
            ReviewId(row.id)
        }
        None => {
            let row = NewRow {
                kind: "reply",
                parent: Some(review),
                order: parent.order_id.map(OrderId),
                thread: None,
                product,
                shop,
                author: user.id,
                stars: None,
                seller_stars: None,
                title: "",
                body: &body,
                flags: &flags,
                risk,
            };
            match reviews::insert(&mut tx, &row, now).await {
                Ok(id) => id,
                Err(DbError::Conflict(_)) => return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.replied).to_string())),
                Err(e) => return Err(e.into()),
            }
        }
    };
    commit_and_publish(tx, live, &[]).await?;
    Ok(id)
}

/// Anyone signed in reports a published review or reply (a reason from the policy list): it comes
/// back to the queue with the report, and stays published meanwhile.
pub async fn report(db: &Db, live: &LiveHub, user: &SessionUser, review: ReviewId, reason: &str, note: &str, now: i64) -> Result<(), AppError> {
    let (reason, note) = check_reason(reason, note)?;
    let row = reviews::get(&db.pool, review).await?.ok_or_else(not_found)?;
    if ReviewState::parse(&row.state) != ReviewState::Published {
        return Err(not_found());
    }
    let mut tx = db.begin().await?;
    match reviews::report(&mut tx, review, user.id, reason.as_str(), &note, now).await {
        Ok(_) => {}
        Err(DbError::Conflict(_)) => return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.reported).to_string())),
        Err(e) => return Err(e.into()),
    }
    commit_and_publish(tx, live, &[]).await
}

/// The author appeals a rejection, once; it goes to another moderator than the one who rejected.
pub async fn appeal(db: &Db, live: &LiveHub, user: &SessionUser, review: ReviewId, text: &str, now: i64) -> Result<(), AppError> {
    let text = check_appeal(text)?;
    let row = reviews::get(&db.pool, review).await?.filter(|r| r.author_id == user.id.0).ok_or_else(not_found)?;
    if ReviewState::parse(&row.state) != ReviewState::Rejected {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.appeal_only).to_string()));
    }
    let mut tx = db.begin().await?;
    if !reviews::appeal(&mut tx, review, user.id, &text, now).await? {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.appealed).to_string()));
    }
    commit_and_publish(tx, live, &[]).await
}

/// Nobody moderates their own review or reply, nor a reply to their own review.
async fn is_own(db: &Db, row: &ReviewRow, user: &SessionUser) -> Result<bool, AppError> {
    if row.author_id == user.id.0 {
        return Ok(true);
    }
    Ok(match row.parent_id {
        Some(parent) if row.is_reply() => reviews::get(&db.pool, ReviewId(parent)).await?.is_some_and(|p| p.author_id == user.id.0),
        _ => false,
    })
}

fn own_item() -> AppError {
    AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.own).to_string())
}

/// A moderator claims an item, so no other moderator works on it meanwhile.
pub async fn claim(db: &Db, live: &LiveHub, user: &SessionUser, review: ReviewId, now: i64) -> Result<(), AppError> {
    require_moderator(user)?;
    let row = reviews::get(&db.pool, review).await?.ok_or_else(not_found)?;
    if is_own(db, &row, user).await? {
        return Err(own_item());
    }
    if !reviews::claim(&db.pool, review, user.id, now).await? {
        let row = reviews::get(&db.pool, review).await?.ok_or_else(not_found)?;
        return Err(refused(&row, user, row.version, now));
    }
    live.publish(&[Topic::Moderation]).await;
    Ok(())
}

/// What a moderator decided.
pub struct Verdict<'a> {
    pub approve: bool,
    pub reason: &'a str,
    pub note: &'a str,
    pub version: i64,
}

/// Approves or rejects an item (claiming it if nobody holds it). The decision applies to the
/// version the moderator read: if the author edited it meanwhile, nothing changes (409).
#[tracing::instrument(skip(db, live, user, verdict), fields(user = %user.id, approve = verdict.approve))]
pub async fn decide(db: &Db, live: &LiveHub, user: &SessionUser, review: ReviewId, verdict: &Verdict<'_>, now: i64) -> Result<ReviewState, AppError> {
    require_moderator(user)?;
    let (reason, note) = if verdict.approve {
        (None, crate::domain::text::capped(verdict.note, "note", crate::domain::text::NOTE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.note))?)
    } else {
        let (r, n) = check_reason(verdict.reason, verdict.note)?;
        (Some(r), n)
    };
    let current = reviews::get(&db.pool, review).await?.ok_or_else(not_found)?;
    if is_own(db, &current, user).await? {
        return Err(own_item());
    }
    let mut tx = db.begin().await?;
    let row = reviews::get_in(&mut tx, review).await?.ok_or_else(not_found)?;
    let d = Decision { approve: verdict.approve, reason: reason.map(PolicyReason::as_str), note: &note, version: verdict.version, clean_only: false };
    let told = apply_decision(&mut tx, user, &row, &d, now).await?.ok_or_else(|| refused(&row, user, d.version, now))?;
    commit_and_publish(tx, live, &told).await?;
    if !row.is_reply() {
        refresh_badge(db, ShopId(row.shop_id), now).await?;
    }
    Ok(if verdict.approve { ReviewState::Published } else { ReviewState::Rejected })
}

/// Why a claim or a decision could not apply, read from the item as it is now.
fn refused(row: &ReviewRow, user: &SessionUser, version: i64, now: i64) -> AppError {
    if row.queue.is_none() {
        AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.decided).to_string())
    } else if row.version != version {
        AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.changed).to_string())
    } else if row.queue() == Some(QueueReason::Appeal) && row.excluded_moderator == Some(user.id.0) {
        AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.own_decision).to_string())
    } else if row.holder(now).is_some_and(|m| m != user.id.0) {
        AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.other_moderator).to_string())
    } else {
        AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.not_now).to_string())
    }
}

/// Applies a decision to `row` in the transaction: the conditional update, the audit log, the
/// reports resolved, the ratings recomputed, the people told (returned). `None`, and nothing
/// changed, when the decision no longer applies (decided, edited, held by someone else, or, for
/// bulk approval, not clean).
async fn apply_decision(tx: &mut Tx, user: &SessionUser, row: &ReviewRow, d: &Decision<'_>, now: i64) -> Result<Option<Vec<UserId>>, DbError> {
    let id = ReviewId(row.id);
    let base_risk = i64::from(risk(&flags_of(&row.flags)));
    if !reviews::decide(tx, id, user.id, d, base_risk, now).await? {
        return Ok(None);
    }
    reviews::record_decision(tx, row, user.id, d, now).await?;
    reviews::resolve_reports(tx, id, now).await?;
    if !row.is_reply() {
        reviews::recompute_ratings(tx, ProductId(row.product_id), ShopId(row.shop_id)).await?;
    }
    tell_about_decision(tx, row, d, now).await.map(Some)
}

/// The author hears the outcome (with the reason when rejected); a newly published review tells
/// the seller (who may reply), a published reply tells the review's author.
async fn tell_about_decision(tx: &mut Tx, row: &ReviewRow, d: &Decision<'_>, now: i64) -> Result<Vec<UserId>, DbError> {
    let Some(order) = row.order_id.map(OrderId) else { return tell_about_question(tx, row, d, now).await };
    let about = About::Review(ReviewId(row.id));
    let key = format!("review:{}:{}:{}", row.id, now, if d.approve { "approved" } else { "rejected" });
    let mut told = Vec::new();
    let author = UserId(row.author_id);
    if d.approve {
        if row.queue() == Some(QueueReason::Reported) {
            return Ok(told); // a report dismissed: nothing changed for the author
        }
        let public = if row.is_reply() { &row.body } else { &row.title };
        let text = |l: Locale| {
            let title = if row.is_reply() { td_string!(l, notices.review.reply_published) } else { td_string!(l, notices.review.review_published) };
            (title.to_string(), td_string!(l, notices.review.now_public, text = public).to_string())
        };
        told.extend(notices::tell(tx, order, about, &[author], None, Notice { text: &text, key: &key }, now).await?);
        let other = if row.is_reply() {
            let parent = reviews::get_in(tx, ReviewId(row.parent_id.unwrap_or_default())).await?;
            parent.map(|p| UserId(p.author_id))
        } else {
            Some(catalog::shop_owner(tx, ShopId(row.shop_id)).await?)
        };
        let text = |l: Locale| {
            if row.is_reply() {
                (td_string!(l, notices.review.seller_replied).to_string(), row.body.clone())
            } else {
                let stars = row.stars.unwrap_or(0);
                let title = td_string!(l, notices.review.new_review, count = stars, shown = stars).to_string();
                (title, td_string!(l, notices.review.may_reply, title = &row.title).to_string())
            }
        };
        if let Some(other) = other {
            told.extend(notices::tell(tx, order, about, &[other], None, Notice { text: &text, key: &key }, now).await?);
        }
    } else {
        let policy = d.reason.and_then(PolicyReason::parse);
        let note = if d.note.is_empty() { String::new() } else { format!(" {}", d.note) };
        let text = |l: Locale| {
            let title = if row.is_reply() { td_string!(l, notices.review.reply_rejected) } else { td_string!(l, notices.review.review_rejected) };
            let reason = policy.map_or("", |p| p.label_in(l));
            let appeal = if row.appealed == 0 { format!(" {}", td_string!(l, notices.review.appeal_once)) } else { String::new() };
            (title.to_string(), format!("{}{note}{appeal}", td_string!(l, notices.review.reason, reason = reason)))
        };
        told.extend(notices::tell(tx, order, about, &[author], None, Notice { text: &text, key: &key }, now).await?);
    }
    Ok(told)
}

/// A public question decided: the seller who published it hears the outcome (with the reason
/// when it was not published).
async fn tell_about_question(tx: &mut Tx, row: &ReviewRow, d: &Decision<'_>, now: i64) -> Result<Vec<UserId>, DbError> {
    let seller = UserId(row.author_id);
    if d.approve && row.queue() == Some(QueueReason::Reported) {
        return Ok(Vec::new());
    }
    let l = notices::language_of(tx, seller).await?;
    let (title, body) = if d.approve {
        (td_string!(l, notices.review.answer_published).to_string(), td_string!(l, notices.review.answer_shown, title = &row.title).to_string())
    } else {
        let reason = d.reason.and_then(PolicyReason::parse).map_or("", |p| p.label_in(l));
        let note = if d.note.is_empty() { String::new() } else { format!(" {}", d.note) };
        (td_string!(l, notices.review.answer_rejected).to_string(), format!("{}{note}", td_string!(l, notices.review.reason, reason = reason)))
    };
    let key = format!("question:{}:{}:{}", row.id, now, if d.approve { "approved" } else { "rejected" });
    let n = crate::backend::db::feed::NewNotification {
        user: seller,
        order: None,
        claim: None,
        review: Some(ReviewId(row.id)),
        application: None,
        product: Some(ProductId(row.product_id)),
        thread: row.thread_id.map(crate::domain::ThreadId),
        kind: crate::domain::order::NotificationKind::Review,
        title: &title,
        body: &body,
        dedupe_key: &key,
    };
    crate::backend::db::feed::notify(tx, &n, now).await?;
    Ok(vec![seller])
}

/// The seller publishes a buyer's question and their answer from a conversation about a product:
/// the buyer's first message and the seller's latest answer, as a public Q&A (the buyer's name is
/// not shown). It goes through moderation like a review and shows once approved.
#[tracing::instrument(skip_all, fields(user = %user.id, thread = %thread))]
pub async fn publish_question(db: &Db, live: &LiveHub, user: &SessionUser, thread: crate::domain::ThreadId, now: i64) -> Result<ReviewId, AppError> {
    use crate::backend::db::threads;
    let row = threads::get(&db.pool, thread).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_conversation).to_string()))?;
    match row.party_of(user.id, false) {
        Some(crate::domain::dispute::Party::Seller) => {}
        Some(_) => return Err(AppError::Forbidden),
        None => return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_conversation).to_string())),
    }
    let (Some(product), None) = (row.product_id, row.order_id) else {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.not_presale).to_string()));
    };
    if reviews::question_of_thread(&db.pool, thread).await?.is_some_and(|(_, state)| ReviewState::parse(&state) != ReviewState::Rejected) {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.question_pending).to_string()));
    }
    let (question, answer) = threads::question_and_answer(&db.pool, thread).await?;
    let (Some(question), Some(answer)) = (question, answer) else {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.review.answer_first).to_string()));
    };
    let (product, shop) = (ProductId(product), ShopId(row.shop_id));
    let subject = Subject { kind: "question", product, shop, author: user.id, except: None, title: &question, body: &answer };
    let (flags, risk) = screening(db, &subject, ScreeningContext::default(), now).await?;
    let mut tx = db.begin().await?;
    let new = NewRow {
        kind: "question",
        parent: None,
        order: None,
        thread: Some(thread),
        product,
        shop,
        author: user.id,
        stars: None,
        seller_stars: None,
        title: &question,
        body: &answer,
        flags: &flags,
        risk,
    };
    let id = reviews::insert(&mut tx, &new, now).await?;
    commit_and_publish(tx, live, &[]).await?;
    Ok(id)
}

/// A product's published questions and answers, newest first.
pub async fn product_questions(db: &Db, product: ProductId) -> Result<Vec<crate::domain::review::PublicQuestion>, AppError> {
    Ok(reviews::published_questions(&db.pool, product, 20)
        .await?
        .into_iter()
        .map(|(id, question, answer, at)| crate::domain::review::PublicQuestion { id: ReviewId(id), question, answer, at: clock::display_date(at) })
        .collect())
}

/// Approves at once the clean items (no flags; new or edited) among those given with the version
/// the moderator saw; skips any that changed, got a flag, or that someone else holds. Returns how
/// many were published.
pub async fn approve_clean(db: &Db, live: &LiveHub, user: &SessionUser, items: &[(ReviewId, i64)], now: i64) -> Result<usize, AppError> {
    require_moderator(user)?;
    let mut tx = db.begin().await?;
    let mut told = Vec::new();
    let mut published = 0;
    let mut shops = Vec::new();
    for (id, version) in items {
        let Some(row) = reviews::get_in(&mut tx, *id).await? else { continue };
        if is_own(db, &row, user).await? {
            continue;
        }
        let d = Decision { approve: true, reason: None, note: "", version: *version, clean_only: true };
        let Some(people) = apply_decision(&mut tx, user, &row, &d, now).await? else { continue };
        if !row.is_reply() {
            shops.push(ShopId(row.shop_id));
        }
        told.extend(people);
        published += 1;
    }
    commit_and_publish(tx, live, &told).await?;
    shops.sort();
    shops.dedup();
    for s in shops {
        refresh_badge(db, s, now).await?;
    }
    Ok(published)
}

fn queue_item(r: QueueRow, me: UserId, histories: &HashMap<i64, AuthorHistory>, reports: &mut HashMap<i64, Vec<ReportView>>, now: i64) -> QueueItem {
    let row = r.review;
    let live_claim = row.holder(now);
    let flags = flags_of(&row.flags);
    let queue = row.queue().unwrap_or(QueueReason::New);
    let l = crate::domain::locale::request();
    QueueItem {
        id: ReviewId(row.id),
        is_reply: row.is_reply(),
        queue,
        risk: u32::try_from(row.risk).unwrap_or(0),
        flags,
        stars: stars_of(row.stars),
        seller_stars: stars_of(row.seller_stars),
        title: row.title.clone(),
        body: row.body.clone(),
        version: row.version,
        product_id: ProductId(row.product_id),
        product_name: r.product_name,
        shop_name: r.shop_name,
        order_id: row.order_id.map(OrderId),
        order_summary: match (row.order_id, r.order_created_at, r.order_delivered_at) {
            (Some(o), Some(at), Some(d)) => {
                td_string!(l, moderation.order_delivered, order = o, placed = clock::display_in(l, at), delivered = clock::display_in(l, d)).to_string()
            }
            (Some(o), Some(at), None) => td_string!(l, moderation.order_summary, order = o, placed = clock::display_in(l, at)).to_string(),
            _ => td_string!(l, moderation.question_summary).to_string(),
        },
        is_question: row.is_question(),
        author: histories.get(&row.author_id).cloned().unwrap_or_default(),
        reports: reports.remove(&row.id).unwrap_or_default(),
        appeal: row.appeal_text.clone().filter(|_| queue == QueueReason::Appeal),
        earlier_rejection: rejection_of(row.reject_reason.as_deref(), row.reject_note.as_deref()).filter(|_| queue == QueueReason::Appeal),
        parent: r.parent_title.zip(r.parent_body),
        queued_at: clock::display(row.queued_at.unwrap_or(row.created_at)),
        claimed_by: live_claim.and(r.claimer_name),
        claimed_by_me: live_claim == Some(me.0),
        excluded: queue == QueueReason::Appeal && row.excluded_moderator == Some(me.0),
        own: row.author_id == me.0,
    }
}

/// The queue as a moderator sees it: riskiest first, each item with its flags, product, order,
/// the author's record and any reports or appeal.
pub async fn queue_view(db: &Db, user: &SessionUser, now: i64) -> Result<ModerationQueue, AppError> {
    require_moderator(user)?;
    let rows = reviews::queue(&db.pool, QUEUE_PAGE).await?;
    let waiting = reviews::waiting(&db.pool).await?;
    let mut authors: Vec<i64> = rows.iter().map(|r| r.review.author_id).collect();
    authors.sort_unstable();
    authors.dedup();
    let orders: HashMap<i64, i64> = reviews::order_counts(&db.pool, &authors).await?.into_iter().collect();
    let mut histories = HashMap::new();
    for (author, written, published, rejected) in reviews::author_counts(&db.pool, &authors).await? {
        histories.insert(author, AuthorHistory { written, published, rejected, orders: orders.get(&author).copied().unwrap_or(0), ..Default::default() });
    }
    for r in &rows {
        if let Some(h) = histories.get_mut(&r.review.author_id) {
            h.name = r.author_name.clone();
            h.member_since = clock::display_date(r.author_since);
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.review.id).collect();
    let mut reports: HashMap<i64, Vec<ReportView>> = HashMap::new();
    for (review, reason, note, at) in reviews::open_reports(&db.pool, &ids).await? {
        reports.entry(review).or_default().push(ReportView { reason: policy_reason(&reason), note, at: clock::display(at) });
    }
    let items = rows.into_iter().map(|r| queue_item(r, user.id, &histories, &mut reports, now)).collect();
    Ok(ModerationQueue { items, waiting })
}

/// The audit log, newest first (moderators only).
pub async fn decision_log(db: &Db, user: &SessionUser) -> Result<Vec<DecisionView>, AppError> {
    require_moderator(user)?;
    Ok(reviews::decisions(&db.pool, None, LIST_LIMIT)
        .await?
        .into_iter()
        .map(|d| DecisionView {
            review_id: ReviewId(d.review_id),
            moderator: d.moderator_name,
            approved: d.action == "approved",
            reason: d.reason.as_deref().map(policy_reason),
            note: d.note,
            queue: queue_reason(&d.queue),
            title: d.title,
            body: d.body,
            stars: stars_of(d.stars),
            at: clock::display(d.decided_at),
        })
        .collect())
}

fn public_reply(r: &ListedRow) -> Option<PublicReply> {
    match (&r.reply_body, r.reply_state.as_deref()) {
        (Some(body), Some("published")) => Some(PublicReply {
            shop_name: r.shop_name.clone(),
            body: body.clone(),
            at: r.reply_published_at.map(clock::display).unwrap_or_default(),
        }),
        _ => None,
    }
}

/// A product's published reviews, newest first, with the rating they make.
pub async fn product_reviews(db: &Db, viewer: Option<&SessionUser>, product: ProductId, page: i64) -> Result<ProductReviews, AppError> {
    let rating = catalog::product_rating(&db.pool, product).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_product).to_string()))?;
    let pages = ((rating.count + REVIEWS_PER_PAGE - 1) / REVIEWS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let rows = reviews::published_for_product(&db.pool, product, REVIEWS_PER_PAGE, (page - 1) * REVIEWS_PER_PAGE).await?;
    let reviews = rows
        .iter()
        .map(|r| PublicReview {
            id: ReviewId(r.review.id),
            stars: stars_of(r.review.stars).unwrap_or(0),
            title: r.review.title.clone(),
            body: r.review.body.clone(),
            author: public_name(&r.author_name),
            at: clock::display_date(r.review.published_at.unwrap_or(r.review.created_at)),
            verified: true,
            reply: public_reply(r),
        })
        .collect();
    Ok(ProductReviews { rating, reviews, page, pages, may_report: viewer.is_some() })
}

/// The buyer's reviews (with where each stands) and, for a seller, the reviews of their products.
pub async fn my_reviews(db: &Db, user: &SessionUser) -> Result<MyReviews, AppError> {
    let written = reviews::written_by(&db.pool, user.id, LIST_LIMIT)
        .await?
        .iter()
        .map(|r| {
            let row = &r.review;
            let state = ReviewState::parse(&row.state);
            MyReview {
                id: ReviewId(row.id),
                // Listed reviews always have their order (questions are not reviews).
                order_id: OrderId(row.order_id.unwrap_or_default()),
                product_id: ProductId(row.product_id),
                product_name: r.product_name.clone(),
                stars: stars_of(row.stars).unwrap_or(0),
                title: row.title.clone(),
                body: row.body.clone(),
                state,
                in_queue: row.queue(),
                rejection: rejection_of(row.reject_reason.as_deref(), row.reject_note.as_deref()).filter(|_| state == ReviewState::Rejected),
                may_edit: state != ReviewState::Rejected,
                may_appeal: state == ReviewState::Rejected && row.appealed == 0,
                appealed: row.appealed != 0,
                reply: public_reply(r),
            }
        })
        .collect();
    let shop = catalog::shop_of_owner(&db.pool, user.id).await?;
    let received = match shop {
        Some((shop, _, _)) => reviews::published_for_shop(&db.pool, shop, LIST_LIMIT)
            .await?
            .into_iter()
            .map(|r| {
                let reply = r.reply_id.map(|id| {
                    let state = ReviewState::parse(r.reply_state.as_deref().unwrap_or_default());
                    MyReply {
                        id: ReviewId(id),
                        body: r.reply_body.clone().unwrap_or_default(),
                        state,
                        rejection: rejection_of(r.reply_reject_reason.as_deref(), r.reply_reject_note.as_deref()).filter(|_| state == ReviewState::Rejected),
                        may_appeal: state == ReviewState::Rejected && r.reply_appealed == Some(0),
                    }
                });
                ShopReview {
                    id: ReviewId(r.review.id),
                    product_id: ProductId(r.review.product_id),
                    product_name: r.product_name,
                    order_id: OrderId(r.review.order_id.unwrap_or_default()),
                    stars: stars_of(r.review.stars).unwrap_or(0),
                    title: r.review.title,
                    body: r.review.body,
                    author: public_name(&r.author_name),
                    at: clock::display_date(r.review.published_at.unwrap_or(r.review.created_at)),
                    may_reply: reply.as_ref().is_none_or(|p| p.state != ReviewState::Rejected),
                    reply,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(MyReviews { written, received, is_seller: shop.is_some() })
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 { "–".into() } else { format!("{:.1} %", part as f64 * 100.0 / whole as f64) }
}

/// A shop's performance over the trailing window: the badge's inputs, and every figure with its
/// explanation and the orders behind it.
async fn measure(db: &Db, shop: ShopId, now: i64) -> Result<(Performance, Vec<Figure>, Vec<crate::domain::review::MessageClockLine>), AppError> {
    let l = crate::domain::locale::request();
    let since = now - WINDOW_DAYS * DAY_MS;
    let orders = reviews::window_orders(&db.pool, shop, since).await?;
    let claims = reviews::window_claims(&db.pool, shop, since).await?;
    let rating = reviews::window_rating(&db.pool, shop, since).await?;
    let status = |o: &reviews::WindowOrderRow| OrderStatus::parse(&o.status);
    let late: Vec<OrderId> = orders
        .iter()
        .filter(|o| match o.shipped_at {
            Some(s) => s > o.ship_by,
            None => status(o) == Some(OrderStatus::Accepted) && o.ship_by < now,
        })
        .map(|o| OrderId(o.id))
        .collect();
    let refused: Vec<OrderId> = orders
        .iter()
        .filter(|o| matches!(status(o), Some(OrderStatus::Refused | OrderStatus::CancelledBySeller | OrderStatus::CancelledUnaccepted)))
        .map(|o| OrderId(o.id))
        .collect();
    let decided = orders.iter().filter(|o| !matches!(status(o), Some(OrderStatus::Placed | OrderStatus::CancelledByBuyer))).count();
    let reply_times: Vec<i64> = claims.iter().filter_map(|c| c.seller_first_reply_at.map(|r| r - c.opened_at)).collect();
    let in_time: Vec<OrderId> =
        claims.iter().filter(|c| c.seller_first_reply_at.is_some_and(|r| r - c.opened_at <= DAY_MS)).map(|c| OrderId(c.order_id)).collect();
    // A claim counts once answered or once its 24 hours have passed (fresh claims are not misses).
    let claim_clocks: Vec<(i64, Option<i64>)> = claims.iter().map(|c| (c.opened_at, c.seller_first_reply_at)).collect();
    let (claims_in_time, claims_counted) = crate::domain::review::claim_replies(&claim_clocks, now);
    // Buyers' messages: the answer clocks started in the window.
    let clocks = crate::backend::db::threads::clocks_of_shop(&db.pool, shop, since).await?;
    let answer_clocks: Vec<crate::domain::thread::AnswerClock> = clocks.iter().map(|c| c.clock()).collect();
    let (messages_in_time, messages_counted, answer_median) = crate::domain::thread::answer_record(&answer_clocks, now);
    let message_lines: Vec<crate::domain::review::MessageClockLine> = clocks
        .iter()
        .map(|c| {
            let outcome = c.clock().outcome(now);
            let detail = match (c.answered_at, c.no_answer_needed_at, c.claimed_at) {
                (_, Some(t), _) => td_string!(l, service_views.performance.marked, at = crate::backend::clock::display(t)).to_string(),
                (Some(a), None, _) => td_string!(l, service_views.performance.answered_after, time = countdown_in(l, a - c.asked_at)).to_string(),
                (None, None, Some(t)) => td_string!(l, service_views.performance.claim_opened, at = crate::backend::clock::display(t)).to_string(),
                (None, None, None) => td_string!(l, service_views.performance.due, at = crate::backend::clock::display(c.due_at)).to_string(),
            };
            crate::domain::review::MessageClockLine { thread: crate::domain::ThreadId(c.thread_id), subject: c.subject.clone(), asked_at: crate::backend::clock::display(c.asked_at), outcome, detail }
        })
        .collect();
    let no_answer_needed = message_lines.iter().filter(|l| l.outcome == crate::domain::thread::ClockOutcome::NoAnswerNeeded).count();
    let claim_orders: Vec<OrderId> = claims.iter().map(|c| OrderId(c.order_id)).collect();
    // How the claims ended, by kind ("settled", "rejected"… or still open), in order of appearance.
    let mut outcomes: Vec<(String, i64)> = Vec::new();
    for c in &claims {
        let kind = c.outcome.clone().unwrap_or_else(|| "open".into());
        match outcomes.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => outcomes.push((kind, 1)),
        }
    }
    let perf = Performance {
        orders: orders.len() as i64,
        late_shipments: late.len() as i64,
        refused: refused.len() as i64,
        first_replies_in_time: claims_in_time,
        claims: claims_counted,
        rating,
        messages_in_time,
        messages: messages_counted,
    };
    let all: Vec<OrderId> = orders.iter().map(|o| OrderId(o.id)).collect();
    let figures = vec![
        Figure {
            label: td_string!(l, service_views.performance.orders).to_string(),
            value: orders.len().to_string(),
            explanation: td_string!(l, service_views.performance.orders_explain, days = WINDOW_DAYS).to_string(),
            orders: all,
        },
        Figure {
            label: td_string!(l, service_views.performance.late).to_string(),
            value: format!("{} ({})", late.len(), pct(late.len(), orders.len())),
            explanation: td_string!(l, service_views.performance.late_explain).to_string(),
            orders: late,
        },
        Figure {
            label: td_string!(l, service_views.performance.accepted).to_string(),
            value: pct(decided - refused.len(), decided),
            explanation: td_string!(l, service_views.performance.accepted_explain).to_string(),
            orders: Vec::new(),
        },
        Figure {
            label: td_string!(l, service_views.performance.refused).to_string(),
            value: format!("{} ({})", refused.len(), pct(refused.len(), orders.len())),
            explanation: td_string!(l, service_views.performance.refused_explain).to_string(),
            orders: refused,
        },
        Figure {
            label: td_string!(l, service_views.performance.median).to_string(),
            value: median(reply_times).map_or(td_string!(l, service_views.performance.no_claims_answered).to_string(), |ms| countdown_in(l, ms)),
            explanation: td_string!(l, service_views.performance.median_explain).to_string(),
            orders: Vec::new(),
        },
        Figure {
            label: td_string!(l, service_views.performance.claims_in_time).to_string(),
            value: if claims_counted == 0 {
                if claims.is_empty() {
                    td_string!(l, service_views.performance.no_claims).to_string()
                } else {
                    td_string!(l, service_views.performance.none_due_yet).to_string()
                }
            } else {
                td_string!(l, service_views.performance.of_total, n = claims_in_time, total = claims_counted, pct = pct(claims_in_time as usize, claims_counted as usize)).to_string()
            },
            explanation: td_string!(l, service_views.performance.claims_in_time_explain).to_string(),
            orders: in_time,
        },
        Figure {
            label: td_string!(l, service_views.performance.messages).to_string(),
            value: if messages_counted == 0 {
                td_string!(l, service_views.performance.no_messages_due).to_string()
            } else {
                td_string!(
                    l,
                    service_views.performance.messages_value,
                    n = messages_in_time,
                    total = messages_counted,
                    pct = pct(messages_in_time as usize, messages_counted as usize),
                    median = answer_median.map_or("–".into(), |ms| countdown_in(l, ms))
                )
                .to_string()
            },
            explanation: td_string!(l, service_views.performance.messages_explain, n = no_answer_needed).to_string(),
            orders: Vec::new(),
        },
        Figure {
            label: td_string!(l, service_views.performance.dispute_rate).to_string(),
            value: format!(
                "{} ({}){}",
                claims.len(),
                pct(claims.len(), orders.len()),
                if outcomes.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", outcomes.iter().map(|(kind, n)| outcome_count(l, kind, *n)).collect::<Vec<_>>().join(", "))
                }
            ),
            explanation: td_string!(l, service_views.performance.dispute_explain).to_string(),
            orders: claim_orders,
        },
        Figure {
            label: td_string!(l, service_views.performance.rating).to_string(),
            value: rating.describe_in(l),
            explanation: td_string!(l, service_views.performance.rating_explain).to_string(),
            orders: Vec::new(),
        },
    ];
    Ok((perf, figures, message_lines))
}

/// "3 settled", "1 réglée": a count of claims that ended one way, in `l`.
fn outcome_count(l: Locale, kind: &str, n: i64) -> String {
    match kind {
        "settled" => td_string!(l, service_views.performance.outcome_settled, count = n).to_string(),
        "rejected" => td_string!(l, service_views.performance.outcome_rejected, count = n).to_string(),
        "withdrawn" => td_string!(l, service_views.performance.outcome_withdrawn, count = n).to_string(),
        "closed_idle" => td_string!(l, service_views.performance.outcome_closed_idle, count = n).to_string(),
        _ => td_string!(l, service_views.performance.outcome_open, count = n).to_string(),
    }
}

/// The seller's performance dashboard.
pub async fn performance(db: &Db, user: &SessionUser, now: i64) -> Result<PerformanceView, AppError> {
    let (shop, shop_name, _) = catalog::shop_of_owner(&db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
    let (perf, figures, messages) = measure(db, shop, now).await?;
    Ok(PerformanceView { shop_name, window_days: WINDOW_DAYS, checks: badge_checks(&perf), top_seller: is_top_seller(&perf), figures, messages })
}

/// Rechecks one shop's badge now.
pub async fn refresh_badge(db: &Db, shop: ShopId, now: i64) -> Result<bool, AppError> {
    let (perf, ..) = measure(db, shop, now).await?;
    let holds = is_top_seller(&perf);
    reviews::set_badge(&db.pool, shop, holds, now).await?;
    Ok(holds)
}

/// The job: rechecks the badges not checked for a while (each server may run it: the result is
/// the same whoever computes it). Returns how many shops were checked.
pub async fn run_badge_job(db: &Db, now: i64) -> Result<usize, AppError> {
    let due = reviews::shops_due_for_badge(&db.pool, now - BADGE_EVERY_MS, 100).await?;
    for shop in &due {
        refresh_badge(db, *shop, now).await?;
    }
    Ok(due.len())
}
