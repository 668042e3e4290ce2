//! A seller's catalogue and stock: only the shop's own seller reaches its products (anyone else's
//! product is as absent as one that does not exist: 404). Stock changes are single conditional
//! statements, so a checkout at the same moment is never lost or doubled; a sale that brings a
//! product down to its low-stock line tells the seller, and a product back in stock tells, once,
//! everyone who asked.

use crate::backend::db::feed::{self, NewNotification};
use crate::backend::db::{catalog, inventory, Db, DbError, Tx};
use crate::backend::live::{LiveHub, Topic};
use crate::domain::inventory::{InventoryPage, ProductDraft, ProductEditor, ProductInput, ProductStatus, StockChange};
use crate::domain::order::NotificationKind;
use crate::domain::user::SessionUser;
use crate::domain::{ProductId, ShopId, UserId};
use crate::error::AppError;

const DAY_MS: i64 = 86_400_000;

/// The shop `seller` runs: (id, slug, name); 404 for anyone without one.
pub async fn own_shop(db: &Db, seller: &SessionUser) -> Result<(ShopId, String, String), AppError> {
    catalog::shop_of_owner(&db.pool, seller.id)
        .await?
        .map(|(id, name, slug)| (id, slug, name))
        .ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_shop_yours).to_string()))
}

fn no_such_product() -> AppError {
    AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.no_product).to_string())
}

/// The stock page: every product of the seller's shop with its sales and forecast.
pub async fn page(db: &Db, seller: &SessionUser, now: i64) -> Result<InventoryPage, AppError> {
    let (shop, shop_slug, shop_name) = own_shop(db, seller).await?;
    let items = inventory::items_of_shop(&db.pool, shop, now - 7 * DAY_MS, now - 30 * DAY_MS).await?;
    Ok(InventoryPage { shop_name, shop_slug, items })
}

/// The product form: blank for a new product, or one of the seller's (`kept`: what they typed last
/// time, if it was not saved).
pub async fn editor(db: &Db, seller: &SessionUser, product: Option<ProductId>, kept: Option<ProductInput>) -> Result<ProductEditor, AppError> {
    let (shop, shop_slug, _) = own_shop(db, seller).await?;
    let categories = crate::backend::db::earnings::rates(&db.pool).await?;
    let (status, stock, form, photos) = match product {
        None => (None, 0, ProductInput::blank(), Vec::new()),
        Some(id) => {
            let (draft, status) = inventory::product_of_shop(&db.pool, shop, id).await?.ok_or_else(no_such_product)?;
            (Some(status), draft.stock, draft.to_input(), crate::backend::db::photos::of_product(&db.pool, id).await?)
        }
    };
    Ok(ProductEditor { id: product, status, stock, form: kept.unwrap_or(form), categories, shop_slug, photos })
}

/// The category a draft names, or an error on its field.
async fn category_of(db: &Db, draft: &ProductDraft) -> Result<crate::domain::catalog::Category, AppError> {
    catalog::category_by_slug(&db.pool, &draft.category, crate::domain::locale::Locale::en)
        .await?
        .ok_or_else(|| AppError::invalid_field("category", crate::i18n::td_string!(crate::domain::locale::request(), server.common.category).to_string()))
}

