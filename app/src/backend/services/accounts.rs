//! Signing up and signing in.

use crate::backend::auth::{hash_password, verify_password};
use crate::backend::db::{users, Db, DbError};
use crate::domain::user::{NewAccount, Role, SessionUser};
use crate::error::AppError;

#[tracing::instrument(skip_all)]
pub async fn sign_up(db: &Db, account: NewAccount, now: i64) -> Result<SessionUser, AppError> {
    let hash = hash_password(account.password.clone()).await?;
    let mut tx = db.begin().await?;
    let id = match users::insert(&mut tx, &account.email, &account.display_name, &hash, Role::Buyer, now).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            return Err(AppError::invalid_field("email", "An account with this email already exists. Sign in instead."))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await.map_err(DbError::from)?;
    Ok(SessionUser { id, email: account.email, display_name: account.display_name, role: Role::Buyer })
}

/// Checks the credentials. Unknown email and wrong password give the same answer.
#[tracing::instrument(skip_all)]
pub async fn sign_in(db: &Db, email: &str, password: String) -> Result<SessionUser, AppError> {
    let user = users::find_by_email(&db.pool, email).await?;
    let ok = verify_password(user.as_ref().map(|u| u.password_hash.clone()), password).await?;
    match user {
        Some(u) if ok => Ok(u.to_session_user()),
        _ => Err(AppError::invalid_field("password", "That email and password do not match an account.")),
    }
}
