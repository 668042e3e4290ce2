//! Test harness: boots the real app on port 0 with a fresh database (a temporary SQLite file, or a
//! fresh database in the Postgres cluster named by `TROIKA_TEST_POSTGRES_URL`), and talks HTTP to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use app::backend::Settings;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sqlx::Connection;

pub struct TestApp {
    pub base: String,
    pub running: Option<server::Running>,
    _dir: tempfile_dir::TempDir,
}

mod tempfile_dir {
    /// A directory removed on drop.
    pub struct TempDir(pub std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TROIKA_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("troika_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::AnyConnection::connect(&admin_url).await.expect("connect to the test Postgres cluster");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create test database");
            admin.close().await.ok();
            let (base, _) = admin_url.rsplit_once('/').expect("postgres url with a database");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}/troika.db", dir.display()),
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TROIKA_TEST_POSTGRES_URL").map(|v| !v.is_empty()).unwrap_or(false)
}

/// The settings most tests run with: the demo marketplace, and limits high enough for tests that
/// sign many people up and in from one address (the rate-limit tests set their own).
pub fn test_settings() -> Settings {
    Settings { seed_demo: true, sign_ins_per_minute: 1000, sign_ups_per_hour: 100_000, ..Settings::default() }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(test_settings()).await
    }

    pub async fn spawn_with(settings: Settings) -> TestApp {
        Self::spawn_with_options(settings, server::leptos_options("target/site")).await
    }

    /// With Leptos options of the test's own (a site root of its own, hashed file names).
    pub async fn spawn_with_options(settings: Settings, options: leptos::config::LeptosOptions) -> TestApp {
        let dir = std::env::temp_dir().join(format!("troika-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = server::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: fresh_database_url(&dir).await,
            db_max_connections: 8,
            settings,
            jobs_every_secs: 0,
        };
        let state = server::prepare_state(&config, options).await.expect("app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = server::start(listener, state, None).await.expect("server starts");
        TestApp { base: format!("http://{}", running.addr), running: Some(running), _dir: tempfile_dir::TempDir(dir) }
    }

    /// A handle on a server running elsewhere (another process), for the HTTP helpers.
    pub fn remote(base: &str) -> TestApp {
        let dir = std::env::temp_dir().join(format!("troika-remote-{}", uuid::Uuid::new_v4().simple()));
        TestApp { base: base.trim_end_matches('/').to_string(), running: None, _dir: tempfile_dir::TempDir(dir) }
    }

    pub fn state(&self) -> &app::backend::AppState {
        &self.running.as_ref().unwrap().state
    }

    /// A browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Posts a form to a server function; `accept` tells it apart: `application/json` is the hydrated
    /// app, `text/html` a browser without JavaScript. For tests that read the response's headers.
    pub async fn post(&self, client: &Client, endpoint: &str, form: &[(&str, &str)], accept: &str) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", accept)
            .header("referer", self.url("/signin"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Calls a server function the way the hydrated app does (form-encoded in, JSON out).
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let res = self.post(client, endpoint, form, "application/json").await;
        let status = res.status();
        let text = res.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> (StatusCode, Value) {
        self.call(client, "sign_in", &[("email", email), ("password", password)]).await
    }

    /// A new buyer account, signed in on a new client.
    pub async fn new_buyer(&self, n: usize) -> Client {
        let client = self.client();
        let email = format!("racer{n}@example.com");
        let (status, body) = self
            .call(&client, "sign_up", &[
                ("email", &email),
                ("display_name", &format!("Racer {n}")),
                ("password", "correct horse battery"),
                ("password_confirm", "correct horse battery"),
            ])
            .await;
        assert!(status.is_success(), "sign up failed: {status} {body}");
        client
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }
}

pub fn address(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("idempotency_key", key),
        ("full_name", "Ana Lima"),
        ("line1", "12 Rua Augusta"),
        ("city", "Lisboa"),
        ("postcode", "1100-053"),
        ("country", "Portugal"),
    ]
}

/// A server-sent event stream read the way a browser's EventSource does.
pub struct EventStream {
    pub status: StatusCode,
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buf: String,
    /// Pass on the conversation counts (`LiveMessage::Messages`) too.
    pub with_messages: bool,
}

impl EventStream {
    /// Opens `path` with the client's cookies, resuming after `last_event_id` when given.
    pub async fn open(app: &TestApp, client: &Client, path: &str, last_event_id: Option<i64>) -> EventStream {
        let mut req = client.get(app.url(path)).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        EventStream { status, body: Box::pin(res.bytes_stream()), buf: String::new(), with_messages: false }
    }

    /// The next event (its id and message), or `None` if nothing arrives within `wait`.
    pub async fn next_within(&mut self, wait: std::time::Duration) -> Option<(Option<i64>, app::domain::live::LiveMessage)> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                let msg: app::domain::live::LiveMessage = serde_json::from_str(&data).expect("a live message");
                // Conversation counts ride on the feed too; tests of orders skip them (see `next_messages`).
                if matches!(msg, app::domain::live::LiveMessage::Messages { .. }) && !self.with_messages {
                    continue;
                }
                return Some((id, msg));
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
        }
    }

    pub async fn next(&mut self) -> app::domain::live::LiveMessage {
        self.next_within(std::time::Duration::from_secs(5)).await.expect("an event within 5 s").1
    }

    /// Whether the server ends the stream within `wait` (events and keep-alives before that are
    /// skipped).
    pub async fn ended_within(&mut self, wait: std::time::Duration) -> bool {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }
}

