//! Background jobs that survive a restart and run once among several instances: an EPCIS
//! capture keeps its document until it is stored, and stamp jobs and captures are claimed for
//! a while (`locked_until`) by the instance that works on them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Claims::*;
        // SQLite alters one column per statement.
        for (table, column) in [
            (EpcisCaptures, text_null(Document)),
            (EpcisCaptures, timestamp_with_time_zone_null(LockedUntil)),
            (StampJobs, timestamp_with_time_zone_null(LockedUntil)),
        ] {
            manager.alter_table(Table::alter().table(table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Claims::*;
        for (table, column) in [(EpcisCaptures, Document), (EpcisCaptures, LockedUntil), (StampJobs, LockedUntil)] {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Claims {
    EpcisCaptures,
    StampJobs,
    Document,
    LockedUntil,
}
