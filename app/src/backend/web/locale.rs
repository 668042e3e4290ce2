//! Which language a request is answered in, and the switch between them.
//!
//! In order: a language in a storefront address (`/fr/product/12`: the address is rewritten to
//! `/product/12` before routing, so every page exists in both); for a server function, the language
//! of the page that called it (its `Referer`); the visitor's choice (the `troika_lang` cookie, set by
//! the switcher and, at sign-in, from the account); the browser's `Accept-Language`; English.
//! A personal page asked for with a language in its address (`/fr/orders`) is redirected to its one
//! address: it follows the person's choice.

use crate::backend::db::users;
use crate::backend::state::AppState;
use crate::backend::web::redirect::local_or_home;
use crate::domain::locale::{self, Locale};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The language of this request (a request extension, and so in the page's context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLocale {
    pub locale: Locale,
    /// The language came from the address: the page's links keep it.
    pub in_url: bool,
}

tokio::task_local! {
    /// The request's language for code outside the Leptos context (plain axum handlers such as the
    /// photo uploads): set around the whole request by `negotiate`.
    static TASK_LOCALE: RequestLocale;
}

/// One year, in seconds: how long the visitor's choice is kept.
const COOKIE_MAX_AGE: u32 = 365 * 24 * 3600;

/// The middleware, around the whole router (it must run before routing to rewrite addresses).
pub async fn negotiate(mut req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let from_url = locale::split_prefix(&path);
    let chosen = match from_url {
        Some((locale, rest)) if locale::is_storefront(rest) => {
            let rewritten = with_path(req.uri(), rest);
            *req.uri_mut() = rewritten;
            RequestLocale { locale, in_url: true }
        }
        Some((_, rest)) if !path.starts_with("/pkg/") => {
            let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
            return Redirect::permanent(&local_or_home(&format!("{rest}{query}"))).into_response();
        }
        _ => RequestLocale { locale: preferred(req.headers(), path.starts_with("/api/")), in_url: false },
    };
    req.extensions_mut().insert(chosen);
    let mut res = TASK_LOCALE.scope(chosen, next.run(req)).await;
    // The same address answers in the visitor's language: a shared cache must keep them apart.
    if !chosen.in_url && res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")) {
        res.headers_mut().append(header::VARY, HeaderValue::from_static("cookie, accept-language"));
    }
    res
}

fn with_path(uri: &Uri, path: &str) -> Uri {
    let pq = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    pq.parse().unwrap_or_else(|_| uri.clone())
}

/// The language for a request without one in its address.
fn preferred(headers: &HeaderMap, server_fn: bool) -> Locale {
    let from_page = || {
        server_fn
            .then(|| headers.get(header::REFERER)?.to_str().ok()?.parse::<Uri>().ok())
            .flatten()
            .and_then(|u| locale::split_prefix(u.path()).map(|(l, _)| l))
    };
    from_page().or_else(|| cookie(headers)).or_else(|| {
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(locale::from_accept_language)
    })
    .unwrap_or(Locale::en)
}

/// The visitor's choice, from the cookie.
fn cookie(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == locale::COOKIE)
        .and_then(|c| locale::from_code(c.value()))
}

/// The `Set-Cookie` value that keeps `locale` for the visitor.
pub fn cookie_header(locale: Locale) -> HeaderValue {
    let value = format!("{}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly", locale::COOKIE, locale::code(locale));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("troika_lang=en; Path=/"))
}

/// The language of the request being served (a page or a server function); English outside one.
pub fn current() -> RequestLocale {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestLocale>().copied())
        .or_else(|| TASK_LOCALE.try_with(|l| *l).ok())
        .unwrap_or(RequestLocale { locale: Locale::en, in_url: false })
}

/// Keeps `locale` in this response's cookie (from a server function or a page).
pub fn remember(locale: Locale) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(header::SET_COOKIE, cookie_header(locale));
    }
}

/// `POST /language` (`lang=fr`, `back=/product/12`): the switcher on every page. Keeps the choice in
/// the cookie and on the account of whoever is signed in, and returns to the page, now in the chosen
/// language (a storefront address in the other language becomes this one). Works without JavaScript.
pub async fn switch(State(state): State<AppState>, session: Session, axum::Form(form): axum::Form<SwitchForm>) -> Response {
    let Some(locale) = locale::from_code(&form.lang) else {
        return (StatusCode::BAD_REQUEST, "lang: choose en or fr.").into_response();
    };
    let back = local_or_home(form.back.as_deref().unwrap_or("/"));
    let back = match locale::split_prefix(back.split(['?', '#']).next().unwrap_or("/")) {
        Some((_, rest)) => {
            let tail = &back[back.find(['?', '#']).unwrap_or(back.len())..];
            locale::localized(locale, &format!("{rest}{tail}"))
        }
        None => back,
    };
    match crate::backend::photos::signed_in(&state, &session).await {
        Ok(Some(user)) => {
            if let Err(e) = users::set_language(&state.db.pool, user.id, locale::code(locale)).await {
                // The cookie still carries the choice for this browser.
                tracing::warn!(error = %e, user = %user.id, "could not keep the language on the account");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "language switch: session unreadable"),
    }
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie_header(locale));
    res
}

#[derive(Debug, serde::Deserialize)]
pub struct SwitchForm {
    pub lang: String,
    pub back: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_names_the_visitors_choice() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("troika_session=abc; troika_lang=fr"));
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en"));
        assert_eq!(preferred(&h, false), Locale::fr);
        h.insert(header::COOKIE, HeaderValue::from_static("troika_lang=xx"));
        assert_eq!(preferred(&h, false), Locale::en);
    }

    #[test]
    fn a_server_function_answers_in_the_language_of_its_page() {
        let mut h = HeaderMap::new();
        h.insert(header::REFERER, HeaderValue::from_static("http://localhost:3000/fr/product/3"));
        h.insert(header::COOKIE, HeaderValue::from_static("troika_lang=en"));
        assert_eq!(preferred(&h, true), Locale::fr);
        assert_eq!(preferred(&h, false), Locale::en);
    }
}
