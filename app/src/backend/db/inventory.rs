//! A shop's products as its seller runs them: the stock page's rows, the product form, status
//! moves, stock changes as conditional updates (never read-then-write, so a checkout at the same
//! moment is never lost or doubled), and "notify me when it is back" requests.

use super::{DbResult, Tx};
use crate::domain::inventory::{InventoryItem, ProductDraft, ProductStatus, StockChange, MAX_STOCK};
use crate::domain::{CategoryId, Money, ProductId, ShopId, UserId};
use sqlx::{Any, AnyPool, FromRow};

/// Orders that did not go ahead sold nothing.
const SOLD: &str = "o.status NOT IN ('refused', 'cancelled_by_buyer', 'cancelled_by_seller', 'cancelled_unaccepted')";

#[derive(Debug, FromRow)]
struct ItemRow {
    id: i64,
    name: String,
    category: String,
    status: String,
    price_cents: i64,
    stock: i64,
    low_stock: i64,
    sold_7: i64,
    sold_30: i64,
}

/// Every product of `shop` with its sales since `week_ago` and `month_ago`: for sale first, then
/// hidden, then archived; by name.
pub async fn items_of_shop(pool: &AnyPool, shop: ShopId, week_ago: i64, month_ago: i64) -> DbResult<Vec<InventoryItem>> {
    let sold = |param: &str| {
        format!(
            "CAST(COALESCE((SELECT SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id \
             WHERE i.product_id = p.id AND o.created_at >= {param} AND {SOLD}), 0) AS BIGINT)"
        )
    };
    let sql = format!(
        "SELECT p.id, p.name, c.name AS category, p.status, p.price_cents, p.stock, p.low_stock, {} AS sold_7, {} AS sold_30 \
         FROM products p JOIN categories c ON c.id = p.category_id WHERE p.shop_id = $1 \
         ORDER BY CASE p.status WHEN 'listed' THEN 0 WHEN 'hidden' THEN 1 ELSE 2 END, p.name, p.id",
        sold("$2"),
        sold("$3")
    );
    let rows = sqlx::query_as::<Any, ItemRow>(sqlx::AssertSqlSafe(sql)).bind(shop.0).bind(week_ago).bind(month_ago).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| InventoryItem {
            id: ProductId(r.id),
            name: r.name,
            category: r.category,
            status: ProductStatus::parse(&r.status).unwrap_or(ProductStatus::Hidden),
            price: Money(r.price_cents),
            stock: r.stock,
            low_stock: r.low_stock,
            sold_7: r.sold_7,
            sold_30: r.sold_30,
            runs_out_in: crate::domain::inventory::runs_out_in_days(r.stock, r.sold_7, r.sold_30),
        })
        .collect())
}

#[derive(Debug, FromRow)]
struct ProductRow {
    name: String,
    description: String,
    text_language: String,
    name_translated: Option<String>,
    description_translated: Option<String>,
    category: String,
    price_cents: i64,
    stock: i64,
    low_stock: i64,
    status: String,
}

/// One product of `shop` as its form shows it, with its status; `None` when the shop has no such
/// product (someone else's is as absent as one that does not exist).
pub async fn product_of_shop(pool: &AnyPool, shop: ShopId, product: ProductId) -> DbResult<Option<(ProductDraft, ProductStatus)>> {
    let row = sqlx::query_as::<Any, ProductRow>(
        "SELECT p.name, p.description, p.text_language, p.name_translated, p.description_translated, c.slug AS category, p.price_cents, p.stock, p.low_stock, p.status \
         FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = $1 AND p.shop_id = $2",
    )
    .bind(product.0)
    .bind(shop.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(ProductRow::into_draft))
}

#[derive(Debug, FromRow)]
struct CatalogRow {
    id: i64,
    #[sqlx(flatten)]
    product: ProductRow,
}

/// Every product of `shop` as its form shows it, with its status (the catalogue file), by id.
pub async fn catalog_of_shop(pool: &AnyPool, shop: ShopId) -> DbResult<Vec<(ProductId, ProductDraft, ProductStatus)>> {
    let rows = sqlx::query_as::<Any, CatalogRow>(
        "SELECT p.id, p.name, p.description, p.text_language, p.name_translated, p.description_translated, c.slug AS category, p.price_cents, p.stock, p.low_stock, p.status \
         FROM products p JOIN categories c ON c.id = p.category_id WHERE p.shop_id = $1 ORDER BY p.id",
    )
    .bind(shop.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (draft, status) = r.product.into_draft();
            (ProductId(r.id), draft, status)
        })
        .collect())
}

impl ProductRow {
    fn into_draft(self) -> (ProductDraft, ProductStatus) {
        let status = ProductStatus::parse(&self.status).unwrap_or(ProductStatus::Hidden);
        let draft = ProductDraft {
            name: self.name,
            description: self.description,
            language: crate::domain::locale::from_code(&self.text_language).unwrap_or(crate::domain::locale::Locale::en),
            translated_name: self.name_translated.unwrap_or_default(),
            translated_description: self.description_translated.unwrap_or_default(),
            category: self.category,
            price: Money(self.price_cents),
            stock: self.stock,
            low_stock: self.low_stock,
        };
        (draft, status)
    }
}

