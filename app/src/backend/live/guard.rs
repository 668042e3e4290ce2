//! Who may keep a live connection open: the signed-in person, within their bounded number of
//! connections, for as long as the session it was opened with stays open and their role stays the
//! same. Signing out, changing the password, signing out everywhere or losing a role publish the
//! person's `Account` topic; every connection of theirs (on every app server) rechecks at once and
//! closes. A slow recheck every minute also ends connections whose session simply expired.

use super::{LiveSlot, Subscription, Topic};
use crate::backend::auth::USER_KEY;
use crate::backend::db::{sessions, users, Db};
use crate::backend::{clock, AppState};
use crate::domain::user::{Role, SessionUser};
use crate::domain::UserId;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower_sessions::Session;

const RECHECK_EVERY: Duration = Duration::from_secs(60);

pub(crate) fn refuse(status: StatusCode, message: &'static str) -> Response {
    (status, message).into_response()
}

pub struct LiveGuard {
    _slot: LiveSlot,
    db: Db,
    session: String,
    user: UserId,
    role: Role,
    account: Subscription,
    recheck: tokio::time::Interval,
    /// A wake-up arrived and its check has not finished yet (`ended` may be dropped mid-check by
    /// the connection's `select!`: the next call checks again instead of losing the wake-up).
    due: bool,
}

impl LiveGuard {
    /// The signed-in person and their guard, or the response to send instead: 401 (signed out), 429
    /// (too many connections open), 503 (the database cannot be read).
    pub async fn open(state: &AppState, session: &Session) -> Result<(SessionUser, LiveGuard), Response> {
        let signed_out = || refuse(StatusCode::UNAUTHORIZED, "Please sign in to follow your orders.");
        let id = match session.get::<i64>(USER_KEY).await {
            Ok(Some(id)) => UserId(id),
            Ok(None) => return Err(signed_out()),
            Err(e) => {
                crate::backend::errors::unavailable(format!("live stream: session unreadable: {e}"));
                return Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "Troika is briefly unavailable."));
            }
        };
        let Some(session_id) = session.id().map(|i| i.to_string()) else { return Err(signed_out()) };
        let user = match users::find_by_id(&state.db.pool, id).await {
            Ok(Some(u)) => u.to_session_user(),
            Ok(None) => return Err(signed_out()),
            Err(e) => {
                crate::backend::errors::unavailable(e);
                return Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "Troika is briefly unavailable."));
            }
        };
        let Some(slot) = state.live.admit(user.id) else {
            let mut res = refuse(StatusCode::TOO_MANY_REQUESTS, "Too many live connections are open for your account: close a few tabs.");
            res.headers_mut().insert("retry-after", HeaderValue::from_static("30"));
            return Err(res);
        };
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK_EVERY, RECHECK_EVERY);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let guard = LiveGuard {
            _slot: slot,
            db: state.db.clone(),
            session: session_id,
            user: user.id,
            role: user.role,
            account: state.live.subscribe(Topic::Account(user.id)),
            recheck,
            due: false,
        };
        Ok((user, guard))
    }

    /// Resolves when the connection must close: its session ended or the person's role changed.
    /// Cancel-safe: a connection's loop polls it beside other work and may drop it at any point.
    pub async fn ended(&mut self) {
        loop {
            if !self.due {
                tokio::select! {
                    woken = self.account.woken() => {
                        if !woken {
                            // Shutting down: the connection's own loop ends it.
                            std::future::pending::<()>().await;
                        }
                    }
                    _ = self.recheck.tick() => {}
                }
                self.due = true;
            }
            let valid = self.still_valid().await;
            self.due = false;
            if !valid {
                return;
            }
        }
    }

    async fn still_valid(&self) -> bool {
        let open = sessions::is_open(&self.db.pool, &self.session, self.user, clock::now_ms()).await;
        let role = users::find_by_id(&self.db.pool, self.user).await.map(|u| u.map(|u| u.role()));
        match (open, role) {
            (Ok(open), Ok(role)) => open && role == Some(self.role),
            // The database did not answer: keep going (reads from it end the stream if it is gone).
            _ => true,
        }
    }
}
