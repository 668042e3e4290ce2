//! Storefront integration tests against the booted app: health, pages, accounts, authorisation,
//! search, carts, checkout concurrency and idempotency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::db::{catalog, orders};
use app::domain::ProductId;
use common::{address, demo_client, TestApp};
use reqwest::StatusCode;
use std::time::Instant;

const PW: &str = app::backend::seed::DEMO_PASSWORD;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_is_reachable_and_503_when_not() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    // Close the pool under the running server: the database is now unreachable.
    app.state().db.pool.close().await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_page_gets_the_404_page_with_status_404() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(app.url("/no/such/page")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Page not found"));
    let res = reqwest::get(app.url("/product/999999")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn the_product_page_names_the_seller_with_location_returns_and_handling_time() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(app.url("/product/1")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cast-iron crêpe pan"), "product name");
    assert!(html.contains("Atelier Lumière"), "shop name");
    assert!(html.contains("Lyon, France"), "shop location");
    assert!(html.contains("30-day returns"), "return policy");
    assert!(html.contains("Ships within 2 business days"), "handling time");
    assert!(html.contains("<label for=\"quantity\">"), "a labelled quantity field");
    app.stop().await;
}

#[tokio::test]
async fn the_demo_seed_is_a_believable_marketplace_and_runs_once() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let cats = catalog::categories(&db.pool, app::domain::locale::Locale::en).await.unwrap();
    assert!(cats.len() >= 6);
    assert_eq!(cats.iter().map(|c| c.product_count).sum::<i64>(), 60);
    // Seeding again changes nothing.
    assert!(!app::backend::seed::seed_demo(db, &app.state().passwords, 0).await.unwrap());
    assert_eq!(catalog::categories(&db.pool, app::domain::locale::Locale::en).await.unwrap().iter().map(|c| c.product_count).sum::<i64>(), 60);
    app.stop().await;
}

#[tokio::test]
async fn signing_in_sets_an_http_only_lax_cookie_with_a_fresh_session_id() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // As a guest, put something in the cart: that starts a session.
    let res = app.post(&client, "add_to_cart", &[("product_id", "2"), ("quantity", "2")], "application/json").await;
    assert!(res.status().is_success());
    let guest_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(guest_cookie.contains("HttpOnly") && guest_cookie.contains("SameSite=Lax"), "{guest_cookie}");
    assert!(!guest_cookie.contains("Secure"), "no Secure flag over plain http unless configured");

    let res = app.post(&client, "sign_in", &[("email", "buyer@troika.test"), ("password", PW)], "application/json").await;
    assert!(res.status().is_success());
    let signed_in_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    let id = |c: &str| c.split(';').next().unwrap().to_string();
    assert_ne!(id(&guest_cookie), id(&signed_in_cookie), "the session id is rotated at sign-in");

    // The guest cart came along.
    let (status, cart) = app.call(&client, "get_cart", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cart["groups"][0]["lines"][0]["quantity"], 2);
    let (_, me) = app.call(&client, "current_user", &[]).await;
    assert_eq!(me["email"], "buyer@troika.test");
    assert_eq!(me["role"], "buyer");

    // Signing out ends it.
    let (status, _) = app.call(&client, "sign_out", &[]).await;
    assert!(status.is_success());
    let (_, me) = app.call(&client, "current_user", &[]).await;
    assert!(me.is_null());
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_repeated_attempts_get_429() {
    let app = TestApp::spawn_with(app::backend::Settings { sign_ins_per_minute: 5, ..common::test_settings() }).await;
    let client = app.client();
    for _ in 0..5 {
        let (status, body) = app.sign_in(&client, "buyer@troika.test", "wrong password").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.to_string().contains("do not match"), "{body}");
    }
    let (status, body) = app.sign_in(&client, "buyer@troika.test", PW).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits: {body}");
    assert!(body.to_string().contains("Too many sign-in attempts"), "{body}");
    // Another account from the same address is not locked out by it.
    let (status, _) = app.sign_in(&client, "buyer2@troika.test", PW).await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn sign_up_reports_bad_fields_and_refuses_a_taken_email() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let (status, body) = app
        .call(&client, "sign_up", &[("email", "nope"), ("display_name", ""), ("password", "short"), ("password_confirm", "x")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &body["Invalid"]["fields"];
    for f in ["email", "display_name", "password", "password_confirm"] {
        assert!(fields[f].is_string(), "{f} missing in {body}");
    }
    let (status, body) = app
        .call(&client, "sign_up", &[
            ("email", "Buyer@Troika.test"),
            ("display_name", "Copy"),
            ("password", "long enough password"),
            ("password_confirm", "long enough password"),
        ])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["email"].as_str().unwrap().contains("already exists"));
    app.stop().await;
}

/// `tests/search_corpus.txt`: each query's first three results, how many match and the "did you mean",
/// on the demo marketplace. The test command runs this file on SQLite and on PostgreSQL.
#[tokio::test]
async fn search_corpus_gives_the_same_results_on_every_database() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let mut wrong = Vec::new();
    for line in include_str!("search_corpus.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let [q, first, total, suggestion] = fields[..] else { panic!("a corpus line has four fields: {line}") };
        let (status, page) = app.call(&client, "search_products", &[("input[q]", q)]).await;
        assert_eq!(status, StatusCode::OK, "{q}: {page}");
        let top: Vec<&str> = page["products"].as_array().unwrap().iter().take(3).map(|p| p["name"].as_str().unwrap()).collect();
        let got_first = if top.is_empty() { "-".to_string() } else { top.join(" ; ") };
        let got_total = page["total"].as_i64().unwrap().to_string();
        let got_suggestion = page["suggestion"].as_str().unwrap_or("-").to_string();
        let got = format!("{q} | {got_first} | {got_total} | {got_suggestion}");
        if std::env::var("TROIKA_PRINT_CORPUS").is_ok() {
            eprintln!("{got}");
        }
        if [(first, &got_first), (total, &got_total), (suggestion, &got_suggestion)].iter().any(|(want, got)| want != *got) {
            wrong.push(format!("  want {line}\n  got  {got}"));
        }
    }
    assert!(wrong.is_empty(), "search answers differ from the corpus:\n{}", wrong.join("\n"));
    app.stop().await;
}