/// Rewrites a product's details (not its stock: that changes by `change_stock`); search reindexes it.
pub async fn update_details(tx: &mut Tx, product: ProductId, d: &ProductDraft, category: CategoryId, now: i64) -> DbResult<()> {
    let seq = super::catalog::next_search_seq(tx).await?;
    sqlx::query(
        "UPDATE products SET name = $1, description = $2, category_id = $3, price_cents = $4, low_stock = $5, \
         search_seq = $6, updated_at = $7, text_language = $9, name_translated = $10, description_translated = $11 WHERE id = $8",
    )
    .bind(&d.name)
    .bind(&d.description)
    .bind(category.0)
    .bind(d.price.0)
    .bind(d.low_stock)
    .bind(seq)
    .bind(now)
    .bind(product.0)
    .bind(crate::domain::locale::code(d.language))
    .bind(d.translated().map(|(name, _)| name))
    .bind(d.translated().map(|(_, description)| description))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a product from `from` to `to`; `false` when it was no longer `from` (changed meanwhile).
pub async fn set_status(tx: &mut Tx, product: ProductId, from: ProductStatus, to: ProductStatus, now: i64) -> DbResult<bool> {
    let done = sqlx::query("UPDATE products SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(product.0)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Applies a stock change in one conditional statement: the new level, or `None` when it cannot
/// apply (fewer units than removed, more than the most a shop holds, or, setting, the level is no
/// longer the one seen).
pub async fn change_stock(tx: &mut Tx, product: ProductId, change: StockChange) -> DbResult<Option<i64>> {
    let q = match change {
        StockChange::Add(n) => sqlx::query_scalar::<Any, i64>(sqlx::AssertSqlSafe(format!(
            "UPDATE products SET stock = stock + $1 WHERE id = $2 AND stock + $1 <= {MAX_STOCK} RETURNING stock"
        )))
        .bind(n)
        .bind(product.0),
        StockChange::Remove(n) => {
            sqlx::query_scalar::<Any, i64>("UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1 RETURNING stock").bind(n).bind(product.0)
        }
        StockChange::Set { to, seen } => sqlx::query_scalar::<Any, i64>("UPDATE products SET stock = $1 WHERE id = $2 AND stock = $3 RETURNING stock")
            .bind(to)
            .bind(product.0)
            .bind(seen),
    };
    Ok(q.fetch_optional(&mut **tx).await?)
}

/// A product's stock now.
pub async fn stock_in(tx: &mut Tx, product: ProductId) -> DbResult<i64> {
    Ok(state_in(tx, product).await?.0)
}

/// A product's stock and status now.
pub async fn state_in(tx: &mut Tx, product: ProductId) -> DbResult<(i64, ProductStatus)> {
    let (stock, status) =
        sqlx::query_as::<Any, (i64, String)>("SELECT stock, status FROM products WHERE id = $1").bind(product.0).fetch_one(&mut **tx).await?;
    Ok((stock, ProductStatus::parse(&status).unwrap_or(ProductStatus::Hidden)))
}

/// A product for sale that is sold out: (its name, its shop's owner), or `None`.
pub async fn sold_out_for_sale(pool: &AnyPool, product: ProductId) -> DbResult<Option<(String, UserId)>> {
    let row = sqlx::query_as::<Any, (String, i64)>(
        "SELECT p.name, s.owner_id FROM products p JOIN shops s ON s.id = p.shop_id \
         WHERE p.id = $1 AND p.stock = 0 AND p.status = 'listed' AND s.suspended_reason IS NULL",
    )
    .bind(product.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(name, owner)| (name, UserId(owner))))
}

/// Asks to be told when `product` is back; asking again after being told asks again. `true`
/// when a new request was stored.
pub async fn ask_alert(pool: &AnyPool, product: ProductId, user: UserId, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO stock_alerts (product_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (product_id, user_id) DO UPDATE SET created_at = excluded.created_at, notified_at = NULL \
         WHERE stock_alerts.notified_at IS NOT NULL",
    )
    .bind(product.0)
    .bind(user.0)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user` waits to be told that `product` is back.
pub async fn is_waiting(pool: &AnyPool, product: ProductId, user: UserId) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM stock_alerts WHERE product_id = $1 AND user_id = $2 AND notified_at IS NULL")
        .bind(product.0)
        .bind(user.0)
        .fetch_one(pool)
        .await?
        > 0)
}

/// Marks every waiting request for `product` answered and returns who asked, in id order: each
/// request is answered once, whoever restocks at the same moment.
pub async fn take_waiting(tx: &mut Tx, product: ProductId, now: i64) -> DbResult<Vec<UserId>> {
    let mut users: Vec<UserId> =
        sqlx::query_scalar::<Any, i64>("UPDATE stock_alerts SET notified_at = $1 WHERE product_id = $2 AND notified_at IS NULL RETURNING user_id")
            .bind(now)
            .bind(product.0)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(UserId)
            .collect();
    users.sort();
    Ok(users)
}
