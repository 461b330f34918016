//! Ranking a product from its council's score sheets: the average, the divergence rule, minimum
//! requirements, the star, and what the council decides next (rank here or forward upwards).

use serde::{Deserialize, Serialize};

/// Members' totals may differ by at most this many points before the council must discuss.
pub const MAX_SPREAD: u32 = 10;

/// An average kept in hundredths of a point, so the star boundaries are exact (29.99 < 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Centipoints(pub u32);

impl Centipoints {
    pub fn from_points(points: f64) -> Self {
        Self((points * 100.0).round().clamp(0.0, 10_000.0) as u32)
    }

    pub fn as_points(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

/// The mean of members' totals, rounded half up to hundredths of a point.
pub fn average(totals: &[u32]) -> Option<Centipoints> {
    if totals.is_empty() {
        return None;
    }
    let n = totals.len() as u64;
    let sum: u64 = totals.iter().map(|t| u64::from(*t) * 100).sum();
    Some(Centipoints(((sum * 2 + n) / (2 * n)) as u32))
}

/// Star ranking (hạng sao).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Star(pub u8);

impl Star {
    /// <30 → 1★, 30–49 → 2★, 50–69 → 3★, 70–89 → 4★, 90–100 → 5★.
    pub fn from_average(average: Centipoints) -> Self {
        match average.0 {
            0..3000 => Self(1),
            3000..5000 => Self(2),
            5000..7000 => Self(3),
            7000..9000 => Self(4),
            _ => Self(5),
        }
    }

    /// Only 3★ and above are recognised and certified.
    pub fn is_certifiable(self) -> bool {
        self.0 >= 3
    }
}

/// One member's submitted sheet, as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedSheet {
    pub total: u32,
    pub failed_minimums: Vec<String>,
}

/// The council's result for one product once every present member has submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub average: Centipoints,
    /// Highest minus lowest total.
    pub spread: u32,
    /// The spread exceeds [`MAX_SPREAD`]: the council discusses and members may revise.
    pub divergent: bool,
    /// Minimum requirements failed on a majority of sheets.
    pub failed_minimums: Vec<String>,
    /// `None` when a minimum requirement is failed: not ranked, whatever the total.
    pub star: Option<Star>,
}

