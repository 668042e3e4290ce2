//! Orders through their life cycle: every change is one transaction (conditional status update,
//! history entry, refund and restock, the parties' live feeds and notifications), committed first
//! and published after. The background jobs move orders whose deadlines passed, with `now` given.

use crate::backend::clock;
use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::orders::{self, Move, OrderFactsRow};
use crate::backend::db::{Db, DbError, Tx};
use crate::backend::live::{LiveHub, Topic};
use crate::domain::deadlines::{Deadline, Late, OrderTimes, QUIET_PERIOD_MS};
use crate::i18n::td_string;
use crate::domain::order::{
    allowed_actions, next_status, notification_title, notifications_for, ActionKind, Actor, MoveNote, NotificationKind, OrderAction,
    OrderDetail, OrderStatus, OrderSummary, Recipient, ShopOrderCard, ShopOrderTab, ShopOrders, SystemNote, Viewer,
};
use crate::domain::locale::Locale;
use crate::backend::services::notices::language_of;
use crate::domain::user::{Role, SessionUser};
use crate::domain::{Money, OrderId, ShopId, UserId};
use crate::error::AppError;

fn not_found() -> AppError {
    AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_order).to_string())
}

fn is_staff(user: &SessionUser) -> bool {
    user.role.is_staff()
}

/// How `user` relates to the order; `None` when they may not see it at all.
fn viewer_of(facts: &OrderFactsRow, user: &SessionUser) -> Option<Viewer> {
    if facts.buyer_id == user.id.0 {
        Some(Viewer::Buyer)
    } else if facts.shop_owner_id == user.id.0 {
        Some(Viewer::Seller)
    } else if is_staff(user) {
        Some(Viewer::Staff)
    } else {
        None
    }
}

fn actor_of(viewer: Viewer) -> Option<Actor> {
    match viewer {
        Viewer::Buyer => Some(Actor::Buyer),
        Viewer::Seller => Some(Actor::Seller),
        Viewer::Staff => None,
    }
}

/// The streams to wake after a change to this order.
fn topics(facts: &OrderFactsRow) -> [Topic; 3] {
    [Topic::Order(OrderId(facts.id)), Topic::User(UserId(facts.buyer_id)), Topic::User(UserId(facts.shop_owner_id))]
}

/// `user` acts on `order`. Buyers and sellers act on their own orders; staff act through disputes.
#[tracing::instrument(skip(db, live, user, action), fields(user = %user.id, action = action.kind.as_str()))]
pub async fn advance_order(db: &Db, live: &LiveHub, user: &SessionUser, order: OrderId, action: &OrderAction, now: i64) -> Result<OrderStatus, AppError> {
    let facts = orders::facts(&db.pool, order).await?.ok_or_else(not_found)?;
    let viewer = viewer_of(&facts, user).ok_or_else(not_found)?;
    let actor = actor_of(viewer).ok_or(AppError::Forbidden)?;
    apply(db, live, &facts, action, actor, Some(user.id), now).await
}

async fn apply(db: &Db, live: &LiveHub, facts: &OrderFactsRow, action: &OrderAction, actor: Actor, actor_id: Option<UserId>, now: i64) -> Result<OrderStatus, AppError> {
    let from = facts.status();
    let to = next_status(from, action.kind, actor)?;
    let order = OrderId(facts.id);
    let refund = to.is_refunded();
    let shipment = action.shipment.as_ref().map(|(c, t)| (c.as_str(), t.as_str()));
    let mut tx = db.begin().await?;
    if !orders::transition(&mut tx, order, &Move { from, to, shipment, refund }, now).await? {
        tx.rollback().await.map_err(DbError::from)?;
        let current = orders::facts(&db.pool, order).await?.map(|f| f.status()).unwrap_or(from);
        let l = crate::domain::locale::request();
        let status = current.label_in(l);
        return Err(AppError::Conflict(crate::i18n::td_string!(l, server.order.changed, status = status).to_string()));
    }
    if refund {
        orders::restock(&mut tx, order).await?;
    }
    let note = history_note(to, action, Money(facts.total_cents));
    let event_id = orders::insert_system_event(&mut tx, order, to, actor_id, &note, now).await?;
    let parties = Parties::of(facts);
    let change = Change { parties: &parties, status: to, dedupe_key: format!("event:{event_id}"), notices: notifications_for(to, actor), body: ChangeBody::Note(note) };
    record(&mut tx, &[change], now).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(order = %order, from = from.as_str(), to = to.as_str(), "order moved");
    live.publish(&topics(facts)).await;
    Ok(to)
}

