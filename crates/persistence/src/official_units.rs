//! Vietnam's official administrative units, shipped with the server (`reference/admin-units/`, see
//! its SOURCE.md): the structure in force since 1 July 2025, the one before, and where each
//! legacy commune went. Read from the embedded files; no network, no Python.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use ocop_domain::admin_unit::{AdminLevel, AdminUnitKind};
use ocop_domain::geo::Bbox;
use ocop_domain::text::fold;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, Set};
use uuid::Uuid;

use crate::entities::admin_unit;

const CURRENT: &str = include_str!("../../../reference/admin-units/units-2025.csv");
const LEGACY: &str = include_str!("../../../reference/admin-units/units-legacy.csv");
const SUCCESSORS: &str = include_str!("../../../reference/admin-units/successors-2025.csv");

/// Which structure a unit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// In force since 1 July 2025: provinces and communes.
    Current,
    /// Before 1 July 2025: provinces, districts and communes.
    Legacy,
}

/// One official unit.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialUnit {
    pub code: &'static str,
    pub kind: AdminUnitKind,
    pub name: &'static str,
    pub parent_code: Option<&'static str>,
    /// Centroid (latitude, longitude).
    pub centre: Option<(f64, f64)>,
    /// The legacy files carry each commune's bounding box, the 2025 file its area.
    pub bbox: Option<Bbox>,
    pub area_km2: Option<f64>,
}

impl OfficialUnit {
    pub fn level(&self) -> AdminLevel {
        self.kind.level()
    }
}

/// A legacy commune's 2025 commune; a commune divided in 2025 has several, one by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Successor {
    pub legacy_code: &'static str,
    pub code: &'static str,
    pub is_default: bool,
}

/// A file the build wrote is malformed (a test keeps the shipped files well-formed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reference/admin-units: line {line}: {problem}")]
pub struct DataError {
    pub line: usize,
    pub problem: String,
}

fn rows(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines().enumerate().skip(1).filter(|(_, l)| !l.is_empty()).map(|(i, l)| (i + 1, l.split(',').collect()))
}

fn unit(line: usize, fields: &[&'static str]) -> Result<OfficialUnit, DataError> {
    let bad = |problem: String| DataError { line, problem };
    let [code, level, kind, name, parent, _lat, _lon, ..] = fields else {
        return Err(bad(format!("{} fields", fields.len())));
    };
    let kind: AdminUnitKind = kind.parse().map_err(|e| bad(format!("{e}")))?;
    if kind.level().as_str() != *level {
        return Err(bad(format!("kind {} is not of level {level}", kind.as_str())));
    }
    let number = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
    let centre = number(5).zip(number(6));
    // units-legacy.csv: …,min_lat,min_lon,max_lat,max_lon; units-2025.csv: …,area_km2.
    let bbox = match (number(7), number(8), number(9), number(10)) {
        (Some(min_lat), Some(min_lon), Some(max_lat), Some(max_lon)) => {
            Some(Bbox { min_lon, min_lat, max_lon, max_lat })
        }
        _ => None,
    };
    let area_km2 = if fields.len() == 8 { number(7) } else { None };
    Ok(OfficialUnit { code, kind, name, parent_code: (!parent.is_empty()).then_some(*parent), centre, bbox, area_km2 })
}

/// Where a unit lies: its centroid and bounding box.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Place {
    pub centre: Option<(f64, f64)>,
    pub bbox: Option<Bbox>,
}

fn widen(into: &mut Option<Bbox>, with: Option<Bbox>) {
    if let Some(with) = with {
        *into = Some(into.map_or(with, |b| b.union(&with)));
    }
}

