//! Dispute rooms under load, against a running release server (see `.ci/bench-rooms.sh`): N claims,
//! each room open on three WebSockets (its buyer, its seller, a mediator), then M messages posted in
//! every room over HTTP while all the sockets stay open. Reports the memory the server spends per
//! idle socket, how fast messages are stored and fanned out, how long each takes from the sender's
//! request to the other parties' sockets, and checks every message reached each socket exactly once.
//!
//! cargo bench -p server --bench dispute_rooms -- --url http://127.0.0.1:3000 --db sqlite://… --pid 1234
//!     [--rooms 1000] [--messages 5] [--in-flight 20] [--senders alternate|seller]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::*;

use app::backend::db::{catalog, Db};
use app::domain::room::RoomFrame;
use app::domain::ProductId;
use common::{act, buy, demo_with_cookie, TestApp};
use futures::{stream, StreamExt};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::Client;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest, Message};

/// The demo accounts that mediate; rooms take turns.
const MEDIATORS: [&str; 2] = ["mediator@troika.test", "admin@troika.test"];
/// Sockets connecting at once (each upgrade reads the session and the claim).
const CONNECTING: usize = 64;
/// Setup requests in flight (sign-ups hash a password: CPU-bound on the server).
const SETUP_IN_FLIGHT: usize = 16;

/// Who holds a socket: a room's sockets are numbered `room * 3 + role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Buyer = 0,
    Seller = 1,
    Mediator = 2,
}
const ROLES: [Role; 3] = [Role::Buyer, Role::Seller, Role::Mediator];

