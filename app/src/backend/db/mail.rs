//! The e-mail outbox: notices waiting to be sent, claimed with a lease by the sending job on any
//! server, retried with back-off, marked sent once.

use super::{DbResult, Tx};
use crate::domain::{ThreadId, UserId};
use sqlx::{Any, AnyPool, FromRow};

/// The newest notice for `user` about `thread`: (id, sent_at, send_after).
pub async fn latest_for(tx: &mut Tx, user: UserId, thread: ThreadId) -> DbResult<Option<(i64, Option<i64>, i64)>> {
    Ok(sqlx::query_as::<Any, (i64, Option<i64>, i64)>(
        "SELECT id, sent_at, send_after FROM email_outbox WHERE user_id = $1 AND thread_id = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(user.0)
    .bind(thread.0)
    .fetch_optional(&mut **tx)
    .await?)
}

pub struct NewMail<'a> {
    pub user: UserId,
    pub thread: ThreadId,
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub batch_key: &'a str,
    pub send_after: i64,
}

/// Queues a notice; `false` when one with the same batch key is already queued.
pub async fn insert(tx: &mut Tx, m: &NewMail<'_>, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO email_outbox (user_id, thread_id, kind, subject, body, batch_key, created_at, send_after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (batch_key) DO NOTHING",
    )
    .bind(m.user.0)
    .bind(m.thread.0)
    .bind(m.kind)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.batch_key)
    .bind(now)
    .bind(m.send_after)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A queued notice updated to its latest wording (a later message folded into it).
pub async fn refresh(tx: &mut Tx, id: i64, kind: &str, subject: &str, body: &str) -> DbResult<()> {
    sqlx::query("UPDATE email_outbox SET kind = $2, subject = $3, body = $4 WHERE id = $1 AND sent_at IS NULL")
        .bind(id)
        .bind(kind)
        .bind(subject)
        .bind(body)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, FromRow)]
pub struct DueMail {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Notices due at `now` that nobody holds.
pub async fn due(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar::<Any, i64>(
        "SELECT id FROM email_outbox WHERE sent_at IS NULL AND send_after <= $1 AND (leased_until IS NULL OR leased_until < $1) ORDER BY send_after, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Takes the notice for `lease_ms` (no other server sends it meanwhile) and counts the attempt;
/// `None` when another server took it first or it was sent.
pub async fn lease(pool: &AnyPool, id: i64, now: i64, lease_ms: i64) -> DbResult<Option<DueMail>> {
    let taken = sqlx::query(
        "UPDATE email_outbox SET leased_until = $3, attempts = attempts + 1 \
         WHERE id = $1 AND sent_at IS NULL AND send_after <= $2 AND (leased_until IS NULL OR leased_until < $2)",
    )
    .bind(id)
    .bind(now)
    .bind(now + lease_ms)
    .execute(pool)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(sqlx::query_as::<Any, DueMail>(
        "SELECT m.id, u.email, u.display_name, m.subject, m.body, m.attempts FROM email_outbox m JOIN users u ON u.id = m.user_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn mark_sent(pool: &AnyPool, id: i64, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE email_outbox SET sent_at = $2, leased_until = NULL, last_error = NULL WHERE id = $1").bind(id).bind(now).execute(pool).await?;
    Ok(())
}

/// A failed send waits until `retry_at` and keeps what went wrong.
pub async fn mark_failed(pool: &AnyPool, id: i64, retry_at: i64, error: &str) -> DbResult<()> {
    sqlx::query("UPDATE email_outbox SET send_after = $2, leased_until = NULL, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(retry_at)
        .bind(error)
        .execute(pool)
        .await?;
    Ok(())
}

/// The outbox as (subject, attempts, sent) for tests and the operator.
pub async fn all(pool: &AnyPool) -> DbResult<Vec<(i64, String, i64, Option<i64>, i64)>> {
    Ok(sqlx::query_as::<Any, (i64, String, i64, Option<i64>, i64)>("SELECT user_id, subject, attempts, sent_at, send_after FROM email_outbox ORDER BY id")
        .fetch_all(pool)
        .await?)
}