/// Ranks a product from its submitted sheets. A minimum requirement counts as failed when more
/// than half of the sheets fail it, so one member's slip does not sink a product and one
/// member's leniency does not save it.
pub fn rank(sheets: &[SubmittedSheet]) -> Option<Outcome> {
    let totals: Vec<u32> = sheets.iter().map(|s| s.total).collect();
    let average = average(&totals)?;
    let spread = totals.iter().max().zip(totals.iter().min()).map_or(0, |(max, min)| max - min);
    let mut failed: Vec<String> = sheets.iter().flat_map(|s| s.failed_minimums.iter().cloned()).collect();
    failed.sort();
    failed.dedup();
    failed.retain(|code| sheets.iter().filter(|s| s.failed_minimums.contains(code)).count() * 2 > sheets.len());
    let star = failed.is_empty().then(|| Star::from_average(average));
    Some(Outcome { average, spread, divergent: spread > MAX_SPREAD, failed_minimums: failed, star })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sheet(total: u32) -> SubmittedSheet {
        SubmittedSheet { total, failed_minimums: vec![] }
    }

    #[test]
    fn star_boundaries() {
        for (points, star) in [
            (0.0, 1),
            (29.99, 1),
            (30.0, 2),
            (49.99, 2),
            (50.0, 3),
            (69.99, 3),
            (70.0, 4),
            (89.99, 4),
            (90.0, 5),
            (100.0, 5),
        ] {
            assert_eq!(Star::from_average(Centipoints::from_points(points)), Star(star), "{points}");
        }
    }

    #[test]
    fn averages_round_half_up_to_hundredths() {
        assert_eq!(average(&[70, 71, 71]), Some(Centipoints(7067)));
        assert_eq!(average(&[49, 50]), Some(Centipoints(4950)));
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[89, 90, 90]), Some(Centipoints(8967)));
        assert_eq!(average(&[89, 90]), Some(Centipoints(8950)));
    }

    #[test]
    fn divergence_is_more_than_ten_points() {
        let ten = rank(&[sheet(60), sheet(70)]).expect("outcome");
        assert!(!ten.divergent);
        let eleven = rank(&[sheet(60), sheet(71), sheet(65)]).expect("outcome");
        assert!(eleven.divergent);
        assert_eq!(eleven.spread, 11);
    }

    #[test]
    fn a_majority_failing_a_minimum_means_not_ranked() {
        let fail = |total| SubmittedSheet { total, failed_minimums: vec!["C1.1".into()] };
        let one_of_three = rank(&[fail(80), sheet(80), sheet(80)]).expect("outcome");
        assert_eq!(one_of_three.star, Some(Star(4)));
        let two_of_three = rank(&[fail(80), fail(80), sheet(80)]).expect("outcome");
        assert_eq!(two_of_three.star, None);
        assert_eq!(two_of_three.failed_minimums, vec!["C1.1".to_owned()]);
        let half = rank(&[fail(80), sheet(80)]).expect("outcome");
        assert_eq!(half.star, Some(Star(4)));
    }

    #[test]
    fn only_three_stars_and_above_are_certified() {
        assert!(!Star(2).is_certifiable());
        assert!(Star(3).is_certifiable());
    }

    proptest! {
        #[test]
        fn the_average_lies_between_min_and_max(totals in prop::collection::vec(0u32..=100, 1..12)) {
            let avg = average(&totals).expect("non-empty").0;
            let min = totals.iter().min().copied().unwrap_or(0) * 100;
            let max = totals.iter().max().copied().unwrap_or(0) * 100;
            prop_assert!(min <= avg && avg <= max);
            let exact = totals.iter().map(|t| f64::from(*t)).sum::<f64>() / totals.len() as f64;
            prop_assert!((f64::from(avg) / 100.0 - exact).abs() <= 0.005 + 1e-9);
        }

        #[test]
        fn stars_rise_with_the_average(a in 0u32..=10_000, b in 0u32..=10_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(Star::from_average(Centipoints(lo)) <= Star::from_average(Centipoints(hi)));
            let star = Star::from_average(Centipoints(a)).0;
            prop_assert!((1..=5).contains(&star));
            prop_assert_eq!(star >= 3, a >= 5000);
        }

        #[test]
        fn a_majority_failing_a_minimum_is_never_ranked(
            totals in prop::collection::vec(0u32..=100, 1..10),
            failing in prop::collection::vec(any::<bool>(), 10),
        ) {
            let sheets: Vec<SubmittedSheet> = totals
                .iter()
                .zip(&failing)
                .map(|(t, f)| SubmittedSheet { total: *t, failed_minimums: if *f { vec!["C2.1".into()] } else { vec![] } })
                .collect();
            let failed = sheets.iter().filter(|s| !s.failed_minimums.is_empty()).count();
            let outcome = rank(&sheets).expect("outcome");
            prop_assert_eq!(outcome.star.is_none(), failed * 2 > sheets.len());
            prop_assert_eq!(outcome.average, average(&totals).expect("average"));
        }

        #[test]
        fn divergent_exactly_when_spread_exceeds_ten(totals in prop::collection::vec(0u32..=100, 1..10)) {
            let outcome = rank(&totals.iter().map(|t| sheet(*t)).collect::<Vec<_>>()).expect("outcome");
            let spread = totals.iter().max().expect("max") - totals.iter().min().expect("min");
            prop_assert_eq!(outcome.divergent, spread > MAX_SPREAD);
            prop_assert!(outcome.star.is_some());
        }
    }
}
