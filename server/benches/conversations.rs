//! Buyer–seller conversations under load, against a running release server (see
//! `.ci/bench-conversations.sh`): N conversations (default 1000: 100 buyers asking about 10
//! products each), each open on two WebSockets (the buyer's and the shop seller's), then M messages
//! per conversation over HTTP, buyer and seller taking turns, while every socket stays open.
//! Reports the memory per idle socket, messages stored per second, the time from the sender's
//! request to the other side's socket (p50/p99), and checks each message arrived exactly once.
//!
//! cargo bench -p server --bench conversations -- --url http://127.0.0.1:3000 --db sqlite://… --pid 1234
//!     [--conversations 1000] [--messages 4] [--in-flight 20]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::*;

use app::backend::db::Db;
use app::domain::room::RoomFrame;
use common::{demo_with_cookie, TestApp};
use futures::{stream, StreamExt};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::Client;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest, Message};

const PRODUCTS_PER_BUYER: usize = 10;
const CONNECTING: usize = 64;
const SETUP_IN_FLIGHT: usize = 16;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[derive(Clone)]
struct Session {
    client: Client,
    cookie: String,
}

async fn sign_up(app: &TestApp, n: usize) -> Session {
    let jar = Arc::new(Jar::default());
    let client = Client::builder().cookie_provider(jar.clone()).redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(0).build().unwrap();
    let email = format!("asker{n}@example.com");
    let (status, body) = app
        .call(&client, "sign_up", &[
            ("email", &email),
            ("display_name", &format!("Asker {n}")),
            ("password", "correct horse battery"),
            ("password_confirm", "correct horse battery"),
        ])
        .await;
    assert!(status.is_success(), "sign up {email}: {status} {body}");
    let cookie = jar.cookies(&app.base.parse().unwrap()).expect("a session cookie");
    Session { client, cookie: cookie.to_str().unwrap().to_string() }
}

struct Conversation {
    thread: i64,
    buyer: usize,
    seller: usize,
}

enum Event {
    Ready,
    Entry { sock: usize, client_id: Option<String>, at: Instant },
    Resync,
    Failed { sock: usize, why: String },
}

/// Holds socket `sock` (conversation `sock / 2`; 0 buyer, 1 seller) open, reporting its frames.
async fn follow(ws_base: String, thread: i64, cookie: String, sock: usize, connecting: Arc<Semaphore>, events: mpsc::UnboundedSender<Event>) {
    let mut req = format!("{ws_base}/live/threads/{thread}").into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    let permit = connecting.acquire_owned().await.unwrap();
    let mut ws = match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => ws,
        Err(e) => {
            let _ = events.send(Event::Failed { sock, why: format!("connect: {e}") });
            return;
        }
    };
    let mut permit = Some(permit);
    while let Some(msg) = ws.next().await {
        let at = Instant::now();
        let text = match msg {
            Ok(Message::Text(text)) => text,
            Ok(Message::Close(_)) => break,
            Ok(_) => continue,
            Err(e) => {
                let _ = events.send(Event::Failed { sock, why: format!("read: {e}") });
                return;
            }
        };
        let event = match serde_json::from_str::<RoomFrame>(text.as_str()) {
            Ok(RoomFrame::Ready { .. }) => {
                permit.take();
                Event::Ready
            }
            Ok(RoomFrame::Entry { entry }) => Event::Entry { sock, client_id: entry.client_id, at },
            Ok(RoomFrame::Resync { .. }) => Event::Resync,
            Ok(_) => continue,
            Err(e) => Event::Failed { sock, why: format!("not a room frame ({e}): {text}") },
        };
        if events.send(event).is_err() {
            return;
        }
    }
    let _ = events.send(Event::Failed { sock, why: "closed by the server".into() });
}

struct Post {
    conv: usize,
    by_buyer: bool,
    client_id: String,
    sent: Instant,
    error: Option<String>,
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of the running server");
    let db_url = arg("--db").expect("--db: the server's DATABASE_URL");
    let pid: u32 = arg("--pid").expect("--pid of the server").parse().unwrap();
    let n: usize = arg("--conversations").map(|b| b.parse().unwrap()).unwrap_or(1000);
    let m: usize = arg("--messages").map(|b| b.parse().unwrap()).unwrap_or(4);
    let in_flight: usize = arg("--in-flight").map(|b| b.parse().unwrap()).unwrap_or(20);
    let backend = if db_url.starts_with("postgres") { "Postgres" } else { "SQLite" };
    let app = TestApp::remote(&url);
    println!("== conversations on {backend}: {n} conversations, {} sockets, {m} messages each (buyer and seller take turns), {in_flight} posts in flight ==", 2 * n);

