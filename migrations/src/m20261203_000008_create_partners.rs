//! Partners of the catalog: their API keys (stored hashed) and daily usage, webhook
//! subscriptions, the outbox of catalog events written with the change that raised them, and
//! the delivery log. Plus the indexes the catalog's change fingerprint reads.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000004_create_registry::{Registry, fk, index, unique};
use crate::m20261122_000005_create_scoring::Scoring;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Partners::*;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(Table)
                    .col(pk_uuid(Id))
                    .col(string_len(Name, 300))
                    .col(string_len(Kind, 32))
                    .col(string_len(ContactEmail, 254))
                    .col(string_len_null(Website, 500))
                    .col(boolean(Active))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(ApiKeys)
                    .col(pk_uuid(Id))
                    .col(uuid(PartnerId))
                    .col(string_len(Name, 200))
                    .col(string_len(Prefix, 32))
                    .col(string_len(KeyHash, 64))
                    .col(text(Scopes))
                    .col(integer(RatePerMinute))
                    .col(timestamp_with_time_zone_null(ExpiresAt))
                    .col(timestamp_with_time_zone_null(RevokedAt))
                    .col(uuid_null(ReplacedBy))
                    .col(timestamp_with_time_zone_null(LastUsedAt))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(ApiKeys, PartnerId, Table))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_api_keys_hash", ApiKeys, &["key_hash"]).await?;
        index(manager, "ix_api_keys_partner", ApiKeys, &["partner_id"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(ApiKeyUsage)
                    .col(uuid(KeyId))
                    .col(date(Day))
                    .col(big_integer(Requests))
                    .col(big_integer(Throttled))
                    .primary_key(Index::create().col(KeyId).col(Day))
                    .foreign_key(&mut fk(ApiKeyUsage, KeyId, ApiKeys))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(WebhookSubscriptions)
                    .col(pk_uuid(Id))
                    .col(uuid(PartnerId))
                    .col(string_len(Url, 2000))
                    .col(text(Events))
                    .col(string_len(Secret, 128))
                    .col(boolean(Active))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone(UpdatedAt))
                    .foreign_key(&mut fk(WebhookSubscriptions, PartnerId, Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(OutboxEvents)
                    .col(pk_uuid(Id))
                    .col(string_len(Kind, 64))
                    .col(uuid(ProductId))
                    .col(string_len(DedupKey, 200))
                    .col(text(Payload))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .col(timestamp_with_time_zone_null(DispatchedAt))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_outbox_events_dedup", OutboxEvents, &["dedup_key"]).await?;
        index(manager, "ix_outbox_events_dispatched", OutboxEvents, &["dispatched_at", "id"]).await?;
        manager
            .create_table(
                sea_query::Table::create()
                    .table(WebhookDeliveries)
                    .col(pk_uuid(Id))
                    .col(uuid(EventId))
                    .col(uuid(SubscriptionId))
                    .col(uuid(PartnerId))
                    .col(string_len(Status, 16))
                    .col(integer(Attempts))
                    .col(timestamp_with_time_zone(NextAttemptAt))
                    .col(timestamp_with_time_zone_null(LockedUntil))
                    .col(integer_null(LastStatus))
                    .col(text_null(LastError))
                    .col(timestamp_with_time_zone_null(DeliveredAt))
                    .col(timestamp_with_time_zone(CreatedAt))
                    .foreign_key(&mut fk(WebhookDeliveries, EventId, OutboxEvents))
                    .foreign_key(&mut fk(WebhookDeliveries, SubscriptionId, WebhookSubscriptions))
                    .to_owned(),
            )
            .await?;
        unique(manager, "ux_webhook_deliveries", WebhookDeliveries, &["event_id", "subscription_id"]).await?;
        index(manager, "ix_webhook_deliveries_due", WebhookDeliveries, &["status", "next_attempt_at"]).await?;
        index(manager, "ix_webhook_deliveries_partner", WebhookDeliveries, &["partner_id", "created_at"]).await?;
        // The catalog's fingerprint: the latest change of each table it shows (the next expiry is
        // served by `ix_certificates_valid_until`).
        index(manager, "ix_products_updated_at", Registry::Products, &["updated_at"]).await?;
        index(manager, "ix_subjects_updated_at", Registry::Subjects, &["updated_at"]).await?;
        index(manager, "ix_certificates_updated_at", Scoring::Certificates, &["updated_at"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Partners::*;
        for (name, table) in [
            ("ix_products_updated_at", Registry::Products.into_iden()),
            ("ix_subjects_updated_at", Registry::Subjects.into_iden()),
            ("ix_certificates_updated_at", Scoring::Certificates.into_iden()),
        ] {
            manager.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        for table in [WebhookDeliveries, OutboxEvents, WebhookSubscriptions, ApiKeyUsage, ApiKeys, Table] {
            manager.drop_table(sea_query::Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Partners {
    Table,
    ApiKeys,
    ApiKeyUsage,
    WebhookSubscriptions,
    OutboxEvents,
    WebhookDeliveries,
    Id,
    Name,
    Kind,
    ContactEmail,
    Website,
    Active,
    CreatedAt,
    UpdatedAt,
    PartnerId,
    Prefix,
    KeyHash,
    Scopes,
    RatePerMinute,
    ExpiresAt,
    RevokedAt,
    ReplacedBy,
    LastUsedAt,
    KeyId,
    Day,
    Requests,
    Throttled,
    Url,
    Events,
    Secret,
    ProductId,
    DedupKey,
    Payload,
    DispatchedAt,
    EventId,
    SubscriptionId,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastStatus,
    LastError,
    DeliveredAt,
}
