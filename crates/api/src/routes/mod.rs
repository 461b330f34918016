//! One module per resource, one handler per action.

pub mod admin_units;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod batches;
pub mod boundaries;
pub mod catalog;
pub mod certificates;
pub mod classifications;
pub mod councils;
pub mod criteria_sets;
pub mod cycles;
pub mod epcis;
pub mod funding;
pub mod geo;
pub mod health;
pub mod imports;
pub mod maps;
pub mod notifications;
pub mod partners;
pub mod products;
pub mod programme;
pub mod progress;
pub mod reorganisations;
pub mod reports;
pub mod sessions;
pub mod subjects;
pub mod trace;
pub mod trade_events;
pub mod training;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`. Fixed paths (`/subjects/export`) come before `{id}` paths.
pub fn api_v1(cfg: &mut ServiceConfig) {
    // The router tries routes in this order, matching each dynamic one with a regex: the busy
    // public look-ups (a consumer's scan, the portals' catalog pulls) come first.
    cfg.service(trace::lookup::public_trace)
        .service(trace::lookup::set_place)
        .service(catalog::list)
        .service(catalog::facets)
        .service(catalog::get)
        .service(catalog::changes_since)
        .service(products::photos::public_photo)
        .service(auth::login)
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
        .service(reorganisations::reorganise)
        .service(boundaries::import_boundaries)
        .service(audit::list)
        .service(classifications::list)
        .service(classifications::nodes)
        .service(classifications::create_node)
        .service(classifications::document_kinds)
        .service(classifications::create_document_kind)
        .service(subjects::list)
        .service(subjects::export)
        .service(subjects::create)
        .service(subjects::get)
        .service(subjects::update)
        .service(subjects::upgrade)
        .service(products::list)
        .service(products::export)
        .service(products::create)
        .service(products::get)
        .service(products::update)
        .service(products::photos::set_photo)
        .service(products::photos::remove_photo)
        .service(cycles::list)
        .service(cycles::create)
        .service(cycles::get)
        .service(cycles::update)
        .service(applications::list::list)
        .service(applications::list::export)
        .service(applications::register::register)
        .service(applications::moves::get)
        .service(applications::moves::make_move)
        .service(applications::documents::upload)
        .service(applications::documents::download_file)
        .service(applications::documents::review)
        .service(progress::by_stage)
        .service(applications::list::overdue_list)
        .service(progress::by_subject)
        .service(imports::template)
        .service(imports::run)
        .service(criteria_sets::list)
        .service(criteria_sets::get)
        .service(criteria_sets::import)
        .service(criteria_sets::rules)
        .service(councils::list)
        .service(councils::create)
        .service(councils::get)
        .service(councils::add_member)
        .service(councils::remove_member)
        .service(councils::queue)
        .service(councils::create_session)
        .service(sessions::items::get)
        .service(sessions::attendance::set_attendance)
        .service(sessions::items::add_items)
        .service(sessions::minutes::minutes)
        .service(sessions::items::get_item)
        .service(sessions::sheet::save_sheet)
        .service(sessions::sheet::submit_sheet)
        .service(sessions::finalize::finalize)
        .service(sessions::reopen::reopen)
        .service(certificates::list)
        .service(certificates::get)
        .service(certificates::issue)
        .service(certificates::revoke)
        .service(certificates::evaluations)
        .service(maps::growing_areas::list_growing_areas)
        .service(maps::import::import_growing_areas)
        .service(maps::growing_areas::create_growing_area)
        .service(maps::growing_areas::get_growing_area)
        .service(maps::growing_areas::update_growing_area)
        .service(maps::certificates::upload_standard_certificate)
        .service(maps::certificates::download_standard_certificate)
        .service(maps::places::create_craft_village)
        .service(maps::places::update_craft_village)
        .service(maps::places::create_sales_point)
        .service(maps::places::update_sales_point)
        .service(programme::progress)
        .service(programme::export)
        .service(programme::set_target)
        .service(training::list)
        .service(training::create)
        .service(training::get)
        .service(training::update)
        .service(training::participants::add_participant)
        .service(training::participants::set_attendance)
        .service(training::participants::remove_participant)
        .service(funding::list)
        .service(funding::summary)
        .service(funding::create)
        .service(funding::update)
        .service(reports::report)
        .service(batches::lab_reports::upload_lab_report)
        .service(batches::lab_reports::download_lab_report)
        .service(batches::list::list)
        .service(batches::create::create)
        .service(batches::list::get)
        .service(batches::create::add)
        .service(batches::stamps::issue)
        .service(batches::stamps::download)
        .service(batches::stamps::void)
        .service(batches::stamps::job)
        .service(batches::scans::stats)
        .service(epcis::capture)
        .service(epcis::capture_job)
        .service(epcis::events)
        .service(notifications::list)
        .service(notifications::unread_count)
        .service(notifications::read_all)
        .service(notifications::read)
        .service(partners::list)
        .service(partners::create)
        .service(partners::get)
        .service(partners::update)
        .service(partners::keys)
        .service(partners::create_key)
        .service(partners::rotate_key)
        .service(partners::revoke_key)
        .service(partners::usage)
        .service(partners::me)
        .service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::update)
        .service(webhooks::list_deliveries)
        .service(webhooks::own_list)
        .service(webhooks::own_create)
        .service(webhooks::own_deliveries)
        .service(trade_events::list)
        .service(trade_events::create)
        .service(trade_events::get)
        .service(trade_events::update)
        .service(trade_events::add_participant)
        .service(geo::map_settings)
        .service(geo::landing)
        .service(geo::conformance)
        .service(geo::collections)
        .service(geo::get_collection)
        .service(geo::items)
        .service(geo::item);
}
