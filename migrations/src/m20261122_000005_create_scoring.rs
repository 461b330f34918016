//! Scoring: criteria sets, councils and their members, evaluation sessions with attendance,
//! the products on each session with their result, members' score sheets with every submitted
//! revision kept, and certificates.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000002_create_accounts::Users;
use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Scoring::*;
        manager
            .create_table(
                Table::create()
                    .table(CriteriaSets)
                    .col(pk_uuid(Id))
                    .col(string_len_uniq(Code, 64))
                    .col(string_len(Name, 300))
                    .col(string_len_null(Decision, 200))
                    .col(string_len(ClassificationVersion, 16))
                    .col(text(AppliesTo))
                    .col(text(Body))
                    .col(uuid_null(CreatedBy))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Councils)
                    .col(pk_uuid(Id))
                    .col(string_len(Level, 16))
                    .col(uuid(AreaUnitId))
                    .col(string_len(AreaPath, 64))
                    .col(uuid(CycleId))
                    .col(string_len(Name, 300))
                    .col(string_len(DecisionNumber, 64))
                    .col(date(DecisionDate))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Councils, AreaUnitId, AdminUnits::Table))
                    .foreign_key(&mut fk(Councils, CycleId, Registry::Cycles))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_councils_cycle_level", Councils, &["cycle_id", "level"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(CouncilMembers)
                    .col(pk_uuid(Id))
                    .col(uuid(CouncilId))
                    .col(uuid(UserId))
                    .col(string_len(Role, 16))
                    .col(string_len_null(Organisation, 300))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(CouncilMembers, CouncilId, Councils))
                    .foreign_key(&mut fk(CouncilMembers, UserId, Users::Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_council_members_user", CouncilMembers, &["council_id", "user_id"]).await?;
        index(manager, "ix_council_members_user", CouncilMembers, &["user_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationSessions)
                    .col(pk_uuid(Id))
                    .col(uuid(CouncilId))
                    .col(date(HeldOn))
                    .col(string_len_null(Place, 300))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(EvaluationSessions, CouncilId, Councils))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_evaluation_sessions_council", EvaluationSessions, &["council_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(SessionAttendance)
                    .col(pk_uuid(Id))
                    .col(uuid(SessionId))
                    .col(uuid(MemberId))
                    .col(boolean(Present))
                    .foreign_key(&mut fk(SessionAttendance, SessionId, EvaluationSessions))
                    .foreign_key(&mut fk(SessionAttendance, MemberId, CouncilMembers))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_session_attendance", SessionAttendance, &["session_id", "member_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(SessionItems)
                    .col(pk_uuid(Id))
                    .col(uuid(SessionId))
                    .col(uuid(CouncilId))
                    .col(uuid(ApplicationId))
                    .col(uuid(ProductId))
                    .col(uuid(CriteriaSetId))
                    .col(string_len(Level, 16))
                    .col(string_len(Status, 16))
                    .col(integer_null(AverageCenti))
                    .col(integer_null(Spread))
                    .col(boolean(Divergent))
                    .col(integer_null(Star))
                    .col(text_null(FailedMinimums))
                    .col(string_len_null(Decision, 16))
                    .col(string_len_null(ForwardedTo, 16))
                    .col(string_len_null(DiscussionNote, 2000))
                    .col(timestamp_with_time_zone_null(FinalizedAt))
                    .col(uuid_null(FinalizedBy))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(SessionItems, SessionId, EvaluationSessions))
                    .foreign_key(&mut fk(SessionItems, ApplicationId, Registry::Applications))
                    .foreign_key(&mut fk(SessionItems, ProductId, Registry::Products))
                    .foreign_key(&mut fk(SessionItems, CriteriaSetId, CriteriaSets))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_session_items_application", SessionItems, &["session_id", "application_id"]).await?;
        index(manager, "ix_session_items_application", SessionItems, &["application_id"]).await?;
        index(manager, "ix_session_items_product", SessionItems, &["product_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(ScoreSheets)
                    .col(pk_uuid(Id))
                    .col(uuid(ItemId))
                    .col(uuid(MemberId))
                    .col(text(Answers))
                    .col(string_len_null(Comment, 2000))
                    .col(integer(PartA))
                    .col(integer(PartB))
                    .col(integer(PartC))
                    .col(integer(Total))
                    .col(text(FailedMinimums))
                    .col(string_len(Status, 16))
                    .col(integer(Revision))
                    .col(timestamp_with_time_zone_null(SubmittedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(ScoreSheets, ItemId, SessionItems))
                    .foreign_key(&mut fk(ScoreSheets, MemberId, CouncilMembers))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_score_sheets_member", ScoreSheets, &["item_id", "member_id"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(ScoreSheetRevisions)
                    .col(pk_uuid(Id))
                    .col(uuid(SheetId))
                    .col(uuid(ItemId))
                    .col(uuid(MemberId))
                    .col(integer(Revision))
                    .col(text(Answers))
                    .col(string_len_null(Comment, 2000))
                    .col(integer(Total))
                    .col(text(FailedMinimums))
                    .col(uuid(SubmittedBy))
                    .col(timestamp_with_time_zone(SubmittedAt))
                    .foreign_key(&mut fk(ScoreSheetRevisions, SheetId, ScoreSheets))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_score_sheet_revisions", ScoreSheetRevisions, &["sheet_id", "revision"]).await?;
        crate::append_only::forbid_changes(manager, "score_sheet_revisions").await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificates)
                    .col(pk_uuid(Id))
                    .col(string_len_uniq(Number, 64))
                    .col(uuid(ProductId))
                    .col(uuid(ApplicationId))
                    .col(uuid_uniq(ItemId))
                    .col(uuid(SubjectId))
                    .col(string_len(AreaPath, 64))
                    .col(small_integer(Star))
                    .col(integer(ScoreCenti))
                    .col(string_len(Level, 16))
                    .col(string_len(IssuingBody, 300))
                    .col(string_len(DecisionNumber, 64))
                    .col(date(DecisionDate))
                    .col(date(ValidFrom))
                    .col(date(ValidUntil))
                    .col(string_len(Status, 16))
                    .col(string_len_null(RevokedReason, 2000))
                    .col(timestamp_with_time_zone_null(RevokedAt))
                    .col(uuid_null(SupersededBy))
                    .col(uuid_null(IssuedBy))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(Certificates, ProductId, Registry::Products))
                    .foreign_key(&mut fk(Certificates, ApplicationId, Registry::Applications))
                    .foreign_key(&mut fk(Certificates, ItemId, SessionItems))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_certificates_product", Certificates, &["product_id", "status"]).await?;
        index(manager, "ix_certificates_valid_until", Certificates, &["status", "valid_until"]).await?;
        index(manager, "ix_certificates_area", Certificates, &["area_path"]).await?;
        // The level whose queue a forwarded application waits in.
        manager
            .alter_table(
                Table::alter()
                    .table(Registry::Applications)
                    .add_column(string_len_null(EvaluationLevel, 16))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Scoring::*;
        manager
            .alter_table(Table::alter().table(Registry::Applications).drop_column(EvaluationLevel).to_owned())
            .await?;
        crate::append_only::drop_function(manager, "score_sheet_revisions").await?;
        for table in [
            Certificates,
            ScoreSheetRevisions,
            ScoreSheets,
            SessionItems,
            SessionAttendance,
            EvaluationSessions,
            CouncilMembers,
            Councils,
            CriteriaSets,
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Scoring {
    CriteriaSets,
    Councils,
    CouncilMembers,
    EvaluationSessions,
    SessionAttendance,
    SessionItems,
    ScoreSheets,
    ScoreSheetRevisions,
    Certificates,
    Id,
    Code,
    Name,
    Decision,
    ClassificationVersion,
    AppliesTo,
    Body,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Level,
    AreaUnitId,
    AreaPath,
    CycleId,
    DecisionNumber,
    DecisionDate,
    CouncilId,
    UserId,
    Role,
    Organisation,
    HeldOn,
    Place,
    SessionId,
    MemberId,
    Present,
    ApplicationId,
    ProductId,
    CriteriaSetId,
    Status,
    AverageCenti,
    Spread,
    Divergent,
    Star,
    FailedMinimums,
    ForwardedTo,
    DiscussionNote,
    FinalizedAt,
    FinalizedBy,
    ItemId,
    Answers,
    Comment,
    PartA,
    PartB,
    PartC,
    Total,
    Revision,
    SubmittedAt,
    SheetId,
    SubmittedBy,
    Number,
    SubjectId,
    ScoreCenti,
    IssuingBody,
    ValidFrom,
    ValidUntil,
    RevokedReason,
    RevokedAt,
    SupersededBy,
    IssuedBy,
    EvaluationLevel,
}