/// The place of every unit of a structure, by code. A commune's box is its own (legacy), or
/// the union of the legacy communes that went into it (2025; a square of its area around its
/// centroid when none did) widened to its centroid; a district's and a province's box is the
/// union of their communes'.
pub fn places(structure: Structure) -> Result<HashMap<&'static str, Place>, DataError> {
    let list = units(structure)?;
    let mut places: HashMap<&'static str, Place> =
        list.iter().map(|u| (u.code, Place { centre: u.centre, bbox: u.bbox })).collect();
    if structure == Structure::Current {
        let legacy: HashMap<&str, Option<Bbox>> =
            units(Structure::Legacy)?.into_iter().map(|u| (u.code, u.bbox)).collect();
        for s in successors()? {
            if let (Some(place), Some(bbox)) = (places.get_mut(s.code), legacy.get(s.legacy_code).copied().flatten()) {
                widen(&mut place.bbox, Some(bbox));
            }
        }
        for u in list.iter().filter(|u| u.level() == AdminLevel::Commune) {
            if let (Some(place), Some((lat, lon))) = (places.get_mut(u.code), u.centre)
                && place.bbox.is_none()
            {
                place.bbox = u.area_km2.map(|area| Bbox::around(lon, lat, area));
            }
        }
    }
    // A file's centroid does not always lie in the box (Phường Hạ Long's of 2025 sits west of
    // Hồng Hải and Hồng Hà, merged into it): the box holds it too, so that a label is framed.
    for u in list.iter().filter(|u| u.level() == AdminLevel::Commune) {
        if let (Some(place), Some((lat, lon))) = (places.get_mut(u.code), u.centre) {
            widen(&mut place.bbox, Some(Bbox { min_lon: lon, min_lat: lat, max_lon: lon, max_lat: lat }));
        }
    }
    // Communes widen their district, then districts (or communes directly) their province.
    for level in [AdminLevel::Commune, AdminLevel::District] {
        for u in list.iter().filter(|u| u.level() == level) {
            let bbox = places.get(u.code).and_then(|p| p.bbox);
            if let Some(parent) = u.parent_code.and_then(|p| places.get_mut(p)) {
                widen(&mut parent.bbox, bbox);
            }
        }
    }
    Ok(places)
}

/// Every unit of a structure, in code order.
pub fn units(structure: Structure) -> Result<Vec<OfficialUnit>, DataError> {
    let text = match structure {
        Structure::Current => CURRENT,
        Structure::Legacy => LEGACY,
    };
    rows(text).map(|(line, fields)| unit(line, &fields)).collect()
}

/// Where every legacy commune went on 1 July 2025.
pub fn successors() -> Result<Vec<Successor>, DataError> {
    rows(SUCCESSORS)
        .map(|(line, fields)| match fields.as_slice() {
            [legacy_code, code, flag] => Ok(Successor { legacy_code, code, is_default: *flag == "true" }),
            _ => Err(DataError { line, problem: format!("{} fields", fields.len()) }),
        })
        .collect()
}

/// The day the current structure took effect.
pub fn effective_2025() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN)
}

/// What a load did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub inserted: usize,
    /// Units whose code the registry already holds (left as they are).
    pub present: usize,
}

/// Which provinces to load: some by code, or every one.
#[derive(Debug, Clone)]
pub enum Provinces {
    Some(Vec<String>),
    All,
}

impl Provinces {
    fn contains(&self, code: &str) -> bool {
        match self {
            Self::Some(codes) => codes.iter().any(|c| c == code),
            Self::All => true,
        }
    }
}

/// Loads the current (2025) structure of the chosen provinces into the registry: provinces at
/// the root, their communes directly below, each valid from 1 July 2025. Idempotent: a code the
/// registry already holds is left as it is and counted as present. Runs in the caller's
/// transaction; rows go in batches.
pub async fn load_current(db: &impl ConnectionTrait, provinces: &Provinces) -> Result<LoadReport, DataLoadError> {
    let units = units(Structure::Current)?;
    let chosen: Vec<&OfficialUnit> = units
        .iter()
        .filter(|u| match u.level() {
            AdminLevel::Province => provinces.contains(u.code),
            _ => u.parent_code.is_some_and(|p| provinces.contains(p)),
        })
        .collect();
    if let Provinces::Some(codes) = provinces
        && let Some(unknown) =
            codes.iter().find(|c| !units.iter().any(|u| u.level() == AdminLevel::Province && u.code == *c))
    {
        return Err(DataLoadError::UnknownProvince(unknown.clone()));
    }
    let existing: HashMap<String, (Uuid, String)> = admin_unit::Entity::find()
        .select_only()
        .column(admin_unit::Column::Code)
        .column(admin_unit::Column::Id)
        .column(admin_unit::Column::Path)
        .into_tuple::<(String, Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(code, id, path)| (code, (id, path)))
        .collect();
    let geography = places(Structure::Current)?;
    let mut report = LoadReport::default();
    let mut placed: HashMap<&str, (Uuid, String)> = HashMap::new();
    let now = Utc::now();
    // Provinces first, so that communes find their parent.
    for level in [AdminLevel::Province, AdminLevel::Commune] {
        let mut rows = Vec::new();
        for u in chosen.iter().filter(|u| u.level() == level) {
            if let Some((id, path)) = existing.get(u.code) {
                placed.insert(u.code, (*id, path.clone()));
                report.present += 1;
                continue;
            }
            let parent = match u.parent_code {
                Some(code) => Some(placed.get(code).cloned().ok_or(DataLoadError::MissingParent(u.code.to_owned()))?),
                None => None,
            };
            let id = crate::new_id();
            let path = format!("{}{}/", parent.as_ref().map_or("/", |(_, p)| p.as_str()), u.code);
            placed.insert(u.code, (id, path.clone()));
            rows.push(admin_unit::ActiveModel {
                id: Set(id),
                code: Set(u.code.to_owned()),
                name: Set(u.name.to_owned()),
                name_folded: Set(fold(u.name)),
                kind: Set(u.kind.as_str().to_owned()),
                level: Set(u.level().as_str().to_owned()),
                parent_id: Set(parent.map(|(id, _)| id)),
                path: Set(path),
                valid_from: Set(Some(effective_2025())),
                valid_to: Set(None),
                replaced_by_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..located(geography.get(u.code))
            });
        }
        report.inserted += rows.len();
        for batch in rows.chunks(500) {
            admin_unit::Entity::insert_many(batch.to_vec()).exec_without_returning(db).await?;
        }
    }
    Ok(report)
}

