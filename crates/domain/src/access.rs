//! Who may do what. Small named checks, each answering one question.

use uuid::Uuid;

use crate::account::Role;
use crate::admin_unit::{AdminLevel, is_within};
use crate::cycle::Party;

/// The acting user, as far as permissions are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// Materialised path of the unit an officer is bound to (`/22/193/`).
    pub unit_path: Option<String>,
    /// The subject a producer account is bound to.
    pub subject_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this action needs another role")]
    Role,
    #[error("the object lies outside your administrative area")]
    OutsideArea,
    /// Producers must not learn that other subjects' objects exist: answered as not found.
    #[error("no such object")]
    Hidden,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

pub fn check_admin(actor: &Actor) -> Result<(), Denied> {
    if actor.is_admin() { Ok(()) } else { Err(Denied::Role) }
}

/// Creating, changing or retiring the unit at `target_path`: admins anywhere; officers only
/// strictly below their own unit (a district officer manages its communes, not the district).
pub fn check_manage_unit(actor: &Actor, target_path: &str) -> Result<(), Denied> {
    if actor.is_admin() {
        return Ok(());
    }
    if actor.role.officer_level().is_none() {
        return Err(Denied::Role);
    }
    match &actor.unit_path {
        Some(own) if target_path != own && is_within(target_path, own) => Ok(()),
        _ => Err(Denied::OutsideArea),
    }
}

/// Officers are bound to exactly one unit of their own level; other roles to none.
pub fn check_officer_binding(role: Role, unit_level: Option<AdminLevel>) -> Result<(), BindingError> {
    match (role.officer_level(), unit_level) {
        (Some(expected), Some(level)) if expected == level => Ok(()),
        (Some(expected), Some(_)) => Err(BindingError::WrongLevel(expected)),
        (Some(_), None) => Err(BindingError::UnitRequired),
        (None, Some(_)) => Err(BindingError::NotAnOfficer),
        (None, None) => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BindingError {
    #[error("an officer must be bound to an administrative unit")]
    UnitRequired,
    #[error("this officer role is bound to a unit of level {}", .0.as_str())]
    WrongLevel(AdminLevel),
    #[error("only officers are bound to an administrative unit")]
    NotAnOfficer,
}

/// Province-wide settings of the programme (cycles and their deadlines): admins and
/// province officers.
pub fn check_manage_programme(actor: &Actor) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::ProvinceOfficer => Ok(()),
        _ => Err(Denied::Role),
    }
}

/// The programme's targets and progress of an area: admins anywhere, officers inside their own
/// unit; producers and council members do not plan the programme.
pub fn check_view_programme(actor: &Actor, area_path: &str) -> Result<(), Denied> {
    match (actor.role, &actor.unit_path) {
        (Role::Admin, _) => Ok(()),
        (Role::ProvinceOfficer | Role::DistrictOfficer | Role::CommuneOfficer, Some(own))
            if is_within(area_path, own) =>
        {
            Ok(())
        }
        (Role::ProvinceOfficer | Role::DistrictOfficer | Role::CommuneOfficer, _) => Err(Denied::OutsideArea),
        _ => Err(Denied::Role),
    }
}

/// A training course organised by the unit at `course_path`: admins; officers when it is
/// inside their unit, or organised above it (a province course concerns every district).
pub fn check_read_course(actor: &Actor, course_path: &str) -> Result<(), Denied> {
    match check_view_programme(actor, course_path) {
        Err(Denied::OutsideArea) if actor.unit_path.as_deref().is_some_and(|own| is_within(own, course_path)) => Ok(()),
        other => other,
    }
}

/// Batch records and stamps: producers keep their own subject's; admins anything; officers
/// read those inside their area; council members have no part in them.
pub fn check_read_batch(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match actor.role {
        Role::CouncilMember => Err(Denied::Role),
        _ => check_read_registry(actor, owner),
    }
}

/// Writing batch records and issuing or voiding stamps: the producer (own subject) and admins.
pub fn check_keep_batch(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Producer => own_subject(actor, owner),
        _ => Err(Denied::Role),
    }
}

