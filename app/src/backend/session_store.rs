//! A `tower_sessions` store over our own `sessions` table, so sessions live in whichever database
//! the app runs on (SQLite or Postgres) and survive restarts and load-balanced servers.

use crate::backend::db::{sessions, Db};
use async_trait::async_trait;
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
        sessions::delete_expired(&self.db.pool, crate::backend::clock::now_ms()).await.map_err(backend)
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn expiry_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        // Session ids are random 128-bit numbers; on the rare collision, draw again.
        loop {
            if sessions::insert_new(&self.db.pool, &record.id.to_string(), &data, expiry_ms(record)).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        sessions::upsert(&self.db.pool, &record.id.to_string(), &data, expiry_ms(record)).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = crate::backend::clock::now_ms();
        let Some((data, expires_at)) = sessions::load(&self.db.pool, &id.to_string(), now).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sessions::delete(&self.db.pool, &id.to_string()).await.map_err(backend)
    }
}
