//! Training courses and their participants; completions feed the training targets; funding
//! lines and their totals.

use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};

fn indicator<'a>(area: &'a Value, name: &str) -> &'a Value {
    area["indicators"].as_array().expect("indicators").iter().find(|i| i["indicator"] == name).expect("indicator")
}

fn child<'a>(progress: &'a Value, code: &str) -> &'a Value {
    progress["children"].as_array().expect("children").iter().find(|c| c["area"]["code"] == code).expect("child")
}

async fn subject_of(app: &TestApp, token: &str, words: &str) -> Value {
    app.get_json(&format!("/api/v1/subjects?q={words}"), token).await["items"][0].clone()
}

async fn completions_feed_the_training_targets(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let province = app.token("tinh@ocop.demo").await;
    let path = "/api/v1/programme/progress?period_end=2030";
    let before = app.get_json(path, &admin).await;
    assert_eq!(indicator(&before["area"], "workers_trained")["actual"], 0.0, "workers exist, none trained");
    assert_eq!(indicator(&before["area"], "leaders_trained")["actual"], 0.0);

    // Hand count of who there is to train: subjects and their workers in Ba Chẽ, officer accounts.
    let subjects = app.get_json("/api/v1/subjects?limit=200", &admin).await["items"].as_array().expect("items").clone();
    let in_ba_che: Vec<&Value> = subjects
        .iter()
        .filter(|s| s["commune"]["path"].as_str().is_some_and(|p| p.starts_with("/22/06970/")))
        .collect();
    assert!(!in_ba_che.is_empty());
    let workers_ba_che: i64 = in_ba_che.iter().map(|s| s["employees"].as_i64().unwrap_or(0)).sum();
    let users = app.get_json("/api/v1/users?limit=200", &admin).await["items"].as_array().expect("items").clone();
    let officials = users
        .iter()
        .filter(|u| u["role"].as_str().is_some_and(|r| r.ends_with("_officer")) && u["active"] == true)
        .count();
    let me = app.get_json("/api/v1/auth/me", &province).await;

    let year: i32 = chrono::Utc::now().date_naive().format("%Y").to_string().parse().expect("year");
    let course = app
        .post_expect(
            "/api/v1/training/courses",
            &province,
            &json!({"title": "Tập huấn kỹ năng bán hàng OCOP", "kind": "course", "audience": "mixed",
                "starts_on": format!("{year}-01-10"), "ends_on": format!("{year}-01-12"), "place": "Ba Chẽ",
                "organiser": "Sở Nông nghiệp và Môi trường", "funding_source": "provincial"}),
            201,
        )
        .await;
    let id = course["id"].as_str().expect("id");
    let people = format!("/api/v1/training/courses/{id}/participants");
    let tea = subject_of(&app, &admin, "duoc%20lieu%20ba%20che").await;
    app.post_expect(&people, &province, &json!({"kind": "worker", "full_name": "Lý Văn Tài", "subject_id": tea["id"], "attended": true, "completed": true}), 201).await;
    // The same person twice (diacritics and case aside) is refused.
    assert_problem(
        app.post(&people, &province, &json!({"kind": "worker", "full_name": "ly van tai", "subject_id": tea["id"]}))
            .send()
            .await
            .expect("req"),
        409,
        "already_exists",
    )
    .await;
    let leader = app
        .post_expect(&people, &province, &json!({"kind": "leader", "subject_id": tea["id"], "attended": true}), 201)
        .await;
    assert_eq!(leader["people"].as_array().expect("people").len(), 2);
    let leader_row =
        leader["people"].as_array().expect("people").iter().find(|p| p["kind"] == "leader").expect("leader").clone();
    assert_eq!(leader_row["full_name"], tea["representative"], "a leader defaults to the representative");
    app.post_expect(
        &people,
        &province,
        &json!({"kind": "official", "user_id": me["id"], "attended": true, "completed": true}),
        201,
    )
    .await;
    // Validation: completion needs attendance; an official needs an account; a worker a name.
    for (body, field) in [
        (
            json!({"kind": "worker", "full_name": "Ngô Thị Lan", "subject_id": tea["id"], "attended": false, "completed": true}),
            "completed",
        ),
        (json!({"kind": "official", "subject_id": tea["id"]}), "kind"),
        (json!({"kind": "worker", "subject_id": tea["id"]}), "full_name"),
        (json!({"kind": "teacher", "subject_id": tea["id"]}), "kind"),
    ] {
        let p =
            assert_problem(app.post(&people, &province, &body).send().await.expect("req"), 422, "validation_failed")
                .await;
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }

    let after = app.get_json(path, &admin).await;
    let share = |n: f64, d: f64| (n / d * 1000.0).round() / 10.0;
    assert_eq!(indicator(child(&after, "06970"), "workers_trained")["actual"], share(1.0, workers_ba_che as f64));
    // The leader attended but has not completed: not counted until completion is recorded.
    assert_eq!(indicator(child(&after, "06970"), "leaders_trained")["actual"], 0.0);
    assert_eq!(indicator(&after["area"], "officials_trained")["actual"], share(1.0, officials as f64));
    let leader_id = leader_row["id"].as_str().expect("id");
    app.put(&format!("{people}/{leader_id}"), &province, &json!({"attended": true, "completed": true}))
        .send()
        .await
        .expect("req");
    let done = app.get_json(path, &admin).await;
    assert_eq!(indicator(child(&done, "06970"), "leaders_trained")["actual"], share(1.0, in_ba_che.len() as f64));
    assert_eq!(indicator(child(&done, "06688"), "leaders_trained")["actual"], 0.0);

    // Scope: the officer of the ward of Hạ Long sees the province's course (organised above it) but
    // cannot change it; a producer sees no courses at all.
    let ward = app.token("halong@ocop.demo").await;
    app.get_json(&format!("/api/v1/training/courses/{id}"), &ward).await;
    assert_problem(
        app.post(&people, &ward, &json!({"kind": "leader", "subject_id": tea["id"]})).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    let producer = app.token("chuthe@ocop.demo").await;
    assert_problem(app.get("/api/v1/training/courses", &producer).send().await.expect("req"), 403, "forbidden").await;
    let listed = app.get_json(&format!("/api/v1/training/courses?year={year}&q=ky%20nang"), &ward).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["completed"], 3);
    // Audited.
    let audit = app.get_json("/api/v1/audit?entity_type=training_course", &admin).await;
    assert!(
        audit["items"].as_array().expect("items").iter().any(|a| a["action"] == "training.set_attendance"),
        "{audit}"
    );
}
both!(completions_feed_the_training_targets);

