//! Accounts and sessions, against the booted app: no demo accounts unless asked, the first admin
//! from the command line, staff roles given and taken back (audited), sign-out, password changes
//! and role changes closing live connections, session lifetimes, clean sessions for the next
//! person, rate limits per address and per account (across two app servers on Postgres), and
//! conflicts of interest in moderation and mediation. SQLite and Postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::db::sessions;
use app::backend::services::disputes::run_claim_jobs;
use app::backend::Settings;
use app::domain::deadlines::HOUR_MS;
use app::domain::user::{SESSION_IDLE_MS, SESSION_LIFETIME_MS, STAFF_SESSION_IDLE_MS};
use common::{act, buy, claim_on_shipped_pan, demo_client, demo_with_cookie, session_id_of, EventStream, RoomSocket, ServerProcess, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::io::Write;
use std::time::Duration;

const PW: &str = app::backend::seed::DEMO_PASSWORD;

async fn me(app: &TestApp, client: &Client) -> Value {
    app.call(client, "current_user", &[]).await.1
}

async fn sign_up(app: &TestApp, client: &Client, email: &str) -> (StatusCode, Value) {
    app.call(client, "sign_up", &[("email", email), ("display_name", "Test Person"), ("password", "a long enough password"), ("password_confirm", "a long enough password")])
        .await
}

#[tokio::test]
async fn without_troika_seed_there_are_no_demo_accounts() {
    let app = TestApp::spawn_with(Settings { seed_demo: false, ..common::test_settings() }).await;
    for email in ["admin@troika.test", "moderator@troika.test", "mediator@troika.test", "buyer@troika.test"] {
        let (status, _) = app.sign_in(&app.client(), email, PW).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{email} must not exist");
    }
    assert!(app::backend::db::users::staff(&app.state().db.pool).await.unwrap().is_empty());
    app.stop().await;
    // The server binary itself: no TROIKA_SEED, no demo data.
    let dir = std::env::temp_dir().join(format!("troika-noseed-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = common::fresh_database_url(&dir).await;
    let server = ServerProcess::start_with(&url, &[]).await;
    let (status, _) = server.app.sign_in(&server.app.client(), "admin@troika.test", PW).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `server create-admin` against `url` with `password` on standard input.
fn create_admin(url: &str, email: &str, password: &str) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-admin", "--email", email, "--name", "Olga Operator"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn create_admin_reads_the_password_from_standard_input_and_the_admin_signs_in() {
    let dir = std::env::temp_dir().join(format!("troika-admin-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = common::fresh_database_url(&dir).await;
    let short = create_admin(&url, "ops@example.com", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"), "the field is named");
    // The password is never an argument.
    let arg = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-admin", "--email", "ops@example.com", "--password", "a long enough password"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!arg.status.success());
    let made = create_admin(&url, "Ops@Example.com", "a long enough password");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("ops@example.com"));
    let again = create_admin(&url, "ops@example.com", "another long password");
    assert!(!again.status.success(), "an existing account is not overwritten");

    let server = ServerProcess::start_with(&url, &[]).await;
    let app = &server.app;
    let admin = app.client();
    let (status, body) = app.sign_in(&admin, "ops@example.com", "a long enough password").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "admin");
    let (status, page) = app.call(&admin, "get_staff_page", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["log"][0]["by"], "the server's command line");
    assert_eq!(page["log"][0]["to"], "admin");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_admin_gives_and_takes_back_staff_roles_audited_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let admin = demo_client(&app, "admin@troika.test").await;
    let person = app.client();
    assert_eq!(sign_up(&app, &person, "future.moderator@example.com").await.0, StatusCode::OK);
    // Only admins: buyers, sellers, moderators 403; guests 401.
    for email in ["buyer@troika.test", "seller@troika.test", "moderator@troika.test", "mediator@troika.test"] {
        let c = demo_client(&app, email).await;
        assert_eq!(app.call(&c, "get_staff_page", &[]).await.0, StatusCode::FORBIDDEN, "{email}");
        assert_eq!(app.call(&c, "grant_role", &[("email", "future.moderator@example.com"), ("role", "moderator")]).await.0, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.call(&app.client(), "get_staff_page", &[]).await.0, StatusCode::UNAUTHORIZED);
    // Bad requests are named; sellers and admins do not take a staff role.
    let (status, body) = app.call(&admin, "grant_role", &[("email", "nobody@example.com"), ("role", "moderator")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["email"].is_string(), "{body}");
    let (_, body) = app.call(&admin, "grant_role", &[("email", "future.moderator@example.com"), ("role", "admin")]).await;
    assert!(body["Invalid"]["fields"]["role"].is_string(), "{body}");
    let (_, body) = app.call(&admin, "grant_role", &[("email", "seller@troika.test"), ("role", "mediator")]).await;
    assert!(body["Invalid"]["fields"]["email"].as_str().unwrap().contains("seller"), "{body}");

    // The moderator role: the person's session ends, they sign in again as a moderator.
    assert_eq!(me(&app, &person).await["role"], "buyer");
    let (status, body) = app.call(&admin, "grant_role", &[("email", "Future.Moderator@example.com"), ("role", "moderator")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(me(&app, &person).await.is_null(), "their sessions ended");
    assert_eq!(app.sign_in(&person, "future.moderator@example.com", "a long enough password").await.0, StatusCode::OK);
    assert_eq!(app.call(&person, "get_moderation_queue", &[]).await.0, StatusCode::OK);
    let (status, _) = app.call(&admin, "grant_role", &[("email", "future.moderator@example.com"), ("role", "moderator")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "already a moderator");

    // Taking it back closes their open moderation stream and the queue is closed to them.
    let mut stream = EventStream::open(&app, &person, "/live/moderation", None).await;
    assert_eq!(stream.status, StatusCode::OK);
    stream.next().await;
    let (_, page) = app.call(&admin, "get_staff_page", &[]).await;
    let id = page["staff"].as_array().unwrap().iter().find(|m| m["email"] == "future.moderator@example.com").unwrap()["id"].as_i64().unwrap();
    let (status, body) = app.call(&admin, "revoke_role", &[("user_id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(stream.ended_within(Duration::from_secs(5)).await, "the stream closes within a few seconds");
    assert_eq!(app.sign_in(&person, "future.moderator@example.com", "a long enough password").await.0, StatusCode::OK);
    assert_eq!(app.call(&person, "get_moderation_queue", &[]).await.0, StatusCode::FORBIDDEN);
    // Admins cannot be demoted from the page.
    let admin_id = me(&app, &admin).await["id"].as_i64().unwrap();
    assert_eq!(app.call(&admin, "revoke_role", &[("user_id", &admin_id.to_string())]).await.0, StatusCode::NOT_FOUND);

    // The audit log: who, when, what.
    let (_, page) = app.call(&admin, "get_staff_page", &[]).await;
    let log = page["log"].as_array().unwrap();
    assert_eq!(log.len(), 2, "{page}");
    assert_eq!((log[0]["from"].as_str(), log[0]["to"].as_str()), (Some("moderator"), Some("buyer")));
    assert_eq!((log[1]["from"].as_str(), log[1]["to"].as_str()), (Some("buyer"), Some("moderator")));
    assert!(log[0]["by"].as_str().unwrap().contains("admin@troika.test"));
    assert!(log[0]["person"].as_str().unwrap().contains("future.moderator@example.com"));
    assert!(!log[0]["at"].as_str().unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn signing_out_closes_that_sessions_live_streams_and_sockets() {
    let app = TestApp::spawn().await;
    let (buyer, cookie) = demo_with_cookie(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let claim = claim_on_shipped_pan(&app, &buyer, &seller).await;
    let mut feed = EventStream::open(&app, &buyer, "/live/feed", None).await;
    feed.next().await;
    let mut socket = RoomSocket::connect(&app, &cookie, claim, None).await.unwrap();
    socket.next().await;
    // Another browser of the same person stays signed in and keeps its stream.
    let other = demo_client(&app, "buyer@troika.test").await;
    let mut other_feed = EventStream::open(&app, &other, "/live/feed", None).await;
    other_feed.next().await;

    assert_eq!(app.call(&buyer, "sign_out", &[]).await.0, StatusCode::OK);
    assert!(feed.ended_within(Duration::from_secs(5)).await, "the feed closes");
    assert!(socket.closed_within(Duration::from_secs(5)).await, "the room socket closes");
    assert!(!other_feed.ended_within(Duration::from_secs(1)).await, "other sessions go on");
    // The old cookie opens nothing any more.
    assert_eq!(RoomSocket::connect(&app, &cookie, claim, None).await.err(), Some(401));
    assert_eq!(EventStream::open(&app, &buyer, "/live/feed", None).await.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_needs_the_old_one_and_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let phone = app.client();
    assert_eq!(sign_up(&app, &phone, "ana.change@example.com").await.0, StatusCode::OK);
    let laptop = app.client();
    assert_eq!(app.sign_in(&laptop, "ana.change@example.com", "a long enough password").await.0, StatusCode::OK);
    let mut laptop_feed = EventStream::open(&app, &laptop, "/live/feed", None).await;
    laptop_feed.next().await;
    let mut phone_feed = EventStream::open(&app, &phone, "/live/feed", None).await;
    phone_feed.next().await;

    let change = |current: &'static str, new: &'static str| {
        let (app, phone) = (&app, &phone);
        async move { app.call(phone, "change_password", &[("current_password", current), ("new_password", new), ("new_password_confirm", new)]).await }
    };
    let (status, body) = change("not my password", "a brand new password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["current_password"].is_string(), "{body}");
    let (status, body) = change("a long enough password", "short").await;
    assert!(body["Invalid"]["fields"]["new_password"].is_string(), "{status} {body}");
    assert_eq!(me(&app, &laptop).await["email"], "ana.change@example.com", "a refused change ends nothing");

    let (status, body) = change("a long enough password", "a brand new password").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(laptop_feed.ended_within(Duration::from_secs(5)).await, "the other device's stream closes");
    assert!(phone_feed.ended_within(Duration::from_secs(5)).await, "this device's old session id ended too (it reconnects with the new one)");
    assert!(me(&app, &laptop).await.is_null(), "the other device is signed out");
    assert_eq!(me(&app, &phone).await["email"], "ana.change@example.com", "this device stays signed in");
    assert_eq!(EventStream::open(&app, &phone, "/live/feed", None).await.status, StatusCode::OK);
    assert_eq!(app.sign_in(&app.client(), "ana.change@example.com", "a long enough password").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.sign_in(&app.client(), "ana.change@example.com", "a brand new password").await.0, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_person() {
    let app = TestApp::spawn().await;
    let a = demo_client(&app, "buyer2@troika.test").await;
    let b = demo_client(&app, "buyer2@troika.test").await;
    let someone_else = demo_client(&app, "buyer@troika.test").await;
    let (status, ended) = app.call(&a, "sign_out_everywhere", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ended, 2, "both sessions");
    assert!(me(&app, &a).await.is_null());
    assert!(me(&app, &b).await.is_null());
    assert_eq!(me(&app, &someone_else).await["email"], "buyer@troika.test");
    assert_eq!(app.call(&app.client(), "sign_out_everywhere", &[]).await.0, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn signing_in_as_someone_else_starts_a_clean_session() {
    let app = TestApp::spawn().await;
    let shared = app.client();
    assert_eq!(app.sign_in(&shared, "buyer@troika.test", PW).await.0, StatusCode::OK);
    app.call(&shared, "add_to_cart", &[("product_id", "1"), ("quantity", "1")]).await;
    // A checkout that fails keeps the address typed (for the form without JavaScript).
    let (status, _) = app
        .call(&shared, "place_order", &[("idempotency_key", "not a uuid"), ("full_name", "Ana Secret"), ("line1", "7 Hidden Lane"), ("city", "Lyon"), ("postcode", "69001"), ("country", "France")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.call(&shared, "checkout_defaults", &[]).await.1["line1"], "7 Hidden Lane");
    // The next person on the same browser sees nothing of it.
    assert_eq!(app.sign_in(&shared, "buyer2@troika.test", PW).await.0, StatusCode::OK);
    let (_, defaults) = app.call(&shared, "checkout_defaults", &[]).await;
    assert_ne!(defaults["line1"], "7 Hidden Lane", "{defaults}");
    assert!(!defaults.to_string().contains("Hidden"), "{defaults}");
    app.stop().await;
}

#[tokio::test]
async fn a_session_deleted_meanwhile_is_never_recreated_by_a_late_save() {
    use tower_sessions::SessionStore;
    let app = TestApp::spawn().await;
    let (client, cookie) = demo_with_cookie(&app, "buyer@troika.test").await;
    let store = app::backend::session_store::DbSessionStore::new(app.state().db.clone());
    let id: tower_sessions::session::Id = session_id_of(&cookie).parse().unwrap();
    // A request in flight loaded the record...
    let mut record = store.load(&id).await.unwrap().expect("the session");
    // ...then the person signed out...
    assert_eq!(app.call(&client, "sign_out", &[]).await.0, StatusCode::OK);
    // ...and the request ends by saving what it had.
    record.data.insert("guest_cart".into(), serde_json::json!([]));
    store.save(&record).await.unwrap();
    assert!(store.load(&id).await.unwrap().is_none(), "the signed-out session stays gone");
    app.stop().await;
}

#[tokio::test]
async fn staff_sessions_idle_out_in_twelve_hours_and_every_session_ends_thirty_days_after_sign_in() {
    let app = TestApp::spawn().await;
    let pool = &app.state().db.pool;
    let now = app::backend::clock::now_ms();
    for (email, idle) in [("buyer@troika.test", SESSION_IDLE_MS), ("moderator@troika.test", STAFF_SESSION_IDLE_MS), ("mediator@troika.test", STAFF_SESSION_IDLE_MS), ("admin@troika.test", STAFF_SESSION_IDLE_MS)] {
        let (_, cookie) = demo_with_cookie(&app, email).await;
        let (_, expires_at) = sessions::load(pool, &session_id_of(&cookie), now).await.unwrap().expect("a session");
        assert!((expires_at - (now + idle)).abs() < 60_000, "{email}: expires {} h from now", (expires_at - now) / HOUR_MS);
        assert!(expires_at <= now + SESSION_LIFETIME_MS + 60_000);
    }
    const { assert!(STAFF_SESSION_IDLE_MS <= 12 * HOUR_MS && SESSION_LIFETIME_MS == 30 * 24 * HOUR_MS) };
    app.stop().await;
}

#[tokio::test]
async fn sign_up_and_sign_in_are_limited_per_address_and_per_account() {
    let settings = Settings { sign_ins_per_minute: 3, sign_ups_per_hour: 2, ..common::test_settings() };
    let app = TestApp::spawn_with(settings).await;
    let client = app.client();
    assert_eq!(sign_up(&app, &client, "first@example.com").await.0, StatusCode::OK);
    assert_eq!(sign_up(&app, &app.client(), "second@example.com").await.0, StatusCode::OK);
    let res = app.post(&app.client(), "sign_up", &[("email", "third@example.com"), ("display_name", "T"), ("password", "a long enough password"), ("password_confirm", "a long enough password")], "application/json").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers().get("retry-after").expect("Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    assert!(res.text().await.unwrap().contains("Too many new accounts"));
    assert_eq!(app.sign_in(&app.client(), "third@example.com", "a long enough password").await.0, StatusCode::UNPROCESSABLE_ENTITY, "nothing was created");
    // Per account, from any address: three attempts a minute.
    for _ in 0..3 {
        assert_eq!(app.sign_in(&app.client(), "buyer@troika.test", "wrong password").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = app.post(&app.client(), "sign_in", &[("email", "buyer@troika.test"), ("password", PW)], "application/json").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    app.stop().await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let sign_up_from = |app: &TestApp, n: usize, forwarded: &str| {
        let email = format!("fwd{n}@example.com");
        let req = app.client().post(app.url("/api/sign_up")).header("accept", "application/json").header("x-forwarded-for", forwarded.to_string()).form(&[
            ("email", email.as_str()),
            ("display_name", "Forwarded"),
            ("password", "a long enough password"),
            ("password_confirm", "a long enough password"),
        ]);
        async move { req.send().await.unwrap().status() }
    };
    // Not trusted: the header is ignored, every attempt is 127.0.0.1's.
    let app = TestApp::spawn_with(Settings { sign_ups_per_hour: 1, ..common::test_settings() }).await;
    assert_eq!(sign_up_from(&app, 1, "198.51.100.1").await, StatusCode::OK);
    assert_eq!(sign_up_from(&app, 2, "198.51.100.2").await, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
    // Behind our proxy (127.0.0.1): each client address has its own limit.
    let proxies = app::backend::web::client::parse_proxies("127.0.0.1").unwrap();
    let app = TestApp::spawn_with(Settings { sign_ups_per_hour: 1, trusted_proxies: proxies, ..common::test_settings() }).await;
    assert_eq!(sign_up_from(&app, 3, "198.51.100.1").await, StatusCode::OK);
    assert_eq!(sign_up_from(&app, 4, "198.51.100.2").await, StatusCode::OK);
    assert_eq!(sign_up_from(&app, 5, "203.0.113.7, 198.51.100.2").await, StatusCode::TOO_MANY_REQUESTS, "the address our proxy saw counts");
    app.stop().await;
}

#[tokio::test]
async fn rate_limits_hold_across_two_app_servers_on_one_database() {
    if !common::is_postgres() {
        return; // several app servers share a Postgres database
    }
    let dir = std::env::temp_dir().join(format!("troika-limits-{}", uuid::Uuid::new_v4().simple()));
    let url = common::fresh_database_url(&dir).await;
    let vars = [("TROIKA_SEED", "1"), ("TROIKA_SIGNIN_PER_MINUTE", "3"), ("TROIKA_SIGNUPS_PER_HOUR", "2")];
    let a = ServerProcess::start_with(&url, &vars).await;
    let b = ServerProcess::start_with(&url, &vars).await;
    let (a, b) = (&a.app, &b.app);
    // Three wrong passwords, alternating servers: the fourth attempt is refused by either.
    for (n, server) in [a, b, a].into_iter().enumerate() {
        assert_eq!(server.sign_in(&server.client(), "buyer@troika.test", "wrong password").await.0, StatusCode::UNPROCESSABLE_ENTITY, "attempt {n}");
    }
    assert_eq!(b.sign_in(&b.client(), "buyer@troika.test", PW).await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.sign_in(&a.client(), "buyer@troika.test", PW).await.0, StatusCode::TOO_MANY_REQUESTS);
    // Two sign-ups an hour from one address, wherever they land.
    assert_eq!(sign_up(a, &a.client(), "one@example.com").await.0, StatusCode::OK);
    assert_eq!(sign_up(b, &b.client(), "two@example.com").await.0, StatusCode::OK);
    assert_eq!(sign_up(a, &a.client(), "three@example.com").await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_up(b, &b.client(), "four@example.com").await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn nobody_moderates_their_own_review() {
    let app = TestApp::spawn().await;
    let moderator = demo_client(&app, "moderator@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    // The moderator buys the pan as anyone may, and reviews it.
    let order = buy(&app, &moderator, 1, 1).await;
    act(&app, &seller, order, "accept", &[]).await;
    act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000055")]).await;
    assert_eq!(act(&app, &moderator, order, "confirm_receipt", &[]).await.0, StatusCode::OK);
    let (status, review) = app
        .call(&moderator, "save_review", &[("order_id", &order.to_string()), ("product_id", "1"), ("stars", "5"), ("seller_stars", "5"), ("title", "Great pan"), ("body", "Heats evenly and cleans easily.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{review}");
    let review = review.as_i64().unwrap().to_string();
    let (status, body) = app.call(&moderator, "claim_review", &[("review_id", &review)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("another moderator"), "{body}");
    let (status, _) = app.call(&moderator, "approve_review", &[("review_id", &review), ("version", "1")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, n) = app.call(&moderator, "approve_clean_reviews", &[("items", &format!("{review}:1"))]).await;
    assert_eq!((status, n), (StatusCode::OK, serde_json::json!(0)), "bulk approval skips it too");
    let (_, queue) = app.call(&moderator, "get_moderation_queue", &[]).await;
    let mine = queue["items"].as_array().unwrap().iter().find(|i| i["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(review.as_str())).expect("in the queue");
    assert_eq!(mine["own"], true, "the page says whose it is");
    // The admin (another moderator) decides it.
    let admin = demo_client(&app, "admin@troika.test").await;
    assert_eq!(app.call(&admin, "approve_review", &[("review_id", &review), ("version", "1")]).await.0, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn a_mediator_never_takes_a_claim_on_an_order_they_bought() {
    let app = TestApp::spawn().await;
    let mediator = demo_client(&app, "mediator@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let claim = claim_on_shipped_pan(&app, &mediator, &seller).await;
    // The seller stays silent for a day: the claim goes to the mediators.
    run_claim_jobs(&app.state().db, &app.state().live, app::backend::clock::now_ms() + 25 * HOUR_MS).await.unwrap();
    let (status, body) = app.call(&mediator, "take_claim", &[("claim_id", &claim.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("another mediator"), "{body}");
    let (status, _) = app.call(&mediator, "decide_claim", &[("claim_id", &claim.to_string()), ("decision", "full_refund"), ("reason", "Mine.")]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::CONFLICT, "{status}");
    // Another mediator takes it.
    let admin = demo_client(&app, "admin@troika.test").await;
    assert_eq!(app.call(&admin, "take_claim", &[("claim_id", &claim.to_string())]).await.0, StatusCode::OK);
    app.stop().await;
}
