//! Where each administrative unit lies, so that maps frame their area and label communes
//! offline: the centroid and bounding box shipped with the official data, and a boundary an
//! admin may import (GeoJSON Polygon or MultiPolygon, CRS84), all optional.

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
    Boundary,
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
            .alter_table(
                Table::alter()
                    .table(AdminUnits::Table)
                    .add_column(ColumnDef::new(AdminUnits::Boundary).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            AdminUnits::Boundary,
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
