//! The annual OCOP cycle: its six stages, and the state machine an application (one product
//! in one cycle year) moves through, with who may make each move and which documents must be
//! in the dossier first.

use serde::{Deserialize, Serialize};

use crate::dossier::Completeness;
pub use crate::stage::Stage;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    IdeaRegistered,
    PlanSubmitted,
    PlanApproved,
    Implementing,
    /// Waiting in the entry level council's queue.
    SubmittedForEvaluation,
    /// On a session of a council.
    InEvaluation,
    /// Waiting in a higher level council's queue.
    Forwarded,
    /// The council's result is final at this level (certified or not).
    Ranked,
    /// Recognised: a certificate was issued.
    Certified,
}

impl ApplicationStatus {
    pub const ALL: [Self; 9] = [
        Self::IdeaRegistered,
        Self::PlanSubmitted,
        Self::PlanApproved,
        Self::Implementing,
        Self::SubmittedForEvaluation,
        Self::InEvaluation,
        Self::Forwarded,
        Self::Ranked,
        Self::Certified,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::IdeaRegistered => "idea_registered",
            Self::PlanSubmitted => "plan_submitted",
            Self::PlanApproved => "plan_approved",
            Self::Implementing => "implementing",
            Self::SubmittedForEvaluation => "submitted_for_evaluation",
            Self::InEvaluation => "in_evaluation",
            Self::Forwarded => "forwarded",
            Self::Ranked => "ranked",
            Self::Certified => "certified",
        }
    }

    /// The cycle stage an application in this state belongs to (its deadline applies).
    pub const fn stage(self) -> Stage {
        match self {
            Self::IdeaRegistered => Stage::IdeaRegistration,
            Self::PlanSubmitted | Self::PlanApproved => Stage::BusinessPlan,
            Self::Implementing => Stage::Implementation,
            Self::SubmittedForEvaluation | Self::InEvaluation | Self::Forwarded | Self::Ranked => Stage::Evaluation,
            Self::Certified => Stage::TradePromotion,
        }
    }
}

parse_by_name!(ApplicationStatus, UnknownApplicationStatus, "application status");

/// The moves an application can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The producer files the production and business plan.
    SubmitPlan,
    /// An officer approves the plan.
    ApprovePlan,
    /// Implementation of the approved plan starts.
    StartImplementation,
    /// The producer submits the finished dossier for evaluation.
    SubmitForEvaluation,
    /// An officer sends the application back one step, with a reason.
    Return,
    /// Placed on an evaluation session.
    PlaceInSession,
    /// The council's finalized result sends it to the next level.
    Forward,
    /// The council's finalized result ranks it at this level.
    Rank,
    /// A certificate was issued from the result.
    Certify,
    /// An admin reopened a finalized result (with a reason).
    Reopen,
    /// The certificate was revoked (with a reason): back to ranked, so it may be reopened.
    Revoke,
}

impl Action {
    pub const ALL: [Self; 11] = [
        Self::SubmitPlan,
        Self::ApprovePlan,
        Self::StartImplementation,
        Self::SubmitForEvaluation,
        Self::Return,
        Self::PlaceInSession,
        Self::Forward,
        Self::Rank,
        Self::Certify,
        Self::Reopen,
        Self::Revoke,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SubmitPlan => "submit_plan",
            Self::ApprovePlan => "approve_plan",
            Self::StartImplementation => "start_implementation",
            Self::SubmitForEvaluation => "submit_for_evaluation",
            Self::Return => "return",
            Self::PlaceInSession => "place_in_session",
            Self::Forward => "forward",
            Self::Rank => "rank",
            Self::Certify => "certify",
            Self::Reopen => "reopen",
            Self::Revoke => "revoke",
        }
    }
}

/// Who is acting on an application, as the machine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The subject that owns the product.
    Producer,
    /// An officer (or admin) whose area contains the product.
    Officer,
    /// The evaluation workflow (sessions, finalized results, certificates): never a button on
    /// the application, always the consequence of a council's or issuer's act.
    Scoring,
}

