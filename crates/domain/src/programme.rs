//! Programme targets (seed 003 §2.2): what a province, district or commune plans to reach by
//! the end of a period, and how far the live data has come. Actual values are never typed in:
//! they are counted from certificates, subjects' upgrades and training records.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::training::{ParticipantKind, share};

/// What a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Products certified for the first time in the period (3★ and above).
    ProductsStandardised,
    /// Products recognised 5★ in the period.
    FiveStar,
    /// Products recognised 3★ or 4★ in the period.
    ThreeFourStar,
    /// Economic organisations upgraded in the period (household → enterprise, …).
    OrganisationsUpgraded,
    /// Share of OCOP officials trained, in percent.
    OfficialsTrained,
    /// Share of subjects' leaders trained, in percent.
    LeadersTrained,
    /// Share of OCOP workers trained, in percent.
    WorkersTrained,
}

impl Indicator {
    pub const ALL: [Self; 7] = [
        Self::ProductsStandardised,
        Self::FiveStar,
        Self::ThreeFourStar,
        Self::OrganisationsUpgraded,
        Self::OfficialsTrained,
        Self::LeadersTrained,
        Self::WorkersTrained,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ProductsStandardised => "products_standardised",
            Self::FiveStar => "five_star",
            Self::ThreeFourStar => "three_four_star",
            Self::OrganisationsUpgraded => "organisations_upgraded",
            Self::OfficialsTrained => "officials_trained",
            Self::LeadersTrained => "leaders_trained",
            Self::WorkersTrained => "workers_trained",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// Its name in reports.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::ProductsStandardised => "Sản phẩm được tiêu chuẩn hóa",
            Self::FiveStar => "Sản phẩm 5 sao",
            Self::ThreeFourStar => "Sản phẩm 3–4 sao",
            Self::OrganisationsUpgraded => "Tổ chức kinh tế được nâng cấp",
            Self::OfficialsTrained => "Cán bộ OCOP được đào tạo (%)",
            Self::LeadersTrained => "Lãnh đạo chủ thể được đào tạo (%)",
            Self::WorkersTrained => "Người lao động được đào tạo (%)",
        }
    }

    /// Shares are percentages (0–100); the others are counts.
    pub const fn is_share(self) -> bool {
        matches!(self, Self::OfficialsTrained | Self::LeadersTrained | Self::WorkersTrained)
    }
}

/// A planning period, by calendar years (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start_year: i32,
    pub end_year: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("a period starts no later than it ends, between 2000 and 2100")]
    Period,
    #[error("a share is between 0 and 100 percent; a count is not negative")]
    Value,
}

impl Period {
    pub fn new(start_year: i32, end_year: i32) -> Result<Self, TargetError> {
        if (2000..=2100).contains(&start_year) && start_year <= end_year && end_year <= 2100 {
            Ok(Self { start_year, end_year })
        } else {
            Err(TargetError::Period)
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.end_year, 12, 31).unwrap_or(NaiveDate::MAX)
    }

    /// How far through the period `today` is, from 0 to 1: the pace a target should keep.
    pub fn elapsed(self, today: NaiveDate) -> f64 {
        let total = (self.last_day() - self.first_day()).num_days() + 1;
        let done = (today - self.first_day()).num_days() + 1;
        (done.clamp(0, total) as f64) / (total as f64)
    }
}

pub fn check_value(indicator: Indicator, value: f64) -> Result<(), TargetError> {
    let ok = value.is_finite() && value >= 0.0 && (!indicator.is_share() || value <= 100.0);
    if ok { Ok(()) } else { Err(TargetError::Value) }
}

/// Where an indicator stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standing {
    /// Actual over target, in percent (`None` without a target or without data).
    pub percent: Option<f64>,
    /// `ahead`, `on_track` or `behind` the period's elapsed share, or `reached`.
    pub trend: Option<Trend>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Reached,
    OnTrack,
    Behind,
}

impl Trend {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Reached => "reached",
            Self::OnTrack => "on_track",
            Self::Behind => "behind",
        }
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Reached => "Đã đạt",
            Self::OnTrack => "Đúng tiến độ",
            Self::Behind => "Chậm tiến độ",
        }
    }
}

/// Compares an actual with its target at `today`: reached, on track (at least the elapsed share
/// of the period's target), or behind.
pub fn standing(target: Option<f64>, actual: Option<f64>, period: Period, today: NaiveDate) -> Standing {
    match (target, actual) {
        (Some(t), Some(a)) if t > 0.0 => {
            let percent = (a / t * 1000.0).round() / 10.0;
            let trend = if a >= t {
                Trend::Reached
            } else if a >= t * period.elapsed(today) {
                Trend::OnTrack
            } else {
                Trend::Behind
            };
            Standing { percent: Some(percent), trend: Some(trend) }
        }
        (Some(_), Some(_)) => Standing { percent: Some(100.0), trend: Some(Trend::Reached) },
        _ => Standing { percent: None, trend: None },
    }
}

