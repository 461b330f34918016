//! Accounts: roles, e-mail addresses and the password policy.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    ProvinceOfficer,
    DistrictOfficer,
    CommuneOfficer,
    CouncilMember,
    Producer,
}

impl Role {
    pub const ALL: [Self; 6] = [
        Self::Admin,
        Self::ProvinceOfficer,
        Self::DistrictOfficer,
        Self::CommuneOfficer,
        Self::CouncilMember,
        Self::Producer,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::ProvinceOfficer => "province_officer",
            Self::DistrictOfficer => "district_officer",
            Self::CommuneOfficer => "commune_officer",
            Self::CouncilMember => "council_member",
            Self::Producer => "producer",
        }
    }

    /// Officers act on the subtree of one administrative unit of their own level.
    pub const fn officer_level(self) -> Option<crate::admin_unit::AdminLevel> {
        use crate::admin_unit::AdminLevel;
        match self {
            Self::ProvinceOfficer => Some(AdminLevel::Province),
            Self::DistrictOfficer => Some(AdminLevel::District),
            Self::CommuneOfficer => Some(AdminLevel::Commune),
            _ => None,
        }
    }
}

parse_by_name!(Role, UnknownRole, "role");

/// A normalised e-mail address (trimmed, lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid e-mail address")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(InvalidEmail)?;
        let valid = !local.is_empty()
            && local.len() <= 64
            && email.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if valid { Ok(Self(email)) } else { Err(InvalidEmail) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("at most {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    #[error("needs a letter and a digit")]
    MissingClass,
    #[error("must not contain the e-mail address")]
    ContainsEmail,
}

/// The minimum password rules: length, a letter and a digit, not the account's own e-mail.
pub fn check_password(password: &str, email: &str) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(WeakPassword::TooLong);
    }
    if !password.chars().any(char::is_alphabetic) || !password.chars().any(|c| c.is_ascii_digit()) {
        return Err(WeakPassword::MissingClass);
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(WeakPassword::ContainsEmail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(Email::parse("  An.Nguyen@QuangNinh.gov.vn ").unwrap().as_str(), "an.nguyen@quangninh.gov.vn");
        for bad in ["", "no-at", "a@b", "a@.vn", "a@b..vn", "a b@c.vn", "@c.vn", "a@b.vn."] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        assert_eq!(check_password("short1", "a@b.vn"), Err(WeakPassword::TooShort));
        assert_eq!(check_password("onlyletterslong", "a@b.vn"), Err(WeakPassword::MissingClass));
        assert_eq!(check_password("1234567890", "a@b.vn"), Err(WeakPassword::MissingClass));
        assert_eq!(check_password("nguyenvan2026", "nguyenvan@b.vn"), Err(WeakPassword::ContainsEmail));
        assert_eq!(check_password(&"a1".repeat(65), "a@b.vn"), Err(WeakPassword::TooLong));
        assert!(check_password("Mật khẩu 2026 tốt", "an@b.vn").is_ok());
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
