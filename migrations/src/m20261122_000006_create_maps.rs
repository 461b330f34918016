//! Maps: growing areas (polygons with their bounding box for `bbox` queries), craft villages
//! with their tourism services, and OCOP sales points.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Maps::*;
        manager
            .create_table(
                Table::create()
                    .table(GrowingAreas)
                    .col(pk_uuid(Id))
                    .col(string_len(Code, 32))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len(Crop, 120))
                    .col(string_len(CropFolded, 120))
                    .col(string_len_null(Variety, 120))
                    .col(string_len(CropCycle, 16))
                    .col(integer_null(PlantAgeYears))
                    .col(string_len_null(SeedOrigin, 300))
                    .col(double(DeclaredAreaHa))
                    .col(double(ComputedAreaHa))
                    .col(uuid(SubjectId))
                    .col(uuid(CommuneId))
                    .col(string_len(AreaPath, 64))
                    .col(integer_null(Households))
                    .col(string_len_null(Representative, 200))
                    .col(text(Standards))
                    .col(text(Yields))
                    .col(text(Geometry))
                    .col(double(MinLon))
                    .col(double(MinLat))
                    .col(double(MaxLon))
                    .col(double(MaxLat))
                    .col(boolean(Published))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(GrowingAreas, SubjectId, Registry::Subjects))
                    .foreign_key(&mut fk(GrowingAreas, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_growing_areas_code", GrowingAreas, &["code"]).await?;
        index(manager, "ix_growing_areas_bbox", GrowingAreas, &["min_lon", "max_lon", "min_lat", "max_lat"]).await?;
        index(manager, "ix_growing_areas_area_path", GrowingAreas, &["area_path"]).await?;
        index(manager, "ix_growing_areas_subject", GrowingAreas, &["subject_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(CraftVillages)
                    .col(pk_uuid(Id))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len(Craft, 200))
                    .col(string_len(CraftFolded, 200))
                    .col(string_len_null(DecisionNumber, 64))
                    .col(date_null(RecognisedOn))
                    .col(uuid(CommuneId))
                    .col(string_len(AreaPath, 64))
                    .col(double(Lon))
                    .col(double(Lat))
                    .col(text_null(Description))
                    .col(text(Photos))
                    .col(text(ProductIds))
                    .col(text(Services))
                    .col(boolean(Published))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(CraftVillages, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_craft_villages_point", CraftVillages, &["lon", "lat"]).await?;
        index(manager, "ix_craft_villages_area_path", CraftVillages, &["area_path"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(SalesPoints)
                    .col(pk_uuid(Id))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len(Level, 16))
                    .col(string_len(Operator, 300))
                    .col(string_len(Address, 500))
                    .col(string_len_null(OpeningHours, 200))
                    .col(uuid(CommuneId))
                    .col(string_len(AreaPath, 64))
                    .col(double(Lon))
                    .col(double(Lat))
                    .col(text(ProductIds))
                    .col(boolean(Published))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(SalesPoints, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_sales_points_point", SalesPoints, &["lon", "lat"]).await?;
        index(manager, "ix_sales_points_area_path", SalesPoints, &["area_path"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Maps::*;
        for table in [SalesPoints, CraftVillages, GrowingAreas] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Maps {
    GrowingAreas,
    CraftVillages,
    SalesPoints,
    Id,
    Code,
    Name,
    NameFolded,
    Crop,
    CropFolded,
    Variety,
    CropCycle,
    PlantAgeYears,
    SeedOrigin,
    DeclaredAreaHa,
    ComputedAreaHa,
    SubjectId,
    CommuneId,
    AreaPath,
    Households,
    Representative,
    Standards,
    Yields,
    Geometry,
    MinLon,
    MinLat,
    MaxLon,
    MaxLat,
    Published,
    CreatedAt,
    UpdatedAt,
    Craft,
    CraftFolded,
    DecisionNumber,
    RecognisedOn,
    Lon,
    Lat,
    Description,
    Photos,
    ProductIds,
    Services,
    Level,
    Operator,
    Address,
    OpeningHours,
}
