//! Where each administrative unit lies, so that maps frame their area and label communes
//! offline: the centroid and bounding box shipped with the official data (optional columns),
//! and a boundary an admin may import (GeoJSON Polygon or MultiPolygon, CRS84), kept in a
//! table of its own so that reading units never reads their boundaries.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdminUnits {
    Table,
    Lat,
    Lon,
    MinLon,
    MinLat,
    MaxLon,
    MaxLat,
    Id,
}

#[derive(DeriveIden)]
enum AdminUnitBoundaries {
    Table,
    UnitId,
    Geometry,
    Positions,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            AdminUnits::Lat,
            AdminUnits::Lon,
            AdminUnits::MinLon,
            AdminUnits::MinLat,
            AdminUnits::MaxLon,
            AdminUnits::MaxLat,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AdminUnits::Table)
                        .add_column(ColumnDef::new(column).double().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AdminUnitBoundaries::Table)
                    .col(ColumnDef::new(AdminUnitBoundaries::UnitId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(AdminUnitBoundaries::Geometry).text().not_null())
                    .col(ColumnDef::new(AdminUnitBoundaries::Positions).integer().not_null())
                    .col(ColumnDef::new(AdminUnitBoundaries::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdminUnitBoundaries::Table, AdminUnitBoundaries::UnitId)
                            .to(AdminUnits::Table, AdminUnits::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AdminUnitBoundaries::Table).to_owned()).await?;
        for column in [
            AdminUnits::MaxLat,
            AdminUnits::MaxLon,
            AdminUnits::MinLat,
            AdminUnits::MinLon,
            AdminUnits::Lon,
            AdminUnits::Lat,
        ] {
            manager.alter_table(Table::alter().table(AdminUnits::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
