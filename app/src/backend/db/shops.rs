//! Shops as their sellers and the marketplace's admins handle them: applications to sell, the
//! shop's profile, suspension, and the log of the admins' decisions.

use super::{DbResult, Tx};
use crate::domain::money::Money;
use crate::domain::shop::{AdminAction, ApplicationStatus, ShopProfile};
use crate::domain::{ShopId, UserId};
use sqlx::{Any, AnyPool, FromRow};

type ScalarQuery<'q> = sqlx::query::QueryScalar<'q, Any, i64, sqlx::any::AnyArguments>;

/// Binds a profile's fourteen columns, in the order `name, city, country, description, opening_hours,
/// contact_email, contact_phone, return_policy, return_days, handling_days, shipping_cents,
/// text_language, description_translated, return_policy_translated`.
fn bind_profile<'q>(q: ScalarQuery<'q>, p: &'q ShopProfile) -> ScalarQuery<'q> {
    q.bind(p.name.as_str())
        .bind(p.city.as_str())
        .bind(p.country.as_str())
        .bind(p.description.as_str())
        .bind(p.opening_hours.as_str())
        .bind(p.contact_email.as_str())
        .bind(p.contact_phone.as_str())
        .bind(p.return_policy.as_str())
        .bind(p.return_days)
        .bind(p.handling_days)
        .bind(p.shipping.0)
        .bind(crate::domain::locale::code(p.language))
        .bind(p.translated().map(|(d, _)| d))
        .bind(p.translated().map(|(_, r)| r))
}

const APPLICATION_COLUMNS: &str = "a.id, a.user_id, u.display_name AS applicant_name, u.email AS applicant_email, a.status, \
     a.name, a.city, a.country, a.description, a.opening_hours, a.contact_email, a.contact_phone, a.return_policy, \
     a.return_days, a.handling_days, a.shipping_cents, a.text_language, a.description_translated, a.return_policy_translated, a.reason, a.created_at, a.decided_at, s.slug AS shop_slug";
const APPLICATION_FROM: &str = " FROM shop_applications a JOIN users u ON u.id = a.user_id LEFT JOIN shops s ON s.id = a.shop_id";

/// A shop profile's columns, as both shops and applications store them.
#[derive(Debug, FromRow)]
pub struct ProfileColumns {
    pub name: String,
    pub city: String,
    pub country: String,
    pub description: String,
    pub opening_hours: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub return_policy: String,
    pub return_days: i64,
    pub handling_days: i64,
    pub shipping_cents: i64,
    pub text_language: String,
    pub description_translated: Option<String>,
    pub return_policy_translated: Option<String>,
}

impl From<ProfileColumns> for ShopProfile {
    fn from(c: ProfileColumns) -> Self {
        ShopProfile {
            name: c.name,
            city: c.city,
            country: c.country,
            description: c.description,
            opening_hours: c.opening_hours,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            return_policy: c.return_policy,
            return_days: c.return_days,
            handling_days: c.handling_days,
            shipping: Money(c.shipping_cents),
            language: crate::domain::locale::from_code(&c.text_language).unwrap_or(crate::domain::locale::Locale::en),
            translated_description: c.description_translated.unwrap_or_default(),
            translated_return_policy: c.return_policy_translated.unwrap_or_default(),
        }
    }
}

#[derive(Debug, FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub user_id: i64,
    pub applicant_name: String,
    pub applicant_email: String,
    pub status: String,
    #[sqlx(flatten)]
    pub profile: ProfileColumns,
    pub reason: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub shop_slug: Option<String>,
}

impl ApplicationRow {
    /// The stored status; an unknown value in the database is an error, not a guess.
    pub fn status(&self) -> Result<ApplicationStatus, super::DbError> {
        ApplicationStatus::parse(&self.status).ok_or_else(|| super::DbError::Other(sqlx::Error::Decode(format!("application status {:?}", self.status).into())))
    }
}

