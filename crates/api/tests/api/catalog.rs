//! The public catalog: only products with a certificate of 3★+ in force, ETag/304, JSON-LD,
//! filters, and the change feed that tells a portal when a product must come down.

use chrono::{Duration, Utc};
use ocop_persistence::ConnectionTrait;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};
use crate::scoring::{answers_for, in_session, submit};

const PROVINCE: &str = "tinh@ocop.demo";

async fn public(app: &TestApp, path: &str) -> reqwest::Response {
    app.request(reqwest::Method::GET, path).send().await.expect("request")
}

async fn json_of(app: &TestApp, path: &str) -> Value {
    let response = public(app, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

/// Scores the queued tea at `target` points, finalizes, and issues its certificate; returns
/// the certificate.
pub(crate) async fn certify(app: &TestApp, target: u64, decided: &str) -> Value {
    let s = in_session(app).await;
    let (answers, _) = answers_for(&s.set, target);
    for token in [&s.chair, &s.member, &s.member2] {
        assert_eq!(submit(app, token, &s.item, &answers).await.status(), 200);
    }
    app.post_expect(&format!("/api/v1/session-items/{}/finalize", s.item), &s.chair, &json!({}), 200).await;
    let officer = app.token(PROVINCE).await;
    app.post_expect(
        "/api/v1/certificates",
        &officer,
        &json!({"item_id": s.item, "decision_number": "3456/QĐ-UBND", "decision_date": decided, "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh"}),
        201,
    )
    .await
}

async fn certified_products_are_listed_cached_and_fed(app: TestApp) {
    let start = (Utc::now() - Duration::seconds(2)).to_rfc3339();
    let empty = json_of(&app, "/api/v1/catalog/products").await;
    assert_eq!(empty["items"], json!([]), "nothing is certified in the demo data");
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let cert = certify(&app, 75, &today).await;

    let response = public(&app, "/api/v1/catalog/products").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    let etag = response.headers()["etag"].to_str().expect("etag").to_owned();
    let page: Value = response.json().await.expect("json");
    let item = &page["items"][0];
    assert_eq!(item["title"], "Trà hoa vàng Ba Chẽ");
    assert_eq!(item["star"], 4);
    assert_eq!(item["certificate"]["number"], cert["number"]);
    assert_eq!(item["certificate"]["valid_until"], cert["valid_until"]);
    assert_eq!(item["brand"], "Hợp tác xã Dược liệu Ba Chẽ");
    assert_eq!(item["currency"], "VND");
    assert_eq!(item["price_vnd"], 600_000);
    assert!(item["origin"]["province"].as_str().is_some_and(|p| p.contains("Quảng Ninh")), "{item}");
    assert!(
        item["link"].as_str().is_some_and(|l| l.ends_with(&format!("/catalog/{}", item["id"].as_str().expect("id"))))
    );
    let id = item["id"].as_str().expect("id").to_owned();

    // The same page again: 304 with the ETag, no body.
    let again = app
        .request(reqwest::Method::GET, "/api/v1/catalog/products")
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("req");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    // Filters, and the counts a catalog page draws them with.
    let facets = json_of(&app, "/api/v1/catalog/facets").await;
    assert_eq!(facets["total"], 1);
    assert_eq!(facets["areas"], json!([{"value": "06970", "label": "Xã Ba Chẽ", "count": 1}]));
    assert_eq!(facets["stars"], json!([{"value": "4", "label": null, "count": 1}]));
    assert_eq!(facets["groups"][0]["count"], 1);
    assert_eq!(json_of(&app, "/api/v1/catalog/products?star=5").await["items"], json!([]));
    assert_eq!(json_of(&app, "/api/v1/catalog/products?area=06970").await["items"][0]["id"], id.as_str());
    assert_eq!(json_of(&app, "/api/v1/catalog/products?area=06688").await["items"], json!([]));
    assert_eq!(json_of(&app, "/api/v1/catalog/products?q=tra%20hoa%20vang").await["items"][0]["id"], id.as_str());
    assert_eq!(json_of(&app, "/api/v1/catalog/products?group=2").await["items"], json!([]));
    assert_problem(public(&app, "/api/v1/catalog/products?star=2").await, 422, "validation_failed").await;
    assert_problem(public(&app, "/api/v1/catalog/products?cursor=garbage").await, 400, "malformed_request").await;

    // One product: JSON, and schema.org JSON-LD by Accept or by path.
    assert_eq!(json_of(&app, &format!("/api/v1/catalog/products/{id}")).await["title"], "Trà hoa vàng Ba Chẽ");
    let ld = app
        .request(reqwest::Method::GET, &format!("/api/v1/catalog/products/{id}"))
        .header("Accept", "application/ld+json")
        .send()
        .await
        .expect("req");
    assert_eq!(ld.headers()["content-type"], "application/ld+json");
    let ld: Value = ld.json().await.expect("json");
    assert_eq!(ld["@type"], "Product");
    assert_eq!(ld["brand"]["name"], "Hợp tác xã Dược liệu Ba Chẽ");
    assert_eq!(ld["offers"]["priceCurrency"], "VND");
    assert_eq!(json_of(&app, &format!("/api/v1/catalog/products/{id}.jsonld")).await["@context"], "https://schema.org");
    // A product without a certificate is not in the catalog.
    let admin = app.token("admin@ocop.demo").await;
    let other =
        app.get_json("/api/v1/products?q=cha%20muc", &admin).await["items"][0]["id"].as_str().expect("id").to_owned();
    assert_problem(public(&app, &format!("/api/v1/catalog/products/{other}")).await, 404, "not_found").await;

    // The feed: listed; then revoked → gone at once and delisted.
    let feed = json_of(&app, &format!("/api/v1/catalog/changes?since={}", urlencoding(&start))).await;
    assert_eq!(feed["changes"], json!([{"product_id": id, "kind": "listed", "at": feed["changes"][0]["at"]}]));
    let next = feed["next_since"].as_str().expect("next").to_owned();
    revoke(&app, &cert).await;
    assert_eq!(json_of(&app, "/api/v1/catalog/products").await["items"], json!([]));
    let feed = json_of(&app, &format!("/api/v1/catalog/changes?since={}", urlencoding(&next))).await;
    assert_eq!(feed["changes"][0]["kind"], "delisted");
    assert_eq!(feed["changes"][0]["product_id"], id.as_str());
}
both!(certified_products_are_listed_cached_and_fed);

async fn an_expired_certificate_leaves_the_catalog_and_the_feed_says_so(app: TestApp) {
    let start = (Utc::now() - Duration::days(4)).to_rfc3339();
    let today = Utc::now().date_naive();
    let cert = certify(&app, 60, &today.format("%Y-%m-%d").to_string()).await;
    assert_eq!(cert["star"], 3);
    assert_eq!(json_of(&app, "/api/v1/catalog/products").await["items"][0]["star"], 3);
    // Time passes: issued three days ago, its last valid day was yesterday.
    let yesterday = (today - Duration::days(1)).format("%Y-%m-%d").to_string();
    let issued = (Utc::now() - Duration::days(3)).format("%Y-%m-%d %H:%M:%S+00:00").to_string();
    app.db
        .execute_unprepared(&format!("UPDATE certificates SET valid_until = '{yesterday}', created_at = '{issued}'"))
        .await
        .expect("age the certificate");
    assert_eq!(json_of(&app, "/api/v1/catalog/products").await["items"], json!([]));
    let feed = json_of(&app, &format!("/api/v1/catalog/changes?since={}", urlencoding(&start))).await;
    assert_eq!(feed["changes"][0]["kind"], "delisted", "{feed}");
}
both!(an_expired_certificate_leaves_the_catalog_and_the_feed_says_so);

async fn two_star_products_never_appear(app: TestApp) {
    let start = (Utc::now() - Duration::seconds(2)).to_rfc3339();
    let s = in_session(&app).await;
    let (answers, _) = answers_for(&s.set, 40);
    for token in [&s.chair, &s.member, &s.member2] {
        assert_eq!(submit(&app, token, &s.item, &answers).await.status(), 200);
    }
    app.post_expect(&format!("/api/v1/session-items/{}/finalize", s.item), &s.chair, &json!({}), 200).await;
    let scored = app.get_json(&format!("/api/v1/session-items/{}", s.item), &s.chair).await;
    assert_eq!(scored["item"]["result"]["star"], 2, "{scored}");
    let officer = app.token(PROVINCE).await;
    let issue = json!({"item_id": s.item, "decision_number": "1/QĐ-UBND", "decision_date": Utc::now().date_naive(), "issuing_body": "UBND tỉnh"});
    assert_problem(app.post("/api/v1/certificates", &officer, &issue).send().await.expect("req"), 409, "conflict")
        .await;
    assert_eq!(json_of(&app, "/api/v1/catalog/products").await["items"], json!([]));
    assert_eq!(json_of(&app, "/api/v1/catalog/facets").await["total"], 0);
    let feed = json_of(&app, &format!("/api/v1/catalog/changes?since={}", urlencoding(&start))).await;
    assert_eq!(feed["changes"], json!([]));
}
both!(two_star_products_never_appear);

/// Revokes a certificate as the province officer.
pub(crate) async fn revoke(app: &TestApp, cert: &Value) {
    let officer = app.token(PROVINCE).await;
    let path = format!("/api/v1/certificates/{}/revoke", cert["id"].as_str().expect("id"));
    app.post_expect(&path, &officer, &json!({"reason": "Vi phạm chất lượng"}), 200).await;
}

fn urlencoding(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn fairs_are_announced_joined_and_listed_publicly(app: TestApp) {
    let officer = app.token(PROVINCE).await;
    let admin = app.token("admin@ocop.demo").await;
    let day = |d: i64| (Utc::now().date_naive() + Duration::days(d)).format("%Y-%m-%d").to_string();
    let fair = json!({"name": "Hội chợ OCOP Quảng Ninh", "kind": "fair", "starts_on": day(10), "ends_on": day(14),
        "place": "Hạ Long", "organiser": "Sở Công Thương", "booths": 300, "published": false});
    let commune = app.token("halong@ocop.demo").await;
    assert_problem(app.post("/api/v1/trade-events", &commune, &fair).send().await.expect("req"), 403, "forbidden")
        .await;
    let mut backwards = fair.clone();
    backwards["ends_on"] = json!(day(5));
    let refused = assert_problem(
        app.post("/api/v1/trade-events", &officer, &backwards).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "ends_on");
    let mut odd = fair.clone();
    odd["kind"] = json!("market");
    assert_problem(
        app.post("/api/v1/trade-events", &officer, &odd).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;

    let created = app.post_expect("/api/v1/trade-events", &officer, &fair, 201).await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(json_of(&app, "/api/v1/trade-events").await["total"], 0, "a draft is not public");
    assert_problem(public(&app, &format!("/api/v1/trade-events/{id}")).await, 404, "not_found").await;
    let mut published = fair.clone();
    published["published"] = json!(true);
    assert_eq!(
        app.put(&format!("/api/v1/trade-events/{id}"), &officer, &published).send().await.expect("req").status(),
        200
    );
    let listed = json_of(&app, "/api/v1/trade-events?q=hoi%20cho%20ocop").await;
    assert_eq!(listed["items"][0]["id"], id.as_str());

    // The Ba Chẽ cooperative shows its tea at booth A12.
    let tea = app.get_json("/api/v1/products?q=tra%20hoa%20vang", &admin).await["items"][0].clone();
    let subject = tea["subject"]["id"].clone();
    let other = app.get_json("/api/v1/products?q=cha%20muc", &admin).await["items"][0]["id"].clone();
    let wrong = json!({"subject_id": subject, "booth": "A12", "product_ids": [other]});
    let wrong = assert_problem(
        app.post(&format!("/api/v1/trade-events/{id}/participants"), &officer, &wrong).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong["errors"][0]["field"], "product_ids[0]");
    let join = json!({"subject_id": subject, "booth": "A12", "product_ids": [tea["id"]]});
    app.post_expect(&format!("/api/v1/trade-events/{id}/participants"), &officer, &join, 201).await;
    assert_problem(
        app.post(&format!("/api/v1/trade-events/{id}/participants"), &officer, &join).send().await.expect("req"),
        409,
        "already_exists",
    )
    .await;
    let detail = json_of(&app, &format!("/api/v1/trade-events/{id}")).await;
    assert_eq!(detail["participants"][0]["booth"], "A12");
    assert_eq!(detail["participants"][0]["products"][0]["name"], "Trà hoa vàng Ba Chẽ");

    // Past events drop from the default list.
    let mut past = published.clone();
    past["starts_on"] = json!(day(-10));
    past["ends_on"] = json!(day(-5));
    app.post_expect("/api/v1/trade-events", &officer, &past, 201).await;
    assert_eq!(json_of(&app, "/api/v1/trade-events").await["total"], 1);
    assert_eq!(json_of(&app, &format!("/api/v1/trade-events?ending_from={}", day(-30))).await["total"], 2);
}
both!(fairs_are_announced_joined_and_listed_publicly);
