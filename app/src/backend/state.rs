//! `AppState`: what every server function and route handler reaches: the pool, settings, the
//! password-hashing queue, the live hub, the database's health and the Leptos options.

use crate::backend::db::Db;
use crate::backend::live::LiveHub;
use crate::backend::passwords::Passwords;
use crate::backend::web::availability::DbHealth;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark the session cookie `Secure` (served over https).
    pub secure_cookies: bool,
    /// Load the demo marketplace (and its public demo accounts) into an empty database at start-up.
    pub seed_demo: bool,
    /// Sign-in attempts per minute for one account (from any address); four times that per address.
    pub sign_ins_per_minute: u32,
    /// New accounts per hour from one client address.
    pub sign_ups_per_hour: u32,
    /// The public URL people use (`TROIKA_PUBLIC_URL`); `None`: derived from the listen address.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Live connections (streams and sockets) one person may hold open on one server.
    pub live_per_user: usize,
    /// Password hashes that may run at once (0: one per core but one).
    pub password_slots: usize,
    /// Hours a seller has to answer a buyer's message (the marketplace's answer promise).
    pub answer_hours: i64,
    /// Where e-mail notices go (`smtp://host:port`, `smtps://user:pass@host`); `None`: in-app only.
    pub smtp_url: Option<String>,
    /// The sender of e-mail notices.
    pub mail_from: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            seed_demo: false,
            sign_ins_per_minute: 5,
            sign_ups_per_hour: 20,
            public_url: None,
            trusted_proxies: Vec::new(),
            live_per_user: 24,
            password_slots: 0,
            answer_hours: crate::domain::thread::DEFAULT_ANSWER_HOURS,
            smtp_url: None,
            mail_from: "Troika <no-reply@troika.invalid>".to_string(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Settings,
    pub leptos_options: LeptosOptions,
    pub passwords: Arc<Passwords>,
    /// Wakes live streams after changes (and, with Postgres, the other app servers' streams).
    pub live: Arc<LiveHub>,
    /// Whether the database answers (with Postgres, watched by a monitor).
    pub health: Arc<DbHealth>,
    /// Product search, in step with the database (`backend::search`).
    pub search: Arc<crate::backend::search::SearchIndex>,
}

impl AppState {
    /// The state of an app server; its search index starts empty (`search.catch_up` fills it).
    pub fn new(db: Db, settings: Settings, leptos_options: LeptosOptions) -> Result<Self, tantivy::TantivyError> {
        let passwords = match settings.password_slots {
            0 => Passwords::for_this_machine(),
            n => Passwords::new(n, n * crate::backend::passwords::QUEUED_PER_SLOT),
        };
        let live = LiveHub::new(db.clone(), settings.live_per_user);
        let search = crate::backend::search::SearchIndex::new()?;
        Ok(AppState { db, settings, leptos_options, passwords, live, health: DbHealth::new(), search })
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
