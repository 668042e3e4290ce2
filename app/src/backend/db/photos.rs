//! Product photos and their stored copies (WebP bytes in the database: every app server serves
//! every photo), and which one is a product's main picture (`products.image` names it, with its
//! size, so lists and pages need no second query).

use super::{DbResult, Tx};
use crate::backend::photos::Processed;
use crate::domain::photo::{Picture, PhotoView};
use crate::domain::ProductId;
use sqlx::{Any, AnyPool, FromRow};

pub async fn count(pool: &AnyPool, product: ProductId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM product_photos WHERE product_id = $1").bind(product.0).fetch_one(pool).await?)
}

pub async fn count_in(tx: &mut Tx, product: ProductId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM product_photos WHERE product_id = $1")
        .bind(product.0)
        .fetch_one(&mut **tx)
        .await?)
}

/// Stores a processed photo after the product's others; the first one becomes the main picture.
pub async fn insert(tx: &mut Tx, product: ProductId, p: &Processed, now: i64) -> DbResult<i64> {
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO product_photos (product_id, position, width, height, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM product_photos WHERE product_id = $1), $2, $3, $4) RETURNING id",
    )
    .bind(product.0)
    .bind(i64::from(p.width))
    .bind(i64::from(p.height))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for v in &p.variants {
        sqlx::query("INSERT INTO photo_variants (photo_id, width, height, bytes) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i64::from(v.width))
            .bind(i64::from(v.height))
            .bind(v.webp.as_slice())
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE products SET image = $1, image_width = $2, image_height = $3 WHERE id = $4 AND image NOT LIKE '/photos/%'")
        .bind(format!("/photos/{id}"))
        .bind(i64::from(p.width))
        .bind(i64::from(p.height))
        .bind(product.0)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

#[derive(FromRow)]
struct PhotoRow {
    id: i64,
    width: i64,
    height: i64,
}

/// A product's photos in order, the main one marked.
pub async fn of_product(pool: &AnyPool, product: ProductId) -> DbResult<Vec<PhotoView>> {
    let main = sqlx::query_scalar::<Any, String>("SELECT image FROM products WHERE id = $1").bind(product.0).fetch_optional(pool).await?.unwrap_or_default();
    let rows = sqlx::query_as::<Any, PhotoRow>("SELECT id, width, height FROM product_photos WHERE product_id = $1 ORDER BY position, id")
        .bind(product.0)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let src = format!("/photos/{}", r.id);
            PhotoView { id: r.id, main: src == main, picture: Picture { src, width: r.width as u32, height: r.height as u32 } }
        })
        .collect())
}

/// Makes `photo` the product's main picture; `false` if it is not one of the product's photos.
pub async fn set_main(tx: &mut Tx, product: ProductId, photo: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE products SET image = '/photos/' || CAST(ph.id AS TEXT), image_width = ph.width, image_height = ph.height \
         FROM product_photos ph WHERE ph.id = $1 AND ph.product_id = $2 AND products.id = $2",
    )
    .bind(photo)
    .bind(product.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of the product's photos; when it was the main picture, the next photo takes its
/// place, or the category's drawing when none is left. `false` if it is not one of the product's.
pub async fn remove(tx: &mut Tx, product: ProductId, photo: i64) -> DbResult<bool> {
    sqlx::query("DELETE FROM photo_variants WHERE photo_id IN (SELECT id FROM product_photos WHERE id = $1 AND product_id = $2)")
        .bind(photo)
        .bind(product.0)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query("DELETE FROM product_photos WHERE id = $1 AND product_id = $2").bind(photo).bind(product.0).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let main = sqlx::query_scalar::<Any, String>("SELECT image FROM products WHERE id = $1").bind(product.0).fetch_one(&mut **tx).await?;
    if main == format!("/photos/{photo}") {
        let next = sqlx::query_scalar::<Any, i64>("SELECT id FROM product_photos WHERE product_id = $1 ORDER BY position, id LIMIT 1")
            .bind(product.0)
            .fetch_optional(&mut **tx)
            .await?;
        match next {
            Some(next) => {
                set_main(tx, product, next).await?;
            }
            None => {
                sqlx::query(
                    "UPDATE products SET image = '/img/' || (SELECT slug FROM categories WHERE id = products.category_id) || '.svg', \
                     image_width = 320, image_height = 240 WHERE id = $1",
                )
                .bind(product.0)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(true)
}

/// One stored copy and what decides who may see it.
#[derive(FromRow)]
pub struct StoredVariant {
    pub bytes: Vec<u8>,
    pub status: String,
    pub owner_id: i64,
}

pub async fn variant(pool: &AnyPool, photo: i64, width: u32) -> DbResult<Option<StoredVariant>> {
    Ok(sqlx::query_as::<Any, StoredVariant>(
        "SELECT v.bytes, p.status, s.owner_id FROM photo_variants v JOIN product_photos ph ON ph.id = v.photo_id \
         JOIN products p ON p.id = ph.product_id JOIN shops s ON s.id = p.shop_id WHERE v.photo_id = $1 AND v.width = $2",
    )
    .bind(photo)
    .bind(i64::from(width))
    .fetch_optional(pool)
    .await?)
}
