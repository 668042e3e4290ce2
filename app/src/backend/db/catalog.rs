//! Categories, shops and products: browsing, search and the product page.

use super::{Arg, Db, DbResult, SqlBuilder, Tx};
use crate::backend::clock;
use crate::domain::catalog::{for_reader, Category, ListingQuery, ProductDetail, ProductSummary, Rating, ShopCard, Sort, PAGE_SIZE};
use crate::domain::locale::{self, Locale};
use crate::domain::{CategoryId, Money, ProductId, ShopId, UserId};
use sqlx::AssertSqlSafe;
use sqlx::{Any, AnyPool, FromRow};

#[derive(Debug, FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    name_fr: Option<String>,
    description_fr: Option<String>,
    product_count: i64,
}

impl CategoryRow {
    /// The category in the reader's language (the marketplace writes both; English if one is missing).
    fn for_reader(self, l: Locale) -> Category {
        let (name, description) = match (l, self.name_fr, self.description_fr) {
            (Locale::fr, Some(name), Some(description)) => (name, description),
            _ => (self.name, self.description),
        };
        Category { id: CategoryId(self.id), slug: self.slug, name, description, product_count: self.product_count }
    }
}

/// A stored language code (`products.text_language`, `shops.text_language`); the CHECK keeps it valid.
fn language_of(code: &str) -> Locale {
    locale::from_code(code).unwrap_or(Locale::en)
}

const CATEGORY_SELECT: &str = "SELECT c.id, c.slug, c.name, c.description, c.name_fr, c.description_fr, \
     (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.status = 'listed') AS product_count FROM categories c";

pub async fn categories(pool: &AnyPool, l: Locale) -> DbResult<Vec<Category>> {
    let rows = sqlx::query_as::<Any, CategoryRow>(AssertSqlSafe(format!("{CATEGORY_SELECT} ORDER BY c.position, c.id")))
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.for_reader(l)).collect())
}

pub async fn category_by_slug(pool: &AnyPool, slug: &str, l: Locale) -> DbResult<Option<Category>> {
    let row = sqlx::query_as::<Any, CategoryRow>(AssertSqlSafe(format!("{CATEGORY_SELECT} WHERE c.slug = $1")))
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.for_reader(l)))
}

#[derive(Debug, FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    price_cents: i64,
    stock: i64,
    image: String,
    image_width: i64,
    image_height: i64,
    rating_sum: i64,
    rating_count: i64,
    shop_name: String,
    shop_slug: String,
    shop_city: String,
    shop_top_seller: i64,
    text_language: String,
    name_translated: Option<String>,
}

impl SummaryRow {
    fn for_reader(self, l: Locale) -> ProductSummary {
        let r = self;
        let (name, name_language) = for_reader(l, language_of(&r.text_language), r.name, r.name_translated);
        ProductSummary {
            id: ProductId(r.id),
            name,
            name_language,
            price: Money(r.price_cents),
            stock: r.stock,
            picture: picture(r.image, r.image_width, r.image_height),
            rating: Rating { sum: r.rating_sum, count: r.rating_count },
            shop_name: r.shop_name,
            shop_slug: r.shop_slug,
            shop_city: r.shop_city,
            shop_top_seller: r.shop_top_seller != 0,
        }
    }
}

/// A product's main picture from its columns.
fn picture(src: String, width: i64, height: i64) -> crate::domain::photo::Picture {
    crate::domain::photo::Picture { src, width: width.clamp(1, 100_000) as u32, height: height.clamp(1, 100_000) as u32 }
}

const SUMMARY_COLUMNS: &str = "p.id, p.name, p.price_cents, p.stock, p.image, p.image_width, p.image_height, p.rating_sum, p.rating_count, \
     s.name AS shop_name, s.slug AS shop_slug, s.city AS shop_city, s.top_seller AS shop_top_seller, p.text_language, p.name_translated";

