use crate::domain::user::{SessionInfo, SessionUser};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, limits, live::Topic, services},
};

/// After a successful sign-up or sign-in: a clean session for `user` (nothing of the session
/// before, such as another person's drafts, carries over), the guest cart moved into the saved
/// one, and back to where the person was going (a path of this site only).
#[cfg(feature = "ssr")]
async fn enter_session(user: &SessionUser, next: &str) -> Result<(), AppError> {
    let state = app_state()?;
    let session = auth::session().await?;
    let guest_cart = services::cart::take_guest_lines(&session).await?;
    auth::start_session(&session, user, clock::now_ms()).await?;
    services::cart::merge_lines(&state.db, user.id, &guest_cart, clock::now_ms()).await?;
    // The account's language follows the person to this browser; an account without one keeps the
    // language they signed up or in with.
    {
        use crate::backend::db::users;
        use crate::backend::web::locale;
        use crate::domain::locale::{code, from_code};
        match users::language(&state.db.pool, user.id).await?.as_deref().and_then(from_code) {
            Some(chosen) => locale::remember(chosen),
            None => users::set_language_if_unset(&state.db.pool, user.id, code(locale::current().locale)).await?,
        }
    }
    redirect_to(next);
    Ok(())
}

/// A refused sign-up or sign-in (over a limit, or the hashing queue full) is answered after a short
/// pause: nobody notices a quarter of a second, but a script flooding the endpoint in a loop sends
/// a few requests a second per connection instead of thousands, and the rest of the site keeps its
/// speed.
#[cfg(feature = "ssr")]
async fn slow_refusal<T>(work: impl std::future::Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = work.await;
    if matches!(result, Err(AppError::TooManyRequests { .. } | AppError::Unavailable { .. })) {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    result
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
            let (unread, feed_cursor, messages) = match &user {
                Some(u) => (
                    crate::backend::db::feed::unread_count(&state.db.pool, u.id).await?,
                    crate::backend::db::feed::cursor(&state.db.pool, u.id).await?,
                    crate::backend::db::threads::unread(&state.db.pool, u.id).await?.0,
                ),
                None => (0, 0, 0),
            };
            Ok(SessionInfo { user, cart_count, unread, feed_cursor, messages })
        }
        .await,
    )
}

/// A new buyer account. Checked first (nothing costly for a bad form), then counted against the
/// client address's sign-up limit, then the password is hashed in the bounded queue.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
    #[server(default)] next: String,
) -> Result<SessionUser, AppError> {
    with_status(
        slow_refusal(async {
            use crate::domain::user::{NewAccount, Role, SignUpInput};
            let account = NewAccount::try_from(SignUpInput { email, display_name, password, password_confirm })?;
            let state = app_state()?;
            limits::sign_up(&state.db, &state.settings, auth::client_addr(), clock::now_ms()).await?;
            let user = services::accounts::sign_up(&state.db, &state.passwords, account, Role::Buyer, clock::now_ms()).await?;
            enter_session(&user, &next).await?;
            Ok(user)
        })
        .await,
    )
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, #[server(default)] next: String) -> Result<SessionUser, AppError> {
    with_status(
        slow_refusal(async {
            let email = crate::domain::user::check_email(&email).map_err(|m| AppError::invalid_field("email", m))?;
            if password.is_empty() {
                return Err(AppError::invalid_field("password", crate::i18n::td_string!(crate::domain::locale::request(), server.account.enter_password).to_string()));
            }
            if password.chars().count() > crate::domain::user::MAX_PASSWORD_LEN {
                return Err(AppError::invalid_field("password", crate::i18n::td_string!(crate::domain::locale::request(), server.account.no_match).to_string()));
            }
            let state = app_state()?;
            limits::sign_in(&state.db, &state.settings, auth::client_addr(), &email, clock::now_ms()).await?;
            let user = services::accounts::sign_in(&state.db, &state.passwords, &email, password).await?;
            enter_session(&user, &next).await?;
            tracing::info!(user = %user.id, "signed in");
            Ok(user)
        })
        .await,
    )
}

/// Signs out this browser: its session ends, and so do its live connections.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::current_user().await?;
            auth::end_session(&auth::session().await?).await?;
            if let Some(user) = user {
                app_state()?.live.publish(&[Topic::Account(user.id)]).await;
            }
            redirect_to("/");
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in person's password (the current one is required). Every other session of
/// theirs ends; this one goes on under a new id.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String, new_password_confirm: String) -> Result<(), AppError> {
    with_status(
        async {
            use crate::domain::user::{PasswordChange, PasswordChangeInput};
            let user = auth::require_user().await?;
            let change = PasswordChange::try_from(PasswordChangeInput { current_password, new_password, new_password_confirm })?;
            let state = app_state()?;
            limits::sign_in(&state.db, &state.settings, auth::client_addr(), &user.email, clock::now_ms()).await?;
            let session = auth::session().await?;
            services::accounts::verify_password(&state.db, &state.passwords, &user, change.current.clone()).await?;
            // A new id for this session first, so the old one ends with the others.
            session.cycle_id().await.map_err(auth::session_failed)?;
            session.save().await.map_err(auth::session_failed)?;
            let keep = session.id().map(|id| id.to_string()).unwrap_or_default();
            services::accounts::change_password(&state.db, &state.passwords, &state.live, &user, change, &keep).await?;
            redirect_to("/account?changed=password");
            Ok(())
        }
        .await,
    )
}

/// Ends every session of the signed-in person, this one included, on every device.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let ended = services::accounts::end_sessions(&state.db, &state.live, user.id, None).await?;
            auth::end_session(&auth::session().await?).await?;
            redirect_to("/signin?signed_out=everywhere");
            Ok(ended)
        }
        .await,
    )
}
