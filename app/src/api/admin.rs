//! The admin's roles page: who works for the marketplace, giving a person the mediator or
//! moderator role and taking it back, and the audit log of those changes. Admins only (403).

use crate::domain::user::{StaffMember, StaffPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, services::accounts},
    domain::UserId,
};

#[server(endpoint = "get_staff_page")]
pub async fn get_staff_page() -> Result<StaffPage, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            accounts::staff_page(&app_state()?.db, &admin).await
        }
        .await,
    )
}

/// Gives the person with `email` the `role` (`mediator` or `moderator`).
#[server(endpoint = "grant_role")]
pub async fn grant_role(#[server(default)] email: String, #[server(default)] role: String) -> Result<StaffMember, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            let member = accounts::grant_role(&state.db, &state.live, &admin, &email, &role, clock::now_ms()).await?;
            redirect_to(&format!("/admin/roles?granted={}", member.id));
            Ok(member)
        }
        .await,
    )
}

/// Takes a mediator's or moderator's role back.
#[server(endpoint = "revoke_role")]
pub async fn revoke_role(user_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            accounts::revoke_role(&state.db, &state.live, &admin, UserId(user_id), clock::now_ms()).await?;
            redirect_to("/admin/roles?revoked=1");
            Ok(())
        }
        .await,
    )
}
