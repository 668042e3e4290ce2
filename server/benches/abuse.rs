//! A sign-up flood against a running release server (see `.ci/bench-abuse.sh`): C connections post
//! sign-ups as fast as they can for S seconds while a second client reads the home page. Reports the
//! home page's latency idle and during the flood, the server's peak resident memory, how every
//! sign-up was answered (accepted, 429, 503, other, dropped), and checks that every accepted account
//! exists in the database (none lost).
//!
//! cargo bench -p server --bench abuse -- --url http://127.0.0.1:3000 --db sqlite://… --pid 1234 [--connections 64] [--seconds 15]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;
use support::*;

use app::backend::db::{users, Db};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Reads the home page one request after another until `stop`; the latency of each, in ms.
async fn read_home(url: String, stop: Arc<AtomicBool>, at_most: Duration) -> Vec<f64> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let started = Instant::now();
    let mut ms = Vec::new();
    while !stop.load(Ordering::Relaxed) && started.elapsed() < at_most {
        let t = Instant::now();
        let res = client.get(format!("{url}/")).send().await;
        let ok = match res {
            Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
            Err(_) => false,
        };
        assert!(ok, "the home page must keep answering");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    ms
}

#[derive(Default)]
struct Tally {
    answers: BTreeMap<String, u64>,
    accepted: Vec<String>,
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of the running server");
    let db_url = arg("--db").expect("--db: the server's DATABASE_URL");
    let pid: u32 = arg("--pid").expect("--pid of the server").parse().unwrap();
    let connections: usize = arg("--connections").map(|c| c.parse().unwrap()).unwrap_or(64);
    let seconds: u64 = arg("--seconds").map(|s| s.parse().unwrap()).unwrap_or(15);
    let label = arg("--label").unwrap_or_default();

    // Warm up, then the home page on an idle server.
    let idle_stop = Arc::new(AtomicBool::new(false));
    read_home(url.clone(), idle_stop.clone(), Duration::from_secs(2)).await;
    let idle = read_home(url.clone(), idle_stop, Duration::from_secs(10)).await;
    let rss_idle = rss_kib(pid);

    // The flood: each connection its own client (its own TCP connection), no cookies, as a script.
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let peak = Arc::new(AtomicU64::new(rss_idle));
    let run = format!("{}", std::process::id());
    let mut flooders = Vec::new();
    for c in 0..connections {
        let (url, stop, tally, run) = (url.clone(), stop.clone(), tally.clone(), run.clone());
        flooders.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).pool_max_idle_per_host(1).build().unwrap();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let email = format!("flood-{run}-{c}-{n}@example.com");
                let form = [
                    ("email", email.as_str()),
                    ("display_name", "Flood"),
                    ("password", "a long enough password"),
                    ("password_confirm", "a long enough password"),
                ];
                let res = client.post(format!("{url}/api/sign_up")).header("accept", "application/json").form(&form).send().await;
                let answer = match res {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let retry_after = r.headers().contains_key("retry-after");
                        let body_ok = r.bytes().await.is_ok();
                        match (status, body_ok) {
                            (_, false) => "dropped (body cut off)".to_string(),
                            (200, _) => "200 accepted".to_string(),
                            (429 | 503, _) if retry_after => format!("{status} refused, with Retry-After"),
                            (s, _) => format!("{s}"),
                        }
                    }
                    Err(e) if e.is_timeout() => "dropped (timed out)".to_string(),
                    Err(_) => "dropped (connection error)".to_string(),
                };
                let mut t = tally.lock().unwrap();
                if answer == "200 accepted" {
                    t.accepted.push(email);
                }
                *t.answers.entry(answer).or_default() += 1;
            }
        }));
    }
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let reader = tokio::spawn(read_home(url.clone(), stop.clone(), Duration::from_secs(seconds + 120)));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let during = reader.await.unwrap();
    for f in flooders {
        f.await.unwrap();
    }
    sampler.await.unwrap();
    let peak_rss = peak.load(Ordering::Relaxed).max(rss_kib(pid));

    // Every accepted sign-up is in the database.
    let db = Db::connect(&db_url, 2).await.unwrap();
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let mut lost = 0;
    for email in &tally.accepted {
        if users::find_by_email(&db.pool, email).await.unwrap().is_none() {
            lost += 1;
        }
    }

    let total: u64 = tally.answers.values().sum();
    println!("\n== sign-up flood {label}: {connections} connections for {seconds} s, {total} sign-ups posted");
    for (answer, n) in &tally.answers {
        println!("  {answer}: {n}");
    }
    println!("  accepted sign-ups missing from the database: {lost} of {}", tally.accepted.len());
    let p99 = |ms: &[f64]| {
        let mut v = ms.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        percentile(&v, 0.99)
    };
    summary("home page, idle", idle.clone());
    summary("home page, during the flood", during.clone());
    println!("home p99 during / idle: {:.1}×", p99(&during) / p99(&idle));
    println!("resident memory: {:.0} MB idle, {:.0} MB at the peak of the flood", rss_idle as f64 / 1024.0, peak_rss as f64 / 1024.0);
}
