//! Authentication: passwords, tokens, login throttling and the authenticated-user extractor.

pub mod jwt;
pub mod password;
pub mod session;
pub mod throttle;

pub use session::AuthUser;
