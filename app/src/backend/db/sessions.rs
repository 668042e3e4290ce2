//! Server-side session records (the cookie holds only the id), with the person they belong to.

use super::DbResult;
use crate::domain::UserId;
use sqlx::{Any, AnyPool};

/// Inserts a new record; `false` when the id is already taken.
pub async fn insert_new(pool: &AnyPool, id: &str, data: &str, expires_at: i64, user: Option<i64>) -> DbResult<bool> {
    let done = sqlx::query("INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .bind(user)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Updates an existing record, never creates one: a record deleted meanwhile (signed out, signed
/// out everywhere) stays deleted, whatever a request still in flight had loaded. `false` then.
pub async fn update(pool: &AnyPool, id: &str, data: &str, expires_at: i64, user: Option<i64>) -> DbResult<bool> {
    let done = sqlx::query("UPDATE sessions SET data = $2, expires_at = $3, user_id = $4 WHERE id = $1")
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .bind(user)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The record's data and expiry, unless it has expired.
pub async fn load(pool: &AnyPool, id: &str, now: i64) -> DbResult<Option<(String, i64)>> {
    Ok(sqlx::query_as::<Any, (String, i64)>("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await?)
}

/// Moves a live record's expiry (activity keeps a session open up to its limits).
pub async fn extend(pool: &AnyPool, id: &str, expires_at: i64, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE sessions SET expires_at = $2 WHERE id = $1 AND expires_at > $3")
        .bind(id)
        .bind(expires_at)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether session `id` is still open and still `user`'s (live streams check this).
pub async fn is_open(pool: &AnyPool, id: &str, user: UserId, now: i64) -> DbResult<bool> {
    let n = sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM sessions WHERE id = $1 AND user_id = $2 AND expires_at > $3")
        .bind(id)
        .bind(user.0)
        .bind(now)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

pub async fn delete(pool: &AnyPool, id: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// Ends every session of `user` but `keep` (the one making the change, if any).
pub async fn delete_of_user(pool: &AnyPool, user: UserId, keep: Option<&str>) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user.0)
        .bind(keep.unwrap_or(""))
        .execute(pool)
        .await?
        .rows_affected())
}

pub async fn delete_expired(pool: &AnyPool, now: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected())
}
