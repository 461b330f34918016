//! OpenAPI schemas for domain enums (the domain crate knows nothing of utoipa); the values
//! come from the domain types themselves, so the document cannot drift from the code.

use ocop_domain::account::Role;
use ocop_domain::admin_unit::{AdminLevel, AdminUnitKind};
use ocop_domain::council::{CertificateStatus, CouncilLevel, MemberRole};
use ocop_domain::cycle::{Action, ApplicationStatus, Stage};
use ocop_domain::dossier::Review;
use ocop_domain::product::ProductStatus;
use ocop_domain::subject::LegalForm;
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

/// As [`string_enum`], where the value may also be `null`.
fn nullable_enum(object: Object) -> Object {
    let mut object = object;
    object.schema_type = utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]);
    if let Some(values) = object.enum_values.as_mut() {
        values.push(serde_json::Value::Null);
    }
    object
}

/// A stage, or `null`.
pub fn optional_stage() -> Object {
    nullable_enum(stage())
}

/// A council level, or `null`.
pub fn optional_council_level() -> Object {
    nullable_enum(council_level())
}

/// A report's rows: arrays of cells, each text, a number or `null`.
pub fn report_rows() -> utoipa::openapi::schema::Array {
    let cell = ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Number, Type::Null]))
        .description(Some("Một ô: chữ, số hoặc null / a cell: text, a number or null"))
        .build();
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::schema::ArrayItems::RefOrSchema(Box::new(utoipa::openapi::RefOr::T(
            utoipa::openapi::schema::Schema::Array(utoipa::openapi::schema::ArrayBuilder::new().items(cell).build()),
        ))))
        .build()
}

pub fn role() -> Object {
    string_enum(Role::ALL.iter().map(|r| r.as_str()), "commune_officer", "Vai trò / role")
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

pub fn legal_form() -> Object {
    string_enum(
        LegalForm::ALL.iter().map(|f| f.as_str()),
        "cooperative",
        "Loại hình: household (hộ có ĐKKD), cooperative_group (tổ hợp tác), cooperative (hợp tác xã), \
         enterprise (doanh nghiệp), joint_stock_company (công ty cổ phần)",
    )
}

pub fn stage() -> Object {
    string_enum(
        Stage::ALL.iter().map(|s| s.as_str()),
        "business_plan",
        "Bước của chu trình OCOP: promotion (tuyên truyền), idea_registration (đăng ký ý tưởng), \
         business_plan (phương án SXKD), implementation (triển khai), evaluation (đánh giá, phân hạng), \
         trade_promotion (xúc tiến thương mại)",
    )
}

pub fn application_status() -> Object {
    string_enum(
        ApplicationStatus::ALL.iter().map(|s| s.as_str()),
        "plan_submitted",
        "Trạng thái hồ sơ tham gia chu trình / application status",
    )
}

pub fn action() -> Object {
    string_enum(Action::ALL.iter().map(|a| a.as_str()), "approve_plan", "Thao tác chuyển bước / move")
}

pub fn actions() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new().items(action()).build()
}

pub fn review() -> Object {
    string_enum(
        Review::ALL.iter().map(|r| r.as_str()),
        "needs_fix",
        "Kết quả thẩm định tài liệu: pending (chờ), accepted (đạt), needs_fix (cần bổ sung)",
    )
}

pub fn product_status() -> Object {
    string_enum(ProductStatus::ALL.iter().map(|s| s.as_str()), "active", "Trạng thái sản phẩm / product status")
}

pub fn council_level() -> Object {
    string_enum(
        CouncilLevel::ALL.iter().map(|l| l.as_str()),
        "province",
        "Cấp hội đồng: commune_check (cấp xã), district (cấp huyện), province (cấp tỉnh), national (cấp trung ương)",
    )
}

pub fn member_role() -> Object {
    string_enum(
        MemberRole::ALL.iter().map(|r| r.as_str()),
        "member",
        "Vai trò trong hội đồng: chair (chủ tịch), vice_chair (phó chủ tịch), member (thành viên), secretary (thư ký, không chấm điểm)",
    )
}

pub fn certificate_status() -> Object {
    string_enum(
        CertificateStatus::ALL.iter().map(|s| s.as_str()),
        "active",
        "Tình trạng giấy chứng nhận: active (còn hiệu lực), expired (hết hạn), revoked (thu hồi), superseded (được thay thế)",
    )
}

/// For PATCH bodies: distinguishes an absent field (`None`) from an explicit `null`
/// (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
