//! Review screening and the moderation queue under a backlog, against a running release server
//! (see `.ci/bench-moderation.sh`):
//! 1. screening: how long `domain::review::screen` takes per review with the context the service
//!    gathers (up to 300 earlier texts to compare with), and how long gathering that context takes
//!    (its two queries) on a database with the backlog below;
//! 2. the queue: N pending reviews (default 10,000; a third of them flagged) written straight into
//!    the database, then the moderator's queue page (`GET /moderation`, server-rendered HTML) and its
//!    server function timed over HTTP.
//!
//! cargo bench -p server --bench moderation -- --url http://127.0.0.1:3000 --db sqlite://… [--pending 10000]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::*;

use app::backend::db::{orders, reviews, users, Db};
use app::domain::checkout::ShippingAddress;
use app::domain::review::{risk, screen, ScreeningContext};
use app::domain::user::Role;
use app::domain::{Money, OrderId, ProductId, ShopId, UserId};
use common::{demo_client, TestApp};
use std::time::Instant;

/// Review texts to vary from: some clean, some with what screening flags.
const PHRASES: [&str; 12] = [
    "Heats evenly and the crêpes slide right off",
    "Arrived quickly, well packed, exactly as described",
    "The handle gets hot, use a cloth",
    "Très bon produit, je recommande vivement",
    "Contact me at reviewer{n}@example.com for photos",
    "Call 06 12 34 56 78 if you want to buy mine",
    "WORST PURCHASE EVER DO NOT BUY",
    "Quelle arnaque, vendeur escroc",
    "See better deals on www.cheap-pans.example/deals",
    "Good value for the price, solid build",
    "Smaller than I expected but works well",
    "Colours are lovely and the finish is smooth",
];

fn text(n: usize) -> (String, String) {
    let a = PHRASES[n % PHRASES.len()].replace("{n}", &n.to_string());
    let b = PHRASES[(n / PHRASES.len() + 3) % PHRASES.len()].replace("{n}", &n.to_string());
    (format!("Review {n}"), format!("{a}. {b}. Order {n} of my reviews, written on day {}.", n % 31))
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of a running server");
    let db_url = arg("--db").expect("--db of the server's database");
    let pending: usize = arg("--pending").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let db = Db::connect(&db_url, 2).await.unwrap();

    // 1. Screening alone, with 300 earlier texts to compare with (the most the service gathers).
    let earlier: Vec<String> = (0..300).map(|n| { let (t, b) = text(n + 7); format!("{t}\n{b}") }).collect();
    let rounds = 2_000;
    let start = Instant::now();
    let mut flagged = 0;
    for n in 0..rounds {
        let (title, body) = text(n);
        let ctx = ScreeningContext { stars: Some((n % 5 + 1) as u8), earlier: &earlier, ..Default::default() };
        flagged += usize::from(!screen(&title, &body, &ctx).is_empty());
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / rounds as f64;
    println!("screening: {per:.0} µs per review against 300 earlier texts ({rounds} reviews, {flagged} flagged)");

    // 2. The backlog: buyers, delivered orders of a demo product, one pending review each.
    let setup = Instant::now();
    let (product, shop) = (ProductId(1), ShopId(1));
    let address = ShippingAddress {
        full_name: "Bench Buyer".into(),
        line1: "1 Rue de la Paix".into(),
        line2: String::new(),
        city: "Lyon".into(),
        postcode: "69001".into(),
        country: "France".into(),
        phone: String::new(),
    };
    let now = app::backend::clock::now_ms();
    let mut tx = db.begin().await.unwrap();
    let mut buyers = Vec::new();
    for b in 0..100 {
        buyers.push(users::insert(&mut tx, &format!("bench-buyer-{b}-{now}@example.com"), &format!("Bench Buyer {b}"), "x", Role::Buyer, now).await.unwrap());
    }
    for n in 0..pending {
        let buyer: UserId = buyers[n % buyers.len()];
        let purchase = orders::insert_purchase(&mut tx, buyer, &format!("bench-{now}-{n}"), Money(4900), "BENCH", now).await.unwrap();
        let o = orders::NewOrder { purchase, buyer, shop, subtotal: Money(4900), shipping: Money(0), address: &address, accept_by: now, ship_by: now };
        let order: OrderId = orders::insert_order(&mut tx, &o, now - 86_400_000).await.unwrap();
        orders::insert_item(&mut tx, order, product, Money(4900), 1).await.unwrap();
        let (title, body) = text(n);
        let flags = screen(&title, &body, &ScreeningContext { stars: Some(4), ..Default::default() });
        let row = reviews::NewRow {
            kind: "review",
            parent: None,
            order: Some(order),
            thread: None,
            product,
            shop,
            author: buyer,
            stars: Some(4),
            seller_stars: Some(4),
            title: &title,
            body: &body,
            flags: &serde_json::to_string(&flags).unwrap(),
            risk: i64::from(risk(&flags)),
        };
        reviews::insert(&mut tx, &row, now - (pending - n) as i64 * 1000).await.unwrap();
    }
    tx.commit().await.unwrap();
    let waiting = reviews::waiting(&db.pool).await.unwrap();
    println!("backlog: {pending} pending reviews written in {:.1} s ({waiting} waiting in all)", setup.elapsed().as_secs_f64());

    // Gathering the screening context on that database (the two queries the service runs).
    let mut gather = Vec::new();
    for n in 0..200 {
        let t = Instant::now();
        let texts = reviews::earlier_texts(&db.pool, "review", shop, buyers[n % buyers.len()], None, 300).await.unwrap();
        reviews::recent_counts(&db.pool, product, shop, now - 3_600_000).await.unwrap();
        gather.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(texts.len() >= 300);
    }
    summary("screening context (2 queries, 300+ texts)", gather);

    // The queue page and its server function, as the demo moderator.
    let app = TestApp::remote(&url);
    let moderator = demo_client(&app, "moderator@troika.test").await;
    let (mut page, mut api) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..40 {
        let t = Instant::now();
        let res = moderator.get(app.url("/moderation")).send().await.unwrap();
        assert!(res.status().is_success());
        let html = res.text().await.unwrap();
        page.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(html.contains("queue-item"), "the page lists the queue");
        bytes = html.len();
        let t = Instant::now();
        let (status, q) = app.call(&moderator, "get_moderation_queue", &[]).await;
        api.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(status.is_success() && q["waiting"].as_i64() == Some(waiting));
    }
    summary(&format!("GET /moderation with {waiting} waiting ({} KiB of HTML)", bytes / 1024), page);
    summary("get_moderation_queue (the 50 riskiest, with authors' records and reports)", api);
}
