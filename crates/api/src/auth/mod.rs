//! Authentication: passwords, tokens, login throttling, partners' API keys and the
//! authenticated-user extractor.

pub mod api_key;
pub mod jwt;
pub mod password;
pub mod session;
pub mod throttle;

pub use session::AuthUser;
