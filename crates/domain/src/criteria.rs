//! Criteria sets (bộ tiêu chí): parts A/B/C → sections → criteria → options with fixed points,
//! their validation on import, and the scoring of one member's sheet against a set.
//!
//! A set is data: the two shipped sets and any set an admin imports share this format.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

/// The three parts, in order.
pub const PART_CODES: [&str; 3] = ["A", "B", "C"];

/// The whole set, as imported (JSON) and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Stable code of this version of the set, e.g. `2023-default`.
    pub code: String,
    pub name: String,
    /// The decision the text comes from, e.g. `148/QĐ-TTg ngày 24/02/2023`.
    #[serde(default)]
    pub decision: Option<String>,
    /// Code of the classification version the set belongs to (`2019`, `2023`).
    pub classification_version: String,
    /// Classification codes (group, subgroup or product set) the set applies to; empty means
    /// every product of the version without a more specific set.
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// `A`, `B` or `C`.
    pub code: String,
    pub name: String,
    pub points: u32,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub points: u32,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique inside the set, e.g. `A1.3`.
    pub code: String,
    pub text: String,
    /// A minimum requirement: choosing an option worth fewer points fails it, and a product
    /// that fails a minimum requirement is not ranked whatever its total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_points: Option<u32>,
    pub options: Vec<CriterionOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionOption {
    /// Unique inside its criterion, e.g. `a`, `b`.
    pub code: String,
    pub text: String,
    pub points: u32,
}

/// One problem with a set, with the path of the offending element (`parts[0].sections[1]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetProblem {
    pub path: String,
    pub message: String,
}

impl Criterion {
    pub fn best(&self) -> u32 {
        self.options.iter().map(|o| o.points).max().unwrap_or(0)
    }

    pub fn fails_minimum(&self, points: u32) -> bool {
        self.minimum_points.is_some_and(|min| points < min)
    }
}

