use crate::domain::checkout::{PurchaseReceipt, ShippingAddressInput};
use crate::domain::order::{OrderDetail, OrderSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, db::orders, services::checkout},
    domain::{
        checkout::{check_idempotency_key, ShippingAddress},
        user::Role,
        OrderId,
    },
};

#[cfg(feature = "ssr")]
const CHECKOUT_DRAFT_KEY: &str = "checkout_draft";

/// What the checkout form starts with: the address the buyer last typed here (kept when an attempt
/// failed, so nothing typed is lost even without JavaScript), else the address of their last order.
#[server(endpoint = "checkout_defaults")]
pub async fn checkout_defaults() -> Result<ShippingAddressInput, AppError> {
    with_status(
        async {
            let buyer = auth::require_user().await?;
            let session = auth::session().await?;
            if let Some(draft) = session.get::<ShippingAddressInput>(CHECKOUT_DRAFT_KEY).await.map_err(crate::backend::internal)? {
                return Ok(draft);
            }
            let last = orders::last_address(&app_state()?.db.pool, buyer.id).await?;
            Ok(last.unwrap_or(ShippingAddressInput { full_name: buyer.display_name, ..Default::default() }))
        }
        .await,
    )
}

/// A fresh idempotency key for one checkout form (only signed-in buyers check out).
#[server(endpoint = "new_checkout_key")]
pub async fn new_checkout_key() -> Result<String, AppError> {
    with_status(
        async {
            auth::require_user().await?;
            Ok(uuid::Uuid::new_v4().to_string())
        }
        .await,
    )
}

#[server(endpoint = "place_order")]
#[allow(clippy::too_many_arguments)]
pub async fn place_order(
    idempotency_key: String,
    full_name: String,
    line1: String,
    #[server(default)] line2: String,
    city: String,
    postcode: String,
    country: String,
    #[server(default)] phone: String,
) -> Result<PurchaseReceipt, AppError> {
    with_status(
        async {
            let buyer = auth::require_user().await?;
            let session = auth::session().await?;
            let input = ShippingAddressInput { full_name, line1, line2, city, postcode, country, phone };
            let attempt = async {
                let key = check_idempotency_key(&idempotency_key)?;
                let address = ShippingAddress::try_from(input.clone())?;
                checkout::place_order(&app_state()?.db, buyer.id, &key, &address, clock::now_ms()).await
            }
            .await;
            match attempt {
                Ok(receipt) => {
                    session.remove::<ShippingAddressInput>(CHECKOUT_DRAFT_KEY).await.map_err(crate::backend::internal)?;
                    leptos_axum::redirect(&format!("/orders?placed={}", receipt.purchase_id));
                    Ok(receipt)
                }
                Err(e) => {
                    session.insert(CHECKOUT_DRAFT_KEY, &input).await.map_err(crate::backend::internal)?;
                    Err(e)
                }
            }
        }
        .await,
    )
}

#[server(endpoint = "list_my_orders")]
pub async fn list_my_orders() -> Result<Vec<OrderSummary>, AppError> {
    with_status(
        async {
            let buyer = auth::require_user().await?;
            Ok(orders::list_for_buyer(&app_state()?.db.pool, buyer.id).await?)
        }
        .await,
    )
}

/// An order, for its buyer, the seller whose shop it is, and the marketplace staff (mediators,
/// admins). Anyone else gets "not found", so order numbers reveal nothing.
#[server(endpoint = "get_order")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let pool = &app_state()?.db.pool;
            let not_found = || AppError::NotFound("There is no such order in your account.".into());
            let parties = orders::parties(pool, OrderId(id)).await?.ok_or_else(not_found)?;
            let allowed = parties.buyer_id == user.id.0
                || parties.shop_owner_id == user.id.0
                || matches!(user.role, Role::Mediator | Role::Admin);
            if !allowed {
                return Err(not_found());
            }
            orders::detail(pool, OrderId(id)).await?.ok_or_else(not_found)
        }
        .await,
    )
}