/// What the history says about a change (shown on the timeline and in the notification, each in
/// its reader's language; what the person wrote stays as written).
fn history_note(to: OrderStatus, action: &OrderAction, total: Money) -> SystemNote {
    let said = match to {
        OrderStatus::Shipped => {
            action.shipment.as_ref().map(|(carrier, tracking)| MoveNote::Shipped { carrier: carrier.clone(), tracking: tracking.clone() })
        }
        OrderStatus::CancelledUnaccepted => Some(MoveNote::NotAcceptedInTime),
        OrderStatus::Completed => Some(MoveNote::NoProblemReported),
        OrderStatus::Delivered if action.kind == ActionKind::ConfirmReceipt => Some(MoveNote::ReceiptConfirmed),
        _ => None,
    };
    SystemNote::Moved { said, note: action.note.clone(), refund: to.is_refunded().then_some(total) }
}

/// The text of a change's notifications, written in each recipient's language.
pub(crate) enum ChangeBody {
    /// The history note of the change.
    Note(SystemNote),
    /// "It was due to ship by …": the order is late.
    DueToShip(i64),
}

impl ChangeBody {
    fn text(&self, l: Locale) -> String {
        match self {
            ChangeBody::Note(note) => note.text(l),
            ChangeBody::DueToShip(at) => td_string!(l, notices.due_to_ship, when = clock::display_in(l, *at)).to_string(),
        }
    }
}

/// An order's buyer, seller and shop: who hears of a change.
pub(crate) struct Parties {
    pub order: OrderId,
    pub buyer: UserId,
    pub seller: UserId,
    pub shop_name: String,
}

impl Parties {
    fn of(f: &OrderFactsRow) -> Parties {
        Parties { order: OrderId(f.id), buyer: UserId(f.buyer_id), seller: UserId(f.shop_owner_id), shop_name: f.shop_name.clone() }
    }
}

/// One change the parties of an order hear of.
pub(crate) struct Change<'a> {
    pub parties: &'a Parties,
    pub status: OrderStatus,
    /// Makes each notification unique per recipient: "event:<history id>" or "late:<order id>".
    pub dedupe_key: String,
    pub notices: Vec<(Recipient, NotificationKind)>,
    pub body: ChangeBody,
}

/// Writes the changes into the parties' live feeds and sends their notifications. All feed entries
/// of the transaction are appended in ascending user id order (a fixed lock order across
/// transactions, so two of them can never wait on each other), then the notifications.
pub(crate) async fn record(tx: &mut Tx, changes: &[Change<'_>], now: i64) -> Result<(), DbError> {
    let mut entries: Vec<(UserId, OrderId, OrderStatus)> = Vec::new();
    for c in changes {
        entries.push((c.parties.buyer, c.parties.order, c.status));
        if c.parties.seller != c.parties.buyer {
            entries.push((c.parties.seller, c.parties.order, c.status));
        }
    }
    entries.sort_by_key(|e| e.0); // stable: one user's entries keep their order
    for (user, order, status) in entries {
        feed::append(tx, user, order, status, now).await?;
    }
    for c in changes {
        let p = c.parties;
        for (recipient, kind) in &c.notices {
            let user = match recipient {
                Recipient::Buyer => p.buyer,
                Recipient::Seller => p.seller,
            };
            let l = language_of(tx, user).await?;
            let title = notification_title(l, *kind, *recipient, p.order, &p.shop_name);
            let body = c.body.text(l);
            let n = NewNotification { user, order: Some(p.order), claim: None, review: None, application: None, product: None, thread: None, kind: *kind, title: &title, body: &body, dedupe_key: &c.dedupe_key };
            feed::notify(tx, &n, now).await?;
        }
    }
    Ok(())
}

/// What one run of the background jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    pub cancelled: usize,
    pub completed: usize,
    pub flagged_late: usize,
}

