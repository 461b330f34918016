//! Pure OCOP rules: no I/O, no framework types. Everything here is decided from its inputs.

/// `FromStr` for an enum with `ALL` and `as_str`, failing with an error type of its own
/// (`UnknownStage`, `UnknownMemberRole`, …) that names what was expected.
macro_rules! parse_by_name {
    ($ty:ty, $err:ident, $what:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $err(pub String);

        impl std::fmt::Display for $err {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "unknown {} `{}`", $what, self.0)
            }
        }

        impl std::error::Error for $err {}

        impl std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| $err(s.to_owned()))
            }
        }
    };
}

pub mod access;
pub mod account;
pub mod admin_unit;
pub mod calendar;
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
pub mod session;
pub mod stage;
pub mod subject;
pub mod text;
pub mod traceability;
pub mod training;