/// What a move needs from the dossier before it can happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierNeed {
    Nothing,
    /// Every document required up to this stage is filed and none awaits a fix.
    Filed(Stage),
    /// Every document required up to this stage has been accepted by an officer.
    Accepted(Stage),
}

struct Move {
    action: Action,
    from: ApplicationStatus,
    to: ApplicationStatus,
    by: &'static [Party],
    needs: DossierNeed,
}

const FILERS: &[Party] = &[Party::Producer, Party::Officer];
const OFFICER: &[Party] = &[Party::Officer];
const SCORING: &[Party] = &[Party::Scoring];

/// The machine. Producers file; officers approve and return. Officers may also file on a
/// producer's behalf (many households bring paper to the commune office).
const MOVES: &[Move] = {
    use ApplicationStatus::*;
    &[
        Move {
            action: Action::SubmitPlan,
            from: IdeaRegistered,
            to: PlanSubmitted,
            by: FILERS,
            needs: DossierNeed::Filed(Stage::BusinessPlan),
        },
        Move {
            action: Action::ApprovePlan,
            from: PlanSubmitted,
            to: PlanApproved,
            by: OFFICER,
            needs: DossierNeed::Accepted(Stage::BusinessPlan),
        },
        Move {
            action: Action::StartImplementation,
            from: PlanApproved,
            to: Implementing,
            by: FILERS,
            needs: DossierNeed::Nothing,
        },
        Move {
            action: Action::SubmitForEvaluation,
            from: Implementing,
            to: SubmittedForEvaluation,
            by: FILERS,
            needs: DossierNeed::Filed(Stage::Evaluation),
        },
        Move {
            action: Action::Return,
            from: PlanSubmitted,
            to: IdeaRegistered,
            by: OFFICER,
            needs: DossierNeed::Nothing,
        },
        Move {
            action: Action::Return,
            from: PlanApproved,
            to: PlanSubmitted,
            by: OFFICER,
            needs: DossierNeed::Nothing,
        },
        Move {
            action: Action::Return,
            from: SubmittedForEvaluation,
            to: Implementing,
            by: OFFICER,
            needs: DossierNeed::Nothing,
        },
        Move {
            action: Action::PlaceInSession,
            from: SubmittedForEvaluation,
            to: InEvaluation,
            by: SCORING,
            needs: DossierNeed::Nothing,
        },
        Move {
            action: Action::PlaceInSession,
            from: Forwarded,
            to: InEvaluation,
            by: SCORING,
            needs: DossierNeed::Nothing,
        },
        Move { action: Action::Forward, from: InEvaluation, to: Forwarded, by: SCORING, needs: DossierNeed::Nothing },
        Move { action: Action::Rank, from: InEvaluation, to: Ranked, by: SCORING, needs: DossierNeed::Nothing },
        Move { action: Action::Certify, from: Ranked, to: Certified, by: SCORING, needs: DossierNeed::Nothing },
        Move { action: Action::Reopen, from: Ranked, to: InEvaluation, by: SCORING, needs: DossierNeed::Nothing },
        Move { action: Action::Reopen, from: Forwarded, to: InEvaluation, by: SCORING, needs: DossierNeed::Nothing },
        Move { action: Action::Revoke, from: Certified, to: Ranked, by: SCORING, needs: DossierNeed::Nothing },
    ]
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("{} is not possible from {}", .action.as_str(), .from.as_str())]
    NotAllowedFrom { action: Action, from: ApplicationStatus },
    #[error("this move is made by another party")]
    WrongParty,
    #[error("a reason is required to return an application")]
    ReasonRequired,
    #[error(
        "the dossier is not complete for this move: missing {missing:?}, to fix {needs_fix:?}, not yet accepted {pending:?}"
    )]
    DossierIncomplete { missing: Vec<String>, needs_fix: Vec<String>, pending: Vec<String> },
}

