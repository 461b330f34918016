//! Argon2id password hashes (PHC strings).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

pub fn hash(password: &str) -> Result<String, HashError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
}

/// `false` for a wrong password and for a stored hash that cannot be parsed.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Hashing is slow on purpose: it runs through the gate of heavy work, off the async workers.
pub async fn hash_blocking(heavy: &crate::heavy::Heavy, password: String) -> Result<String, crate::error::ApiError> {
    heavy.run(move || hash(&password)).await?.map_err(crate::error::ApiError::internal)
}

pub async fn verify_blocking(
    heavy: &crate::heavy::Heavy,
    password: String,
    stored: String,
) -> Result<bool, crate::error::ApiError> {
    heavy.run(move || verify(&password, &stored)).await
}
