//! Evaluation councils (hội đồng đánh giá và phân hạng): their levels and the configured rules
//! between levels, members' roles, the quorum, and certificates' validity.
//!
//! Which levels exist, what each certifies and when it forwards upwards is configuration
//! ([`LevelRules`]): the three-level rules of 2019 and the two-level rules since July 2025 are
//! presets, and a deployment may give its own.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::admin_unit::AdminLevel;
use crate::scoring::{Centipoints, Outcome, Star};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilLevel {
    /// The commune checks dossiers and proposes products.
    CommuneCheck,
    District,
    Province,
    National,
}

impl CouncilLevel {
    pub const ALL: [Self; 4] = [Self::CommuneCheck, Self::District, Self::Province, Self::National];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CommuneCheck => "commune_check",
            Self::District => "district",
            Self::Province => "province",
            Self::National => "national",
        }
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::CommuneCheck => "Cấp xã",
            Self::District => "Cấp huyện",
            Self::Province => "Cấp tỉnh",
            Self::National => "Cấp trung ương",
        }
    }

    /// The level of the administrative unit a council of this level is set up for. The
    /// national council sits above the province; in this system it is registered on the
    /// province's root unit.
    pub const fn unit_level(self) -> AdminLevel {
        match self {
            Self::CommuneCheck => AdminLevel::Commune,
            Self::District => AdminLevel::District,
            Self::Province | Self::National => AdminLevel::Province,
        }
    }
}

parse_by_name!(CouncilLevel, UnknownCouncilLevel, "council level");

/// One level's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    pub level: CouncilLevel,
    /// Products averaging at least this many points go on to `forward_to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_from_points: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_to: Option<CouncilLevel>,
    /// Stars this level recognises (inclusive); none if it only proposes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certifies: Option<(u8, u8)>,
}

/// The levels in the order an application climbs them; the first is where it enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRules {
    pub name: String,
    pub levels: Vec<LevelRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("council rules need at least one level")]
    Empty,
    #[error("level {} appears twice", .0.as_str())]
    Repeated(CouncilLevel),
    #[error("level {} forwards to {}, which is not a later level", .0.as_str(), .1.as_str())]
    ForwardsBackwards(CouncilLevel, CouncilLevel),
    #[error("level {} needs both a threshold and a target to forward", .0.as_str())]
    HalfForward(CouncilLevel),
    #[error("level {} certifies an impossible star range", .0.as_str())]
    BadStars(CouncilLevel),
}

impl LevelRules {
    /// QĐ 1048/2019 as in seed 003: district → province (≥50) → national (≥90); the province
    /// recognises 3–4★, the national council 5★.
    pub fn three_level_2019() -> Self {
        Self {
            name: "three_level_2019".into(),
            levels: vec![
                LevelRule {
                    level: CouncilLevel::District,
                    forward_from_points: Some(50),
                    forward_to: Some(CouncilLevel::Province),
                    certifies: None,
                },
                LevelRule {
                    level: CouncilLevel::Province,
                    forward_from_points: Some(90),
                    forward_to: Some(CouncilLevel::National),
                    certifies: Some((3, 4)),
                },
                LevelRule {
                    level: CouncilLevel::National,
                    forward_from_points: None,
                    forward_to: None,
                    certifies: Some((5, 5)),
                },
            ],
        }
    }

    /// Since July 2025 (QĐ 1489/QĐ-TTg): the commune checks and proposes (the commune
    /// officers' dossier review before submission), the province evaluates and recognises
    /// 3–4★, the central council 5★.
    pub fn two_level_2025() -> Self {
        Self {
            name: "two_level_2025".into(),
            levels: vec![
                LevelRule {
                    level: CouncilLevel::Province,
                    forward_from_points: Some(90),
                    forward_to: Some(CouncilLevel::National),
                    certifies: Some((3, 4)),
                },
                LevelRule {
                    level: CouncilLevel::National,
                    forward_from_points: None,
                    forward_to: None,
                    certifies: Some((5, 5)),
                },
            ],
        }
    }

    /// A preset by name (a deployment may also give its own rules as JSON).
    pub fn preset(name: &str) -> Option<Self> {
        match name.trim() {
            "three_level_2019" => Some(Self::three_level_2019()),
            "two_level_2025" => Some(Self::two_level_2025()),
            _ => None,
        }
    }

