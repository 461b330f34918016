//! Trade promotion: fairs, exhibitions and consumer weeks, with the subjects and products
//! taking part.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_admin_units::AdminUnits;
use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Promotion::*;
        manager
            .create_table(
                Table::create()
                    .table(TradeEvents)
                    .col(pk_uuid(Id))
                    .col(string_len(Name, 300))
                    .col(string_len(NameFolded, 300))
                    .col(string_len(Kind, 32))
                    .col(date(StartsOn))
                    .col(date(EndsOn))
                    .col(string_len(Place, 500))
                    .col(uuid_null(CommuneId))
                    .col(string_len(Organiser, 300))
                    .col(text_null(Description))
                    .col(integer_null(Booths))
                    .col(boolean(Published))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(TradeEvents, CommuneId, AdminUnits::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_trade_events_starts_on", TradeEvents, &["starts_on"]).await?;
        manager
            .create_table(
                Table::create()
                    .table(TradeEventParticipants)
                    .col(pk_uuid(Id))
                    .col(uuid(EventId))
                    .col(uuid(SubjectId))
                    .col(string_len_null(Booth, 64))
                    .col(text(ProductIds))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(TradeEventParticipants, EventId, TradeEvents))
                    .foreign_key(&mut fk(TradeEventParticipants, SubjectId, Registry::Subjects))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_trade_event_participants", TradeEventParticipants, &["event_id", "subject_id"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Promotion::*;
        for table in [TradeEventParticipants, TradeEvents] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Promotion {
    TradeEvents,
    TradeEventParticipants,
    Id,
    Name,
    NameFolded,
    Kind,
    StartsOn,
    EndsOn,
    Place,
    CommuneId,
    Organiser,
    Description,
    Booths,
    Published,
    CreatedAt,
    UpdatedAt,
    EventId,
    SubjectId,
    Booth,
    ProductIds,
}