    // The listed products and their sellers.
    let db = Db::connect(&db_url, 2).await.unwrap();
    let products: Vec<(i64, String)> = sqlx::query_as::<sqlx::Any, (i64, String)>(
        "SELECT p.id, u.email FROM products p JOIN shops s ON s.id = p.shop_id JOIN users u ON u.id = s.owner_id WHERE p.status = 'listed' ORDER BY p.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    db.pool.close().await;
    assert!(products.len() >= PRODUCTS_PER_BUYER, "the demo catalogue has {} products", products.len());
    let mut seller_emails: Vec<String> = products.iter().map(|(_, e)| e.clone()).collect();
    seller_emails.sort();
    seller_emails.dedup();
    let sellers: Vec<Session> = futures::future::join_all(seller_emails.iter().map(|e| async {
        let (client, cookie) = demo_with_cookie(&app, e).await;
        Session { client, cookie }
    }))
    .await;
    let seller_of: HashMap<i64, usize> = products.iter().map(|(p, e)| (*p, seller_emails.iter().position(|x| x == e).unwrap())).collect();

    // ---- Setup: buyers ask their questions.
    let buyers_needed = n.div_ceil(PRODUCTS_PER_BUYER);
    let started = Instant::now();
    let app_ref = &app;
    let buyers: Vec<Session> = stream::iter(0..buyers_needed).map(|i| sign_up(app_ref, i)).buffered(SETUP_IN_FLIGHT).collect().await;
    let signed_up = started.elapsed();
    let (buyers_ref, products_ref, seller_of_ref) = (&buyers, &products, &seller_of);
    let asked = Instant::now();
    let conversations: Vec<Conversation> = stream::iter(0..n)
        .map(|i| async move {
            let buyer = i / PRODUCTS_PER_BUYER;
            let product = products_ref[(i % PRODUCTS_PER_BUYER + buyer * 3) % products_ref.len()].0;
            let (status, body) = app_ref
                .call(&buyers_ref[buyer].client, "ask_seller", &[
                    ("product_id", &product.to_string()),
                    ("client_id", &format!("ask-{i}")),
                    ("body", "Hello, what are the exact dimensions, and is it in stock for delivery this week?"),
                ])
                .await;
            assert!(status.is_success(), "ask {i}: {status} {body}");
            Conversation { thread: body.as_i64().expect("a thread id"), buyer, seller: seller_of_ref[&product] }
        })
        .buffered(SETUP_IN_FLIGHT)
        .collect()
        .await;
    println!(
        "setup: {buyers_needed} buyers signed up in {:.1} s; {n} questions asked in {:.1} s ({:.0} per second, {SETUP_IN_FLIGHT} at a time)",
        signed_up.as_secs_f64(),
        asked.elapsed().as_secs_f64(),
        n as f64 / asked.elapsed().as_secs_f64()
    );

    // ---- Idle sockets: the buyer's and the seller's for each conversation.
    let rss_before = settled_rss_kib(pid).await;
    let (event_tx, mut events) = mpsc::unbounded_channel::<Event>();
    let connecting = Arc::new(Semaphore::new(CONNECTING));
    let ws_base = app.base.replacen("http://", "ws://", 1);
    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(2 * n);
    for (c, conv) in conversations.iter().enumerate() {
        for side in 0..2 {
            let cookie = if side == 0 { buyers[conv.buyer].cookie.clone() } else { sellers[conv.seller].cookie.clone() };
            tasks.push(tokio::spawn(follow(ws_base.clone(), conv.thread, cookie, c * 2 + side, connecting.clone(), event_tx.clone())));
        }
    }
    drop(event_tx);
    let (mut ready, mut failed) = (0usize, Vec::new());
    while ready + failed.len() < 2 * n {
        match tokio::time::timeout(Duration::from_secs(60), events.recv()).await {
            Ok(Some(Event::Ready)) => ready += 1,
            Ok(Some(Event::Failed { sock, why })) => failed.push((sock, why)),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    println!("connect: {ready} of {} sockets ready in {:.1} s", 2 * n, connect_started.elapsed().as_secs_f64());
    if ready < 2 * n {
        for (sock, why) in failed.iter().take(5) {
            println!("  socket {sock}: {why}");
        }
        panic!("{} sockets failed", 2 * n - ready);
    }
    let rss_idle = settled_rss_kib(pid).await;
    println!(
        "memory: server RSS {:.1} MiB before, {:.1} MiB with {} idle sockets: {:.1} KiB per idle conversation socket",
        rss_before as f64 / 1024.0,
        rss_idle as f64 / 1024.0,
        2 * n,
        rss_idle.saturating_sub(rss_before) as f64 / (2 * n) as f64
    );

    // ---- Messages: M per conversation, the seller answering first, then taking turns.
    let jobs: Vec<(usize, usize)> = (0..m).flat_map(|k| (0..n).map(move |c| (c, k))).collect();
    let messages_started = Instant::now();
    let (conv_ref, sellers_ref) = (&conversations, &sellers);
    let posts: Vec<Post> = stream::iter(jobs)
        .map(|(c, k)| async move {
            let conv = &conv_ref[c];
            let by_buyer = k % 2 == 1;
            let client = if by_buyer { &buyers_ref[conv.buyer].client } else { &sellers_ref[conv.seller].client };
            let client_id = format!("bench-c{c}-m{k}");
            let body = if by_buyer { format!("Thanks. One more question ({k}): does it come with a lid?") } else { format!("Hello! 24 cm across, 4.5 cm deep; in stock and it ships tomorrow ({k}).") };
            let sent = Instant::now();
            let (status, value) = app_ref.call(client, "post_thread_message", &[("thread_id", &conv.thread.to_string()), ("client_id", &client_id), ("body", &body)]).await;
            let error = (!status.is_success() || !value.is_i64()).then(|| format!("{status} {value}"));
            Post { conv: c, by_buyer, client_id, sent, error }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let posting_took = messages_started.elapsed();
    let stored = posts.iter().filter(|p| p.error.is_none()).count();
    let index: HashMap<&str, usize> = posts.iter().enumerate().map(|(i, p)| (p.client_id.as_str(), i)).collect();
    let mut arrivals: Vec<[Vec<Instant>; 2]> = posts.iter().map(|_| Default::default()).collect();
    let (mut received, mut stray, mut resyncs, mut dropped) = (0usize, 0usize, 0usize, 0usize);
    let expected = 2 * stored;
    let mut deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut grace = false;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(Event::Entry { sock, client_id, at })) => {
                match client_id.as_deref().and_then(|c| index.get(c)) {
                    Some(&i) if posts[i].conv == sock / 2 => {
                        arrivals[i][sock % 2].push(at);
                        received += 1;
                    }
                    _ => stray += 1,
                }
            }
            Ok(Some(Event::Resync)) => resyncs += 1,
            Ok(Some(Event::Failed { .. })) => dropped += 1,
            Ok(Some(Event::Ready)) => {}
            Ok(None) | Err(_) => break,
        }
        if !grace && received >= expected {
            grace = true;
            deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        }
    }
    let (mut ok, mut missing, mut dup) = (0usize, 0usize, 0usize);
    let mut latency = Vec::new();
    let mut last_arrival = messages_started;
    for (post, got) in posts.iter().zip(&arrivals) {
        if post.error.is_some() {
            continue;
        }
        for (side, times) in got.iter().enumerate() {
            match times.first() {
                None => missing += 1,
                Some(at) => {
                    ok += 1;
                    dup += times.len() - 1;
                    last_arrival = last_arrival.max(*at);
                    let other = (side == 0) != post.by_buyer;
                    if other {
                        latency.push(ms(at.duration_since(post.sent)));
                    }
                }
            }
        }
    }
    let delivery_took = last_arrival.duration_since(messages_started);
    println!(
        "messages: {stored} of {} stored in {:.2} s: {:.0} messages/s; {} entry frames delivered within {:.2} s ({:.0} frames/s)",
        posts.len(),
        posting_took.as_secs_f64(),
        stored as f64 / posting_took.as_secs_f64(),
        ok,
        delivery_took.as_secs_f64(),
        ok as f64 / delivery_took.as_secs_f64()
    );
    for p in posts.iter().filter(|p| p.error.is_some()).take(5) {
        println!("  failed: {}: {}", p.client_id, p.error.as_deref().unwrap_or(""));
    }
    println!("exactly once: {missing} missing, {dup} duplicates, {stray} stray, {resyncs} resyncs, {dropped} sockets dropped");
    summary("latency send → the other side's socket", latency);
    println!("memory after the messages: server RSS {:.1} MiB", rss_kib(pid) as f64 / 1024.0);
    let verdict = posts.len() == stored && missing + dup + stray + resyncs + dropped == 0;
    println!("result: {}", if verdict { "OK: every message stored once and delivered exactly once to both sides" } else { "PROBLEMS: see above" });
    for t in tasks {
        t.abort();
    }
    if !verdict {
        std::process::exit(1);
    }
}
