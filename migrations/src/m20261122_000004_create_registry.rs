//! The registry: classification versions, document kinds, subjects and their upgrades,
//! products, cycles with stage deadlines, applications with their history, dossier documents.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000002_create_accounts::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(crate) fn fk(from: impl IntoIden, column: impl IntoIden, to: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from_tbl(from).from_col(column).to_tbl(to).to_col(Alias::new("id")).to_owned()
}

pub(crate) async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: &[&str],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(Alias::new(*column));
    }
    manager.create_index(index.to_owned()).await
}

pub(crate) async fn unique(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: &[&str],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for column in columns {
        index.col(Alias::new(*column));
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Registry::*;
        manager
            .create_table(
                Table::create()
                    .table(ClassificationVersions)
                    .col(pk_uuid(Id))
                    .col(string_len_uniq(Code, 16))
                    .col(string_len(Name, 300))
                    .col(string_len(Decision, 200))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassificationNodes)
                    .col(pk_uuid(Id))
                    .col(uuid(VersionId))
                    .col(uuid_null(ParentId))
                    .col(string_len(Code, 32))
                    .col(string_len(Name, 300))
                    .col(string_len(NameEn, 300))
                    .col(string_len(Level, 16))
                    .col(boolean(IsService))
                    .col(integer(Sort))
                    .foreign_key(&mut fk(ClassificationNodes, VersionId, ClassificationVersions))
                    .foreign_key(&mut fk(ClassificationNodes, ParentId, ClassificationNodes))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_classification_nodes_code", ClassificationNodes, &["version_id", "code"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentKinds)
                    .col(pk_uuid(Id))
                    .col(uuid(VersionId))
                    .col(string_len(Code, 48))
                    .col(string_len(Name, 300))
                    .col(string_len(NameEn, 300))
                    .col(string_len(Category, 16))
                    .col(string_len_null(RequiredAt, 32))
                    .col(boolean(NotForServices))
                    .col(integer(Sort))
                    .foreign_key(&mut fk(DocumentKinds, VersionId, ClassificationVersions))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_document_kinds_code", DocumentKinds, &["version_id", "code"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Subjects)
                    .col(pk_uuid(Id))
                    .col(string_len(LegalForm, 32))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len_uniq(TaxCode, 20))
                    .col(string_len(Representative, 200))
                    .col(string_len(Phone, 20))
                    .col(string_len_null(Email, 254))
                    .col(string_len(Address, 500))
                    .col(uuid(CommuneId))
                    .col(string_len(AreaPath, 64))
                    .col(date_null(FoundedOn))
                    .col(integer_null(Members))
                    .col(integer_null(Employees))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Subjects, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_subjects_area_path", Subjects, &["area_path"]).await?;
        index(manager, "ix_subjects_name_folded", Subjects, &["name_folded"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(SubjectUpgrades)
                    .col(pk_uuid(Id))
                    .col(uuid(SubjectId))
                    .col(string_len(FromForm, 32))
                    .col(string_len(ToForm, 32))
                    .col(date(UpgradedOn))
                    .col(string_len_null(Note, 1000))
                    .col(uuid_null(RecordedBy))
                    .col(timestamp_with_time_zone(RecordedAt))
                    .foreign_key(&mut fk(SubjectUpgrades, SubjectId, Subjects))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_subject_upgrades_subject", SubjectUpgrades, &["subject_id"]).await?;
        // A producer account is bound to one subject. SQLite cannot add a foreign key to an
        // existing table; PostgreSQL gets one.
        manager.alter_table(Table::alter().table(Users::Table).add_column(uuid_null(SubjectId)).to_owned()).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_foreign_key(
                            TableForeignKey::new()
                                .from_tbl(Users::Table)
                                .from_col(SubjectId)
                                .to_tbl(Subjects)
                                .to_col(Id),
                        )
                        .to_owned(),
                )
                .await?;
        }
        index(manager, "ix_users_subject", Users::Table, &["subject_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Products)
                    .col(pk_uuid(Id))
                    .col(string_len_uniq(Code, 40))
                    .col(integer(CommuneSeq))
                    .col(integer(CodeYear))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len(SearchFolded, 800))
                    .col(uuid(ClassificationNodeId))
                    .col(string_len(GroupCode, 32))
                    .col(boolean(IsService))
                    .col(uuid(SubjectId))
                    .col(uuid(CommuneId))
                    .col(string_len(AreaPath, 64))
                    .col(text_null(Description))
                    .col(text_null(Story))
                    .col(string_len_null(Gtin, 14))
                    .col(string_len(Unit, 32))
                    .col(big_integer_null(PriceVnd))
                    .col(string_len(Status, 16))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Products, ClassificationNodeId, ClassificationNodes))
                    .foreign_key(&mut fk(Products, SubjectId, Subjects))
                    .foreign_key(&mut fk(Products, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_products_commune_seq", Products, &["commune_id", "code_year", "commune_seq"]).await?;
        unique(manager, "ux_products_gtin", Products, &["gtin"]).await?;
        index(manager, "ix_products_subject", Products, &["subject_id"]).await?;
        index(manager, "ix_products_area_path", Products, &["area_path"]).await?;
        index(manager, "ix_products_name_folded", Products, &["name_folded"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Cycles)
                    .col(pk_uuid(Id))
                    .col(integer_uniq(Year))
                    .col(string_len(Name, 300))
                    .col(uuid(ClassificationVersionId))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Cycles, ClassificationVersionId, ClassificationVersions))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CycleStages)
                    .col(pk_uuid(Id))
                    .col(uuid(CycleId))
                    .col(string_len(Stage, 32))
                    .col(date_null(StartsOn))
                    .col(date_null(Deadline))
                    .foreign_key(&mut fk(CycleStages, CycleId, Cycles))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_cycle_stages", CycleStages, &["cycle_id", "stage"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications)
                    .col(pk_uuid(Id))
                    .col(uuid(CycleId))
                    .col(uuid(ProductId))
                    .col(uuid(SubjectId))
                    .col(string_len(AreaPath, 64))
                    .col(string_len(GroupCode, 32))
                    .col(boolean(IsService))
                    .col(string_len(Status, 32))
                    .col(string_len(Stage, 32))
                    .col(integer(DossierVersion))
                    .col(uuid_null(PreviousApplicationId))
                    .col(string_len_null(ReturnedReason, 2000))
                    .col(timestamp_with_time_zone(StatusChangedAt))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Applications, CycleId, Cycles))
                    .foreign_key(&mut fk(Applications, ProductId, Products))
                    .foreign_key(&mut fk(Applications, SubjectId, Subjects))
                    .foreign_key(&mut fk(Applications, PreviousApplicationId, Applications))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_applications_cycle_product", Applications, &["cycle_id", "product_id"]).await?;
        // Covering the progress view's grouped count, and the board's column in waiting order.
        index(manager, "ix_applications_cycle_area_status", Applications, &["cycle_id", "area_path", "status"]).await?;
        index(manager, "ix_applications_cycle_status", Applications, &["cycle_id", "status", "status_changed_at"])
            .await?;
        index(manager, "ix_applications_cycle_stage", Applications, &["cycle_id", "stage"]).await?;
        index(manager, "ix_applications_subject", Applications, &["subject_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvents)
                    .col(pk_uuid(Id))
                    .col(uuid(ApplicationId))
                    .col(string_len(Action, 32))
                    .col(string_len_null(FromStatus, 32))
                    .col(string_len(ToStatus, 32))
                    .col(string_len_null(Note, 2000))
                    .col(uuid_null(ActorId))
                    .col(string_len_null(ActorName, 200))
                    .col(timestamp_with_time_zone(OccurredAt))
                    .foreign_key(&mut fk(ApplicationEvents, ApplicationId, Applications))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_application_events_application", ApplicationEvents, &["application_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Documents)
                    .col(pk_uuid(Id))
                    .col(uuid(ApplicationId))
                    .col(uuid(KindId))
                    .col(string_len(FileName, 200))
                    .col(string_len(ContentType, 100))
                    .col(big_integer(SizeBytes))
                    .col(string_len(Sha256, 64))
                    .col(string_len(StorageKey, 200))
                    .col(string_len(Review, 16))
                    .col(string_len_null(ReviewComment, 2000))
                    .col(uuid_null(ReviewedBy))
                    .col(timestamp_with_time_zone_null(ReviewedAt))
                    .col(uuid_null(UploadedBy))
                    .col(timestamp_with_time_zone(UploadedAt))
                    .col(uuid_null(CarriedFromId))
                    .col(timestamp_with_time_zone_null(SupersededAt))
                    .foreign_key(&mut fk(Documents, ApplicationId, Applications))
                    .foreign_key(&mut fk(Documents, KindId, DocumentKinds))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_documents_application", Documents, &["application_id"]).await?;
        // The history of moves is append-only, like the audit trail.
        crate::append_only::forbid_changes(manager, "application_events").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Registry::*;
        crate::append_only::drop_function(manager, "application_events").await?;
        for table in [Documents, ApplicationEvents, Applications, CycleStages, Cycles, Products, SubjectUpgrades] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_index(Index::drop().name("ix_users_subject").table(Users::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Users::Table).drop_column(SubjectId).to_owned()).await?;
        for table in [Subjects, DocumentKinds, ClassificationNodes, ClassificationVersions] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Registry {
    ClassificationVersions,
    ClassificationNodes,
    DocumentKinds,
    Subjects,
    SubjectUpgrades,
    Products,
    Cycles,
    CycleStages,
    Applications,
    ApplicationEvents,
    Documents,
    Id,
    Code,
    Name,
    NameEn,
    NameFolded,
    SearchFolded,
    Decision,
    CreatedAt,
    UpdatedAt,
    VersionId,
    ParentId,
    Level,
    IsService,
    Sort,
    Category,
    RequiredAt,
    NotForServices,
    LegalForm,
    TaxCode,
    Representative,
    Phone,
    Email,
    Address,
    CommuneId,
    AreaPath,
    FoundedOn,
    Members,
    Employees,
    SubjectId,
    FromForm,
    ToForm,
    UpgradedOn,
    Note,
    RecordedBy,
    RecordedAt,
    CommuneSeq,
    CodeYear,
    ClassificationNodeId,
    GroupCode,
    Description,
    Story,
    Gtin,
    Unit,
    PriceVnd,
    Status,
    Year,
    ClassificationVersionId,
    CycleId,
    Stage,
    StartsOn,
    Deadline,
    ProductId,
    DossierVersion,
    PreviousApplicationId,
    ReturnedReason,
    StatusChangedAt,
    ApplicationId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    ActorName,
    OccurredAt,
    KindId,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    Review,
    ReviewComment,
    ReviewedBy,
    ReviewedAt,
    UploadedBy,
    UploadedAt,
    CarriedFromId,
    SupersededAt,
}