/// A product a seller lists on one app server is found by a search on another within a second
/// (each server's index follows the database); a renamed one is found by its new name only.
#[tokio::test]
async fn a_product_listed_on_one_server_is_found_by_search_on_another() {
    let app = TestApp::spawn().await;
    let config = server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: app.state().db.url.clone(),
        db_max_connections: 4,
        settings: common::test_settings(),
        jobs_every_secs: 0,
    };
    let other_state = server::prepare_state(&config, server::leptos_options("target/site")).await.unwrap();
    let other_server = server::start(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(), other_state, None).await.unwrap();
    let other = TestApp::remote(&format!("http://{}", other_server.addr));
    let seller = demo_client(&app, "seller@troika.test").await;
    let guest = other.client();
    let found = |q: &'static str| {
        let (other, guest) = (&other, guest.clone());
        async move {
            let (_, page) = other.call(&guest, "search_products", &[("input[q]", q)]).await;
            page["products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    let until = |q: &'static str, name: &'static str, present: bool| {
        let found = &found;
        async move {
            for _ in 0..200 {
                if found(q).await.iter().any(|n| n == name) == present {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("{q}: {name} is {} on the other server after 10 s", if present { "not found" } else { "still found" });
        }
    };
    assert!(found("samovar").await.is_empty());
    let mut form = vec![
        ("id", "0".to_string()),
        ("product[name]", "Brass samovar".to_string()),
        ("product[description]", "A two-litre samovar for long afternoons.".to_string()),
        ("product[category]", "coffee-tea".to_string()),
        ("product[price]", "89.00".to_string()),
        ("product[stock]", "3".to_string()),
        ("product[low_stock]", "1".to_string()),
    ];
    let pairs = |form: &[(&'static str, String)]| form.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let sent = pairs(&form);
    let (status, id) = app.call(&seller, "save_product", &sent.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    // The server that took the write finds it at once.
    let (_, here) = app.call(&app.client(), "search_products", &[("input[q]", "samovar")]).await;
    assert_eq!(here["products"][0]["name"], "Brass samovar");
    until("samovr", "Brass samovar", true).await;
    form[0].1 = id.as_i64().unwrap().to_string();
    form[1].1 = "Copper urn".to_string();
    form[2].1 = "A two-litre urn for long afternoons.".to_string();
    let sent = pairs(&form);
    let (status, body) = app.call(&seller, "save_product", &sent.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    until("copper urn", "Copper urn", true).await;
    until("samovar", "Copper urn", false).await;
    other_server.stop().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn search_tolerates_case_and_accents_and_ranks_name_matches_first() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let search = |q: &'static str| {
        let app = &app;
        let client = client.clone();
        async move { app.call(&client, "search_products", &[("input[q]", q)]).await.1 }
    };
    let names = |page: &serde_json::Value| -> Vec<String> {
        page["products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
    };
    let cafe = search("cafe").await;
    assert!(names(&cafe).iter().any(|n| n.contains("Café")), "{cafe}");
    let crepe = search("CRÊPE").await;
    assert_eq!(names(&crepe)[0], "Cast-iron crêpe pan, 24 cm", "name matches rank first");
    let none = search("zzzxqj").await;
    assert_eq!(none["total"], 0);

    // Filters: category, price range and seller rating; sorting by price.
    let (_, page) = app
        .call(&client, "search_products", &[("input[category]", "books"), ("input[max]", "20"), ("input[sort]", "price_asc")])
        .await;
    let prices: Vec<i64> = page["products"].as_array().unwrap().iter().map(|p| p["price"].as_i64().unwrap()).collect();
    assert!(!prices.is_empty() && prices.iter().all(|p| *p <= 2000));
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "sorted by price: {prices:?}");
    let (status, body) = app.call(&client, "search_products", &[("input[min]", "cheap")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["min"].is_string());
    // Pagination: 60 products, 12 a page.
    let (_, p5) = app.call(&client, "search_products", &[("input[page]", "5")]).await;
    assert_eq!(p5["total"], 60);
    assert_eq!(p5["pages"], 5);
    assert_eq!(p5["products"].as_array().unwrap().len(), 12);
    app.stop().await;
}

#[tokio::test]
async fn checkout_makes_one_order_per_seller_takes_stock_and_empties_the_cart() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let client = app.client();
    app.sign_in(&client, "buyer@troika.test", PW).await;
    // Product 1 is sold by Atelier Lumière, product 11 by Café Sol.
    app.call(&client, "add_to_cart", &[("product_id", "1"), ("quantity", "2")]).await;
    app.call(&client, "add_to_cart", &[("product_id", "11"), ("quantity", "1")]).await;
    let before = catalog::stock_of(&db.pool, ProductId(1)).await.unwrap();

    let (status, receipt) = app.call(&client, "place_order", &address("0a1b2c3d-checkout-one")).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["order_ids"].as_array().unwrap().len(), 2, "one order per seller");
    assert_eq!(catalog::stock_of(&db.pool, ProductId(1)).await.unwrap(), before - 2);
    let (_, cart) = app.call(&client, "get_cart", &[]).await;
    assert!(cart["groups"].as_array().unwrap().is_empty());

    let (_, list) = app.call(&client, "list_my_orders", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let first = receipt["order_ids"][0].as_i64().unwrap().to_string();
    let (status, order) = app.call(&client, "get_order", &[("id", &first)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order["status"], "Placed");
    assert_eq!(order["history"].as_array().unwrap().len(), 1, "the history starts with 'placed'");
    assert_eq!(order["address"]["city"], "Lisboa");
    app.stop().await;
}

#[tokio::test]
async fn a_buyer_cannot_read_another_buyers_order() {
    let app = TestApp::spawn().await;
    let ana = app.client();
    app.sign_in(&ana, "buyer@troika.test", PW).await;
    app.call(&ana, "add_to_cart", &[("product_id", "3"), ("quantity", "1")]).await;
    let (_, receipt) = app.call(&ana, "place_order", &address("ana-order-key-1")).await;
    let order_id = receipt["order_ids"][0].as_i64().unwrap().to_string();

    let ben = app.client();
    app.sign_in(&ben, "buyer2@troika.test", PW).await;
    let (status, body) = app.call(&ben, "get_order", &[("id", &order_id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.to_string().contains("Rua Augusta"), "no order data leaks: {body}");
    let (_, list) = app.call(&ben, "list_my_orders", &[]).await;
    assert!(list.as_array().unwrap().is_empty());
    // Not signed in at all: 401, and the page itself says so.
    let anon = app.client();
    let (status, _) = app.call(&anon, "get_order", &[("id", &order_id)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let html = anon.get(app.url(&format!("/orders/{order_id}"))).send().await.unwrap();
    assert_eq!(html.status(), StatusCode::UNAUTHORIZED);
    // The seller of the shop may read it; another seller may not.
    let seller = app.client();
    app.sign_in(&seller, "seller@troika.test", PW).await;
    assert_eq!(app.call(&seller, "get_order", &[("id", &order_id)]).await.0, StatusCode::OK);
    let other_seller = app.client();
    app.sign_in(&other_seller, "seller2@troika.test", PW).await;
    assert_eq!(app.call(&other_seller, "get_order", &[("id", &order_id)]).await.0, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_address_is_refused_field_by_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let client = app.client();
    app.sign_in(&client, "buyer@troika.test", PW).await;
    app.call(&client, "add_to_cart", &[("product_id", "4"), ("quantity", "1")]).await;
    let before = catalog::stock_of(&db.pool, ProductId(4)).await.unwrap();
    let (status, body) = app
        .call(&client, "place_order", &[("idempotency_key", "bad-address-key"), ("full_name", ""), ("line1", ""), ("city", "X"), ("postcode", "<b>"), ("country", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["full_name", "line1", "postcode", "country"] {
        assert!(body["Invalid"]["fields"][f].is_string(), "{f} in {body}");
    }
    assert_eq!(catalog::stock_of(&db.pool, ProductId(4)).await.unwrap(), before);
    let (_, cart) = app.call(&client, "get_cart", &[]).await;
    assert_eq!(cart["groups"].as_array().unwrap().len(), 1, "the cart is kept");
    let (_, list) = app.call(&client, "list_my_orders", &[]).await;
    assert!(list.as_array().unwrap().is_empty());
    // What was typed is kept for the next attempt.
    let (_, defaults) = app.call(&client, "checkout_defaults", &[]).await;
    assert_eq!(defaults["city"], "X");
    app.stop().await;
}

#[tokio::test]
async fn the_same_checkout_key_sent_twice_at_once_makes_one_purchase() {
    let app = TestApp::spawn().await;
    let client = app.client();
    app.sign_in(&client, "buyer@troika.test", PW).await;
    app.call(&client, "add_to_cart", &[("product_id", "7"), ("quantity", "3")]).await;
    let key = "double-click-key-0001";
    let form = address(key);
    let (a, b) = tokio::join!(app.call(&client, "place_order", &form), app.call(&client, "place_order", &form));
    assert_eq!(a.0, StatusCode::OK, "{}", a.1);
    assert_eq!(b.0, StatusCode::OK, "{}", b.1);
    assert_eq!(a.1["purchase_id"], b.1["purchase_id"], "both answers name the same purchase");
    // A later retry too.
    let (_, c) = app.call(&client, "place_order", &form).await;
    assert_eq!(c["purchase_id"], a.1["purchase_id"]);
    let (_, list) = app.call(&client, "list_my_orders", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(orders::count_for_product(&app.state().db.pool, ProductId(7)).await.unwrap(), 1);
    app.stop().await;
}

#[tokio::test]
async fn fifty_buyers_racing_for_ten_units_get_exactly_ten_orders() {
    let app = TestApp::spawn().await;
    let db = app.state().db.clone();
    let product = ProductId(10);
    catalog::set_stock(&db.pool, product, 10).await.unwrap();
    let mut buyers = Vec::new();
    for n in 0..50 {
        let client = app.new_buyer(n).await;
        let (status, _) = app.call(&client, "add_to_cart", &[("product_id", "10"), ("quantity", "1")]).await;
        assert!(status.is_success());
        buyers.push(client);
    }
    let started = Instant::now();
    let attempts = buyers.iter().enumerate().map(|(n, client)| {
        let app = &app;
        async move {
            let key = format!("race-key-{n:04}");
            app.call(client, "place_order", &address(&key)).await
        }
    });
    let results = futures::future::join_all(attempts).await;
    let elapsed = started.elapsed();
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let sold_out = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && b.to_string().contains("sold out")).count();
    assert_eq!(ok, 10, "exactly ten orders: {:?}", results.iter().map(|r| r.0).collect::<Vec<_>>());
    assert_eq!(sold_out, 40, "everyone else is told it sold out");
    assert_eq!(catalog::stock_of(&db.pool, product).await.unwrap(), 0, "stock is zero, never negative");
    assert_eq!(orders::count_for_product(&db.pool, product).await.unwrap(), 10);
    eprintln!(
        "checkout race ({}): 50 concurrent checkouts for 10 units in {:.0} ms",
        if common::is_postgres() { "postgres" } else { "sqlite" },
        elapsed.as_secs_f64() * 1000.0
    );
    app.stop().await;
}

#[tokio::test]
async fn server_functions_that_need_an_account_answer_401_to_guests() {
    let app = TestApp::spawn().await;
    let client = app.client();
    assert_eq!(app.call(&client, "list_my_orders", &[]).await.0, StatusCode::UNAUTHORIZED);
    app.call(&client, "add_to_cart", &[("product_id", "5"), ("quantity", "1")]).await;
    assert_eq!(app.call(&client, "place_order", &address("guest-key-0001")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(&client, "add_to_cart", &[("product_id", "5"), ("quantity", "0")]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.call(&client, "add_to_cart", &[("product_id", "99999"), ("quantity", "1")]).await.0, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_plain_form_post_without_javascript_is_redirected_back_not_answered_with_json() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // A browser without JavaScript posts the form from the sign-in page (the harness sends that Referer).
    let res = app.post(&client, "sign_in", &[("email", "buyer@troika.test"), ("password", "wrong password")], "text/html").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers().get("location").unwrap().to_str().unwrap().to_string();
    assert!(location.contains("/signin"), "{location}");
    // The sign-in page it lands on shows the message by the field.
    assert!(location.starts_with('/'), "redirects stay on the site: {location}");
    let page = client.get(app.url(&location)).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("do not match an account"), "the error is shown without JavaScript");
    app.stop().await;
}

// ---- Languages: French and English ------------------------------------------------------------

async fn page(client: &reqwest::Client, url: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let mut req = client.get(url);
    if let Some(l) = accept_language {
        req = req.header("accept-language", l);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

fn html_lang(body: &str) -> &str {
    let start = body.find("<html lang=\"").map(|i| i + 12).unwrap_or(0);
    &body[start..start + body[start..].find('"').unwrap_or(0)]
}

async fn switch_language(app: &TestApp, client: &reqwest::Client, lang: &str, back: &str) -> reqwest::Response {
    client
        .post(app.url("/language"))
        .header("referer", app.url(back))
        .form(&[("lang", lang), ("back", back)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_french_browser_gets_french_pages_with_lang_fr_and_an_english_one_english() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let (status, fr) = page(&client, &app.url("/"), Some("fr-FR,fr;q=0.9,en;q=0.8")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html_lang(&fr), "fr");
    assert!(fr.contains("Acheter par catégorie") && fr.contains("Panier"), "French home page");
    assert!(!fr.contains("Shop by category"));
    let (_, en) = page(&client, &app.url("/"), Some("en-GB,en;q=0.9")).await;
    assert_eq!(html_lang(&en), "en");
    assert!(en.contains("Shop by category"));
    // A language Troika does not speak, or none at all: English.
    let (_, de) = page(&client, &app.url("/"), Some("de-DE")).await;
    assert_eq!(html_lang(&de), "en");
    let (_, none) = page(&client, &app.url("/search?q=pan"), None).await;
    assert_eq!(html_lang(&none), "en");
    // Money, numbers and plurals follow the language.
    let (_, cart_fr) = page(&client, &app.url("/product/1"), Some("fr")).await;
    assert!(cart_fr.contains("\u{a0}€"), "French prices end with a euro sign");
    // The 404 page too.
    let (status, missing) = page(&client, &app.url("/no/such/page"), Some("fr")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("Page introuvable") && html_lang(&missing) == "fr");
    app.stop().await;
}

#[tokio::test]
async fn a_french_storefront_address_stays_french_whatever_the_browser_says() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let (status, body) = page(&client, &app.url("/fr/search?q=pan"), Some("en")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html_lang(&body), "fr");
    // Its links keep the language, and it names its versions in each language.
    assert!(body.contains("href=\"/fr/product/"), "product links stay French");
    assert!(body.contains("hreflang=\"en\"") && body.contains("hreflang=\"fr\"") && body.contains("hreflang=\"x-default\""));
    assert!(body.contains("/en/search?q=pan"));
    let (status, product) = page(&client, &app.url("/fr/product/1"), Some("en")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html_lang(&product), "fr");
    assert!(product.contains("Ajouter au panier"));
    let (_, home) = page(&client, &app.url("/fr"), Some("en")).await;
    assert_eq!(html_lang(&home), "fr");
    // English in the address wins over a French browser.
    let (_, en) = page(&client, &app.url("/en/product/1"), Some("fr")).await;
    assert_eq!(html_lang(&en), "en");
    assert!(en.contains("Add to cart"));
    // Personal pages have one address: they follow the person's choice.
    let res = client.get(app.url("/fr/cart?x=1")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(res.headers()["location"], "/cart?x=1");
    app.stop().await;
}

#[tokio::test]
async fn switching_the_language_persists_for_the_visitor_and_on_the_account() {
    let app = TestApp::spawn().await;
    // A guest: the choice is kept in a cookie, and the page comes back in that language.
    let guest = app.client();
    let res = switch_language(&app, &guest, "fr", "/cart").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/cart");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("troika_lang=fr") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let (_, cart) = page(&guest, &app.url("/cart"), Some("en")).await;
    assert_eq!(html_lang(&cart), "fr");
    assert!(cart.contains("Votre panier"));
    // From a storefront address in one language, the switch goes to the same page in the other.
    let res = switch_language(&app, &guest, "en", "/fr/product/3?page=2").await;
    assert_eq!(res.headers()["location"], "/en/product/3?page=2");
    // A language Troika does not speak is refused and changes nothing; a foreign `back` goes home.
    let res = switch_language(&app, &guest, "de", "/").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("lang"));
    let res = switch_language(&app, &guest, "fr", "//evil.example/").await;
    assert_eq!(res.headers()["location"], "/");

    // Signed in: the choice is kept on the account and follows the person to another browser.
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let res = switch_language(&app, &buyer, "fr", "/orders").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = app::backend::db::users::find_by_email(&app.state().db.pool, "buyer@troika.test").await.unwrap().unwrap().id;
    let kept = app::backend::db::users::language(&app.state().db.pool, app::domain::UserId(id)).await.unwrap();
    assert_eq!(kept.as_deref(), Some("fr"));
    let elsewhere = demo_client(&app, "buyer@troika.test").await;
    let (_, orders) = page(&elsewhere, &app.url("/orders"), Some("en")).await;
    assert_eq!(html_lang(&orders), "fr");
    assert!(orders.contains("Vos commandes"));
    app.stop().await;
}

#[tokio::test]
async fn a_new_account_keeps_the_language_it_signed_up_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client
        .post(app.url("/api/sign_up"))
        .header("accept", "application/json")
        .header("referer", app.url("/fr/product/1"))
        .form(&[("email", "lea@example.com"), ("display_name", "Léa"), ("password", "correct horse battery"), ("password_confirm", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let id = app::backend::db::users::find_by_email(&app.state().db.pool, "lea@example.com").await.unwrap().unwrap().id;
    let kept = app::backend::db::users::language(&app.state().db.pool, app::domain::UserId(id)).await.unwrap();
    assert_eq!(kept.as_deref(), Some("fr"));
    app.stop().await;
}

/// Sellers' own texts: a reader gets their language when the seller wrote it, otherwise the
/// original with a note saying which language it is in (and `lang` on it for screen readers).
#[tokio::test]
async fn sellers_texts_show_in_the_readers_language_or_as_written_with_a_note() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // The demo catalogue has both languages: the crêpe pan, its shop and its category.
    let (_, fr) = page(&client, &app.url("/product/1"), Some("fr")).await;
    assert!(fr.contains("Poêle à crêpes en fonte, 24 cm") && fr.contains("Fonte préculottée"), "the French version");
    assert!(fr.contains("Cuisine &amp; Maison") && fr.contains("Tout article inutilisé peut être retourné"), "category and policy in French");
    assert!(!fr.contains("data-testid=\"original-language\""), "no note when the reader's language exists");
    let (_, en) = page(&client, &app.url("/product/1"), Some("en")).await;
    assert!(en.contains("Cast-iron crêpe pan, 24 cm") && !en.contains("Poêle à crêpes"));
    let (_, shop) = page(&client, &app.url("/fr/shop/atelier-lumiere"), None).await;
    assert!(shop.contains("Petites séries d’ustensiles") && shop.contains("Les produits de la boutique Atelier Lumière"), "the shop page in French");
    // A book its seller wrote in English only: French readers get it as written, said so.
    let (_, book) = page(&client, &app.url("/fr/product/23"), None).await;
    assert!(book.contains("Cien años de soledad (Spanish)"));
    assert!(book.contains("<h1 lang=\"en\">"), "the English name is marked as English");
    assert!(book.contains("Affiché tel que le vendeur l’a écrit, en anglais."), "the note says which language");
    let (_, cards) = page(&client, &app.url("/fr/category/books"), None).await;
    assert!(cards.contains("Livres") && cards.contains("Guide des oiseaux d’Europe") && cards.contains("en anglais"), "cards in French, noted where not");

    // A seller in Lyon writes in French only: English readers get it as written, noted.
    let seller = demo_client(&app, "seller@troika.test").await;
    let form = [
        ("id", "0"),
        ("product[name]", "Plat à gratin en fonte émaillée"),
        ("product[description]", "Un plat profond qui va du four à la table, pour quatre personnes."),
        ("product[language]", "fr"),
        ("product[translated_name]", ""),
        ("product[translated_description]", ""),
        ("product[category]", "kitchen"),
        ("product[price]", "59.00"),
        ("product[stock]", "5"),
        ("product[low_stock]", "1"),
    ];
    let (status, id) = app.call(&seller, "save_product", &form).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    let (_, en) = page(&client, &app.url(&format!("/en/product/{id}")), None).await;
    assert!(en.contains("<h1 lang=\"fr\">Plat à gratin en fonte émaillée</h1>"));
    assert!(en.contains("Shown as the seller wrote it, in French."));
    let (_, fr) = page(&client, &app.url(&format!("/fr/product/{id}")), None).await;
    assert!(!fr.contains("data-testid=\"original-language\""), "French readers read it as written, no note");

    // Half a translation is refused, field by field, and changes nothing.
    let mut half = form.to_vec();
    half.retain(|(k, _)| !k.starts_with("product[translated") && *k != "id");
    let id_text = id.to_string();
    half.extend([("id", id_text.as_str()), ("product[translated_name]", "Enamelled cast-iron gratin dish"), ("product[translated_description]", "")]);
    let (status, body) = app.call(&seller, "save_product", &half).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("translated_description"), "{body}");
    let (_, en) = page(&client, &app.url(&format!("/en/product/{id}")), None).await;
    assert!(en.contains("Shown as the seller wrote it, in French."), "nothing changed");
    // The whole translation: English readers get it, and search finds the product by either.
    half.retain(|(k, _)| *k != "product[translated_description]");
    half.push(("product[translated_description]", "A deep dish that goes from oven to table, for four."));
    let (status, body) = app.call(&seller, "save_product", &half).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, en) = page(&client, &app.url(&format!("/en/product/{id}")), None).await;
    assert!(en.contains("<h1>Enamelled cast-iron gratin dish</h1>") && !en.contains("data-testid=\"original-language\""));
    for q in ["gratin", "emaillee", "enamelled"] {
        let mut found = false;
        for _ in 0..40 {
            let (_, page) = app.call(&client, "search_products", &[("input[q]", q)]).await;
            found = page["products"].as_array().unwrap().iter().any(|p| p["id"] == id);
            if found {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(found, "{q} finds the dish");
    }
    app.stop().await;
}

#[tokio::test]
async fn form_and_error_messages_come_in_the_visitors_language_and_english_stays_as_it_was() {
    let app = TestApp::spawn().await;
    let call = |lang: &'static str, endpoint: &'static str, form: Vec<(&'static str, &'static str)>| {
        let (client, url) = (app.client(), app.url(&format!("/api/{endpoint}")));
        async move {
            let res = client.post(url).header("accept", "application/json").header("accept-language", lang).form(&form).send().await.unwrap();
            (res.status(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    // A wrong password, a field's message.
    let wrong = vec![("email", "buyer@troika.test"), ("password", "not the password")];
    let (status, fr) = call("fr", "sign_in", wrong.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fr["Invalid"]["fields"]["password"], "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte.");
    let (_, en) = call("en", "sign_in", wrong).await;
    assert_eq!(en["Invalid"]["fields"]["password"], "That email and password do not match an account.");
    // Several fields: the summary and each field, in the language.
    let short = vec![("email", "nobody"), ("display_name", ""), ("password", "short"), ("password_confirm", "other")];
    let (_, fr) = call("fr", "sign_up", short.clone()).await;
    assert_eq!(fr["Invalid"]["message"], "Veuillez corriger les champs signalés.");
    assert_eq!(fr["Invalid"]["fields"]["password_confirm"], "Les deux mots de passe sont différents.");
    let (_, en) = call("en", "sign_up", short).await;
    assert_eq!(en["Invalid"]["message"], "Please correct the highlighted fields.");
    assert_eq!(en["Invalid"]["fields"]["email"], "Enter an email address like name@example.com.");
    // Signed out: the fixed text follows the language too, and the JSON keeps its shape.
    let (status, fr) = call("fr", "list_my_orders", vec![]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(fr, serde_json::json!("Unauthenticated"));
    app.stop().await;
}
