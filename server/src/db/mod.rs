//! Storage: picks the backend from `DATABASE_URL`'s scheme, opens the pool with the
//! backend's settings, runs that backend's migrations, and hands out the `Store` and the
//! session store that share the pool.

mod action_sql;
mod attachment_sql;
mod bulk;
mod chart_sql;
mod copy_binary;
mod journal_sql;
mod packed_rows;
mod plan_sql;
mod sql_store;

use crate::sessions::SessionBackend;
use app::ssr::store::Store;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

sql_store::sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
sql_store::sql_store!(PgStore, sqlx::Postgres, "postgres");
journal_sql::journal_sql_store!(SqliteStore, sqlx::Sqlite, "${}");
journal_sql::journal_sql_store!(PgStore, sqlx::Postgres, "CAST(${} AS NUMERIC)");
chart_sql::chart_sql_store!(SqliteStore, sqlx::Sqlite, 50);
chart_sql::chart_sql_store!(PgStore, sqlx::Postgres, 1000);
plan_sql::plan_sql_store!(SqliteStore, sqlx::Sqlite, "${}");
plan_sql::plan_sql_store!(PgStore, sqlx::Postgres, "CAST(${} AS NUMERIC)");
action_sql::action_sql_store!(SqliteStore, sqlx::Sqlite, "${}");
action_sql::action_sql_store!(PgStore, sqlx::Postgres, "CAST(${} AS NUMERIC)");
attachment_sql::attachment_sql_store!(SqliteStore, sqlx::Sqlite);
attachment_sql::attachment_sql_store!(PgStore, sqlx::Postgres);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got '{0}')")]
    UnknownScheme(String),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("session store setup failed: {0}")]
    Sessions(#[source] sqlx::Error),
}

/// An open database: the Store for the services and the session store for the cookies.
pub struct Database {
    pub store: Arc<dyn Store>,
    pub sessions: SessionBackend,
}

pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend_of(url: &str) -> Result<Backend, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(DbError::UnknownScheme(
            url.split(':').next().unwrap_or_default().to_string(),
        ))
    }
}

/// Opens the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<Database, DbError> {
    match backend_of(url)? {
        Backend::Sqlite => {
            let pool = sqlite_pool(url).await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            let sessions = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
            sessions.migrate().await.map_err(DbError::Sessions)?;
            Ok(Database {
                store: Arc::new(SqliteStore::new(pool)),
                sessions: SessionBackend::Sqlite(sessions),
            })
        }
        Backend::Postgres => {
            let pool = PgPoolOptions::new()
                .max_connections(20)
                .acquire_timeout(Duration::from_secs(5))
                .connect(url)
                .await
                .map_err(DbError::Connect)?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            let sessions = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
            sessions.migrate().await.map_err(DbError::Sessions)?;
            Ok(Database {
                store: Arc::new(PgStore::new(pool)),
                sessions: SessionBackend::Postgres(sessions),
            })
        }
    }
}

/// WAL so readers never wait for the writer, foreign keys on (SQLite leaves them off),
/// and a busy timeout so concurrent writers queue instead of failing.
async fn sqlite_pool(url: &str) -> Result<sqlx::SqlitePool, DbError> {
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(DbError::Connect)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // 32 MiB of page cache (the default is 2 MiB): a 100,000-fill import otherwise
        // spills dirty index pages to the WAL mid-transaction and reads them back.
        .pragma("cache_size", "-32768")
        // Statement journals in memory: a multi-row INSERT with foreign keys on keeps one,
        // and in a temporary file it cost 300,000 small writes per 100,000 fills.
        .pragma("temp_store", "memory")
        // Large imports defer the checkpoint and leave a long log behind; once it has been
        // copied back, the file is cut to this size instead of staying at its peak.
        .pragma("journal_size_limit", "67108864")
        .busy_timeout(Duration::from_secs(10));
    let file = opts.get_filename();
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(opts)
        .await
        .map_err(DbError::Connect)
}