/// CPU seconds (user + system, all threads) the process has used so far.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at the state, field 3.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0 // utime, stime (fields 14, 15) in USER_HZ = 100
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A signed-in client and its session cookie (for the room's socket).
#[derive(Clone)]
struct Session {
    client: Client,
    cookie: String,
}

/// A new buyer account. No idle keep-alive connections, so none linger on the server between the
/// memory readings.
async fn sign_up(app: &TestApp, n: usize) -> Session {
    let jar = Arc::new(Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let email = format!("claimant{n}@example.com"); // a fresh database each run: the e-mails are free
    let (status, body) = app
        .call(&client, "sign_up", &[
            ("email", &email),
            ("display_name", &format!("Claimant {n}")),
            ("password", "correct horse battery"),
            ("password_confirm", "correct horse battery"),
        ])
        .await;
    assert!(status.is_success(), "sign up {email}: {status} {body}");
    let cookie = jar.cookies(&app.base.parse().unwrap()).expect("a session cookie");
    Session { client, cookie: cookie.to_str().unwrap().to_string() }
}

async fn demo(app: &TestApp, email: &str) -> Session {
    let (client, cookie) = demo_with_cookie(app, email).await;
    Session { client, cookie }
}

struct Room {
    claim: i64,
    shop: usize,
    buyer: Session,
}

/// Time spent in each setup step, summed over all rooms.
#[derive(Default)]
struct StepTimes {
    sign_up: Duration,
    order: Duration,
    accept_ship: Duration,
    open_claim: Duration,
}

/// One room: a new buyer orders from shop `i % 5`, its seller accepts and ships, the buyer claims.
async fn set_up_room(app: &TestApp, sellers: &[Session], i: usize) -> (Room, StepTimes) {
    let mut times = StepTimes::default();
    let t = Instant::now();
    let buyer = sign_up(app, i).await;
    times.sign_up = t.elapsed();

    let t = Instant::now();
    let shop = i % SHOPS.len();
    let order = buy(app, &buyer.client, SHOPS[shop].0, 1).await;
    times.order = t.elapsed();

    let t = Instant::now();
    let seller = &sellers[shop].client;
    let (status, body) = act(app, seller, order, "accept", &[]).await;
    assert!(status.is_success(), "accept {order}: {status} {body}");
    let tracking = format!("JD{order:010}");
    let (status, body) = act(app, seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", &tracking)]).await;
    assert!(status.is_success(), "ship {order}: {status} {body}");
    times.accept_ship = t.elapsed();

    let t = Instant::now();
    let (status, body) = app
        .call(&buyer.client, "open_claim", &[
            ("order_id", &order.to_string()),
            ("reason", "damaged"),
            ("remedy", "full_refund"),
            ("message", "The parcel arrived crushed and the item inside is broken."),
        ])
        .await;
    assert!(status.is_success(), "open claim on {order}: {status} {body}");
    let claim = body.as_i64().expect("the claim id");
    times.open_claim = t.elapsed();
    (Room { claim, shop, buyer }, times)
}

/// What the socket tasks report.
enum Event {
    Ready,
    /// An entry frame on socket `sock`, with the sender's message id, when it was read.
    Entry { sock: usize, client_id: Option<String>, at: Instant },
    Resync,
    /// The socket could not open, or closed (or failed) while the bench still listened.
    Failed { sock: usize, why: String },
}

/// Frames that are neither entries nor `ready` (presence, typing, read markers).
static SIGNAL_FRAMES: AtomicU64 = AtomicU64::new(0);

/// Holds socket `sock` of room `claim` open with `cookie`, reporting its frames until aborted.
async fn follow(ws_base: String, claim: i64, cookie: String, sock: usize, connecting: Arc<Semaphore>, events: mpsc::UnboundedSender<Event>) {
    let mut req = format!("{ws_base}/live/claims/{claim}").into_client_request().unwrap();
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
            Ok(_) => continue, // pings are answered by tungstenite
            Err(e) => {
                let _ = events.send(Event::Failed { sock, why: format!("read: {e}") });
                return;
            }
        };
        let event = match serde_json::from_str::<RoomFrame>(text.as_str()) {
            Ok(RoomFrame::Ready { .. }) => {
                permit.take(); // the next socket may connect
                Event::Ready
            }
            Ok(RoomFrame::Entry { entry }) => Event::Entry { sock, client_id: entry.client_id, at },
            Ok(RoomFrame::Resync { .. }) => Event::Resync,
            Ok(_) => {
                SIGNAL_FRAMES.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            Err(e) => Event::Failed { sock, why: format!("not a room frame ({e}): {text}") },
        };
        if events.send(event).is_err() {
            return;
        }
    }
    let _ = events.send(Event::Failed { sock, why: "closed by the server".into() });
}

/// One message sent over HTTP.
struct Post {
    room: usize,
    poster: Role,
    client_id: String,
    sent: Instant,
    answered: Instant,
    error: Option<String>,
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of the running server");
    let db_url = arg("--db").expect("--db: the server's DATABASE_URL");
    let pid: u32 = arg("--pid").expect("--pid of the server").parse().unwrap();
    let n: usize = arg("--rooms").map(|b| b.parse().unwrap()).unwrap_or(1000);
    let m: usize = arg("--messages").map(|b| b.parse().unwrap()).unwrap_or(5);
    let in_flight: usize = arg("--in-flight").map(|b| b.parse().unwrap()).unwrap_or(20);
    let alternate = match arg("--senders").as_deref() {
        None | Some("alternate") => true,
        Some("seller") => false,
        Some(other) => panic!("--senders is alternate or seller, not {other}"),
    };
    let backend = if db_url.starts_with("postgres") { "Postgres" } else { "SQLite" };
    let app = TestApp::remote(&url);
    println!(
        "== dispute rooms on {backend}: {n} rooms, {} sockets, {m} messages per room ({}), {in_flight} posts in flight ==",
        3 * n,
        if alternate { "seller and buyer take turns" } else { "all from the seller" }
    );

    // Enough stock for everyone.
    let db = Db::connect(&db_url, 2).await.unwrap();
    for (product, _) in SHOPS {
        catalog::set_stock(&db.pool, ProductId(product), 1_000_000).await.unwrap();
    }
    db.pool.close().await;

    // ---- Setup: N claims on shipped orders, spread over the five shops.
    let sellers: Vec<Session> = futures::future::join_all(SHOPS.iter().map(|(_, email)| demo(&app, email))).await;
    let mediators: Vec<Session> = futures::future::join_all(MEDIATORS.iter().map(|email| demo(&app, email))).await;
    let started = Instant::now();
    let (app_ref, sellers_ref) = (&app, &sellers);
    let mut setup: Vec<(usize, Room, StepTimes)> = stream::iter(0..n)
        .map(|i| async move {
            let (room, times) = set_up_room(app_ref, sellers_ref, i).await;
            (i, room, times)
        })
        .buffer_unordered(SETUP_IN_FLIGHT)
        .collect()
        .await;
    let setup_took = started.elapsed();
    setup.sort_by_key(|(i, _, _)| *i);
    let mut total = StepTimes::default();
    for (_, _, t) in &setup {
        total.sign_up += t.sign_up;
        total.order += t.order;
        total.accept_ship += t.accept_ship;
        total.open_claim += t.open_claim;
    }
    let mean = |d: Duration| ms(d) / n.max(1) as f64;
    println!(
        "setup: {n} claims (sign up, order, accept, ship, open claim) in {:.1} s, {SETUP_IN_FLIGHT} at a time; mean per room: sign up {:.0} ms, order {:.0} ms, accept+ship {:.0} ms, open claim {:.0} ms",
        setup_took.as_secs_f64(),
        mean(total.sign_up),
        mean(total.order),
        mean(total.accept_ship),
        mean(total.open_claim)
    );
    let rooms: Vec<Room> = setup.into_iter().map(|(_, room, _)| room).collect();

    // ---- Idle sockets: three per room.
    let rss_before = settled_rss_kib(pid).await;
    let (event_tx, mut events) = mpsc::unbounded_channel::<Event>();
    let connecting = Arc::new(Semaphore::new(CONNECTING));
    let ws_base = app.base.replacen("http://", "ws://", 1);
    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(3 * n);
    for (r, room) in rooms.iter().enumerate() {
        for role in ROLES {
            let cookie = match role {
                Role::Buyer => room.buyer.cookie.clone(),
                Role::Seller => sellers[room.shop].cookie.clone(),
                Role::Mediator => mediators[r % mediators.len()].cookie.clone(),
            };
            let sock = r * 3 + role as usize;
            tasks.push(tokio::spawn(follow(ws_base.clone(), room.claim, cookie, sock, connecting.clone(), event_tx.clone())));
        }
    }
    drop(event_tx);
    let mut ready = 0;
    let mut failed: Vec<(usize, String)> = Vec::new();
    while ready + failed.len() < 3 * n {
        match tokio::time::timeout(Duration::from_secs(60), events.recv()).await {
            Ok(Some(Event::Ready)) => ready += 1,
            Ok(Some(Event::Failed { sock, why })) => failed.push((sock, why)),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let connect_took = connect_started.elapsed();
    println!("connect: {ready} of {} sockets ready in {:.1} s ({CONNECTING} connecting at a time)", 3 * n, connect_took.as_secs_f64());
    if ready < 3 * n {
        for (sock, why) in failed.iter().take(5) {
            println!("  socket {sock} (room {}, {:?}): {why}", sock / 3, ROLES[sock % 3]);
        }
        panic!("{} sockets failed and {} did not answer: see above", failed.len(), 3 * n - ready - failed.len());
    }
    let rss_idle = settled_rss_kib(pid).await;
    println!(
        "memory: server RSS {:.1} MiB before, {:.1} MiB with {} idle sockets: {:.1} KiB per idle socket",
        rss_before as f64 / 1024.0,
        rss_idle as f64 / 1024.0,
        3 * n,
        rss_idle.saturating_sub(rss_before) as f64 / (3 * n) as f64
    );

    // ---- Messages: M per room over HTTP, the rooms in turn (a room's messages are spread out).
    let jobs: Vec<(usize, usize)> = (0..m).flat_map(|k| (0..n).map(move |r| (r, k))).collect();
    let cpu_before = cpu_secs(pid);
    let signals_before = SIGNAL_FRAMES.load(Ordering::Relaxed);
    let messages_started = Instant::now();
    let (app_ref, rooms_ref) = (&app, &rooms);
    let posts: Vec<Post> = stream::iter(jobs)
        .map(|(r, k)| async move {
            let room = &rooms_ref[r];
            let poster = if alternate && k % 2 == 1 { Role::Buyer } else { Role::Seller };
            let client = match poster {
                Role::Buyer => &room.buyer.client,
                _ => &sellers_ref[room.shop].client,
            };
            let client_id = format!("bench-r{r}-m{k}");
            let body = format!("Message {k} of the {poster:?} in room {r}: could you look at the photos again?");
            let sent = Instant::now();
            let (status, value) = app_ref
                .call(client, "post_claim_message", &[
                    ("claim_id", &room.claim.to_string()),
                    ("client_id", &client_id),
                    ("body", &body),
                    ("audience", "all"),
                ])
                .await;
            let answered = Instant::now();
            let error = (!status.is_success() || !value.is_i64()).then(|| format!("{status} {value}"));
            Post { room: r, poster, client_id, sent, answered, error }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let posting_took = messages_started.elapsed();
    let stored = posts.iter().filter(|p| p.error.is_none()).count();

    // Every stored message is expected on all three sockets of its room (the sender's own socket
    // echoes it too); after the last expected frame, listen a moment longer for duplicates.
    let index: HashMap<&str, usize> = posts.iter().enumerate().map(|(i, p)| (p.client_id.as_str(), i)).collect();
    let mut arrivals: Vec<[Vec<Instant>; 3]> = posts.iter().map(|_| Default::default()).collect();
    let (mut received, mut stray, mut resyncs) = (0usize, 0usize, 0usize);
    let mut late_failures: Vec<(usize, String)> = Vec::new();
    let expected = 3 * stored;
    let mut deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut grace = false;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(Event::Entry { sock, client_id, at })) => {
                match client_id.as_deref().and_then(|c| index.get(c)) {
                    Some(&i) if posts[i].room == sock / 3 => {
                        arrivals[i][sock % 3].push(at);
                        received += 1;
                    }
                    _ => stray += 1,
                }
                if !grace {
                    deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                }
            }
            Ok(Some(Event::Resync)) => resyncs += 1,
            Ok(Some(Event::Failed { sock, why })) => late_failures.push((sock, why)),
            Ok(Some(Event::Ready)) => {}
            Ok(None) | Err(_) => break,
        }
        if !grace && received >= expected {
            grace = true;
            deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        }
    }
    let cpu_used = cpu_secs(pid) - cpu_before;
    let signal_frames = SIGNAL_FRAMES.load(Ordering::Relaxed) - signals_before;

    let (mut others_ok, mut others_missing, mut others_dup) = (0usize, 0usize, 0usize);
    let (mut echo_ok, mut echo_missing, mut echo_dup) = (0usize, 0usize, 0usize);
    let mut latency = Vec::new();
    let mut echo_latency = Vec::new();
    let mut after_answer = Vec::new();
    let mut last_arrival = messages_started;
    for (post, got) in posts.iter().zip(&arrivals) {
        if post.error.is_some() {
            continue;
        }
        for role in ROLES {
            let times = &got[role as usize];
            let (ok, missing, dup) = if role == post.poster { (&mut echo_ok, &mut echo_missing, &mut echo_dup) } else { (&mut others_ok, &mut others_missing, &mut others_dup) };
            match times.first() {
                None => *missing += 1,
                Some(at) => {
                    *ok += 1;
                    *dup += times.len() - 1;
                    last_arrival = last_arrival.max(*at);
                    if role == post.poster {
                        echo_latency.push(ms(at.duration_since(post.sent)));
                    } else {
                        latency.push(ms(at.duration_since(post.sent)));
                        after_answer.push(ms(at.saturating_duration_since(post.answered)));
                    }
                }
            }
        }
    }
    let delivery_took = last_arrival.duration_since(messages_started);

    println!(
        "messages: {stored} of {} stored in {:.2} s: {:.0} messages/s ({} failed); server CPU {:.1} s ({:.0}% of the {:.1} s)",
        posts.len(),
        posting_took.as_secs_f64(),
        stored as f64 / posting_took.as_secs_f64(),
        posts.len() - stored,
        cpu_used,
        100.0 * cpu_used / posting_took.as_secs_f64(),
        posting_took.as_secs_f64()
    );
    for p in posts.iter().filter(|p| p.error.is_some()).take(5) {
        println!("  failed: room {} {} ({:?}): {}", p.room, p.client_id, p.poster, p.error.as_deref().unwrap_or(""));
    }
    println!(
        "delivery: {others_ok} entry frames to the other two parties, {} with the senders' own echo, within {:.2} s of the first send: {:.0} frames/s to the others ({:.0} in all)",
        others_ok + echo_ok,
        delivery_took.as_secs_f64(),
        others_ok as f64 / delivery_took.as_secs_f64(),
        (others_ok + echo_ok) as f64 / delivery_took.as_secs_f64()
    );
    println!(
        "exactly once: other parties {others_missing} missing, {others_dup} duplicates; senders' echo {echo_missing} missing, {echo_dup} duplicates; {stray} stray entries, {resyncs} resyncs, {} sockets dropped, {signal_frames} presence/typing/seen frames meanwhile",
        late_failures.len()
    );
    for (sock, why) in late_failures.iter().take(5) {
        println!("  socket {sock} (room {}, {:?}): {why}", sock / 3, ROLES[sock % 3]);
    }
    summary("latency post sent → entry frame at each other party", latency);
    summary("latency post sent → sender's own echo", echo_latency);
    summary("post round trip", posts.iter().filter(|p| p.error.is_none()).map(|p| ms(p.answered.duration_since(p.sent))).collect());
    summary("other party's frame after the post's response (0 when the frame came first)", after_answer);
    let mut slowest: Vec<&Post> = posts.iter().collect();
    slowest.sort_by_key(|p| std::cmp::Reverse(p.answered.duration_since(p.sent)));
    let slowest: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|p| {
            format!(
                "{:.0} ms ({} by the {:?}, sent at +{:.2} s)",
                ms(p.answered.duration_since(p.sent)),
                p.client_id,
                p.poster,
                p.sent.duration_since(messages_started).as_secs_f64()
            )
        })
        .collect();
    println!("slowest posts: {}", slowest.join(", "));
    println!("memory after the messages: server RSS {:.1} MiB", rss_kib(pid) as f64 / 1024.0);
    let verdict = posts.len() == stored && others_missing + others_dup + echo_missing + echo_dup + stray + resyncs + late_failures.len() == 0;
    println!("result: {}", if verdict { "OK: every message stored once and delivered exactly once to every socket of its room" } else { "PROBLEMS: see above" });
    for t in tasks {
        t.abort();
    }
    if !verdict {
        std::process::exit(1);
    }
}
