//! One error type for the whole API, rendered as RFC 9457 `application/problem+json` with a
//! stable snake_case `code` and messages in Vietnamese and English. Internal causes are
//! logged, never sent.

use std::borrow::Cow;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{ValidationErrors, ValidationErrorsKind};

/// Machine-readable error codes. Clients switch on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedRequest,
    ValidationFailed,
    InvalidCredentials,
    Unauthenticated,
    InvalidRefreshToken,
    AccountDisabled,
    Forbidden,
    OutsideArea,
    NotFound,
    Conflict,
    QuorumNotMet,
    AlreadyFinalized,
    NotFinalized,
    SheetsMissing,
    AlreadySubmitted,
    AttendanceFrozen,
    CertificateStands,
    InvalidTransition,
    ChangedMeanwhile,
    AlreadyExists,
    NotAScorer,
    NotTheChair,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Internal,
    Unavailable,
}

impl ErrorCode {
    pub const fn status(self) -> StatusCode {
        match self {
            Self::MalformedRequest => StatusCode::BAD_REQUEST,
            Self::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::InvalidCredentials | Self::Unauthenticated | Self::InvalidRefreshToken => StatusCode::UNAUTHORIZED,
            Self::AccountDisabled | Self::Forbidden | Self::OutsideArea => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict
            | Self::QuorumNotMet
            | Self::AlreadyFinalized
            | Self::NotFinalized
            | Self::SheetsMissing
            | Self::AlreadySubmitted
            | Self::AttendanceFrozen
            | Self::CertificateStands
            | Self::InvalidTransition
            | Self::ChangedMeanwhile
            | Self::AlreadyExists => StatusCode::CONFLICT,
            Self::NotAScorer | Self::NotTheChair => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::AccountDisabled => "account_disabled",
            Self::Forbidden => "forbidden",
            Self::OutsideArea => "outside_area",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::QuorumNotMet => "quorum_not_met",
            Self::AlreadyFinalized => "already_finalized",
            Self::NotFinalized => "not_finalized",
            Self::SheetsMissing => "sheets_missing",
            Self::AlreadySubmitted => "already_submitted",
            Self::AttendanceFrozen => "attendance_frozen",
            Self::CertificateStands => "certificate_stands",
            Self::InvalidTransition => "invalid_transition",
            Self::ChangedMeanwhile => "changed_meanwhile",
            Self::AlreadyExists => "already_exists",
            Self::NotAScorer => "not_a_scorer",
            Self::NotTheChair => "not_the_chair",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooManyRequests => "too_many_requests",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }

    /// Default (Vietnamese, English) messages.
    pub const fn messages(self) -> (&'static str, &'static str) {
        match self {
            Self::MalformedRequest => ("Yêu cầu không đúng định dạng.", "The request is malformed."),
            Self::ValidationFailed => ("Dữ liệu không hợp lệ.", "Some fields are invalid."),
            Self::InvalidCredentials => ("Email hoặc mật khẩu không đúng.", "Wrong e-mail or password."),
            Self::Unauthenticated => ("Bạn cần đăng nhập lại.", "Authentication required."),
            Self::InvalidRefreshToken => {
                ("Phiên đăng nhập đã hết hạn hoặc bị thu hồi.", "The session expired or was revoked.")
            }
            Self::AccountDisabled => ("Tài khoản đã bị khóa.", "This account is disabled."),
            Self::Forbidden => ("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
            Self::OutsideArea => {
                ("Đối tượng nằm ngoài địa bàn bạn quản lý.", "The object lies outside your administrative area.")
            }
            Self::NotFound => ("Không tìm thấy.", "Not found."),
            Self::Conflict => ("Xung đột với dữ liệu hiện có.", "Conflicts with existing data."),
            Self::QuorumNotMet => ("Phiên họp chưa đủ túc số để chấm điểm.", "The session has no quorum to score."),
            Self::AlreadyFinalized => ("Kết quả đã được chốt.", "The result is already finalized."),
            Self::NotFinalized => ("Kết quả chưa được chốt.", "The result is not finalized."),
            Self::SheetsMissing => {
                ("Chưa đủ phiếu chấm của các thành viên có mặt.", "Not every present member has submitted.")
            }
            Self::AlreadySubmitted => ("Phiếu đã nộp.", "The sheet is already submitted."),
            Self::AttendanceFrozen => (
                "Đã bắt đầu chấm điểm; không thể thay đổi điểm danh.",
                "Scoring has started; attendance can no longer change.",
            ),
            Self::CertificateStands => (
                "Đã cấp giấy chứng nhận từ kết quả này; hãy thu hồi trước.",
                "A certificate was issued from this result; revoke it first.",
            ),
            Self::InvalidTransition => {
                ("Không thể thực hiện thao tác này ở trạng thái hiện tại.", "Not possible in the current state.")
            }
            Self::ChangedMeanwhile => {
                ("Dữ liệu vừa được người khác thay đổi; hãy tải lại.", "Someone else just changed this; reload it.")
            }
            Self::AlreadyExists => ("Đã tồn tại.", "Already exists."),
            Self::NotAScorer => (
                "Chỉ thành viên chấm điểm có mặt tại phiên họp mới được chấm.",
                "Only scoring members present at the session may score.",
            ),
            Self::NotTheChair => (
                "Chỉ chủ tịch hội đồng có mặt tại phiên họp mới được chốt kết quả.",
                "Only the council's chair, present at the session, finalizes.",
            ),
            Self::PayloadTooLarge => ("Dữ liệu gửi lên quá lớn.", "The request body is too large."),
            Self::UnsupportedMediaType => ("Định dạng nội dung không được hỗ trợ.", "Unsupported content type."),
            Self::TooManyRequests => {
                ("Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests; try again later.")
            }
            Self::Internal => ("Lỗi hệ thống, vui lòng thử lại sau.", "Internal error; please try again later."),
            Self::Unavailable => ("Dịch vụ tạm thời không sẵn sàng.", "Service temporarily unavailable."),
        }
    }
}

/// A problem with one field of the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"field": "email", "code": "email", "message_vi": "Email không hợp lệ.", "message_en": "Not a valid e-mail address."}))]
pub struct FieldError {
    /// Path of the field in the request (`parent_id`, `items[2].name`).
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self { field: field.into(), code: code.into(), message_vi: vi.into(), message_en: en.into() }
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:ocop:problem:validation_failed",
    "title": "Some fields are invalid.",
    "status": 422,
    "detail": "Some fields are invalid.",
    "code": "validation_failed",
    "message_vi": "Dữ liệu không hợp lệ.",
    "message_en": "Some fields are invalid.",
    "errors": [{"field": "code", "code": "admin_unit_code", "message_vi": "Mã xã gồm 5 chữ số.", "message_en": "A commune code has 5 digits."}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    pub message_vi: String,
    pub message_en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    message_vi: Cow<'static, str>,
    message_en: Cow<'static, str>,
    fields: Vec<FieldError>,
    retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        let (vi, en) = code.messages();
        Self { code, message_vi: vi.into(), message_en: en.into(), fields: Vec::new(), retry_after: None }
    }

    pub fn with_message(mut self, vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        self.message_vi = vi.into();
        self.message_en = en.into();
        self
    }

    pub fn with_field(mut self, field: FieldError) -> Self {
        self.fields.push(field);
        self
    }

    /// The field-level problems collected so far.
    pub fn field_errors(self) -> Vec<FieldError> {
        self.fields
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn conflict(vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::Conflict).with_message(vi, en)
    }

    /// The code, name or membership is already taken (409 `already_exists`).
    pub fn already_exists(vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::AlreadyExists).with_message(vi, en)
    }

    /// The object changed between reading and writing (a concurrent move came first).
    pub fn changed_meanwhile(vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::ChangedMeanwhile).with_message(vi, en)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated)
    }

    /// A single-field validation failure.
    pub fn invalid_field(field: &str, code: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(ErrorCode::ValidationFailed).with_field(FieldError::new(field, code, vi, en))
    }

    /// A validation failure over several fields.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        errors.into_iter().fold(Self::new(ErrorCode::ValidationFailed), Self::with_field)
    }

    pub fn malformed(en: impl Into<String>) -> Self {
        let en = en.into();
        Self::new(ErrorCode::MalformedRequest)
            .with_message(format!("Yêu cầu không đúng định dạng: {en}"), format!("The request is malformed: {en}"))
    }

    /// Logs the cause with the current span (which carries the request id) and hides it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::Internal)
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:ocop:problem:{}", self.code.as_str()),
            title: self.code.messages().1.to_owned(),
            status: self.code.status().as_u16(),
            detail: self.message_en.to_string(),
            code: self.code,
            message_vi: self.message_vi.to_string(),
            message_en: self.message_en.to_string(),
            errors: self.fields.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message_en)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.code == ErrorCode::Unauthenticated {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<ocop_persistence::DbErr> for ApiError {
    fn from(err: ocop_persistence::DbErr) -> Self {
        match err.sql_err() {
            Some(ocop_persistence::SqlErr::UniqueConstraintViolation(_)) => {
                Self::already_exists("Đã tồn tại bản ghi với giá trị này.", "A record with this value already exists.")
            }
            Some(ocop_persistence::SqlErr::ForeignKeyConstraintViolation(_)) => Self::conflict(
                "Bản ghi đang được tham chiếu hoặc tham chiếu không tồn tại.",
                "The record is referenced elsewhere, or refers to a missing record.",
            ),
            _ => Self::internal(err),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let mut out = Self::new(ErrorCode::ValidationFailed);
        collect_field_errors(&errors, "", &mut out.fields);
        out
    }
}

fn collect_field_errors(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let (vi, en) = describe_validation(e);
                    out.push(FieldError::new(path.clone(), e.code.to_string(), vi, en));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_field_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

fn describe_validation(e: &validator::ValidationError) -> (String, String) {
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => {
                (format!("Độ dài phải từ {min} đến {max} ký tự."), format!("Must be {min} to {max} characters long."))
            }
            (Some(min), None) => {
                (format!("Cần ít nhất {min} ký tự."), format!("Must be at least {min} characters long."))
            }
            (None, Some(max)) => (format!("Tối đa {max} ký tự."), format!("Must be at most {max} characters long.")),
            _ => ("Độ dài không hợp lệ.".into(), "Invalid length.".into()),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => {
                (format!("Giá trị phải từ {min} đến {max}."), format!("Must be between {min} and {max}."))
            }
            _ => ("Giá trị ngoài phạm vi cho phép.".into(), "Out of range.".into()),
        },
        "email" => ("Email không hợp lệ.".into(), "Not a valid e-mail address.".into()),
        "required" => ("Trường này là bắt buộc.".into(), "This field is required.".into()),
        _ => match &e.message {
            // Custom validators carry "vi|en" in their message.
            Some(message) => match message.split_once('|') {
                Some((vi, en)) => (vi.to_owned(), en.to_owned()),
                None => (message.to_string(), message.to_string()),
            },
            None => ("Giá trị không hợp lệ.".into(), "Invalid value.".into()),
        },
    }
}

impl From<ocop_domain::session::QuorumError> for ApiError {
    fn from(e: ocop_domain::session::QuorumError) -> Self {
        use ocop_domain::session::QuorumError;
        let vi = match e {
            QuorumError::NoChair => "Hội đồng chưa có chủ tịch.".to_owned(),
            QuorumError::ChairAbsent => "Chủ tịch hội đồng vắng mặt: phiên họp chưa đủ điều kiện chấm điểm.".to_owned(),
            QuorumError::TooFew { present, members } => {
                format!("Mới có {present}/{members} thành viên chấm điểm có mặt; cần ít nhất 75%.")
            }
        };
        Self::new(ErrorCode::QuorumNotMet).with_message(vi, e.to_string())
    }
}

/// Each refusal of the session rules has its own code.
impl From<ocop_domain::session::SessionError> for ApiError {
    fn from(e: ocop_domain::session::SessionError) -> Self {
        use ocop_domain::session::SessionError as E;
        let en = e.to_string();
        match e {
            E::Quorum(q) => q.into(),
            E::AlreadyFinalized => {
                Self::new(ErrorCode::AlreadyFinalized).with_message("Kết quả đã được chủ tịch hội đồng chốt.", en)
            }
            E::NotFinalized => Self::new(ErrorCode::NotFinalized),
            E::NotAScorer => Self::new(ErrorCode::NotAScorer),
            E::NotTheChair => Self::new(ErrorCode::NotTheChair),
            E::NotKeeper => {
                Self::forbidden().with_message("Chỉ chủ tịch, thư ký hoặc người quản lý hội đồng được điểm danh.", en)
            }
            E::AttendanceFrozen => Self::new(ErrorCode::AttendanceFrozen)
                .with_message("Đã có thành viên bắt đầu chấm điểm; không thể thay đổi điểm danh.", en),
            E::AlreadySubmitted => Self::new(ErrorCode::AlreadySubmitted)
                .with_message("Phiếu đã nộp; chỉ chấm lại khi điểm các thành viên chênh lệch quá 10 điểm.", en),
            E::SheetsMissing => Self::new(ErrorCode::SheetsMissing),
            E::DiscussionRequired => Self::invalid_field(
                "discussion_note",
                "required",
                "Điểm các thành viên chênh lệch quá 10 điểm: cần ghi nội dung thảo luận của hội đồng.",
                en,
            ),
            E::CertificateStands => Self::new(ErrorCode::CertificateStands)
                .with_message("Đã cấp giấy chứng nhận từ kết quả này; hãy thu hồi giấy chứng nhận trước.", en),
        }
    }
}

/// A password the account rules refuse, on `field`.
pub fn weak_password(field: &str, w: ocop_domain::account::WeakPassword) -> ApiError {
    use ocop_domain::account::WeakPassword;
    let vi = match w {
        WeakPassword::TooShort => "Mật khẩu cần ít nhất 10 ký tự.",
        WeakPassword::TooLong => "Mật khẩu tối đa 128 ký tự.",
        WeakPassword::MissingClass => "Mật khẩu cần có cả chữ và số.",
        WeakPassword::ContainsEmail => "Mật khẩu không được chứa email.",
    };
    ApiError::invalid_field(field, "weak_password", vi, format!("The password needs {w}."))
}

/// A partner setting the partner rules refuse.
pub fn partner_error(e: ocop_domain::partner::PartnerError) -> ApiError {
    use ocop_domain::partner::PartnerError;
    let (field, vi) = match &e {
        PartnerError::Kind => ("kind", "Loại đối tác: portal, retailer hoặc other."),
        PartnerError::Scope(_) => ("scopes", "Quyền không hợp lệ; các quyền: catalog:read, webhooks:manage."),
        PartnerError::NoScope => ("scopes", "Khóa cần ít nhất một quyền."),
        PartnerError::Event(_) => {
            ("events", "Sự kiện không hợp lệ; các sự kiện: product.listed, product.updated, product.delisted.")
        }
        PartnerError::NoEvent => ("events", "Cần đăng ký ít nhất một sự kiện."),
        PartnerError::Url => ("url", "Địa chỉ webhook phải là URL http/https đầy đủ, không chứa tên đăng nhập."),
        PartnerError::PrivateTarget => ("url", "Địa chỉ webhook trỏ tới mạng nội bộ hoặc máy chủ cục bộ."),
    };
    ApiError::invalid_field(field, "invalid", vi, e.to_string())
}