/// Files `user`'s application; `Conflict` when one of theirs is waiting already.
pub async fn insert_application(tx: &mut Tx, user: UserId, p: &ShopProfile, now: i64) -> DbResult<i64> {
    let q = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO shop_applications (user_id, status, name, city, country, description, opening_hours, contact_email, \
         contact_phone, return_policy, return_days, handling_days, shipping_cents, text_language, description_translated, \
         return_policy_translated, created_at) \
         VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(user.0);
    Ok(bind_profile(q, p).bind(now).fetch_one(&mut **tx).await?)
}

/// `user`'s newest application.
pub async fn latest_application_of(pool: &AnyPool, user: UserId) -> DbResult<Option<ApplicationRow>> {
    Ok(sqlx::query_as::<Any, ApplicationRow>(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS}{APPLICATION_FROM} WHERE a.user_id = $1 ORDER BY a.id DESC LIMIT 1"
    )))
    .bind(user.0)
    .fetch_optional(pool)
    .await?)
}

/// Applications waiting for a decision, oldest first.
pub async fn pending_applications(pool: &AnyPool, limit: i64) -> DbResult<Vec<ApplicationRow>> {
    Ok(sqlx::query_as::<Any, ApplicationRow>(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS}{APPLICATION_FROM} WHERE a.status = 'pending' ORDER BY a.id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The application `id` if it is still waiting, read inside the deciding transaction.
pub async fn pending_application(tx: &mut Tx, id: i64) -> DbResult<Option<ApplicationRow>> {
    Ok(sqlx::query_as::<Any, ApplicationRow>(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS}{APPLICATION_FROM} WHERE a.id = $1 AND a.status = 'pending'"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Decides a waiting application; `false` when it was decided meanwhile (by another admin).
pub async fn decide_application(tx: &mut Tx, id: i64, status: ApplicationStatus, admin: UserId, reason: &str, shop: Option<ShopId>, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE shop_applications SET status = $1, decided_by = $2, reason = $3, shop_id = $4, decided_at = $5 \
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(admin.0)
    .bind(reason)
    .bind(shop.map(|s| s.0))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Is `slug` taken by a shop?
pub async fn slug_taken(tx: &mut Tx, slug: &str) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM shops WHERE slug = $1").bind(slug).fetch_one(&mut **tx).await? > 0)
}

/// Opens the shop of an approved application.
pub async fn insert_shop(tx: &mut Tx, owner: UserId, slug: &str, p: &ShopProfile, now: i64) -> DbResult<ShopId> {
    let q = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO shops (owner_id, slug, name, city, country, description, opening_hours, contact_email, contact_phone, \
         return_policy, return_days, handling_days, shipping_cents, text_language, description_translated, return_policy_translated, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(owner.0)
    .bind(slug);
    let id = bind_profile(q, p).bind(now).fetch_one(&mut **tx).await?;
    Ok(ShopId(id))
}

#[derive(Debug, FromRow)]
struct OwnShopRow {
    id: i64,
    slug: String,
    #[sqlx(flatten)]
    profile: ProfileColumns,
    suspended_reason: Option<String>,
}

/// The shop `owner` runs, as its seller edits it: (id, slug, profile, suspension reason).
pub async fn profile_of_owner(pool: &AnyPool, owner: UserId) -> DbResult<Option<(ShopId, String, ShopProfile, Option<String>)>> {
    let row = sqlx::query_as::<Any, OwnShopRow>(
        "SELECT id, slug, name, city, country, description, opening_hours, contact_email, contact_phone, return_policy, \
         return_days, handling_days, shipping_cents, text_language, description_translated, return_policy_translated, suspended_reason \
         FROM shops WHERE owner_id = $1",
    )
    .bind(owner.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (ShopId(r.id), r.slug, r.profile.into(), r.suspended_reason)))
}

/// The seller's edit of their shop (the name and address in URLs stay: links to it keep working).
/// Orders placed before keep the policies they were bought under (copied into each order).
pub async fn update_profile(tx: &mut Tx, shop: ShopId, p: &ShopProfile) -> DbResult<()> {
    sqlx::query(
        "UPDATE shops SET city = $1, country = $2, description = $3, opening_hours = $4, contact_email = $5, \
         contact_phone = $6, return_policy = $7, return_days = $8, handling_days = $9, shipping_cents = $10, \
         text_language = $12, description_translated = $13, return_policy_translated = $14 WHERE id = $11",
    )
    .bind(p.city.as_str())
    .bind(p.country.as_str())
    .bind(p.description.as_str())
    .bind(p.opening_hours.as_str())
    .bind(p.contact_email.as_str())
    .bind(p.contact_phone.as_str())
    .bind(p.return_policy.as_str())
    .bind(p.return_days)
    .bind(p.handling_days)
    .bind(p.shipping.0)
    .bind(shop.0)
    .bind(crate::domain::locale::code(p.language))
    .bind(p.translated().map(|(d, _)| d))
    .bind(p.translated().map(|(_, r)| r))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Suspends (`Some(reason)`) or reinstates (`None`) a shop; `false` when it already was.
pub async fn set_suspended(tx: &mut Tx, shop: ShopId, reason: Option<&str>) -> DbResult<bool> {
    let sql = if reason.is_some() {
        "UPDATE shops SET suspended_reason = $1 WHERE id = $2 AND suspended_reason IS NULL"
    } else {
        "UPDATE shops SET suspended_reason = $1 WHERE id = $2 AND suspended_reason IS NOT NULL"
    };
    let done = sqlx::query(sql).bind(reason).bind(shop.0).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, FromRow)]
pub struct StandingRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub owner_id: i64,
    pub owner_email: String,
    pub suspended_reason: Option<String>,
}

/// Every shop, by name, with its owner and standing.
pub async fn standings(pool: &AnyPool) -> DbResult<Vec<StandingRow>> {
    Ok(sqlx::query_as::<Any, StandingRow>(
        "SELECT s.id, s.slug, s.name, s.owner_id, u.email AS owner_email, s.suspended_reason \
         FROM shops s JOIN users u ON u.id = s.owner_id ORDER BY s.name, s.id",
    )
    .fetch_all(pool)
    .await?)
}

/// One shop's standing (read in the deciding transaction).
pub async fn standing(tx: &mut Tx, shop: ShopId) -> DbResult<Option<StandingRow>> {
    Ok(sqlx::query_as::<Any, StandingRow>(
        "SELECT s.id, s.slug, s.name, s.owner_id, u.email AS owner_email, s.suspended_reason \
         FROM shops s JOIN users u ON u.id = s.owner_id WHERE s.id = $1",
    )
    .bind(shop.0)
    .fetch_optional(&mut **tx)
    .await?)
}

pub async fn log_decision(tx: &mut Tx, admin: UserId, action: AdminAction, application: Option<i64>, shop: Option<ShopId>, reason: &str, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO shop_decisions (actor_id, action, application_id, shop_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(admin.0)
    .bind(action.as_str())
    .bind(application)
    .bind(shop.map(|s| s.0))
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, FromRow)]
pub struct DecisionRow {
    pub action: String,
    pub subject: String,
    pub reason: String,
    pub actor_name: String,
    pub actor_email: String,
    pub created_at: i64,
}

/// The newest decisions first.
pub async fn decisions(pool: &AnyPool, limit: i64) -> DbResult<Vec<DecisionRow>> {
    Ok(sqlx::query_as::<Any, DecisionRow>(
        "SELECT d.action, COALESCE(s.name, a.name, '') AS subject, d.reason, u.display_name AS actor_name, \
         u.email AS actor_email, d.created_at FROM shop_decisions d JOIN users u ON u.id = d.actor_id \
         LEFT JOIN shops s ON s.id = d.shop_id LEFT JOIN shop_applications a ON a.id = d.application_id \
         ORDER BY d.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The reason `shop` is suspended, if it is.
pub async fn suspension_of(pool: &AnyPool, shop: ShopId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar::<Any, Option<String>>("SELECT suspended_reason FROM shops WHERE id = $1")
        .bind(shop.0)
        .fetch_optional(pool)
        .await?
        .flatten())
}

/// Is `shop` suspended (read in the checkout's transaction)?
pub async fn is_suspended(tx: &mut Tx, shop: ShopId) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM shops WHERE id = $1 AND suspended_reason IS NOT NULL")
        .bind(shop.0)
        .fetch_one(&mut **tx)
        .await?
        > 0)
}
