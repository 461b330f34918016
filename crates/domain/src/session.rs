//! An evaluation session as the rules see it: who sits and who is present, the quorum, who
//! keeps attendance and when it freezes, the states of a product on the session and of each
//! member's sheet, blind scoring, revisions and finalization — and, in one place, what a given
//! member may do now ([`permissions`]). Handlers ask these functions; the SPA shows the
//! resulting `can_*` flags instead of guessing.

use uuid::Uuid;

use crate::council::MemberRole;

/// A product on a session: scored by the members until the chair finalizes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemStatus {
    Scoring,
    Finalized,
}

impl ItemStatus {
    pub const ALL: [Self; 2] = [Self::Scoring, Self::Finalized];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Scoring => "scoring",
            Self::Finalized => "finalized",
        }
    }
}

parse_by_name!(ItemStatus, UnknownItemStatus, "session item status");

/// A member's score sheet: a draft until submitted (every submission is kept as a revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetStatus {
    Draft,
    Submitted,
}

impl SheetStatus {
    pub const ALL: [Self; 2] = [Self::Draft, Self::Submitted];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
        }
    }
}

parse_by_name!(SheetStatus, UnknownSheetStatus, "sheet status");

/// A member's seat at a session: their role and whether they were counted present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub member: Uuid,
    pub role: MemberRole,
    pub present: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuorumError {
    #[error("the council has no chair")]
    NoChair,
    #[error("the chair is not present")]
    ChairAbsent,
    #[error("{present} of {members} scoring members present; at least 75% are needed")]
    TooFew { present: usize, members: usize },
}

/// A session scores only with at least 75% of its scoring members present, the chair among
/// them (the secretary keeps the minutes and does not count).
pub fn check_quorum(seats: &[Seat]) -> Result<(), QuorumError> {
    let scoring: Vec<&Seat> = seats.iter().filter(|s| s.role.scores()).collect();
    let chair = scoring.iter().find(|s| s.role == MemberRole::Chair).ok_or(QuorumError::NoChair)?;
    if !chair.present {
        return Err(QuorumError::ChairAbsent);
    }
    let present = scoring.iter().filter(|s| s.present).count();
    if present * 4 < scoring.len() * 3 {
        return Err(QuorumError::TooFew { present, members: scoring.len() });
    }
    Ok(())
}

/// Who looks at a product's sheets, as blind scoring sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// A present scoring member, and whether their own sheet is submitted.
    Scorer { submitted: bool },
    /// Anyone else who may see the session (managers, the secretary, absent members).
    Other,
}

/// Blind scoring: a member sees the other members' sheets once their own is submitted; those
/// who do not score see them once every present member has submitted; everyone once the
/// result is finalized.
pub fn sheets_visible(viewer: Viewer, everyone_submitted: bool, finalized: bool) -> bool {
    finalized
        || match viewer {
            Viewer::Scorer { submitted } => submitted,
            Viewer::Other => everyone_submitted,
        }
}

/// The session as seen by one caller: every seat, the caller's own member id (if they sit on
/// the council) and whether they manage the council (officers of its area, admins).
#[derive(Debug, Clone, Copy)]
pub struct Sitting<'a> {
    pub seats: &'a [Seat],
    pub me: Option<Uuid>,
    pub manages: bool,
}

impl Sitting<'_> {
    fn seat(&self, member: Uuid) -> Option<&Seat> {
        self.seats.iter().find(|s| s.member == member)
    }

    /// Present members who score (the chair, vice chairs and members; not the secretary).
    pub fn scorers(&self) -> Vec<Uuid> {
        self.seats.iter().filter(|s| s.role.scores() && s.present).map(|s| s.member).collect()
    }

    pub fn quorum(&self) -> Result<(), QuorumError> {
        check_quorum(self.seats)
    }

    /// The caller scores at this session: a scoring member, present.
    pub fn i_score(&self) -> bool {
        self.me.and_then(|m| self.seat(m)).is_some_and(|s| s.role.scores() && s.present)
    }

    /// The caller chairs this session: the chair, present.
    pub fn i_chair(&self) -> bool {
        self.me.and_then(|m| self.seat(m)).is_some_and(|s| s.role == MemberRole::Chair && s.present)
    }

    /// The chair and the secretary keep the session's attendance, besides those who manage
    /// the council.
    pub fn keeps_attendance(&self) -> bool {
        self.manages
            || self
                .me
                .and_then(|m| self.seat(m))
                .is_some_and(|s| matches!(s.role, MemberRole::Chair | MemberRole::Secretary))
    }

    /// Attendance may change until the first sheet is started, so that no one scores who
    /// was not counted.
    pub fn check_attendance(&self, scoring_started: bool) -> Result<(), SessionError> {
        if !self.keeps_attendance() {
            return Err(SessionError::NotKeeper);
        }
        if scoring_started {
            return Err(SessionError::AttendanceFrozen);
        }
        Ok(())
    }
}

