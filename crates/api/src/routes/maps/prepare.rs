//! A growing area's input: parsed, checked against the caller's rights and the domain's area
//! rule, then turned into the row to store.

use super::*;

/// A growing area's input, checked: the row to store with the warnings to show, or every
/// field that is wrong.
pub enum Preparation {
    Ready { row: Box<growing_area::Model>, warnings: Vec<FieldError> },
    Refused(Vec<FieldError>),
}

impl Preparation {
    /// The row and warnings, or a 422 naming every wrong field (forms; imports report per row).
    pub fn ready(self) -> ApiResult<(growing_area::Model, Vec<FieldError>)> {
        match self {
            Self::Ready { row, warnings } => Ok((*row, warnings)),
            Self::Refused(errors) => Err(ApiError::invalid_fields(errors)),
        }
    }
}

/// The input parsed, with what it names loaded.
struct Parsed {
    code: GrowingAreaCode,
    geometry: AreaGeometry,
    commune: admin_unit::Model,
}

/// Parses a growing area's own fields and loads the commune and subject they name; errors
/// carry field paths under `prefix` (the import reports them per feature).
async fn parse(state: &AppState, input: &GrowingAreaInput, prefix: &str) -> ApiResult<Result<Parsed, Vec<FieldError>>> {
    let mut errors = Vec::new();
    if let Err(e) = input.validate() {
        return Ok(Err(ApiError::from(e)
            .field_errors()
            .into_iter()
            .map(|f| FieldError { field: field(prefix, &f.field), ..f })
            .collect()));
    }
    let code = match GrowingAreaCode::parse(&input.code) {
        Ok(code) => Some(code),
        Err(e) => {
            errors.push(FieldError::new(
                field(prefix, "code"),
                "growing_area_code",
                format!("Mã số vùng trồng không hợp lệ: {e}"),
                e.to_string(),
            ));
            None
        }
    };
    // The self-intersection check is quadratic in the positions: on the heavy-work pool.
    let raw = input.geometry.clone();
    let parsed = state
        .heavy
        .run(move || {
            serde_json::from_value::<AreaGeometry>(raw).map(|g| {
                let checked = g.validate();
                (g, checked)
            })
        })
        .await?;
    let geometry = match parsed {
        Ok((g, checked)) => match checked {
            Ok(()) => Some(g),
            Err(e) => {
                errors.push(FieldError::new(
                    field(prefix, &format!("geometry.{}", e.path())),
                    "geometry",
                    format!("Hình học không hợp lệ: {e}"),
                    e.to_string(),
                ));
                None
            }
        },
        Err(e) => {
            errors.push(FieldError::new(
                field(prefix, "geometry"),
                "geometry",
                "Hình học phải là GeoJSON Polygon hoặc MultiPolygon.",
                format!("The geometry must be a GeoJSON Polygon or MultiPolygon: {e}"),
            ));
            None
        }
    };
    for (i, s) in input.standards.iter().enumerate() {
        if !STANDARDS.contains(&s.standard.as_str()) {
            errors.push(FieldError::new(
                field(prefix, &format!("standards[{i}].standard")),
                "standard",
                "Tiêu chuẩn là vietgap, globalgap hoặc organic.",
                "A standard is vietgap, globalgap or organic.",
            ));
        }
    }
    let commune = match &code {
        Some(code) => {
            admin_units::find_by_code(&state.db, code.commune()).await?.filter(admin_units::is_current_commune)
        }
        None => None,
    };
    if code.is_some() && commune.is_none() {
        errors.push(FieldError::new(
            field(prefix, "code"),
            "unknown_commune",
            "Mã xã trong mã số vùng trồng không tồn tại.",
            "The commune in the code does not exist.",
        ));
    }
    let subject = subjects::find(&state.db, input.subject_id).await?;
    if subject.is_none() {
        errors.push(FieldError::new(
            field(prefix, "subject_id"),
            "not_found",
            "Không tìm thấy chủ thể.",
            "No such subject.",
        ));
    }
    match (code, geometry, commune, subject) {
        (Some(code), Some(geometry), Some(commune), Some(_)) if errors.is_empty() => {
            Ok(Ok(Parsed { code, geometry, commune }))
        }
        _ => Ok(Err(errors)),
    }
}

