use crate::domain::checkout::{PurchaseReceipt, ShippingAddressInput};
use crate::domain::order::{OrderDetail, OrderStatus, OrderSummary, ShopOrders};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, db::orders, drafts, services::checkout, services::orders as order_service},
    domain::{
        checkout::{check_idempotency_key, ShippingAddress},
        order::{OrderAction, OrderActionInput, ShopOrderTab},
        OrderId,
    },
};


/// What the checkout form starts with: the address the buyer last typed here (kept when an attempt
/// failed, so nothing typed is lost even without JavaScript), else the address of their last order.
#[server(endpoint = "checkout_defaults")]
pub async fn checkout_defaults() -> Result<ShippingAddressInput, AppError> {
    with_status(
        async {
            let buyer = auth::require_user().await?;
            let session = auth::session().await?;
            if let Some(draft) = drafts::get::<ShippingAddressInput>(&session, "checkout", "").await? {
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
                let state = app_state()?;
                checkout::place_order(&state.db, &state.live, buyer.id, &key, &address, clock::now_ms()).await
            }
            .await;
            match attempt {
                Ok(receipt) => {
                    drafts::forget(&session, "checkout").await?;
                    crate::api::redirect_to(&format!("/orders?placed={}", receipt.purchase_id));
                    Ok(receipt)
                }
                Err(e) => {
                    drafts::keep(&session, "checkout", "", &input).await?;
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
            order_service::buyer_orders(&app_state()?.db, buyer.id, clock::now_ms()).await
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
            order_service::order_view(&app_state()?.db, &user, OrderId(id), clock::now_ms()).await
        }
        .await,
    )
}

/// The buyer or the seller moves an order: accept, refuse, ship (carrier and tracking number),
/// carrier updates, delivered, confirm receipt, cancel. The state machine decides what is allowed.
#[server(endpoint = "advance_order")]
pub async fn advance_order(
    order_id: i64,
    action: String,
    #[server(default)] carrier: String,
    #[server(default)] tracking_number: String,
    #[server(default)] note: String,
) -> Result<OrderStatus, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let action = OrderAction::try_from(OrderActionInput { action, carrier, tracking_number, note })?;
            let state = app_state()?;
            order_service::advance_order(&state.db, &state.live, &user, OrderId(order_id), &action, clock::now_ms()).await
        }
        .await,
    )
}

/// The seller dashboard: the seller's own shop's orders in one tab, with every tab's count.
/// Mediators and admins see all shops (the marketplace's view of late orders); others get 403.
#[server(endpoint = "list_shop_orders")]
pub async fn list_shop_orders(#[server(default)] tab: String) -> Result<ShopOrders, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let tab = ShopOrderTab::parse(&tab).unwrap_or(ShopOrderTab::ToAccept);
            order_service::shop_orders(&app_state()?.db, &user, tab, clock::now_ms()).await
        }
        .await,
    )
}