/// One page of products matching `q`, and how many match in all. With search words, `matched` is
/// what the search index found for them, best first (`backend::search`): the page keeps that order
/// when sorted by relevance, and the filters apply to it.
pub async fn list_products(db: &Db, q: &ListingQuery, matched: Option<&[ProductId]>, l: Locale) -> DbResult<(Vec<ProductSummary>, i64)> {
    const JOINS: &str = " JOIN shops s ON s.id = p.shop_id JOIN categories c ON c.id = p.category_id";
    let mut from = SqlBuilder::new(&format!(" FROM products p{JOINS}"));
    // A suspended shop's products are not for sale.
    from.push(" WHERE s.suspended_reason IS NULL AND p.status = 'listed'");
    if let Some(ids) = matched {
        if ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // Ids from the search index, written as numbers: nothing a person typed reaches the SQL.
        from.push(&format!(" AND p.id IN ({})", id_list(ids)));
    }
    if let Some(cat) = &q.category {
        from.push(" AND c.slug = ").bind(Arg::Text(cat.clone()));
    }
    if let Some(min) = q.min_price {
        from.push(" AND p.price_cents >= ").bind(Arg::Int(min.0));
    }
    if let Some(max) = q.max_price {
        from.push(" AND p.price_cents <= ").bind(Arg::Int(max.0));
    }
    if let Some(stars) = q.min_seller_rating {
        from.push(" AND s.rating_count > 0 AND s.rating_sum >= s.rating_count * ").bind(Arg::Int(stars));
    }
    if q.top_sellers_only {
        from.push(" AND s.top_seller = 1");
    }
    let offset = ((q.page - 1) * PAGE_SIZE).max(0);

    if let (Some(ids), Sort::Relevance) = (matched, q.sort) {
        // The index's order: the products the filters keep, then the page of them.
        let mut kept = SqlBuilder::new("SELECT p.id");
        kept.sql.push_str(&from.sql);
        kept.args_from(&from);
        let kept: std::collections::HashSet<i64> = kept.fetch_all::<(i64,)>(&db.pool).await?.into_iter().map(|(id,)| id).collect();
        let ranked: Vec<ProductId> = ids.iter().copied().filter(|id| kept.contains(&id.0)).collect();
        let page: Vec<ProductId> = ranked.iter().copied().skip(offset as usize).take(PAGE_SIZE as usize).collect();
        if page.is_empty() {
            return Ok((Vec::new(), ranked.len() as i64));
        }
        let rows = SqlBuilder::new(&format!("SELECT {SUMMARY_COLUMNS} FROM products p{JOINS} WHERE p.id IN ({})", id_list(&page)))
            .fetch_all::<SummaryRow>(&db.pool)
            .await?;
        let mut by_id: std::collections::HashMap<i64, SummaryRow> = rows.into_iter().map(|r| (r.id, r)).collect();
        let products = page.iter().filter_map(|id| by_id.remove(&id.0)).map(|r| r.for_reader(l)).collect();
        return Ok((products, ranked.len() as i64));
    }

    let mut count = SqlBuilder::new("SELECT COUNT(*)");
    count.sql.push_str(&from.sql);
    count.args_from(&from);
    let total = count.fetch_count(&db.pool).await?;

    let order = match q.sort {
        Sort::Relevance | Sort::Newest => "p.created_at DESC, p.id DESC",
        Sort::PriceLow => "p.price_cents ASC, p.id ASC",
        Sort::PriceHigh => "p.price_cents DESC, p.id ASC",
        Sort::Rating => {
            "CASE WHEN p.rating_count > 0 THEN p.rating_sum * 1.0 / p.rating_count END DESC NULLS LAST, p.rating_count DESC, p.id ASC"
        }
    };
    let mut page = SqlBuilder::new(&format!("SELECT {SUMMARY_COLUMNS}"));
    page.sql.push_str(&from.sql);
    page.args_from(&from);
    page.push(&format!(" ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}"));
    let rows = page.fetch_all::<SummaryRow>(&db.pool).await?;
    Ok((rows.into_iter().map(|r| r.for_reader(l)).collect(), total))
}

/// `1,2,3`: ids for an `IN (…)` list.
fn id_list(ids: &[ProductId]) -> String {
    let mut out = String::with_capacity(ids.len() * 7);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.0.to_string());
    }
    out
}

