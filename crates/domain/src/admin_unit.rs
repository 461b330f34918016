//! Administrative units: province → district → commune, and since July 2025 also
//! province → commune (the two-level structure).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The tier of a unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    Province,
    District,
    Commune,
}

impl AdminLevel {
    pub const ALL: [Self; 3] = [Self::Province, Self::District, Self::Commune];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }

    /// Official codes: 2 digits for a province, 3 for a district, 5 for a commune.
    pub const fn code_len(self) -> usize {
        match self {
            Self::Province => 2,
            Self::District => 3,
            Self::Commune => 5,
        }
    }
}

parse_by_name!(AdminLevel, UnknownAdminLevel, "administrative level");

/// The legal kind of a unit (tỉnh, thành phố, huyện, thị xã, xã, phường, thị trấn, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminUnitKind {
    /// Tỉnh
    Province,
    /// Thành phố trực thuộc trung ương
    Municipality,
    /// Huyện
    RuralDistrict,
    /// Quận
    UrbanDistrict,
    /// Thị xã
    Town,
    /// Thành phố thuộc tỉnh
    ProvincialCity,
    /// Xã
    Commune,
    /// Phường
    Ward,
    /// Thị trấn
    Township,
    /// Đặc khu (special zone, since July 2025)
    SpecialZone,
}

impl AdminUnitKind {
    pub const ALL: [Self; 10] = [
        Self::Province,
        Self::Municipality,
        Self::RuralDistrict,
        Self::UrbanDistrict,
        Self::Town,
        Self::ProvincialCity,
        Self::Commune,
        Self::Ward,
        Self::Township,
        Self::SpecialZone,
    ];

    pub const fn level(self) -> AdminLevel {
        match self {
            Self::Province | Self::Municipality => AdminLevel::Province,
            Self::RuralDistrict | Self::UrbanDistrict | Self::Town | Self::ProvincialCity => AdminLevel::District,
            Self::Commune | Self::Ward | Self::Township | Self::SpecialZone => AdminLevel::Commune,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Municipality => "municipality",
            Self::RuralDistrict => "rural_district",
            Self::UrbanDistrict => "urban_district",
            Self::Town => "town",
            Self::ProvincialCity => "provincial_city",
            Self::Commune => "commune",
            Self::Ward => "ward",
            Self::Township => "township",
            Self::SpecialZone => "special_zone",
        }
    }

    /// The Vietnamese prefix used in full names ("Thành phố Hạ Long").
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Province => "Tỉnh",
            Self::Municipality => "Thành phố trực thuộc trung ương",
            Self::RuralDistrict => "Huyện",
            Self::UrbanDistrict => "Quận",
            Self::Town => "Thị xã",
            Self::ProvincialCity => "Thành phố",
            Self::Commune => "Xã",
            Self::Ward => "Phường",
            Self::Township => "Thị trấn",
            Self::SpecialZone => "Đặc khu",
        }
    }
}

parse_by_name!(AdminUnitKind, UnknownUnitKind, "unit kind");

/// An official numeric unit code (GSO list): digits only, length fixed by level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AdminUnitCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminUnitCodeError {
    #[error("the code must contain digits only")]
    NotDigits,
    #[error("a {level} code has {expected} digits")]
    WrongLength { level: &'static str, expected: usize },
}

