pub mod admin_unit;
pub mod audit_log;
pub mod refresh_token;
pub mod user;
