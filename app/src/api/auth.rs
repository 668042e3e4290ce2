use crate::domain::user::{SessionInfo, SessionUser};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, services},
};

/// Only same-site paths are accepted as a place to go back to after signing in.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_string() } else { "/".to_string() }
}

/// After a successful sign-up or sign-in: a fresh session for `user`, the guest cart moved into the
/// saved one, and back to where the person was going.
#[cfg(feature = "ssr")]
async fn enter_session(user: &SessionUser, next: &str) -> Result<(), AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    auth::start_session(&session, user.id).await?;
    services::cart::merge_guest_cart(&state.db, &session, user.id, clock::now_ms()).await?;
    leptos_axum::redirect(&safe_next(next));
    Ok(())
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    with_status(auth::current_user().await)
}

#[server(endpoint = "get_session_info")]
pub async fn get_session_info() -> Result<SessionInfo, AppError> {
    with_status(
        async {
            let state = app_state()?;
            let user = auth::current_user().await?;
            let owner = match &user {
                Some(u) => services::cart::CartOwner::User(u.id),
                None => services::cart::CartOwner::Guest(auth::session().await?),
            };
            let cart_count = services::cart::view(&state.db, &owner).await?.item_count();
            let (unread, feed_cursor) = match &user {
                Some(u) => (
                    crate::backend::db::feed::unread_count(&state.db.pool, u.id).await?,
                    crate::backend::db::feed::cursor(&state.db.pool, u.id).await?,
                ),
                None => (0, 0),
            };
            Ok(SessionInfo { user, cart_count, unread, feed_cursor })
        }
        .await,
    )
}

#[server(endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
    #[server(default)] next: String,
) -> Result<SessionUser, AppError> {
    with_status(
        async {
            use crate::domain::user::{NewAccount, SignUpInput};
            let account = NewAccount::try_from(SignUpInput { email, display_name, password, password_confirm })?;
            let user = services::accounts::sign_up(&app_state()?.db, account, clock::now_ms()).await?;
            enter_session(&user, &next).await?;
            Ok(user)
        }
        .await,
    )
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, #[server(default)] next: String) -> Result<SessionUser, AppError> {
    with_status(
        async {
            let email = crate::domain::user::check_email(&email).map_err(|m| AppError::invalid_field("email", m))?;
            if password.is_empty() {
                return Err(AppError::invalid_field("password", "Enter your password."));
            }
            auth::check_sign_in_rate(&auth::client_ip().await, &email)?;
            let user = services::accounts::sign_in(&app_state()?.db, &email, password).await?;
            enter_session(&user, &next).await?;
            tracing::info!(user = %user.id, "signed in");
            Ok(user)
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    with_status(
        async {
            let session = auth::session().await?;
            session.flush().await.map_err(crate::backend::internal)?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(super::safe_next("/cart"), "/cart");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next(""), "/");
    }
}
