//! Programme targets per area, period and indicator (seed 003 §2.2).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000004_create_registry::{fk, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Plan::*;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(ProgrammeTargets)
                    .col(pk_uuid(Id))
                    .col(uuid(AreaUnitId))
                    .col(string_len(AreaPath, 64))
                    .col(integer(PeriodStart))
                    .col(integer(PeriodEnd))
                    .col(string_len(Indicator, 32))
                    .col(double(Value))
                    .col(string_len_null(Source, 300))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(ProgrammeTargets, AreaUnitId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_programme_targets", ProgrammeTargets, &["area_unit_id", "period_end", "indicator"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(sea_query::Table::drop().table(Plan::ProgrammeTargets).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Plan {
    ProgrammeTargets,
    Id,
    AreaUnitId,
    AreaPath,
    PeriodStart,
    PeriodEnd,
    Indicator,
    Value,
    Source,
    CreatedAt,
    UpdatedAt,
}