pub async fn products_of_shop(pool: &AnyPool, shop: ShopId, l: Locale) -> DbResult<Vec<ProductSummary>> {
    let rows = sqlx::query_as::<Any, SummaryRow>(AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.shop_id = $1 AND p.status = 'listed' ORDER BY p.created_at DESC, p.id DESC"
    )))
    .bind(shop.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.for_reader(l)).collect())
}

pub async fn newest_products(pool: &AnyPool, limit: i64, l: Locale) -> DbResult<Vec<ProductSummary>> {
    let rows = sqlx::query_as::<Any, SummaryRow>(AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.stock > 0 AND p.status = 'listed' AND s.suspended_reason IS NULL \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.for_reader(l)).collect())
}

#[derive(Debug, FromRow)]
struct ShopRow {
    id: i64,
    slug: String,
    name: String,
    city: String,
    country: String,
    description: String,
    return_policy: String,
    return_days: i64,
    handling_days: i64,
    shipping_cents: i64,
    rating_sum: i64,
    rating_count: i64,
    top_seller: i64,
    created_at: i64,
    opening_hours: String,
    contact_email: String,
    contact_phone: String,
    suspended_reason: Option<String>,
    text_language: String,
    description_translated: Option<String>,
    return_policy_translated: Option<String>,
}

impl ShopRow {
    fn for_reader(self, l: Locale) -> ShopCard {
        let r = self;
        let original = language_of(&r.text_language);
        // The description and the policy are one version: both translated, or both the original.
        let translated = r.description_translated.zip(r.return_policy_translated);
        let (description, return_policy, text_language) = match translated {
            Some((d, p)) if l != original => (d, p, None),
            _ => (r.description, r.return_policy, (l != original).then_some(original)),
        };
        ShopCard {
            id: ShopId(r.id),
            slug: r.slug,
            name: r.name,
            city: r.city,
            country: r.country,
            description,
            return_policy,
            return_days: r.return_days,
            handling_days: r.handling_days,
            shipping: Money(r.shipping_cents),
            rating: Rating { sum: r.rating_sum, count: r.rating_count },
            top_seller: r.top_seller != 0,
            member_since: clock::display_date(r.created_at),
            opening_hours: r.opening_hours,
            contact: if r.contact_email.is_empty() {
                String::new()
            } else {
                format!("{} · {}", crate::domain::shop::mask_email(&r.contact_email), crate::domain::shop::mask_phone(&r.contact_phone))
            },
            suspended: r.suspended_reason.is_some(),
            usually_answers: None,
            text_language,
        }
    }
}

const SHOP_COLUMNS: &str = "s.id, s.slug, s.name, s.city, s.country, s.description, s.return_policy, s.return_days, \
     s.handling_days, s.shipping_cents, s.rating_sum, s.rating_count, s.top_seller, s.created_at, s.opening_hours, \
     s.contact_email, s.contact_phone, s.suspended_reason, s.text_language, s.description_translated, s.return_policy_translated";

pub async fn shop_by_slug(pool: &AnyPool, slug: &str, l: Locale) -> DbResult<Option<ShopCard>> {
    let row = sqlx::query_as::<Any, ShopRow>(AssertSqlSafe(format!("SELECT {SHOP_COLUMNS} FROM shops s WHERE s.slug = $1")))
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.for_reader(l)))
}

pub async fn shop_by_id(pool: &AnyPool, id: ShopId, l: Locale) -> DbResult<Option<ShopCard>> {
    let row = sqlx::query_as::<Any, ShopRow>(AssertSqlSafe(format!("SELECT {SHOP_COLUMNS} FROM shops s WHERE s.id = $1")))
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.for_reader(l)))
}

/// The shop `owner` runs: (id, name, slug).
pub async fn shop_of_owner(pool: &AnyPool, owner: crate::domain::UserId) -> DbResult<Option<(ShopId, String, String)>> {
    let row = sqlx::query_as::<Any, (i64, String, String)>("SELECT id, name, slug FROM shops WHERE owner_id = $1")
        .bind(owner.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(id, name, slug)| (ShopId(id), name, slug)))
}

