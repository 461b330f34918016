//! The registry's inputs (a subject, a product), checked the same way whether they come from
//! a form or from a row of an imported workbook.

use chrono::NaiveDate;
use ocop_domain::account::Email;
use ocop_domain::classification::NodeLevel;
use ocop_domain::product::{Gtin, InvalidGtin, ProductStatus, code_place, product_code};
use ocop_domain::subject::{LegalForm, Phone, TaxCode};
use ocop_persistence::entities::{admin_unit, classification_node};
use ocop_persistence::{admin_units, classifications, products, subjects};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::error::{ApiError, ApiResult, FieldError};

/// The fields of a subject, for creating (with its legal form) or replacing.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({
    "legal_form": "cooperative", "name": "Hợp tác xã Dược liệu Ba Chẽ", "tax_code": "5701765432",
    "representative": "Hoàng Văn Sơn", "phone": "0987 654 321", "email": "htx.bache@gmail.com",
    "address": "Thôn Khe Tâm, xã Thanh Sơn", "commune_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41",
    "founded_on": "2018-03-15", "members": 7, "employees": 15
}))]
pub struct SubjectInput {
    /// Ignored when replacing: the legal form changes through an upgrade.
    #[schema(schema_with = crate::schemas::legal_form)]
    pub legal_form: LegalForm,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    /// 10 digits (or 10-3 for a branch); a household may give its registration number.
    pub tax_code: String,
    #[validate(length(min = 2, max = 200))]
    pub representative: String,
    pub phone: String,
    pub email: Option<String>,
    #[validate(length(min = 2, max = 500))]
    pub address: String,
    /// The commune (xã, phường, thị trấn) where the subject is registered.
    pub commune_id: Uuid,
    pub founded_on: Option<NaiveDate>,
    #[validate(range(min = 0, max = 100_000))]
    pub members: Option<i32>,
    #[validate(range(min = 0, max = 1_000_000))]
    pub employees: Option<i32>,
}

/// Checks the fields with rules (tax code, phone, e-mail, commune, dates) and normalises them;
/// shared by the API and the spreadsheet import. `commune` is the resolved commune, if any.
pub fn check_subject(
    input: &SubjectInput,
    form: LegalForm,
    commune: Option<&admin_unit::Model>,
    today: NaiveDate,
) -> Result<subjects::SubjectData, Vec<FieldError>> {
    let mut errors = match input.validate() {
        Ok(()) => Vec::new(),
        Err(e) => ApiError::from(e).field_errors(),
    };
    let tax_code = TaxCode::parse(&input.tax_code, form).map_err(|e| {
        FieldError::new(
            "tax_code",
            "tax_code",
            "Mã số thuế gồm 10 chữ số (chi nhánh: 10 số - 3 số); hộ kinh doanh có thể dùng số ĐKKD.",
            e.to_string(),
        )
    });
    let phone = Phone::parse(&input.phone).map_err(|e| {
        FieldError::new("phone", "phone", "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).", e.to_string())
    });
    let email = match input.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(raw) => Email::parse(raw)
            .map(|e| Some(e.into_inner()))
            .map_err(|_| FieldError::new("email", "email", "Email không hợp lệ.", "Not a valid e-mail address.")),
        None => Ok(None),
    };
    let commune = match commune {
        Some(unit) if admin_units::is_current_commune(unit) => Ok(unit),
        Some(_) => Err(FieldError::new(
            "commune_id",
            "not_a_commune",
            "Phải chọn một xã, phường, thị trấn đang hoạt động.",
            "Choose a current commune, ward or township.",
        )),
        None => Err(FieldError::new("commune_id", "not_found", "Không tìm thấy xã.", "The commune does not exist.")),
    };
    if input.founded_on.is_some_and(|d| d > today) {
        errors.push(FieldError::new(
            "founded_on",
            "future_date",
            "Ngày thành lập không được ở tương lai.",
            "The founding date cannot be in the future.",
        ));
    }
    for e in [tax_code.as_ref().err(), phone.as_ref().err(), email.as_ref().err(), commune.as_ref().err()]
        .into_iter()
        .flatten()
    {
        errors.push(e.clone());
    }
    match (tax_code, phone, email, commune) {
        (Ok(tax_code), Ok(phone), Ok(email), Ok(commune)) if errors.is_empty() => Ok(subjects::SubjectData {
            legal_form: form.as_str().to_owned(),
            name: input.name.trim().to_owned(),
            tax_code: tax_code.as_str().to_owned(),
            representative: input.representative.trim().to_owned(),
            phone: phone.as_str().to_owned(),
            email,
            address: input.address.trim().to_owned(),
            commune_id: commune.id,
            area_path: commune.path.clone(),
            founded_on: input.founded_on,
            members: input.members,
            employees: input.employees,
        }),
        _ => Err(errors),
    }
}

