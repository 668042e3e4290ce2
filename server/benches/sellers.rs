//! The seller workspace against a running release server (see `.ci/bench-sellers.sh`):
//! 1. photo processing: a 4000 × 3000 photo-like JPEG (quality 85, a few MB) processed in this
//!    process with the app's own `photos::process` (and its parts: decoding, the stored copies), then
//!    uploaded U times (default 30), one at a time, by the demo seller to products of their shop
//!    (`POST /seller/products/{id}/photos`), photos removed as a product fills up;
//! 2. the server's memory while 8 uploads of that photo run at once: its resident memory idle,
//!    its peak during (VmRSS sampled every 10 ms, and VmHWM reset just before), and after;
//! 3. N products (default 10,000) written straight into the database the way the app lists one
//!    (`catalog::insert_product`), then `GET /product/{id}` for random products, timed over HTTP
//!    (server-rendered HTML), with its query alone timed in this process. Search has its own bench
//!    (`.ci/bench-search.sh`).
//!
//! cargo bench -p server --bench sellers -- --url http://127.0.0.1:3000 --db sqlite://… --pid 1234
//!     [--products 10000] [--uploads 30] [--requests 200]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;
mod support;
use support::catalogue::{write_catalogue, Rng};
use support::*;

use app::backend::db::catalog::{categories, product_detail};
use app::backend::db::{Backend, Db};
use app::backend::photos::{copies_of, process};
use app::domain::photo::{MAX_BYTES, MAX_PHOTOS};
use app::domain::ProductId;
use common::{demo_client, TestApp};
use image::{ImageEncoder, RgbImage};
use reqwest::{multipart, Client, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PHOTO_W: u32 = 4000;
const PHOTO_H: u32 = 3000;
/// Uploads at once in the memory phase.
const AT_ONCE: usize = 8;
/// Products of the demo seller's shop the uploads go to (listed by the bench, no photo at first).
const UPLOAD_PRODUCTS: usize = AT_ONCE;

/// A photo-like `w`×`h` JPEG at quality 85: a sky-to-ground gradient, hills, a lit object with a
/// shadow, fine texture and sensor noise (so it does not compress to nothing: a few MB, as a phone's).
fn photo_jpeg(w: u32, h: u32) -> Vec<u8> {
    const NOISE: f32 = 28.0;
    let mut rng = Rng(7);
    let (fw, fh) = (w as f32, h as f32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (u, v) = (x as f32 / fw, y as f32 / fh);
        let horizon = 0.58 + 0.07 * (u * 9.0).sin() + 0.025 * (u * 31.0 + 1.3).sin();
        let mut px = if v < horizon {
            // Sky: deep blue at the top to a pale haze at the horizon, a few soft clouds.
            let cloud = ((u * 7.0 + (v * 5.0).sin()).sin() * (v * 11.0 + u * 3.0).cos()).max(0.0) * 40.0 * (1.0 - v);
            [70.0 + 120.0 * v + cloud, 120.0 + 90.0 * v + cloud, 200.0 + 30.0 * v + cloud * 0.8]
        } else {
            // Ground: grass and soil with texture at a few scales.
            let t = (x as f32 * 0.09).sin() * (y as f32 * 0.13).cos() * 14.0 + (x as f32 * 0.61 + y as f32 * 0.37).sin() * 9.0;
            let d = (v - horizon) * 1.6;
            [70.0 + 60.0 * d + t, 110.0 - 20.0 * d + t, 45.0 + 30.0 * d + t * 0.5]
        };
        // A lit ball on the grass, and its shadow.
        let (dx, dy) = ((u - 0.62) * fw / fh / 0.18, (v - 0.62) / 0.18);
        let shadow = ((u - 0.64) * fw / fh / 0.2).powi(2) + ((v - 0.79) / 0.04).powi(2);
        if shadow < 1.0 {
            px = px.map(|c| c * (0.55 + 0.45 * shadow));
        }
        if dx * dx + dy * dy < 1.0 {
            let light = (1.2 - 0.6 * (dx + 0.45).hypot(dy + 0.45)).clamp(0.35, 1.25);
            let stripe = if ((dx * 5.0 + dy * 2.0).sin()) > 0.0 { 1.0 } else { 0.8 };
            px = [205.0 * light * stripe, 70.0 * light, 55.0 * light * stripe];
        }
        // Sensor noise.
        let n = rng.next();
        let noise = |shift: u32| ((n >> shift) & 0xFF) as f32 / 255.0 * NOISE - NOISE / 2.0;
        image::Rgb([(px[0] + noise(0)).clamp(0.0, 255.0) as u8, (px[1] + noise(8)).clamp(0.0, 255.0) as u8, (px[2] + noise(16)).clamp(0.0, 255.0) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).unwrap();
    out
}

/// A size field of `/proc/PID/status` (`VmHWM:`, the peak resident memory since the last reset), KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Samples the server's RSS every 10 ms until stopped; the highest seen, KiB.
struct Sampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let (stop, peak) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(rss_kib(pid))));
        let task = {
            let (stop, peak) = (stop.clone(), peak.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        Sampler { stop, peak, task }
    }

    async fn finish(self, pid: u32) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap();
        self.peak.load(Ordering::Relaxed).max(rss_kib(pid))
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Uploads `jpeg` as a photo of `product`, as the seller's page does: (status, body, ms).
async fn upload(app: &TestApp, seller: &Client, product: i64, jpeg: &[u8]) -> (StatusCode, Value, f64) {
    let part = multipart::Part::bytes(jpeg.to_vec()).file_name("IMG_4000x3000.jpg").mime_str("image/jpeg").unwrap();
    let form = multipart::Form::new().part("photo", part);
    let t = Instant::now();
    let res = seller
        .post(app.url(&format!("/seller/products/{product}/photos")))
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body, ms_since(t))
}

/// The seller's products the uploads go to, each with the photos the bench put on it.
struct Targets {
    products: Vec<(i64, Vec<i64>)>,
}

impl Targets {
    /// Lists `n` products in the seller's shop through `save_product`, as the seller's form does.
    async fn list(app: &TestApp, seller: &Client, n: usize, run: i64) -> Targets {
        let mut products = Vec::new();
        for k in 0..n {
            let name = format!("Photo bench stool {k} ({run})");
            let form = [
                ("id", "0"),
                ("product[name]", name.as_str()),
                ("product[description]", "A three-legged oak stool, listed by the photo benchmark."),
                ("product[category]", "kitchen"),
                ("product[price]", "59.00"),
                ("product[stock]", "5"),
                ("product[low_stock]", "1"),
            ];
            let (status, id) = app.call(seller, "save_product", &form).await;
            assert_eq!(status, StatusCode::OK, "save_product: {id}");
            products.push((id.as_i64().unwrap(), Vec::new()));
        }
        Targets { products }
    }

    /// Removes the bench's photos from product `i` once it holds the most a product may (untimed).
    async fn make_room(&mut self, app: &TestApp, seller: &Client, i: usize) {
        let (product, photos) = &mut self.products[i];
        if photos.len() < MAX_PHOTOS {
            return;
        }
        for photo in photos.drain(..) {
            let (status, body) = app.call(seller, "remove_photo", &[("product_id", &product.to_string()), ("photo_id", &photo.to_string())]).await;
            assert_eq!(status, StatusCode::OK, "remove_photo: {body}");
        }
    }

    fn added(&mut self, i: usize, body: &Value) {
        self.products[i].1.push(body["photo_id"].as_i64().expect("a photo id"));
    }
}

/// One row of the final table.
struct Row {
    name: String,
    ms: Vec<f64>,
}

fn row(rows: &mut Vec<Row>, name: &str, ms: Vec<f64>) {
    summary(name, ms.clone());
    rows.push(Row { name: name.to_string(), ms });
}

#[tokio::main]
async fn main() {
    let url = arg("--url").expect("--url of a running server");
    let db_url = arg("--db").expect("--db of the server's database");
    let pid: u32 = arg("--pid").expect("--pid of the server").parse().unwrap();
    let count: usize = arg("--products").and_then(|v| v.parse().ok()).unwrap_or(10_000).max(1);
    let uploads: usize = arg("--uploads").and_then(|v| v.parse().ok()).unwrap_or(30);
    let requests: usize = arg("--requests").and_then(|v| v.parse().ok()).unwrap_or(200);
    let db = Db::connect(&db_url, 2).await.unwrap();
    let app = TestApp::remote(&url);
    let mut rows = Vec::new();
    let rss_start = settled_rss_kib(pid).await;

    // 1a. The photo, and processing it in this process with the app's own code.
    let t = Instant::now();
    let jpeg = photo_jpeg(PHOTO_W, PHOTO_H);
    println!("photo: {PHOTO_W}×{PHOTO_H} JPEG, quality 85, {:.2} MB (made in {:.1} s)", jpeg.len() as f64 / 1e6, t.elapsed().as_secs_f64());
    assert!(jpeg.len() < MAX_BYTES, "the photo is under the upload limit");
    // The memory one photo takes while it is processed, in this process (its peak over its RSS),
    // before anything else is processed here.
    let me = std::process::id();
    if std::fs::write("/proc/self/clear_refs", "5").is_ok() {
        let before = rss_kib(me);
        let processed = process(&jpeg).unwrap();
        let peak = status_kib(me, "VmHWM:");
        drop(processed);
        println!("in-process: one photos::process takes {:.0} MiB at its peak (RSS {:.0} → {:.0} MiB)", mib(peak.saturating_sub(before)), mib(before), mib(peak));
    }
    let rounds = uploads.clamp(1, 10);
    let (mut decode, mut copies, mut resize, mut whole) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut stored = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let picture = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
        decode.push(ms_since(t));
        let t = Instant::now();
        let scaled = picture.resize_exact(1280, 960, image::imageops::FilterType::Triangle);
        resize.push(ms_since(t));
        drop(scaled);
        let t = Instant::now();
        let processed = copies_of(picture).unwrap();
        copies.push(ms_since(t));
        stored = processed.variants.iter().map(|v| v.webp.len()).sum::<usize>();
        let t = Instant::now();
        let processed = process(&jpeg).unwrap();
        whole.push(ms_since(t));
        assert_eq!((processed.width, processed.height), (1280, 960));
    }
    println!("stored copies per photo: 320, 640 and 1280 px WebP, {} KB in all", stored / 1000);
    row(&mut rows, "in-process: photos::process (whole)", whole);
    row(&mut rows, "in-process:   decode the JPEG", decode);
    row(&mut rows, "in-process:   copies_of (3 resizes + 3 WebP)", copies);
    row(&mut rows, "in-process:     of which resize 4000→1280", resize);

    // 1b. The same photo uploaded one at a time by the demo seller.
    let seller = demo_client(&app, "seller@troika.test").await;
    let run = app::backend::clock::now_ms();
    let mut targets = Targets::list(&app, &seller, UPLOAD_PRODUCTS, run).await;
    let (status, body, _) = upload(&app, &seller, targets.products[0].0, &jpeg).await; // warm-up
    assert_eq!(status, StatusCode::CREATED, "{body}");
    targets.added(0, &body);
    let rss_before_uploads = settled_rss_kib(pid).await;
    let sampler = Sampler::start(pid);
    let mut one_at_a_time = Vec::new();
    for n in 0..uploads {
        let i = n % UPLOAD_PRODUCTS;
        targets.make_room(&app, &seller, i).await;
        let (status, body, ms) = upload(&app, &seller, targets.products[i].0, &jpeg).await;
        assert_eq!(status, StatusCode::CREATED, "upload {n}: {body}");
        targets.added(i, &body);
        one_at_a_time.push(ms);
    }
    let peak_sequential = sampler.finish(pid).await;
    row(&mut rows, "upload one at a time (POST, 4000×3000)", one_at_a_time);

    // 2. Eight uploads at once, and the server's memory.
    for i in 0..UPLOAD_PRODUCTS {
        targets.make_room(&app, &seller, i).await;
    }
    let rss_idle = settled_rss_kib(pid).await;
    // Resets the kernel's peak (VmHWM) to the current RSS, so it tells the peak of this phase alone.
    let hwm_reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
    let sampler = Sampler::start(pid);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..AT_ONCE {
        let (app, seller, jpeg, product) = (TestApp::remote(&url), seller.clone(), jpeg.clone(), targets.products[i].0);
        tasks.push(tokio::spawn(async move { upload(&app, &seller, product, &jpeg).await }));
    }
    let mut at_once = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let (status, body, ms) = task.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "concurrent upload {i}: {body}");
        targets.added(i, &body);
        at_once.push(ms);
    }
    let wall = t.elapsed().as_secs_f64();
    let peak_sampled = sampler.finish(pid).await;
    let hwm = status_kib(pid, "VmHWM:");
    let peak = if hwm_reset { peak_sampled.max(hwm) } else { peak_sampled };
    let rss_after = settled_rss_kib(pid).await;
    println!("{AT_ONCE} uploads at once: all answered in {wall:.1} s");
    row(&mut rows, &format!("upload, {AT_ONCE} at once (each, queued included)"), at_once);

    // 3. A catalogue of N products, then search and product pages.
    let setup = Instant::now();
    let now = app::backend::clock::now_ms();
    let catalogue = write_catalogue(&db, count, now).await;
    if db.backend == Backend::Postgres {
        // What autovacuum does within a minute of a bulk load: the planner's statistics.
        sqlx::query("ANALYZE products").execute(&db.pool).await.unwrap();
    }
    let total: i64 = sqlx::query_scalar::<sqlx::Any, i64>("SELECT COUNT(*) FROM products").fetch_one(&db.pool).await.unwrap();
    println!("catalogue: {count} products written in {:.1} s ({total} in all)", setup.elapsed().as_secs_f64());

    let guest = app.client();
    // The category filter's product counts and the product page's query.
    let mut counts = Vec::new();
    for _ in 0..requests.min(50) {
        let t = Instant::now();
        categories(&db.pool, app::domain::locale::Locale::en).await.unwrap();
        counts.push(ms_since(t));
    }
    row(&mut rows, "  catalog::categories alone (counts per category)", counts);
    let mut detail = Vec::new();
    let mut rng = Rng(98);
    for _ in 0..requests.min(50) {
        let (id, _) = &catalogue[rng.below(catalogue.len())];
        let t = Instant::now();
        product_detail(&db.pool, ProductId(*id), app::domain::locale::Locale::en).await.unwrap().expect("a listed product");
        detail.push(ms_since(t));
    }
    let mut rng = Rng(99);
    let mut pages = Vec::new();
    let mut bytes = 0;
    for n in 0..requests + 5 {
        let (id, name) = &catalogue[rng.below(catalogue.len())];
        let t = Instant::now();
        let res = guest.get(app.url(&format!("/product/{id}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "/product/{id}");
        let html = res.text().await.unwrap();
        let ms = ms_since(t);
        assert!(html.contains(name.as_str()), "/product/{id} shows {name}");
        bytes = html.len();
        if n >= 5 {
            pages.push(ms);
        }
    }
    row(&mut rows, &format!("GET /product/{{random id}} [{} KiB]", bytes / 1024), pages);
    row(&mut rows, "  catalog::product_detail alone", detail);

    // The table.
    let backend = match db.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!("\n== seller workspace, {backend}, {total} products in the catalogue");
    let width = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0);
    println!("{:<width$}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}", "ms", "n", "p50", "p90", "p99", "max");
    for r in &rows {
        let mut ms = r.ms.clone();
        ms.sort_by(|a, b| a.total_cmp(b));
        let max = ms.last().copied().unwrap_or(f64::NAN);
        println!(
            "{:<width$}  {:>5}  {:>9.1}  {:>9.1}  {:>9.1}  {:>9.1}",
            r.name,
            ms.len(),
            percentile(&ms, 0.5),
            percentile(&ms, 0.9),
            percentile(&ms, 0.99),
            max
        );
    }
    println!("\nserver resident memory (MiB):");
    let hwm_note = if hwm_reset { format!("10 ms samples {:.1}, VmHWM {:.1}", mib(peak_sampled), mib(hwm)) } else { "10 ms samples; VmHWM could not be reset".to_string() };
    let memory = [
        ("at the start of the bench".to_string(), rss_start, String::new()),
        ("before the uploads one at a time".to_string(), rss_before_uploads, String::new()),
        ("peak during them".to_string(), peak_sequential, "10 ms samples".to_string()),
        (format!("idle, before {AT_ONCE} uploads at once"), rss_idle, String::new()),
        (format!("peak during {AT_ONCE} uploads at once"), peak, hwm_note),
        ("after them (settled)".to_string(), rss_after, String::new()),
    ];
    for (name, kib, note) in memory {
        println!("  {name:<36} {:>8.1}  {note}", mib(kib));
    }
    println!("  {:<36} {:>8.1}", format!("peak over idle, {AT_ONCE} at once"), mib(peak.saturating_sub(rss_idle)));
    println!("  {:<36} {:>8.1}", "peak over idle, one at a time", mib(peak_sequential.saturating_sub(rss_before_uploads)));
}
