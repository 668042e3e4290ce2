//! What sellers earn: their earnings page and order statements (their own shop only), the
//! marketplace's commission rates (admins set them), and payouts (simulated; admins run them).

use crate::domain::earnings::{EarningsPage, Statement};
use crate::domain::inventory::CategoryChoice;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, services::earnings},
    domain::OrderId,
};

#[server(endpoint = "get_earnings")]
pub async fn get_earnings() -> Result<EarningsPage, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            earnings::page(&app_state()?.db, &seller, clock::now_ms()).await
        }
        .await,
    )
}

/// One order's statement, for the order's seller (anyone else: 404).
#[server(endpoint = "get_order_statement")]
pub async fn get_order_statement(order_id: i64) -> Result<Statement, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            earnings::statement(&app_state()?.db, &seller, OrderId(order_id)).await
        }
        .await,
    )
}

/// Every category's commission rate (signed-in people: sellers read them before listing).
#[server(endpoint = "commission_rates")]
pub async fn commission_rates() -> Result<Vec<CategoryChoice>, AppError> {
    with_status(
        async {
            auth::require_user().await?;
            earnings::rates(&app_state()?.db).await
        }
        .await,
    )
}

/// The latest commission changes (admins).
#[server(endpoint = "commission_changes")]
pub async fn commission_changes() -> Result<Vec<String>, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            earnings::rate_changes(&app_state()?.db, &admin).await
        }
        .await,
    )
}

/// An admin sets a category's commission rate ("12.5" %); new sales use it.
#[server(endpoint = "set_commission")]
pub async fn set_commission(category: String, rate: String) -> Result<i64, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let bp = earnings::set_rate(&app_state()?.db, &admin, &category, &rate, clock::now_ms()).await?;
            redirect_to("/admin/commissions?saved=1");
            Ok(bp)
        }
        .await,
    )
}

/// An admin pays out every shop's payable balance (simulated: no money moves). (shops paid, total cents)
#[server(endpoint = "run_payouts")]
pub async fn run_payouts() -> Result<(usize, i64), AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let (shops, total) = earnings::run_payouts(&app_state()?.db, &admin, clock::now_ms()).await?;
            redirect_to(&format!("/admin/commissions?paid={shops}"));
            Ok((shops, total.0))
        }
        .await,
    )
}
