//! `AppError`: the one error type that crosses the wire. Each variant has an HTTP status; internal
//! failures carry only a reference id (the details are logged on the server, never sent).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name → message, for forms: the message is shown next to the field that caused it.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Invalid { message: String, fields: FieldErrors },
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Over a rate limit; `retry_after` seconds until the next attempt counts.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u32 },
    /// A request the server could not read: a malformed value (a number that is not one), named.
    #[error("{message}")]
    Malformed { message: String, field: Option<String> },
    /// The service cannot answer right now (the database is unreachable, the sign-in queue is
    /// full): try again after `retry_after` seconds.
    #[error("{message}")]
    Unavailable { message: String, retry_after: u32 },
    #[error("Something went wrong on our side (reference {reference}). Please try again.")]
    Internal { reference: String },
    /// Transport problems seen by the browser (network down, bad response).
    #[error("Could not reach Troika: {0}")]
    Transport(String),
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
            "Please correct the highlighted fields.".to_string()
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
        AppError::Unavailable { message: "Troika is briefly unavailable. Please try again in a few seconds.".into(), retry_after: 5 }
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
            E::MissingArg(m) => AppError::Malformed { message: format!("The form was incomplete: {m} is missing."), field: Some(m) },
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
        Some(f) => format!("The form's {f} field has a value Troika cannot read (a number is expected there)."),
        None => "The form has a value Troika cannot read (a number is expected where words were sent).".to_string(),
    };
    AppError::Malformed { message, field }
}
