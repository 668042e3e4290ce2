//! A `tower_sessions` store over our own `sessions` table, so sessions live in whichever database
//! the app runs on (SQLite or Postgres) and survive restarts and load-balanced servers.
//!
//! The store keeps each session's limits itself, from what the session says of its person: an idle
//! limit (`SESSION_IDLE_MS`, or `STAFF_SESSION_IDLE_MS` for staff), moved on by activity, and an
//! absolute lifetime from sign-in (`SESSION_LIFETIME_MS`). Saving never recreates a record that was
//! deleted meanwhile (signed out while a request was still in flight).

use crate::backend::auth::{SIGNED_IN_AT_KEY, STAFF_KEY, USER_KEY};
use crate::backend::clock;
use crate::backend::db::{sessions, Db};
use crate::domain::user::{SESSION_IDLE_MS, SESSION_LIFETIME_MS, STAFF_SESSION_IDLE_MS};
use async_trait::async_trait;
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Removes expired records; run periodically.
    pub async fn delete_expired(&self) -> Result<u64> {
        sessions::delete_expired(&self.db.pool, clock::now_ms()).await.map_err(backend)
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

/// What a session's data says of its limits.
struct Limits {
    user: Option<i64>,
    idle_ms: i64,
    ends_at: Option<i64>,
}

impl Limits {
    fn of(data: &HashMap<String, serde_json::Value>) -> Limits {
        let staff = data.get(STAFF_KEY).and_then(serde_json::Value::as_bool).unwrap_or(false);
        Limits {
            user: data.get(USER_KEY).and_then(serde_json::Value::as_i64),
            idle_ms: if staff { STAFF_SESSION_IDLE_MS } else { SESSION_IDLE_MS },
            ends_at: data.get(SIGNED_IN_AT_KEY).and_then(serde_json::Value::as_i64).map(|t| t + SESSION_LIFETIME_MS),
        }
    }

    /// When the session expires if it is used at `now`.
    fn expiry(&self, now: i64) -> i64 {
        let idle = now + self.idle_ms;
        self.ends_at.map_or(idle, |end| idle.min(end))
    }

    /// Activity moves the expiry on at most this often (a write per request would be wasteful).
    fn touch_every(&self) -> i64 {
        (self.idle_ms / 100).clamp(60_000, 3_600_000)
    }
}

fn encode(record: &Record) -> Result<String> {
    serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))
}

fn to_time(ms: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(|e| Error::Decode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = encode(record)?;
        let limits = Limits::of(&record.data);
        let expires_at = limits.expiry(clock::now_ms());
        record.expiry_date = to_time(expires_at)?;
        // Session ids are random 128-bit numbers; on the rare collision, draw again.
        loop {
            if sessions::insert_new(&self.db.pool, &record.id.to_string(), &data, expires_at, limits.user).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = encode(record)?;
        let limits = Limits::of(&record.data);
        let updated = sessions::update(&self.db.pool, &record.id.to_string(), &data, limits.expiry(clock::now_ms()), limits.user)
            .await
            .map_err(backend)?;
        if !updated {
            tracing::debug!("a session ended while a request was using it; not recreated");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = clock::now_ms();
        let key = id.to_string();
        let Some((data, mut expires_at)) = sessions::load(&self.db.pool, &key, now).await.map_err(backend)? else {
            return Ok(None);
        };
        let data: HashMap<String, serde_json::Value> = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let limits = Limits::of(&data);
        let moved = limits.expiry(now);
        if moved - expires_at > limits.touch_every() {
            sessions::extend(&self.db.pool, &key, moved, now).await.map_err(backend)?;
            expires_at = moved;
        }
        Ok(Some(Record { id: *id, data, expiry_date: to_time(expires_at)? }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sessions::delete(&self.db.pool, &id.to_string()).await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(pairs: &[(&str, serde_json::Value)]) -> HashMap<String, serde_json::Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn staff_sessions_idle_out_sooner_and_every_session_ends_thirty_days_after_sign_in() {
        let signed_in = 1_000_000;
        let buyer = Limits::of(&data(&[(USER_KEY, json!(3)), (SIGNED_IN_AT_KEY, json!(signed_in))]));
        assert_eq!(buyer.user, Some(3));
        assert_eq!(buyer.expiry(signed_in), signed_in + SESSION_IDLE_MS);
        // Used every day, it still ends thirty days after sign-in.
        assert_eq!(buyer.expiry(signed_in + 29 * 86_400_000), signed_in + SESSION_LIFETIME_MS);
        let staff = Limits::of(&data(&[(USER_KEY, json!(9)), (STAFF_KEY, json!(true)), (SIGNED_IN_AT_KEY, json!(signed_in))]));
        assert_eq!(staff.expiry(signed_in), signed_in + STAFF_SESSION_IDLE_MS);
        const { assert!(STAFF_SESSION_IDLE_MS <= 12 * 3_600_000) };
        let guest = Limits::of(&data(&[]));
        assert_eq!((guest.user, guest.ends_at), (None, None));
        assert_eq!(staff.touch_every(), STAFF_SESSION_IDLE_MS / 100);
    }
}
