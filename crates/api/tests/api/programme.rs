//! Programme targets and progress: actual values counted from certificates and upgrades,
//! per area, scoped to the caller's area.

use serde_json::{Value, json};

use crate::both;
use crate::catalog::{certify, revoke};
use crate::helpers::{TestApp, assert_problem};

fn indicator<'a>(area: &'a Value, name: &str) -> &'a Value {
    area["indicators"].as_array().expect("indicators").iter().find(|i| i["indicator"] == name).expect("indicator")
}

fn child<'a>(progress: &'a Value, code: &str) -> &'a Value {
    progress["children"].as_array().expect("children").iter().find(|c| c["area"]["code"] == code).expect("child")
}

async fn actuals_are_counted_from_the_live_data(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let officer = app.token("tinh@ocop.demo").await;
    let path = "/api/v1/programme/progress?period_end=2030";

    // Seed 003 §2.2 targets, nothing achieved yet.
    let before = app.get_json(path, &admin).await;
    assert_eq!(before["area"]["area"]["code"], "22");
    assert_eq!(before["period_start"], 2026);
    assert_eq!(indicator(&before["area"], "five_star")["target"], 5.0);
    assert_eq!(indicator(&before["area"], "three_four_star")["target"], 20.0);
    assert_eq!(indicator(&before["area"], "three_four_star")["actual"], 0.0);
    assert_eq!(indicator(&before["area"], "workers_trained")["target"], 50.0);
    assert_eq!(indicator(&before["area"], "workers_trained")["actual"], 0.0, "workers, none trained yet");
    assert_eq!(before["children"].as_array().expect("children").len(), 54);

    // The tea of Ba Chẽ is certified 4★; a household of Yên Tử becomes an enterprise, both
    // on a day inside the demo's planning period, whatever today's date.
    let day = format!("{}-06-15", before["period_start"]);
    let cert = certify(&app, 75, &day).await;
    let household = app.get_json("/api/v1/subjects?q=nguyen%20van%20an", &admin).await["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.post_expect(
        &format!("/api/v1/subjects/{household}/upgrades"),
        &admin,
        &json!({"to_form": "enterprise", "upgraded_on": day}),
        201,
    )
    .await;
    let after = app.get_json(path, &officer).await;
    let three_four = indicator(&after["area"], "three_four_star");
    assert_eq!(three_four["actual"], 1.0);
    assert_eq!(three_four["percent"], 5.0);
    assert_eq!(indicator(&after["area"], "products_standardised")["actual"], 1.0);
    assert_eq!(indicator(&after["area"], "five_star")["actual"], 0.0);
    assert_eq!(indicator(&after["area"], "organisations_upgraded")["actual"], 1.0);
    assert_eq!(indicator(child(&after, "06970"), "three_four_star")["actual"], 1.0);
    assert_eq!(indicator(child(&after, "06688"), "three_four_star")["actual"], 0.0);
    assert_eq!(indicator(child(&after, "06832"), "organisations_upgraded")["actual"], 1.0);
    // Nothing of this happened in 2021–2025.
    let earlier = app.get_json("/api/v1/programme/progress?period_end=2025", &admin).await;
    assert_eq!(earlier["period_start"], 2021);
    assert_eq!(indicator(&earlier["area"], "three_four_star")["actual"], 0.0);
    assert_eq!(indicator(&earlier["area"], "three_four_star")["trend"], "behind");

    // A commune's target, and the commune's own view.
    let ba_che = app.unit_id("06970").await;
    let target = json!({"area_id": ba_che, "period_start": 2026, "period_end": 2030, "indicator": "three_four_star", "value": 3});
    let ward = app.token("halong@ocop.demo").await;
    assert_problem(app.put("/api/v1/programme/targets", &ward, &target).send().await.expect("req"), 403, "forbidden")
        .await;
    let mut bad = target.clone();
    bad["indicator"] = json!("workers_trained");
    bad["value"] = json!(120);
    let refused = assert_problem(
        app.put("/api/v1/programme/targets", &officer, &bad).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "value");
    assert_eq!(app.put("/api/v1/programme/targets", &officer, &target).send().await.expect("req").status(), 200);
    let commune_view = app.get_json("/api/v1/programme/progress?period_end=2030&area=06970", &admin).await;
    let tea = indicator(&commune_view["area"], "three_four_star");
    assert_eq!(
        (tea["target"].clone(), tea["actual"].clone(), tea["percent"].clone()),
        (json!(3.0), json!(1.0), json!(33.3))
    );

    // Officers see their own area only; producers do not plan the programme.
    let own = app.get_json("/api/v1/programme/progress?period_end=2030", &ward).await;
    assert_eq!(own["area"]["area"]["code"], "06688");
    assert_problem(app.get(&format!("{path}&area=06970"), &ward).send().await.expect("req"), 403, "outside_area").await;
    let producer = app.token("chuthe@ocop.demo").await;
    assert_problem(app.get(path, &producer).send().await.expect("req"), 403, "forbidden").await;

    // A revoked certificate no longer counts.
    revoke(&app, &cert).await;
    let revoked = app.get_json(path, &admin).await;
    assert_eq!(indicator(&revoked["area"], "three_four_star")["actual"], 0.0);
    let trail = app.get_json("/api/v1/audit?entity_type=programme_target", &admin).await;
    assert_eq!(trail["items"][0]["action"], "programme_target.set");
}
both!(actuals_are_counted_from_the_live_data);
