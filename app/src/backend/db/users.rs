//! `users` and `shops` rows that concern accounts.

use super::{DbResult, Tx};
use crate::domain::user::{Role, SessionUser};
use crate::domain::UserId;
use sqlx::AssertSqlSafe;
use sqlx::{Any, AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
}

impl UserRow {
    pub fn role(&self) -> Role {
        // The CHECK constraint only allows known roles; fall back to the least privileged one.
        Role::parse(&self.role).unwrap_or(Role::Buyer)
    }

    pub fn to_session_user(&self) -> SessionUser {
        SessionUser { id: UserId(self.id), email: self.email.clone(), display_name: self.display_name.clone(), role: self.role() }
    }
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, role";

pub async fn insert(tx: &mut Tx, email: &str, display_name: &str, password_hash: &str, role: Role, now: i64) -> DbResult<UserId> {
    let id: i64 = sqlx::query_scalar::<Any, i64>(
        "INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(UserId(id))
}

pub async fn find_by_email(pool: &AnyPool, email: &str) -> DbResult<Option<UserRow>> {
    Ok(sqlx::query_as::<Any, UserRow>(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")))
        .bind(email)
        .fetch_optional(pool)
        .await?)
}

pub async fn find_by_id(pool: &AnyPool, id: UserId) -> DbResult<Option<UserRow>> {
    Ok(sqlx::query_as::<Any, UserRow>(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
        .bind(id.0)
        .fetch_optional(pool)
        .await?)
}