impl AdminUnitCode {
    pub fn parse(raw: &str, level: AdminLevel) -> Result<Self, AdminUnitCodeError> {
        let code = raw.trim();
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AdminUnitCodeError::NotDigits);
        }
        if code.len() != level.code_len() {
            return Err(AdminUnitCodeError::WrongLength { level: level.as_str(), expected: level.code_len() });
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AdminUnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the rules need to know about an existing unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitFacts {
    pub level: AdminLevel,
    /// A retirement is recorded (`valid_to` set), even one that takes effect later.
    pub retired: bool,
}

impl UnitFacts {
    /// A commune not retired: where subjects, products and growing areas are placed.
    pub fn is_current_commune(self) -> bool {
        self.level == AdminLevel::Commune && !self.retired
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    #[error("a province has no parent unit")]
    ProvinceWithParent,
    #[error("a district or commune needs a parent unit")]
    MissingParent,
    #[error("a district belongs to a province")]
    DistrictParent,
    #[error("a commune belongs to a district or, since July 2025, directly to a province")]
    CommuneParent,
    #[error("the parent unit is retired")]
    RetiredParent,
}

/// Where a unit of `level` may hang: districts under provinces; communes under districts or
/// directly under provinces (two-level structure); provinces at the root; never under a
/// retired unit.
pub fn check_placement(level: AdminLevel, parent: Option<UnitFacts>) -> Result<(), PlacementError> {
    use AdminLevel::*;
    if parent.is_some_and(|p| p.retired) {
        return Err(PlacementError::RetiredParent);
    }
    match (level, parent.map(|p| p.level)) {
        (Province, None) => Ok(()),
        (Province, Some(_)) => Err(PlacementError::ProvinceWithParent),
        (_, None) => Err(PlacementError::MissingParent),
        (District, Some(Province)) => Ok(()),
        (District, Some(_)) => Err(PlacementError::DistrictParent),
        (Commune, Some(Province | District)) => Ok(()),
        (Commune, Some(Commune)) => Err(PlacementError::CommuneParent),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RetireError {
    #[error("the unit is already retired")]
    AlreadyRetired,
    #[error("the unit still has current sub-units; retire or merge them first")]
    HasCurrentChildren,
    #[error("the replacement must be another current unit of the same level")]
    InvalidReplacement,
}

/// A unit retires (merges or dissolves) once, after its sub-units.
pub fn check_retirement(unit: UnitFacts, has_current_children: bool) -> Result<(), RetireError> {
    if unit.retired {
        Err(RetireError::AlreadyRetired)
    } else if has_current_children {
        Err(RetireError::HasCurrentChildren)
    } else {
        Ok(())
    }
}

/// A merger's target: another current unit of the same level.
pub fn check_replacement(unit: UnitFacts, replacement: UnitFacts, same_unit: bool) -> Result<(), RetireError> {
    if same_unit || replacement.retired || replacement.level != unit.level {
        Err(RetireError::InvalidReplacement)
    } else {
        Ok(())
    }
}

/// The materialised path of a unit: its ancestors' codes and its own, e.g. `/22/193/06658/`.
/// A unit lies in another's subtree exactly when its path starts with the other's path.
pub fn unit_path(parent_path: Option<&str>, code: &AdminUnitCode) -> String {
    format!("{}{}/", parent_path.unwrap_or("/"), code.as_str())
}

pub fn is_within(path: &str, ancestor_path: &str) -> bool {
    path.starts_with(ancestor_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_commune_not_retired_is_a_current_commune() {
        let facts = |level, retired| UnitFacts { level, retired };
        assert!(facts(AdminLevel::Commune, false).is_current_commune());
        assert!(!facts(AdminLevel::Commune, true).is_current_commune());
        assert!(!facts(AdminLevel::District, false).is_current_commune());
    }

    #[test]
    fn codes_have_level_lengths() {
        assert!(AdminUnitCode::parse("22", AdminLevel::Province).is_ok());
        assert!(AdminUnitCode::parse("193", AdminLevel::District).is_ok());
        assert!(AdminUnitCode::parse("06658", AdminLevel::Commune).is_ok());
        assert_eq!(
            AdminUnitCode::parse("1934", AdminLevel::District),
            Err(AdminUnitCodeError::WrongLength { level: "district", expected: 3 })
        );
        assert_eq!(AdminUnitCode::parse("2a", AdminLevel::Province), Err(AdminUnitCodeError::NotDigits));
        assert_eq!(AdminUnitCode::parse("", AdminLevel::Province), Err(AdminUnitCodeError::NotDigits));
    }

    fn current(level: AdminLevel) -> Option<UnitFacts> {
        Some(UnitFacts { level, retired: false })
    }

    #[test]
    fn placement_allows_two_and_three_level_trees() {
        use AdminLevel::*;
        assert!(check_placement(Province, None).is_ok());
        assert!(check_placement(District, current(Province)).is_ok());
        assert!(check_placement(Commune, current(District)).is_ok());
        assert!(check_placement(Commune, current(Province)).is_ok());
        assert_eq!(check_placement(Commune, current(Commune)), Err(PlacementError::CommuneParent));
        assert_eq!(check_placement(District, current(District)), Err(PlacementError::DistrictParent));
        assert_eq!(check_placement(District, None), Err(PlacementError::MissingParent));
        assert_eq!(check_placement(Province, current(Province)), Err(PlacementError::ProvinceWithParent));
        let retired = Some(UnitFacts { level: District, retired: true });
        assert_eq!(check_placement(Commune, retired), Err(PlacementError::RetiredParent));
    }

    #[test]
    fn retirement_comes_once_and_after_the_children() {
        let unit = UnitFacts { level: AdminLevel::Commune, retired: false };
        assert!(check_retirement(unit, false).is_ok());
        assert_eq!(check_retirement(unit, true), Err(RetireError::HasCurrentChildren));
        assert_eq!(check_retirement(UnitFacts { retired: true, ..unit }, false), Err(RetireError::AlreadyRetired));
        assert!(check_replacement(unit, unit, false).is_ok());
        assert_eq!(check_replacement(unit, unit, true), Err(RetireError::InvalidReplacement));
        let district = UnitFacts { level: AdminLevel::District, retired: false };
        assert_eq!(check_replacement(unit, district, false), Err(RetireError::InvalidReplacement));
        assert_eq!(
            check_replacement(unit, UnitFacts { retired: true, ..unit }, false),
            Err(RetireError::InvalidReplacement)
        );
    }

    #[test]
    fn paths_nest() {
        let province = AdminUnitCode::parse("22", AdminLevel::Province).unwrap();
        let district = AdminUnitCode::parse("193", AdminLevel::District).unwrap();
        let p = unit_path(None, &province);
        let d = unit_path(Some(&p), &district);
        assert_eq!(p, "/22/");
        assert_eq!(d, "/22/193/");
        assert!(is_within(&d, &p));
        assert!(!is_within(&p, &d));
        // A sibling whose code shares a prefix is not inside.
        assert!(!is_within("/22/1930/", "/22/193/"));
    }

    #[test]
    fn kinds_round_trip_and_know_their_level() {
        for kind in AdminUnitKind::ALL {
            assert_eq!(kind.as_str().parse::<AdminUnitKind>(), Ok(kind));
        }
        assert_eq!(AdminUnitKind::Ward.level(), AdminLevel::Commune);
        assert_eq!(AdminUnitKind::Town.level(), AdminLevel::District);
    }
}
