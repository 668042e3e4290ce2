//! The step from an internal failure to `AppError`: the one place internal errors are logged, with
//! the request's span, and hidden behind a reference id.

use crate::backend::db::DbError;
use crate::error::AppError;

/// Logs `err` and returns an `AppError::Internal` carrying only a reference the user can quote.
#[track_caller]
pub fn internal(err: impl std::fmt::Display) -> AppError {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    let at = std::panic::Location::caller();
    tracing::error!(%reference, error = %err, location = %at, "internal error");
    AppError::Internal { reference }
}

impl From<DbError> for AppError {
    #[track_caller]
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => AppError::NotFound("Not found.".into()),
            DbError::Conflict(what) => internal(format!("unexpected conflict: {what}")),
            DbError::Other(e) => internal(e),
        }
    }
}