/// A product on the session as the rules see it: its state, whether the submitted totals
/// diverge, and each member's sheet.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts<'a> {
    pub status: ItemStatus,
    pub divergent: bool,
    pub sheets: &'a [(Uuid, SheetStatus)],
}

impl ItemFacts<'_> {
    pub fn sheet(&self, member: Uuid) -> Option<SheetStatus> {
        self.sheets.iter().find(|(m, _)| *m == member).map(|(_, s)| *s)
    }

    pub fn submitted_by(&self, member: Uuid) -> bool {
        self.sheet(member) == Some(SheetStatus::Submitted)
    }

    /// Every present scorer has submitted.
    pub fn all_submitted(&self, sitting: &Sitting<'_>) -> bool {
        let scorers = sitting.scorers();
        !scorers.is_empty() && scorers.iter().all(|m| self.submitted_by(*m))
    }
}

/// What the rules refuse, each with its own code at the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("the result is already finalized")]
    AlreadyFinalized,
    #[error("the result is not finalized")]
    NotFinalized,
    #[error("only scoring members present at the session may score")]
    NotAScorer,
    #[error("only the council's chair, present at the session, finalizes")]
    NotTheChair,
    #[error("only the chair, the secretary or the council's managers keep attendance")]
    NotKeeper,
    #[error("scoring has started; attendance can no longer change")]
    AttendanceFrozen,
    #[error(transparent)]
    Quorum(#[from] QuorumError),
    #[error("already submitted; a revision is possible only when members' totals differ by more than 10 points")]
    AlreadySubmitted,
    #[error("not every present member has submitted")]
    SheetsMissing,
    #[error("totals differ by more than 10 points: record the council's discussion")]
    DiscussionRequired,
    #[error("a certificate was issued from this result; revoke it first")]
    CertificateStands,
}

/// Whether a submission is a member's first or a revision after divergence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    First,
    Revision,
}

fn check_writing(sitting: &Sitting<'_>, item: &ItemFacts<'_>) -> Result<Uuid, SessionError> {
    if item.status != ItemStatus::Scoring {
        return Err(SessionError::AlreadyFinalized);
    }
    let me = sitting.me.filter(|_| sitting.i_score()).ok_or(SessionError::NotAScorer)?;
    sitting.quorum()?;
    Ok(me)
}

/// A present scorer may keep a draft while the product is scored, the quorum holds and their
/// sheet is not submitted yet. Returns the caller's member id.
pub fn check_save_draft(sitting: &Sitting<'_>, item: &ItemFacts<'_>) -> Result<Uuid, SessionError> {
    let me = check_writing(sitting, item)?;
    if item.submitted_by(me) {
        return Err(SessionError::AlreadySubmitted);
    }
    Ok(me)
}

/// A present scorer submits once; again (a revision) only when every sheet is in and the
/// totals diverge by more than [`crate::scoring::MAX_SPREAD`] points.
pub fn check_submit(sitting: &Sitting<'_>, item: &ItemFacts<'_>) -> Result<(Uuid, Submission), SessionError> {
    let me = check_writing(sitting, item)?;
    if !item.submitted_by(me) {
        return Ok((me, Submission::First));
    }
    if item.all_submitted(sitting) && item.divergent {
        Ok((me, Submission::Revision))
    } else {
        Err(SessionError::AlreadySubmitted)
    }
}