/// Which batches (and their scan statistics) an actor sees.
pub fn batch_visibility(actor: &Actor) -> Visibility {
    match actor.role {
        Role::CouncilMember => Visibility::Nothing,
        _ => registry_visibility(actor),
    }
}

/// Importing subjects and products from a spreadsheet: officers (each row inside their area)
/// and admins.
pub fn check_import(actor: &Actor) -> Result<(), Denied> {
    if actor.is_admin() || actor.role.officer_level().is_some() { Ok(()) } else { Err(Denied::Role) }
}

/// Where a registry object (subject, product, dossier, application) belongs.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub subject_id: Uuid,
    /// Path of the commune the object is registered in.
    pub area_path: &'a str,
}

/// Which registry rows a list shows to the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// Objects registered inside this unit's subtree.
    Area(String),
    /// Only this subject's objects.
    Subject(Uuid),
    /// Applications on the sessions of the councils this user (a council member) sits on.
    Agenda(Uuid),
    Nothing,
}

pub fn registry_visibility(actor: &Actor) -> Visibility {
    match actor.role {
        Role::Admin | Role::CouncilMember => Visibility::All,
        Role::Producer => actor.subject_id.map_or(Visibility::Nothing, Visibility::Subject),
        _ => actor.unit_path.clone().map_or(Visibility::Nothing, Visibility::Area),
    }
}

/// Which applications a list shows: like the registry, except that council members see only
/// the applications on their councils' sessions.
pub fn application_visibility(actor: &Actor, user_id: Uuid) -> Visibility {
    match actor.role {
        Role::CouncilMember => Visibility::Agenda(user_id),
        _ => registry_visibility(actor),
    }
}

/// Reading one application: council members only when it is on their council's agenda.
pub fn check_read_application(actor: &Actor, owner: Owner<'_>, on_my_agenda: bool) -> Result<(), Denied> {
    match actor.role {
        Role::CouncilMember if on_my_agenda => Ok(()),
        Role::CouncilMember => Err(Denied::Hidden),
        _ => check_read_registry(actor, owner),
    }
}

/// Setting up councils, their members and sessions, and placing products on sessions: admins
/// anywhere; officers for councils whose area lies inside their own unit.
pub fn check_manage_council(actor: &Actor, council_area_path: &str) -> Result<(), Denied> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::CouncilMember | Role::Producer => Err(Denied::Role),
        _ => in_area(actor, Owner { subject_id: Uuid::nil(), area_path: council_area_path }),
    }
}

/// Seeing a council, its sessions and results: those who manage it, and its members.
pub fn check_read_council(actor: &Actor, council_area_path: &str, is_member: bool) -> Result<(), Denied> {
    if is_member { Ok(()) } else { check_manage_council(actor, council_area_path) }
}

/// Issuing and revoking certificates (recognition decisions of the province): admins and
/// province officers.
pub fn check_certify(actor: &Actor) -> Result<(), Denied> {
    check_manage_programme(actor)
}

/// Reopening a finalized result: admins only, with a reason.
pub fn check_reopen(actor: &Actor) -> Result<(), Denied> {
    check_admin(actor)
}

/// Officers act inside their own unit (inclusive): a commune officer serves its commune.
fn in_area(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match &actor.unit_path {
        Some(own) if is_within(owner.area_path, own) => Ok(()),
        _ => Err(Denied::OutsideArea),
    }
}

fn own_subject(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    if actor.subject_id == Some(owner.subject_id) { Ok(()) } else { Err(Denied::Hidden) }
}

/// Reading a subject or product record (the registry is open to council members).
pub fn check_read_registry(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::CouncilMember => Ok(()),
        Role::Producer => own_subject(actor, owner),
        _ => in_area(actor, owner),
    }
}

/// Changing a subject or product, reading or filing its dossier, registering it in a cycle.
pub fn check_manage_registry(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::CouncilMember => Err(Denied::Role),
        Role::Producer => own_subject(actor, owner),
        _ => in_area(actor, owner),
    }
}

