//! OGC API – Features, Part 1: Core, at `/api/v1/geo`: the published growing areas, craft
//! villages and sales points, and the current administrative units, as GeoJSON, public (no
//! sign-in).

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{SecondsFormat, Utc};
use ocop_domain::geo::{Bbox, parse_datetime};
use ocop_domain::text::fold;
use ocop_persistence::paging::Paging;
use ocop_persistence::{admin_units, maps};
use serde_json::{Value, json};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::geojson::{
    GEO_JSON, Layer, admin_unit_feature, craft_village_feature, public_growing_area_feature, sales_point_feature,
};
use crate::state::AppState;

/// Items per page when `limit` is not given, and the most a page returns.
pub const DEFAULT_LIMIT: u64 = 10;
pub const MAX_LIMIT: u64 = 1000;
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// Links start from `OCOP_PUBLIC_BASE_URL`, never from the request's `Host`.
fn base(state: &AppState) -> String {
    crate::links::geo_base(&state.public_base_url)
}

fn geojson(body: Value) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CONTENT_TYPE, GEO_JSON)).json(body)
}

/// What the SPA's map needs from the deployment.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"basemap_style_url": null}))]
pub struct MapSettings {
    /// A MapLibre style for the base layer (`OCOP_BASEMAP_STYLE_URL`); without one the data
    /// is drawn on a plain background.
    pub basemap_style_url: Option<String>,
}

/// The map's settings for the SPA / Cấu hình bản đồ.
#[utoipa::path(operation_id = "map_settings", tag = "geo", responses(
    (status = 200, description = "The base map style, if the deployment has one", body = MapSettings),
))]
#[get("/map-settings")]
pub async fn map_settings(state: web::Data<AppState>) -> web::Json<MapSettings> {
    web::Json(MapSettings { basemap_style_url: state.basemap_style_url.clone() })
}

/// Landing page / Trang giới thiệu dịch vụ bản đồ (OGC API – Features).
#[utoipa::path(operation_id = "geo_landing", tag = "geo", responses(
    (status = 200, description = "Links to the API definition, the conformance declaration and the collections", body = Object,
        example = json!({"title": "OCOP Quảng Ninh — bản đồ", "links": [{"href": "https://ocop.example.vn/api/v1/geo", "rel": "self", "type": "application/json"}]})),
))]
#[get("/geo")]
pub async fn landing(state: web::Data<AppState>) -> HttpResponse {
    let base = base(&state);
    let root = base.trim_end_matches("/api/v1/geo").to_owned();
    HttpResponse::Ok().json(json!({
        "title": "OCOP — bản đồ vùng trồng, làng nghề, điểm bán / OCOP maps",
        "description": "OGC API – Features (Part 1: Core) over the published growing areas, craft villages and OCOP sales points, and the administrative units.",
        "links": [
            {"href": base, "rel": "self", "type": "application/json", "title": "This document"},
            {"href": format!("{root}/api-docs/openapi.json"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "The API definition"},
            {"href": format!("{root}/swagger-ui/"), "rel": "service-doc", "type": "text/html", "title": "The API documentation"},
            {"href": format!("{base}/conformance"), "rel": "conformance", "type": "application/json", "title": "Conformance classes"},
            {"href": format!("{base}/collections"), "rel": "data", "type": "application/json", "title": "The collections"}
        ]
    }))
}

/// Conformance classes / Các lớp tuân thủ.
#[utoipa::path(operation_id = "geo_conformance", tag = "geo", responses(
    (status = 200, description = "The conformance classes implemented", body = Object,
        example = json!({"conformsTo": ["http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"]})),
))]
#[get("/geo/conformance")]
pub async fn conformance() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "conformsTo": [
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
        ]
    }))
}