/// Loads the legacy structure (before 1 July 2025) of the chosen provinces, retired on that day,
/// each unit pointing at its successor: a commune at its default 2025 commune, a district and a
/// merged province at the 2025 province that took them. A legacy province whose code lives on
/// (Quảng Ninh, 22) is the same unit as the current one, and its districts hang below it. Load
/// the current structure first, or the successors stay unknown. Idempotent by path.
pub async fn load_legacy(db: &impl ConnectionTrait, provinces: &Provinces) -> Result<LoadReport, DataLoadError> {
    let legacy = units(Structure::Legacy)?;
    if let Provinces::Some(codes) = provinces
        && let Some(unknown) =
            codes.iter().find(|c| !legacy.iter().any(|u| u.level() == AdminLevel::Province && u.code == *c))
    {
        return Err(DataLoadError::UnknownProvince(unknown.clone()));
    }
    let by_code: HashMap<&str, &OfficialUnit> = legacy.iter().map(|u| (u.code, u)).collect();
    let province_of = |u: &OfficialUnit| {
        let mut at = u;
        while let Some(parent) = at.parent_code.and_then(|p| by_code.get(p)) {
            at = parent;
        }
        at.code
    };
    let chosen: Vec<&OfficialUnit> = legacy.iter().filter(|u| provinces.contains(province_of(u))).collect();
    let rows: Vec<(String, Uuid, String, Option<NaiveDate>)> = admin_unit::Entity::find()
        .select_only()
        .column(admin_unit::Column::Path)
        .column(admin_unit::Column::Id)
        .column(admin_unit::Column::Code)
        .column(admin_unit::Column::ValidTo)
        .into_tuple()
        .all(db)
        .await?;
    let by_path: HashMap<&str, Uuid> = rows.iter().map(|(path, id, _, _)| (path.as_str(), *id)).collect();
    // Current units by code: a code the 2025 structure holds names a current unit.
    let current: HashMap<&str, Uuid> =
        rows.iter().filter(|(_, _, _, to)| to.is_none()).map(|(_, id, code, _)| (code.as_str(), *id)).collect();
    let successors = successors()?;
    let default_successor: HashMap<&str, &str> =
        successors.iter().filter(|s| s.is_default).map(|s| (s.legacy_code, s.code)).collect();
    let current_units = units(Structure::Current)?;
    let current_parent: HashMap<&str, &str> =
        current_units.iter().filter_map(|u| u.parent_code.map(|p| (u.code, p))).collect();
    // The 2025 province that took a legacy unit: the province of its communes' default successors.
    let successor_province = |legacy_code: &str| -> Option<&str> {
        chosen
            .iter()
            .filter(|c| c.level() == AdminLevel::Commune)
            .find(|c| {
                c.parent_code == Some(legacy_code)
                    || by_code.get(c.parent_code.unwrap_or("")).and_then(|d| d.parent_code) == Some(legacy_code)
            })
            .and_then(|c| default_successor.get(c.code))
            .and_then(|s| current_parent.get(s).copied())
    };
    let geography = places(Structure::Legacy)?;
    let retired_on = effective_2025();
    let now = Utc::now();
    let mut report = LoadReport::default();
    let mut placed: HashMap<&str, (Uuid, String)> = HashMap::new();
    for level in [AdminLevel::Province, AdminLevel::District, AdminLevel::Commune] {
        let mut batch = Vec::new();
        for u in chosen.iter().filter(|u| u.level() == level) {
            let parent = match u.parent_code {
                Some(code) => Some(placed.get(code).cloned().ok_or(DataLoadError::MissingParent(u.code.to_owned()))?),
                None => None,
            };
            let path = format!("{}{}/", parent.as_ref().map_or("/", |(_, p)| p.as_str()), u.code);
            // A province that lives on is the current unit; any unit already on its path stays.
            let continuing = (level == AdminLevel::Province).then(|| current.get(u.code)).flatten();
            if let Some(id) = continuing.or(by_path.get(path.as_str())) {
                placed.insert(u.code, (*id, path));
                report.present += 1;
                continue;
            }
            let successor_code = match level {
                AdminLevel::Commune => default_successor.get(u.code).copied(),
                AdminLevel::District => successor_province(u.code),
                AdminLevel::Province => successor_province(u.code),
            };
            let id = crate::new_id();
            placed.insert(u.code, (id, path.clone()));
            batch.push(admin_unit::ActiveModel {
                id: Set(id),
                code: Set(u.code.to_owned()),
                name: Set(u.name.to_owned()),
                name_folded: Set(fold(u.name)),
                kind: Set(u.kind.as_str().to_owned()),
                level: Set(u.level().as_str().to_owned()),
                parent_id: Set(parent.map(|(id, _)| id)),
                path: Set(path),
                valid_from: Set(None),
                valid_to: Set(Some(retired_on)),
                replaced_by_id: Set(successor_code.and_then(|c| current.get(c).copied())),
                created_at: Set(now),
                updated_at: Set(now),
                ..located(geography.get(u.code))
            });
        }
        report.inserted += batch.len();
        for chunk in batch.chunks(500) {
            admin_unit::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
        }
    }
    Ok(report)
}