    pub fn validate(&self) -> Result<(), RulesError> {
        if self.levels.is_empty() {
            return Err(RulesError::Empty);
        }
        for (i, rule) in self.levels.iter().enumerate() {
            if self.levels[..i].iter().any(|r| r.level == rule.level) {
                return Err(RulesError::Repeated(rule.level));
            }
            match (rule.forward_from_points, rule.forward_to) {
                (Some(_), Some(to)) if !self.levels[i + 1..].iter().any(|r| r.level == to) => {
                    return Err(RulesError::ForwardsBackwards(rule.level, to));
                }
                (Some(_), None) | (None, Some(_)) => return Err(RulesError::HalfForward(rule.level)),
                _ => {}
            }
            if let Some((lo, hi)) = rule.certifies
                && !(1 <= lo && lo <= hi && hi <= 5)
            {
                return Err(RulesError::BadStars(rule.level));
            }
        }
        Ok(())
    }

    pub fn rule(&self, level: CouncilLevel) -> Option<&LevelRule> {
        self.levels.iter().find(|r| r.level == level)
    }

    /// Where a submitted application is evaluated first.
    pub fn entry(&self) -> CouncilLevel {
        self.levels.first().map_or(CouncilLevel::Province, |r| r.level)
    }

    /// The level a result goes on to, if it does.
    pub fn forward(&self, level: CouncilLevel, average: Centipoints) -> Option<CouncilLevel> {
        let rule = self.rule(level)?;
        match (rule.forward_from_points, rule.forward_to) {
            (Some(points), Some(to)) if average.0 >= points * 100 => Some(to),
            _ => None,
        }
    }

    /// Whether a council of this level recognises this star.
    pub fn certifies(&self, level: CouncilLevel, star: Star) -> bool {
        star.is_certifiable()
            && self.rule(level).and_then(|r| r.certifies).is_some_and(|(lo, hi)| (lo..=hi).contains(&star.0))
    }
}

/// What the council's finalized result does with the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Ranked at this level; a certificate may follow if the star is certified here.
    Ranked,
    /// Sent to the next level's council.
    Forwarded,
}

impl Decision {
    pub const ALL: [Self; 2] = [Self::Ranked, Self::Forwarded];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ranked => "ranked",
            Self::Forwarded => "forwarded",
        }
    }
}

parse_by_name!(Decision, UnknownDecision, "decision");

/// Where a result goes: forwarded when the level's rule says so, ranked here otherwise.
pub fn decide(rules: &LevelRules, level: CouncilLevel, outcome: &Outcome) -> (Decision, Option<CouncilLevel>) {
    match (outcome.star, rules.forward(level, outcome.average)) {
        (Some(_), Some(next)) => (Decision::Forwarded, Some(next)),
        _ => (Decision::Ranked, None),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Chair,
    ViceChair,
    Member,
    /// Keeps the minutes; does not score.
    Secretary,
}

impl MemberRole {
    pub const ALL: [Self; 4] = [Self::Chair, Self::ViceChair, Self::Member, Self::Secretary];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::ViceChair => "vice_chair",
            Self::Member => "member",
            Self::Secretary => "secretary",
        }
    }

    pub const fn scores(self) -> bool {
        !matches!(self, Self::Secretary)
    }
}

parse_by_name!(MemberRole, UnknownMemberRole, "member role");

/// Certificates are valid for 36 months from the recognition decision.
pub const VALIDITY_MONTHS: u32 = 36;

pub fn valid_until(decided_on: NaiveDate) -> NaiveDate {
    decided_on.checked_add_months(Months::new(VALIDITY_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// A certificate's standing; `Expired` is derived from the date, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Active,
    Expired,
    Revoked,
    Superseded,
}

impl CertificateStatus {
    pub const ALL: [Self; 4] = [Self::Active, Self::Expired, Self::Revoked, Self::Superseded];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::Superseded => "superseded",
        }
    }

    /// The standing on `today` of a certificate whose stored state is `stored`.
    pub fn on(stored: Self, valid_until: NaiveDate, today: NaiveDate) -> Self {
        match stored {
            Self::Active if today > valid_until => Self::Expired,
            other => other,
        }
    }
}

parse_by_name!(CertificateStatus, UnknownCertificateStatus, "certificate status");

/// Certificate numbers run per province and year: `OCOP-22-2026-00001`. This is the part a
/// year's numbers share.
pub fn certificate_number_prefix(province_code: &str, year: i32) -> String {
    format!("OCOP-{province_code}-{year}-")
}

