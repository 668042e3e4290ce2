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
            DbError::NotFound => AppError::NotFound("Not found.".into()),
            DbError::Conflict(what) => internal(format!("unexpected conflict: {what}")),
            DbError::Other(e) if is_unreachable(&e) => unavailable(e),
            DbError::Other(e) => internal(e),
        }
    }
}
