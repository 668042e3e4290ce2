//! Shops run by their sellers: a person applies to sell, an admin approves (the shop opens and the
//! person becomes its seller) or rejects with a reason the applicant reads; admins suspend and
//! reinstate shops; the seller edits the shop's profile. Every admin decision is logged.

use crate::backend::clock;
use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::shops::{self, ApplicationRow};
use crate::backend::db::{users, Db, DbError};
use crate::backend::live::{LiveHub, Topic};
use crate::backend::services::accounts::require_admin;
use crate::domain::order::NotificationKind;
use crate::domain::shop::{check_reason, slug_of, AdminAction, AdminActionView, ApplicationStatus, ApplicationView, ShopProfile, ShopStanding, ShopsAdminPage};
use crate::domain::user::{Role, SessionUser};
use crate::domain::{ShopId, UserId};
use crate::error::AppError;

fn view_of(row: ApplicationRow) -> Result<ApplicationView, AppError> {
    let status = row.status()?;
    Ok(ApplicationView {
        id: row.id,
        applicant: UserId(row.user_id),
        applicant_name: row.applicant_name,
        applicant_email: row.applicant_email,
        profile: row.profile.into(),
        status,
        reason: row.reason,
        submitted_at: clock::display(row.created_at),
        decided_at: row.decided_at.map(clock::display),
        shop_slug: row.shop_slug,
    })
}

/// `user`'s newest application to sell, if any.
pub async fn latest_application(db: &Db, user: UserId) -> Result<Option<ApplicationView>, AppError> {
    shops::latest_application_of(&db.pool, user).await?.map(view_of).transpose()
}

/// Who may apply: a buyer's account (a seller has a shop; staff referee the marketplace).
fn may_apply(user: &SessionUser) -> Result<(), AppError> {
    match user.role {
        Role::Buyer => Ok(()),
        Role::Seller => Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.already_seller).to_string())),
        _ => Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.staff).to_string())),
    }
}

/// Files `user`'s application to sell with `profile`.
#[tracing::instrument(skip(db, profile), fields(user = %user.id))]
pub async fn apply(db: &Db, user: &SessionUser, profile: &ShopProfile, now: i64) -> Result<ApplicationView, AppError> {
    may_apply(user)?;
    let mut tx = db.begin().await?;
    if shops::slug_taken(&mut tx, &slug_of(&profile.name)).await? {
        return Err(AppError::invalid_field("name", crate::i18n::td_string!(crate::domain::locale::request(), server.shop.name_taken).to_string()));
    }
    let id = match shops::insert_application(&mut tx, user.id, profile, now).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.pending).to_string())),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(application = id, "application to sell filed");
    latest_application(db, user.id).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.unreadable).to_string()))
}

/// The admin's shops page: applications waiting (oldest first), every shop, the latest decisions.
pub async fn admin_page(db: &Db, admin: &SessionUser) -> Result<ShopsAdminPage, AppError> {
    require_admin(admin)?;
    let pending = shops::pending_applications(&db.pool, 100).await?.into_iter().map(view_of).collect::<Result<Vec<_>, _>>()?;
    let shops = shops::standings(&db.pool)
        .await?
        .into_iter()
        .map(|s| ShopStanding { id: ShopId(s.id), slug: s.slug, name: s.name, owner_email: s.owner_email, suspended: s.suspended_reason })
        .collect();
    let log = shops::decisions(&db.pool, 100)
        .await?
        .into_iter()
        .map(|d| {
            let action = AdminAction::parse(&d.action).ok_or_else(|| DbError::Other(sqlx::Error::Decode(format!("admin action {:?}", d.action).into())))?;
            Ok(AdminActionView { action, subject: d.subject, reason: d.reason, by: format!("{} ({})", d.actor_name, d.actor_email), at: clock::display(d.created_at) })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(ShopsAdminPage { pending, shops, log })
}

/// A free address for a new shop called `name`: its slug, or the slug with "-2", "-3"…
async fn free_slug(tx: &mut crate::backend::db::Tx, name: &str) -> Result<String, AppError> {
    let base = slug_of(name);
    for n in 1..100 {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if !shops::slug_taken(tx, &slug).await? {
            return Ok(slug);
        }
    }
    Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.too_many).to_string()))
}

fn decided_already() -> AppError {
    AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.decided).to_string())
}

/// An admin approves an application: in one transaction the shop opens, the applicant becomes its
/// seller (the role change is audited like any other), the decision is logged and the applicant
/// is notified. Their live connections then reopen with the new role.
#[tracing::instrument(skip(db, live, admin), fields(admin = %admin.id))]
pub async fn approve(db: &Db, live: &LiveHub, admin: &SessionUser, application: i64, now: i64) -> Result<String, AppError> {
    require_admin(admin)?;
    let mut tx = db.begin().await?;
    let row = shops::pending_application(&mut tx, application).await?.ok_or_else(decided_already)?;
    let applicant = UserId(row.user_id);
    let applicant_name = row.applicant_name;
    let profile = ShopProfile::from(row.profile);
    let slug = free_slug(&mut tx, &profile.name).await?;
    let shop = shops::insert_shop(&mut tx, applicant, &slug, &profile, now).await?;
    if !users::set_role(&mut tx, applicant, Role::Buyer, Role::Seller).await? {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.not_a_buyer, name = &applicant_name).to_string()));
    }
    users::log_role_change(&mut tx, applicant, Some(admin.id), Role::Buyer, Role::Seller, now).await?;
    if !shops::decide_application(&mut tx, application, ApplicationStatus::Approved, admin.id, "", Some(shop), now).await? {
        return Err(decided_already());
    }
    shops::log_decision(&mut tx, admin.id, AdminAction::Approved, Some(application), Some(shop), "", now).await?;
    let l = crate::backend::services::notices::language_of(&mut tx, applicant).await?;
    let body = crate::i18n::td_string!(l, notices.shop.welcome, shop = &profile.name).to_string();
    notify_applicant(&mut tx, applicant, application, crate::i18n::td_string!(l, notices.shop.approved), &body, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    live.publish(&[Topic::User(applicant), Topic::Account(applicant)]).await;
    tracing::info!(application, shop = %shop, "application approved: shop opened");
    Ok(slug)
}

