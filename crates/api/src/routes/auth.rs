//! Sign-in, token refresh with rotation, sign-out, the caller's profile, password change.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use chrono::Utc;
use ocop_domain::account::{Email, check_password};
use ocop_persistence::entities::{admin_unit, user};
use ocop_persistence::{audit, refresh_tokens, users};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, password};
use crate::dto::AdminUnitRef;
use crate::error::weak_password;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"email": "admin@ocop.demo", "password": "OcopDemo@2026"}))]
pub struct LoginRequest {
    #[validate(length(min = 3, max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 128))]
    pub password: String,
}

/// The refresh token: in the body (API clients), or, when the body leaves it out, the
/// `ocop_refresh` cookie that sign-in sets (the SPA, which never sees it).
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"refresh_token": "q0pI2lQ0b1m3Yx6fH1lJcB7i4l0Jg8pWkq3oQx9n2sA"}))]
pub struct RefreshRequest {
    #[validate(length(min = 16, max = 200))]
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// The cookie that carries the refresh token for browsers: `HttpOnly` (no script reads it),
/// `SameSite=Strict` (no other site sends it), only to the sign-in endpoints, `Secure` when the
/// public address is https.
pub const REFRESH_COOKIE: &str = "ocop_refresh";

fn refresh_cookie(state: &AppState, token: &str, max_age_seconds: i64) -> actix_web::cookie::Cookie<'static> {
    actix_web::cookie::Cookie::build(REFRESH_COOKIE, token.to_owned())
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Strict)
        .secure(state.public_base_url.starts_with("https://"))
        .path("/api/v1/auth")
        .max_age(actix_web::cookie::time::Duration::seconds(max_age_seconds))
        .finish()
}

/// A token pair as the answer, its refresh token also set as the cookie.
fn with_cookie(state: &AppState, pair: &TokenPair) -> HttpResponse {
    HttpResponse::Ok().cookie(refresh_cookie(state, &pair.refresh_token, pair.refresh_expires_in)).json(pair)
}

/// The refresh token a request presents: the body's, else the cookie's.
fn presented(req: &HttpRequest, body: RefreshRequest) -> Option<String> {
    body.refresh_token.or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"current_password": "OcopDemo@2026", "new_password": "Hạ Long 2026 mới"}))]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 128))]
    pub current_password: String,
    #[validate(length(min = 1, max = 128))]
    pub new_password: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e12", "email": "halong@ocop.demo", "display_name": "Cán bộ phường Hạ Long (demo)",
    "role": "commune_officer",
    "admin_unit": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "code": "06688", "name": "Phường Hạ Long", "level": "commune", "path": "/22/06688/"},
    "subject_id": null
}))]
pub struct Me {
    pub id: Uuid,
    #[schema(example = "halong@ocop.demo")]
    pub email: String,
    #[schema(example = "Cán bộ phường Hạ Long (demo)")]
    pub display_name: String,
    #[schema(schema_with = crate::schemas::role)]
    pub role: String,
    pub admin_unit: Option<AdminUnitRef>,
    /// For producers: the subject the account acts for.
    pub subject_id: Option<Uuid>,
}

impl Me {
    pub fn new(user: user::Model, unit: Option<admin_unit::Model>) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            subject_id: user.subject_id,
            admin_unit: unit.map(AdminUnitRef::from),
        }
    }
}

/// An access token (JWT, 15 minutes) and a refresh token (single use, rotated).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJvY29wIiwiYXVkIjoib2NvcC1hcGkifQ.c2lnbmF0dXJl",
    "token_type": "Bearer", "expires_in": 900,
    "refresh_token": "q0pI2lQ0b1m3Yx6fH1lJcB7i4l0Jg8pWkq3oQx9n2sA", "refresh_expires_in": 1209600,
    "user": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e10", "email": "admin@ocop.demo", "display_name": "Quản trị hệ thống (demo)", "role": "admin", "admin_unit": null, "subject_id": null}
}))]
pub struct TokenPair {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    pub refresh_token: String,
    #[schema(example = 1209600)]
    pub refresh_expires_in: i64,
    pub user: Me,
}

