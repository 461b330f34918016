//! Who may do what. Small named checks, each answering one question.

use crate::account::Role;
use crate::admin_unit::{AdminLevel, is_within};

/// The acting user, as far as permissions are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// Materialised path of the unit an officer is bound to (`/22/193/`).
    pub unit_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this action needs another role")]
    Role,
    #[error("the object lies outside your administrative area")]
    OutsideArea,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(role: Role, path: &str) -> Actor {
        Actor { role, unit_path: Some(path.to_owned()) }
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
        let admin = Actor { role: Role::Admin, unit_path: None };
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