/// The present chair finalizes once every present member has submitted; while totals still
/// diverge, only with the council's discussion on record.
pub fn check_finalize(sitting: &Sitting<'_>, item: &ItemFacts<'_>, has_note: bool) -> Result<(), SessionError> {
    if item.status != ItemStatus::Scoring {
        return Err(SessionError::AlreadyFinalized);
    }
    if !sitting.i_chair() {
        return Err(SessionError::NotTheChair);
    }
    if !item.all_submitted(sitting) {
        return Err(SessionError::SheetsMissing);
    }
    if item.divergent && !has_note {
        return Err(SessionError::DiscussionRequired);
    }
    Ok(())
}

/// A finalized result reopens (by an admin, checked by `access::check_reopen`) only while no
/// active certificate stands on it.
pub fn check_reopen_item(item: &ItemFacts<'_>, certificate_active: bool) -> Result<(), SessionError> {
    if item.status != ItemStatus::Finalized {
        return Err(SessionError::NotFinalized);
    }
    if certificate_active {
        return Err(SessionError::CertificateStands);
    }
    Ok(())
}

/// What one member may do with one product now: the single answer handlers and the SPA use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions {
    /// The other members' sheets are visible to the caller (blind scoring).
    pub see_others: bool,
    /// The caller may fill or submit a sheet now.
    pub score: bool,
    /// The caller may submit a revised sheet (results diverge by more than 10 points).
    pub revise: bool,
    pub finalize: bool,
    pub reopen: bool,
}

