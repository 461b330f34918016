//! In-app notifications: one row per user and occasion, the occasion's key making a sweep
//! that finds it again a no-op.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000002_create_accounts::Users;
use crate::m20261122_000004_create_registry::{fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Notify::*;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(Notifications)
                    .col(pk_uuid(Id))
                    .col(uuid(UserId))
                    .col(string_len(Kind, 32))
                    .col(string_len(OccasionKey, 200))
                    .col(string_len(TitleVi, 300))
                    .col(string_len(TitleEn, 300))
                    .col(string_len(BodyVi, 1000))
                    .col(string_len(BodyEn, 1000))
                    .col(string_len_null(Link, 300))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone_null(ReadAt))
                    .col(timestamp_with_time_zone_null(MailedAt))
                    .foreign_key(&mut fk(Notifications, UserId, Users::Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_notifications_occasion", Notifications, &["user_id", "occasion_key"]).await?;
        index(manager, "ix_notifications_user", Notifications, &["user_id", "read_at", "created_at"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(sea_query::Table::drop().table(Notify::Notifications).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Notify {
    Notifications,
    Id,
    UserId,
    Kind,
    OccasionKey,
    TitleVi,
    TitleEn,
    BodyVi,
    BodyEn,
    Link,
    CreatedAt,
    ReadAt,
    MailedAt,
}
