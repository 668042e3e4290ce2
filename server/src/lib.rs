//! The Troika server: configuration, router assembly and start-up, as a library so integration
//! tests can boot the real app on port 0.

use app::backend::db::Backend;
use app::backend::web::{self, assets, availability, origin::SiteOrigins, CspNonce, WebPolicy};
use app::backend::{clock, db::Db, live, search, seed, services, session_store::DbSessionStore, AppState, Settings};
use app::error::AppError;
use app::{shell, App};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The largest request body: forms and server-function calls are small (a claim message is at most
/// 4,000 characters); anything bigger is refused with 413 before it is read.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// Configuration from the environment (see the README for each variable).
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub db_max_connections: u32,
    pub settings: Settings,
    /// How often the order jobs run (deadlines, completion, late notices); 0 turns them off.
    pub jobs_every_secs: u64,
}

fn env_flag(name: &str, default: bool) -> Result<bool, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            other => Err(format!("{name} must be 0 or 1, not {other:?}")),
        },
    }
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => v.trim().parse().map_err(|_| format!("{name} must be a number, not {v:?}")),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let addr = std::env::var("TROIKA_ADDR")
            .or_else(|_| std::env::var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|_| "127.0.0.1:3000".into());
        let addr = addr.parse().map_err(|_| format!("TROIKA_ADDR must be host:port, not {addr:?}"))?;
        Ok(Config {
            addr,
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/troika.db".into()),
            db_max_connections: env_number("TROIKA_DB_MAX_CONNECTIONS", 8)?,
            jobs_every_secs: env_number("TROIKA_JOBS_EVERY_SECS", 30)?,
            settings: settings_from_env()?,
        })
    }
}

fn settings_from_env() -> Result<Settings, String> {
    let defaults = Settings::default();
    let public_url = std::env::var("TROIKA_PUBLIC_URL").ok().map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let https = public_url.as_deref().is_some_and(|u| u.to_ascii_lowercase().starts_with("https:"));
    Ok(Settings {
        // Served over https, the session cookie is marked Secure unless told otherwise.
        secure_cookies: env_flag("TROIKA_SECURE_COOKIES", https)?,
        seed_demo: env_flag("TROIKA_SEED", false)?,
        sign_ins_per_minute: env_number("TROIKA_SIGNIN_PER_MINUTE", defaults.sign_ins_per_minute)?,
        sign_ups_per_hour: env_number("TROIKA_SIGNUPS_PER_HOUR", defaults.sign_ups_per_hour)?,
        public_url,
        trusted_proxies: web::client::parse_proxies(&std::env::var("TROIKA_TRUSTED_PROXIES").unwrap_or_default())?,
        live_per_user: env_number("TROIKA_LIVE_PER_USER", defaults.live_per_user)?,
        password_slots: env_number("TROIKA_PASSWORD_SLOTS", defaults.password_slots)?,
        answer_hours: env_number("TROIKA_ANSWER_HOURS", defaults.answer_hours)?,
        smtp_url: std::env::var("TROIKA_SMTP_URL").ok().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
        mail_from: std::env::var("TROIKA_MAIL_FROM").ok().filter(|f| !f.trim().is_empty()).unwrap_or(defaults.mail_from),
    })
}

/// Connects, migrates (start-up fails if a migration fails) and seeds the demo data when asked.
pub async fn prepare_state(config: &Config, leptos_options: LeptosOptions) -> Result<AppState, BoxError> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    let state = AppState::new(db, config.settings.clone(), leptos_options)?;
    if config.settings.seed_demo {
        if seed::seed_demo(&state.db, &state.passwords, clock::now_ms()).await.map_err(|e| format!("seeding failed: {e}"))? {
            state.db.analyze().await?;
        }
        tracing::warn!("demo data loaded (TROIKA_SEED=1): its accounts share the public password troika-demo");
    }
    Ok(state)
}