const JOB_BATCH: i64 = 200;

/// Cancels (and refunds) orders not accepted in time, completes delivered orders after the quiet
/// period, and tells buyer and seller once when an order is late to ship. Safe to run on every
/// app server at once: each change is conditional, each notice is unique.
#[tracing::instrument(skip(db, live))]
pub async fn run_due_jobs(db: &Db, live: &LiveHub, now: i64) -> Result<JobReport, AppError> {
    let mut report = JobReport::default();
    for f in orders::due_for_jobs(&db.pool, now, QUIET_PERIOD_MS, JOB_BATCH).await? {
        let Some(kind) = f.times().due_action(now) else { continue };
        let action = OrderAction { kind, shipment: None, note: String::new() };
        match apply(db, live, &f, &action, Actor::System, None, now).await {
            Ok(OrderStatus::Completed) => report.completed += 1,
            Ok(_) => report.cancelled += 1,
            Err(AppError::Conflict(_)) => {} // moved meanwhile (by its parties or another server)
            Err(e) => tracing::warn!(order = f.id, error = %e, "background job could not move an order"),
        }
    }
    for f in orders::late_unannounced(&db.pool, now, JOB_BATCH).await? {
        let mut tx = db.begin().await?;
        if !orders::mark_late_announced(&mut tx, OrderId(f.id), now).await? {
            tx.rollback().await.map_err(DbError::from)?;
            continue;
        }
        let parties = Parties::of(&f);
        let change = Change {
            parties: &parties,
            status: f.status(),
            dedupe_key: format!("late:{}", f.id),
            notices: vec![(Recipient::Buyer, NotificationKind::Late), (Recipient::Seller, NotificationKind::Late)],
            body: ChangeBody::DueToShip(f.ship_by()),
        };
        record(&mut tx, &[change], now).await?;
        tx.commit().await.map_err(DbError::from)?;
        live.publish(&topics(&f)).await;
        report.flagged_late += 1;
    }
    if report != JobReport::default() {
        tracing::info!(?report, "order jobs");
    }
    Ok(report)
}

fn late_text(late: Late) -> String {
    let l = crate::backend::web::locale::current().locale;
    match late {
        Late::NotAccepted { since } => td_string!(l, order.late_not_accepted, when = clock::display(since)).to_string(),
        Late::NotShipped { since } => td_string!(l, order.late_not_shipped, when = clock::display(since)).to_string(),
    }
}

fn estimate_text(times: &OrderTimes) -> Option<String> {
    let l = crate::backend::web::locale::current().locale;
    times.estimated_delivery().map(|t| td_string!(l, order.estimate, day = clock::display_day(t)).to_string())
}

/// "Accept by 3 Dec 2026, 14:05 UTC", in the request's language.
fn deadline_text((what, at): (Deadline, i64)) -> String {
    let l = crate::backend::web::locale::current().locale;
    match what {
        Deadline::Accept => td_string!(l, order.accept_by, when = clock::display(at)).to_string(),
        Deadline::Ship => td_string!(l, order.ship_by, when = clock::display(at)).to_string(),
    }
}

