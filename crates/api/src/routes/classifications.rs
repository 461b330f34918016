//! Product classifications (versioned) and the dossier document kinds of each version.

use actix_web::{HttpResponse, get, post, web};
use ocop_domain::classification::{NodeError, NodeLevel, check_new_node, is_kind_code};
use ocop_domain::cycle::Stage;
use ocop_persistence::entities::{classification_node, classification_version, document_kind};
use ocop_persistence::{audit, classifications};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::DocumentKind;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// A version of the product classification, with its criteria decision.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e01", "code": "2023", "name": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (QĐ 148/QĐ-TTg)", "decision": "148/QĐ-TTg ngày 24/02/2023"}))]
pub struct ClassificationVersion {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub decision: String,
}

impl From<classification_version::Model> for ClassificationVersion {
    fn from(v: classification_version::Model) -> Self {
        Self { id: v.id, code: v.code, name: v.name, decision: v.decision }
    }
}

/// A group, subgroup or product set.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e80", "parent_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e7f", "code": "1.3.5", "name": "Chế biến từ thủy, hải sản", "name_en": "From fish and seafood", "level": "product_set", "is_service": false}))]
pub struct ClassificationNode {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// `group`, `subgroup` or `product_set`.
    pub level: String,
    pub is_service: bool,
}

impl From<classification_node::Model> for ClassificationNode {
    fn from(n: classification_node::Model) -> Self {
        Self {
            id: n.id,
            parent_id: n.parent_id,
            code: n.code,
            name: n.name,
            name_en: n.name_en,
            level: n.level,
            is_service: n.is_service,
        }
    }
}

async fn version(state: &AppState, id: Uuid) -> ApiResult<classification_version::Model> {
    classifications::find_version(&state.db, id).await?.ok_or_else(ApiError::not_found)
}

/// Classification versions / Các phiên bản phân loại sản phẩm.
#[utoipa::path(operation_id = "list_classifications", tag = "classifications", security(("bearer" = [])), responses(
    (status = 200, description = "The versions, oldest first", body = Vec<ClassificationVersion>),
))]
#[get("/classifications")]
pub async fn list(state: web::Data<AppState>, _user: AuthUser) -> ApiResult<web::Json<Vec<ClassificationVersion>>> {
    Ok(web::Json(classifications::versions(&state.db).await?.into_iter().map(Into::into).collect()))
}

