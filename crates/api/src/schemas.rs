//! OpenAPI schemas for domain enums (the domain crate knows nothing of utoipa); the values
//! come from the domain types themselves, so the document cannot drift from the code.

use ocop_domain::account::Role;
use ocop_domain::admin_unit::{AdminLevel, AdminUnitKind};
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

fn string_enum<'a>(values: impl IntoIterator<Item = &'a str>, example: &str, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_owned)))
        .examples([serde_json::Value::from(example)])
        .description(Some(description))
        .build()
}

pub fn role() -> Object {
    string_enum(Role::ALL.iter().map(|r| r.as_str()), "district_officer", "Vai trò / role")
}

pub fn admin_level() -> Object {
    string_enum(
        [AdminLevel::Province, AdminLevel::District, AdminLevel::Commune].iter().map(|l| l.as_str()),
        "commune",
        "Cấp hành chính / administrative level",
    )
}

pub fn admin_unit_kind() -> Object {
    string_enum(
        AdminUnitKind::ALL.iter().map(|k| k.as_str()),
        "commune",
        "Loại đơn vị: province (tỉnh), municipality (thành phố trực thuộc TW), rural_district (huyện), \
         urban_district (quận), town (thị xã), provincial_city (thành phố thuộc tỉnh), commune (xã), \
         ward (phường), township (thị trấn), special_zone (đặc khu)",
    )
}

/// For PATCH bodies: distinguishes an absent field (`None`) from an explicit `null`
/// (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
