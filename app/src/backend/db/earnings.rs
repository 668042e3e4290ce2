//! Commission rates, order statements, the shops' ledgers and payouts. Postings are made once
//! whichever server makes them (`ref` is unique; a second insert does nothing); a payout takes
//! exactly the entries it sums, in one transaction.

use super::{Db, DbResult, Tx};
use crate::domain::earnings::{commission_of, refund_debit, EntryKind, Statement};
use crate::domain::inventory::CategoryChoice;
use crate::domain::{CategoryId, OrderId, ShopId, UserId};
use sqlx::{Any, AnyPool};

/// Orders still under way: their nets are pending.
const UNDER_WAY: &str = "('placed', 'accepted', 'shipped', 'in_transit', 'out_for_delivery', 'delivery_exception', 'delivered')";

/// Every category with its commission rate.
pub async fn rates(pool: &AnyPool) -> DbResult<Vec<CategoryChoice>> {
    let rows = sqlx::query_as::<Any, (i64, String, String, Option<String>, i64)>("SELECT id, slug, name, name_fr, commission_bp FROM categories ORDER BY position, id")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, name_fr, rate_bp)| CategoryChoice { id: CategoryId(id), slug, name: category_name(name, name_fr), rate_bp })
        .collect())
}

/// A category's name in the reader's language: the French name where the category has one.
fn category_name(name: String, name_fr: Option<String>) -> String {
    match name_fr {
        Some(fr) if crate::domain::locale::request() == crate::domain::locale::Locale::fr && !fr.is_empty() => fr,
        _ => name,
    }
}

/// Sets a category's rate (kept in the change log); the earlier rate, or `None` for no such category.
pub async fn set_rate(tx: &mut Tx, slug: &str, bp: i64, admin: UserId, now: i64) -> DbResult<Option<i64>> {
    let Some((id, from)) = sqlx::query_as::<Any, (i64, i64)>("SELECT id, commission_bp FROM categories WHERE slug = $1").bind(slug).fetch_optional(&mut **tx).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE categories SET commission_bp = $1 WHERE id = $2").bind(bp).bind(id).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO commission_changes (category_id, actor_id, from_bp, to_bp, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(admin.0)
        .bind(from)
        .bind(bp)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(Some(from))
}