fn collection(base: &str, layer: Layer) -> Value {
    let href = format!("{base}/collections/{}", layer.id());
    json!({
        "id": layer.id(),
        "title": layer.title(),
        "description": layer.description(),
        "itemType": "feature",
        "crs": [CRS84],
        // The province of Quảng Ninh, roughly; features outside it are not expected.
        "extent": {"spatial": {"bbox": [[106.4, 20.6, 108.1, 21.7]], "crs": CRS84}, "temporal": {"interval": [[null, null]]}},
        "links": [
            {"href": href, "rel": "self", "type": "application/json", "title": layer.title()},
            {"href": format!("{href}/items"), "rel": "items", "type": GEO_JSON, "title": "Features"}
        ]
    })
}

/// The collections / Các lớp dữ liệu bản đồ.
#[utoipa::path(operation_id = "geo_collections", tag = "geo", responses(
    (status = 200, description = "growing-areas, craft-villages, sales-points, admin-units", body = Object,
        example = json!({"collections": [{"id": "growing-areas", "itemType": "feature"}], "links": []})),
))]
#[get("/geo/collections")]
pub async fn collections(state: web::Data<AppState>) -> HttpResponse {
    let base = base(&state);
    HttpResponse::Ok().json(json!({
        "links": [{"href": format!("{base}/collections"), "rel": "self", "type": "application/json", "title": "Collections"}],
        "collections": Layer::ALL.iter().map(|l| collection(&base, *l)).collect::<Vec<_>>()
    }))
}

/// One collection / Một lớp dữ liệu.
#[utoipa::path(operation_id = "geo_collection", tag = "geo", params(("collection_id" = String, Path, description = "growing-areas, craft-villages, sales-points or admin-units")), responses(
    (status = 200, description = "The collection", body = Object, example = json!({"id": "craft-villages", "itemType": "feature"})),
    (status = 404, description = "No such collection", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/geo/collections/{collection_id}")]
pub async fn get_collection(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let layer = Layer::parse(&id)?;
    Ok(HttpResponse::Ok().json(collection(&base(&state), layer)))
}

/// The query of `/items`, for the documentation: the handler reads the raw query, so that an
/// unknown parameter is refused (400) rather than ignored.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ItemsQuery {
    /// `minLon,minLat,maxLon,maxLat` in CRS84 (edges included), or six numbers with heights.
    bbox: Option<String>,
    /// 1–1000, default 10 (larger values are clamped).
    limit: Option<u64>,
    /// Items to skip (the `next` link carries it).
    offset: Option<u64>,
    /// Last change: an RFC 3339 instant, a date, or an interval `start/end` (`..` open).
    datetime: Option<String>,
    /// Code of an administrative unit (province, district or commune): features inside it.
    area: Option<String>,
    /// growing-areas: crop, without diacritics.
    crop: Option<String>,
    /// growing-areas: `vietgap`, `globalgap` or `organic`.
    standard: Option<String>,
    /// craft-villages: the craft, without diacritics.
    craft: Option<String>,
    /// sales-points: `province`, `district` or `commune`; admin-units: the unit's level.
    level: Option<String>,
    /// Words in the name, without diacritics.
    q: Option<String>,
}

const CORE_PARAMS: [&str; 4] = ["bbox", "limit", "offset", "datetime"];

fn invalid(name: &str, en: impl std::fmt::Display) -> ApiError {
    ApiError::malformed(format!("{name}: {en}"))
}

struct Items {
    filter: maps::GeoFilter,
    paging: Paging,
    extra: HashMap<String, String>,
}

