//! The dossier (hồ sơ): which documents a product needs at each stage, how reviews stand,
//! and whether the dossier is complete enough for a move.

use serde::{Deserialize, Serialize};

use crate::stage::Stage;

/// An officer's verdict on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Pending,
    Accepted,
    NeedsFix,
}

impl Review {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Accepted, Self::NeedsFix];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::NeedsFix => "needs_fix",
        }
    }
}

parse_by_name!(Review, UnknownReview, "review");

/// A document kind as completeness sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindRule {
    pub code: String,
    /// The stage from which the kind is required; `None` for optional evidence.
    pub required_at: Option<Stage>,
    /// Product samples are not asked of services (tourism).
    pub not_for_services: bool,
}

/// One current (not superseded) document of the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledDocument {
    pub kind: String,
    pub review: Review,
}

/// The state of the required documents for a stage; every list holds kind codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub required: Vec<String>,
    pub accepted: Vec<String>,
    /// Filed, awaiting review.
    pub pending: Vec<String>,
    /// Returned by an officer for a fix.
    pub needs_fix: Vec<String>,
    /// Not filed at all.
    pub missing: Vec<String>,
}

impl Completeness {
    /// Everything required is filed and nothing awaits a fix: the producer can submit.
    pub fn is_filed(&self) -> bool {
        self.missing.is_empty() && self.needs_fix.is_empty()
    }

    /// Everything required is accepted: the officer can approve.
    pub fn is_accepted(&self) -> bool {
        self.is_filed() && self.pending.is_empty()
    }
}

/// Completeness of a dossier for `stage`: the kinds required at that stage or before. A kind
/// counts as accepted when one of its documents is accepted, as to-fix when all of them were
/// returned, as pending otherwise.
pub fn completeness(kinds: &[KindRule], documents: &[FiledDocument], stage: Stage, is_service: bool) -> Completeness {
    let mut out = Completeness::default();
    for kind in kinds {
        let Some(required_at) = kind.required_at else { continue };
        if required_at > stage || (is_service && kind.not_for_services) {
            continue;
        }
        out.required.push(kind.code.clone());
        let reviews: Vec<Review> = documents.iter().filter(|d| d.kind == kind.code).map(|d| d.review).collect();
        let bucket = if reviews.is_empty() {
            &mut out.missing
        } else if reviews.contains(&Review::Accepted) {
            &mut out.accepted
        } else if reviews.iter().all(|r| *r == Review::NeedsFix) {
            &mut out.needs_fix
        } else {
            &mut out.pending
        };
        bucket.push(kind.code.clone());
    }
    out
}

/// A file name safe to store and to send back in `Content-Disposition`: the last path
/// component, without control characters, at most 150 characters, never empty.
pub fn safe_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(150)
        .collect();
    if cleaned.is_empty() { "tai-lieu".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Vec<KindRule> {
        let k = |code: &str, at: Option<Stage>, not_for_services| KindRule {
            code: code.into(),
            required_at: at,
            not_for_services,
        };
        vec![
            k("idea_form", Some(Stage::IdeaRegistration), false),
            k("business_plan", Some(Stage::BusinessPlan), false),
            k("samples", Some(Stage::Evaluation), true),
            k("awards", None, false),
        ]
    }

    fn doc(kind: &str, review: Review) -> FiledDocument {
        FiledDocument { kind: kind.into(), review }
    }

    #[test]
    fn only_kinds_required_up_to_the_stage_count() {
        let c = completeness(&kinds(), &[], Stage::BusinessPlan, false);
        assert_eq!(c.required, vec!["idea_form", "business_plan"]);
        assert_eq!(c.missing, vec!["idea_form", "business_plan"]);
        assert!(!c.is_filed());
    }

    #[test]
    fn reviews_sort_kinds_into_buckets() {
        let docs = [
            doc("idea_form", Review::Accepted),
            doc("business_plan", Review::NeedsFix),
            doc("business_plan", Review::Pending),
            doc("awards", Review::Pending),
        ];
        let c = completeness(&kinds(), &docs, Stage::BusinessPlan, false);
        assert_eq!(c.accepted, vec!["idea_form"]);
        assert_eq!(c.pending, vec!["business_plan"]);
        assert!(c.is_filed() && !c.is_accepted());
        let c = completeness(&kinds(), &docs[..2], Stage::BusinessPlan, false);
        assert_eq!(c.needs_fix, vec!["business_plan"]);
        assert!(!c.is_filed());
    }

    #[test]
    fn services_need_no_samples() {
        let docs = [doc("idea_form", Review::Accepted), doc("business_plan", Review::Accepted)];
        assert!(completeness(&kinds(), &docs, Stage::Evaluation, true).is_accepted());
        assert_eq!(completeness(&kinds(), &docs, Stage::Evaluation, false).missing, vec!["samples"]);
    }

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\a\\Phương án.pdf"), "Phương án.pdf");
        assert_eq!(safe_file_name("..\u{0}"), "tai-lieu");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("a\"b<c>.pdf"), "abc.pdf");
    }
}