/// The geography columns of a unit about to be inserted.
fn located(place: Option<&Place>) -> admin_unit::ActiveModel {
    let place = place.copied().unwrap_or_default();
    let bbox = place.bbox;
    admin_unit::ActiveModel {
        lat: Set(place.centre.map(|c| c.0)),
        lon: Set(place.centre.map(|c| c.1)),
        min_lon: Set(bbox.map(|b| b.min_lon)),
        min_lat: Set(bbox.map(|b| b.min_lat)),
        max_lon: Set(bbox.map(|b| b.max_lon)),
        max_lat: Set(bbox.map(|b| b.max_lat)),
        ..Default::default()
    }
}

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum DataLoadError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("no province has the code {0} in the 2025 structure")]
    UnknownProvince(String),
    #[error("the parent of unit {0} is missing")]
    MissingParent(String),
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn count(units: &[OfficialUnit], level: AdminLevel) -> usize {
        units.iter().filter(|u| u.level() == level).count()
    }

    /// The unit's province code, following parents.
    fn province_of<'a>(units: &HashMap<&str, &'a OfficialUnit>, mut unit: &'a OfficialUnit) -> &'static str {
        while let Some(parent) = unit.parent_code {
            unit = units[parent];
        }
        unit.code
    }

    #[test]
    fn the_2025_structure_has_34_provinces_and_3321_communes_quang_ninh_54() {
        let units = units(Structure::Current).expect("well-formed");
        assert_eq!(count(&units, AdminLevel::Province), 34);
        assert_eq!(count(&units, AdminLevel::District), 0, "no districts since July 2025");
        assert_eq!(count(&units, AdminLevel::Commune), 3321);
        let quang_ninh = units.iter().filter(|u| u.parent_code == Some("22")).count();
        assert_eq!(quang_ninh, 54);
        assert!(units.iter().any(|u| u.kind == AdminUnitKind::SpecialZone && u.parent_code == Some("22")));
        let by_code: HashMap<&str, &OfficialUnit> = units.iter().map(|u| (u.code, u)).collect();
        assert_eq!(by_code.len(), units.len(), "codes are unique in the structure");
        for u in units.iter().filter(|u| u.level() == AdminLevel::Commune) {
            let parent = u.parent_code.and_then(|p| by_code.get(p)).expect("a province");
            assert_eq!(parent.level(), AdminLevel::Province, "{}", u.name);
            assert!(u.centre.is_some(), "{} has a centroid", u.name);
        }
    }

    #[test]
    fn the_legacy_structure_has_63_provinces_696_districts_and_10035_communes() {
        let units = units(Structure::Legacy).expect("well-formed");
        assert_eq!(count(&units, AdminLevel::Province), 63);
        assert_eq!(count(&units, AdminLevel::District), 696);
        assert_eq!(count(&units, AdminLevel::Commune), 10035);
        let by_code: HashMap<&str, &OfficialUnit> = units.iter().map(|u| (u.code, u)).collect();
        assert_eq!(by_code.len(), units.len(), "codes are unique in the structure");
        let ha_long = by_code["193"];
        assert_eq!(ha_long.name, "Thành phố Hạ Long");
        assert_eq!(ha_long.parent_code, Some("22"));
        assert!(units.iter().any(|u| u.name == "Phường Hà Khánh" && u.parent_code == Some("193")));
    }

    #[test]
    fn every_unit_has_a_place_and_quang_ninh_frames_its_communes() {
        for structure in [Structure::Current, Structure::Legacy] {
            let places = places(structure).expect("well-formed");
            let list = units(structure).expect("well-formed");
            for u in &list {
                let place = places[u.code];
                let bbox = place.bbox.unwrap_or_else(|| panic!("{} ({}) has a box", u.name, u.code));
                assert!(bbox.min_lon <= bbox.max_lon && bbox.min_lat <= bbox.max_lat, "{}", u.name);
                assert!((100.0..=118.0).contains(&bbox.min_lon) && (8.0..=24.0).contains(&bbox.max_lat), "{}", u.name);
            }
            for u in &list {
                if let (Some((lat, lon)), Some(bbox)) = (places[u.code].centre, places[u.code].bbox)
                    && u.level() == AdminLevel::Commune
                {
                    assert!(bbox.contains_point(lon, lat), "{} ({}) frames its centroid", u.name, u.code);
                }
            }
            let quang_ninh = places["22"].bbox.expect("a box");
            for u in list.iter().filter(|u| u.parent_code == Some("22")) {
                if let Some((lat, lon)) = places[u.code].centre {
                    assert!(quang_ninh.contains_point(lon, lat), "{} lies in the province's box", u.name);
                }
            }
            // Quảng Ninh spans about 106.4–108.1 °E, 20.6–21.7 °N.
            assert!(quang_ninh.min_lon > 106.0 && quang_ninh.max_lon < 108.5, "{quang_ninh:?}");
            assert!(quang_ninh.min_lat > 20.4 && quang_ninh.max_lat < 21.9, "{quang_ninh:?}");
        }
    }

    #[test]
    fn every_legacy_commune_maps_to_a_current_one_with_one_default() {
        let legacy = units(Structure::Legacy).expect("well-formed");
        let current = units(Structure::Current).expect("well-formed");
        let current_codes: HashSet<&str> = current.iter().map(|u| u.code).collect();
        let legacy_by_code: HashMap<&str, &OfficialUnit> = legacy.iter().map(|u| (u.code, u)).collect();
        let successors = successors().expect("well-formed");
        let mut defaults: HashMap<&str, usize> = HashMap::new();
        for s in &successors {
            assert!(current_codes.contains(s.code), "{} → {} is a current unit", s.legacy_code, s.code);
            assert!(legacy_by_code.contains_key(s.legacy_code), "{} is a legacy unit", s.legacy_code);
            *defaults.entry(s.legacy_code).or_default() += usize::from(s.is_default);
        }
        for u in legacy.iter().filter(|u| u.level() == AdminLevel::Commune) {
            assert_eq!(defaults.get(u.code), Some(&1), "{} ({}) has one default successor", u.name, u.code);
        }
        // Quảng Ninh's legacy communes all land in Quảng Ninh.
        let current_by_code: HashMap<&str, &OfficialUnit> = current.iter().map(|u| (u.code, u)).collect();
        let quang_ninh: Vec<&Successor> =
            successors.iter().filter(|s| province_of(&legacy_by_code, legacy_by_code[s.legacy_code]) == "22").collect();
        assert!(quang_ninh.len() >= 171);
        assert!(quang_ninh.iter().all(|s| current_by_code[s.code].parent_code == Some("22")));
    }
}
