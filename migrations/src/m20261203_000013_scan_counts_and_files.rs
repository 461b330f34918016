//! Stamps keep their scan count and last scan time (added to when scans are written), so a
//! stamp is read without counting its scans; scans with a place get their own small indexes
//! (only they can be far apart). Products get a photo and lab tests their report file.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000004_create_registry::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Files::*;
        // SQLite alters one column per statement.
        let add = |table: Files, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        for alter in [
            add(Stamps, big_integer(ScanCount).default(0).to_owned()),
            add(Stamps, timestamp_with_time_zone_null(LastScannedAt)),
            add(LabTests, string_len_null(ReportName, 200)),
            add(LabTests, string_len_null(ReportType, 100)),
            add(LabTests, string_len_null(ReportSha256, 64)),
            add(Products, string_len_null(PhotoType, 100)),
            add(Products, string_len_null(PhotoSha256, 64)),
        ] {
            manager.alter_table(alter).await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE stamps SET \
               scan_count = (SELECT count(*) FROM stamp_scans s WHERE s.code = stamps.code), \
               last_scanned_at = (SELECT max(s.scanned_at) FROM stamp_scans s WHERE s.code = stamps.code) \
             WHERE code IN (SELECT code FROM stamp_scans)",
        )
        .await?;
        // A stamp's scans are now read only for their places; the counts live on the stamp.
        manager.drop_index(Index::drop().name("ix_stamp_scans_code").table(StampScans).to_owned()).await?;
        for sql in [
            "CREATE INDEX ix_stamp_scans_placed ON stamp_scans (code, scanned_at) WHERE lat IS NOT NULL",
            "CREATE INDEX ix_stamp_scans_placed_time ON stamp_scans (scanned_at) WHERE lat IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        index(manager, "ix_stamps_last_scan", Stamps, &["last_scanned_at"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Files::*;
        for name in ["ix_stamps_last_scan", "ix_stamp_scans_placed", "ix_stamp_scans_placed_time"] {
            manager.get_connection().execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        index(manager, "ix_stamp_scans_code", StampScans, &["code", "scanned_at"]).await?;
        for (table, column) in [
            (Stamps, ScanCount),
            (Stamps, LastScannedAt),
            (LabTests, ReportName),
            (LabTests, ReportType),
            (LabTests, ReportSha256),
            (Products, PhotoType),
            (Products, PhotoSha256),
        ] {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Files {
    Stamps,
    StampScans,
    LabTests,
    Products,
    ScanCount,
    LastScannedAt,
    ReportName,
    ReportType,
    ReportSha256,
    PhotoType,
    PhotoSha256,
}
