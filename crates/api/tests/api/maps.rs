//! Maps: growing areas (validation, area check, scoping, GeoJSON import) and OGC API –
//! Features, Part 1: Core, checked requirement by requirement on the demo features.

use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};
use crate::registry::{HA_LONG, PRODUCER, YEN_TU};

const GEO: &str = "/api/v1/geo";

fn square(lon: f64, lat: f64, side: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]]})
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.request(reqwest::Method::GET, path).send().await.expect("request")
}

async fn geojson(app: &TestApp, path: &str) -> Value {
    let response = get(app, path).await;
    assert_eq!(response.status(), 200, "{path}");
    let content_type = response.headers()["content-type"].to_str().expect("type").to_owned();
    assert_eq!(content_type, "application/geo+json", "{path}");
    response.json().await.expect("json")
}

fn names(fc: &Value) -> Vec<String> {
    let mut names: Vec<String> = fc["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

fn link<'a>(doc: &'a Value, rel: &str) -> Option<&'a str> {
    doc["links"].as_array().expect("links").iter().find(|l| l["rel"] == rel).and_then(|l| l["href"].as_str())
}

/// Follows an absolute link of this server.
fn local(app: &TestApp, href: &str) -> String {
    href.strip_prefix(&app.address).expect("a link to this server").to_owned()
}