impl CriteriaSet {
    /// Every criterion with the part it belongs to, in reading order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Part, &Criterion)> {
        self.parts.iter().flat_map(|p| p.sections.iter().flat_map(move |s| s.criteria.iter().map(move |c| (p, c))))
    }

    /// Checks the set's arithmetic and uniqueness. Returns every problem at once.
    pub fn validate(&self) -> Result<(), Vec<SetProblem>> {
        let mut problems = Vec::new();
        let mut problem = |path: String, message: String| problems.push(SetProblem { path, message });
        if self.code.trim().is_empty() {
            problem("code".into(), "the set needs a code".into());
        }
        if self.name.trim().is_empty() {
            problem("name".into(), "the set needs a name".into());
        }
        let codes: Vec<&str> = self.parts.iter().map(|p| p.code.as_str()).collect();
        if codes != PART_CODES {
            problem("parts".into(), format!("the parts must be A, B and C in that order, found {codes:?}"));
        }
        let total: u32 = self.parts.iter().map(|p| p.points).sum();
        if total != 100 {
            problem("parts".into(), format!("the parts add up to {total} points instead of 100"));
        }
        let mut section_codes = HashSet::new();
        let mut criterion_codes = HashSet::new();
        for (pi, part) in self.parts.iter().enumerate() {
            let sections: u32 = part.sections.iter().map(|s| s.points).sum();
            if sections != part.points {
                problem(
                    format!("parts[{pi}]"),
                    format!(
                        "the sections of part {} add up to {sections} points instead of {}",
                        part.code, part.points
                    ),
                );
            }
            for (si, section) in part.sections.iter().enumerate() {
                let here = format!("parts[{pi}].sections[{si}]");
                if !section_codes.insert(section.code.as_str()) {
                    problem(here.clone(), format!("section code {} is used twice", section.code));
                }
                if section.criteria.is_empty() {
                    problem(here.clone(), format!("section {} has no criteria", section.code));
                }
                let best: u32 = section.criteria.iter().map(Criterion::best).sum();
                if best != section.points && !section.criteria.is_empty() {
                    problem(
                        here.clone(),
                        format!(
                            "the best options of section {} add up to {best} points instead of {}",
                            section.code, section.points
                        ),
                    );
                }
                for (ci, criterion) in section.criteria.iter().enumerate() {
                    let here = format!("{here}.criteria[{ci}]");
                    if !criterion_codes.insert(criterion.code.as_str()) {
                        problem(here.clone(), format!("criterion code {} is used twice", criterion.code));
                    }
                    if criterion.options.len() < 2 {
                        problem(here.clone(), format!("criterion {} needs at least two options", criterion.code));
                    }
                    if criterion.best() > section.points {
                        problem(
                            here.clone(),
                            format!(
                                "the best option of criterion {} ({} points) exceeds its section ({} points)",
                                criterion.code,
                                criterion.best(),
                                section.points
                            ),
                        );
                    }
                    if let Some(min) = criterion.minimum_points
                        && min > criterion.best()
                    {
                        problem(
                            here.clone(),
                            format!("criterion {} can never meet its minimum of {min}", criterion.code),
                        );
                    }
                    let mut option_codes = HashSet::new();
                    let mut option_texts = HashSet::new();
                    for (oi, option) in criterion.options.iter().enumerate() {
                        if !option_codes.insert(option.code.as_str()) {
                            problem(
                                format!("{here}.options[{oi}]"),
                                format!("option code {} is used twice", option.code),
                            );
                        }
                        if !option_texts.insert(option.text.trim()) {
                            problem(format!("{here}.options[{oi}]"), "two options have the same text".into());
                        }
                    }
                }
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// How specifically the set applies to a product of this classification code: `None` if
    /// it does not, otherwise the length of the matching code (0 for a catch-all set).
    pub fn applies(&self, version: &str, classification_code: &str) -> Option<usize> {
        if self.classification_version != version {
            return None;
        }
        if self.applies_to.is_empty() {
            return Some(0);
        }
        self.applies_to
            .iter()
            .filter(|c| classification_code == c.as_str() || classification_code.starts_with(&format!("{c}.")))
            .map(String::len)
            .max()
    }
}

/// A member's choices: criterion code → option code.
pub type Answers = BTreeMap<String, String>;

/// What a sheet adds up to so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SheetScore {
    /// Subtotals of parts A, B, C.
    pub parts: [u32; 3],
    pub total: u32,
    /// Criteria not answered yet.
    pub unanswered: Vec<String>,
    /// Minimum requirements the chosen options fail.
    pub failed_minimums: Vec<String>,
}

impl SheetScore {
    pub fn is_complete(&self) -> bool {
        self.unanswered.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("criterion {0} is not in this criteria set")]
    UnknownCriterion(String),
    #[error("criterion {criterion} has no option {option}")]
    UnknownOption { criterion: String, option: String },
}

/// Adds up a sheet, partial or complete (subtotals are shown while the member scores).
pub fn score_sheet(set: &CriteriaSet, answers: &Answers) -> Result<SheetScore, AnswerError> {
    let known: HashSet<&str> = set.criteria().map(|(_, c)| c.code.as_str()).collect();
    if let Some(unknown) = answers.keys().find(|k| !known.contains(k.as_str())) {
        return Err(AnswerError::UnknownCriterion(unknown.clone()));
    }
    let mut score = SheetScore::default();
    for (part, criterion) in set.criteria() {
        let Some(chosen) = answers.get(&criterion.code) else {
            score.unanswered.push(criterion.code.clone());
            continue;
        };
        let option = criterion
            .options
            .iter()
            .find(|o| &o.code == chosen)
            .ok_or_else(|| AnswerError::UnknownOption { criterion: criterion.code.clone(), option: chosen.clone() })?;
        let index = PART_CODES.iter().position(|c| *c == part.code).unwrap_or(0);
        score.parts[index] += option.points;
        score.total += option.points;
        if criterion.fails_minimum(option.points) {
            score.failed_minimums.push(criterion.code.clone());
        }
    }
    Ok(score)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn option(code: &str, points: u32) -> CriterionOption {
        CriterionOption { code: code.into(), text: format!("{code} ({points})"), points }
    }

    fn criterion(code: &str, points: &[u32], minimum: Option<u32>) -> Criterion {
        let codes = ["a", "b", "c", "d", "e", "f"];
        Criterion {
            code: code.into(),
            text: code.into(),
            minimum_points: minimum,
            options: points.iter().zip(codes).map(|(p, c)| option(c, *p)).collect(),
        }
    }

    /// A small valid set: A 40 (2 criteria), B 25, C 35 (one minimum requirement).
    pub(crate) fn sample() -> CriteriaSet {
        let section = |code: &str, points, criteria| Section { code: code.into(), name: code.into(), points, criteria };
        CriteriaSet {
            code: "test".into(),
            name: "Test".into(),
            decision: None,
            classification_version: "2023".into(),
            applies_to: vec![],
            parts: vec![
                Part {
                    code: "A".into(),
                    name: "A".into(),
                    points: 40,
                    sections: vec![section(
                        "A1",
                        40,
                        vec![criterion("A1.1", &[0, 10, 20], None), criterion("A1.2", &[5, 20], None)],
                    )],
                },
                Part {
                    code: "B".into(),
                    name: "B".into(),
                    points: 25,
                    sections: vec![section("B1", 25, vec![criterion("B1.1", &[0, 5, 25], None)])],
                },
                Part {
                    code: "C".into(),
                    name: "C".into(),
                    points: 35,
                    sections: vec![section("C1", 35, vec![criterion("C1.1", &[0, 15, 35], Some(15))])],
                },
            ],
        }
    }

    #[test]
    fn the_sample_is_valid() {
        assert_eq!(sample().validate(), Ok(()));
    }

    #[test]
    fn parts_must_add_up_to_100() {
        let mut set = sample();
        set.parts[2].points = 30;
        let problems = set.validate().expect_err("invalid");
        assert!(problems.iter().any(|p| p.message.contains("95 points instead of 100")));
        assert!(problems.iter().any(|p| p.path == "parts[2]"));
    }

    #[test]
    fn a_criterion_may_not_exceed_its_section() {
        let mut set = sample();
        set.parts[1].sections[0].criteria[0].options[2].points = 30;
        let problems = set.validate().expect_err("invalid");
        assert!(problems.iter().any(|p| p.path == "parts[1].sections[0].criteria[0]" && p.message.contains("exceeds")));
    }

    #[test]
    fn options_and_codes_are_unique() {
        let mut set = sample();
        set.parts[0].sections[0].criteria[0].options[1].code = "a".into();
        set.parts[0].sections[0].criteria[1].code = "A1.1".into();
        let problems = set.validate().expect_err("invalid");
        assert!(problems.iter().any(|p| p.message.contains("option code a is used twice")));
        assert!(problems.iter().any(|p| p.message.contains("criterion code A1.1 is used twice")));
    }

    #[test]
    fn sheets_add_up_by_part_and_flag_minimums() {
        let set = sample();
        let answers: Answers =
            [("A1.1", "b"), ("A1.2", "b"), ("B1.1", "c"), ("C1.1", "a")].map(|(k, v)| (k.into(), v.into())).into();
        let score = score_sheet(&set, &answers).expect("valid");
        assert_eq!(score.parts, [30, 25, 0]);
        assert_eq!(score.total, 55);
        assert!(score.is_complete());
        assert_eq!(score.failed_minimums, vec!["C1.1".to_owned()]);
        let partial: Answers = [("A1.1".to_owned(), "c".to_owned())].into();
        let score = score_sheet(&set, &partial).expect("valid");
        assert_eq!(score.total, 20);
        assert_eq!(score.unanswered.len(), 3);
    }

    #[test]
    fn unknown_choices_are_refused() {
        let set = sample();
        let wrong: Answers = [("Z9".to_owned(), "a".to_owned())].into();
        assert_eq!(score_sheet(&set, &wrong), Err(AnswerError::UnknownCriterion("Z9".into())));
        let wrong: Answers = [("A1.1".to_owned(), "z".to_owned())].into();
        assert!(matches!(score_sheet(&set, &wrong), Err(AnswerError::UnknownOption { .. })));
    }

    #[test]
    fn the_most_specific_set_applies() {
        let mut set = sample();
        assert_eq!(set.applies("2023", "1.2.3"), Some(0));
        assert_eq!(set.applies("2019", "1.2.3"), None);
        set.applies_to = vec!["1".into(), "1.2".into()];
        assert_eq!(set.applies("2023", "1.2.3"), Some(3));
        assert_eq!(set.applies("2023", "1.3.1"), Some(1));
        assert_eq!(set.applies("2023", "10.1"), None);
    }
}
