//! Every server function, one file per area. Each is thin: who is asking → parse input → call a
//! service → map the error. Endpoints are explicit and stable (`/api/<name>`).

pub mod admin;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod disputes;
pub mod earnings;
pub mod inventory;
pub mod moderation;
pub mod notifications;
pub mod orders;
pub mod reviews;
pub mod shops;
pub mod threads;

/// Gives a failed server function its HTTP status (401, 403, 404, 409, 422, 429, 500), except for
/// plain form posts without JavaScript: those are redirected back to the form, which shows the
/// message, so their status must stay a redirect.
/// A form posted by a browser without JavaScript (it asks for HTML, not JSON).
#[cfg(feature = "ssr")]
pub(crate) fn is_plain_form_post() -> bool {
    use leptos::prelude::use_context;
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    use leptos::prelude::use_context;
    if let Err(err) = &result {
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            if !is_plain_form_post() {
                if let Ok(status) = http::StatusCode::from_u16(err.status()) {
                    opts.set_status(status);
                }
            }
            if let Some(seconds) = err.retry_after() {
                opts.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
        }
    }
    result
}

/// Sends the browser on to `path` after the server function (a 302 for a plain form post). Only a
/// path of this site is followed: anything else (built from input) goes to the home page.
#[cfg(feature = "ssr")]
pub(crate) fn redirect_to(path: &str) {
    leptos_axum::redirect(&crate::backend::web::redirect::local_or_home(path));
}