async fn the_ogc_core_requirements_hold(app: TestApp) {
    // /req/core/root-op, root-success: the landing page links to the definition, the
    // conformance declaration and the collections.
    let landing: Value = get(&app, GEO).await.json().await.expect("landing");
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(link(&landing, rel).is_some(), "landing page lacks {rel}");
    }
    let definition = get(&app, &local(&app, link(&landing, "service-desc").expect("desc"))).await;
    assert_eq!(definition.status(), 200, "the API definition is served");
    // /req/core/conformance-success
    let conformance: Value = get(&app, &format!("{GEO}/conformance")).await.json().await.expect("conformance");
    let classes = conformance["conformsTo"].as_array().expect("classes");
    assert!(classes.contains(&json!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core")));
    assert!(classes.contains(&json!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson")));
    // /req/core/fc-md-success, fc-md-links, fc-md-items
    let collections: Value = get(&app, &format!("{GEO}/collections")).await.json().await.expect("collections");
    let ids: Vec<&str> =
        collections["collections"].as_array().expect("list").iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["growing-areas", "craft-villages", "sales-points", "admin-units"]);
    for c in collections["collections"].as_array().expect("list") {
        assert_eq!(c["itemType"], "feature");
        assert!(c["extent"]["spatial"]["bbox"][0].as_array().is_some_and(|b| b.len() == 4));
        let items = c["links"].as_array().expect("links").iter().find(|l| l["rel"] == "items").expect("items link");
        assert_eq!(items["type"], "application/geo+json");
    }
    // /req/core/sfc-md-success and an unknown collection
    let one: Value = get(&app, &format!("{GEO}/collections/craft-villages")).await.json().await.expect("collection");
    assert_eq!(one["id"], "craft-villages");
    assert_problem(get(&app, &format!("{GEO}/collections/roads")).await, 404, "not_found").await;
    assert_problem(get(&app, &format!("{GEO}/collections/roads/items")).await, 404, "not_found").await;

    // /req/core/fc-response, fc-links, fc-numberMatched, fc-numberReturned, fc-timeStamp
    let all = geojson(&app, &format!("{GEO}/collections/craft-villages/items")).await;
    assert_eq!(all["type"], "FeatureCollection");
    assert_eq!(all["numberMatched"], 2);
    assert_eq!(all["numberReturned"], 2);
    assert!(all["timeStamp"].as_str().is_some());
    assert!(link(&all, "self").is_some() && link(&all, "next").is_none());
    let feature = &all["features"][0];
    assert_eq!(feature["type"], "Feature");
    assert_eq!(feature["geometry"]["type"], "Point");

    // /req/core/fc-limit-*: the default, paging with next links, clamping, invalid values.
    let first = geojson(&app, &format!("{GEO}/collections/craft-villages/items?limit=1")).await;
    assert_eq!((first["numberMatched"].clone(), first["numberReturned"].clone()), (json!(2), json!(1)));
    let next = local(&app, link(&first, "next").expect("next"));
    let second = geojson(&app, &next).await;
    assert_eq!(second["numberReturned"], 1);
    assert_ne!(first["features"][0]["id"], second["features"][0]["id"]);
    assert!(link(&second, "next").is_none() && link(&second, "prev").is_some());
    let clamped = geojson(&app, &format!("{GEO}/collections/sales-points/items?limit=50000")).await;
    assert!(link(&clamped, "self").expect("self").contains("limit=1000"), "{clamped}");
    for bad in ["limit=0", "limit=-1", "limit=ten", "offset=x"] {
        assert_problem(
            get(&app, &format!("{GEO}/collections/sales-points/items?{bad}")).await,
            400,
            "malformed_request",
        )
        .await;
    }
    // /req/core/query-param-unknown, query-param-invalid
    assert_problem(
        get(&app, &format!("{GEO}/collections/sales-points/items?colour=red")).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        get(&app, &format!("{GEO}/collections/sales-points/items?crop=tra")).await,
        400,
        "malformed_request",
    )
    .await;

    // /req/core/fc-bbox-*: points on an edge are inside; a hair outside they are not.
    let edge = geojson(&app, &format!("{GEO}/collections/sales-points/items?bbox=107.072,20.957,107.2,21.0")).await;
    assert_eq!(names(&edge), ["Điểm bán hàng OCOP tỉnh Quảng Ninh"]);
    let outside = geojson(&app, &format!("{GEO}/collections/sales-points/items?bbox=107.0721,20.957,107.2,21.0")).await;
    assert_eq!(outside["numberMatched"], 0);
    // An area whose box touches the query box at a corner intersects it.
    let touching = geojson(&app, &format!("{GEO}/collections/growing-areas/items?bbox=107.0,21.0,107.27,21.26")).await;
    assert_eq!(names(&touching), ["Vùng trồng trà hoa vàng Thanh Sơn"]);
    let apart = geojson(&app, &format!("{GEO}/collections/growing-areas/items?bbox=107.0,21.0,107.2699,21.26")).await;
    assert_eq!(apart["numberMatched"], 0);
    let with_heights =
        geojson(&app, &format!("{GEO}/collections/growing-areas/items?bbox=107.0,21.0,0,107.27,21.26,100")).await;
    assert_eq!(with_heights["numberMatched"], 1);
    for bad in ["1,2,3", "a,b,c,d", "108,21,107,22", "181,0,182,1"] {
        assert_problem(
            get(&app, &format!("{GEO}/collections/growing-areas/items?bbox={bad}")).await,
            400,
            "malformed_request",
        )
        .await;
    }
    // /req/core/fc-time-*
    assert_eq!(
        geojson(&app, &format!("{GEO}/collections/craft-villages/items?datetime=../2000-01-01")).await["numberMatched"],
        0
    );
    assert_eq!(
        geojson(&app, &format!("{GEO}/collections/craft-villages/items?datetime=2000-01-01T00:00:00Z/..")).await["numberMatched"],
        2
    );
    assert_problem(
        get(&app, &format!("{GEO}/collections/craft-villages/items?datetime=yesterday")).await,
        400,
        "malformed_request",
    )
    .await;

    // The collections' own filters.
    assert_eq!(
        names(&geojson(&app, &format!("{GEO}/collections/growing-areas/items?crop=tra%20hoa")).await),
        ["Vùng trồng trà hoa vàng Thanh Sơn"]
    );
    assert_eq!(
        names(&geojson(&app, &format!("{GEO}/collections/growing-areas/items?standard=organic")).await),
        ["Vùng trồng mơ lông Thượng Yên Công"]
    );
    assert_eq!(
        names(&geojson(&app, &format!("{GEO}/collections/growing-areas/items?area=06832")).await),
        ["Vùng trồng mơ lông Thượng Yên Công"]
    );
    assert_eq!(
        geojson(&app, &format!("{GEO}/collections/craft-villages/items?craft=duoc%20lieu")).await["numberMatched"],
        1
    );
    assert_eq!(
        geojson(&app, &format!("{GEO}/collections/sales-points/items?level=province")).await["numberMatched"],
        1
    );

    // /req/core/f-success, f-links
    let id = all["features"][0]["id"].as_str().expect("id");
    let single = geojson(&app, &format!("{GEO}/collections/craft-villages/items/{id}")).await;
    assert_eq!(single["type"], "Feature");
    assert!(link(&single, "self").is_some() && link(&single, "collection").is_some());
    assert!(single["properties"]["services"].as_array().is_some_and(|s| !s.is_empty()));
    assert_problem(
        get(&app, &format!("{GEO}/collections/craft-villages/items/{}", uuid::Uuid::nil())).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(get(&app, &format!("{GEO}/collections/craft-villages/items/not-an-id")).await, 404, "not_found")
        .await;
}
both!(the_ogc_core_requirements_hold);

fn area(code: &str, subject: &str, geometry: Value, declared: f64) -> Value {
    json!({"code": code, "name": "Vùng trồng thử nghiệm", "crop": "Na", "crop_cycle": "perennial", "declared_area_ha": declared,
        "subject_id": subject, "geometry": geometry, "standards": [{"standard": "vietgap"}], "published": false})
}

/// The administrative units are a layer too: the province and its communes with their centroid
/// and box, current ones only, found by box, level and name.
async fn the_units_are_a_map_layer(app: TestApp) {
    let items = format!("{GEO}/collections/admin-units/items");
    let province = geojson(&app, &format!("{items}?level=province")).await;
    assert_eq!(province["numberMatched"], 1);
    let quang_ninh = &province["features"][0];
    assert_eq!(quang_ninh["properties"]["code"], "22");
    assert_eq!(quang_ninh["geometry"]["type"], "Point");
    let bbox: Vec<f64> = serde_json::from_value(quang_ninh["bbox"].clone()).expect("bbox");
    // Quảng Ninh lies between 106.4°E and 108.1°E, 20.6°N and 21.7°N, roughly.
    assert!(bbox[0] > 106.2 && bbox[0] < 106.6 && bbox[2] > 107.9 && bbox[2] < 108.3, "{bbox:?}");
    assert!(bbox[1] > 20.5 && bbox[1] < 20.9 && bbox[3] > 21.5 && bbox[3] < 21.8, "{bbox:?}");

    let communes = geojson(&app, &format!("{items}?level=commune&limit=1000")).await;
    assert_eq!(communes["numberMatched"], 54, "the communes of 2025; the 171 before are retired");
    for f in communes["features"].as_array().expect("features") {
        let b = f["bbox"].as_array().expect("every commune has a box");
        let c = f["geometry"]["coordinates"].as_array().expect("and a centroid");
        assert!(b[0].as_f64() <= c[0].as_f64() && c[0].as_f64() <= b[2].as_f64(), "{f}");
    }
    assert_eq!(geojson(&app, &format!("{items}?level=district")).await["numberMatched"], 0, "districts are retired");
    // Around Yên Tử: the ward, not Cô Tô in the gulf.
    let near = geojson(&app, &format!("{items}?level=commune&bbox=106.74,21.10,106.77,21.13&limit=100")).await;
    let codes: Vec<&str> = near["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["code"].as_str())
        .collect();
    assert!(codes.contains(&"06832") && !codes.contains(&"07192"), "{codes:?}");
    let found = geojson(&app, &format!("{items}?q=ha%20long")).await;
    assert!(names(&found).contains(&"Phường Hạ Long".to_owned()), "{found}");
    let id = found["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["code"] == "06688")
        .expect("Hạ Long")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let one = geojson(&app, &format!("{items}/{id}")).await;
    assert_eq!(one["properties"]["name"], "Phường Hạ Long");
    assert_problem(get(&app, &format!("{items}?level=county")).await, 400, "malformed_request").await;
}
both!(the_units_are_a_map_layer);

async fn growing_areas_are_validated_and_scoped(app: TestApp) {
    let producer = app.token(PRODUCER).await;
    let me = app.get_json("/api/v1/auth/me", &producer).await;
    let subject = me["subject_id"].as_str().expect("bound subject").to_owned();
    let code = "VN-22-000-06688-005-25";
    // ≈ 1.16 ha drawn, 1.2 declared.
    let created = app
        .post_expect("/api/v1/growing-areas", &producer, &area(code, &subject, square(107.08, 20.95, 0.001), 1.2), 201)
        .await;
    let computed = created["feature"]["properties"]["computed_area_ha"].as_f64().expect("area");
    assert!((computed - 1.16).abs() < 0.02, "{computed}");
    assert_eq!(created["warnings"], json!([]));
    let id = created["feature"]["id"].as_str().expect("id").to_owned();

    let refused = |geometry: Value| area("VN-22-000-06688-006-25", &subject, geometry, 1.2);
    let bow = json!({"type": "Polygon", "coordinates": [[[107.08, 20.95], [107.081, 20.951], [107.081, 20.95], [107.08, 20.951], [107.08, 20.95]]]});
    let crossing = assert_problem(
        app.post("/api/v1/growing-areas", &producer, &refused(bow)).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(crossing["errors"][0]["field"], "geometry.coordinates[0]");
    assert!(crossing["errors"][0]["message_en"].as_str().expect("msg").contains("crosses itself"));
    let open = json!({"type": "Polygon", "coordinates": [[[107.08, 20.95], [107.081, 20.95], [107.081, 20.951], [107.08, 20.951]]]});
    let open = assert_problem(
        app.post("/api/v1/growing-areas", &producer, &refused(open)).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert!(open["errors"][0]["message_en"].as_str().expect("msg").contains("closed"));
    let swapped = assert_problem(
        app.post("/api/v1/growing-areas", &producer, &refused(square(20.95, 107.08, 0.001))).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(swapped["errors"][0]["field"], "geometry.coordinates[0][0]");
    let point = json!({"type": "Point", "coordinates": [107.08, 20.95]});
    assert_problem(
        app.post("/api/v1/growing-areas", &producer, &refused(point)).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let small = area("VN-22-000-06688-006-25", &subject, square(107.08, 20.95, 0.001), 0.5);
    let small = assert_problem(
        app.post("/api/v1/growing-areas", &producer, &small).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(small["errors"][0]["code"], "below_minimum");
    let bad_code = area("VN-22-193-6637-006-25", &subject, square(107.08, 20.95, 0.001), 1.2);
    let bad_code = assert_problem(
        app.post("/api/v1/growing-areas", &producer, &bad_code).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(bad_code["errors"][0]["field"], "code");
    // Declared far from the drawing: saved, with a warning.
    let far = app
        .post_expect(
            "/api/v1/growing-areas",
            &producer,
            &area("VN-22-000-06688-006-25", &subject, square(107.09, 20.95, 0.001), 3.0),
            201,
        )
        .await;
    assert_eq!(far["warnings"][0]["code"], "area_mismatch");
    let again = app.post("/api/v1/growing-areas", &producer, &area(code, &subject, square(107.08, 20.95, 0.001), 1.2));
    assert_problem(again.send().await.expect("req"), 409, "already_exists").await;

    // The VietGAP certificate is attached as a file, kept across edits, never set by a body.
    let certificate = format!("/api/v1/growing-areas/{id}/standards/0/certificate");
    let upload = |content: Vec<u8>, name: &str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(content).file_name(name.to_owned()));
        app.request(reqwest::Method::POST, &certificate).bearer_auth(&producer).multipart(form).send()
    };
    let exe = upload(b"MZ\x90\x00 not a certificate".to_vec(), "vietgap.pdf").await.expect("req");
    assert_problem(exe, 415, "unsupported_media_type").await;
    let stored: Value =
        upload(crate::helpers::pdf("VietGAP"), "../vietgap.pdf").await.expect("req").json().await.expect("json");
    assert_eq!(stored["feature"]["properties"]["standards"][0]["certificate_file"]["file_name"], "vietgap.pdf");
    let file = app.get(&certificate, &producer).send().await.expect("req");
    assert_eq!(file.status(), 200);
    assert!(file.bytes().await.expect("body").starts_with(b"%PDF"));
    assert_problem(
        app.get("/api/v1/growing-areas/{id}/standards/5/certificate".replace("{id}", &id).as_str(), &producer)
            .send()
            .await
            .expect("req"),
        404,
        "not_found",
    )
    .await;

    // Unpublished: on the signed-in map of its producer, not on the public one.
    let mine = app.get_json("/api/v1/growing-areas?bbox=107.0,20.9,107.1,21.0", &producer).await;
    assert_eq!(mine["numberMatched"], 2);
    let public = geojson(&app, &format!("{GEO}/collections/growing-areas/items?bbox=107.0,20.9,107.1,21.0")).await;
    assert_eq!(public["numberMatched"], 0);
    assert_problem(get(&app, &format!("{GEO}/collections/growing-areas/items/{id}")).await, 404, "not_found").await;

    // Editing: the producer moves the polygon and publishes it.
    let mut changed = area(code, &subject, square(107.085, 20.95, 0.001), 1.2);
    changed["published"] = json!(true);
    changed["standards"] = json!([{"standard": "vietgap", "certificate_file": {"file_name": "forged.pdf", "content_type": "application/pdf", "sha256": "00", "size_bytes": 1}}]);
    let updated = app.put(&format!("/api/v1/growing-areas/{id}"), &producer, &changed).send().await.expect("req");
    assert_eq!(updated.status(), 200);
    let updated: Value = updated.json().await.expect("json");
    assert_eq!(
        updated["feature"]["properties"]["standards"][0]["certificate_file"]["file_name"], "vietgap.pdf",
        "kept, not forged"
    );
    assert_eq!(geojson(&app, &format!("{GEO}/collections/growing-areas/items/{id}")).await["bbox"][0], 107.085);

    // Another subject's area: hidden from this producer; an officer elsewhere is refused.
    let tea = app.get_json("/api/v1/growing-areas?crop=tra%20hoa", &app.token("admin@ocop.demo").await).await;
    let tea_id = tea["features"][0]["id"].as_str().expect("id").to_owned();
    let tea_subject = tea["features"][0]["properties"]["subject_id"].as_str().expect("subject").to_owned();
    let mut steal = area("VN-22-202-06973-001-24", &tea_subject, square(107.27, 21.26, 0.0035), 14.0);
    steal["name"] = json!("Đổi tên");
    assert_problem(
        app.put(&format!("/api/v1/growing-areas/{tea_id}"), &producer, &steal).send().await.expect("req"),
        404,
        "not_found",
    )
    .await;
    let yen_tu = app.token(YEN_TU).await;
    assert_problem(
        app.put(&format!("/api/v1/growing-areas/{tea_id}"), &yen_tu, &steal).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    let elsewhere = area("VN-22-000-06688-007-25", &subject, square(107.08, 20.96, 0.001), 1.2);
    assert_problem(
        app.post("/api/v1/growing-areas", &yen_tu, &elsewhere).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    let ha_long = app.token(HA_LONG).await;
    assert_eq!(app.post("/api/v1/growing-areas", &ha_long, &elsewhere).send().await.expect("req").status(), 201);
}
both!(growing_areas_are_validated_and_scoped);

async fn geojson_import_checks_then_writes_all_or_nothing(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    let producer = app.token(PRODUCER).await;
    let subject = app.get_json("/api/v1/auth/me", &producer).await["subject_id"].clone();
    let feature = |code: &str, geometry: Value| {
        json!({"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": format!("Vùng {code}"), "crop": "Rau",
            "crop_cycle": "annual", "declared_area_ha": 1.1, "subject_id": subject, "published": true}})
    };
    let bow = json!({"type": "Polygon", "coordinates": [[[107.08, 20.95], [107.081, 20.951], [107.081, 20.95], [107.08, 20.951], [107.08, 20.95]]]});
    let mut collection = json!({"type": "FeatureCollection", "features": [
        feature("VN-22-000-06688-010-25", square(107.08, 20.95, 0.001)),
        feature("VN-22-000-06688-011-25", bow),
    ]});
    let report = app.post_expect("/api/v1/growing-areas/import?dry_run=true", &officer, &collection, 200).await;
    assert_eq!((report["total"].clone(), report["valid"].clone()), (json!(2), json!(1)));
    assert_eq!(report["rows"][1]["errors"][0]["field"], "features[1].geometry.coordinates[0]");
    let refused = app.post("/api/v1/growing-areas/import", &officer, &collection).send().await.expect("req");
    assert_problem(refused, 422, "validation_failed").await;
    let public = format!("{GEO}/collections/growing-areas/items?area=06688");
    assert_eq!(geojson(&app, &public).await["numberMatched"], 0, "nothing was written");
    collection["features"][1] = feature("VN-22-000-06688-011-25", square(107.09, 20.95, 0.001));
    let done = app.post_expect("/api/v1/growing-areas/import", &officer, &collection, 201).await;
    assert_eq!(done["imported"], 2);
    assert_eq!(geojson(&app, &public).await["numberMatched"], 2);
    let twice = app.post_expect("/api/v1/growing-areas/import?dry_run=true", &officer, &collection, 200).await;
    assert_eq!(twice["valid"], 0, "codes already used");
    let not_collection = app.post("/api/v1/growing-areas/import", &officer, &json!({"type": "Feature"}));
    assert_problem(not_collection.send().await.expect("req"), 422, "validation_failed").await;
}
both!(geojson_import_checks_then_writes_all_or_nothing);

async fn officers_place_craft_villages_and_sales_points(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    let ward = app.unit_id("06688").await;
    let village = json!({"name": "Làng chài Cửa Vạn", "craft": "Đánh bắt và chế biến hải sản", "commune_id": ward, "lon": 107.1, "lat": 20.9,
        "services": [{"kind": "tour", "name": "Chèo thuyền làng chài", "price_vnd": 150000}]});
    let created = app.post_expect("/api/v1/craft-villages", &officer, &village, 201).await;
    assert_eq!(created["feature"]["geometry"]["coordinates"], json!([107.1, 20.9]));
    let mut bad = village.clone();
    bad["services"][0]["kind"] = json!("spa");
    assert_problem(
        app.post("/api/v1/craft-villages", &officer, &bad).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let mut swapped = village.clone();
    swapped["lon"] = json!(20.9);
    swapped["lat"] = json!(107.1);
    assert_problem(
        app.post("/api/v1/craft-villages", &officer, &swapped).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let yen_tu = app.token(YEN_TU).await;
    assert_problem(
        app.post("/api/v1/craft-villages", &yen_tu, &village).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    let producer = app.token(PRODUCER).await;
    assert_problem(
        app.post("/api/v1/craft-villages", &producer, &village).send().await.expect("req"),
        403,
        "forbidden",
    )
    .await;
    let point = json!({"name": "Điểm bán OCOP chợ Hạ Long", "level": "commune", "operator": "Ban quản lý chợ", "address": "Chợ Hạ Long I",
        "commune_id": ward, "lon": 107.08, "lat": 20.953});
    app.post_expect("/api/v1/sales-points", &officer, &point, 201).await;
    let public = geojson(&app, &format!("{GEO}/collections/craft-villages/items?q=cua%20van")).await;
    assert_eq!(public["numberMatched"], 1);
    // The new point in the ward of Hạ Long; the province's own is in Hồng Gai.
    assert_eq!(geojson(&app, &format!("{GEO}/collections/sales-points/items?area=06688")).await["numberMatched"], 1);
    assert_eq!(geojson(&app, &format!("{GEO}/collections/sales-points/items?area=22")).await["numberMatched"], 3);
}
both!(officers_place_craft_villages_and_sales_points);
