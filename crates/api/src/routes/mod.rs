//! One module per resource, one handler per action.

pub mod admin_units;
pub mod audit;
pub mod auth;
pub mod health;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(auth::change_password)
        .service(users::list)
        .service(users::create)
        .service(users::get)
        .service(users::update)
        .service(users::reset_password)
        .service(admin_units::list)
        .service(admin_units::create)
        .service(admin_units::get)
        .service(admin_units::tree)
        .service(admin_units::update)
        .service(admin_units::retire)
        .service(audit::list);
}
