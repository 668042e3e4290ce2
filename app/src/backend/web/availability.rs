//! A lost database answers fast: while the database is unreachable every page and server function
//! gets a 503 ("briefly unavailable, try again") at once instead of waiting on the pool, and requests
//! in flight when it goes away are answered the same way; when it comes back everything recovers by
//! itself. With Postgres a monitor pings the database on a connection of its own every second; an
//! embedded SQLite file is always "up".

use crate::backend::web::locale::RequestLocale;
use crate::domain::locale::{self, Locale};
use crate::error::AppError;
use crate::i18n::td_string;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::Connection;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the monitor pings, and how long one ping may take.
const EVERY: Duration = Duration::from_secs(1);
const PING_TIMEOUT: Duration = Duration::from_millis(800);
/// A failed ping is tried once more after this before the database counts as down.
const RECHECK: Duration = Duration::from_millis(300);

#[derive(Debug)]
pub struct DbHealth {
    up: watch::Sender<bool>,
}

impl DbHealth {
    pub fn new() -> Arc<DbHealth> {
        Arc::new(DbHealth { up: watch::Sender::new(true) })
    }

    pub fn is_up(&self) -> bool {
        *self.up.borrow()
    }

    pub fn set(&self, up: bool) {
        let was = self.up.send_replace(up);
        if was != up {
            if up {
                tracing::info!("the database answers again");
            } else {
                tracing::error!("the database is unreachable: answering 503 until it is back");
            }
        }
    }

    /// Resolves when the database goes (or is) down.
    pub async fn went_down(&self) {
        let mut rx = self.up.subscribe();
        let _ = rx.wait_for(|up| !*up).await;
    }
}

async fn ping(conn: &mut Option<sqlx::AnyConnection>, url: &str) -> bool {
    let attempt = async {
        if conn.is_none() {
            *conn = Some(sqlx::AnyConnection::connect(url).await?);
        }
        match conn.as_mut() {
            Some(c) => c.ping().await,
            None => Ok(()),
        }
    };
    match tokio::time::timeout(PING_TIMEOUT, attempt).await {
        Ok(Ok(())) => true,
        _ => {
            *conn = None;
            false
        }
    }
}

/// Pings the database at `url` every second on its own connection and records the answer.
pub fn spawn_monitor(health: Arc<DbHealth>, url: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut conn: Option<sqlx::AnyConnection> = None;
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let mut up = ping(&mut conn, &url).await;
            if !up && health.is_up() {
                tokio::time::sleep(RECHECK).await;
                up = ping(&mut conn, &url).await;
            }
            health.set(up);
        }
    })
}

/// A static file (the 503 page's stylesheet among them) needs no database.
fn is_static(path: &str) -> bool {
    path == "/healthz" || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// What the middleware needs: the database's health, and the stylesheet's address (hashed by a
/// release build) for its page.
#[derive(Debug, Clone)]
pub struct Gate {
    pub health: Arc<DbHealth>,
    pub stylesheet: Arc<str>,
}

/// The middleware: 503 at once while the database is down; a request in flight when it goes down
/// is answered 503 too; any HTML page answered 503 becomes the "briefly unavailable" page.
pub async fn availability(State(gate): State<Gate>, req: Request<Body>, next: Next) -> Response {
    let Gate { health, stylesheet } = gate;
    let path = req.uri().path().to_string();
    let l = req.extensions().get::<RequestLocale>().map_or(Locale::en, |r| r.locale);
    if is_static(&path) {
        return next.run(req).await;
    }
    let html = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    let again = if req.method() == Method::GET { req.uri().path_and_query().map_or("/".to_string(), |p| p.to_string()) } else { "/".to_string() };
    if !health.is_up() {
        return unavailable(l, &path, html, &again, &stylesheet);
    }
    let res = tokio::select! {
        res = next.run(req) => res,
        _ = health.went_down() => return unavailable(l, &path, html, &again, &stylesheet),
    };
    let res_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if res.status() == StatusCode::SERVICE_UNAVAILABLE && res_html {
        return unavailable(l, &path, true, &again, &stylesheet);
    }
    res
}

/// The 503 answer: JSON for server functions, the "briefly unavailable" page for browsers.
fn unavailable(l: Locale, path: &str, html: bool, again: &str, stylesheet: &str) -> Response {
    let error = match AppError::briefly_unavailable() {
        AppError::Unavailable { retry_after, .. } => {
            AppError::Unavailable { message: td_string!(l, server.errors.briefly_unavailable).to_string(), retry_after }
        }
        other => other,
    };
    let retry = HeaderValue::from(error.retry_after().unwrap_or(5));
    let mut res = if path.starts_with("/api/") && !html {
        (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "application/json")], serde_json::to_string(&error).unwrap_or_default()).into_response()
    } else if html {
        let again = super::redirect::local_or_home(again);
        (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(page(l, &again, stylesheet))).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response()
    };
    res.headers_mut().insert(header::RETRY_AFTER, retry);
    res
}

fn page(l: Locale, again: &str, stylesheet: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{title} · Troika</title><link rel=\"stylesheet\" href=\"{stylesheet}\"/></head>\
         <body><main id=\"main\" class=\"narrow unavailable\"><h1>{heading}</h1>\
         <p>{body}</p>\
         <p>{form}</p>\
         <p><a class=\"button primary\" href=\"{again}\">{retry}</a></p></main></body></html>",
        lang = locale::code(l),
        title = td_string!(l, errors.unavailable),
        heading = td_string!(l, server.unavailable.heading),
        body = td_string!(l, server.unavailable.body),
        form = td_string!(l, server.unavailable.form),
        retry = td_string!(l, server.unavailable.retry),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unavailable_page_and_answer_speak_the_requests_language() {
        let en = page(Locale::en, "/orders", "/pkg/troika.css");
        assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">") && en.contains("<h1>Troika is briefly unavailable</h1>"));
        assert!(en.contains("<title>Briefly unavailable · Troika</title>") && en.contains("href=\"/orders\">Try again</a>"));
        let fr = page(Locale::fr, "/orders", "/pkg/troika.css");
        assert!(fr.contains("<html lang=\"fr\">") && fr.contains("<h1>Troika est momentanément indisponible</h1>") && fr.contains(">Réessayer</a>"));
        let res = unavailable(Locale::fr, "/api/list_my_orders", false, "/", "/pkg/troika.css");
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(res.headers().contains_key(header::RETRY_AFTER));
    }
}