/// What a rendered page gets from the server: the app state, and this request's CSP nonce for
/// Leptos's inline scripts (the `Content-Security-Policy` header names the same one).
fn provide_page_context(state: &AppState) {
    provide_context(state.clone());
    let nonce = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(n)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n));
    }
}

/// The page routes, listed once per process. Listing them renders the whole app with resource
/// loading suppressed through a flag that is global to the process (leptos_server), so a page
/// rendered by another server in the same process at that moment waited forever (leptos-rs/leptos
/// #4773; it hung our test suite, where servers start while others serve). Listed once, before the
/// first server serves, nothing can render during the listing.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, site: SiteOrigins) -> Router {
    let routes = page_routes();
    let policy = Arc::new(WebPolicy { site, trusted_proxies: state.settings.trusted_proxies.clone() });
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("troika_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies || policy.site.https)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::milliseconds(app::domain::user::SESSION_IDLE_MS)));
    let context_state = state.clone();
    // Photo uploads are the one body larger than a form: their route has its own limit (and is
    // added after the forms' limit below, so that one does not apply to it).
    let uploads = Router::new()
        .route("/seller/products/{id}/photos", post(app::backend::photos::upload))
        .route("/seller/products/import", post(app::backend::catalog_csv::upload))
        .route("/messages/{id}/photo", post(app::backend::photos::upload_message_photo))
        .layer(sessions.clone())
        .layer(axum::extract::DefaultBodyLimit::max(app::backend::photos::UPLOAD_BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(app::backend::photos::UPLOAD_BODY_LIMIT));
    let options = state.leptos_options.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/live/feed", get(live::sse::feed_stream))
        .route("/live/orders/{id}", get(live::sse::order_stream))
        .route("/live/claims/{id}", get(live::ws::claim_socket))
        .route("/live/threads/{id}", get(live::ws::thread_socket))
        .route("/live/moderation", get(live::sse::moderation_stream))
        .route("/photos/{id}/{file}", get(app::backend::photos::serve))
        .route("/messages/photos/{id}/{file}", get(app::backend::photos::serve_message_photo))
        .route("/seller/products.csv", get(app::backend::catalog_csv::download))
        .route("/seller/earnings/{file}", get(services::earnings::download_month))
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .route("/language", post(app::backend::web::locale::switch))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_page_context(&context_state),
            move || shell(options.clone()),
        )
        .fallback(static_or_not_found)
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(sessions)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(FORM_BODY_LIMIT))
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            availability::Gate { health: state.health.clone(), stylesheet: assets::stylesheet_href(&state.leptos_options).into() },
            availability::availability,
        ))
        .layer(axum::middleware::from_fn_with_state(policy, web::guard))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    // The language is chosen before routing: `/fr/product/12` is routed as `/product/12` in French.
    Router::new().fallback_service(tower::Layer::layer(&axum::middleware::from_fn(app::backend::web::locale::negotiate), app))
}

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// A server-function call whose arguments could not be read (`order_id=abc`) answers with its
/// error's own status (400), not the 500 the server-function layer gives every error it makes
/// before the function runs, and names the field where it can.
async fn server_fn_status(req: Request<Body>, next: axum::middleware::Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    // Forms are small (the body limit is outside this layer): keep a copy to name a bad field.
    let (parts, body) = req.into_parts();
    let Ok(form) = axum::body::to_bytes(body, FORM_BODY_LIMIT).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
    };
    let res = next.run(Request::from_parts(parts, Body::from(form.clone()))).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_BODY_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(mut err) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let AppError::Malformed { field: None, .. } = err {
        if let Some(field) = unreadable_number(&form) {
            err = AppError::Malformed { message: format!("{field} must be a whole number."), field: Some(field) };
        }
    }
    if let Ok(status) = StatusCode::from_u16(err.status()) {
        parts.status = status;
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&err).unwrap_or_default()))
}

