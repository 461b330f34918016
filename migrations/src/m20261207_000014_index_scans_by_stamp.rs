//! Counterfeit signals count a stamp's recent scans by client, not only its placed ones: the
//! scans of one stamp in time order are indexed again (the placed-only index it replaces is
//! covered by it).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS ix_stamp_scans_code ON stamp_scans (code, scanned_at)")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_stamp_scans_placed").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_stamp_scans_placed ON stamp_scans (code, scanned_at) WHERE lat IS NOT NULL",
        )
        .await?;
        db.execute_unprepared("DROP INDEX ix_stamp_scans_code").await?;
        Ok(())
    }
}
