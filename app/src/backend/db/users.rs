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

/// Changes `user`'s role from `from` to `to`; `false` when their role was not `from` (someone
/// changed it meanwhile).
pub async fn set_role(tx: &mut Tx, user: UserId, from: Role, to: Role) -> DbResult<bool> {
    let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2 AND role = $3")
        .bind(to.as_str())
        .bind(user.0)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes a line of the roles audit log; `actor` `None`: the server's command line.
pub async fn log_role_change(tx: &mut Tx, user: UserId, actor: Option<UserId>, from: Role, to: Role, now: i64) -> DbResult<()> {
    sqlx::query("INSERT INTO role_changes (user_id, actor_id, from_role, to_role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.0)
        .bind(actor.map(|a| a.0))
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_password_hash(tx: &mut Tx, user: UserId, hash: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user.0).execute(&mut **tx).await?;
    Ok(())
}

/// Everyone who works for the marketplace (mediators, moderators, admins), by role then name.
pub async fn staff(pool: &AnyPool) -> DbResult<Vec<UserRow>> {
    Ok(sqlx::query_as::<Any, UserRow>(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE role IN ('mediator', 'moderator', 'admin') ORDER BY role, display_name, id"
    )))
    .fetch_all(pool)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct RoleChangeRow {
    pub created_at: i64,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub user_name: String,
    pub user_email: String,
    pub from_role: String,
    pub to_role: String,
}

/// The newest `limit` lines of the roles audit log, with the names of who and whom.
pub async fn role_changes(pool: &AnyPool, limit: i64) -> DbResult<Vec<RoleChangeRow>> {
    Ok(sqlx::query_as::<Any, RoleChangeRow>(
        "SELECT c.created_at, a.display_name AS actor_name, a.email AS actor_email, u.display_name AS user_name, \
         u.email AS user_email, c.from_role, c.to_role \
         FROM role_changes c JOIN users u ON u.id = c.user_id LEFT JOIN users a ON a.id = c.actor_id \
         ORDER BY c.created_at DESC, c.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The language `user` reads, if they have chosen one (or signed up in one).
pub async fn language(pool: &AnyPool, user: UserId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar::<Any, Option<String>>("SELECT language FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(pool)
        .await?
        .flatten())
}

/// The language `user` reads, inside a transaction (for what is written to them there).
pub async fn language_in(tx: &mut Tx, user: UserId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar::<Any, Option<String>>("SELECT language FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut **tx)
        .await?
        .flatten())
}

/// Keeps `language` ("en" or "fr") on `user`'s account.
pub async fn set_language(pool: &AnyPool, user: UserId, language: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2").bind(language).bind(user.0).execute(pool).await?;
    Ok(())
}

/// Sets `user`'s language unless they already have one (signing in keeps an earlier choice).
pub async fn set_language_if_unset(pool: &AnyPool, user: UserId, language: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2 AND language IS NULL")
        .bind(language)
        .bind(user.0)
        .execute(pool)
        .await?;
    Ok(())
}
