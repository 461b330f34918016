//! Training courses with their participants, and the programme's budget lines.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000002_create_accounts::Users;
use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Programme::*;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(TrainingCourses)
                    .col(pk_uuid(Id))
                    .col(string_len(Title, 300))
                    .col(string_len(TitleFolded, 300))
                    .col(string_len(Kind, 16))
                    .col(string_len(Audience, 16))
                    .col(date(StartsOn))
                    .col(date(EndsOn))
                    .col(string_len(Place, 300))
                    .col(string_len(Organiser, 300))
                    .col(string_len(FundingSource, 16))
                    .col(uuid(AreaUnitId))
                    .col(string_len(AreaPath, 64))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(TrainingCourses, AreaUnitId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_training_courses_area", TrainingCourses, &["area_path", "ends_on"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(TrainingParticipants)
                    .col(pk_uuid(Id))
                    .col(uuid(CourseId))
                    .col(string_len(Kind, 16))
                    .col(string_len(FullName, 200))
                    .col(string_len(PersonKey, 300))
                    .col(uuid_null(UserId))
                    .col(uuid_null(SubjectId))
                    .col(string_len(AreaPath, 64))
                    .col(boolean(Attended))
                    .col(boolean(Completed))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(TrainingParticipants, CourseId, TrainingCourses))
                    .foreign_key(&mut fk(TrainingParticipants, UserId, Users::Table))
                    .foreign_key(&mut fk(TrainingParticipants, SubjectId, Registry::Subjects))
                    .to_owned(),
            )
            .await?;
        // One row per person and course: officials by account, leaders and workers by subject and name.
        unique(manager, "ux_training_participants", TrainingParticipants, &["course_id", "person_key"]).await?;
        index(manager, "ix_training_participants_area", TrainingParticipants, &["area_path"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(BudgetLines)
                    .col(pk_uuid(Id))
                    .col(integer(Year))
                    .col(uuid(AreaUnitId))
                    .col(string_len(AreaPath, 64))
                    .col(string_len(Source, 16))
                    .col(string_len(Activity, 16))
                    .col(string_len(Description, 500))
                    .col(big_integer(PlannedVnd))
                    .col(big_integer(AllocatedVnd))
                    .col(big_integer(DisbursedVnd))
                    .col(uuid_null(CourseId))
                    .col(uuid_null(TradeEventId))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(BudgetLines, AreaUnitId, AdminUnits::Table))
                    .foreign_key(&mut fk(BudgetLines, CourseId, TrainingCourses))
                    .foreign_key(&mut fk(BudgetLines, TradeEventId, Alias::new("trade_events")))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_budget_lines_area_year", BudgetLines, &["area_path", "year"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Programme::*;
        for table in [BudgetLines, TrainingParticipants, TrainingCourses] {
            manager.drop_table(sea_query::Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Programme {
    TrainingCourses,
    TrainingParticipants,
    BudgetLines,
    Id,
    Title,
    TitleFolded,
    Kind,
    Audience,
    StartsOn,
    EndsOn,
    Place,
    Organiser,
    FundingSource,
    AreaUnitId,
    AreaPath,
    CourseId,
    FullName,
    PersonKey,
    UserId,
    SubjectId,
    Attended,
    Completed,
    Year,
    Source,
    Activity,
    Description,
    PlannedVnd,
    AllocatedVnd,
    DisbursedVnd,
    TradeEventId,
    CreatedAt,
    UpdatedAt,
}