/// The permission matrix of a session item; `may_reopen` is the caller's standing for reopening
/// (an admin).
pub fn permissions(sitting: &Sitting<'_>, item: &ItemFacts<'_>, may_reopen: bool) -> Permissions {
    let viewer = match sitting.me.filter(|_| sitting.i_score()) {
        Some(me) => Viewer::Scorer { submitted: item.submitted_by(me) },
        None => Viewer::Other,
    };
    Permissions {
        see_others: sheets_visible(viewer, item.all_submitted(sitting), item.status == ItemStatus::Finalized),
        score: check_save_draft(sitting, item).is_ok(),
        revise: check_submit(sitting, item).is_ok_and(|(_, s)| s == Submission::Revision),
        finalize: item.status == ItemStatus::Scoring && sitting.i_chair() && item.all_submitted(sitting),
        reopen: may_reopen && item.status == ItemStatus::Finalized,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberRole::*;
    use proptest::prelude::*;

    fn seat(role: MemberRole, present: bool) -> Seat {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Seat {
            member: Uuid::from_u128(u128::from(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))),
            role,
            present,
        }
    }

    #[test]
    fn quorum_needs_the_chair_and_three_quarters() {
        use MemberRole::*;
        let full = [seat(Chair, true), seat(Member, true), seat(Member, true), seat(Member, false)];
        assert_eq!(check_quorum(&full), Ok(()));
        let without_chair = [seat(Chair, false), seat(Member, true), seat(Member, true), seat(Member, true)];
        assert_eq!(check_quorum(&without_chair), Err(QuorumError::ChairAbsent));
        let too_few = [seat(Chair, true), seat(Member, true), seat(Member, false), seat(Member, false)];
        assert_eq!(check_quorum(&too_few), Err(QuorumError::TooFew { present: 2, members: 4 }));
        let secretary_absent = [seat(Chair, true), seat(Member, true), seat(Secretary, false)];
        assert_eq!(check_quorum(&secretary_absent), Ok(()));
        assert_eq!(check_quorum(&[seat(Member, true)]), Err(QuorumError::NoChair));
    }

    #[test]
    fn blind_scoring() {
        assert!(!sheets_visible(Viewer::Scorer { submitted: false }, false, false));
        assert!(sheets_visible(Viewer::Scorer { submitted: true }, false, false));
        assert!(!sheets_visible(Viewer::Other, false, false));
        assert!(sheets_visible(Viewer::Other, true, false));
        assert!(sheets_visible(Viewer::Scorer { submitted: false }, false, true));
    }

    const CHAIR: Uuid = Uuid::from_u128(1);
    const MEMBER: Uuid = Uuid::from_u128(2);
    const SECRETARY: Uuid = Uuid::from_u128(3);
    const ABSENT: Uuid = Uuid::from_u128(4);
    const MEMBER2: Uuid = Uuid::from_u128(5);

    fn council() -> Vec<Seat> {
        vec![
            Seat { member: CHAIR, role: Chair, present: true },
            Seat { member: MEMBER, role: Member, present: true },
            Seat { member: MEMBER2, role: Member, present: true },
            Seat { member: SECRETARY, role: Secretary, present: true },
            Seat { member: ABSENT, role: Member, present: false },
        ]
    }

    fn as_member(seats: &[Seat], me: Uuid) -> Sitting<'_> {
        Sitting { seats, me: Some(me), manages: false }
    }

    fn item(status: ItemStatus, divergent: bool, sheets: &[(Uuid, SheetStatus)]) -> ItemFacts<'_> {
        ItemFacts { status, divergent, sheets }
    }

    #[test]
    fn the_chair_the_secretary_and_managers_keep_attendance_until_scoring_starts() {
        let seats = council();
        assert_eq!(as_member(&seats, CHAIR).check_attendance(false), Ok(()));
        assert_eq!(as_member(&seats, SECRETARY).check_attendance(false), Ok(()));
        assert_eq!(as_member(&seats, MEMBER).check_attendance(false), Err(SessionError::NotKeeper));
        let officer = Sitting { seats: &seats, me: None, manages: true };
        assert_eq!(officer.check_attendance(false), Ok(()));
        assert_eq!(officer.check_attendance(true), Err(SessionError::AttendanceFrozen));
    }

    #[test]
    fn present_scorers_score_the_secretary_and_absent_members_do_not() {
        let seats = council();
        assert_eq!(as_member(&seats, CHAIR).scorers(), vec![CHAIR, MEMBER, MEMBER2]);
        let open = item(ItemStatus::Scoring, false, &[]);
        assert_eq!(check_save_draft(&as_member(&seats, MEMBER), &open), Ok(MEMBER));
        assert_eq!(check_save_draft(&as_member(&seats, SECRETARY), &open), Err(SessionError::NotAScorer));
        assert_eq!(check_save_draft(&as_member(&seats, ABSENT), &open), Err(SessionError::NotAScorer));
        let closed = item(ItemStatus::Finalized, false, &[]);
        assert_eq!(check_save_draft(&as_member(&seats, MEMBER), &closed), Err(SessionError::AlreadyFinalized));
    }

    #[test]
    fn no_one_scores_without_a_quorum() {
        let seats = vec![
            Seat { member: CHAIR, role: Chair, present: true },
            Seat { member: MEMBER, role: Member, present: true },
            Seat { member: ABSENT, role: Member, present: false },
            Seat { member: SECRETARY, role: Member, present: false },
        ];
        let open = item(ItemStatus::Scoring, false, &[]);
        assert_eq!(
            check_save_draft(&as_member(&seats, MEMBER), &open),
            Err(SessionError::Quorum(QuorumError::TooFew { present: 2, members: 4 }))
        );
    }

    #[test]
    fn a_submitted_sheet_is_revised_only_after_divergence_with_every_sheet_in() {
        let seats = council();
        let member = as_member(&seats, MEMBER);
        let one_in = [(MEMBER, SheetStatus::Submitted)];
        assert_eq!(check_submit(&member, &item(ItemStatus::Scoring, false, &[])), Ok((MEMBER, Submission::First)));
        assert_eq!(
            check_save_draft(&member, &item(ItemStatus::Scoring, false, &one_in)),
            Err(SessionError::AlreadySubmitted)
        );
        assert_eq!(
            check_submit(&member, &item(ItemStatus::Scoring, true, &one_in)),
            Err(SessionError::AlreadySubmitted)
        );
        let all_in =
            [(CHAIR, SheetStatus::Submitted), (MEMBER, SheetStatus::Submitted), (MEMBER2, SheetStatus::Submitted)];
        assert_eq!(
            check_submit(&member, &item(ItemStatus::Scoring, false, &all_in)),
            Err(SessionError::AlreadySubmitted)
        );
        assert_eq!(
            check_submit(&member, &item(ItemStatus::Scoring, true, &all_in)),
            Ok((MEMBER, Submission::Revision))
        );
    }

    #[test]
    fn finalizing_needs_the_present_chair_every_sheet_and_a_note_when_divergent() {
        let seats = council();
        let chair = as_member(&seats, CHAIR);
        let half = [(CHAIR, SheetStatus::Submitted), (MEMBER, SheetStatus::Draft), (MEMBER2, SheetStatus::Submitted)];
        let all_in =
            [(CHAIR, SheetStatus::Submitted), (MEMBER, SheetStatus::Submitted), (MEMBER2, SheetStatus::Submitted)];
        assert_eq!(
            check_finalize(&chair, &item(ItemStatus::Scoring, false, &half), true),
            Err(SessionError::SheetsMissing)
        );
        assert_eq!(
            check_finalize(&as_member(&seats, MEMBER), &item(ItemStatus::Scoring, false, &all_in), true),
            Err(SessionError::NotTheChair)
        );
        assert_eq!(
            check_finalize(&chair, &item(ItemStatus::Scoring, true, &all_in), false),
            Err(SessionError::DiscussionRequired)
        );
        assert_eq!(check_finalize(&chair, &item(ItemStatus::Scoring, true, &all_in), true), Ok(()));
        assert_eq!(check_finalize(&chair, &item(ItemStatus::Scoring, false, &all_in), false), Ok(()));
        assert_eq!(
            check_finalize(&chair, &item(ItemStatus::Finalized, false, &all_in), false),
            Err(SessionError::AlreadyFinalized)
        );
    }

    #[test]
    fn reopening_needs_a_finalized_result_and_no_standing_certificate() {
        assert_eq!(check_reopen_item(&item(ItemStatus::Scoring, false, &[]), false), Err(SessionError::NotFinalized));
        assert_eq!(
            check_reopen_item(&item(ItemStatus::Finalized, false, &[]), true),
            Err(SessionError::CertificateStands)
        );
        assert_eq!(check_reopen_item(&item(ItemStatus::Finalized, false, &[]), false), Ok(()));
    }

    #[test]
    fn the_permission_matrix_follows_the_checks() {
        let seats = council();
        let all_in =
            [(CHAIR, SheetStatus::Submitted), (MEMBER, SheetStatus::Submitted), (MEMBER2, SheetStatus::Submitted)];
        let diverging = item(ItemStatus::Scoring, true, &all_in);
        let member = permissions(&as_member(&seats, MEMBER), &diverging, false);
        assert_eq!(
            member,
            Permissions { see_others: true, score: false, revise: true, finalize: false, reopen: false }
        );
        let chair = permissions(&as_member(&seats, CHAIR), &diverging, false);
        assert!(chair.finalize && chair.revise);
        let fresh = permissions(&as_member(&seats, MEMBER), &item(ItemStatus::Scoring, false, &[]), false);
        assert_eq!(
            fresh,
            Permissions { see_others: false, score: true, revise: false, finalize: false, reopen: false }
        );
        let secretary =
            permissions(&as_member(&seats, SECRETARY), &item(ItemStatus::Scoring, false, &all_in[..1]), false);
        assert!(!secretary.see_others && !secretary.score, "blind until every present scorer is in");
        let admin = Sitting { seats: &seats, me: None, manages: true };
        let done = permissions(&admin, &item(ItemStatus::Finalized, false, &all_in), true);
        assert_eq!(done, Permissions { see_others: true, score: false, revise: false, finalize: false, reopen: true });
    }

    proptest! {
        #[test]
        fn quorum_matches_the_percentage(members in 1usize..15, present in 0usize..15) {
            let present = present.min(members);
            let mut seats = vec![seat(MemberRole::Chair, present > 0)];
            seats.extend((1..members).map(|i| seat(MemberRole::Member, i < present)));
            let ok = check_quorum(&seats).is_ok();
            prop_assert_eq!(ok, present > 0 && present * 100 >= members * 75);
        }

    }
}
