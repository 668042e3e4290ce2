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

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Settings { secure_cookies: false, seed_demo: true, sign_ins_per_minute: 5 }).await
    }

    pub async fn spawn_with(settings: Settings) -> TestApp {
        let dir = std::env::temp_dir().join(format!("troika-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = server::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: fresh_database_url(&dir).await,
            db_max_connections: 8,
            settings,
        };
        let state = server::prepare_state(&config, server::leptos_options("target/site")).await.expect("app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = server::start(listener, state).await.expect("server starts");
        TestApp { base: format!("http://{}", running.addr), running: Some(running), _dir: tempfile_dir::TempDir(dir) }
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

pub fn address<'a>(key: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("idempotency_key", key),
        ("full_name", "Ana Lima"),
        ("line1", "12 Rua Augusta"),
        ("city", "Lisboa"),
        ("postcode", "1100-053"),
        ("country", "Portugal"),
    ]
}
