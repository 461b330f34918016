//! Traceability: production batches with their raw-material inputs, lab tests and retained
//! samples; e-stamps issued per batch by background jobs; the scan log; captured EPCIS events.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000002_create_accounts::Users;
use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Trace::*;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(Batches)
                    .col(pk_uuid(Id))
                    .col(uuid(ProductId))
                    .col(uuid(SubjectId))
                    .col(string_len(AreaPath, 64))
                    .col(string_len(Code, 40))
                    .col(date(ProducedOn))
                    .col(double(Quantity))
                    .col(string_len(Unit, 32))
                    .col(date_null(ExpiresOn))
                    .col(string_len(Standard, 200))
                    .col(big_integer(NextSerial))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Batches, ProductId, Registry::Products))
                    .foreign_key(&mut fk(Batches, SubjectId, Registry::Subjects))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_batches_product_code", Batches, &["product_id", "code"]).await?;
        index(manager, "ix_batches_area", Batches, &["area_path"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(BatchInputs)
                    .col(pk_uuid(Id))
                    .col(uuid(BatchId))
                    .col(string_len(Material, 200))
                    .col(double_null(Quantity))
                    .col(string_len(Unit, 32))
                    .col(string_len(Supplier, 200))
                    .col(uuid_null(OriginCommuneId))
                    .col(uuid_null(GrowingAreaId))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(BatchInputs, BatchId, Batches))
                    .foreign_key(&mut fk(BatchInputs, OriginCommuneId, AdminUnits::Table))
                    .foreign_key(&mut fk(BatchInputs, GrowingAreaId, Alias::new("growing_areas")))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_batch_inputs_batch", BatchInputs, &["batch_id"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(LabTests)
                    .col(pk_uuid(Id))
                    .col(uuid(BatchId))
                    .col(string_len(Laboratory, 200))
                    .col(date(TestedOn))
                    .col(boolean(Passed))
                    .col(string_len(Summary, 1000))
                    .col(string_len_null(ReportNumber, 100))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(LabTests, BatchId, Batches))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_lab_tests_batch", LabTests, &["batch_id"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(RetainedSamples)
                    .col(pk_uuid(Id))
                    .col(uuid(BatchId))
                    .col(string_len(KeptAt, 300))
                    .col(date(KeptUntil))
                    .col(string_len(Quantity, 100))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(RetainedSamples, BatchId, Batches))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_retained_samples_batch", RetainedSamples, &["batch_id"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(StampJobs)
                    .col(pk_uuid(Id))
                    .col(uuid(BatchId))
                    .col(integer(Requested))
                    .col(integer(Issued))
                    .col(big_integer(FirstSerial))
                    .col(string_len(Status, 16))
                    .col(string_len_null(Error, 500))
                    .col(uuid_null(CreatedBy))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone_null(FinishedAt))
                    .foreign_key(&mut fk(StampJobs, BatchId, Batches))
                    .foreign_key(&mut fk(StampJobs, CreatedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_stamp_jobs_batch", StampJobs, &["batch_id"]).await?;
        // Stamps are many (a million per job): the code is the key, no foreign keys to check on insert.
        manager
            .create_table(
                sea_query::Table::create()
                    .table(Stamps)
                    .col(string_len(Code, 14).primary_key())
                    .col(uuid(BatchId))
                    .col(big_integer(Serial))
                    .col(timestamp_with_time_zone_null(VoidedAt))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_stamps_batch_serial", Stamps, &["batch_id", "serial"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(StampScans)
                    .col(pk_uuid(Id))
                    .col(string_len(Code, 14))
                    .col(uuid(ProductId))
                    .col(string_len(AreaPath, 64))
                    .col(timestamp_with_time_zone(ScannedAt))
                    .col(double_null(Lat))
                    .col(double_null(Lon))
                    .col(string_len(DeviceClass, 16))
                    .col(string_len(ClientHash, 32))
                    .to_owned(),
            )
            .await?;
        // Every scan is a row: two indexes only (a stamp's scans; recent scans for statistics).
        index(manager, "ix_stamp_scans_code", StampScans, &["code", "scanned_at"]).await?;
        index(manager, "ix_stamp_scans_time", StampScans, &["scanned_at"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(EpcisEvents)
                    .col(pk_uuid(Id))
                    .col(string_len(EventId, 300))
                    .col(string_len(EventType, 32))
                    .col(timestamp_with_time_zone(EventTime))
                    .col(string_len_null(BizStep, 100))
                    .col(text(Body))
                    .col(uuid_null(SubjectId))
                    .col(string_len_null(AreaPath, 64))
                    .col(uuid_null(CaptureId))
                    .col(timestamp_with_time_zone(RecordedAt))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_epcis_events_event_id", EpcisEvents, &["event_id"]).await?;
        index(manager, "ix_epcis_events_time", EpcisEvents, &["event_time"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(EpcisEventEpcs)
                    .col(uuid(EventRowId))
                    .col(string_len(Epc, 300))
                    .primary_key(Index::create().col(EventRowId).col(Epc))
                    .foreign_key(&mut fk(EpcisEventEpcs, EventRowId, EpcisEvents))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_epcis_event_epcs_epc", EpcisEventEpcs, &["epc"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(EpcisCaptures)
                    .col(pk_uuid(Id))
                    .col(string_len(Status, 16))
                    .col(integer(Events))
                    .col(text_null(Errors))
                    .col(uuid_null(SubjectId))
                    .col(uuid_null(CreatedBy))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone_null(FinishedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Trace::*;
        for table in [
            EpcisCaptures,
            EpcisEventEpcs,
            EpcisEvents,
            StampScans,
            Stamps,
            StampJobs,
            RetainedSamples,
            LabTests,
            BatchInputs,
            Batches,
        ] {
            manager.drop_table(sea_query::Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Trace {
    Batches,
    BatchInputs,
    LabTests,
    RetainedSamples,
    StampJobs,
    Stamps,
    StampScans,
    EpcisEvents,
    EpcisEventEpcs,
    EpcisCaptures,
    Id,
    ProductId,
    SubjectId,
    AreaPath,
    Code,
    ProducedOn,
    Quantity,
    Unit,
    ExpiresOn,
    Standard,
    NextSerial,
    CreatedAt,
    UpdatedAt,
    BatchId,
    Material,
    Supplier,
    OriginCommuneId,
    GrowingAreaId,
    Laboratory,
    TestedOn,
    Passed,
    Summary,
    ReportNumber,
    KeptAt,
    KeptUntil,
    Requested,
    Issued,
    FirstSerial,
    Status,
    Error,
    CreatedBy,
    FinishedAt,
    Serial,
    VoidedAt,
    ScannedAt,
    Lat,
    Lon,
    DeviceClass,
    ClientHash,
    EventId,
    EventType,
    EventTime,
    BizStep,
    Body,
    CaptureId,
    RecordedAt,
    EventRowId,
    Epc,
    Events,
    Errors,
}