/// Reviewing documents: officers of the area, admins.
pub fn check_review(actor: &Actor, owner: Owner<'_>) -> Result<(), Denied> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::CouncilMember => Err(Denied::Role),
        Role::Producer => own_subject(actor, owner).and(Err(Denied::Role)),
        _ => in_area(actor, owner),
    }
}

/// The side an actor takes on an application they may manage.
pub fn party(actor: &Actor) -> Party {
    if actor.role == Role::Producer { Party::Producer } else { Party::Officer }
}

/// Creating a subject: officers inside their area, admins anywhere; producers never (their
/// subject is created for them and bound to their account).
pub fn check_create_in_area(actor: &Actor, area_path: &str) -> Result<(), Denied> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::CouncilMember | Role::Producer => Err(Denied::Role),
        _ => in_area(actor, Owner { subject_id: Uuid::nil(), area_path }),
    }
}

/// Moving a subject from `from` to another commune `to`: officers keep it inside their area,
/// admins anywhere; its producer only inside its province (a move to another province is the
/// officers' to make, since it hands the subject to another province's programme).
pub fn check_move_subject(actor: &Actor, from: &str, to: &str) -> Result<(), Denied> {
    if from == to {
        return Ok(());
    }
    match actor.role {
        Role::Producer => {
            let province = |path: &str| path.split('/').find(|s| !s.is_empty()).map(str::to_owned);
            if province(from).is_some() && province(from) == province(to) { Ok(()) } else { Err(Denied::OutsideArea) }
        }
        _ => check_create_in_area(actor, to),
    }
}