#[derive(Debug, FromRow)]
struct ProductRow {
    id: i64,
    shop_id: i64,
    category_id: i64,
    name: String,
    description: String,
    price_cents: i64,
    stock: i64,
    image: String,
    image_width: i64,
    image_height: i64,
    rating_sum: i64,
    rating_count: i64,
    text_language: String,
    name_translated: Option<String>,
    description_translated: Option<String>,
}

pub async fn product_detail(pool: &AnyPool, id: ProductId, l: Locale) -> DbResult<Option<ProductDetail>> {
    let Some(p) = sqlx::query_as::<Any, ProductRow>(
        "SELECT id, shop_id, category_id, name, description, price_cents, stock, image, image_width, image_height, rating_sum, rating_count, \
         text_language, name_translated, description_translated \
         FROM products WHERE id = $1 AND status = 'listed'",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let category = sqlx::query_as::<Any, CategoryRow>(AssertSqlSafe(format!("{CATEGORY_SELECT} WHERE c.id = $1")))
        .bind(p.category_id)
        .fetch_one(pool)
        .await?;
    let shop = shop_by_id(pool, ShopId(p.shop_id), l).await?.ok_or(super::DbError::NotFound)?;
    // Name and description are one version: both translated, or both the original.
    let original = language_of(&p.text_language);
    let (name, description, text_language) = match p.name_translated.zip(p.description_translated) {
        Some((name, description)) if l != original => (name, description, None),
        _ => (p.name, p.description, (l != original).then_some(original)),
    };
    Ok(Some(ProductDetail {
        id: ProductId(p.id),
        name,
        description,
        text_language,
        price: Money(p.price_cents),
        stock: p.stock,
        picture: picture(p.image, p.image_width, p.image_height),
        rating: Rating { sum: p.rating_sum, count: p.rating_count },
        category: category.for_reader(l),
        shop,
    }))
}

// ---- writes (seed data, and later the seller's catalogue tools) ----

/// A category: its name and description in English, then in French.
pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub name_fr: &'a str,
    pub description_fr: &'a str,
}

pub async fn insert_category(tx: &mut Tx, c: &NewCategory<'_>, position: i64) -> DbResult<CategoryId> {
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO categories (slug, name, description, name_fr, description_fr, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(c.slug)
    .bind(c.name)
    .bind(c.description)
    .bind(c.name_fr)
    .bind(c.description_fr)
    .bind(position)
    .fetch_one(&mut **tx)
    .await?;
    Ok(CategoryId(id))
}

pub struct NewProduct<'a> {
    pub shop: ShopId,
    pub category: CategoryId,
    pub name: &'a str,
    pub description: &'a str,
    /// The language `name` and `description` are written in.
    pub language: Locale,
    /// The name and description in the other language, if the seller wrote them.
    pub translated: Option<(&'a str, &'a str)>,
    pub price: Money,
    pub stock: i64,
    pub low_stock: i64,
    pub image: &'a str,
}

pub async fn insert_product(tx: &mut Tx, p: &NewProduct<'_>, created_at: i64) -> DbResult<ProductId> {
    let seq = next_search_seq(tx).await?;
    let id = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO products (shop_id, category_id, name, description, price_cents, stock, image, \
         search_seq, created_at, low_stock, updated_at, text_language, name_translated, description_translated) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11, $12, $13) RETURNING id",
    )
    .bind(p.shop.0)
    .bind(p.category.0)
    .bind(p.name)
    .bind(p.description)
    .bind(p.price.0)
    .bind(p.stock)
    .bind(p.image)
    .bind(seq)
    .bind(created_at)
    .bind(p.low_stock)
    .bind(locale::code(p.language))
    .bind(p.translated.map(|(name, _)| name))
    .bind(p.translated.map(|(_, description)| description))
    .fetch_one(&mut **tx)
    .await?;
    Ok(ProductId(id))
}

/// The next number in the order products' searchable text changes, taken inside the writing
/// transaction: the counter row stays locked until the commit, so changes commit in that order and
/// an index that has read up to N has seen every change numbered N or less.
pub async fn next_search_seq(tx: &mut Tx) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("UPDATE search_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq").fetch_one(&mut **tx).await?)
}

