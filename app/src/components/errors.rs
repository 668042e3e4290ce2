//! Showing errors: inline alerts, and whole-page error states with the right HTTP status.

use crate::components::lang::use_lang;
use crate::error::AppError;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::components::A;

/// Sets the response status while rendering on the server (a no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(opts), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        opts.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A message in a live region, for form-level errors and notices.
#[component]
pub fn Alert(#[prop(into)] message: String, #[prop(default = "error")] kind: &'static str) -> impl IntoView {
    let role = if kind == "error" { "alert" } else { "status" };
    view! { <div class=format!("alert alert-{kind}") role=role>{message}</div> }
}

/// A page that could not be shown, with the status that goes with the error.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status());
    let lang = use_lang();
    let l = lang.locale;
    let (title, body) = match &error {
        AppError::NotFound(m) => (td_string!(l, errors.not_found), m.clone()),
        AppError::Unauthenticated => (td_string!(l, errors.sign_in_title), td_string!(l, errors.unauthenticated).to_string()),
        AppError::Forbidden => (td_string!(l, errors.no_access), td_string!(l, errors.forbidden).to_string()),
        AppError::Unavailable { message, .. } => (td_string!(l, errors.unavailable), message.clone()),
        other => (td_string!(l, errors.went_wrong), other.to_string()),
    };
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <section class="error-page">
            <h1>{title}</h1>
            <p>{body}</p>
            <Show when=move || sign_in>
                <p><A href="/signin">{td_string!(l, errors.sign_in)}</A></p>
            </Show>
            <p><A href=lang.href("/")>{td_string!(l, errors.back_home)}</A></p>
        </section>
    }
}
