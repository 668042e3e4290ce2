//! Who is asking: sessions, the current user, role checks and the client's address.

use crate::backend::db::users;
use crate::backend::errors::unavailable;
use crate::backend::{app_state, internal};
use crate::domain::user::{Role, SessionUser};
use crate::domain::UserId;
use crate::error::AppError;
use std::net::IpAddr;
use tower_sessions::Session;

/// Session keys: the signed-in user, whether they work for the marketplace (a shorter idle limit),
/// when they signed in (the absolute lifetime), and a guest's cart.
pub const USER_KEY: &str = "uid";
pub const STAFF_KEY: &str = "staff";
pub const SIGNED_IN_AT_KEY: &str = "since";
pub const GUEST_CART_KEY: &str = "guest_cart";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| internal(format!("no session layer: {e}")))
}

/// A session that cannot be read or written: its store is the database, so the database failed.
pub fn session_failed(e: tower_sessions::session::Error) -> AppError {
    unavailable(format!("session store: {e}"))
}

/// The signed-in user, if any (a deleted account reads as signed out).
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let session = session().await?;
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(session_failed)? else {
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

/// Starts a signed-in session for `user`: nothing of the session before it is kept (another
/// person's drafts must not carry over), and it gets a fresh id (no fixation).
pub async fn start_session(session: &Session, user: &SessionUser, now: i64) -> Result<(), AppError> {
    session.clear().await;
    session.cycle_id().await.map_err(session_failed)?;
    session.insert(USER_KEY, user.id.0).await.map_err(session_failed)?;
    session.insert(STAFF_KEY, user.role.works_for_marketplace()).await.map_err(session_failed)?;
    session.insert(SIGNED_IN_AT_KEY, now).await.map_err(session_failed)
}

/// Ends this session (its record is deleted; the cookie is removed by the response).
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_failed)
}

/// The client's address: the peer, or behind a trusted proxy the address it forwarded.
pub fn client_addr() -> IpAddr {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| crate::backend::web::client_addr_of(&parts))
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}
