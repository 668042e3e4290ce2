//! Purchases, orders, their lines and their status history.

use super::claims::OPEN_STATES;
use super::{Arg, DbError, DbResult, SqlBuilder, Tx};
use crate::backend::clock;
use crate::domain::checkout::ShippingAddress;
use crate::domain::deadlines::OrderTimes;
use crate::domain::order::{OrderDetail, OrderEvent, OrderLine, OrderStatus, OrderSummary, ShopOrderTab, SystemNote, Viewer};
use crate::domain::{Money, OrderId, ProductId, PurchaseId, ShopId, UserId};
use sqlx::{Any, AnyPool, AssertSqlSafe, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct PurchaseRow {
    pub id: i64,
    pub buyer_id: i64,
    pub total_cents: i64,
    pub payment_reference: String,
}

pub async fn purchase_by_key(pool: &AnyPool, buyer: UserId, key: &str) -> DbResult<Option<PurchaseRow>> {
    Ok(sqlx::query_as::<Any, PurchaseRow>(
        "SELECT id, buyer_id, total_cents, payment_reference FROM purchases WHERE buyer_id = $1 AND idempotency_key = $2",
    )
    .bind(buyer.0)
    .bind(key)
    .fetch_optional(pool)
    .await?)
}

pub async fn order_ids_of_purchase(pool: &AnyPool, purchase: PurchaseId) -> DbResult<Vec<OrderId>> {
    let ids = sqlx::query_scalar::<Any, i64>("SELECT id FROM orders WHERE purchase_id = $1 ORDER BY id")
        .bind(purchase.0)
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().map(OrderId).collect())
}

pub async fn insert_purchase(tx: &mut Tx, buyer: UserId, key: &str, total: Money, payment_reference: &str, now: i64) -> DbResult<PurchaseId> {
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO purchases (buyer_id, idempotency_key, total_cents, payment_reference, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(buyer.0)
    .bind(key)
    .bind(total.0)
    .bind(payment_reference)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(PurchaseId(id))
}

/// Takes `quantity` units out of stock if the product is for sale and that many are there: the
/// stock left and the product's low-stock line; `None` (and no change) otherwise.
pub async fn take_stock(tx: &mut Tx, product: ProductId, quantity: i64) -> DbResult<Option<(i64, i64)>> {
    Ok(sqlx::query_as::<sqlx::Any, (i64, i64)>(
        "UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1 AND status = 'listed' RETURNING stock, low_stock",
    )
    .bind(quantity)
    .bind(product.0)
    .fetch_optional(&mut **tx)
    .await?)
}

pub struct NewOrder<'a> {
    pub purchase: PurchaseId,
    pub buyer: UserId,
    pub shop: ShopId,
    pub subtotal: Money,
    pub shipping: Money,
    pub address: &'a ShippingAddress,
    pub accept_by: i64,
    pub ship_by: i64,
}

pub async fn insert_order(tx: &mut Tx, o: &NewOrder<'_>, now: i64) -> DbResult<OrderId> {
    let a = o.address;
    let id = sqlx::query_scalar::<Any, i64>(
        // The order keeps the shop's policies as they are now, in both languages (a later change
        // applies to new orders only).
        "INSERT INTO orders (purchase_id, buyer_id, shop_id, status, subtotal_cents, shipping_cents, total_cents, \
         ship_full_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, ship_phone, created_at, updated_at, \
         accept_by, ship_by, return_policy, return_policy_language, return_policy_translated, return_days, handling_days) \
         SELECT $1, $2, s.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, \
         s.return_policy, s.text_language, s.return_policy_translated, s.return_days, s.handling_days FROM shops s WHERE s.id = $3 RETURNING id",
    )
    .bind(o.purchase.0)
    .bind(o.buyer.0)
    .bind(o.shop.0)
    .bind(OrderStatus::Placed.as_str())
    .bind(o.subtotal.0)
    .bind(o.shipping.0)
    .bind((o.subtotal + o.shipping).0)
    .bind(a.full_name.as_str())
    .bind(a.line1.as_str())
    .bind(a.line2.as_str())
    .bind(a.city.as_str())
    .bind(a.postcode.as_str())
    .bind(a.country.as_str())
    .bind(a.phone.as_str())
    .bind(now)
    .bind(o.accept_by)
    .bind(o.ship_by)
    .fetch_one(&mut **tx)
    .await?;
    Ok(OrderId(id))
}

