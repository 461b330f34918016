//! The OpenAPI 3.1 document: paths come from the registered handlers (utoipa-actix-web), so
//! routes and docs cannot drift; the standard error responses are added here, in one place.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use crate::error::{ApiError, ErrorCode, FieldError, Problem};
use crate::webhooks::{CatalogEvent, CatalogEventData};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OCOP API",
        description = "API của hệ thống quản lý Chương trình OCOP (Mỗi xã một sản phẩm) cấp tỉnh.\n\n\
            API of the provincial OCOP (One Commune One Product) management system.\n\n\
            Errors are RFC 9457 `application/problem+json` with a stable snake_case `code` and \
            messages in Vietnamese (`message_vi`) and English (`message_en`). Lists return \
            `{\"items\": [...], \"total\": n}` and take `limit` (1–200, default 20) and `offset`.\n\n\
            Sign in at `POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&Security),
    tags(
        (name = "health", description = "Liveness and readiness / Tình trạng dịch vụ"),
        (name = "auth", description = "Sign-in and sessions / Đăng nhập và phiên làm việc"),
        (name = "users", description = "User accounts (admins) / Quản lý tài khoản"),
        (name = "admin-units", description = "Administrative units: province, district, commune / Đơn vị hành chính"),
        (name = "audit", description = "Audit trail (admins) / Nhật ký thay đổi"),
        (name = "classifications", description = "Product classifications (2019, 2023) and dossier document kinds / Phân loại sản phẩm, danh mục hồ sơ"),
        (name = "subjects", description = "OCOP subjects: enterprises, cooperatives, cooperative groups, households / Chủ thể OCOP"),
        (name = "products", description = "Products and their codes / Sản phẩm"),
        (name = "cycles", description = "Annual cycles and stage deadlines / Chu trình OCOP hằng năm"),
        (name = "applications", description = "A product in a cycle: moves, history, dossier documents and reviews / Hồ sơ tham gia chu trình"),
        (name = "progress", description = "Progress per stage, area and subject / Tiến độ"),
        (name = "imports", description = "Spreadsheet import of subjects and products / Nhập liệu từ Excel"),
        (name = "scoring", description = "Criteria sets (parts A/B/C, 100 points) and the configured council levels / Bộ tiêu chí và cấu hình cấp hội đồng"),
        (name = "councils", description = "Evaluation councils, members, sessions, score sheets, results / Hội đồng đánh giá, phân hạng; phiên họp; phiếu chấm"),
        (name = "catalog", description = "Public catalog of certified 3★+ OCOP products for e-commerce portals: list, product (JSON or schema.org JSON-LD), change feed, trade events; ETag/304. Open without a key (rate-limited per address); partners send `X-API-Key` with the `catalog:read` scope for their own, higher rate. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`; over the rate: 429 with `Retry-After`.\n\nDanh mục công khai các sản phẩm OCOP từ 3 sao còn hiệu lực cho sàn thương mại điện tử: danh sách, chi tiết (JSON hoặc JSON-LD schema.org), biến động, hội chợ; ETag/304. Không cần khóa (giới hạn theo địa chỉ); đối tác gửi `X-API-Key` có quyền `catalog:read` để có hạn mức riêng. Vượt hạn mức: 429 kèm `Retry-After`."),
        (name = "partners", description = "Partners of the catalog and their API keys: shown once, stored hashed, scopes, rate per minute, rotation with a grace period, revocation, usage per day. See docs/integrators.md.\n\nĐối tác khai thác danh mục và khóa API: chỉ hiển thị một lần, lưu dạng băm, phạm vi quyền, hạn mức mỗi phút, đổi khóa có thời gian chuyển tiếp, thu hồi, thống kê sử dụng."),
        (name = "webhooks", description = "Webhooks for `product.listed`, `product.updated`, `product.delisted`: POSTed as JSON, signed `X-OCOP-Signature: sha256=<hex HMAC-SHA256 of the raw body with the subscription's secret>`, with `X-OCOP-Event-Id` to de-duplicate; retried with backoff (10 s, ×3 each time, up to 12 attempts); delivery log. Events are written with the change that raised them, so none is lost.\n\nWebhook báo sản phẩm được đưa vào, cập nhật, rút khỏi danh mục: ký HMAC-SHA256 trên nội dung gốc, có mã sự kiện để loại trùng, gửi lại khi lỗi, có nhật ký gửi."),
        (name = "maps", description = "Growing areas, craft villages with tourism services, OCOP sales points: writing, GeoJSON import / Vùng trồng, làng nghề, điểm bán"),
        (name = "geo", description = "OGC API – Features (Part 1: Core): published growing areas, craft villages and sales points as GeoJSON, no sign-in / Dịch vụ bản đồ theo chuẩn OGC"),
        (name = "programme", description = "Programme targets per area and period (products standardised, 5★, 3–4★, organisations upgraded, training shares) and progress against them, counted from the live data; training courses with participants, attendance and completion; funding lines (planned, allocated, disbursed) and totals; standard reports as JSON, .xlsx, .csv or PDF / Chỉ tiêu, tiến độ, đào tạo, nguồn vốn, báo cáo"),
        (name = "notifications", description = "The caller's in-app notifications: stage deadlines, documents returned for fixing, sessions to score, certificates expiring within 90 days, counterfeit alerts; read/unread. An optional e-mail hook (`OCOP_NOTIFICATION_MAIL_COMMAND`) receives each as a message / Thông báo trong ứng dụng"),
        (name = "traceability", description = "Batch records (inputs, lab tests, retained samples), e-stamps issued per batch (64 random bits and a check symbol; CSV, SVG and PDF sheets; voiding), the public trace of a stamp (`/t/{code}` page, JSON, GS1 Digital Link), the scan log with counterfeit signals, and GS1 EPCIS 2.0 capture and query / Truy xuất nguồn gốc, tem điện tử"),
        (name = "certificates", description = "OCOP certificates: issue, revoke, expiry, a product's star history / Giấy chứng nhận sản phẩm OCOP"),
    ),
    components(schemas(Problem, FieldError, ErrorCode, CatalogEvent, CatalogEventData)),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "A partner's API key (issued by an admin) / Khóa API của đối tác",
            ))),
        );
    }
}

