//! Pure OCOP rules: no I/O, no framework types. Everything here is decided from its inputs.

pub mod access;
pub mod account;
pub mod admin_unit;
pub mod catalog;
pub mod classification;
pub mod council;
pub mod criteria;
pub mod cycle;
pub mod dossier;
pub mod funding;
pub mod geo;
pub mod notification;
pub mod partner;
pub mod product;
pub mod programme;
pub mod promotion;
pub mod scoring;
pub mod subject;
pub mod text;
pub mod traceability;
pub mod training;
