//! Who is asking: sessions, the current user, role and party checks, password hashing and the
//! sign-in rate limit.

use crate::backend::db::users;
use crate::backend::{app_state, internal};
use crate::domain::user::{Role, SessionUser};
use crate::domain::UserId;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::net::SocketAddr;
use std::sync::OnceLock;
use tower_sessions::Session;

pub const USER_KEY: &str = "uid";
pub const GUEST_CART_KEY: &str = "guest_cart";

/// Hashes with argon2id (the crate's defaults: 19 MiB, 2 passes), off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(internal)?
    .map_err(internal)
}

/// Checks a password against a stored hash. With no hash (unknown email) it still spends the same
/// work on a dummy hash, so response times do not reveal which emails have accounts.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let (hash, known) = match hash {
            Some(h) => (h, true),
            None => (dummy_hash().to_string(), false),
        };
        let ok = PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
        ok && known
    })
    .await
    .map_err(internal)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(b"not a real password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| internal(format!("no session layer: {e}")))
}

/// The signed-in user, if any (a deleted account reads as signed out).
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let session = session().await?;
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(internal)? else {
        return Ok(None);
    };
    let state = app_state()?;
    Ok(users::find_by_id(&state.db.pool, UserId(id)).await?.map(|u| u.to_session_user()))
}

pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

pub async fn require_role(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if roles.contains(&user.role) { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Starts a signed-in session: a fresh session id (no fixation), then the user id.
pub async fn start_session(session: &Session, user: UserId) -> Result<(), AppError> {
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.0).await.map_err(internal)
}

/// The address the request came from (the peer; the app does not trust forwarding headers).
pub async fn client_ip() -> String {
    leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

/// Counts one sign-in attempt for (address, email); refuses when over the quota.
pub fn check_sign_in_rate(ip: &str, email: &str) -> Result<(), AppError> {
    let state = app_state()?;
    let key = format!("{ip}|{email}");
    state.sign_in_limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
        AppError::TooManyRequests(format!(
            "Too many sign-in attempts. Please wait {} seconds and try again.",
            wait.as_secs().max(1)
        ))
    })
}
