//! Carts: saved in the database for signed-in buyers, in the session for guests, merged at sign-in.

use crate::backend::auth::{session_failed, GUEST_CART_KEY};
use crate::backend::db::carts::{self, CartProductRow};
use crate::backend::db::Db;
use crate::domain::checkout::{CartLine, CartShopGroup, CartView, MAX_QUANTITY};
use crate::domain::{Money, ProductId, ShopId, UserId};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct GuestLine {
    pub product: ProductId,
    pub quantity: i64,
}

/// Whose cart: a signed-in user's, or the guest cart in this session.
pub enum CartOwner {
    User(UserId),
    Guest(Session),
}

async fn guest_lines(session: &Session) -> Result<Vec<GuestLine>, AppError> {
    Ok(session.get::<Vec<GuestLine>>(GUEST_CART_KEY).await.map_err(session_failed)?.unwrap_or_default())
}

async fn save_guest_lines(session: &Session, lines: &[GuestLine]) -> Result<(), AppError> {
    if lines.is_empty() {
        session.remove::<Vec<GuestLine>>(GUEST_CART_KEY).await.map_err(session_failed)?;
        Ok(())
    } else {
        session.insert(GUEST_CART_KEY, lines).await.map_err(session_failed)
    }
}

/// The cart's lines by shop, the products named in `l` (the reader's language where the seller wrote it).
pub fn group(lines: Vec<(CartProductRow, i64)>, l: crate::domain::locale::Locale) -> CartView {
    let mut groups: Vec<CartShopGroup> = Vec::new();
    for (p, quantity) in lines {
        let line = CartLine {
            product_id: ProductId(p.product_id),
            name: p.name_for(l),
            // The cart's small picture: a photo's smallest copy, or the drawing.
            image: crate::domain::photo::Picture { src: p.image, width: p.image_width.clamp(1, 100_000) as u32, height: 1 }.url_for(160),
            unit_price: Money(p.price_cents),
            quantity,
            stock: p.stock,
        };
        match groups.iter_mut().find(|g| g.shop_id.0 == p.shop_id) {
            Some(g) => g.lines.push(line),
            None => groups.push(CartShopGroup {
                shop_id: ShopId(p.shop_id),
                shop_name: p.shop_name,
                shop_slug: p.shop_slug,
                shipping: Money(p.shipping_cents),
                lines: vec![line],
            }),
        }
    }
    CartView { groups }
}

pub async fn view(db: &Db, owner: &CartOwner) -> Result<CartView, AppError> {
    match owner {
        CartOwner::User(user) => Ok(group(carts::lines(&db.pool, *user).await?, crate::backend::web::locale::current().locale)),
        CartOwner::Guest(session) => {
            let lines = guest_lines(session).await?;
            let ids: Vec<ProductId> = lines.iter().map(|l| l.product).collect();
            let products = carts::products(&db.pool, &ids).await?;
            // Keep the guest's order of lines; products deleted meanwhile drop out.
            let joined = lines
                .iter()
                .filter_map(|l| products.iter().find(|p| p.product_id == l.product.0).map(|p| (p.clone(), l.quantity)))
                .collect();
            Ok(group(joined, crate::backend::web::locale::current().locale))
        }
    }
}

pub async fn add(db: &Db, owner: &CartOwner, product: ProductId, quantity: i64, now: i64) -> Result<(), AppError> {
    if !carts::product_for_sale(&db.pool, product).await? {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.cart.gone).to_string()));
    }
    match owner {
        CartOwner::User(user) => Ok(carts::add(&db.pool, *user, product, quantity, now).await?),
        CartOwner::Guest(session) => {
            let mut lines = guest_lines(session).await?;
            match lines.iter_mut().find(|l| l.product == product) {
                Some(l) => l.quantity = (l.quantity + quantity).min(MAX_QUANTITY),
                None => lines.push(GuestLine { product, quantity: quantity.min(MAX_QUANTITY) }),
            }
            save_guest_lines(session, &lines).await
        }
    }
}

pub async fn set_quantity(db: &Db, owner: &CartOwner, product: ProductId, quantity: i64) -> Result<(), AppError> {
    match owner {
        CartOwner::User(user) => Ok(carts::set_quantity(&db.pool, *user, product, quantity).await?),
        CartOwner::Guest(session) => {
            let mut lines = guest_lines(session).await?;
            if let Some(l) = lines.iter_mut().find(|l| l.product == product) {
                l.quantity = quantity;
            }
            save_guest_lines(session, &lines).await
        }
    }
}

pub async fn remove(db: &Db, owner: &CartOwner, product: ProductId) -> Result<(), AppError> {
    match owner {
        CartOwner::User(user) => Ok(carts::remove(&db.pool, *user, product).await?),
        CartOwner::Guest(session) => {
            let mut lines = guest_lines(session).await?;
            lines.retain(|l| l.product != product);
            save_guest_lines(session, &lines).await
        }
    }
}

/// Moves the session's guest cart into the user's saved cart (quantities add up).
/// Takes the guest cart out of the session (at sign-in, before the session starts afresh).
pub async fn take_guest_lines(session: &Session) -> Result<Vec<GuestLine>, AppError> {
    let lines = guest_lines(session).await?;
    save_guest_lines(session, &[]).await?;
    Ok(lines)
}

/// Adds a guest cart's lines to `user`'s saved cart (products that still exist).
pub async fn merge_lines(db: &Db, user: UserId, lines: &[GuestLine], now: i64) -> Result<(), AppError> {
    for l in lines {
        if carts::product_for_sale(&db.pool, l.product).await? {
            carts::add(&db.pool, user, l.product, l.quantity, now).await?;
        }
    }
    Ok(())
}