/// The latest rate changes: (category in the reader's language, from, to, admin's name, when).
pub async fn rate_changes(pool: &AnyPool, limit: i64) -> DbResult<Vec<(String, i64, i64, String, i64)>> {
    let rows = sqlx::query_as::<Any, (String, Option<String>, i64, i64, String, i64)>(
        "SELECT c.name, c.name_fr, x.from_bp, x.to_bp, u.display_name, x.created_at FROM commission_changes x \
         JOIN categories c ON c.id = x.category_id JOIN users u ON u.id = x.actor_id ORDER BY x.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(name, name_fr, from, to, by, at)| (category_name(name, name_fr), from, to, by, at)).collect())
}

type Line = (String, i64, i64, i64);

async fn lines_of(pool: &AnyPool, order: OrderId) -> DbResult<Vec<Line>> {
    Ok(sqlx::query_as::<Any, Line>(sqlx::AssertSqlSafe(format!("SELECT {}, quantity, unit_price_cents, commission_bp FROM order_items WHERE order_id = $1 ORDER BY id", super::line_name(""))))
        .bind(order.0)
        .fetch_all(pool)
        .await?)
}

/// An order's statement (`None` if `shop` has no such order).
pub async fn statement(pool: &AnyPool, shop: ShopId, order: OrderId) -> DbResult<Option<Statement>> {
    let Some((shipping, refunded, status)) =
        sqlx::query_as::<Any, (i64, i64, String)>("SELECT shipping_cents, refunded_cents, status FROM orders WHERE id = $1 AND shop_id = $2")
            .bind(order.0)
            .bind(shop.0)
            .fetch_optional(pool)
            .await?
    else {
        return Ok(None);
    };
    let lines = lines_of(pool, order).await?;
    Ok(Some(Statement::new(order, &lines, shipping, refunded, status == "completed")))
}

/// Posts what has become due: each completed order's sale (once), and each refund not posted yet
/// (also a refund made before the order completed). `shop`: only that shop's.
pub async fn post_due(db: &Db, shop: Option<ShopId>, now: i64) -> DbResult<usize> {
    let only = if shop.is_some() { "AND o.shop_id = $1" } else { "AND $1 = $1" };
    let sales = sqlx::query_as::<Any, (i64, i64, i64)>(sqlx::AssertSqlSafe(format!(
        "SELECT o.id, o.shop_id, o.shipping_cents FROM orders o WHERE o.status = 'completed' {only} \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = o.id AND l.kind = 'sale') ORDER BY o.id LIMIT 500"
    )))
    .bind(shop.map_or(0, |s| s.0))
    .fetch_all(&db.pool)
    .await?;
    let mut posted = 0;
    for (order, shop_id, shipping) in sales {
        let lines = lines_of(&db.pool, OrderId(order)).await?;
        let net = Statement::new(OrderId(order), &lines, shipping, 0, true).sale_net();
        posted += insert_entry(&db.pool, shop_id, order, EntryKind::Sale, &format!("sale:{order}"), net, 0, now).await?;
    }
    let refunds = sqlx::query_as::<Any, (i64, i64, i64, i64, i64)>(sqlx::AssertSqlSafe(format!(
        "SELECT o.id, o.shop_id, o.total_cents, o.refunded_cents, MAX(l.refunded_upto) FROM orders o \
         JOIN ledger_entries l ON l.order_id = o.id WHERE 1 = 1 {only} \
         GROUP BY o.id, o.shop_id, o.total_cents, o.refunded_cents HAVING o.refunded_cents > MAX(l.refunded_upto) ORDER BY o.id LIMIT 500"
    )))
    .bind(shop.map_or(0, |s| s.0))
    .fetch_all(&db.pool)
    .await?;
    for (order, shop_id, total, after, before) in refunds {
        let lines = lines_of(&db.pool, OrderId(order)).await?;
        let commission: i64 = lines.iter().map(|(_, q, unit, bp)| commission_of(unit * q, *bp)).sum();
        let debit = refund_debit(commission, total, before, after);
        // Keyed by where the refunds stood before: two servers posting the same growth post it once,
        // and a refund made meanwhile is posted from where this one ends, on the next run.
        posted += insert_entry(&db.pool, shop_id, order, EntryKind::Refund, &format!("refund:{order}:{before}"), -debit, after, now).await?;
    }
    Ok(posted)
}

#[allow(clippy::too_many_arguments)]
async fn insert_entry(pool: &AnyPool, shop: i64, order: i64, kind: EntryKind, reference: &str, amount: i64, refunded_upto: i64, now: i64) -> DbResult<usize> {
    let done = sqlx::query(
        "INSERT INTO ledger_entries (shop_id, order_id, kind, ref, amount_cents, refunded_upto, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ref) DO NOTHING",
    )
    .bind(shop)
    .bind(order)
    .bind(kind.as_str())
    .bind(reference)
    .bind(amount)
    .bind(refunded_upto)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() as usize)
}

/// The nets of the shop's orders under way (pending: not payable yet), from one read of their lines.
pub async fn pending(pool: &AnyPool, shop: ShopId) -> DbResult<i64> {
    let rows = sqlx::query_as::<Any, (i64, i64, i64, String, i64, i64, i64)>(sqlx::AssertSqlSafe(format!(
        "SELECT o.id, o.shipping_cents, o.refunded_cents, i.product_name, i.quantity, i.unit_price_cents, i.commission_bp \
         FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.shop_id = $1 AND o.status IN {UNDER_WAY} ORDER BY o.id, i.id"
    )))
    .bind(shop.0)
    .fetch_all(pool)
    .await?;
    let mut sum = 0;
    let mut rows = rows.into_iter().peekable();
    while let Some((id, shipping, refunded, name, quantity, unit, bp)) = rows.next() {
        let mut lines = vec![(name, quantity, unit, bp)];
        while let Some((_, _, _, name, quantity, unit, bp)) = rows.next_if(|r| r.0 == id) {
            lines.push((name, quantity, unit, bp));
        }
        sum += Statement::new(OrderId(id), &lines, shipping, refunded, false).net.0;
    }
    Ok(sum)
}