async fn parse_items(state: &AppState, layer: Layer, raw: &HashMap<String, String>) -> ApiResult<Items> {
    for key in raw.keys() {
        if !CORE_PARAMS.contains(&key.as_str()) && !layer.extra_params().contains(&key.as_str()) {
            return Err(invalid(key, "unknown query parameter"));
        }
    }
    let number = |name: &str| -> ApiResult<Option<u64>> {
        raw.get(name).map(|v| v.parse::<u64>().map_err(|_| invalid(name, "not a whole number"))).transpose()
    };
    let limit =
        number("limit")?.map(|l| if l == 0 { Err(invalid("limit", "at least 1")) } else { Ok(l) }).transpose()?;
    let paging = Paging {
        limit: limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT),
        offset: crate::paging::checked_offset(number("offset")?)?,
    };
    let bbox = raw.get("bbox").map(|b| Bbox::parse(b).map_err(|e| invalid("bbox", e))).transpose()?;
    let (changed_from, changed_to) = match raw.get("datetime") {
        Some(d) => parse_datetime(d).map_err(|e| invalid("datetime", e))?,
        None => (None, None),
    };
    let area_path = match raw.get("area") {
        Some(code) => Some(
            admin_units::find_by_code(&state.db, code.trim())
                .await?
                .ok_or_else(|| invalid("area", "no such unit code"))?
                .path,
        ),
        None => None,
    };
    let extra = raw
        .iter()
        .filter(|(k, _)| layer.extra_params().contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Items {
        filter: maps::GeoFilter {
            published_only: true,
            bbox,
            area_path,
            changed_from,
            changed_to,
            q: raw.get("q").map(|q| fold(q)),
        },
        paging,
        extra,
    })
}

fn page_link(href: &str, raw: &HashMap<String, String>, offset: u64, limit: u64, rel: &str) -> Value {
    let mut params: Vec<(String, String)> =
        raw.iter().filter(|(k, _)| *k != "offset" && *k != "limit").map(|(k, v)| (k.clone(), v.clone())).collect();
    params.sort();
    params.push(("limit".into(), limit.to_string()));
    params.push(("offset".into(), offset.to_string()));
    let query = serde_urlencoded::to_string(&params).unwrap_or_default();
    json!({"href": format!("{href}?{query}"), "rel": rel, "type": GEO_JSON})
}