/// Parse → the caller's right and the domain's area rule → the row.
pub async fn prepare_growing_area(
    state: &AppState,
    user: &AuthUser,
    input: GrowingAreaInput,
    existing: Option<&growing_area::Model>,
    prefix: &str,
) -> ApiResult<Preparation> {
    let Parsed { code, geometry, commune } = match parse(state, &input, prefix).await? {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Preparation::Refused(errors)),
    };
    check_manage_registry(&user.actor(), Owner { subject_id: input.subject_id, area_path: &commune.path })?;
    if let Some(old) = existing {
        check_manage_registry(&user.actor(), Owner { subject_id: old.subject_id, area_path: &old.area_path })?;
    }
    let cycle: CropCycle = input.crop_cycle.into();
    let area = check_area(&geometry, input.declared_area_ha, cycle);
    if area.below_minimum {
        return Ok(Preparation::Refused(vec![FieldError::new(
            field(prefix, "declared_area_ha"),
            "below_minimum",
            format!(
                "Vùng trồng cây {} phải có ít nhất {} ha.",
                if cycle == CropCycle::Perennial { "lâu năm" } else { "hằng năm" },
                cycle.minimum_ha()
            ),
            format!("A {} growing area needs at least {} ha.", cycle.as_str(), cycle.minimum_ha()),
        )]));
    }
    let mut warnings = Vec::new();
    if area.mismatch {
        warnings.push(FieldError::new(
            field(prefix, "declared_area_ha"),
            "area_mismatch",
            format!(
                "Diện tích khai báo {:.2} ha, diện tích theo bản đồ {:.2} ha: chênh lệch quá 20%.",
                area.declared_ha, area.computed_ha
            ),
            format!(
                "Declared {:.2} ha, the map gives {:.2} ha: more than 20% apart.",
                area.declared_ha, area.computed_ha
            ),
        ));
    }
    // Uploaded certificate files stay with their standard across edits.
    let kept: Vec<StandardHeld> =
        existing.and_then(|old| serde_json::from_str(&old.standards).ok()).unwrap_or_default();
    let standards: Vec<StandardHeld> = input
        .standards
        .into_iter()
        .map(|s| StandardHeld {
            certificate_file: kept.iter().find(|k| k.standard == s.standard).and_then(|k| k.certificate_file.clone()),
            standard: s.standard,
            certificate_number: s.certificate_number,
            expires_on: s.expires_on,
        })
        .collect();
    let bbox = geometry.bbox();
    let now = Utc::now();
    let trimmed = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let row = growing_area::Model {
        id: existing.map_or_else(ocop_persistence::new_id, |e| e.id),
        code: code.as_str().to_owned(),
        name_folded: fold(&input.name),
        name: input.name.trim().to_owned(),
        crop_folded: fold(&input.crop),
        crop: input.crop.trim().to_owned(),
        variety: trimmed(input.variety),
        crop_cycle: cycle.as_str().to_owned(),
        plant_age_years: input.plant_age_years,
        seed_origin: trimmed(input.seed_origin),
        declared_area_ha: input.declared_area_ha,
        computed_area_ha: area.computed_ha,
        subject_id: input.subject_id,
        commune_id: commune.id,
        area_path: commune.path.clone(),
        households: input.households,
        representative: trimmed(input.representative),
        standards: ocop_persistence::to_json(&standards)?,
        yields: ocop_persistence::to_json(&input.yields)?,
        geometry: ocop_persistence::to_json(&geometry)?,
        min_lon: bbox.min_lon,
        min_lat: bbox.min_lat,
        max_lon: bbox.max_lon,
        max_lat: bbox.max_lat,
        published: input.published,
        created_at: existing.map_or(now, |e| e.created_at),
        updated_at: now,
    };
    Ok(Preparation::Ready { row: Box::new(row), warnings })
}