async fn funding_lines_and_totals(app: TestApp) {
    let province = app.token("tinh@ocop.demo").await;
    let ward = app.token("halong@ocop.demo").await;
    let ha_long = app.unit_id("06688").await;
    let ba_che = app.unit_id("06970").await;
    let line = |area: &str, source: &str, activity: &str, planned: i64, allocated: i64, disbursed: i64| {
        json!({"year": 2027, "area_id": area, "source": source, "activity": activity, "description": "Hỗ trợ chủ thể OCOP",
            "planned_vnd": planned, "allocated_vnd": allocated, "disbursed_vnd": disbursed})
    };
    app.post_expect(
        "/api/v1/funding/lines",
        &province,
        &line(&ha_long, "provincial", "training", 500_000_000, 400_000_000, 300_000_000),
        201,
    )
    .await;
    app.post_expect(
        "/api/v1/funding/lines",
        &province,
        &line(&ba_che, "own", "subject_support", 200_000_000, 200_000_000, 100_000_000),
        201,
    )
    .await;
    let created = app
        .post_expect("/api/v1/funding/lines", &ward, &line(&ha_long, "central", "fairs", 100_000_000, 0, 0), 201)
        .await;
    // Over-disbursed, unknown source, another commune's line.
    for (body, field) in [
        (line(&ha_long, "provincial", "training", 10, 10, 20), "disbursed_vnd"),
        (line(&ha_long, "bank", "training", 10, 10, 0), "source"),
    ] {
        let p = assert_problem(
            app.post("/api/v1/funding/lines", &province, &body).send().await.expect("req"),
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], field);
    }
    assert_problem(
        app.post("/api/v1/funding/lines", &ward, &line(&ba_che, "own", "other", 1, 0, 0)).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;

    let all = app.get_json("/api/v1/funding/summary?year_from=2027&year_to=2027", &province).await;
    assert_eq!(all["total"]["planned_vnd"], 800_000_000);
    assert_eq!(all["total"]["disbursed_vnd"], 400_000_000);
    assert_eq!(all["total"]["disbursement_rate"], 50.0);
    assert_eq!(all["state_budget"]["planned_vnd"], 600_000_000);
    assert_eq!(all["non_state"]["planned_vnd"], 200_000_000);
    let mine = app.get_json("/api/v1/funding/summary", &ward).await;
    assert_eq!(mine["total"]["planned_vnd"], 600_000_000, "Hạ Long sees only its own lines");
    assert_eq!(app.get_json("/api/v1/funding/lines", &ward).await["total"], 2);
    // An update is audited with the earlier amounts.
    let id = created["id"].as_str().expect("id");
    let saved = app
        .put(
            &format!("/api/v1/funding/lines/{id}"),
            &ward,
            &line(&ha_long, "central", "fairs", 100_000_000, 80_000_000, 50_000_000),
        )
        .send()
        .await
        .expect("req");
    assert_eq!(saved.status(), 200);
    let admin = app.token("admin@ocop.demo").await;
    let audit = app.get_json("/api/v1/audit?entity_type=budget_line", &admin).await;
    assert_eq!(audit["items"].as_array().expect("items").len(), 4);
}
both!(funding_lines_and_totals);
