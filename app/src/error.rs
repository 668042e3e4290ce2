//! `AppError`: the one error type that crosses the wire. Each variant has an HTTP status; internal
//! failures carry only a reference id (the details are logged on the server, never sent).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name → message, for forms: the message is shown next to the field that caused it.
pub type FieldErrors = BTreeMap<String, String>;

/// Its `Display` is the message people read: the texts carried by a variant are already in the
/// request's language (they were written on the server for it); the fixed ones (sign in, no access,
/// internal) follow the request's language on the server, English in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    Invalid { message: String, fields: FieldErrors },
    Unauthenticated,
    Forbidden,
    NotFound(String),
    Conflict(String),
    /// Over a rate limit; `retry_after` seconds until the next attempt counts.
    TooManyRequests { message: String, retry_after: u32 },
    /// A request the server could not read: a malformed value (a number that is not one), named.
    Malformed { message: String, field: Option<String> },
    /// The service cannot answer right now (the database is unreachable, the sign-in queue is
    /// full): try again after `retry_after` seconds.
    Unavailable { message: String, retry_after: u32 },
    Internal { reference: String },
    /// Transport problems seen by the browser (network down, bad response).
    Transport(String),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Invalid { message, .. }
            | AppError::TooManyRequests { message, .. }
            | AppError::Malformed { message, .. }
            | AppError::Unavailable { message, .. } => f.write_str(message),
            AppError::NotFound(message) | AppError::Conflict(message) => f.write_str(message),
            AppError::Unauthenticated => f.write_str(&fixed::unauthenticated()),
            AppError::Forbidden => f.write_str(&fixed::forbidden()),
            AppError::Internal { reference } => f.write_str(&fixed::internal(reference)),
            AppError::Transport(detail) => f.write_str(&fixed::transport(detail)),
        }
    }
}

impl std::error::Error for AppError {}

/// The fixed texts: in the request's language on the server; English in the browser, which carries
/// no translations (and only ever shows these for a failure it saw itself).
#[cfg(feature = "ssr")]
mod fixed {
    use crate::domain::locale::request;
    use crate::i18n::td_string;

    pub fn unauthenticated() -> String {
        td_string!(request(), errors.unauthenticated).to_string()
    }
    pub fn forbidden() -> String {
        td_string!(request(), errors.forbidden).to_string()
    }
    pub fn internal(reference: &str) -> String {
        td_string!(request(), server.errors.internal, reference = reference).to_string()
    }
    pub fn transport(detail: &str) -> String {
        td_string!(request(), server.errors.transport, detail = detail).to_string()
    }
    pub fn correct_fields() -> String {
        td_string!(request(), server.errors.correct_fields).to_string()
    }
    pub fn briefly_unavailable() -> String {
        td_string!(request(), server.errors.briefly_unavailable).to_string()
    }
    pub fn missing(field: &str) -> String {
        td_string!(request(), server.errors.missing, field = field).to_string()
    }
    pub fn unreadable_field(field: &str) -> String {
        td_string!(request(), server.errors.unreadable_field, field = field).to_string()
    }
    pub fn unreadable() -> String {
        td_string!(request(), server.errors.unreadable).to_string()
    }
}

#[cfg(not(feature = "ssr"))]
mod fixed {
    pub fn unauthenticated() -> String {
        "Please sign in to continue.".into()
    }
    pub fn forbidden() -> String {
        "You do not have access to this.".into()
    }
    pub fn internal(reference: &str) -> String {
        format!("Something went wrong on our side (reference {reference}). Please try again.")
    }
    pub fn transport(detail: &str) -> String {
        format!("Could not reach Troika: {detail}")
    }
    pub fn correct_fields() -> String {
        "Please correct the highlighted fields.".into()
    }
    pub fn briefly_unavailable() -> String {
        "Troika is briefly unavailable. Please try again in a few seconds.".into()
    }
    pub fn missing(field: &str) -> String {
        format!("The form was incomplete: {field} is missing.")
    }
    pub fn unreadable_field(field: &str) -> String {
        format!("The form's {field} field has a value Troika cannot read (a number is expected there).")
    }
    pub fn unreadable() -> String {
        "The form has a value Troika cannot read (a number is expected where words were sent).".into()
    }
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid { message: message.into(), fields: FieldErrors::new() }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), message.clone());
        AppError::Invalid { message, fields }
    }

    pub fn from_fields(fields: FieldErrors) -> Self {
        let message = if fields.len() == 1 {
            fields.values().next().cloned().unwrap_or_default()
        } else {
            fixed::correct_fields()
        };
        AppError::Invalid { message, fields }
    }

    /// The message for one form field, if this error is about it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { fields, .. } => fields.get(name).cloned(),
            AppError::Malformed { message, field: Some(f) } if f == name => Some(message.clone()),
            _ => None,
        }
    }

    /// "The database is unreachable": try again shortly.
    pub fn briefly_unavailable() -> Self {
        AppError::Unavailable { message: fixed::briefly_unavailable(), retry_after: 5 }
    }

    /// Seconds to wait before trying again, for the `Retry-After` header.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::TooManyRequests { retry_after, .. } | AppError::Unavailable { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::Malformed { .. } => 400,
            AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) => malformed(&m),
            E::MissingArg(m) => AppError::Malformed { message: fixed::missing(&m), field: Some(m) },
            E::Request(m) | E::Response(m) | E::Deserialization(m) | E::Serialization(m) => {
                AppError::Transport(m)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// A form the server function could not read (`order_id=abc`): which field, in words.
fn malformed(detail: &str) -> AppError {
    // serde_qs says e.g. "failed with reason: invalid digit found in string" and, where it knows,
    // names the field ("… for key `order_id`" / "field `order_id`").
    let field = ["key `", "field `"]
        .iter()
        .find_map(|marker| detail.split_once(marker).and_then(|(_, rest)| rest.split_once('`')).map(|(name, _)| name.to_string()));
    let message = match &field {
        Some(f) => fixed::unreadable_field(f),
        None => fixed::unreadable(),
    };
    AppError::Malformed { message, field }
}