/// Lists a new product in the seller's shop (for sale at once).
#[tracing::instrument(skip(db, seller, draft), fields(seller = %seller.id))]
pub async fn create(db: &Db, seller: &SessionUser, draft: &ProductDraft, now: i64) -> Result<ProductId, AppError> {
    let (shop, _, _) = own_shop(db, seller).await?;
    let category = category_of(db, draft).await?;
    let image = format!("/img/{}.svg", category.slug);
    let mut tx = db.begin().await?;
    let new = catalog::NewProduct {
        shop,
        category: category.id,
        name: &draft.name,
        description: &draft.description,
        language: draft.language,
        translated: draft.translated(),
        price: draft.price,
        stock: draft.stock,
        low_stock: draft.low_stock,
        image: &image,
    };
    let id = catalog::insert_product(&mut tx, &new, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(product = %id, "product listed");
    Ok(id)
}

/// Rewrites one of the seller's products (its stock changes on the stock page).
#[tracing::instrument(skip(db, seller, draft), fields(seller = %seller.id))]
pub async fn update(db: &Db, seller: &SessionUser, product: ProductId, draft: &ProductDraft, now: i64) -> Result<(), AppError> {
    let (shop, _, _) = own_shop(db, seller).await?;
    inventory::product_of_shop(&db.pool, shop, product).await?.ok_or_else(no_such_product)?;
    let category = category_of(db, draft).await?;
    let mut tx = db.begin().await?;
    inventory::update_details(&mut tx, product, draft, category.id, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Lists, hides, archives or brings back one of the seller's products.
#[tracing::instrument(skip(db, live, seller), fields(seller = %seller.id))]
pub async fn set_status(db: &Db, live: &LiveHub, seller: &SessionUser, product: ProductId, to: ProductStatus, now: i64) -> Result<(), AppError> {
    let (shop, _, shop_name) = own_shop(db, seller).await?;
    let (draft, from) = inventory::product_of_shop(&db.pool, shop, product).await?.ok_or_else(no_such_product)?;
    if !from.may_become(to) {
        return Err(AppError::Conflict({
            let l = crate::domain::locale::request();
            let said = |s: ProductStatus| match s {
                ProductStatus::Listed => crate::i18n::td_string!(l, server.inventory.listed),
                ProductStatus::Hidden => crate::i18n::td_string!(l, server.inventory.hidden),
                ProductStatus::Archived => crate::i18n::td_string!(l, server.inventory.archived),
            };
            crate::i18n::td_string!(l, server.inventory.cannot_become, name = &draft.name, from = said(from), to = said(to)).to_string()
        }));
    }
    let mut tx = db.begin().await?;
    if !inventory::set_status(&mut tx, product, from, to, now).await? {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.changed, name = &draft.name).to_string()));
    }
    let told = answer_waiting(&mut tx, product, &shop_name, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    wake(live, &told).await;
    Ok(())
}

/// Adds or removes units of one of the seller's products, or sets its level against the one the
/// seller saw: the new level. Refused (409, nothing changed) when fewer units are there than
/// removed, or when the level moved since it was seen (a sale, another device).
#[tracing::instrument(skip(db, live, seller), fields(seller = %seller.id))]
pub async fn change_stock(db: &Db, live: &LiveHub, seller: &SessionUser, product: ProductId, change: StockChange, now: i64) -> Result<i64, AppError> {
    let (shop, _, shop_name) = own_shop(db, seller).await?;
    let (draft, _) = inventory::product_of_shop(&db.pool, shop, product).await?.ok_or_else(no_such_product)?;
    let mut tx = db.begin().await?;
    let Some(level) = inventory::change_stock(&mut tx, product, change).await? else {
        let now_level = inventory::stock_in(&mut tx, product).await?;
        tx.rollback().await.map_err(DbError::from)?;
        return Err(AppError::Conflict(match change {
            StockChange::Add(_) => crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.stock_full, name = &draft.name, max = crate::domain::inventory::MAX_STOCK).to_string(),
            StockChange::Remove(n) => crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.stock_short, now = now_level, name = &draft.name, n = n).to_string(),
            StockChange::Set { seen, .. } => crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.stock_moved, name = &draft.name, seen = seen, now = now_level).to_string(),
        }));
    };
    let told = answer_waiting(&mut tx, product, &shop_name, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    wake(live, &told).await;
    tracing::info!(product = %product, level, "stock changed");
    Ok(level)
}

