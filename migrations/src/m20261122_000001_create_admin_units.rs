use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminUnits::Table)
                    .col(pk_uuid(AdminUnits::Id))
                    .col(string_len_uniq(AdminUnits::Code, 5))
                    .col(string_len(AdminUnits::Name, 200))
                    .col(string_len(AdminUnits::NameFolded, 200))
                    .col(string_len(AdminUnits::Kind, 32))
                    .col(string_len(AdminUnits::Level, 16))
                    .col(uuid_null(AdminUnits::ParentId))
                    .col(string_len(AdminUnits::Path, 64))
                    .col(date_null(AdminUnits::ValidFrom))
                    .col(date_null(AdminUnits::ValidTo))
                    .col(uuid_null(AdminUnits::ReplacedById))
                    .col(timestamp_with_time_zone(AdminUnits::CreatedAt))
                    .col(timestamp_with_time_zone(AdminUnits::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdminUnits::Table, AdminUnits::ParentId)
                            .to(AdminUnits::Table, AdminUnits::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdminUnits::Table, AdminUnits::ReplacedById)
                            .to(AdminUnits::Table, AdminUnits::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_admin_units_parent", AdminUnits::ParentId),
            ("ix_admin_units_path", AdminUnits::Path),
            ("ix_admin_units_name_folded", AdminUnits::NameFolded),
        ] {
            manager.create_index(Index::create().name(name).table(AdminUnits::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AdminUnits::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum AdminUnits {
    Table,
    Id,
    Code,
    Name,
    NameFolded,
    Kind,
    Level,
    ParentId,
    Path,
    ValidFrom,
    ValidTo,
    ReplacedById,
    CreatedAt,
    UpdatedAt,
}
