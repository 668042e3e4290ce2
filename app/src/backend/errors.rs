//! The step from an internal failure to `AppError`: the one place internal errors are logged, with
//! the request's span, and hidden behind a reference id.

use crate::backend::db::DbError;
use crate::error::AppError;

fn reference() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

/// Logs `err` and returns an `AppError::Internal` carrying only a reference the user can quote.
#[track_caller]
pub fn internal(err: impl std::fmt::Display) -> AppError {
    let reference = reference();
    let at = std::panic::Location::caller();
    tracing::error!(%reference, error = %err, location = %at, "internal error");
    AppError::Internal { reference }
}

/// Logs `err` (the database could not be reached) and answers "briefly unavailable" (503).
#[track_caller]
pub fn unavailable(err: impl std::fmt::Display) -> AppError {
    let reference = reference();
    let at = std::panic::Location::caller();
    tracing::error!(%reference, error = %err, location = %at, "database unavailable");
    AppError::briefly_unavailable()
}

/// Whether a database error means "the database cannot be reached" rather than a fault of ours.
pub fn is_unreachable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed)
}

impl From<DbError> for AppError {
    #[track_caller]
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.errors.not_found).into()),
            DbError::Conflict(what) => internal(format!("unexpected conflict: {what}")),
            DbError::Other(e) if is_unreachable(&e) => unavailable(e),
            DbError::Other(e) => internal(e),
        }
    }
}

/// Plain axum routes (files, streams, uploads) answer an `AppError` as the server functions do: its
/// status and the error as JSON.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self)).into_response()
    }
}

/// A file the browser saves (`filename`), never cached: a seller's catalogue or statement.
pub fn csv_attachment(filename: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