/// Groups, subgroups and product sets of a version, in order / Nhóm, phân nhóm, bộ sản phẩm.
#[utoipa::path(operation_id = "list_classification_nodes", tag = "classifications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Version id")), responses(
    (status = 200, description = "The nodes, parents before children", body = Vec<ClassificationNode>),
))]
#[get("/classifications/{id}/nodes")]
pub async fn nodes(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<ClassificationNode>>> {
    let version = version(&state, id.into_inner()).await?;
    Ok(web::Json(classifications::nodes(&state.db, version.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"parent_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e7f", "code": "1.3.6", "name": "Chế biến từ nấm", "name_en": "From mushrooms", "is_service": false}))]
pub struct CreateNode {
    /// `null` for a new group.
    pub parent_id: Option<Uuid>,
    /// The parent's code, a dot and a number (`1.3.6`); a group's code is a number.
    #[validate(length(min = 1, max = 32))]
    pub code: String,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    #[validate(length(min = 2, max = 300))]
    pub name_en: String,
    #[serde(default)]
    pub is_service: bool,
}

/// Extend a classification / Bổ sung phân loại (admin).
#[utoipa::path(operation_id = "create_classification_node", tag = "classifications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Version id")), request_body = CreateNode, responses(
    (status = 201, description = "Created / Đã tạo", body = ClassificationNode),
    (status = 409, description = "Code already used / Mã đã tồn tại", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/classifications/{id}/nodes")]
pub async fn create_node(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CreateNode>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let version = version(&state, id.into_inner()).await?;
    let body = body.0;
    body.validate()?;
    let invalid_parent = || {
        ApiError::invalid_field(
            "parent_id",
            "invalid_parent",
            "Nhóm cha phải là nhóm hoặc phân nhóm của cùng phiên bản.",
            "The parent must be a group or subgroup of the same version.",
        )
    };
    let parent = match body.parent_id {
        Some(pid) => Some(
            classifications::find_node(&state.db, pid)
                .await?
                .filter(|p| p.version_id == version.id)
                .ok_or_else(invalid_parent)?,
        ),
        None => None,
    };
    let code = body.code.trim();
    let parent_place = match &parent {
        Some(p) => Some((p.code.as_str(), NodeLevel::parse(&p.level).ok_or_else(|| ApiError::internal("node level"))?)),
        None => None,
    };
    let level = check_new_node(parent_place, code).map_err(|e| match &e {
        NodeError::LeafParent => invalid_parent(),
        NodeError::Code { expected_prefix } => ApiError::invalid_field(
            "code",
            "node_code",
            format!("Mã phải có dạng {expected_prefix}<số>."),
            e.to_string(),
        ),
    })?;
    if classifications::find_node_by_code(&state.db, version.id, code).await?.is_some() {
        return Err(ApiError::already_exists(
            format!("Mã {code} đã tồn tại."),
            format!("The code {code} already exists."),
        ));
    }
    let is_service = body.is_service || parent.as_ref().is_some_and(|p| p.is_service);
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let sort = classifications::max_sort(&txn, version.id).await? + 1;
    let node = classifications::insert_node(
        &txn,
        version.id,
        body.parent_id,
        code,
        body.name.trim(),
        body.name_en.trim(),
        level.as_str(),
        is_service,
        sort,
    )
    .await?;
    audit::record::<classification_node::Model, _>(
        &txn,
        &user.audit(),
        "classification.extend",
        "classification_node",
        node.id,
        None,
        Some(&node),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(ClassificationNode::from(node)))
}

/// Dossier document kinds of a version / Danh mục tài liệu hồ sơ.
#[utoipa::path(operation_id = "list_document_kinds", tag = "classifications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Version id")), responses(
    (status = 200, description = "Required items first, then evidence", body = Vec<DocumentKind>),
))]
#[get("/classifications/{id}/document-kinds")]
pub async fn document_kinds(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<DocumentKind>>> {
    let version = version(&state, id.into_inner()).await?;
    Ok(web::Json(classifications::kinds(&state.db, version.id).await?.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"code": "vietgap_certificate", "name": "Giấy chứng nhận VietGAP", "name_en": "VietGAP certificate", "required_at": null, "not_for_services": true}))]
pub struct CreateKind {
    #[validate(length(min = 2, max = 48))]
    pub code: String,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    #[validate(length(min = 2, max = 300))]
    pub name_en: String,
    /// Required from this stage on; `null` makes it optional evidence.
    #[schema(schema_with = crate::schemas::stage)]
    pub required_at: Option<Stage>,
    #[serde(default)]
    pub not_for_services: bool,
}

/// Add a document kind / Bổ sung loại tài liệu (admin).
#[utoipa::path(operation_id = "create_document_kind", tag = "classifications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Version id")), request_body = CreateKind, responses(
    (status = 201, description = "Created / Đã tạo", body = DocumentKind),
    (status = 409, description = "Code already used / Mã đã tồn tại", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/classifications/{id}/document-kinds")]
pub async fn create_document_kind(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CreateKind>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let version = version(&state, id.into_inner()).await?;
    let body = body.0;
    body.validate()?;
    let code = body.code.trim();
    if !is_kind_code(code) {
        return Err(ApiError::invalid_field(
            "code",
            "kind_code",
            "Mã chỉ gồm chữ thường không dấu, số và dấu gạch dưới.",
            "Use lower-case letters, digits and underscores.",
        ));
    }
    let existing = classifications::kinds(&state.db, version.id).await?;
    if existing.iter().any(|k| k.code == code) {
        return Err(ApiError::already_exists(
            format!("Mã {code} đã tồn tại."),
            format!("The code {code} already exists."),
        ));
    }
    let file = classifications::KindFile {
        code: code.to_owned(),
        name: body.name.trim().to_owned(),
        name_en: body.name_en.trim().to_owned(),
        category: if body.required_at.is_some() { "required" } else { "evidence" }.to_owned(),
        required_at: body.required_at.map(|s| s.as_str().to_owned()),
        not_for_services: body.not_for_services,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let sort = i32::try_from(existing.len()).unwrap_or(i32::MAX);
    let kind = classifications::insert_kind(&txn, version.id, &file, sort).await?;
    audit::record::<document_kind::Model, _>(
        &txn,
        &user.audit(),
        "document_kind.create",
        "document_kind",
        kind.id,
        None,
        Some(&kind),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(DocumentKind::from(kind)))
}