/// When `product` is for sale with units in stock: tells, once, everyone who asked to know.
pub(crate) async fn answer_waiting(tx: &mut Tx, product: ProductId, shop_name: &str, now: i64) -> Result<Vec<UserId>, AppError> {
    let (stock, status) = inventory::state_in(tx, product).await?;
    if stock == 0 || status != ProductStatus::Listed {
        return Ok(Vec::new());
    }
    let users = inventory::take_waiting(tx, product, now).await?;
    let key = format!("back:{product}:{now}");
    let names = catalog::product_name_versions(tx, product).await?;
    for u in &users {
        let l = crate::backend::services::notices::language_of(tx, *u).await?;
        let title = crate::i18n::td_string!(l, notices.stock.back, name = &names.for_reader(l)).to_string();
        let body = crate::i18n::td_string!(l, notices.stock.back_body, shop = shop_name, stock = stock).to_string();
        let n = NewNotification { user: *u, order: None, claim: None, review: None, application: None, product: Some(product), thread: None, kind: NotificationKind::BackInStock, title: &title, body: &body, dedupe_key: &key };
        feed::notify(tx, &n, now).await?;
    }
    Ok(users)
}

pub(crate) async fn wake(live: &LiveHub, users: &[UserId]) {
    if !users.is_empty() {
        let topics: Vec<Topic> = users.iter().map(|u| Topic::User(*u)).collect();
        live.publish(&topics).await;
    }
}

/// In a checkout's transaction: tells the seller of `shop` that a sale left `left` units of
/// `product`, at or under its low-stock line (`key` makes it once per purchase).
pub async fn tell_running_low(tx: &mut Tx, shop: ShopId, product: ProductId, left: i64, key: &str, now: i64) -> Result<(), DbError> {
    let seller = catalog::shop_owner(tx, shop).await?;
    let l = crate::backend::services::notices::language_of(tx, seller).await?;
    let name = &catalog::product_name_versions(tx, product).await?.for_reader(l);
    let title = if left == 0 {
        crate::i18n::td_string!(l, notices.stock.sold_out, name = name).to_string()
    } else {
        crate::i18n::td_string!(l, notices.stock.low, left = left, name = name).to_string()
    };
    let body = crate::i18n::td_string!(l, notices.stock.low_body);
    let key = format!("low:{product}:{key}");
    let n = NewNotification { user: seller, order: None, claim: None, review: None, application: None, product: Some(product), thread: None, kind: NotificationKind::LowStock, title: &title, body, dedupe_key: &key };
    feed::notify(tx, &n, now).await?;
    Ok(())
}

/// A buyer asks to be told when a sold-out product is back. Only for a product for sale that is
/// sold out (anything else: 404 or 409); asking twice is one request.
pub async fn ask_back_in_stock(db: &Db, user: &SessionUser, product: ProductId, now: i64) -> Result<(), AppError> {
    let Some((_, seller)) = inventory::sold_out_for_sale(&db.pool, product).await? else {
        return match catalog::sale_state(&db.pool, product).await {
            Ok((stock, true)) if stock > 0 => Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.in_stock).to_string())),
            _ => Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.not_for_sale).to_string())),
        };
    };
    if seller == user.id {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.own_product).to_string()));
    }
    inventory::ask_alert(&db.pool, product, user.id, now).await?;
    Ok(())
}

/// Whether `user` waits to hear that `product` is back.
pub async fn is_waiting(db: &Db, user: UserId, product: ProductId) -> Result<bool, AppError> {
    Ok(inventory::is_waiting(&db.pool, product, user).await?)
}

/// Makes one of the product's photos its main picture, or removes one (`remove`); the seller's own
/// products only (404 otherwise, also for a photo of another product).
pub async fn arrange_photo(db: &Db, seller: &SessionUser, product: ProductId, photo: i64, remove: bool) -> Result<(), AppError> {
    let (shop, _, _) = own_shop(db, seller).await?;
    inventory::product_of_shop(&db.pool, shop, product).await?.ok_or_else(no_such_product)?;
    let mut tx = db.begin().await?;
    let done = if remove {
        crate::backend::db::photos::remove(&mut tx, product, photo).await?
    } else {
        crate::backend::db::photos::set_main(&mut tx, product, photo).await?
    };
    if !done {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.no_photo).to_string()));
    }
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}