/// What the shop was owed at `at` (ms): everything posted before it, less the payouts before it.
pub async fn balance_at(pool: &AnyPool, shop: ShopId, at: i64) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "SELECT CAST(COALESCE((SELECT SUM(amount_cents) FROM ledger_entries WHERE shop_id = $1 AND created_at < $2), 0) \
         - COALESCE((SELECT SUM(amount_cents) FROM payouts WHERE shop_id = $1 AND created_at < $2), 0) AS BIGINT)",
    )
    .bind(shop.0)
    .bind(at)
    .fetch_one(pool)
    .await?)
}

/// (payable: posted and not paid out, paid: paid out).
pub async fn balances(pool: &AnyPool, shop: ShopId) -> DbResult<(i64, i64)> {
    let payable = sqlx::query_scalar::<Any, i64>("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE shop_id = $1 AND payout_id IS NULL")
        .bind(shop.0)
        .fetch_one(pool)
        .await?;
    let paid = sqlx::query_scalar::<Any, i64>("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM payouts WHERE shop_id = $1").bind(shop.0).fetch_one(pool).await?;
    Ok((payable, paid))
}

/// A ledger row: (id, order, kind, amount, when, payout).
pub type EntryRow = (i64, i64, String, i64, i64, Option<i64>);

/// The shop's postings between `from` and `to` (ms), newest first, at most `limit`.
pub async fn entries(pool: &AnyPool, shop: ShopId, from: i64, to: i64, limit: i64) -> DbResult<Vec<EntryRow>> {
    Ok(sqlx::query_as::<Any, EntryRow>(
        "SELECT id, order_id, kind, amount_cents, created_at, payout_id FROM ledger_entries \
         WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id DESC LIMIT $4",
    )
    .bind(shop.0)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The shop's payouts between `from` and `to`: (id, amount, when), newest first.
pub async fn payouts(pool: &AnyPool, shop: ShopId, from: i64, to: i64) -> DbResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as::<Any, (i64, i64, i64)>(
        "SELECT id, amount_cents, created_at FROM payouts WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id DESC",
    )
    .bind(shop.0)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?)
}

/// When the shop's first posting was made.
pub async fn first_posting(pool: &AnyPool, shop: ShopId) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar::<Any, Option<i64>>("SELECT MIN(created_at) FROM ledger_entries WHERE shop_id = $1").bind(shop.0).fetch_one(pool).await?)
}

/// Shops with something payable.
pub async fn shops_with_payable(pool: &AnyPool) -> DbResult<Vec<ShopId>> {
    let ids = sqlx::query_scalar::<Any, i64>("SELECT shop_id FROM ledger_entries WHERE payout_id IS NULL GROUP BY shop_id HAVING SUM(amount_cents) > 0 ORDER BY shop_id")
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().map(ShopId).collect())
}

/// Pays out everything payable of `shop` (simulated): the payout's amount, or `None` when nothing
/// is payable (a debit waits for the next sales) or another payout took the entries first.
pub async fn pay_out(tx: &mut Tx, shop: ShopId, admin: Option<UserId>, now: i64) -> DbResult<Option<i64>> {
    let (upto, sum, count) = sqlx::query_as::<Any, (i64, i64, i64)>(
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT), COUNT(*) FROM ledger_entries WHERE shop_id = $1 AND payout_id IS NULL",
    )
    .bind(shop.0)
    .fetch_one(&mut **tx)
    .await?;
    if sum <= 0 {
        return Ok(None);
    }
    let payout = sqlx::query_scalar::<Any, i64>("INSERT INTO payouts (shop_id, amount_cents, actor_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(shop.0)
        .bind(sum)
        .bind(admin.map(|a| a.0))
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    let taken = sqlx::query("UPDATE ledger_entries SET payout_id = $1 WHERE shop_id = $2 AND payout_id IS NULL AND id <= $3")
        .bind(payout)
        .bind(shop.0)
        .bind(upto)
        .execute(&mut **tx)
        .await?;
    Ok((taken.rows_affected() as i64 == count).then_some(sum))
}
