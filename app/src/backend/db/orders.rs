//! Purchases, orders, their lines and their status history.

use super::{DbResult, Tx};
use crate::backend::clock;
use crate::domain::checkout::ShippingAddress;
use crate::domain::order::{OrderDetail, OrderEvent, OrderLine, OrderStatus, OrderSummary};
use crate::domain::{Money, OrderId, ProductId, PurchaseId, ShopId, UserId};
use sqlx::{Any, AnyPool, FromRow};

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

/// Takes `quantity` units out of stock if that many are there; `false` (and no change) otherwise.
pub async fn take_stock(tx: &mut Tx, product: ProductId, quantity: i64) -> DbResult<bool> {
    let done = sqlx::query("UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
        .bind(quantity)
        .bind(product.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewOrder<'a> {
    pub purchase: PurchaseId,
    pub buyer: UserId,
    pub shop: ShopId,
    pub subtotal: Money,
    pub shipping: Money,
    pub address: &'a ShippingAddress,
}

pub async fn insert_order(tx: &mut Tx, o: &NewOrder<'_>, now: i64) -> DbResult<OrderId> {
    let a = o.address;
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO orders (purchase_id, buyer_id, shop_id, status, subtotal_cents, shipping_cents, total_cents, \
         ship_full_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, ship_phone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
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
    .fetch_one(&mut **tx)
    .await?;
    Ok(OrderId(id))
}

pub async fn insert_item(tx: &mut Tx, order: OrderId, product: ProductId, name: &str, unit_price: Money, quantity: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO order_items (order_id, product_id, product_name, unit_price_cents, quantity) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order.0)
    .bind(product.0)
    .bind(name)
    .bind(unit_price.0)
    .bind(quantity)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_event(tx: &mut Tx, order: OrderId, status: OrderStatus, actor: Option<UserId>, note: &str, now: i64) -> DbResult<()> {
    sqlx::query("INSERT INTO order_events (order_id, status, actor_id, note, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order.0)
        .bind(status.as_str())
        .bind(actor.map(|a| a.0))
        .bind(note)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, FromRow)]
struct SummaryRow {
    id: i64,
    purchase_id: i64,
    shop_name: String,
    shop_slug: String,
    status: String,
    total_cents: i64,
    item_count: i64,
    created_at: i64,
}

fn status_of(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Placed)
}

pub async fn list_for_buyer(pool: &AnyPool, buyer: UserId) -> DbResult<Vec<OrderSummary>> {
    let rows = sqlx::query_as::<Any, SummaryRow>(
        "SELECT o.id, o.purchase_id, s.name AS shop_name, s.slug AS shop_slug, o.status, o.total_cents, \
         (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM order_items i WHERE i.order_id = o.id) AS item_count, o.created_at \
         FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.buyer_id = $1 ORDER BY o.created_at DESC, o.id DESC",
    )
    .bind(buyer.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderSummary {
            id: OrderId(r.id),
            purchase_id: PurchaseId(r.purchase_id),
            shop_name: r.shop_name,
            shop_slug: r.shop_slug,
            status: status_of(&r.status),
            total: Money(r.total_cents),
            item_count: r.item_count,
            placed_at: clock::display(r.created_at),
        })
        .collect())
}

/// Who may see an order: its buyer and the owner of its shop.
#[derive(Debug, Clone, FromRow)]
pub struct OrderParties {
    pub buyer_id: i64,
    pub shop_owner_id: i64,
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
    status: String,
    created_at: i64,
    actor: Option<String>,
    note: String,
}

pub async fn detail(pool: &AnyPool, order: OrderId) -> DbResult<Option<OrderDetail>> {
    let Some(r) = sqlx::query_as::<Any, DetailRow>(
        "SELECT o.id, o.purchase_id, o.shop_id, s.name AS shop_name, s.slug AS shop_slug, o.status, o.subtotal_cents, \
         o.shipping_cents, o.total_cents, o.ship_full_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_postcode, \
         o.ship_country, o.ship_phone, p.payment_reference, o.created_at \
         FROM orders o JOIN shops s ON s.id = o.shop_id JOIN purchases p ON p.id = o.purchase_id WHERE o.id = $1",
    )
    .bind(order.0)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query_as::<Any, LineRow>(
        "SELECT product_id, product_name, unit_price_cents, quantity FROM order_items WHERE order_id = $1 ORDER BY id",
    )
    .bind(order.0)
    .fetch_all(pool)
    .await?;
    let events = sqlx::query_as::<Any, EventRow>(
        "SELECT e.status, e.created_at, u.display_name AS actor, e.note FROM order_events e \
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
        history: events
            .into_iter()
            .map(|e| OrderEvent {
                status: status_of(&e.status),
                at: clock::display(e.created_at),
                actor: e.actor.unwrap_or_else(|| "Troika".into()),
                note: e.note,
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