/// The order as `user` may see it, with deadlines, lateness, estimate and what they may do now.
pub async fn order_view(db: &Db, user: &SessionUser, order: OrderId, now: i64) -> Result<OrderDetail, AppError> {
    let facts = orders::facts(&db.pool, order).await?.ok_or_else(not_found)?;
    let viewer = viewer_of(&facts, user).ok_or_else(not_found)?;
    let mut detail = orders::detail(&db.pool, order, viewer).await?.ok_or_else(not_found)?;
    let times = facts.times();
    detail.deadlines = times.open_deadlines(now).into_iter().map(deadline_text).collect();
    detail.late = times.late(now).map(late_text);
    detail.estimate = estimate_text(&times);
    detail.actions = actor_of(viewer).map(|a| allowed_actions(detail.status, a)).unwrap_or_default();
    detail.claim = crate::backend::services::disputes::claim_of_order(db, order).await?;
    let open_claim = detail.claim.is_some_and(|(_, s)| s.is_open());
    detail.may_claim = viewer == Viewer::Buyer
        && crate::domain::dispute::may_open_claim(detail.status, detail.late.is_some(), open_claim, facts.returns_open(now)).is_ok();
    detail.may_review = viewer == Viewer::Buyer && matches!(detail.status, OrderStatus::Delivered | OrderStatus::Completed);
    if detail.may_review {
        detail.reviews = crate::backend::db::reviews::of_order(&db.pool, order).await?;
    }
    if viewer == Viewer::Seller {
        detail.statement = crate::backend::db::earnings::statement(&db.pool, detail.shop_id, order).await?;
    }
    if matches!(viewer, Viewer::Buyer | Viewer::Seller) {
        detail.thread = crate::backend::db::threads::of_order(&db.pool, order).await?.map(|t| t.id());
    }
    Ok(detail)
}

/// The buyer's orders, newest first, with lateness and estimates.
pub async fn buyer_orders(db: &Db, buyer: UserId, now: i64) -> Result<Vec<OrderSummary>, AppError> {
    let rows = orders::list_for_buyer(&db.pool, buyer).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let times = r.clock.times();
            OrderSummary { late: times.late(now).map(late_text), estimate: estimate_text(&times), ..r.to_summary() }
        })
        .collect())
}

const DASHBOARD_LIMIT: i64 = 100;

/// The seller dashboard: the seller's own shop only; marketplace staff see every shop.
pub async fn shop_orders(db: &Db, user: &SessionUser, tab: ShopOrderTab, now: i64) -> Result<ShopOrders, AppError> {
    let (shop, shop_name): (Option<ShopId>, Option<String>) = match user.role {
        Role::Seller => {
            let shop = crate::backend::db::catalog::shop_of_owner(&db.pool, user.id).await?.ok_or(AppError::Forbidden)?;
            (Some(shop.0), Some(shop.1))
        }
        Role::Mediator | Role::Admin => (None, None),
        _ => return Err(AppError::Forbidden),
    };
    let counts = orders::tab_counts(&db.pool, shop, now).await?;
    let rows = orders::list_for_shop(&db.pool, shop, tab, now, DASHBOARD_LIMIT).await?;
    let ids: Vec<OrderId> = rows.iter().map(|r| OrderId(r.id)).collect();
    let items = orders::items_of(&db.pool, &ids).await?;
    let cards = rows
        .into_iter()
        .map(|r| {
            let status = r.status();
            let times = OrderTimes { status, accept_by: r.accept_by, ship_by: r.ship_by, shipped_at: None, delivered_at: None, domestic: true };
            ShopOrderCard {
                id: OrderId(r.id),
                shop_name: r.shop_name,
                status,
                placed_at: clock::display(r.created_at),
                ship_to: format!("{} · {}, {}", r.ship_full_name, r.ship_city, r.ship_country),
                items: items.iter().filter(|(o, _, _)| *o == r.id).map(|(_, name, q)| (name.clone(), *q)).collect(),
                total: Money(r.total_cents),
                deadline: times.open_deadlines(now).first().copied().map(deadline_text),
                late: times.late(now).map(late_text),
                can_accept: shop.is_some() && status == OrderStatus::Placed,
            }
        })
        .collect();
    Ok(ShopOrders { shop_name, tab, counts, orders: cards })
}
