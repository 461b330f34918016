//! Schema migrations, applied in order by `ocop migrate` and at server start.

pub use sea_orm_migration::prelude::*;

mod append_only;
mod m20261122_000001_create_admin_units;
mod m20261122_000002_create_accounts;
mod m20261122_000003_create_audit_log;
mod m20261122_000004_create_registry;
mod m20261122_000005_create_scoring;
mod m20261122_000006_create_maps;
mod m20261122_000007_create_trade_events;
mod m20261203_000008_create_partners;
mod m20261203_000009_create_programme_targets;
mod m20261203_000010_create_training_and_funding;
mod m20261203_000011_create_notifications;
mod m20261203_000012_create_traceability;
mod m20261203_000013_scan_counts_and_files;
mod m20261207_000014_index_scans_by_stamp;
mod m20261207_000015_job_claims;
mod m20261207_000016_units_of_both_structures;
mod m20261207_000017_unit_geography;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_admin_units::Migration),
            Box::new(m20261122_000002_create_accounts::Migration),
            Box::new(m20261122_000003_create_audit_log::Migration),
            Box::new(m20261122_000004_create_registry::Migration),
            Box::new(m20261122_000005_create_scoring::Migration),
            Box::new(m20261122_000006_create_maps::Migration),
            Box::new(m20261122_000007_create_trade_events::Migration),
            Box::new(m20261203_000008_create_partners::Migration),
            Box::new(m20261203_000009_create_programme_targets::Migration),
            Box::new(m20261203_000010_create_training_and_funding::Migration),
            Box::new(m20261203_000011_create_notifications::Migration),
            Box::new(m20261203_000012_create_traceability::Migration),
            Box::new(m20261203_000013_scan_counts_and_files::Migration),
            Box::new(m20261207_000014_index_scans_by_stamp::Migration),
            Box::new(m20261207_000015_job_claims::Migration),
            Box::new(m20261207_000016_units_of_both_structures::Migration),
            Box::new(m20261207_000017_unit_geography::Migration),
        ]
    }
}