/// An admin rejects an application with a reason the applicant reads (they may apply again).
#[tracing::instrument(skip(db, live, admin, reason), fields(admin = %admin.id))]
pub async fn reject(db: &Db, live: &LiveHub, admin: &SessionUser, application: i64, reason: &str, now: i64) -> Result<(), AppError> {
    require_admin(admin)?;
    let reason = check_reason(reason)?;
    let mut tx = db.begin().await?;
    let row = shops::pending_application(&mut tx, application).await?.ok_or_else(decided_already)?;
    if !shops::decide_application(&mut tx, application, ApplicationStatus::Rejected, admin.id, &reason, None, now).await? {
        return Err(decided_already());
    }
    shops::log_decision(&mut tx, admin.id, AdminAction::Rejected, Some(application), None, &reason, now).await?;
    let applicant = UserId(row.user_id);
    let l = crate::backend::services::notices::language_of(&mut tx, applicant).await?;
    notify_applicant(&mut tx, applicant, application, crate::i18n::td_string!(l, notices.shop.rejected), &reason, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    live.publish(&[Topic::User(applicant)]).await;
    tracing::info!(application, "application rejected");
    Ok(())
}

async fn notify_applicant(tx: &mut crate::backend::db::Tx, user: UserId, application: i64, title: &str, body: &str, now: i64) -> Result<(), AppError> {
    let key = format!("application:{application}");
    let n = NewNotification { user, order: None, claim: None, review: None, application: Some(application), product: None, thread: None, kind: NotificationKind::Shop, title, body, dedupe_key: &key };
    feed::notify(tx, &n, now).await?;
    Ok(())
}

/// An admin suspends a shop (`Some(reason)`) or reinstates it (`None`): a suspended shop's
/// products leave the storefront and cannot be bought; its open orders and claims go on. The
/// seller is told why.
#[tracing::instrument(skip(db, live, admin, reason), fields(admin = %admin.id))]
pub async fn set_suspended(db: &Db, live: &LiveHub, admin: &SessionUser, shop: ShopId, reason: Option<&str>, now: i64) -> Result<(), AppError> {
    require_admin(admin)?;
    let reason = reason.map(check_reason).transpose()?;
    let mut tx = db.begin().await?;
    let standing = shops::standing(&mut tx, shop).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_shop).to_string()))?;
    if !shops::set_suspended(&mut tx, shop, reason.as_deref()).await? {
        let l = crate::domain::locale::request();
        return Err(AppError::Conflict(if reason.is_some() {
            crate::i18n::td_string!(l, server.shop.suspended_already, shop = &standing.name).to_string()
        } else {
            crate::i18n::td_string!(l, server.shop.not_suspended, shop = &standing.name).to_string()
        }));
    }
    let l = crate::backend::services::notices::language_of(&mut tx, UserId(standing.owner_id)).await?;
    let (action, title, body) = match &reason {
        Some(r) => (
            AdminAction::Suspended,
            crate::i18n::td_string!(l, notices.shop.suspended),
            crate::i18n::td_string!(l, notices.shop.suspended_body, shop = &standing.name, reason = r).to_string(),
        ),
        None => (AdminAction::Reinstated, crate::i18n::td_string!(l, notices.shop.reinstated), crate::i18n::td_string!(l, notices.shop.reinstated_body, shop = &standing.name).to_string()),
    };
    let decision_reason = reason.clone().unwrap_or_default();
    shops::log_decision(&mut tx, admin.id, action, None, Some(shop), &decision_reason, now).await?;
    let seller = UserId(standing.owner_id);
    let key = format!("shop:{}:{}", action.as_str(), now);
    let n = NewNotification { user: seller, order: None, claim: None, review: None, application: None, product: None, thread: None, kind: NotificationKind::Shop, title, body: &body, dedupe_key: &key };
    feed::notify(&mut tx, &n, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    live.publish(&[Topic::User(seller)]).await;
    tracing::info!(shop = %shop, action = action.as_str(), "shop standing changed");
    Ok(())
}

/// The seller's own shop: (id, slug, profile, suspension reason); 404 for anyone without one.
pub async fn my_shop(db: &Db, seller: &SessionUser) -> Result<(ShopId, String, ShopProfile, Option<String>), AppError> {
    shops::profile_of_owner(&db.pool, seller.id).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_shop_yours).to_string()))
}

/// The seller edits their shop. Its name (and address) stay as approved; a changed return policy
/// or handling time applies to orders placed from now on (each order keeps its own copy).
/// `shop` comes from `my_shop` (the seller's own). A new city is searchable: its products are
/// reindexed (`city_changed`).
#[tracing::instrument(skip(db, profile))]
pub async fn update(db: &Db, shop: ShopId, profile: &ShopProfile, city_changed: bool) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    shops::update_profile(&mut tx, shop, profile).await?;
    if city_changed {
        crate::backend::db::catalog::shop_changed_for_search(&mut tx, shop).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}