/// Marks every product of `shop` as changed for search (its shop's searchable text changed).
pub async fn shop_changed_for_search(tx: &mut Tx, shop: ShopId) -> DbResult<()> {
    let seq = next_search_seq(tx).await?;
    sqlx::query("UPDATE products SET search_seq = $1 WHERE shop_id = $2").bind(seq).bind(shop.0).execute(&mut **tx).await?;
    Ok(())
}

/// A product's searchable text, as the search index takes it.
#[derive(Debug, FromRow)]
pub struct SearchTextRow {
    pub id: i64,
    pub search_seq: i64,
    pub name: String,
    pub description: String,
    pub category: String,
    pub shop: String,
    pub city: String,
}

/// The products whose searchable text changed after (`seq`, `id`) (every product from (0, 0)), in
/// that order, at most `limit`.
pub async fn search_text_since(pool: &AnyPool, seq: i64, id: i64, limit: i64) -> DbResult<Vec<SearchTextRow>> {
    Ok(sqlx::query_as::<Any, SearchTextRow>(
        "SELECT p.id, p.search_seq, p.name || ' ' || COALESCE(p.name_translated, '') AS name, \
         p.description || ' ' || COALESCE(p.description_translated, '') AS description, \
         c.name || ' ' || COALESCE(c.name_fr, '') AS category, s.name AS shop, s.city \
         FROM products p JOIN categories c ON c.id = p.category_id JOIN shops s ON s.id = p.shop_id \
         WHERE p.search_seq > $1 OR (p.search_seq = $1 AND p.id > $2) ORDER BY p.search_seq, p.id LIMIT $3",
    )
    .bind(seq)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

pub async fn set_stock(pool: &AnyPool, product: ProductId, stock: i64) -> DbResult<()> {
    sqlx::query("UPDATE products SET stock = $1 WHERE id = $2").bind(stock).bind(product.0).execute(pool).await?;
    Ok(())
}

pub async fn stock_of(pool: &AnyPool, product: ProductId) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT stock FROM products WHERE id = $1").bind(product.0).fetch_one(pool).await?)
}

/// A product's stock, and whether it is for sale (listed).
pub async fn sale_state(pool: &AnyPool, product: ProductId) -> DbResult<(i64, bool)> {
    let (stock, status) =
        sqlx::query_as::<Any, (i64, String)>("SELECT stock, status FROM products WHERE id = $1").bind(product.0).fetch_one(pool).await?;
    Ok((stock, status == "listed"))
}

/// A product's name as the seller wrote it, in one or both languages: for readers who are not the
/// request's (the recipients of a notice), each in their own.
pub struct NameVersions {
    name: String,
    language: Locale,
    translated: Option<String>,
}

impl NameVersions {
    /// The reader's version when the seller wrote one, otherwise the original.
    pub fn for_reader(&self, l: Locale) -> String {
        for_reader(l, self.language, self.name.clone(), self.translated.clone()).0
    }
}

pub async fn product_name_versions(tx: &mut Tx, product: ProductId) -> DbResult<NameVersions> {
    let (name, language, translated) = sqlx::query_as::<Any, (String, String, Option<String>)>("SELECT name, text_language, name_translated FROM products WHERE id = $1")
        .bind(product.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok(NameVersions { name, language: language_of(&language), translated })
}

/// Who runs the shop.
pub async fn shop_owner(tx: &mut Tx, shop: ShopId) -> DbResult<UserId> {
    Ok(UserId(sqlx::query_scalar::<Any, i64>("SELECT owner_id FROM shops WHERE id = $1").bind(shop.0).fetch_one(&mut **tx).await?))
}

/// A product's rating (from its published reviews), `None` if there is no such product.
pub async fn product_rating(pool: &AnyPool, product: ProductId) -> DbResult<Option<Rating>> {
    let row = sqlx::query_as::<Any, (i64, i64)>("SELECT rating_sum, rating_count FROM products WHERE id = $1")
        .bind(product.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(sum, count)| Rating { sum, count }))
}