/// Decides a move: the target state, or why not. `completeness` is evaluated for the stage
/// the move names (see [`dossier_need`]).
pub fn check_move(
    action: Action,
    from: ApplicationStatus,
    party: Party,
    note: Option<&str>,
    completeness: Option<&Completeness>,
) -> Result<ApplicationStatus, MoveError> {
    let rule = MOVES
        .iter()
        .find(|m| m.action == action && m.from == from)
        .ok_or(MoveError::NotAllowedFrom { action, from })?;
    if !rule.by.contains(&party) {
        return Err(MoveError::WrongParty);
    }
    if action == Action::Return && note.is_none_or(|n| n.trim().is_empty()) {
        return Err(MoveError::ReasonRequired);
    }
    let incomplete = |c: &Completeness, accepted: bool| MoveError::DossierIncomplete {
        missing: c.missing.clone(),
        needs_fix: c.needs_fix.clone(),
        pending: if accepted { c.pending.clone() } else { Vec::new() },
    };
    match (rule.needs, completeness) {
        (DossierNeed::Nothing, _) => {}
        (DossierNeed::Filed(_), Some(c)) if c.is_filed() => {}
        (DossierNeed::Accepted(_), Some(c)) if c.is_accepted() => {}
        (DossierNeed::Filed(_), Some(c)) => return Err(incomplete(c, false)),
        (DossierNeed::Accepted(_), Some(c)) => return Err(incomplete(c, true)),
        (_, None) => return Err(MoveError::DossierIncomplete { missing: vec![], needs_fix: vec![], pending: vec![] }),
    }
    Ok(rule.to)
}

/// The dossier stage a move checks, if any (so the caller computes only what is needed).
pub fn dossier_need(action: Action, from: ApplicationStatus) -> DossierNeed {
    MOVES.iter().find(|m| m.action == action && m.from == from).map_or(DossierNeed::Nothing, |m| m.needs)
}

/// The moves a party could attempt from a state (shown as buttons; the dossier is checked
/// when the move is made).
pub fn moves_from(from: ApplicationStatus, party: Party) -> Vec<Action> {
    MOVES.iter().filter(|m| m.from == from && m.by.contains(&party)).map(|m| m.action).collect()
}

