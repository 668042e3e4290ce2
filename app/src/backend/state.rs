//! `AppState`: what every server function and route handler reaches: the pool, settings, the
//! sign-in rate limiter and the Leptos options.

use crate::backend::db::Db;
use crate::backend::live::LiveHub;
use crate::error::AppError;
use axum::extract::FromRef;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::num::NonZeroU32;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark the session cookie `Secure` (set when served over https).
    pub secure_cookies: bool,
    /// Seed the demo marketplace into an empty database at start-up.
    pub seed_demo: bool,
    /// Sign-in attempts allowed per minute for one email from one address.
    pub sign_ins_per_minute: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { secure_cookies: false, seed_demo: true, sign_ins_per_minute: 5 }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Settings,
    pub leptos_options: LeptosOptions,
    pub sign_in_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Wakes live streams after changes (and, with Postgres, the other app servers' streams).
    pub live: Arc<LiveHub>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings, leptos_options: LeptosOptions) -> Self {
        let per_minute = NonZeroU32::new(settings.sign_ins_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let sign_in_limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        let live = LiveHub::new(db.clone());
        AppState { db, settings, leptos_options, sign_in_limiter, live }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, from inside a server function or a rendered route.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| crate::backend::internal("AppState is missing from the Leptos context"))
}
