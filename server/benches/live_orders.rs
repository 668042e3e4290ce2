//! Live order tracking under load, against a running release server (see `.ci/bench-live.sh`):
//! N buyers, each with an order, keep their live feed open while the five demo sellers accept every
//! order as fast as they can. Reports the memory the server spends per idle connection and how long
//! each change takes from the seller's request to the buyer's stream (an upper bound on commit →
//! event: the commit happens inside that request).
//!
//! cargo bench -p server --bench live_orders -- --url http://127.0.0.1:3000 --db sqlite://… --pid 1234 [--buyers 1000]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::*;

use app::backend::db::{catalog, Db};
use app::domain::live::LiveMessage;
use app::domain::order::OrderStatus;
use app::domain::ProductId;
use common::{act, buy, demo_client, EventStream, TestApp};
use futures::{stream, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of the running server");
    let db_url = arg("--db").expect("--db: the server's DATABASE_URL");
    let pid: u32 = arg("--pid").expect("--pid of the server").parse().unwrap();
    let buyers: usize = arg("--buyers").map(|b| b.parse().unwrap()).unwrap_or(1000);
    let app = Arc::new(TestApp::remote(&url));

    // Enough stock for everyone.
    let db = Db::connect(&db_url, 2).await.unwrap();
    for (product, _) in SHOPS {
        catalog::set_stock(&db.pool, ProductId(product), 1_000_000).await.unwrap();
    }

    let started = Instant::now();
    let setup: Vec<(reqwest::Client, i64, usize)> = stream::iter(0..buyers)
        .map(|i| {
            let app = app.clone();
            async move {
                let client = app.new_buyer(i).await; // a fresh database each run: the e-mails are free
                let shop = i % SHOPS.len();
                let order = buy(&app, &client, SHOPS[shop].0, 1).await;
                (client, order, shop)
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    println!("setup: {buyers} buyers signed up and ordered in {:.1} s", started.elapsed().as_secs_f64());

    let rss_before = settled_rss_kib(pid).await;
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let (event_tx, mut event_rx) = tokio::sync::mpsc::unbounded_channel::<(i64, Instant)>();
    let connect_started = Instant::now();
    let mut tasks = Vec::new();
    for (client, order, _) in &setup {
        let (app, client, order, ready_tx, event_tx) = (app.clone(), client.clone(), *order, ready_tx.clone(), event_tx.clone());
        tasks.push(tokio::spawn(async move {
            let mut feed = EventStream::open(&app, &client, "/live/feed", None).await;
            assert!(feed.status.is_success());
            let _ = feed.next_within(Duration::from_secs(60)).await;
            let _ = ready_tx.send(());
            while let Some((_, msg)) = feed.next_within(Duration::from_secs(120)).await {
                if let LiveMessage::Order { order_id, status: OrderStatus::Accepted, .. } = msg {
                    if order_id.0 == order {
                        let _ = event_tx.send((order, Instant::now()));
                        return;
                    }
                }
            }
        }));
    }
    for _ in 0..buyers {
        ready_rx.recv().await.expect("every stream opens");
    }
    println!("connect: {buyers} live feeds open in {:.1} s", connect_started.elapsed().as_secs_f64());
    let rss_after = settled_rss_kib(pid).await;
    println!(
        "memory: server RSS {:.1} MiB before, {:.1} MiB with {buyers} idle feeds: {:.1} KiB per idle connection",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        rss_after.saturating_sub(rss_before) as f64 / buyers as f64
    );

    // Every seller accepts their orders, one request after another, the five sellers at once.
    let mut per_seller: Vec<Vec<i64>> = vec![Vec::new(); SHOPS.len()];
    for (_, order, shop) in &setup {
        per_seller[*shop].push(*order);
    }
    let updates_started = Instant::now();
    let sellers = futures::future::join_all(per_seller.into_iter().enumerate().map(|(shop, orders)| {
        let app = app.clone();
        async move {
            let client = demo_client(&app, SHOPS[shop].1).await;
            let mut sent = Vec::new();
            for order in orders {
                let t0 = Instant::now();
                let (status, body) = act(&app, &client, order, "accept", &[]).await;
                assert!(status.is_success(), "accept {order}: {status} {body}");
                sent.push((order, t0, Instant::now()));
            }
            sent
        }
    }))
    .await;
    let updates_took = updates_started.elapsed();
    let sent: HashMap<i64, (Instant, Instant)> = sellers.into_iter().flatten().map(|(o, a, b)| (o, (a, b))).collect();
    let mut arrived = HashMap::new();
    while arrived.len() < buyers {
        match tokio::time::timeout(Duration::from_secs(30), event_rx.recv()).await {
            Ok(Some((order, at))) => {
                arrived.insert(order, at);
            }
            _ => break,
        }
    }
    println!(
        "updates: {} accepted in {:.2} s ({:.0} updates/s); {} of {buyers} buyers got their event, {} missing",
        sent.len(),
        updates_took.as_secs_f64(),
        sent.len() as f64 / updates_took.as_secs_f64(),
        arrived.len(),
        buyers - arrived.len()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    summary("latency seller request sent → buyer event", arrived.iter().map(|(o, at)| ms(at.duration_since(sent[o].0))).collect());
    summary("seller request round trip", sent.values().map(|(a, b)| ms(b.duration_since(*a))).collect());
    summary(
        "buyer event after the seller's response (0 when the event came first)",
        arrived.iter().map(|(o, at)| ms(at.saturating_duration_since(sent[o].1))).collect(),
    );
    for t in tasks {
        t.abort();
    }
}
