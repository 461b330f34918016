//! Storage: sea-orm entities and the queries and mutations over them. Every function takes
//! `&impl ConnectionTrait`, so it runs alike on a pool or inside a transaction. Nothing here
//! decides a business rule.

pub mod admin_units;
pub mod applications;
pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod classifications;
pub mod councils;
pub mod criteria_sets;
pub mod cycles;
pub mod entities;
pub mod funding;
pub mod maps;
pub mod notifications;
pub mod official_units;
pub mod paging;
pub mod partners;
pub mod products;
pub mod programme;
pub mod refresh_tokens;
pub mod reorganisation;
pub mod reports;
pub mod seed;
pub mod subjects;
pub mod traceability;
pub mod trade_events;
pub mod training;
pub mod users;
pub mod webhooks;

use std::time::Duration;

use ocop_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database};
pub use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqlErr, Statement, TransactionTrait,
};

/// Begins a transaction that will write. On SQLite it takes the write lock first (waiting
/// under the busy timeout): a transaction that reads and then writes would otherwise fail at
/// once (`SQLITE_BUSY_SNAPSHOT`, "database is locked") whenever another writer committed in
/// between, which concurrent requests do all the time.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        // A write that changes nothing still takes the lock, as `BEGIN IMMEDIATE` would.
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0").await?;
    }
    Ok(txn)
}

/// Opens a pool for a `sqlite://` or `postgres://` URL. SQLite files are created if missing
/// and opened in WAL mode with a busy timeout, so readers never block the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // 32 MiB of page cache a connection (the default is 2 MiB): the indexes of a
                // million stamps and their scans stay in memory instead of being re-read.
                .pragma("cache_size", "-32768")
                // Statement journals of multi-row writes in memory, not in temporary files.
                .pragma("temp_store", "memory")
        });
    if url.starts_with("sqlite:") {
        options.max_connections(8).min_connections(1);
    } else {
        options.max_connections(32);
    }
    Database::connect(options).await
}

/// Applies pending migrations, then loads the shipped reference data (classifications and
/// document kinds) that is not there yet.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    classifications::load_seeds(db).await?;
    criteria_sets::load_seeds(db).await?;
    optimize(db).await
}

/// Keeps the query planner's statistics current. PostgreSQL's autovacuum does it by itself;
/// SQLite needs `PRAGMA optimize` now and then (it analyzes the tables that grew), or it may
/// pick an index that reads every certificate to show one catalog page. Run at start and by
/// the server's background worker every hour.
pub async fn optimize(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA optimize=0x10002").await?;
    }
    Ok(())
}

/// Brings the planner's statistics up to date at once, after a bulk load.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("ANALYZE").await.map(|_| ())
}

/// JSON text for a column that keeps a structure whole (criteria sets, sheet answers).
pub fn to_json(value: &impl serde::Serialize) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))
}

/// Readiness: the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, "SELECT 1")).await.map(|_| ())
}

pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// A fresh row id: UUID v7, ordered by creation time.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
