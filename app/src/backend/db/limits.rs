//! Rate-limit counters, kept in the database so a limit holds across every app server.

use super::DbResult;
use sqlx::{Any, AnyPool};

/// Counts one hit on `key` at `now` in its window (a window opens with the first hit after the last
/// one closed and lasts `window_ms`); returns the hits in the window, this one included, and when
/// the window opened. One statement, so concurrent hits (on any server) never lose a count.
pub async fn hit(pool: &AnyPool, key: &str, now: i64, window_ms: i64) -> DbResult<(i64, i64)> {
    Ok(sqlx::query_as::<Any, (i64, i64)>(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start > $3 THEN rate_limits.hits + 1 ELSE 1 END, \
           window_start = CASE WHEN rate_limits.window_start > $3 THEN rate_limits.window_start ELSE excluded.window_start END \
         RETURNING hits, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(now - window_ms)
    .fetch_one(pool)
    .await?)
}

/// Forgets counters whose window opened before `before`.
pub async fn prune(pool: &AnyPool, before: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(before).execute(pool).await?.rows_affected())
}