/// Counts the actual values of one area from its facts, each product counted once per
/// indicator however many certificates it received in the period.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    standardised: HashSet<Uuid>,
    five_star: HashSet<Uuid>,
    three_four_star: HashSet<Uuid>,
    upgrades: u64,
    trained: HashMap<ParticipantKind, HashSet<String>>,
    base: HashMap<ParticipantKind, u64>,
}

impl Tally {
    /// A certificate issued in the period; `first` when the product held none before it.
    pub fn recognise(&mut self, product: Uuid, star: i16, first: bool) {
        if star < 3 {
            return;
        }
        if first {
            self.standardised.insert(product);
        }
        if star >= 5 {
            self.five_star.insert(product);
        } else {
            self.three_four_star.insert(product);
        }
    }

    /// A subject upgraded in the period (household → enterprise, group → cooperative, …).
    pub fn upgrade(&mut self) {
        self.upgrades += 1;
    }

    /// Someone who completed a course in the period (`person`: their account, or subject and name).
    pub fn trained(&mut self, kind: ParticipantKind, person: &str) {
        self.trained.entry(kind).or_default().insert(person.to_owned());
    }

    /// People of this kind the area has (officials' accounts, subjects, subjects' workers).
    pub fn base(&mut self, kind: ParticipantKind, people: u64) {
        *self.base.entry(kind).or_default() += people;
    }

    fn share(&self, kind: ParticipantKind) -> Option<f64> {
        let trained = self.trained.get(&kind).map_or(0, HashSet::len);
        share(u64::try_from(trained).unwrap_or(u64::MAX), self.base.get(&kind).copied().unwrap_or(0))
    }

    /// The actual value; `None` where there is nothing to count against (no one to train).
    pub fn actual(&self, indicator: Indicator) -> Option<f64> {
        let n = match indicator {
            Indicator::ProductsStandardised => self.standardised.len(),
            Indicator::FiveStar => self.five_star.len(),
            Indicator::ThreeFourStar => self.three_four_star.len(),
            Indicator::OrganisationsUpgraded => usize::try_from(self.upgrades).unwrap_or(usize::MAX),
            Indicator::OfficialsTrained => return self.share(ParticipantKind::Official),
            Indicator::LeadersTrained => return self.share(ParticipantKind::Leader),
            Indicator::WorkersTrained => return self.share(ParticipantKind::Worker),
        };
        Some(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn periods_and_values() {
        assert!(Period::new(2026, 2030).is_ok());
        assert_eq!(Period::new(2030, 2026), Err(TargetError::Period));
        assert_eq!(check_value(Indicator::WorkersTrained, 50.0), Ok(()));
        assert_eq!(check_value(Indicator::WorkersTrained, 120.0), Err(TargetError::Value));
        assert_eq!(check_value(Indicator::FiveStar, 120.0), Ok(()));
        assert_eq!(check_value(Indicator::FiveStar, -1.0), Err(TargetError::Value));
        for i in Indicator::ALL {
            assert_eq!(Indicator::parse(i.as_str()), Some(i));
        }
    }

    #[test]
    fn a_product_counts_once_per_indicator() {
        let (tea, wine) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut t = Tally::default();
        t.recognise(tea, 4, true);
        t.recognise(tea, 4, false); // renewed in the same period
        t.recognise(wine, 5, false); // certified before the period, now 5★
        t.recognise(wine, 2, false);
        t.upgrade();
        assert_eq!(t.actual(Indicator::ProductsStandardised), Some(1.0));
        assert_eq!(t.actual(Indicator::ThreeFourStar), Some(1.0));
        assert_eq!(t.actual(Indicator::FiveStar), Some(1.0));
        assert_eq!(t.actual(Indicator::OrganisationsUpgraded), Some(1.0));
        assert_eq!(t.actual(Indicator::WorkersTrained), None);
        t.base(ParticipantKind::Worker, 4);
        t.trained(ParticipantKind::Worker, "worker:s:an");
        t.trained(ParticipantKind::Worker, "worker:s:an"); // a second course
        assert_eq!(t.actual(Indicator::WorkersTrained), Some(25.0));
        assert_eq!(t.actual(Indicator::OfficialsTrained), None);
    }

    #[test]
    fn standing_follows_the_period() {
        let p = Period::new(2026, 2030).expect("period");
        // One fifth of the way through (end of 2026): 20 % of the target keeps the pace.
        let end_2026 = d(2026, 12, 31);
        assert!((p.elapsed(end_2026) - 0.2).abs() < 0.01);
        assert_eq!(standing(Some(20.0), Some(5.0), p, end_2026).trend, Some(Trend::OnTrack));
        assert_eq!(standing(Some(20.0), Some(3.0), p, end_2026).trend, Some(Trend::Behind));
        assert_eq!(standing(Some(20.0), Some(20.0), p, end_2026).trend, Some(Trend::Reached));
        assert_eq!(standing(Some(20.0), Some(5.0), p, end_2026).percent, Some(25.0));
        assert_eq!(standing(None, Some(5.0), p, end_2026).percent, None);
        assert_eq!(standing(Some(20.0), None, p, end_2026).trend, None);
        assert_eq!(p.elapsed(d(2020, 1, 1)), 0.0);
        assert_eq!(p.elapsed(d(2031, 6, 1)), 1.0);
    }
}