/// The fields of a product. `subject_id` and `commune_id` are read when creating only.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({
    "name": "Chả mực Hạ Long", "classification_node_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e80",
    "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "commune_id": null,
    "description": "Chả mực giã tay từ mực tươi vùng vịnh Hạ Long.", "story": null, "gtin": "8934588012112",
    "unit": "kg", "price_vnd": 450000, "status": "active"
}))]
pub struct ProductInput {
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    /// A product set (the leaf level) of a classification version.
    pub classification_node_id: Uuid,
    pub subject_id: Uuid,
    /// Where the product is made; defaults to the subject's commune.
    pub commune_id: Option<Uuid>,
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    /// The product story (câu chuyện sản phẩm).
    #[validate(length(max = 20000))]
    pub story: Option<String>,
    /// GTIN-8/12/13/14 with a valid check digit.
    pub gtin: Option<String>,
    #[validate(length(min = 1, max = 32))]
    pub unit: String,
    #[validate(range(min = 0, max = 1_000_000_000_000i64))]
    pub price_vnd: Option<i64>,
    /// Defaults to `active`.
    #[schema(schema_with = crate::schemas::product_status)]
    pub status: Option<ProductStatus>,
}

/// Checks and normalises a product's fields; shared by the API and the import.
pub fn check_product(
    input: &ProductInput,
    node: Option<&classification_node::Model>,
) -> Result<products::ProductData, Vec<FieldError>> {
    let mut errors = match input.validate() {
        Ok(()) => Vec::new(),
        Err(e) => ApiError::from(e).field_errors(),
    };
    let gtin = match input.gtin.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(raw) => match Gtin::parse(raw) {
            Ok(g) => Some(g.as_str().to_owned()),
            Err(e) => {
                let vi = match e {
                    InvalidGtin::Length => "GTIN gồm 8, 12, 13 hoặc 14 chữ số.",
                    InvalidGtin::CheckDigit => "Số kiểm tra của GTIN không đúng.",
                };
                errors.push(FieldError::new("gtin", "gtin", vi, e.to_string()));
                None
            }
        },
        None => None,
    };
    let node = match node {
        Some(n) if NodeLevel::parse(&n.level) == Some(NodeLevel::ProductSet) => Some(n),
        Some(_) => {
            errors.push(FieldError::new(
                "classification_node_id",
                "not_a_product_set",
                "Hãy chọn một bộ sản phẩm (cấp cuối của phân loại).",
                "Choose a product set (the last level of the classification).",
            ));
            None
        }
        None => {
            errors.push(FieldError::new(
                "classification_node_id",
                "not_found",
                "Không tìm thấy phân loại.",
                "The classification does not exist.",
            ));
            None
        }
    };
    match node {
        Some(node) if errors.is_empty() => Ok(products::ProductData {
            name: input.name.trim().to_owned(),
            classification_node_id: node.id,
            group_code: classifications::group_code(&node.code).to_owned(),
            is_service: node.is_service,
            description: input.description.clone().filter(|d| !d.trim().is_empty()),
            story: input.story.clone().filter(|d| !d.trim().is_empty()),
            gtin,
            unit: input.unit.trim().to_owned(),
            price_vnd: input.price_vnd,
            status: input.status.unwrap_or(ProductStatus::Active).as_str().to_owned(),
        }),
        _ => Err(errors),
    }
}

/// The generated code for a new product of `commune`, registered in `year`.
pub async fn place(
    db: &impl ocop_persistence::ConnectionTrait,
    subject_id: Uuid,
    commune: &admin_unit::Model,
    year: i32,
) -> ApiResult<products::Placement> {
    let place = code_place(&commune.path).ok_or_else(|| {
        ApiError::invalid_field("commune_id", "not_a_commune", "Phải chọn một xã.", "Choose a commune.")
    })?;
    let seq = products::next_seq(db, commune.id, year).await?;
    Ok(products::Placement {
        code: product_code(&place, u32::try_from(seq).map_err(ApiError::internal)?, year),
        commune_seq: seq,
        code_year: year,
        subject_id,
        commune_id: commune.id,
        area_path: commune.path.clone(),
    })
}
