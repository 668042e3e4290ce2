//! Search against a running release server (see `.ci/bench-search.sh`):
//! 1. N products (default 10,000) written straight into the database the way the app lists one
//!    (`catalog::insert_product`), then `GET /search?q=…` for exact queries and queries with typos,
//!    timed over HTTP (the server-rendered page, search included), R times each (default 200);
//! 2. how long a product a seller lists (`save_product`, as the seller's form does) or renames takes
//!    to be found by a search on the same server.
//!
//! cargo bench -p server --bench search -- --url http://127.0.0.1:3000 --db sqlite://… [--products 10000] [--requests 200]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::catalogue::{shown_total, write_catalogue};
use support::*;

use app::backend::db::{Backend, Db};
use common::{demo_client, TestApp};
use reqwest::{Client, StatusCode};
use std::time::{Duration, Instant};

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn search_path(q: &str) -> String {
    format!("/search?q={}", q.replace(' ', "+"))
}

/// The page `/search?q=…` and the number of products it says match.
async fn search(app: &TestApp, guest: &Client, q: &str) -> (String, i64) {
    let res = guest.get(app.url(&search_path(q))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{q}");
    let html = res.text().await.unwrap();
    let total = shown_total(&html);
    (html, total)
}

/// Milliseconds until a search for `q` shows `name` (polled every 5 ms, at most 10 s).
async fn until_found(app: &TestApp, guest: &Client, q: &str, name: &str, since: Instant) -> f64 {
    loop {
        let (html, _) = search(app, guest, q).await;
        if html.contains(name) {
            return ms_since(since);
        }
        assert!(since.elapsed() < Duration::from_secs(10), "{name} is not found by {q} after 10 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of a running server");
    let db_url = arg("--db").expect("--db of the server's database");
    let count: usize = arg("--products").and_then(|v| v.parse().ok()).unwrap_or(10_000).max(1);
    let requests: usize = arg("--requests").and_then(|v| v.parse().ok()).unwrap_or(200).max(1);
    let db = Db::connect(&db_url, 2).await.unwrap();
    let app = TestApp::remote(&url);
    let guest = app.client();

    // 1. The catalogue, then the queries.
    let setup = Instant::now();
    let catalogue = write_catalogue(&db, count, app::backend::clock::now_ms()).await;
    if db.backend == Backend::Postgres {
        // What autovacuum does within a minute of a bulk load: the planner's statistics.
        sqlx::query("ANALYZE products").execute(&db.pool).await.unwrap();
    }
    // Every generated description ends "Item {n}.": the last one written is found once all are.
    let (_, last_name) = catalogue.last().unwrap();
    until_found(&app, &guest, &format!("item {}", count - 1), last_name, setup).await;
    let total: i64 = sqlx::query_scalar::<sqlx::Any, i64>("SELECT COUNT(*) FROM products").fetch_one(&db.pool).await.unwrap();
    println!("catalogue: {count} products written and searchable in {:.1} s ({total} in all)", setup.elapsed().as_secs_f64());

    let queries = [
        ("exact, one common word", "gift"),
        ("exact, a rare word", "saffron"),
        ("exact, two words", "walnut board"),
        ("exact, a city", "lyon"),
        ("exact, no match", "zeppelin"),
        ("typo, one word", "sweter"),
        ("typo, two words", "tea towl"),
        ("typo, two words", "crepe pann"),
        ("typo, two edits", "stonwear teapott"),
        ("typo, in a category name", "kichen"),
    ];
    let mut rows = Vec::new();
    for (kind, q) in queries {
        let mut ms = Vec::new();
        let mut found = 0;
        for n in 0..requests + 5 {
            let t = Instant::now();
            let (_, total) = search(&app, &guest, q).await;
            if n >= 5 {
                ms.push(ms_since(t)); // the first five warm up
            }
            found = total;
        }
        rows.push((format!("GET {} [{kind}, {found} found]", search_path(q)), ms));
    }

    // 2. Freshness: a new product, then a renamed one, found by search on this server.
    let seller = demo_client(&app, "seller@troika.test").await;
    let (mut listed, mut renamed) = (Vec::new(), Vec::new());
    let run = app::backend::clock::now_ms();
    for k in 0..20 {
        let word = format!("benchlamp{run}x{k}");
        let name = format!("Brass {word} lamp");
        let mut form = [
            ("id", "0".to_string()),
            ("product[name]", name.clone()),
            ("product[description]", "A desk lamp listed by the search benchmark.".to_string()),
            ("product[category]", "kitchen".to_string()),
            ("product[price]", "39.00".to_string()),
            ("product[stock]", "5".to_string()),
            ("product[low_stock]", "1".to_string()),
        ];
        let t = Instant::now();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, id) = app.call(&seller, "save_product", &pairs).await;
        assert_eq!(status, StatusCode::OK, "save_product: {id}");
        listed.push(until_found(&app, &guest, &word, &name, t).await);

        let new_word = format!("benchlantern{run}x{k}");
        let new_name = format!("Brass {new_word}");
        form[0].1 = id.as_i64().unwrap().to_string();
        form[1].1 = new_name.clone();
        let t = Instant::now();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call(&seller, "save_product", &pairs).await;
        assert_eq!(status, StatusCode::OK, "save_product (rename): {body}");
        renamed.push(until_found(&app, &guest, &new_word, &new_name, t).await);
    }
    rows.push(("listed → found by search (save_product + polls)".to_string(), listed));
    rows.push(("renamed → found by search (save_product + polls)".to_string(), renamed));

    let backend = match db.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!("\n== search, {backend}, {total} products in the catalogue");
    let width = rows.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0);
    println!("{:<width$}  {:>5}  {:>9}  {:>9}  {:>9}", "ms", "n", "p50", "p99", "max");
    for (name, ms) in &mut rows {
        ms.sort_by(|a, b| a.total_cmp(b));
        let max = ms.last().copied().unwrap_or(f64::NAN);
        println!("{:<width$}  {:>5}  {:>9.1}  {:>9.1}  {:>9.1}", name, ms.len(), percentile(ms, 0.5), percentile(ms, 0.99), max);
    }
}
