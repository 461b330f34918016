//! The HTTP API: actix-web handlers, DTOs, authentication, errors and the OpenAPI document.

pub mod areas;
pub mod auth;
pub mod caches;
pub mod dto;
pub mod error;
pub mod extract;
pub mod files;
pub mod geo_import;
pub mod geojson;
pub mod guard;
pub mod heavy;
pub mod links;
pub mod moves;
pub mod notify;
pub mod openapi;
pub mod outbound;
pub mod paging;
pub mod pdf;
pub mod registry;
pub mod routes;
pub mod schemas;
pub mod sheets;
pub mod spa;
pub mod stamps;
pub mod startup;
pub mod state;
pub mod webhooks;
pub mod workers;

pub use startup::{Application, openapi_document};
pub use state::{ApiConfig, StampQuota};