/// Signs `email` (a demo account) in on a new client.
pub async fn demo_client(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    let (status, body) = app.sign_in(&client, email, app::backend::seed::DEMO_PASSWORD).await;
    assert!(status.is_success(), "sign in {email}: {status} {body}");
    client
}

/// `client` buys `quantity` of `product`; returns the new order's id.
pub async fn buy(app: &TestApp, client: &Client, product: i64, quantity: i64) -> i64 {
    let (status, body) =
        app.call(client, "add_to_cart", &[("product_id", &product.to_string()), ("quantity", &quantity.to_string())]).await;
    assert!(status.is_success(), "add to cart: {status} {body}");
    let key = uuid::Uuid::new_v4().to_string();
    let (status, body) = app.call(client, "place_order", &address(&key)).await;
    assert!(status.is_success(), "place order: {status} {body}");
    body["order_ids"][0].as_i64().expect("an order id")
}

/// `buyer` buys the crêpe pan, `seller` (Atelier Lumière) accepts and ships it, the buyer opens a
/// claim about it: the claim's id.
pub async fn claim_on_shipped_pan(app: &TestApp, buyer: &Client, seller: &Client) -> i64 {
    let order = buy(app, buyer, 1, 1).await;
    assert_eq!(act(app, seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(app, seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000099")]).await.0, StatusCode::OK);
    let (status, claim) = app
        .call(buyer, "open_claim", &[("order_id", &order.to_string()), ("reason", "damaged"), ("remedy", "full_refund"), ("message", "It arrived cracked.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{claim}");
    claim.as_i64().expect("the claim id")
}

/// Moves an order through `advance_order` as `client`: (status, body).
pub async fn act(app: &TestApp, client: &Client, order: i64, action: &str, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let id = order.to_string();
    let mut form = vec![("order_id", id.as_str()), ("action", action)];
    form.extend_from_slice(extra);
    app.call(client, "advance_order", &form).await
}

/// The real server binary, started as its own process on a free port against `database_url`.
pub struct ServerProcess {
    pub app: TestApp,
    child: std::process::Child,
}

impl ServerProcess {
    /// The server binary with the demo data (`TROIKA_SEED=1`) and generous limits.
    pub async fn start(database_url: &str) -> ServerProcess {
        Self::start_with(database_url, &[("TROIKA_SEED", "1"), ("TROIKA_SIGNIN_PER_MINUTE", "100"), ("TROIKA_SIGNUPS_PER_HOUR", "100000")]).await
    }

    /// The server binary with exactly these extra environment variables.
    pub async fn start_with(database_url: &str, vars: &[(&str, &str)]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env_remove("TROIKA_SEED")
            .env_remove("TROIKA_PUBLIC_URL")
            .envs(vars.iter().copied())
            .env("DATABASE_URL", database_url)
            .env("TROIKA_ADDR", format!("127.0.0.1:{port}"))
            .env("TROIKA_JOBS_EVERY_SECS", "0")
            .env("RUST_LOG", "warn")
            .env("LEPTOS_OUTPUT_NAME", "troika")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the server binary");
        let app = TestApp::remote(&format!("http://127.0.0.1:{port}"));
        let mut process = ServerProcess { app, child };
        for _ in 0..120 {
            if let Ok(res) = reqwest::get(process.app.url("/healthz")).await {
                if res.status().is_success() {
                    return process;
                }
            }
            if let Ok(Some(status)) = process.child.try_wait() {
                panic!("the server process exited: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("the server process did not become healthy");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A demo account signed in on a new client, with its session cookie (for the room's socket).
pub async fn demo_with_cookie(app: &TestApp, email: &str) -> (Client, String) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = Client::builder().cookie_provider(jar.clone()).timeout(std::time::Duration::from_secs(60)).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (status, body) = app.sign_in(&client, email, app::backend::seed::DEMO_PASSWORD).await;
    assert!(status.is_success(), "sign in {email}: {status} {body}");
    use reqwest::cookie::CookieStore;
    let cookie = jar.cookies(&app.base.parse().unwrap()).expect("a session cookie");
    (client, cookie.to_str().unwrap().to_string())
}

/// The session id a `troika_session=…` cookie carries.
pub fn session_id_of(cookie: &str) -> String {
    cookie.split(';').find_map(|c| c.trim().strip_prefix("troika_session=")).expect("a session cookie").to_string()
}

/// A dispute room's WebSocket, as the browser holds it.
pub struct RoomSocket {
    ws: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl RoomSocket {
    /// Opens the room's socket with `cookie` (empty: a guest), resuming after `after`; the HTTP
    /// status when the server refuses the upgrade.
    pub async fn connect(app: &TestApp, cookie: &str, claim: i64, after: Option<i64>) -> Result<RoomSocket, u16> {
        Self::connect_from(app, cookie, claim, after, Some(&app.base)).await
    }

    /// The same, as a page of `origin` opens it (`None`: no `Origin` header, not a browser).
    pub async fn connect_from(app: &TestApp, cookie: &str, claim: i64, after: Option<i64>, origin: Option<&str>) -> Result<RoomSocket, u16> {
        Self::connect_to(app, cookie, &format!("/live/claims/{claim}"), after, origin).await
    }

    /// A conversation's socket (`/live/threads/{id}`), as its page opens it.
    pub async fn connect_thread(app: &TestApp, cookie: &str, thread: i64, after: Option<i64>) -> Result<RoomSocket, u16> {
        Self::connect_to(app, cookie, &format!("/live/threads/{thread}"), after, Some(&app.base)).await
    }

    pub async fn connect_to(app: &TestApp, cookie: &str, path: &str, after: Option<i64>, origin: Option<&str>) -> Result<RoomSocket, u16> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let query = after.map(|a| format!("?after={a}")).unwrap_or_default();
        let url = format!("{}{path}{query}", app.base.replacen("http://", "ws://", 1));
        let mut req = url.into_client_request().unwrap();
        if !cookie.is_empty() {
            req.headers_mut().insert("cookie", cookie.parse().unwrap());
        }
        if let Some(origin) = origin {
            req.headers_mut().insert("origin", origin.parse().unwrap());
        }
        let connected = tokio::time::timeout(std::time::Duration::from_secs(10), tokio_tungstenite::connect_async(req)).await;
        match connected.expect("the socket handshake within 10 s") {
            Ok((ws, _)) => Ok(RoomSocket { ws }),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
            Err(e) => panic!("socket failed: {e}"),
        }
    }

    /// The next frame within `wait` (pings are answered and skipped), or `None`.
    pub async fn next_within(&mut self, wait: std::time::Duration) -> Option<app::domain::room::RoomFrame> {
        use futures::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Text(t)))) => return Some(serde_json::from_str(t.as_str()).expect("a room frame")),
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) | Err(_) => return None,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    pub async fn next(&mut self) -> app::domain::room::RoomFrame {
        self.next_within(std::time::Duration::from_secs(5)).await.expect("a frame within 5 s")
    }

    /// Whether the server closes the socket within `wait` (frames before that are skipped).
    pub async fn closed_within(&mut self, wait: std::time::Duration) -> bool {
        use futures::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
                Err(_) => return false,
            }
        }
    }

    /// The next room entry, skipping presence, typing and read signals.
    pub async fn next_entry_within(&mut self, wait: std::time::Duration) -> Option<app::domain::room::RoomEntry> {
        use app::domain::room::RoomFrame;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await? {
                RoomFrame::Entry { entry } => return Some(entry),
                RoomFrame::Resync { cursor } => panic!("unexpected resync at {cursor}"),
                _ => continue,
            }
        }
    }

    pub async fn next_entry(&mut self) -> app::domain::room::RoomEntry {
        self.next_entry_within(std::time::Duration::from_secs(5)).await.expect("an entry within 5 s")
    }

    /// Waits for the first frame matching `pick`, skipping others.
    pub async fn until<T>(&mut self, mut pick: impl FnMut(&app::domain::room::RoomFrame) -> Option<T>) -> T {
        loop {
            let f = self.next().await;
            if let Some(t) = pick(&f) {
                return t;
            }
        }
    }

    pub async fn send(&mut self, frame: &app::domain::room::ClientFrame) {
        use futures::SinkExt;
        let text = serde_json::to_string(frame).unwrap();
        self.ws.send(tokio_tungstenite::tungstenite::Message::Text(text.into())).await.unwrap();
    }

    /// Says goodbye and hangs up, as a browser tab does: it does not wait for the server's reply to
    /// the close (the closing handshake can stall the client's own close future), the connection
    /// goes when the socket is dropped.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), self.ws.close(None)).await;
    }
}
