//! All SQL lives under this module. One `Any` pool serves SQLite (default) and PostgreSQL; queries
//! use `$n` placeholders, valid in both. Where SQL differs (full-text search, transaction start),
//! the code asks `Db::backend`.

pub mod carts;
pub mod catalog;
pub mod earnings;
pub mod claims;
pub mod feed;
pub mod inventory;
pub mod limits;
pub mod mail;
pub mod orders;
pub mod photos;
pub mod reviews;
pub mod sessions;
pub mod shops;
pub mod threads;
pub mod users;

use sqlx::AssertSqlSafe;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Transaction};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("row not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(ref d) if d.is_unique_violation() => {
                DbError::Conflict(d.constraint().map(str::to_string).unwrap_or_else(|| d.message().to_string()))
            }
            other => DbError::Other(other),
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;
pub type Tx = Transaction<'static, Any>;

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The connection URL (Postgres: the live hub opens its own LISTEN connection with it).
    pub url: String,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). For SQLite the file and its folder are
    /// created if missing, and every connection gets WAL, foreign keys and a busy timeout.
    pub async fn connect(url: &str, max_connections: u32) -> DbResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(DbError::Other(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres:, not {url:?}").into(),
            )));
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        // A Postgres server that stops answering is noticed within seconds (and the availability
        // monitor answers 503 meanwhile); SQLite writers queue on its busy timeout instead.
        let acquire_timeout = match backend {
            Backend::Postgres => Duration::from_secs(3),
            Backend::Sqlite => Duration::from_secs(10),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Postgres {
                        // Plans per execution: a prepared search reused with a generic plan scanned
                        // every product instead of using the text index (31 ms for a rare word
                        // instead of 0.2), and the JIT compiler spent ~100 ms on a count over
                        // small tables whose row counts the planner had guessed (never analyzed).
                        sqlx::raw_sql("SET plan_cache_mode = force_custom_plan; SET jit = off;").execute(&mut *conn).await?;
                    }
                    if backend == Backend::Sqlite {
                        sqlx::raw_sql(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                        )
                        .execute(conn)
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Db { pool, backend, url })
    }

    /// Postgres: refreshes the planner's statistics after a bulk load (the demo seed), which
    /// autovacuum would take a while to notice; SQLite plans without them.
    pub async fn analyze(&self) -> DbResult<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Applies the migrations for this backend; start-up fails if one fails.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so
    /// concurrent writers queue on the busy timeout instead of failing to upgrade a read lock.
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Whether the one-off data load `name` (the demo seed) has run.
    pub async fn seed_ran(&self, name: &str) -> DbResult<bool> {
        let n = sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM seed_runs WHERE name = $1").bind(name).fetch_one(&self.pool).await?;
        Ok(n > 0)
    }

    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Sends a Postgres NOTIFY on `channel` (the live hub's wake-up across app servers).
pub async fn notify_channel(pool: &AnyPool, channel: &str, payload: &str) -> DbResult<()> {
    // pg_notify returns void, which the Any driver cannot decode: select a plain number instead.
    sqlx::query("SELECT CAST(1 AS BIGINT) AS sent FROM (SELECT pg_notify($1, $2)) AS n").bind(channel).bind(payload).execute(pool).await?;
    Ok(())
}

/// Claims the one-off data load `name` inside `tx`; `false` when another run claimed it first.
pub async fn claim_seed_run(tx: &mut Tx, name: &str, now: i64) -> DbResult<bool> {
    let done = sqlx::query("INSERT INTO seed_runs (name, ran_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn prepare_sqlite_url(url: &str) -> DbResult<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DbError::Other(sqlx::Error::Io(e)))?;
        }
    }
    let query = if query.contains("mode=") { query.to_string() } else if query.is_empty() { "mode=rwc".into() } else { format!("{query}&mode=rwc") };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A query under construction whose placeholders are numbered as they are added (`$1`, `$2`, …).
#[derive(Default)]
pub struct SqlBuilder {
    pub sql: String,
    args: Vec<Arg>,
}

/// A seller's text in the reader's language, as an SQL expression: the version in the request's
/// language when the seller wrote one, else the original. The arguments name the columns holding
/// the original, its language and the version in the other language (the language code written
/// into the SQL comes from `Locale`, never from input).
pub fn in_readers_language(original: &str, language: &str, translated: &str) -> String {
    let reader = crate::domain::locale::code(crate::domain::locale::request());
    format!("CASE WHEN {language} <> '{reader}' AND {translated} IS NOT NULL AND {translated} <> '' THEN {translated} ELSE {original} END")
}

/// An order line's product name in the reader's language (`order_items` as `i`, or unaliased).
pub fn line_name(table: &str) -> String {
    in_readers_language(&format!("{table}product_name"), &format!("{table}product_name_language"), &format!("{table}product_name_translated"))
}

/// A product's name in the reader's language (`products` as `p`).
pub fn product_name() -> String {
    in_readers_language("p.name", "p.text_language", "p.name_translated")
}

pub enum Arg {
    Int(i64),
    Text(String),
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        SqlBuilder { sql: sql.to_string(), args: Vec::new() }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Takes over another builder's arguments (for a query that embeds that builder's SQL).
    pub fn args_from(&mut self, other: &SqlBuilder) -> &mut Self {
        self.args.extend(other.args.iter().map(|a| match a {
            Arg::Int(i) => Arg::Int(*i),
            Arg::Text(s) => Arg::Text(s.clone()),
        }));
        self
    }

    /// Adds a bound value and writes its placeholder.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        let n = self.args.len();
        self.sql.push_str(&format!("${n}"));
        self
    }

    pub async fn fetch_all<T>(&self, pool: &AnyPool) -> DbResult<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut q = sqlx::query_as::<Any, T>(AssertSqlSafe(self.sql.as_str()));
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.clone()),
            };
        }
        Ok(q.fetch_all(pool).await?)
    }

    /// For a `SELECT COUNT(*) …` query.
    pub async fn fetch_count(&self, pool: &AnyPool) -> DbResult<i64> {
        let rows = self.fetch_all::<(i64,)>(pool).await?;
        rows.first().map(|r| r.0).ok_or(DbError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("troika-url-{}", std::process::id()));
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), format!("sqlite://{}/x.db?mode=rwc", dir.display()));
        assert!(dir.exists());
        assert_eq!(prepare_sqlite_url("sqlite::memory:").unwrap(), "sqlite://:memory:?mode=rwc");
    }

    #[test]
    fn builder_numbers_placeholders_in_order() {
        let mut b = SqlBuilder::new("SELECT 1 WHERE a = ");
        b.bind(Arg::Int(1)).push(" AND b = ").bind(Arg::Text("x".into()));
        assert_eq!(b.sql, "SELECT 1 WHERE a = $1 AND b = $2");
    }
}