/// Whether an application sits past its stage deadline.
pub fn is_overdue(deadline: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    deadline.is_some_and(|d| today > d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    fn complete() -> Completeness {
        Completeness::default()
    }

    fn filed_not_accepted() -> Completeness {
        Completeness { pending: vec!["business_plan".into()], ..Completeness::default() }
    }

    #[test]
    fn the_happy_path() {
        let c = complete();
        assert_eq!(check_move(Action::SubmitPlan, IdeaRegistered, Party::Producer, None, Some(&c)), Ok(PlanSubmitted));
        assert_eq!(check_move(Action::ApprovePlan, PlanSubmitted, Party::Officer, None, Some(&c)), Ok(PlanApproved));
        assert_eq!(
            check_move(Action::StartImplementation, PlanApproved, Party::Producer, None, None),
            Ok(Implementing)
        );
        assert_eq!(
            check_move(Action::SubmitForEvaluation, Implementing, Party::Producer, None, Some(&c)),
            Ok(SubmittedForEvaluation)
        );
    }

    #[test]
    fn producers_cannot_approve_or_return() {
        let c = complete();
        assert_eq!(
            check_move(Action::ApprovePlan, PlanSubmitted, Party::Producer, None, Some(&c)),
            Err(MoveError::WrongParty)
        );
        assert_eq!(
            check_move(Action::Return, PlanSubmitted, Party::Producer, Some("x"), None),
            Err(MoveError::WrongParty)
        );
    }

    #[test]
    fn moves_only_from_their_state() {
        assert_eq!(
            check_move(Action::ApprovePlan, IdeaRegistered, Party::Officer, None, Some(&complete())),
            Err(MoveError::NotAllowedFrom { action: Action::ApprovePlan, from: IdeaRegistered })
        );
        assert!(check_move(Action::Return, IdeaRegistered, Party::Officer, Some("x"), None).is_err());
    }

    #[test]
    fn returning_needs_a_reason_and_goes_back_one_step() {
        assert_eq!(
            check_move(Action::Return, PlanSubmitted, Party::Officer, Some("  "), None),
            Err(MoveError::ReasonRequired)
        );
        assert_eq!(
            check_move(Action::Return, PlanSubmitted, Party::Officer, Some("Thiếu phương án"), None),
            Ok(IdeaRegistered)
        );
        assert_eq!(
            check_move(Action::Return, SubmittedForEvaluation, Party::Officer, Some("Bổ sung"), None),
            Ok(Implementing)
        );
    }

    #[test]
    fn filing_needs_the_documents_and_approval_needs_them_accepted() {
        let missing = Completeness { missing: vec!["business_plan".into()], ..Completeness::default() };
        assert!(matches!(
            check_move(Action::SubmitPlan, IdeaRegistered, Party::Producer, None, Some(&missing)),
            Err(MoveError::DossierIncomplete { .. })
        ));
        let filed = filed_not_accepted();
        assert_eq!(
            check_move(Action::SubmitPlan, IdeaRegistered, Party::Producer, None, Some(&filed)),
            Ok(PlanSubmitted)
        );
        assert!(matches!(
            check_move(Action::ApprovePlan, PlanSubmitted, Party::Officer, None, Some(&filed)),
            Err(MoveError::DossierIncomplete { pending, .. }) if pending == vec!["business_plan".to_owned()]
        ));
        let to_fix = Completeness { needs_fix: vec!["business_plan".into()], ..Completeness::default() };
        assert!(check_move(Action::SubmitPlan, IdeaRegistered, Party::Producer, None, Some(&to_fix)).is_err());
    }

    #[test]
    fn buttons_per_party() {
        assert_eq!(moves_from(PlanSubmitted, Party::Officer), vec![Action::ApprovePlan, Action::Return]);
        assert_eq!(moves_from(PlanSubmitted, Party::Producer), Vec::<Action>::new());
        assert_eq!(moves_from(IdeaRegistered, Party::Producer), vec![Action::SubmitPlan]);
    }

    #[test]
    fn evaluation_moves_belong_to_the_scoring_workflow() {
        assert_eq!(
            check_move(Action::PlaceInSession, SubmittedForEvaluation, Party::Scoring, None, None),
            Ok(InEvaluation)
        );
        assert_eq!(check_move(Action::Forward, InEvaluation, Party::Scoring, None, None), Ok(Forwarded));
        assert_eq!(check_move(Action::PlaceInSession, Forwarded, Party::Scoring, None, None), Ok(InEvaluation));
        assert_eq!(check_move(Action::Rank, InEvaluation, Party::Scoring, None, None), Ok(Ranked));
        assert_eq!(check_move(Action::Certify, Ranked, Party::Scoring, None, None), Ok(Certified));
        assert_eq!(check_move(Action::Revoke, Certified, Party::Scoring, None, None), Ok(Ranked));
        assert_eq!(check_move(Action::Reopen, Ranked, Party::Scoring, None, None), Ok(InEvaluation));
        assert_eq!(check_move(Action::Rank, InEvaluation, Party::Officer, None, None), Err(MoveError::WrongParty));
        assert!(moves_from(InEvaluation, Party::Officer).is_empty());
        assert_eq!(Certified.stage(), Stage::TradePromotion);
    }

    #[test]
    fn every_status_has_a_stage_in_cycle_order() {
        let stages: Vec<Stage> = ApplicationStatus::ALL.iter().map(|s| s.stage()).collect();
        assert!(stages.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn overdue_only_after_the_deadline() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
        assert!(!is_overdue(Some(d), d));
        assert!(is_overdue(Some(d), d.succ_opt().expect("date")));
        assert!(!is_overdue(None, d));
    }
}