/// The first field of a form that should hold a number (an id, a version, a page) and does not.
fn unreadable_number(form: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(form)
        .find(|(key, value)| {
            let numeric = key == "id" || key.ends_with("_id") || matches!(key.as_ref(), "version" | "offer" | "page");
            numeric && value.trim().parse::<i64>().is_err()
        })
        .map(|(key, _)| key.into_owned())
}

/// Static files from the site root; anything else is rendered by the app, whose router answers
/// with the 404 page and status.
async fn static_or_not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let probe = Request::from_parts(parts.clone(), Body::empty());
    // The release build stores each of its files brotli- and gzip-compressed beside the original:
    // the stored bytes are sent (the compression layer leaves an encoded answer alone).
    let files = ServeDir::new(state.leptos_options.site_root.as_ref()).precompressed_br().precompressed_gzip();
    let Ok(res) = files.oneshot(probe).await;
    if res.status() != StatusCode::NOT_FOUND {
        let mut res = res.map(Body::new);
        // Public files, the same for everyone: the build's hashed files for a year, the rest kept
        // but revalidated.
        res.headers_mut().insert(header::CACHE_CONTROL, assets::cache_control(parts.uri.path(), &state.leptos_options));
        // The same address answers brotli, gzip or plain bytes by Accept-Encoding: a shared cache
        // must keep them apart.
        res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
        return res;
    }
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || provide_page_context(&state),
        move || shell(options.clone()),
    );
    render(Request::from_parts(parts, body)).await.into_response()
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    if !state.health.is_up() {
        let backend = format!("{:?}", state.db.backend).to_lowercase();
        return (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": backend }))).into_response();
    }
    let backend = format!("{:?}", state.db.backend).to_lowercase();
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => Json(serde_json::json!({ "status": "ok", "database": backend })).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": backend }))).into_response()
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": backend }))).into_response()
        }
    }
}

/// Background upkeep: expired sessions out of the table, old rate-limit counters too, live feed
/// entries older than 30 days out of the feed (a client that far behind resyncs).
fn spawn_upkeep(state: &AppState) -> tokio::task::JoinHandle<()> {
    let store = DbSessionStore::new(state.db.clone());
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            if let Err(e) = app::backend::limits::prune(&db, clock::now_ms()).await {
                tracing::warn!(error = %e, "could not prune the rate-limit counters");
            }
            if let Err(e) = app::backend::db::feed::prune(&db.pool, clock::now_ms() - 30 * app::domain::deadlines::DAY_MS).await {
                tracing::warn!(error = %e, "could not prune the live feed");
            }
        }
    })
}

/// The order jobs (unaccepted orders cancelled, quiet deliveries completed, late notices) and the
/// claim jobs (silent sellers escalated, quiet claims warned then closed), the Top seller badges
/// due for a recheck, late answers to buyers' messages and the e-mail outbox, every
/// `every` on every app server: each change they make is conditional, so servers never clash.
fn spawn_jobs(state: &AppState, every: Duration, site: String) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = services::orders::run_due_jobs(&state.db, &state.live, clock::now_ms()).await {
                tracing::warn!(error = %e, "order jobs failed; retrying on the next tick");
            }
            if let Err(e) = services::disputes::run_claim_jobs(&state.db, &state.live, clock::now_ms()).await {
                tracing::warn!(error = %e, "claim jobs failed; retrying on the next tick");
            }
            if let Err(e) = services::earnings::run_posting_job(&state.db, clock::now_ms()).await {
                tracing::warn!(error = %e, "ledger posting failed; retrying on the next tick");
            }
            if let Err(e) = services::reviews::run_badge_job(&state.db, clock::now_ms()).await {
                tracing::warn!(error = %e, "badge job failed; retrying on the next tick");
            }
            if let Err(e) = services::threads::run_answer_jobs(&state, clock::now_ms()).await {
                tracing::warn!(error = %e, "answer deadline job failed; retrying on the next tick");
            }
            if let Err(e) = services::mail::run_mail_job(&state, &site, clock::now_ms()).await {
                tracing::warn!(error = %e, "e-mail job failed; retrying on the next tick");
            }
        }
    })
}

