use crate::domain::checkout::CartView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{
        app_state, auth, clock,
        services::cart::{self, CartOwner},
    },
    domain::{checkout::parse_quantity, ProductId},
};

/// The cart of whoever is asking: a signed-in user's saved cart, or this session's guest cart.
#[cfg(feature = "ssr")]
async fn owner() -> Result<CartOwner, AppError> {
    Ok(match auth::current_user().await? {
        Some(user) => CartOwner::User(user.id),
        None => CartOwner::Guest(auth::session().await?),
    })
}

#[server(endpoint = "get_cart")]
pub async fn get_cart() -> Result<CartView, AppError> {
    with_status(async { cart::view(&app_state()?.db, &owner().await?).await }.await)
}

/// Adds to the cart; answers with the number of items now in it (the header's badge).
#[server(endpoint = "add_to_cart")]
pub async fn add_to_cart(product_id: i64, quantity: String) -> Result<i64, AppError> {
    with_status(
        async {
            let quantity = parse_quantity(&quantity)?;
            let (db, owner) = (&app_state()?.db, owner().await?);
            cart::add(db, &owner, ProductId(product_id), quantity, clock::now_ms()).await?;
            // Without JavaScript there is no inline confirmation: show the cart instead.
            if crate::api::is_plain_form_post() {
                crate::api::redirect_to("/cart");
            }
            Ok(cart::view(db, &owner).await?.item_count())
        }
        .await,
    )
}

#[server(endpoint = "update_cart_item")]
pub async fn update_cart_item(product_id: i64, quantity: String) -> Result<(), AppError> {
    with_status(
        async {
            let quantity = parse_quantity(&quantity)?;
            cart::set_quantity(&app_state()?.db, &owner().await?, ProductId(product_id), quantity).await
        }
        .await,
    )
}

#[server(endpoint = "remove_from_cart")]
pub async fn remove_from_cart(product_id: i64) -> Result<(), AppError> {
    with_status(async { cart::remove(&app_state()?.db, &owner().await?, ProductId(product_id)).await }.await)
}
