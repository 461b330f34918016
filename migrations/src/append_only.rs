//! Tables whose rows may be added but never changed or removed (audit trail, move history),
//! enforced by the database whatever path a write takes.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

/// Triggers refusing `UPDATE` and `DELETE` on `table` with "`table` is append-only".
pub async fn forbid_changes(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION '{table} is append-only'; END $$;"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
            ))
            .await?;
        }
        _ => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{op} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
                ))
                .await?;
            }
        }
    }
    Ok(())
}

/// Undoes [`forbid_changes`] where a function was created (SQLite triggers go with the table).
pub async fn drop_function(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Postgres {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP FUNCTION IF EXISTS {table}_append_only() CASCADE;"))
            .await?;
    }
    Ok(())
}