/// A running server: its address, its state, and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Ends the live streams, stops accepting connections, lets requests in flight finish, and waits:
    /// at most `DRAIN` for the connections and as long again for the database pool, so a stuck client
    /// or connection can never hold a deploy (or a test run) forever.
    pub async fn stop(self) -> Result<(), BoxError> {
        const DRAIN: Duration = Duration::from_secs(10);
        self.state.live.close();
        let _ = self.shutdown.send(());
        let mut task = self.task;
        match tokio::time::timeout(DRAIN, &mut task).await {
            Ok(served) => served??,
            Err(_) => {
                tracing::warn!("connections still open after {} s of draining: closing them", DRAIN.as_secs());
                task.abort();
            }
        }
        if tokio::time::timeout(DRAIN, self.state.db.pool.close()).await.is_err() {
            tracing::warn!("database connections still in use after {} s: leaving them", DRAIN.as_secs());
        }
        Ok(())
    }
}

/// Serves the app on `listener` until `stop` is called; runs the order jobs every `jobs_every`
/// (`None`: not at all, for tests that move time themselves).
pub async fn start(listener: TcpListener, state: AppState, jobs_every: Option<Duration>) -> Result<Running, BoxError> {
    let addr = listener.local_addr()?;
    let site = SiteOrigins::new(state.settings.public_url.as_deref(), addr)?;
    if state.settings.public_url.is_none() && addr.ip().is_unspecified() {
        tracing::warn!("TROIKA_PUBLIC_URL is not set: only pages opened at {} may change anything; set it to the address people use", site.accepted.join(", "));
    }
    let site_url = site.accepted.first().cloned().unwrap_or_default();
    // Search answers from the first request: the whole catalogue is indexed before serving.
    let indexed = state.search.catch_up(&state.db).await.map_err(|e| format!("indexing the catalogue for search failed: {e}"))?;
    tracing::info!(products = indexed, "catalogue indexed for search");
    let app = router(state.clone(), site);
    // With Postgres, a monitor tells when the database is unreachable (pages answer 503 at once).
    let monitor = (state.db.backend == Backend::Postgres).then(|| availability::spawn_monitor(state.health.clone(), state.db.url.clone()));
    let upkeep = spawn_upkeep(&state);
    let search_follower = search::spawn_follower(&state);
    let jobs = jobs_every.map(|every| spawn_jobs(&state, every, site_url.clone()));
    // With Postgres, live wake-ups from the other app servers; serve once the LISTEN is in place.
    let listener_task = if state.db.backend == Backend::Postgres {
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let task = live::pg::spawn_listener(state.live.clone(), state.db.url.clone(), ready_tx);
        if tokio::time::timeout(Duration::from_secs(10), ready_rx).await.is_err() {
            tracing::warn!("the live channel is not listening yet; it keeps retrying");
        }
        Some(task)
    } else {
        None
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // Responses leave at once: without TCP_NODELAY the last segment of a page on a kept-alive
        // connection waited ~40 ms for the client's delayed ACK (Nagle), on one page in ten.
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
        upkeep.abort();
        search_follower.abort();
        if let Some(j) = jobs {
            j.abort();
        }
        if let Some(l) = listener_task {
            l.abort();
        }
        if let Some(m) = monitor {
            m.abort();
        }
        served
    });
    tracing::info!(%addr, "Troika is listening on http://{addr}");
    Ok(Running { addr, state, shutdown: tx, task })
}

/// Leptos options for serving `site_root` (tests, and runs outside cargo-leptos).
pub fn leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder().output_name("troika").site_root(site_root).site_pkg_dir("pkg").build()
}
