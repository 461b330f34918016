//! Both structures of administrative units side by side: since July 2025 a commune often keeps
//! the code of one of the communes merged into it, so a retired unit and a current one may
//! share a code. The code stays unique among current units (those without `valid_to`), and the
//! path (parent's path + code) unique among all.
//!
//! PostgreSQL drops the column's constraint. SQLite cannot drop a column constraint: the table
//! is rebuilt in one transaction, with foreign keys deferred to the commit (the rows go back
//! with the same ids, so every reference to them holds again by then).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &str = "id, code, name, name_folded, kind, level, parent_id, path, valid_from, valid_to, \
                       replaced_by_id, created_at, updated_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("PRAGMA defer_foreign_keys = ON").await?;
                db.execute_unprepared(&format!("CREATE TABLE admin_units_copy AS SELECT {COLUMNS} FROM admin_units"))
                    .await?;
                db.execute_unprepared("DROP TABLE admin_units").await?;
                db.execute_unprepared(
                    r#"CREATE TABLE "admin_units" ( "id" uuid_text NOT NULL PRIMARY KEY, "code" varchar(5) NOT NULL, "name" varchar(200) NOT NULL, "name_folded" varchar(200) NOT NULL, "kind" varchar(32) NOT NULL, "level" varchar(16) NOT NULL, "parent_id" uuid_text NULL, "path" varchar(64) NOT NULL, "valid_from" date_text NULL, "valid_to" date_text NULL, "replaced_by_id" uuid_text NULL, "created_at" timestamp_with_timezone_text NOT NULL, "updated_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "admin_units" ("id"), FOREIGN KEY ("replaced_by_id") REFERENCES "admin_units" ("id") )"#,
                )
                .await?;
                db.execute_unprepared(&format!(
                    "INSERT INTO admin_units ({COLUMNS}) SELECT {COLUMNS} FROM admin_units_copy"
                ))
                .await?;
                db.execute_unprepared("DROP TABLE admin_units_copy").await?;
                db.execute_unprepared(r#"CREATE INDEX "ix_admin_units_parent" ON "admin_units" ("parent_id")"#).await?;
                db.execute_unprepared(r#"CREATE INDEX "ix_admin_units_name_folded" ON "admin_units" ("name_folded")"#)
                    .await?;
            }
            _ => {
                db.execute_unprepared("ALTER TABLE admin_units DROP CONSTRAINT IF EXISTS admin_units_code_key").await?;
                db.execute_unprepared("DROP INDEX IF EXISTS ix_admin_units_path").await?;
            }
        }
        db.execute_unprepared("CREATE UNIQUE INDEX ux_admin_units_path ON admin_units (path)").await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_admin_units_current_code ON admin_units (code) WHERE valid_to IS NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX ix_admin_units_code ON admin_units (code)").await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Going back would need every code unique again, which a registry holding both
        // structures no longer is.
        Err(DbErr::Migration("the two structures of administrative units cannot be folded back into one".into()))
    }
}