/// Sign in with e-mail and password / Đăng nhập.
///
/// Throttled per account and per client address: too many attempts give 429 with
/// `Retry-After`, whether or not the account exists.
#[utoipa::path(operation_id = "login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, description = "Signed in / Đăng nhập thành công", body = TokenPair),
    (status = 401, description = "Wrong e-mail or password / Sai email hoặc mật khẩu", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "Account disabled / Tài khoản bị khóa", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts / Quá nhiều lần thử", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let account = body.email.trim().to_lowercase();
    let address = state.client_address(&req);
    let delay = state.throttle.check(&address, &account).map_err(|wait| {
        ApiError::new(ErrorCode::TooManyRequests)
            .with_message(
                "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau.",
                "Too many sign-in attempts; try again later.",
            )
            .retry_after(wait.as_secs())
    })?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let found = match Email::parse(&account) {
        Ok(email) => users::find_by_email_with_unit(&state.db, email.as_str()).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when there is no account, so timing tells nothing.
    let stored = found.as_ref().map_or_else(|| state.dummy_password_hash.clone(), |(u, _)| u.password_hash.clone());
    let verified = password::verify_blocking(&state.heavy, body.password, stored).await?;
    let (user, unit) = match found {
        Some(found) if verified => found,
        _ => {
            state.throttle.record_failure(&account, &address);
            tracing::info!(account = %account, "failed sign-in");
            return Err(ApiError::new(ErrorCode::InvalidCredentials));
        }
    };
    state.throttle.record_success(&account, &address);
    if !user.active {
        return Err(ApiError::new(ErrorCode::AccountDisabled));
    }
    let pair = issue_tokens(&state, &state.db, user, unit, Uuid::now_v7()).await?;
    Ok(with_cookie(&state, &pair))
}

/// Exchange a refresh token for a new pair / Làm mới phiên.
///
/// Each refresh token works once. Presenting a spent one again is treated as theft: the
/// whole family of tokens from that sign-in is revoked.
#[utoipa::path(operation_id = "refresh_session", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, description = "New tokens / Cặp token mới", body = TokenPair),
    (status = 401, description = "Invalid, expired, revoked or reused refresh token", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<ApiJson<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    let body = body.map(|b| b.0).unwrap_or_default();
    body.validate()?;
    let invalid = || ApiError::new(ErrorCode::InvalidRefreshToken);
    let presented = presented(&req, body).ok_or_else(invalid)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let token = refresh_tokens::find_by_hash(&txn, &hash_token(&presented)).await?.ok_or_else(invalid)?;
    if token.revoked_at.is_some() || token.expires_at <= Utc::now() {
        return Err(invalid());
    }
    if token.used_at.is_some() || !refresh_tokens::mark_used(&txn, token.id).await? {
        // Reuse: revoke the family and commit that, then refuse.
        refresh_tokens::revoke_family(&txn, token.family_id).await?;
        txn.commit().await?;
        tracing::warn!(user_id = %token.user_id, "refresh token reuse; family revoked");
        return Err(invalid());
    }
    let (user, unit) =
        users::find_with_unit(&txn, token.user_id).await?.filter(|(u, _)| u.active).ok_or_else(invalid)?;
    let pair = issue_tokens(&state, &txn, user, unit, token.family_id).await?;
    txn.commit().await?;
    Ok(with_cookie(&state, &pair))
}

/// Sign out: revoke the refresh token's family / Đăng xuất.
#[utoipa::path(operation_id = "logout", tag = "auth", request_body = RefreshRequest, responses(
    (status = 204, description = "Signed out / Đã đăng xuất"),
))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<ApiJson<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    let body = body.map(|b| b.0).unwrap_or_default();
    body.validate()?;
    if let Some(presented) = presented(&req, body)
        && let Some(token) = refresh_tokens::find_by_hash(&state.db, &hash_token(&presented)).await?
    {
        refresh_tokens::revoke_family(&state.db, token.family_id).await?;
    }
    Ok(HttpResponse::NoContent().cookie(refresh_cookie(&state, "", 0)).finish())
}

/// The signed-in user / Người dùng hiện tại.
#[utoipa::path(operation_id = "get_me", tag = "auth", security(("bearer" = [])), responses(
    (status = 200, description = "Profile / Hồ sơ người dùng", body = Me),
))]
#[get("/auth/me")]
pub async fn me(user: AuthUser) -> web::Json<Me> {
    web::Json(Me::new(user.user, user.unit))
}

/// Change one's own password / Đổi mật khẩu.
///
/// Every other session of the account is signed out; a fresh token pair is returned.
#[utoipa::path(operation_id = "change_own_password", tag = "auth", security(("bearer" = [])), request_body = ChangePasswordRequest, responses(
    (status = 200, description = "Password changed; new tokens / Đã đổi mật khẩu", body = TokenPair),
    (status = 401, description = "Current password wrong / Mật khẩu hiện tại không đúng", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let row = user.user.clone();
    if !password::verify_blocking(&state.heavy, body.current_password, row.password_hash.clone()).await? {
        return Err(ApiError::new(ErrorCode::InvalidCredentials)
            .with_message("Mật khẩu hiện tại không đúng.", "The current password is wrong."));
    }
    check_password(&body.new_password, &row.email).map_err(|w| weak_password("new_password", w))?;
    let hash = password::hash_blocking(&state.heavy, body.new_password).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated =
        users::update(&txn, row.clone(), users::UserChanges { password_hash: Some(hash), ..Default::default() })
            .await?;
    refresh_tokens::revoke_all_for_user(&txn, row.id).await?;
    audit::record(&txn, &user.audit(), "user.password_change", "user", row.id, Some(&row), Some(&updated)).await?;
    let pair = issue_tokens(&state, &txn, updated, user.unit, Uuid::now_v7()).await?;
    txn.commit().await?;
    Ok(with_cookie(&state, &pair))
}

fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

async fn issue_tokens(
    state: &AppState,
    db: &impl ocop_persistence::ConnectionTrait,
    user: user::Model,
    unit: Option<admin_unit::Model>,
    family: Uuid,
) -> ApiResult<TokenPair> {
    let (access_token, expires_in) = state.jwt.issue(user.id, &user.role).map_err(ApiError::internal)?;
    let mut raw = [0u8; 32];
    rand::rng().fill(&mut raw[..]);
    let refresh_token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let expires_at = Utc::now() + chrono::Duration::seconds(state.refresh_ttl_seconds);
    refresh_tokens::insert(db, user.id, family, hash_token(&refresh_token), expires_at).await?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer",
        expires_in,
        refresh_token,
        refresh_expires_in: state.refresh_ttl_seconds,
        user: Me::new(user, unit),
    })
}