/// The `seq`-th number (from 1) under a prefix.
pub fn certificate_number(prefix: &str, seq: u64) -> String {
    format!("{prefix}{seq:05}")
}

/// Certificates expiring within this many days are listed for officers and producers.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn both_presets_are_valid() {
        assert_eq!(LevelRules::three_level_2019().validate(), Ok(()));
        assert_eq!(LevelRules::two_level_2025().validate(), Ok(()));
        assert_eq!(LevelRules::preset("two_level_2025"), Some(LevelRules::two_level_2025()));
        assert_eq!(LevelRules::preset("five_levels"), None);
    }

    #[test]
    fn escalation_2019() {
        let rules = LevelRules::three_level_2019();
        assert_eq!(rules.entry(), CouncilLevel::District);
        assert_eq!(rules.forward(CouncilLevel::District, Centipoints(4999)), None);
        assert_eq!(rules.forward(CouncilLevel::District, Centipoints(5000)), Some(CouncilLevel::Province));
        assert_eq!(rules.forward(CouncilLevel::Province, Centipoints(8999)), None);
        assert_eq!(rules.forward(CouncilLevel::Province, Centipoints(9000)), Some(CouncilLevel::National));
        assert_eq!(rules.forward(CouncilLevel::National, Centipoints(10_000)), None);
        assert!(!rules.certifies(CouncilLevel::District, Star(3)));
        assert!(rules.certifies(CouncilLevel::Province, Star(4)));
        assert!(!rules.certifies(CouncilLevel::Province, Star(5)));
        assert!(rules.certifies(CouncilLevel::National, Star(5)));
    }

    #[test]
    fn escalation_2025() {
        let rules = LevelRules::two_level_2025();
        assert_eq!(rules.entry(), CouncilLevel::Province);
        assert_eq!(rules.forward(CouncilLevel::Province, Centipoints(9000)), Some(CouncilLevel::National));
        assert_eq!(rules.forward(CouncilLevel::District, Centipoints(9000)), None);
        assert!(rules.rule(CouncilLevel::District).is_none());
        assert!(!rules.certifies(CouncilLevel::Province, Star(2)));
    }

    #[test]
    fn broken_rules_are_refused() {
        let mut rules = LevelRules::three_level_2019();
        rules.levels.swap(0, 1);
        assert_eq!(
            rules.validate(),
            Err(RulesError::ForwardsBackwards(CouncilLevel::District, CouncilLevel::Province))
        );
        let mut rules = LevelRules::two_level_2025();
        rules.levels[0].forward_to = None;
        assert_eq!(rules.validate(), Err(RulesError::HalfForward(CouncilLevel::Province)));
        let mut rules = LevelRules::two_level_2025();
        rules.levels[1].certifies = Some((4, 6));
        assert_eq!(rules.validate(), Err(RulesError::BadStars(CouncilLevel::National)));
    }

    #[test]
    fn certificate_numbers() {
        let prefix = certificate_number_prefix("22", 2026);
        assert_eq!(certificate_number(&prefix, 1), "OCOP-22-2026-00001");
        assert_eq!(certificate_number(&prefix, 123_456), "OCOP-22-2026-123456");
    }

    #[test]
    fn certificates_last_36_months_then_expire() {
        let decided = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let until = valid_until(decided);
        assert_eq!(until, NaiveDate::from_ymd_opt(2029, 11, 22).expect("date"));
        assert_eq!(CertificateStatus::on(CertificateStatus::Active, until, until), CertificateStatus::Active);
        let after = until.succ_opt().expect("date");
        assert_eq!(CertificateStatus::on(CertificateStatus::Active, until, after), CertificateStatus::Expired);
        assert_eq!(CertificateStatus::on(CertificateStatus::Revoked, until, decided), CertificateStatus::Revoked);
    }

    proptest! {
        #[test]
        fn forwarding_in_both_configurations_follows_the_threshold(avg in 0u32..=10_000) {
            let old = LevelRules::three_level_2019();
            let new = LevelRules::two_level_2025();
            prop_assert_eq!(old.forward(CouncilLevel::District, Centipoints(avg)).is_some(), avg >= 5000);
            prop_assert_eq!(old.forward(CouncilLevel::Province, Centipoints(avg)).is_some(), avg >= 9000);
            prop_assert_eq!(new.forward(CouncilLevel::Province, Centipoints(avg)), old.forward(CouncilLevel::Province, Centipoints(avg)));
        }
    }
}