pub async fn insert_item(tx: &mut Tx, order: OrderId, product: ProductId, unit_price: Money, quantity: i64) -> DbResult<()> {
    let done = sqlx::query(
        // The line keeps the product's name in both languages as it is now, and the commission
        // rate of its category now.
        "INSERT INTO order_items (order_id, product_id, product_name, product_name_language, product_name_translated, unit_price_cents, quantity, commission_bp) \
         SELECT $1, p.id, p.name, p.text_language, p.name_translated, $3, $4, c.commission_bp FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = $2",
    )
    .bind(order.0)
    .bind(product.0)
    .bind(unit_price.0)
    .bind(quantity)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Appends to the status history; returns the entry's id (live order streams resume after it).
pub async fn insert_event(tx: &mut Tx, order: OrderId, status: OrderStatus, actor: Option<UserId>, note: &str, now: i64) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "INSERT INTO order_events (order_id, status, actor_id, note, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(order.0)
    .bind(status.as_str())
    .bind(actor.map(|a| a.0))
    .bind(note)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// A history entry whose note Troika writes: kept as a kind and values, so each reader reads it in
/// their language (`note` keeps the English).
pub async fn insert_system_event(tx: &mut Tx, order: OrderId, status: OrderStatus, actor: Option<UserId>, note: &SystemNote, now: i64) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "INSERT INTO order_events (order_id, status, actor_id, note, note_kind, note_args, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(order.0)
    .bind(status.as_str())
    .bind(actor.map(|a| a.0))
    .bind(note.text(crate::domain::locale::Locale::en))
    .bind(note.kind())
    .bind(note.args())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// The shop's handling time in days (for the shipping deadline).
pub async fn shop_handling_days(tx: &mut Tx, shop: ShopId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT handling_days FROM shops WHERE id = $1").bind(shop.0).fetch_one(&mut **tx).await?)
}

/// What the life-cycle rules need to know about an order, and who its parties are.
#[derive(Debug, Clone, FromRow)]
pub struct OrderFactsRow {
    pub id: i64,
    pub buyer_id: i64,
    pub shop_id: i64,
    pub shop_owner_id: i64,
    pub shop_name: String,
    pub total_cents: i64,
    /// The return period of the policy the order was bought under.
    pub return_days: i64,
    #[sqlx(flatten)]
    pub clock: OrderClockRow,
}

/// The columns that decide an order's deadlines and estimate (see `OrderTimes`).
#[derive(Debug, Clone, FromRow)]
pub struct OrderClockRow {
    pub status: String,
    pub accept_by: i64,
    pub ship_by: i64,
    pub shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub shop_country: String,
    pub ship_country: String,
}

impl OrderClockRow {
    pub fn times(&self) -> OrderTimes {
        OrderTimes {
            status: status_of(&self.status),
            accept_by: self.accept_by,
            ship_by: self.ship_by,
            shipped_at: self.shipped_at,
            delivered_at: self.delivered_at,
            domestic: same_country(&self.shop_country, &self.ship_country),
        }
    }
}

impl OrderFactsRow {
    pub fn status(&self) -> OrderStatus {
        status_of(&self.clock.status)
    }

    pub fn times(&self) -> OrderTimes {
        self.clock.times()
    }

    pub fn ship_by(&self) -> i64 {
        self.clock.ship_by
    }

    /// A completed order whose return period (counted from delivery) is still running.
    pub fn returns_open(&self, now: i64) -> bool {
        self.status() == OrderStatus::Completed
            && self.clock.delivered_at.is_some_and(|d| now < d + self.return_days * crate::domain::deadlines::DAY_MS)
    }
}

fn same_country(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

const FACTS_SELECT: &str = "SELECT o.id, o.status, o.buyer_id, o.shop_id, s.owner_id AS shop_owner_id, s.name AS shop_name, \
     s.country AS shop_country, o.ship_country, o.total_cents, o.return_days, o.accept_by, o.ship_by, o.shipped_at, o.delivered_at \
     FROM orders o JOIN shops s ON s.id = o.shop_id";

pub async fn facts(pool: &AnyPool, order: OrderId) -> DbResult<Option<OrderFactsRow>> {
    Ok(sqlx::query_as::<Any, OrderFactsRow>(AssertSqlSafe(format!("{FACTS_SELECT} WHERE o.id = $1")))
        .bind(order.0)
        .fetch_optional(pool)
        .await?)
}

/// The owner and name of an order's shop, inside a transaction.
pub async fn shop_owner_of(tx: &mut Tx, order: OrderId) -> DbResult<(UserId, String)> {
    let (owner, name) = sqlx::query_as::<Any, (i64, String)>(
        "SELECT s.owner_id, s.name FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = $1",
    )
    .bind(order.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok((UserId(owner), name))
}

/// Orders the marketplace must act on at `now`: not accepted in time, or delivered and quiet for
/// the whole quiet period. The rules themselves are `OrderTimes::due_action`.
pub async fn due_for_jobs(pool: &AnyPool, now: i64, quiet_period: i64, limit: i64) -> DbResult<Vec<OrderFactsRow>> {
    Ok(sqlx::query_as::<Any, OrderFactsRow>(AssertSqlSafe(format!(
        "{FACTS_SELECT} WHERE (o.status = $1 AND o.accept_by < $2) OR (o.status = $3 AND o.delivered_at <= $4 \
         AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.order_id = o.id AND c.state IN {OPEN_STATES})) \
         ORDER BY o.id LIMIT $5"
    )))
    .bind(OrderStatus::Placed.as_str())
    .bind(now)
    .bind(OrderStatus::Delivered.as_str())
    .bind(now - quiet_period)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Accepted orders past their shipping deadline whose parties have not been told yet.
pub async fn late_unannounced(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<OrderFactsRow>> {
    Ok(sqlx::query_as::<Any, OrderFactsRow>(AssertSqlSafe(format!(
        "{FACTS_SELECT} WHERE o.status = $1 AND o.ship_by < $2 AND o.late_notified_at IS NULL ORDER BY o.id LIMIT $3"
    )))
    .bind(OrderStatus::Accepted.as_str())
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Marks a late order as announced; `false` when another server did it first.
pub async fn mark_late_announced(tx: &mut Tx, order: OrderId, now: i64) -> DbResult<bool> {
    let done = sqlx::query("UPDATE orders SET late_notified_at = $1 WHERE id = $2 AND late_notified_at IS NULL")
        .bind(now)
        .bind(order.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The change to write with a transition.
pub struct Move<'a> {
    pub from: OrderStatus,
    pub to: OrderStatus,
    /// (carrier, tracking number), when shipping.
    pub shipment: Option<(&'a str, &'a str)>,
    pub refund: bool,
}

/// Moves the order from `m.from` to `m.to` if it is still in `m.from` (a conditional update, so
/// two people acting at once cannot both move it); `false` and no change otherwise.
pub async fn transition(tx: &mut Tx, order: OrderId, m: &Move<'_>, now: i64) -> DbResult<bool> {
    let shipped_at = (m.to == OrderStatus::Shipped).then_some(now);
    let delivered_at = (m.to == OrderStatus::Delivered).then_some(now);
    let done = sqlx::query(
        "UPDATE orders SET status = $1, updated_at = $2, carrier = COALESCE($3, carrier), \
         tracking_number = COALESCE($4, tracking_number), shipped_at = COALESCE($5, shipped_at), \
         delivered_at = COALESCE($6, delivered_at), \
         refunded_cents = CASE WHEN $7 = 1 THEN total_cents ELSE refunded_cents END \
         WHERE id = $8 AND status = $9",
    )
    .bind(m.to.as_str())
    .bind(now)
    .bind(m.shipment.map(|s| s.0))
    .bind(m.shipment.map(|s| s.1))
    .bind(shipped_at)
    .bind(delivered_at)
    .bind(i64::from(m.refund))
    .bind(order.0)
    .bind(m.from.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts an order's items back in stock (when it is refused or cancelled).
pub async fn restock(tx: &mut Tx, order: OrderId) -> DbResult<()> {
    let items = sqlx::query_as::<Any, (i64, i64)>("SELECT product_id, quantity FROM order_items WHERE order_id = $1 ORDER BY product_id")
        .bind(order.0)
        .fetch_all(&mut **tx)
        .await?;
    for (product, quantity) in items {
        sqlx::query("UPDATE products SET stock = stock + $1 WHERE id = $2").bind(quantity).bind(product).execute(&mut **tx).await?;
    }
    Ok(())
}

/// History entries of `order` after entry `after`, oldest first: (id, status).
pub async fn events_after(pool: &AnyPool, order: OrderId, after: i64, limit: i64) -> DbResult<Vec<(i64, OrderStatus)>> {
    let rows = sqlx::query_as::<Any, (i64, String)>(
        "SELECT id, status FROM order_events WHERE order_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(order.0)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, s)| (id, status_of(&s))).collect())
}

pub async fn last_event_id(pool: &AnyPool, order: OrderId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM order_events WHERE order_id = $1")
        .bind(order.0)
        .fetch_one(pool)
        .await?)
}

#[derive(Debug, FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub purchase_id: i64,
    pub shop_name: String,
    pub shop_slug: String,
    pub total_cents: i64,
    pub item_count: i64,
    pub created_at: i64,
    #[sqlx(flatten)]
    pub clock: OrderClockRow,
}

pub(crate) fn status_of(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Placed)
}

/// The buyer's orders, newest first; the service adds lateness and estimates.
pub async fn list_for_buyer(pool: &AnyPool, buyer: UserId) -> DbResult<Vec<SummaryRow>> {
    Ok(sqlx::query_as::<Any, SummaryRow>(
        "SELECT o.id, o.purchase_id, s.name AS shop_name, s.slug AS shop_slug, o.status, o.total_cents, \
         (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM order_items i WHERE i.order_id = o.id) AS item_count, o.created_at, \
         o.accept_by, o.ship_by, o.shipped_at, o.delivered_at, s.country AS shop_country, o.ship_country \
         FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.buyer_id = $1 ORDER BY o.created_at DESC, o.id DESC",
    )
    .bind(buyer.0)
    .fetch_all(pool)
    .await?)
}

impl SummaryRow {
    pub fn to_summary(&self) -> OrderSummary {
        OrderSummary {
            id: OrderId(self.id),
            purchase_id: PurchaseId(self.purchase_id),
            shop_name: self.shop_name.clone(),
            shop_slug: self.shop_slug.clone(),
            status: status_of(&self.clock.status),
            total: Money(self.total_cents),
            item_count: self.item_count,
            placed_at: clock::display(self.created_at),
            late: None,
            estimate: None,
        }
    }
}

/// One row of the seller dashboard.
#[derive(Debug, FromRow)]
pub struct ShopOrderRow {
    pub id: i64,
    pub shop_name: String,
    pub status: String,
    pub created_at: i64,
    pub ship_full_name: String,
    pub ship_city: String,
    pub ship_country: String,
    pub total_cents: i64,
    pub accept_by: i64,
    pub ship_by: i64,
}

impl ShopOrderRow {
    pub fn status(&self) -> OrderStatus {
        status_of(&self.status)
    }
}

/// Orders of `shop` (every shop when `None`: marketplace staff) in `tab`, most urgent first.
pub async fn list_for_shop(pool: &AnyPool, shop: Option<ShopId>, tab: ShopOrderTab, now: i64, limit: i64) -> DbResult<Vec<ShopOrderRow>> {
    let mut q = SqlBuilder::new(
        "SELECT o.id, s.name AS shop_name, o.status, o.created_at, o.ship_full_name, o.ship_city, o.ship_country, \
         o.total_cents, o.accept_by, o.ship_by FROM orders o JOIN shops s ON s.id = o.shop_id WHERE 1 = 1",
    );
    if let Some(shop) = shop {
        q.push(" AND o.shop_id = ").bind(Arg::Int(shop.0));
    }
    q.push(" AND ");
    tab_condition(&mut q, tab, now);
    q.push(match tab {
        ShopOrderTab::ToAccept => " ORDER BY o.accept_by, o.id",
        ShopOrderTab::ToShip | ShopOrderTab::Late => " ORDER BY o.ship_by, o.id",
        ShopOrderTab::OnTheWay | ShopOrderTab::Done => " ORDER BY o.updated_at DESC, o.id DESC",
    });
    q.push(" LIMIT ").bind(Arg::Int(limit));
    q.fetch_all(pool).await
}

/// Writes the condition (in parentheses) an order meets to be in `tab`.
fn tab_condition(q: &mut SqlBuilder, tab: ShopOrderTab, now: i64) {
    q.push("(o.status IN (");
    for (i, s) in tab.statuses().into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Text(s.as_str().into()));
    }
    q.push(")");
    if tab == ShopOrderTab::Late {
        q.push(" AND ((o.status = ").bind(Arg::Text(OrderStatus::Placed.as_str().into())).push(" AND o.accept_by < ").bind(Arg::Int(now));
        q.push(") OR o.ship_by < ").bind(Arg::Int(now)).push(")");
    }
    q.push(")");
}

/// How many orders each tab holds, in one pass over the shop's orders (every shop when `None`).
pub async fn tab_counts(pool: &AnyPool, shop: Option<ShopId>, now: i64) -> DbResult<Vec<(ShopOrderTab, i64)>> {
    let mut q = SqlBuilder::new("SELECT ");
    for (i, tab) in ShopOrderTab::ALL.into_iter().enumerate() {
        q.push(if i > 0 { ", " } else { "" }).push("CAST(COALESCE(SUM(CASE WHEN ");
        tab_condition(&mut q, tab, now);
        q.push(" THEN 1 ELSE 0 END), 0) AS BIGINT)");
    }
    q.push(" FROM orders o");
    if let Some(shop) = shop {
        q.push(" WHERE o.shop_id = ").bind(Arg::Int(shop.0));
    }
    let row = q.fetch_all::<(i64, i64, i64, i64, i64)>(pool).await?.into_iter().next().ok_or(DbError::NotFound)?;
    let counts = [row.0, row.1, row.2, row.3, row.4];
    Ok(ShopOrderTab::ALL.into_iter().zip(counts).collect())
}

/// (order id, product name, quantity) for the given orders.
pub async fn items_of(pool: &AnyPool, orders: &[OrderId]) -> DbResult<Vec<(i64, String, i64)>> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(&format!("SELECT order_id, {}, quantity FROM order_items WHERE order_id IN (", super::line_name("")));
    for (i, o) in orders.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Int(o.0));
    }
    q.push(") ORDER BY order_id, id");
    q.fetch_all(pool).await
}

/// Who may see an order: its buyer and the owner of its shop.
#[derive(Debug, Clone, FromRow)]
pub struct OrderParties {
    pub buyer_id: i64,
    pub shop_owner_id: i64,
}

/// The order's status, read inside a transaction.
pub async fn status_in(tx: &mut Tx, order: OrderId) -> DbResult<OrderStatus> {
    let s = sqlx::query_scalar::<Any, String>("SELECT status FROM orders WHERE id = $1").bind(order.0).fetch_one(&mut **tx).await?;
    Ok(status_of(&s))
}

/// The order's total, read inside a transaction.
pub async fn total_in(tx: &mut Tx, order: OrderId) -> DbResult<Money> {
    Ok(Money(sqlx::query_scalar::<Any, i64>("SELECT total_cents FROM orders WHERE id = $1").bind(order.0).fetch_one(&mut **tx).await?))
}

pub async fn parties(pool: &AnyPool, order: OrderId) -> DbResult<Option<OrderParties>> {
    Ok(sqlx::query_as::<Any, OrderParties>(
        "SELECT o.buyer_id, s.owner_id AS shop_owner_id FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = $1",
    )
    .bind(order.0)
    .fetch_optional(pool)
    .await?)
}

#[derive(Debug, FromRow)]
struct DetailRow {
    id: i64,
    purchase_id: i64,
    shop_id: i64,
    shop_name: String,
    shop_slug: String,
    status: String,
    subtotal_cents: i64,
    shipping_cents: i64,
    total_cents: i64,
    ship_full_name: String,
    ship_line1: String,
    ship_line2: String,
    ship_city: String,
    ship_postcode: String,
    ship_country: String,
    ship_phone: String,
    payment_reference: String,
    created_at: i64,
    refunded_cents: i64,
    carrier: Option<String>,
    tracking_number: Option<String>,
    return_policy: String,
    return_policy_language: String,
    return_policy_translated: Option<String>,
    return_days: i64,
    handling_days: i64,
}

#[derive(Debug, FromRow)]
struct LineRow {
    product_id: i64,
    product_name: String,
    unit_price_cents: i64,
    quantity: i64,
}

#[derive(Debug, FromRow)]
struct EventRow {
    id: i64,
    status: String,
    created_at: i64,
    actor: Option<String>,
    note: String,
    note_args: Option<String>,
}

/// The order as stored, for the given viewer; the service adds deadlines, lateness and actions.
pub async fn detail(pool: &AnyPool, order: OrderId, viewer: Viewer) -> DbResult<Option<OrderDetail>> {
    let Some(r) = sqlx::query_as::<Any, DetailRow>(
        "SELECT o.id, o.purchase_id, o.shop_id, s.name AS shop_name, s.slug AS shop_slug, o.status, o.subtotal_cents, \
         o.shipping_cents, o.total_cents, o.ship_full_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_postcode, \
         o.ship_country, o.ship_phone, p.payment_reference, o.created_at, o.refunded_cents, o.carrier, o.tracking_number, \
         o.return_policy, o.return_policy_language, o.return_policy_translated, o.return_days, o.handling_days \
         FROM orders o JOIN shops s ON s.id = o.shop_id JOIN purchases p ON p.id = o.purchase_id WHERE o.id = $1",
    )
    .bind(order.0)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query_as::<Any, LineRow>(AssertSqlSafe(format!(
        "SELECT product_id, {} AS product_name, unit_price_cents, quantity FROM order_items WHERE order_id = $1 ORDER BY id",
        super::line_name("")
    )))
    .bind(order.0)
    .fetch_all(pool)
    .await?;
    let events = sqlx::query_as::<Any, EventRow>(
        "SELECT e.id, e.status, e.created_at, u.display_name AS actor, e.note, e.note_args FROM order_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.order_id = $1 ORDER BY e.id DESC",
    )
    .bind(order.0)
    .fetch_all(pool)
    .await?;
    Ok(Some(OrderDetail {
        id: OrderId(r.id),
        purchase_id: PurchaseId(r.purchase_id),
        shop_id: ShopId(r.shop_id),
        shop_name: r.shop_name,
        shop_slug: r.shop_slug,
        status: status_of(&r.status),
        lines: lines
            .into_iter()
            .map(|l| OrderLine { product_id: ProductId(l.product_id), name: l.product_name, unit_price: Money(l.unit_price_cents), quantity: l.quantity })
            .collect(),
        subtotal: Money(r.subtotal_cents),
        shipping: Money(r.shipping_cents),
        total: Money(r.total_cents),
        address: ShippingAddress {
            full_name: r.ship_full_name,
            line1: r.ship_line1,
            line2: r.ship_line2,
            city: r.ship_city,
            postcode: r.ship_postcode,
            country: r.ship_country,
            phone: r.ship_phone,
        },
        payment_reference: r.payment_reference,
        placed_at: clock::display(r.created_at),
        refunded: Money(r.refunded_cents),
        shipment: r.carrier.zip(r.tracking_number),
        policy: {
            let original = crate::domain::locale::from_code(&r.return_policy_language).unwrap_or(crate::domain::locale::Locale::en);
            let (return_policy, text_language) = crate::domain::catalog::for_reader(crate::domain::locale::request(), original, r.return_policy, r.return_policy_translated);
            crate::domain::shop::OrderPolicy { return_policy, text_language, return_days: r.return_days, handling_days: r.handling_days }
        },
        deadlines: Vec::new(),
        claim: None,
        may_claim: false,
        may_review: false,
        reviews: Vec::new(),
        statement: None,
        thread: None,
        late: None,
        estimate: None,
        last_event_id: events.first().map(|e| e.id).unwrap_or(0),
        viewer,
        actions: Vec::new(),
        history: events
            .into_iter()
            .map(|e| OrderEvent {
                status: status_of(&e.status),
                at: clock::display(e.created_at),
                actor: e.actor.unwrap_or_else(|| "Troika".into()),
                note: match SystemNote::stored(e.note_args.as_deref()) {
                    Some(n) => n.text(crate::domain::locale::request()),
                    None => e.note,
                },
            })
            .collect(),
    }))
}

/// The shipping address of the buyer's most recent order, to pre-fill the next checkout.
pub async fn last_address(pool: &AnyPool, buyer: UserId) -> DbResult<Option<crate::domain::checkout::ShippingAddressInput>> {
    let row = sqlx::query_as::<Any, (String, String, String, String, String, String, String)>(
        "SELECT ship_full_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, ship_phone FROM orders \
         WHERE buyer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(buyer.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(full_name, line1, line2, city, postcode, country, phone)| crate::domain::checkout::ShippingAddressInput {
        full_name,
        line1,
        line2,
        city,
        postcode,
        country,
        phone,
    }))
}

/// How many orders include `product` (tests and the checkout benchmark check overselling with it).
pub async fn count_for_product(pool: &AnyPool, product: ProductId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(DISTINCT order_id) FROM order_items WHERE product_id = $1")
        .bind(product.0)
        .fetch_one(pool)
        .await?)
}
