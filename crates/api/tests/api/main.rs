//! API tests through real HTTP against a server spawned per test, each run on SQLite and on
//! PostgreSQL with its own fresh database.

mod helpers;

mod admin_units;
mod audit;
mod auth;
mod authorization;
mod catalog;
mod cycle;
mod errors;
mod health;
mod hostile;
mod imports;
mod integrators;
mod maps;
mod notifications;
mod openapi;
mod partners;
mod programme;
mod registry;
mod reports;
mod scoring;
mod spa;
mod traceability;
mod training;
mod units;
mod users;
