//! Server-side session records (the cookie holds only the id).

use super::DbResult;
use sqlx::{Any, AnyPool};

/// Inserts a new record; `false` when the id is already taken.
pub async fn insert_new(pool: &AnyPool, id: &str, data: &str, expires_at: i64) -> DbResult<bool> {
    let done = sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(data)
        .bind(expires_at)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn upsert(pool: &AnyPool, id: &str, data: &str, expires_at: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The record's data and expiry, unless it has expired.
pub async fn load(pool: &AnyPool, id: &str, now: i64) -> DbResult<Option<(String, i64)>> {
    Ok(sqlx::query_as::<Any, (String, i64)>("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await?)
}

pub async fn delete(pool: &AnyPool, id: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

pub async fn delete_expired(pool: &AnyPool, now: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected())
}
