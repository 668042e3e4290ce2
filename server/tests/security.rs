//! Safe to open to the public, against the booted app: redirects that stay on the site (the
//! open-redirect corpus), requests and socket handshakes from other origins refused and nothing
//! changed, the security headers and the CSP nonce on pages, nothing personal stored by browsers,
//! malformed numbers answered 400, over-long fields and bodies refused by name, and a bounded
//! number of live connections per person. The same suite runs on SQLite and on Postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{buy, demo_client, demo_with_cookie, EventStream, RoomSocket, TestApp};
use reqwest::{Client, StatusCode};
use std::time::Duration;

const EVIL: &str = "https://evil.example";

/// Signs in with `next` as a browser without JavaScript would; the `Location` it answers.
async fn sign_in_going_to(app: &TestApp, next: &str) -> String {
    let client = app.client();
    let res = client
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("origin", &app.base)
        .form(&[("email", "buyer@troika.test"), ("password", app::backend::seed::DEMO_PASSWORD), ("next", next)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "next={next:?}");
    res.headers().get("location").unwrap().to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_after_sign_in_stay_on_the_site_whatever_next_says() {
    let app = TestApp::spawn().await;
    for (next, expected) in [
        ("/cart", "/cart"),
        ("/orders/3?tab=all", "/orders/3?tab=all"),
        ("/search?q=tea towel", "/search?q=tea%20towel"),
        // Encoded slashes are a path here, not a host.
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),
        ("/\t/evil.example", "/"),
        ("/\n/x", "/"),
        ("/\r\n/x", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("//evil.example", "/"),
        ("///evil.example", "/"),
        ("/.//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("http:evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("%2F%2Fevil.example", "/"),
        ("", "/"),
    ] {
        assert_eq!(sign_in_going_to(&app, next).await, expected, "next={next:?}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newline_or_tab_in_next_cannot_break_the_response() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // The exact bodies of the report: `%09` and `%0a` decode to a tab and a newline.
    for body in ["email=buyer%40troika.test&password=troika-demo&next=%2F%09%2Fevil.example", "email=buyer%40troika.test&password=troika-demo&next=%2F%0a%2Fx"] {
        for accept in ["text/html", "application/json"] {
            let res = client
                .post(app.url("/api/sign_in"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", accept)
                .body(body)
                .send()
                .await
                .expect("an answer, not a dropped connection");
            assert!(res.status().is_success() || res.status() == StatusCode::FOUND, "{}", res.status());
            assert_eq!(res.headers().get("location").unwrap(), "/", "{body} ({accept})");
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_no_javascript_return_to_the_referer_never_leaves_the_site() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // A failed form post goes back to the page it came from, with the error in the address.
    let res = client
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("referer", app.url("/signin?next=%2Fcart"))
        .form(&[("email", "buyer@troika.test"), ("password", "wrong password")])
        .send()
        .await
        .unwrap();
    let location = res.headers().get("location").unwrap().to_str().unwrap();
    assert!(location.starts_with("/signin?next=%2Fcart&__path="), "{location}");
    // A script can claim any Referer: the answer still points at this site.
    let res = client
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("referer", "https://evil.example/phish")
        .form(&[("email", "buyer@troika.test"), ("password", "wrong password")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("location").unwrap(), "/");
    app.stop().await;
}

/// `client` adds the crêpe pan to its cart from a page of `origin` (with `sec_fetch_site`).
async fn add_pan_from(app: &TestApp, client: &Client, origin: Option<&str>, sec_fetch_site: Option<&str>) -> StatusCode {
    let mut req = client.post(app.url("/api/add_to_cart")).header("accept", "application/json").form(&[("product_id", "1"), ("quantity", "1")]);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    if let Some(s) = sec_fetch_site {
        req = req.header("sec-fetch-site", s);
    }
    req.send().await.unwrap().status()
}

async fn cart_count(app: &TestApp, client: &Client) -> i64 {
    let (_, info) = app.call(client, "get_session_info", &[]).await;
    info["cart_count"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_from_another_origin_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    assert_eq!(add_pan_from(&app, &buyer, Some(EVIL), None).await, StatusCode::FORBIDDEN);
    assert_eq!(add_pan_from(&app, &buyer, Some("null"), None).await, StatusCode::FORBIDDEN);
    assert_eq!(add_pan_from(&app, &buyer, None, Some("cross-site")).await, StatusCode::FORBIDDEN);
    assert_eq!(add_pan_from(&app, &buyer, None, Some("same-site")).await, StatusCode::FORBIDDEN);
    assert_eq!(cart_count(&app, &buyer).await, 0, "nothing was added");
    // From the site itself (Origin, or Sec-Fetch-Site alone), and from no browser at all.
    assert_eq!(add_pan_from(&app, &buyer, Some(&app.base), None).await, StatusCode::OK);
    assert_eq!(add_pan_from(&app, &buyer, Some(&app.base.replace("127.0.0.1", "localhost")), None).await, StatusCode::OK);
    assert_eq!(add_pan_from(&app, &buyer, None, Some("same-origin")).await, StatusCode::OK);
    assert_eq!(add_pan_from(&app, &buyer, None, None).await, StatusCode::OK);
    assert_eq!(cart_count(&app, &buyer).await, 4);
    // A plain form (no JavaScript) from the site's own page still works.
    let res = buyer
        .post(app.url("/api/remove_from_cart"))
        .header("accept", "text/html")
        .header("origin", &app.base)
        .header("referer", app.url("/cart"))
        .form(&[("product_id", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(cart_count(&app, &buyer).await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("origin", EVIL)
        .form(&[("email", "buyer@troika.test"), ("password", app::backend::seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("set-cookie").is_none(), "no session was started");
    let (_, me) = app.call(&client, "current_user", &[]).await;
    assert!(me.is_null());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_room_socket_refuses_other_origins_before_anything_else() {
    let app = TestApp::spawn().await;
    let (buyer, cookie) = demo_with_cookie(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let claim = common::claim_on_shipped_pan(&app, &buyer, &seller).await;
    assert_eq!(RoomSocket::connect_from(&app, &cookie, claim, None, Some(EVIL)).await.err(), Some(403));
    assert_eq!(RoomSocket::connect_from(&app, "", claim, None, Some(EVIL)).await.err(), Some(403));
    // The site's own page connects; so does a client that is no browser (no Origin).
    let mut own = RoomSocket::connect_from(&app, &cookie, claim, None, Some(&app.base)).await.expect("same origin connects");
    assert!(matches!(own.next().await, app::domain::room::RoomFrame::Ready { .. }));
    assert!(RoomSocket::connect_from(&app, &cookie, claim, None, None).await.is_ok());
    own.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers_and_a_fresh_csp_nonce_their_scripts_use() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let mut nonces = Vec::new();
    for path in ["/", "/product/1", "/signin", "/no-such-page"] {
        let res = client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        let h = res.headers().clone();
        let csp = h.get("content-security-policy").expect("a CSP on every page").to_str().unwrap().to_string();
        for part in ["default-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"] {
            assert!(csp.contains(part), "{path}: {part} missing in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_string();
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "strict-origin-when-cross-origin");
        assert!(h.get("permissions-policy").unwrap().to_str().unwrap().contains("camera=()"));
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain http");
        let html = res.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path} has its hydration script");
        assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{path}: every inline script carries the nonce");
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce for every response");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_when_the_site_is_served_over_https() {
    let settings = app::backend::Settings { public_url: Some("https://troika.example".into()), ..common::test_settings() };
    let app = TestApp::spawn_with(settings).await;
    let res = app.client().get(app.url("/")).send().await.unwrap();
    assert_eq!(res.headers().get("strict-transport-security").unwrap(), "max-age=31536000");
    assert!(res.headers().get("content-security-policy").unwrap().to_str().unwrap().contains("wss://troika.example"));
    // The public origin is the one accepted now.
    let client = app.client();
    let post = |origin: &'static str| {
        client.post(app.url("/api/add_to_cart")).header("origin", origin).form(&[("product_id", "1"), ("quantity", "1")]).send()
    };
    assert_eq!(post("https://troika.example").await.unwrap().status(), StatusCode::OK);
    assert_eq!(post("http://troika.example").await.unwrap().status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_pages_and_server_functions_are_never_stored() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, 1, 1).await;
    for path in ["/", format!("/orders/{order}").as_str(), "/orders", "/checkout", "/cart", "/account", "/notifications"] {
        let res = buyer.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-store", "{path}");
    }
    let res = buyer.post(app.url("/api/get_order")).form(&[("id", order.to_string())]).send().await.unwrap();
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-store");
    let stream = buyer.get(app.url("/live/feed")).send().await.unwrap();
    assert_eq!(stream.headers().get("cache-control").unwrap(), "no-store");
    drop(stream);
    // Public files are the same for everyone: kept, but checked again.
    let res = buyer.get(app.url("/favicon.svg")).send().await.unwrap();
    if res.status() == StatusCode::OK {
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-cache");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_builds_hashed_files_are_sent_precompressed_and_kept_for_a_year() {
    // A site root as a release build leaves it: a hashed wasm with its .br and .gz beside it.
    let root = std::env::temp_dir().join(format!("troika-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    let name = "troika.Qx3f9cK2LmN0pR7sTu1vWw.wasm";
    std::fs::write(root.join("pkg").join(name), b"\0asm the raw module, long enough to be worth compressing").unwrap();
    std::fs::write(root.join("pkg").join(format!("{name}.br")), b"stored brotli bytes").unwrap();
    std::fs::write(root.join("pkg").join(format!("{name}.gz")), b"stored gzip bytes").unwrap();
    std::fs::write(root.join("favicon.svg"), b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let mut options = server::leptos_options(root.to_str().unwrap());
    options.hash_files = true;
    let app = TestApp::spawn_with_options(common::test_settings(), options).await;
    let client = app.client();
    let get = |path: String, encoding: &'static str| client.get(app.url(&path)).header("accept-encoding", encoding).send();

    for (encoding, stored) in [("br", "stored brotli bytes"), ("gzip", "stored gzip bytes"), ("gzip, deflate, br", "stored brotli bytes")] {
        let res = get(format!("/pkg/{name}"), encoding).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{encoding}");
        assert_eq!(res.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable", "{encoding}");
        assert_eq!(res.headers().get("vary").unwrap(), "accept-encoding", "{encoding}");
        assert_eq!(res.headers().get("content-type").unwrap(), "application/wasm", "{encoding}");
        assert_eq!(res.bytes().await.unwrap(), stored.as_bytes(), "the stored file as it is, not compressed again: {encoding}");
    }
    let res = get(format!("/pkg/{name}"), "identity").await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert!(res.bytes().await.unwrap().starts_with(b"\0asm"), "no encoding asked for: the raw file");
    // Anything not named by its content is kept but checked again. (No page here: this test
    // binary has no hash.txt beside it, which the server itself never lets happen; see main.rs.)
    let res = get("/favicon.svg".into(), "br").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-cache");
    app.stop().await;
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_number_is_a_400_naming_the_field_not_a_500() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let (status, body) = app.call(&buyer, "advance_order", &[("order_id", "abc"), ("action", "cancel")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{status} {body}");
    assert_eq!(body["Malformed"]["field"], "order_id", "{body}");
    assert_eq!(body["Malformed"]["message"], "order_id must be a whole number.", "{body}");
    let (status, body) = app.call(&buyer, "add_to_cart", &[("product_id", "1e99"), ("quantity", "1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app.call(&buyer, "get_order", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a missing argument too: {body}");
    // Without JavaScript the browser goes back to its page, which shows the message.
    let res = app.post(&buyer, "advance_order", &[("order_id", "abc"), ("action", "cancel")], "text/html").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_long_fields_are_refused_by_name_and_big_bodies_with_413() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let moderator = demo_client(&app, "moderator@troika.test").await;
    let long = "a".repeat(5000);
    let (status, body) = app.call(&buyer, "escalate_claim", &[("claim_id", "1"), ("note", &long)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["Invalid"]["fields"]["note"].as_str().unwrap().contains("at most 1000"), "{body}");
    let (status, body) = app.call(&buyer, "withdraw_claim", &[("claim_id", "1"), ("note", &long)]).await;
    assert!(body["Invalid"]["fields"]["note"].is_string(), "{status} {body}");
    let (status, body) = app.call(&moderator, "approve_review", &[("review_id", "1"), ("version", "1"), ("note", &long)]).await;
    assert!(body["Invalid"]["fields"]["note"].is_string(), "{status} {body}");
    let mediator = demo_client(&app, "mediator@troika.test").await;
    let (status, body) = app.call(&mediator, "decide_claim", &[("claim_id", "1"), ("decision", "reject"), ("reason", &long)]).await;
    assert!(body["Invalid"]["fields"]["reason"].as_str().unwrap().contains("at most 2000"), "{status} {body}");
    // A draft kept for a form without JavaScript is cut, whatever is posted.
    let (status, _) = app.call(&buyer, "place_order", &[("idempotency_key", "x"), ("full_name", &long), ("line1", &long), ("city", ""), ("postcode", ""), ("country", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, draft) = app.call(&buyer, "checkout_defaults", &[]).await;
    assert!(draft["full_name"].as_str().unwrap().len() <= 4000, "the draft is bounded");
    // Bodies beyond a form's size are not even read.
    let huge = "b".repeat(100 * 1024);
    let res = buyer.post(app.url("/api/post_claim_message")).form(&[("claim_id", "1"), ("client_id", "x"), ("body", huge.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_holds_a_bounded_number_of_live_connections() {
    let settings = app::backend::Settings { live_per_user: 3, ..common::test_settings() };
    let app = TestApp::spawn_with(settings).await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let s = EventStream::open(&app, &buyer, "/live/feed", None).await;
        assert_eq!(s.status, StatusCode::OK);
        open.push(s);
    }
    let refused = EventStream::open(&app, &buyer, "/live/feed", None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // Someone else is not affected; a closed stream frees its place.
    let other = demo_client(&app, "buyer2@troika.test").await;
    assert_eq!(EventStream::open(&app, &other, "/live/feed", None).await.status, StatusCode::OK);
    drop(open.pop());
    let mut again = None;
    for _ in 0..50 {
        let s = EventStream::open(&app, &buyer, "/live/feed", None).await;
        if s.status == StatusCode::OK {
            again = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "a place frees when a stream closes");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_signals_are_throttled_per_socket() {
    let app = TestApp::spawn().await;
    let (buyer, buyer_cookie) = demo_with_cookie(&app, "buyer@troika.test").await;
    let (seller, seller_cookie) = demo_with_cookie(&app, "seller@troika.test").await;
    let claim = common::claim_on_shipped_pan(&app, &buyer, &seller).await;
    let mut watcher = RoomSocket::connect(&app, &seller_cookie, claim, None).await.unwrap();
    let mut typist = RoomSocket::connect(&app, &buyer_cookie, claim, None).await.unwrap();
    // Both are in the room before the burst.
    watcher.until(|f| matches!(f, app::domain::room::RoomFrame::Presence { present } if present.len() == 2).then_some(())).await;
    for _ in 0..20 {
        typist.send(&app::domain::room::ClientFrame::Typing { audience: app::domain::dispute::Audience::All }).await;
    }
    let mut typing = 0;
    while let Some(f) = watcher.next_within(Duration::from_millis(1500)).await {
        if matches!(f, app::domain::room::RoomFrame::Typing { .. }) {
            typing += 1;
        }
    }
    assert_eq!(typing, 1, "twenty typing signals in a burst pass on as one");
    typist.close().await;
    watcher.close().await;
    app.stop().await;
}
