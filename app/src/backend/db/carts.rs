//! Saved carts of signed-in buyers, and the product facts a cart shows.

use super::{Arg, DbResult, SqlBuilder, Tx};
use crate::domain::checkout::MAX_QUANTITY;
use crate::domain::{ProductId, UserId};
use sqlx::AssertSqlSafe;
use sqlx::{Any, AnyPool, FromRow};

/// A product as a cart line needs it, with the shop that sells it.
#[derive(Debug, Clone, FromRow)]
pub struct CartProductRow {
    pub product_id: i64,
    pub name: String,
    pub image: String,
    pub image_width: i64,
    pub price_cents: i64,
    pub stock: i64,
    pub shop_id: i64,
    pub shop_name: String,
    pub shop_slug: String,
    pub shipping_cents: i64,
    /// The language `name` is written in, and the name in the other one if the seller wrote it.
    pub text_language: String,
    pub name_translated: Option<String>,
}

impl CartProductRow {
    /// The product's name as a reader of `l` gets it (their language, else the original).
    pub fn name_for(&self, l: crate::domain::locale::Locale) -> String {
        let original = crate::domain::locale::from_code(&self.text_language).unwrap_or(crate::domain::locale::Locale::en);
        crate::domain::catalog::for_reader(l, original, self.name.clone(), self.name_translated.clone()).0
    }
}

const CART_PRODUCT_COLUMNS: &str = "p.id AS product_id, p.name, p.image, p.image_width, p.price_cents, p.stock, s.id AS shop_id, \
     s.name AS shop_name, s.slug AS shop_slug, s.shipping_cents, p.text_language, p.name_translated";

/// The saved cart of `user`: (product facts, quantity), oldest line first.
pub async fn lines<'c, E>(ex: E, user: UserId) -> DbResult<Vec<(CartProductRow, i64)>>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        product: CartProductRow,
        quantity: i64,
    }
    let rows = sqlx::query_as::<Any, Row>(AssertSqlSafe(format!(
        "SELECT {CART_PRODUCT_COLUMNS}, ci.quantity FROM cart_items ci JOIN products p ON p.id = ci.product_id \
         JOIN shops s ON s.id = p.shop_id WHERE ci.user_id = $1 ORDER BY ci.added_at, p.id"
    )))
    .bind(user.0)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.product, r.quantity)).collect())
}

/// Product facts for a guest cart kept in the session.
pub async fn products(pool: &AnyPool, ids: &[ProductId]) -> DbResult<Vec<CartProductRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = SqlBuilder::new(&format!(
        "SELECT {CART_PRODUCT_COLUMNS} FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.id IN ("
    ));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Int(id.0));
    }
    q.push(")");
    q.fetch_all::<CartProductRow>(pool).await
}

/// Is the product for sale (it exists and its shop is not suspended)?
pub async fn product_for_sale(pool: &AnyPool, id: ProductId) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "SELECT COUNT(*) FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.id = $1 AND p.status = 'listed' AND s.suspended_reason IS NULL",
    )
    .bind(id.0)
    .fetch_one(pool)
    .await?
        > 0)
}

/// Adds `quantity` to the line (creating it), capped at the per-line maximum.
pub async fn add(pool: &AnyPool, user: UserId, product: ProductId, quantity: i64, now: i64) -> DbResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = CASE \
         WHEN cart_items.quantity + excluded.quantity > {MAX_QUANTITY} THEN {MAX_QUANTITY} \
         ELSE cart_items.quantity + excluded.quantity END"
    )))
    .bind(user.0)
    .bind(product.0)
    .bind(quantity.min(MAX_QUANTITY))
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_quantity(pool: &AnyPool, user: UserId, product: ProductId, quantity: i64) -> DbResult<()> {
    sqlx::query("UPDATE cart_items SET quantity = $1 WHERE user_id = $2 AND product_id = $3")
        .bind(quantity)
        .bind(user.0)
        .bind(product.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn remove(pool: &AnyPool, user: UserId, product: ProductId) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2")
        .bind(user.0)
        .bind(product.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear(tx: &mut Tx, user: UserId) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1").bind(user.0).execute(&mut **tx).await?;
    Ok(())
}
