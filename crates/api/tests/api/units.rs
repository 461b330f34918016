//! Administrative units of both structures in one registry: the schema change that lets a
//! retired unit and a current one share a code, run on a registry in use.

use ocop_migrations::{Migrator, MigratorTrait};
use ocop_persistence::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::helpers::{Backend, demo_hash, postgres_admin_url, postgres_available, with_database};

/// An empty database, dropped (PostgreSQL) or removed (SQLite) at the end.
struct Fresh {
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl Fresh {
    async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("ocop.db").display());
                Some(Self { url, _dir: Some(dir), pg_name: None })
            }
            Backend::Postgres => {
                if !postgres_available().await {
                    return None;
                }
                let name = format!("ocop_units_{}", uuid::Uuid::new_v4().simple());
                let admin = ocop_persistence::connect(&postgres_admin_url()).await.expect("postgres");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create");
                admin.close().await.ok();
                Some(Self { url: with_database(&postgres_admin_url(), &name), _dir: None, pg_name: Some(name) })
            }
        }
    }

    async fn drop_database(&self) {
        if let Some(name) = &self.pg_name {
            let admin = ocop_persistence::connect(&postgres_admin_url()).await.expect("postgres");
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
        }
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

async fn unit(db: &DatabaseConnection, code: &str, path: &str, retired: bool) -> Result<(), ocop_persistence::DbErr> {
    let valid_to = if retired { "'2025-06-30'" } else { "NULL" };
    let now = if db.get_database_backend() == DbBackend::Postgres { "now()" } else { "'2026-12-07T00:00:00Z'" };
    db.execute_unprepared(&format!(
        "INSERT INTO admin_units (id, code, name, name_folded, kind, level, parent_id, path, valid_from, valid_to, \
         replaced_by_id, created_at, updated_at) VALUES ('{}', '{code}', 'Phường Thử', 'phuong thu', 'ward', 'commune', \
         NULL, '{path}', NULL, {valid_to}, NULL, {now}, {now})",
        uuid::Uuid::now_v7()
    ))
    .await
    .map(|_| ())
}

async fn a_registry_in_use_takes_both_structures(backend: Backend) {
    let Some(fresh) = Fresh::new(backend).await else { return };
    let db = ocop_persistence::connect(&fresh.url).await.expect("connect");
    // The registry as it stood before the change, in use: the demo on the previous schema.
    let before_change = u32::try_from(Migrator::migrations().len() - 1).expect("count");
    Migrator::up(&db, Some(before_change)).await.expect("earlier migrations");
    ocop_persistence::classifications::load_seeds(&db).await.expect("classifications");
    ocop_persistence::criteria_sets::load_seeds(&db).await.expect("criteria sets");
    ocop_persistence::seed::demo(&db, &demo_hash()).await.expect("demo");
    let units = count(&db, "SELECT COUNT(*) FROM admin_units").await;
    let users = count(&db, "SELECT COUNT(*) FROM users WHERE admin_unit_id IS NOT NULL").await;
    assert!(unit(&db, "06637", "/22/06637/", true).await.is_err(), "before: a code is unique, even when retired");

    ocop_persistence::migrate(&db).await.expect("the change");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM admin_units").await, units, "every unit kept");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM users u JOIN admin_units a ON a.id = u.admin_unit_id").await,
        users,
        "every officer's unit still found"
    );
    if backend == Backend::Sqlite {
        let broken = db
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA foreign_key_check"))
            .await
            .expect("check");
        assert!(broken.is_empty(), "no reference left dangling");
    }
    // A retired unit may now share its code with a current one; two current ones may not, nor
    // two units share a path.
    unit(&db, "06637", "/22/06637/", true).await.expect("a retired unit with a current unit's code");
    assert!(unit(&db, "06637", "/22/06637x/", false).await.is_err(), "two current units with one code");
    assert!(unit(&db, "99999", "/22/06637/", true).await.is_err(), "two units on one path");
    db.close().await.ok();
    fresh.drop_database().await;
}

#[tokio::test]
async fn a_registry_in_use_takes_both_structures_sqlite() {
    a_registry_in_use_takes_both_structures(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_registry_in_use_takes_both_structures_postgres() {
    a_registry_in_use_takes_both_structures(Backend::Postgres).await;
}