/// The role of an officer whose unit was retired, once bound to its successor: a district
/// officer whose district went to a province becomes that province's officer (there are no
/// districts since July 2025), so they still see what they saw; every other role stays.
pub fn role_after_merger(role: Role, successor: AdminLevel) -> Role {
    match (role, successor) {
        (Role::DistrictOfficer, AdminLevel::Province) => Role::ProvinceOfficer,
        (role, _) => role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_officer_follows_the_district_to_its_province() {
        assert_eq!(role_after_merger(Role::DistrictOfficer, AdminLevel::Province), Role::ProvinceOfficer);
        assert_eq!(role_after_merger(Role::CommuneOfficer, AdminLevel::Commune), Role::CommuneOfficer);
        assert_eq!(role_after_merger(Role::Producer, AdminLevel::Province), Role::Producer);
    }

    #[test]
    fn a_producer_moves_its_subject_only_inside_its_province() {
        let producer = Actor { role: Role::Producer, unit_path: None, subject_id: Some(Uuid::from_u128(1)) };
        assert_eq!(check_move_subject(&producer, "/22/193/06649/", "/22/06739/"), Ok(()));
        assert_eq!(check_move_subject(&producer, "/22/193/06649/", "/01/00004/"), Err(Denied::OutsideArea));
        assert_eq!(check_move_subject(&producer, "/22/193/06649/", "/22/193/06649/"), Ok(()));
        let district = officer(Role::DistrictOfficer, "/22/193/");
        assert_eq!(check_move_subject(&district, "/22/193/06649/", "/22/193/06652/"), Ok(()));
        assert_eq!(check_move_subject(&district, "/22/193/06649/", "/22/196/06700/"), Err(Denied::OutsideArea));
    }

    fn officer(role: Role, path: &str) -> Actor {
        Actor { role, unit_path: Some(path.to_owned()), subject_id: None }
    }

    #[test]
    fn registry_reading_and_managing() {
        let mine = Uuid::from_u128(1);
        let theirs = Uuid::from_u128(2);
        let owner = Owner { subject_id: theirs, area_path: "/22/193/06649/" };
        let producer = Actor { role: Role::Producer, unit_path: None, subject_id: Some(mine) };
        assert_eq!(check_read_registry(&producer, owner), Err(Denied::Hidden));
        assert_eq!(check_manage_registry(&producer, owner), Err(Denied::Hidden));
        assert!(check_manage_registry(&producer, Owner { subject_id: mine, ..owner }).is_ok());
        assert_eq!(check_review(&producer, Owner { subject_id: mine, ..owner }), Err(Denied::Role));
        let commune = officer(Role::CommuneOfficer, "/22/193/06649/");
        assert!(check_review(&commune, owner).is_ok());
        let other = officer(Role::DistrictOfficer, "/22/196/");
        assert_eq!(check_read_registry(&other, owner), Err(Denied::OutsideArea));
        let council = Actor { role: Role::CouncilMember, unit_path: None, subject_id: None };
        assert!(check_read_registry(&council, owner).is_ok());
        assert_eq!(check_manage_registry(&council, owner), Err(Denied::Role));
        assert_eq!(registry_visibility(&Actor { subject_id: None, ..producer }), Visibility::Nothing);
        assert_eq!(check_create_in_area(&other, "/22/193/06649/"), Err(Denied::OutsideArea));
        assert!(check_create_in_area(&officer(Role::ProvinceOfficer, "/22/"), "/22/193/06649/").is_ok());
    }

    #[test]
    fn council_members_read_only_their_agenda() {
        let owner = Owner { subject_id: Uuid::from_u128(2), area_path: "/22/193/06649/" };
        let member = Actor { role: Role::CouncilMember, unit_path: None, subject_id: None };
        assert!(check_read_application(&member, owner, true).is_ok());
        assert_eq!(check_read_application(&member, owner, false), Err(Denied::Hidden));
        let user = Uuid::from_u128(9);
        assert_eq!(application_visibility(&member, user), Visibility::Agenda(user));
        let district = officer(Role::DistrictOfficer, "/22/193/");
        assert!(check_read_application(&district, owner, false).is_ok());
        assert!(check_manage_council(&district, "/22/193/").is_ok());
        assert_eq!(check_manage_council(&district, "/22/"), Err(Denied::OutsideArea));
        assert!(check_read_council(&member, "/22/", true).is_ok());
        assert_eq!(check_read_council(&member, "/22/", false), Err(Denied::Role));
        assert_eq!(check_certify(&district), Err(Denied::Role));
        assert_eq!(check_reopen(&officer(Role::ProvinceOfficer, "/22/")), Err(Denied::Role));
    }

    #[test]
    fn officers_manage_strictly_below_their_unit() {
        let district = officer(Role::DistrictOfficer, "/22/193/");
        assert!(check_manage_unit(&district, "/22/193/06658/").is_ok());
        assert_eq!(check_manage_unit(&district, "/22/193/"), Err(Denied::OutsideArea));
        assert_eq!(check_manage_unit(&district, "/22/194/06700/"), Err(Denied::OutsideArea));
        let province = officer(Role::ProvinceOfficer, "/22/");
        assert!(check_manage_unit(&province, "/22/193/").is_ok());
    }

    #[test]
    fn other_roles_cannot_manage_units() {
        let admin = Actor { role: Role::Admin, unit_path: None, subject_id: None };
        assert!(check_manage_unit(&admin, "/22/").is_ok());
        for role in [Role::Producer, Role::CouncilMember] {
            let actor = officer(role, "/22/");
            assert_eq!(check_manage_unit(&actor, "/22/193/"), Err(Denied::Role));
        }
    }

    #[test]
    fn officers_bind_to_units_of_their_level() {
        assert!(check_officer_binding(Role::DistrictOfficer, Some(AdminLevel::District)).is_ok());
        assert_eq!(
            check_officer_binding(Role::DistrictOfficer, Some(AdminLevel::Commune)),
            Err(BindingError::WrongLevel(AdminLevel::District))
        );
        assert_eq!(check_officer_binding(Role::CommuneOfficer, None), Err(BindingError::UnitRequired));
        assert!(check_officer_binding(Role::Admin, None).is_ok());
        assert_eq!(check_officer_binding(Role::Producer, Some(AdminLevel::Commune)), Err(BindingError::NotAnOfficer));
    }
}