/// Features of a collection / Đối tượng của một lớp.
///
/// `application/geo+json`, filtered by `bbox` (CRS84, edges included), `datetime` (last
/// change), the collection's own filters, paged with `limit` and `offset` (`next` and `prev`
/// links), with `numberMatched` and `numberReturned`. An unknown parameter is a 400.
#[utoipa::path(operation_id = "geo_items", tag = "geo", params(("collection_id" = String, Path, description = "growing-areas, craft-villages, sales-points or admin-units"), ItemsQuery), responses(
    (status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object,
        example = json!({"type": "FeatureCollection", "numberMatched": 1, "numberReturned": 1, "features": [{"type": "Feature", "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f81", "geometry": {"type": "Point", "coordinates": [106.95, 21.05]}, "properties": {"name": "Làng nghề gốm Đông Triều"}}], "links": []})),
    (status = 400, description = "Unknown or invalid parameter / Tham số không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such collection", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/geo/collections/{collection_id}/items")]
pub async fn items(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> ApiResult<HttpResponse> {
    let layer = Layer::parse(&id)?;
    let raw = query.into_inner();
    let Items { filter, paging, extra } = parse_items(&state, layer, &raw).await?;
    let (features, matched) = match layer {
        Layer::GrowingAreas => {
            let f = maps::GrowingAreaFilter {
                geo: filter,
                visibility: None,
                subject_id: None,
                crop: extra.get("crop").map(|c| fold(c)),
                standard: extra.get("standard").map(|s| s.trim().to_ascii_lowercase()),
            };
            let page = maps::list_growing_areas(&state.db, &f, paging).await?;
            (page.items.iter().map(public_growing_area_feature).collect::<Vec<_>>(), page.total)
        }
        Layer::CraftVillages => {
            let f = maps::PlaceFilter { geo: filter, kind: extra.get("craft").map(|c| fold(c)) };
            let page = maps::list_craft_villages(&state.db, &f, paging).await?;
            (page.items.iter().map(craft_village_feature).collect(), page.total)
        }
        Layer::SalesPoints => {
            let f = maps::PlaceFilter { geo: filter, kind: extra.get("level").map(|l| l.trim().to_owned()) };
            let page = maps::list_sales_points(&state.db, &f, paging).await?;
            (page.items.iter().map(sales_point_feature).collect(), page.total)
        }
        Layer::AdminUnits => {
            let level = extra
                .get("level")
                .map(|l| {
                    l.trim()
                        .parse::<ocop_domain::admin_unit::AdminLevel>()
                        .map(|l| l.as_str().to_owned())
                        .map_err(|_| invalid("level", "province, district or commune"))
                })
                .transpose()?;
            let f =
                maps::UnitFilter { geo: filter, level, today: Some(ocop_domain::calendar::vietnam_day(Utc::now())) };
            let page = maps::list_units(&state.db, &f, paging).await?;
            let boundaries = admin_units::boundaries(&state.db, page.items.iter().map(|u| u.id).collect()).await?;
            let feature = |u: &ocop_persistence::entities::admin_unit::Model| {
                admin_unit_feature(u, boundaries.get(&u.id).map(String::as_str))
            };
            (page.items.iter().map(feature).collect(), page.total)
        }
    };
    let href = format!("{}/collections/{}/items", base(&state), layer.id());
    let returned = features.len() as u64;
    let mut links = vec![
        page_link(&href, &raw, paging.offset, paging.limit, "self"),
        json!({"href": format!("{}/collections/{}", base(&state), layer.id()), "rel": "collection", "type": "application/json"}),
    ];
    if paging.offset + returned < matched {
        links.push(page_link(&href, &raw, paging.offset + returned, paging.limit, "next"));
    }
    if paging.offset > 0 {
        links.push(page_link(&href, &raw, paging.offset.saturating_sub(paging.limit), paging.limit, "prev"));
    }
    Ok(geojson(json!({
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": returned,
        "timeStamp": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        "links": links,
    })))
}

/// One feature / Một đối tượng.
#[utoipa::path(operation_id = "geo_item", tag = "geo", params(
    ("collection_id" = String, Path, description = "growing-areas, craft-villages, sales-points or admin-units"),
    ("feature_id" = Uuid, Path, description = "Feature id")), responses(
    (status = 200, description = "A GeoJSON Feature", content_type = "application/geo+json", body = Object,
        example = json!({"type": "Feature", "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f81", "geometry": {"type": "Point", "coordinates": [106.95, 21.05]}, "properties": {"name": "Làng nghề gốm Đông Triều"}, "links": []})),
    (status = 404, description = "No such published feature", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/geo/collections/{collection_id}/items/{feature_id}")]
pub async fn item(state: web::Data<AppState>, path: web::Path<(String, String)>) -> ApiResult<HttpResponse> {
    let (collection_id, feature_id) = path.into_inner();
    let layer = Layer::parse(&collection_id)?;
    let id = Uuid::parse_str(&feature_id).map_err(|_| ApiError::not_found())?;
    let mut feature = match layer {
        Layer::GrowingAreas => maps::find_growing_area(&state.db, id)
            .await?
            .filter(|g| g.published)
            .map(|g| public_growing_area_feature(&g)),
        Layer::CraftVillages => {
            maps::find_craft_village(&state.db, id).await?.filter(|v| v.published).map(|v| craft_village_feature(&v))
        }
        Layer::SalesPoints => {
            maps::find_sales_point(&state.db, id).await?.filter(|p| p.published).map(|p| sales_point_feature(&p))
        }
        Layer::AdminUnits => match admin_units::find(&state.db, id).await? {
            Some(u) => {
                let boundaries = admin_units::boundaries(&state.db, vec![u.id]).await?;
                Some(admin_unit_feature(&u, boundaries.get(&u.id).map(String::as_str)))
            }
            None => None,
        },
    }
    .ok_or_else(ApiError::not_found)?;
    let collection = format!("{}/collections/{}", base(&state), layer.id());
    feature["links"] = json!([
        {"href": format!("{collection}/items/{id}"), "rel": "self", "type": GEO_JSON},
        {"href": collection, "rel": "collection", "type": "application/json"}
    ]);
    Ok(geojson(feature))
}
