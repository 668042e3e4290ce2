//! A lost database: the real server binary on a Postgres cluster of this test's own, which the
//! test stops and starts again. With the database gone, pages and server functions answer 503
//! ("briefly unavailable") within 3 s; once it is back they answer 200 by themselves.
//!
//! Needs PostgreSQL's server binaries: `TROIKA_TEST_PG_BIN` names their folder (the test command
//! sets it, with `TROIKA_TEST_PG_AS`, the command prefix to run them as the `postgres` user when
//! the tests run as root). Skipped without it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::ServerProcess;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A throwaway cluster: initdb'd in a temporary folder, started and stopped with pg_ctl.
struct Cluster {
    bin: PathBuf,
    run_as: Vec<String>,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    fn pg(&self, tool: &str, args: &[&str]) -> bool {
        let tool = self.bin.join(tool);
        let mut cmd = match self.run_as.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(&tool);
                c
            }
            None => Command::new(&tool),
        };
        cmd.args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success())
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn create(bin: &Path, run_as: Vec<String>) -> Cluster {
        let dir = std::env::temp_dir().join(format!("troika-outage-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        // The postgres user must be able to write here.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { bin: bin.to_path_buf(), run_as, dir, port };
        assert!(cluster.pg("initdb", &["-D", &cluster.data(), "-U", "troika", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]), "initdb");
        cluster.start();
        cluster
    }

    fn start(&self) {
        let opts = format!("-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off", self.port, self.dir.display());
        let log = self.dir.join("log").display().to_string();
        assert!(self.pg("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "-t", "60", "-o", &opts, "start"]), "pg_ctl start");
    }

    fn stop(&self) {
        assert!(self.pg("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]), "pg_ctl stop");
    }

    fn url(&self) -> String {
        format!("postgres://troika@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pg("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// (status, seconds taken) of a GET of `path` as a browser asks for a page.
async fn timed_get(client: &reqwest::Client, url: &str) -> (Option<StatusCode>, f64) {
    let started = Instant::now();
    let res = client.get(url).header("accept", "text/html").timeout(Duration::from_secs(30)).send().await;
    (res.ok().map(|r| r.status()), started.elapsed().as_secs_f64())
}

#[tokio::test]
async fn with_postgres_stopped_pages_answer_503_within_3_s_and_recover_by_themselves() {
    let Ok(bin) = std::env::var("TROIKA_TEST_PG_BIN") else {
        return; // no PostgreSQL server binaries named
    };
    let run_as: Vec<String> = std::env::var("TROIKA_TEST_PG_AS").unwrap_or_default().split_whitespace().map(str::to_string).collect();
    let cluster = Cluster::create(Path::new(&bin), run_as);
    let server = ServerProcess::start(&cluster.url()).await;
    let app = &server.app;
    let buyer = app.client();
    assert_eq!(app.sign_in(&buyer, "buyer@troika.test", app::backend::seed::DEMO_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(timed_get(&buyer, &app.url("/")).await.0, Some(StatusCode::OK));

    cluster.stop();
    for path in ["/", "/orders", "/product/1", "/search?q=pan"] {
        let (status, secs) = timed_get(&buyer, &app.url(path)).await;
        assert_eq!(status, Some(StatusCode::SERVICE_UNAVAILABLE), "{path}");
        assert!(secs <= 3.0, "{path} answered in {secs:.1} s");
    }
    let res = buyer.get(app.url("/")).header("accept", "text/html").send().await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    let page = res.text().await.unwrap();
    assert!(page.contains("briefly unavailable"), "the page says what is going on");
    let french = app.client().get(app.url("/")).header("accept", "text/html").header("accept-language", "fr").send().await.unwrap();
    assert_eq!(french.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = french.text().await.unwrap();
    assert!(page.contains("<html lang=\"fr\"") && page.contains("Troika est momentanément indisponible"), "in the visitor's language");
    let started = Instant::now();
    let (status, body) = app.call(&buyer, "list_my_orders", &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.get("Unavailable").is_some(), "{body}");
    assert!(started.elapsed() <= Duration::from_secs(3));
    assert_eq!(reqwest::get(app.url("/healthz")).await.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);

    cluster.start();
    let mut back = None;
    for _ in 0..60 {
        if timed_get(&buyer, &app.url("/orders")).await.0 == Some(StatusCode::OK) {
            back = Some(());
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(back.is_some(), "the site recovers by itself when the database is back");
    let (status, _) = app.call(&buyer, "list_my_orders", &[]).await;
    assert_eq!(status, StatusCode::OK, "still signed in: the session lives in the database");
}