/// The shared error responses: (status, component name, code of the example).
const ERRORS: &[(&str, &str, ErrorCode)] = &[
    ("400", "BadRequest", ErrorCode::MalformedRequest),
    ("401", "Unauthorized", ErrorCode::Unauthenticated),
    ("403", "Forbidden", ErrorCode::Forbidden),
    ("404", "NotFound", ErrorCode::NotFound),
    ("409", "Conflict", ErrorCode::Conflict),
    ("413", "PayloadTooLarge", ErrorCode::PayloadTooLarge),
    ("415", "UnsupportedMediaType", ErrorCode::UnsupportedMediaType),
    ("422", "UnprocessableEntity", ErrorCode::ValidationFailed),
    ("429", "TooManyRequests", ErrorCode::TooManyRequests),
    ("500", "InternalError", ErrorCode::Internal),
    ("503", "ServiceUnavailable", ErrorCode::Unavailable),
];

/// Adds the standard problem responses to every operation that can produce them.
pub fn add_error_responses(doc: &mut Document) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (_, name, code) in ERRORS {
        let example = serde_json::to_value(ApiError::new(*code).problem()).unwrap_or_default();
        let (_, en) = code.messages();
        let (vi, _) = code.messages();
        components.responses.insert(
            (*name).to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(format!("{en} / {vi}"))
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .example(Some(example))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            add_to_operation(op, has_path_params);
        }
    }
}

fn add_to_operation(op: &mut Operation, has_path_params: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let keyed = serde_json::to_string(&op.security).is_ok_and(|s| s.contains("api_key"));
    let has_body = op.request_body.is_some();
    let has_query = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    for (status, name, _) in ERRORS {
        let applies = match *status {
            "400" => has_body || has_query || has_path_params,
            "401" | "403" => secured,
            // A body may name an object (a product, a subject) that does not exist.
            "404" => has_path_params || has_body,
            // A write can meet a unique or reference constraint (see `From<DbErr>`).
            "409" | "413" | "415" => has_body,
            "429" => keyed,
            "422" => has_body || has_query,
            _ => true,
        };
        if applies {
            op.responses
                .responses
                .entry((*status).to_owned())
                .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
        }
    }
}
