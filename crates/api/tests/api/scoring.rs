//! Scoring: criteria sets, councils, sessions with attendance and quorum, blind score sheets,
//! results, finalization, reopen, forwarding, certificates and their expiry.

use serde_json::{Map, Value, json};

use crate::both;
use crate::helpers::{Backend, TestApp, assert_problem};

const ADMIN: &str = "admin@ocop.demo";
const PROVINCE: &str = "tinh@ocop.demo";
const CHAIR: &str = "chutich@ocop.demo";
const MEMBER: &str = "hoidong@ocop.demo";
const MEMBER2: &str = "hoidong2@ocop.demo";

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

/// A criterion as the test fills it: code, (option code, points), lowerable, chosen index.
type Choice = (String, Vec<(String, u64)>, bool, usize);

/// Answers reaching at most `target` points: every criterion at its best option, then
/// criteria without a minimum requirement lowered to their worst option until the total fits.
pub(crate) fn answers_for(set: &Value, target: u64) -> (Value, u64) {
    let mut chosen: Vec<Choice> = Vec::new();
    for part in set["parts"].as_array().expect("parts") {
        for section in part["sections"].as_array().expect("sections") {
            for c in section["criteria"].as_array().expect("criteria") {
                let options: Vec<(String, u64)> = c["options"]
                    .as_array()
                    .expect("options")
                    .iter()
                    .map(|o| (o["code"].as_str().expect("code").to_owned(), o["points"].as_u64().expect("points")))
                    .collect();
                let best = options.iter().enumerate().max_by_key(|(_, o)| o.1).map(|(i, _)| i).expect("best");
                chosen.push((
                    c["code"].as_str().expect("code").to_owned(),
                    options,
                    c["minimum_points"].is_null(),
                    best,
                ));
            }
        }
    }
    let total = |chosen: &[Choice]| -> u64 { chosen.iter().map(|(_, options, _, i)| options[*i].1).sum() };
    for i in 0..chosen.len() {
        if total(&chosen) <= target {
            break;
        }
        if chosen[i].2 {
            let worst = chosen[i].1.iter().enumerate().min_by_key(|(_, o)| o.1).map(|(i, _)| i).expect("worst");
            chosen[i].3 = worst;
        }
    }
    let sum = total(&chosen);
    let mut map = Map::new();
    for (code, options, _, i) in chosen {
        map.insert(code, Value::from(options[i].0.clone()));
    }
    (Value::Object(map), sum)
}

pub(crate) struct Scene {
    pub(crate) admin: String,
    pub(crate) chair: String,
    pub(crate) member: String,
    pub(crate) member2: String,
    pub(crate) council: Value,
    pub(crate) session: String,
    pub(crate) item: String,
    pub(crate) set: Value,
}

async fn demo_council(app: &TestApp, token: &str) -> Value {
    let list = app.get_json("/api/v1/councils", token).await;
    let council =
        list.as_array().expect("councils").iter().find(|c| c["level"] == "province").expect("province council");
    app.get_json(&format!("/api/v1/councils/{}", id(council)), token).await
}

/// The demo province council in session, everyone present, with the queued product on it.
pub(crate) async fn in_session(app: &TestApp) -> Scene {
    let admin = app.token(ADMIN).await;
    let council = demo_council(app, &admin).await;
    let council_id = id(&council);
    let queue = app.get_json(&format!("/api/v1/councils/{council_id}/queue"), &admin).await;
    assert_eq!(queue[0]["product"]["name"], "Trà hoa vàng Ba Chẽ", "{queue}");
    let session = app
        .post_expect(&format!("/api/v1/councils/{council_id}/sessions"), &admin, &json!({"held_on": "2026-11-20"}), 201)
        .await;
    let session_id = id(&session);
    let everyone: Vec<Value> =
        council["members"].as_array().expect("members").iter().map(|m| m["id"].clone()).collect();
    let board = app
        .put(&format!("/api/v1/sessions/{session_id}/attendance"), &admin, &json!({"present": everyone}))
        .send()
        .await
        .expect("attendance");
    assert_eq!(board.status(), 200);
    let board: Value = app
        .post_expect(
            &format!("/api/v1/sessions/{session_id}/items"),
            &admin,
            &json!({"application_ids": [queue[0]["application_id"]]}),
            200,
        )
        .await;
    assert_eq!(board["quorum_met"], true, "{board}");
    let item = board["items"][0].clone();
    assert_eq!(item["status"], "scoring");
    let set = app
        .get_json(&format!("/api/v1/criteria-sets/{}", item["criteria_set_id"].as_str().expect("set")), &admin)
        .await;
    assert_eq!(set["code"], "2023-chung");
    Scene {
        admin,
        chair: app.token(CHAIR).await,
        member: app.token(MEMBER).await,
        member2: app.token(MEMBER2).await,
        council,
        session: session_id,
        item: id(&item),
        set: set["set"].clone(),
    }
}

pub(crate) async fn submit(app: &TestApp, token: &str, item: &str, answers: &Value) -> reqwest::Response {
    app.post(&format!("/api/v1/session-items/{item}/sheet/submit"), token, &json!({"answers": answers}))
        .send()
        .await
        .expect("submit")
}

async fn criteria_sets_ship_and_imports_are_checked(app: TestApp) {
    let admin = app.token(ADMIN).await;
    let sets = app.get_json("/api/v1/criteria-sets", &admin).await;
    let points = |code: &str| {
        sets.as_array().expect("sets").iter().find(|s| s["code"] == code).expect("set")["part_points"].clone()
    };
    assert_eq!(points("2019-chung"), json!([35, 25, 40]));
    assert_eq!(points("2023-chung"), json!([40, 25, 35]));

    let shipped = app.get_json(&format!("/api/v1/criteria-sets/{}", id(&sets[0])), &admin).await;
    let mut set = shipped["set"].clone();
    set["code"] = json!("2023-1.5");
    set["applies_to"] = json!(["1.5"]);
    set["parts"][2]["points"] = json!(30);
    set["parts"][0]["sections"][0]["criteria"][1]["options"][1]["code"] = json!("a");
    let refused = assert_problem(
        app.post("/api/v1/criteria-sets", &admin, &set).send().await.expect("import"),
        422,
        "validation_failed",
    )
    .await;
    let errors = refused["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == "parts" && e["message_en"].as_str().expect("msg").contains("instead of 100"))
    );
    assert!(errors.iter().any(|e| e["field"] == "parts[2]"));
    assert!(errors.iter().any(|e| e["message_en"].as_str().expect("msg").contains("option code a is used twice")));

    let mut set = shipped["set"].clone();
    set["code"] = json!("2023-1.5");
    set["applies_to"] = json!(["1.5"]);
    let unknown = app
        .post("/api/v1/criteria-sets", &admin, &json!({"code": "x", "parts": [], "extra": 1}))
        .send()
        .await
        .expect("req");
    assert_problem(unknown, 422, "validation_failed").await;
    let officer = app.token(PROVINCE).await;
    assert_problem(app.post("/api/v1/criteria-sets", &officer, &set).send().await.expect("req"), 403, "forbidden")
        .await;
    let created = app.post_expect("/api/v1/criteria-sets", &admin, &set, 201).await;
    assert_eq!(created["applies_to"], json!(["1.5"]));
    assert_problem(app.post("/api/v1/criteria-sets", &admin, &set).send().await.expect("req"), 409, "already_exists")
        .await;

    // The more specific set now applies to the tea (1.5.1) when it is placed on a session.
    let council = demo_council(&app, &admin).await;
    let council_id = id(&council);
    let queue = app.get_json(&format!("/api/v1/councils/{council_id}/queue"), &admin).await;
    let session = app
        .post_expect(&format!("/api/v1/councils/{council_id}/sessions"), &admin, &json!({"held_on": "2026-11-20"}), 201)
        .await;
    let board = app
        .post_expect(
            &format!("/api/v1/sessions/{}/items", id(&session)),
            &admin,
            &json!({"application_ids": [queue[0]["application_id"]]}),
            200,
        )
        .await;
    assert_eq!(board["items"][0]["criteria_set_id"], created["id"]);
    let rules = app.get_json("/api/v1/council-rules", &admin).await;
    assert_eq!(rules["name"], "two_level_2025");
}
both!(criteria_sets_ship_and_imports_are_checked);

async fn three_members_score_blind_and_the_chair_finalizes(app: TestApp) {
    let s = in_session(&app).await;
    let item_path = format!("/api/v1/session-items/{}", s.item);
    let (answers, total) = answers_for(&s.set, 75);
    assert!((70..=79).contains(&total), "{total}");

    // A draft shows live subtotals to its author only.
    let partial = json!({"A1.1": answers["A1.1"], "B1.1": answers["B1.1"]});
    let draft =
        app.put(&format!("{item_path}/sheet"), &s.member, &json!({"answers": partial})).send().await.expect("draft");
    assert_eq!(draft.status(), 200);
    let draft: Value = draft.json().await.expect("json");
    assert_eq!(draft["my_sheet"]["status"], "draft");
    assert!(draft["my_sheet"]["total"].as_i64().expect("total") > 0);
    assert_eq!(draft["my_sheet"]["unanswered"], draft["criteria_set"]["criteria"].as_u64().expect("n") - 2);
    let unknown =
        app.put(&format!("{item_path}/sheet"), &s.member, &json!({"answers": {"Z9": "a"}})).send().await.expect("req");
    let unknown = assert_problem(unknown, 422, "validation_failed").await;
    assert_eq!(unknown["errors"][0]["field"], "answers.Z9");
    let incomplete = assert_problem(submit(&app, &s.member, &s.item, &partial).await, 422, "validation_failed").await;
    assert_eq!(incomplete["errors"][0]["code"], "incomplete");

    // First member submits; the second sees neither the sheet nor the total until submitting.
    assert_eq!(submit(&app, &s.member, &s.item, &answers).await.status(), 200);
    let blind = app.get_json(&item_path, &s.member2).await;
    assert_eq!(blind["sheets"], json!([]), "{blind}");
    assert!(blind["item"]["cells"].as_array().expect("cells").iter().all(|c| c["total"].is_null()));
    assert!(blind["item"]["cells"].as_array().expect("cells").iter().any(|c| c["state"] == "submitted"));
    assert_eq!(blind["item"]["result"], Value::Null);
    let minutes_before =
        app.get(&format!("/api/v1/sessions/{}/minutes", s.session), &s.member2).send().await.expect("req");
    assert_eq!(minutes_before.status(), 200);

    assert_eq!(submit(&app, &s.member2, &s.item, &answers).await.status(), 200);
    let seen = app.get_json(&item_path, &s.member2).await;
    assert_eq!(seen["sheets"].as_array().expect("sheets").len(), 1, "after submitting, the other sheet shows");
    assert_eq!(seen["sheets"][0]["total"], total);
    // A second submission without divergence is refused.
    assert_problem(submit(&app, &s.member2, &s.item, &answers).await, 409, "already_submitted").await;
    // Only the chair finalizes, and only when every present member has submitted.
    let early = app.post(&format!("{item_path}/finalize"), &s.chair, &json!({})).send().await.expect("req");
    assert_problem(early, 409, "sheets_missing").await;

    assert_eq!(submit(&app, &s.chair, &s.item, &answers).await.status(), 200);
    let scored = app.get_json(&item_path, &s.chair).await;
    let result = &scored["item"]["result"];
    assert_eq!(result["average"].as_f64().expect("avg"), total as f64);
    assert_eq!(result["divergent"], false);
    assert_eq!(result["star"], 4);
    assert_eq!(scored["can_finalize"], true);
    let not_chair = app.post(&format!("{item_path}/finalize"), &s.member, &json!({})).send().await.expect("req");
    assert_problem(not_chair, 403, "not_the_chair").await;
    let done = app.post_expect(&format!("{item_path}/finalize"), &s.chair, &json!({}), 200).await;
    assert_eq!(done["item"]["status"], "finalized");
    assert_eq!(done["item"]["result"]["decision"], "ranked");

    // Finalized results are immutable.
    let late =
        app.put(&format!("{item_path}/sheet"), &s.member, &json!({"answers": answers})).send().await.expect("req");
    assert_problem(late, 409, "already_finalized").await;
    assert_problem(
        app.post(&format!("{item_path}/finalize"), &s.chair, &json!({})).send().await.expect("req"),
        409,
        "already_finalized",
    )
    .await;
    let application_id = done["item"]["application_id"].as_str().expect("app").to_owned();
    let application = app.get_json(&format!("/api/v1/applications/{application_id}"), &s.admin).await;
    assert_eq!(application["status"], "ranked");

    // The minutes carry every member's sheet.
    let minutes = app.get(&format!("/api/v1/sessions/{}/minutes", s.session), &s.admin).send().await.expect("req");
    assert_eq!(minutes.status(), 200);
    let bytes = minutes.bytes().await.expect("body");
    assert!(bytes.starts_with(b"PK"), "an xlsx workbook");

    // A province officer issues the certificate: valid 36 months; the product is certified.
    let officer = app.token(PROVINCE).await;
    let issue = json!({"item_id": s.item, "decision_number": "3456/QĐ-UBND", "decision_date": "2026-11-22",
        "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh"});
    let ward = app.token("halong@ocop.demo").await;
    assert_problem(app.post("/api/v1/certificates", &ward, &issue).send().await.expect("req"), 403, "forbidden").await;
    let cert = app.post_expect("/api/v1/certificates", &officer, &issue, 201).await;
    assert_eq!(cert["star"], 4);
    assert_eq!(cert["status"], "active");
    assert_eq!(cert["valid_until"], "2029-11-22");
    assert_eq!(cert["number"], "OCOP-22-2026-00001");
    assert_problem(app.post("/api/v1/certificates", &officer, &issue).send().await.expect("req"), 409, "conflict")
        .await;
    let product_id = cert["product"]["id"].as_str().expect("product").to_owned();
    let product = app.get_json(&format!("/api/v1/products/{product_id}"), &s.admin).await;
    assert_eq!(product["status"], "certified");
    assert_eq!(product["star"], 4, "the star of the certificate in force");
    assert_eq!(product["certified_until"], "2029-11-22");
    let history = app.get_json(&format!("/api/v1/products/{product_id}/evaluations"), &s.admin).await;
    assert_eq!(history[0]["star"], 4);
    assert_eq!(history[0]["certificate_id"], cert["id"]);
    let application = app.get_json(&format!("/api/v1/applications/{application_id}"), &s.admin).await;
    assert_eq!(application["status"], "certified");
    assert_eq!(application["stage"], "trade_promotion");

    // A certificate stands: no reopen until it is revoked; then an admin may reopen.
    let reopen = json!({"reason": "Chủ thể khiếu nại, hội đồng chấm lại"});
    assert_problem(
        app.post(&format!("{item_path}/reopen"), &s.admin, &reopen).send().await.expect("req"),
        409,
        "certificate_stands",
    )
    .await;
    let cert_id = id(&cert);
    let revoke = json!({"reason": "Thu hồi để chấm lại theo khiếu nại"});
    assert_problem(
        app.post(&format!("/api/v1/certificates/{cert_id}/revoke"), &s.chair, &revoke).send().await.expect("req"),
        403,
        "forbidden",
    )
    .await;
    let revoked = app.post_expect(&format!("/api/v1/certificates/{cert_id}/revoke"), &officer, &revoke, 200).await;
    assert_eq!(revoked["status"], "revoked");
    assert_problem(
        app.post(&format!("/api/v1/certificates/{cert_id}/revoke"), &officer, &revoke).send().await.expect("req"),
        409,
        "conflict",
    )
    .await;
    let product = app.get_json(&format!("/api/v1/products/{product_id}"), &s.admin).await;
    assert_eq!(product["status"], "active");
    assert_eq!(product["star"], Value::Null);
    assert_problem(
        app.post(&format!("{item_path}/reopen"), &officer, &reopen).send().await.expect("req"),
        403,
        "forbidden",
    )
    .await;
    // Revoked, the application is ranked again and the admin may reopen the result: sheets
    // become drafts, members submit anew as their next revision.
    let application = app.get_json(&format!("/api/v1/applications/{application_id}"), &s.admin).await;
    assert_eq!(application["status"], "ranked");
    let reopened = app.post_expect(&format!("{item_path}/reopen"), &s.admin, &reopen, 200).await;
    assert_eq!(reopened["item"]["result"], Value::Null);
    assert!(reopened["item"]["cells"].as_array().expect("cells").iter().all(|c| c["state"] == "draft"));
    let again =
        app.post_expect(&format!("{item_path}/sheet/submit"), &s.member, &json!({"answers": answers}), 200).await;
    assert_eq!(again["my_sheet"]["revision"], 2);
    let audit = app.get_json("/api/v1/audit?entity_type=certificate", &s.admin).await;
    assert!(audit["items"].as_array().expect("audit").iter().any(|e| e["action"] == "certificate.revoke"), "{audit}");
}
both!(three_members_score_blind_and_the_chair_finalizes);

async fn divergent_totals_are_discussed_revised_and_reopened(app: TestApp) {
    let s = in_session(&app).await;
    let item_path = format!("/api/v1/session-items/{}", s.item);
    let (high, high_total) = answers_for(&s.set, 80);
    let (low, low_total) = answers_for(&s.set, 60);
    assert!(high_total - low_total > 10);
    assert_eq!(submit(&app, &s.chair, &s.item, &high).await.status(), 200);
    assert_eq!(submit(&app, &s.member, &s.item, &high).await.status(), 200);
    assert_eq!(submit(&app, &s.member2, &s.item, &low).await.status(), 200);
    let scored = app.get_json(&item_path, &s.member2).await;
    assert_eq!(scored["item"]["result"]["divergent"], true, "{scored}");
    assert_eq!(scored["can_revise"], true);
    // Finalizing a divergent result needs the discussion on record.
    let bare = app.post(&format!("{item_path}/finalize"), &s.chair, &json!({})).send().await.expect("req");
    let bare = assert_problem(bare, 422, "validation_failed").await;
    assert_eq!(bare["errors"][0]["field"], "discussion_note");
    // After discussion the member revises; both revisions are kept.
    let revised =
        app.post_expect(&format!("{item_path}/sheet/submit"), &s.member2, &json!({"answers": high}), 200).await;
    assert_eq!(revised["my_sheet"]["revision"], 2);
    assert_eq!(revised["item"]["result"]["divergent"], false);
    let revisions = revised["revisions"].as_array().expect("revisions");
    assert_eq!(revisions.iter().filter(|r| r["member_id"] == revised["my_sheet"]["member_id"]).count(), 2);
    let done = app
        .post_expect(&format!("{item_path}/finalize"), &s.chair, &json!({"discussion_note": "Đã thảo luận"}), 200)
        .await;
    assert_eq!(done["item"]["result"]["star"], 4);

    // An admin reopens with a reason: scoring resumes and the application is back in evaluation.
    let short = app.post(&format!("{item_path}/reopen"), &s.admin, &json!({"reason": ""})).send().await.expect("req");
    assert_problem(short, 422, "validation_failed").await;
    let reopened = app
        .post_expect(
            &format!("{item_path}/reopen"),
            &s.admin,
            &json!({"reason": "Phát hiện sai sót khi tổng hợp"}),
            200,
        )
        .await;
    assert_eq!(reopened["item"]["status"], "scoring");
    let application = app
        .get_json(
            &format!("/api/v1/applications/{}", reopened["item"]["application_id"].as_str().expect("app")),
            &s.admin,
        )
        .await;
    assert_eq!(application["status"], "in_evaluation");
    let history = application["history"].as_array().expect("history");
    assert_eq!(history.last().expect("last")["action"], "reopen");
    assert_eq!(history.last().expect("last")["note"], "Phát hiện sai sót khi tổng hợp");
}
both!(divergent_totals_are_discussed_revised_and_reopened);

async fn only_present_members_of_the_council_score(app: TestApp) {
    let admin = app.token(ADMIN).await;
    let council = demo_council(&app, &admin).await;
    let council_id = id(&council);
    // A fourth member, absent: three of four present is 75%, enough.
    let fourth = app.get_json("/api/v1/users?q=yen%20tu", &admin).await;
    let fourth_user = fourth["items"][0]["id"].clone();
    let council = app
        .post_expect(
            &format!("/api/v1/councils/{council_id}/members"),
            &admin,
            &json!({"user_id": fourth_user, "role": "member"}),
            201,
        )
        .await;
    let dup = app.post(
        &format!("/api/v1/councils/{council_id}/members"),
        &admin,
        &json!({"user_id": fourth_user, "role": "member"}),
    );
    assert_problem(dup.send().await.expect("req"), 409, "already_exists").await;
    let producer = app.get_json("/api/v1/users?q=chu%20the", &admin).await["items"][0]["id"].clone();
    let refused = app.post(
        &format!("/api/v1/councils/{council_id}/members"),
        &admin,
        &json!({"user_id": producer, "role": "member"}),
    );
    assert_problem(refused.send().await.expect("req"), 422, "validation_failed").await;
    let members = council["members"].as_array().expect("members");
    let present: Vec<Value> =
        members.iter().filter(|m| m["email"] != "yentu@ocop.demo").map(|m| m["id"].clone()).collect();
    let chair_only: Vec<Value> = members.iter().filter(|m| m["role"] == "chair").map(|m| m["id"].clone()).collect();

    let queue = app.get_json(&format!("/api/v1/councils/{council_id}/queue"), &admin).await;
    let session = app
        .post_expect(&format!("/api/v1/councils/{council_id}/sessions"), &admin, &json!({"held_on": "2026-11-20"}), 201)
        .await;
    let session_id = id(&session);
    let board = app
        .post_expect(
            &format!("/api/v1/sessions/{session_id}/items"),
            &admin,
            &json!({"application_ids": [queue[0]["application_id"]]}),
            200,
        )
        .await;
    let item = board["items"][0]["id"].as_str().expect("item").to_owned();
    let set = app
        .get_json(
            &format!("/api/v1/criteria-sets/{}", board["items"][0]["criteria_set_id"].as_str().expect("set")),
            &admin,
        )
        .await;
    let (answers, _) = answers_for(&set["set"], 75);
    let member = app.token(MEMBER).await;

    // No quorum: only the chair present.
    let attendance = format!("/api/v1/sessions/{session_id}/attendance");
    assert_eq!(app.put(&attendance, &admin, &json!({"present": chair_only})).send().await.expect("req").status(), 200);
    let board = app.get_json(&format!("/api/v1/sessions/{session_id}"), &admin).await;
    assert_eq!(board["quorum_met"], false);
    assert!(board["quorum_message_vi"].as_str().expect("msg").contains("75%"));
    assert_problem(submit(&app, &member, &item, &answers).await, 403, "not_a_scorer").await;
    let chair = app.token(CHAIR).await;
    assert_problem(submit(&app, &chair, &item, &answers).await, 409, "quorum_not_met").await;

    // Quorum: everyone but the fourth member, who then may not score.
    assert_eq!(app.put(&attendance, &admin, &json!({"present": present})).send().await.expect("req").status(), 200);
    let absent = app.token("yentu@ocop.demo").await;
    assert_problem(submit(&app, &absent, &item, &answers).await, 403, "not_a_scorer").await;
    // Someone outside the council does not even see the session.
    let outsider = app.token("halong@ocop.demo").await;
    assert_problem(
        app.get(&format!("/api/v1/session-items/{item}"), &outsider).send().await.expect("req"),
        404,
        "not_found",
    )
    .await;
    assert_eq!(submit(&app, &member, &item, &answers).await.status(), 200);
    // Attendance is fixed once scoring has started; a member who has sat stays.
    assert_problem(
        app.put(&attendance, &admin, &json!({"present": present})).send().await.expect("req"),
        409,
        "attendance_frozen",
    )
    .await;
    let seated = members.iter().find(|m| m["email"] == MEMBER).expect("member");
    let removal =
        app.request(reqwest::Method::DELETE, &format!("/api/v1/councils/{council_id}/members/{}", id(seated)));
    assert_problem(removal.bearer_auth(&admin).send().await.expect("req"), 409, "conflict").await;

    // A council member reads the applications on the council's agenda, no others.
    let on_agenda = queue[0]["application_id"].as_str().expect("app");
    assert_eq!(app.get(&format!("/api/v1/applications/{on_agenda}"), &member).send().await.expect("req").status(), 200);
    let listed = app.get_json("/api/v1/applications", &member).await;
    assert_eq!(listed["total"], 1, "{listed}");
    let all = app.get_json("/api/v1/applications", &admin).await;
    let other =
        all["items"].as_array().expect("apps").iter().find(|a| a["id"] != on_agenda).expect("another application");
    let hidden = app.get(&format!("/api/v1/applications/{}", id(other)), &member).send().await.expect("req");
    assert_problem(hidden, 404, "not_found").await;
}
both!(only_present_members_of_the_council_score);

async fn high_scores_go_to_the_national_council(app: TestApp) {
    let s = in_session(&app).await;
    let (best, total) = answers_for(&s.set, 100);
    assert_eq!(total, 100);
    for token in [&s.chair, &s.member, &s.member2] {
        assert_eq!(submit(&app, token, &s.item, &best).await.status(), 200);
    }
    let done = app.post_expect(&format!("/api/v1/session-items/{}/finalize", s.item), &s.chair, &json!({}), 200).await;
    assert_eq!(done["item"]["result"]["star"], 5);
    assert_eq!(done["item"]["result"]["decision"], "forwarded");
    assert_eq!(done["item"]["result"]["forwarded_to"], "national");
    // The province does not certify a result it forwarded.
    let officer = app.token(PROVINCE).await;
    let issue = json!({"item_id": s.item, "decision_number": "1/QĐ", "decision_date": "2026-11-22", "issuing_body": "UBND tỉnh"});
    assert_problem(app.post("/api/v1/certificates", &officer, &issue).send().await.expect("req"), 409, "conflict")
        .await;
    // A national council sees it in its queue.
    let root = app.unit_id("22").await;
    let cycle = s.council["cycle_id"].clone();
    let national = app
        .post_expect(
            "/api/v1/councils",
            &s.admin,
            &json!({"level": "national", "area_id": root, "cycle_id": cycle, "name": "Hội đồng cấp trung ương", "decision_number": "9/QĐ-BNN", "decision_date": "2026-11-01"}),
            201,
        )
        .await;
    let queue = app.get_json(&format!("/api/v1/councils/{}/queue", id(&national)), &s.admin).await;
    assert_eq!(queue[0]["application_id"], done["item"]["application_id"], "{queue}");
    assert_eq!(queue[0]["status"], "forwarded");
    let province_queue = app.get_json(&format!("/api/v1/councils/{}/queue", id(&s.council)), &s.admin).await;
    assert_eq!(province_queue, json!([]));
    // A district council is not part of the two-level rules.
    let district = app.unit_id("193").await;
    let refused = app.post(
        "/api/v1/councils",
        &s.admin,
        &json!({"level": "district", "area_id": district, "cycle_id": cycle, "name": "Hội đồng huyện", "decision_number": "1", "decision_date": "2026-11-01"}),
    );
    let refused = assert_problem(refused.send().await.expect("req"), 422, "validation_failed").await;
    assert_eq!(refused["errors"][0]["code"], "level_not_configured");
}
both!(high_scores_go_to_the_national_council);

async fn certificates_expire_after_36_months_and_are_listed_before(app: TestApp) {
    let s = in_session(&app).await;
    let (answers, _) = answers_for(&s.set, 60);
    for token in [&s.chair, &s.member, &s.member2] {
        assert_eq!(submit(&app, token, &s.item, &answers).await.status(), 200);
    }
    app.post_expect(&format!("/api/v1/session-items/{}/finalize", s.item), &s.chair, &json!({}), 200).await;
    // Decided 35 months ago: it expires within 90 days.
    let decided = (chrono::Utc::now().date_naive() - chrono::Months::new(35)).format("%Y-%m-%d").to_string();
    let officer = app.token(PROVINCE).await;
    let cert = app
        .post_expect(
            "/api/v1/certificates",
            &officer,
            &json!({"item_id": s.item, "decision_number": "12/QĐ-UBND", "decision_date": decided, "issuing_body": "UBND tỉnh Quảng Ninh"}),
            201,
        )
        .await;
    assert_eq!(cert["star"], 3);
    assert_eq!(cert["expiring_soon"], true);
    let expiring = app.get_json("/api/v1/certificates?expiring_within_days=90", &officer).await;
    assert_eq!(expiring["total"], 1);
    assert_eq!(expiring["items"][0]["id"], cert["id"]);
    // The producer of the tea sees it too; another producer does not.
    let producer = app.token("chuthe@ocop.demo").await;
    assert_eq!(app.get_json("/api/v1/certificates?expiring_within_days=90", &producer).await["total"], 0);
    let hidden = app.get(&format!("/api/v1/certificates/{}", id(&cert)), &producer).send().await.expect("req");
    assert_problem(hidden, 404, "not_found").await;
    assert_eq!(app.get_json("/api/v1/certificates?status=expired", &officer).await["total"], 0);
    let bad = app.get("/api/v1/certificates?expiring_within_days=0", &officer).send().await.expect("req");
    assert_problem(bad, 422, "validation_failed").await;
}
both!(certificates_expire_after_36_months_and_are_listed_before);

/// The 2019 rules: products enter at the district council, which forwards 50 points and more.
/// The demo stands on the two levels of 2025; here the tea's application is placed as a
/// deployment on three levels has it, in Thanh Sơn of the district of Ba Chẽ.
async fn the_three_level_rules_start_at_the_district(app: TestApp) {
    use ocop_persistence::ConnectionTrait;
    app.db
        .execute_unprepared(
            "UPDATE applications SET area_path = '/22/202/06973/' \
             WHERE area_path = '/22/06970/' AND status = 'submitted_for_evaluation'",
        )
        .await
        .expect("placed on three levels");
    let admin = app.token(ADMIN).await;
    let province = demo_council(&app, &admin).await;
    assert_eq!(app.get_json(&format!("/api/v1/councils/{}/queue", id(&province)), &admin).await, json!([]));
    let district = app.unit_id("202").await;
    let council = app
        .post_expect(
            "/api/v1/councils",
            &admin,
            &json!({"level": "district", "area_id": district, "cycle_id": province["cycle_id"], "name": "Hội đồng huyện Ba Chẽ", "decision_number": "5/QĐ-UBND", "decision_date": "2026-10-01"}),
            201,
        )
        .await;
    let queue = app.get_json(&format!("/api/v1/councils/{}/queue", id(&council)), &admin).await;
    assert_eq!(queue[0]["product"]["name"], "Trà hoa vàng Ba Chẽ", "{queue}");
    let wrong = app.unit_id("22").await;
    let refused = app.post(
        "/api/v1/councils",
        &admin,
        &json!({"level": "district", "area_id": wrong, "cycle_id": province["cycle_id"], "name": "Sai cấp", "decision_number": "6", "decision_date": "2026-10-01"}),
    );
    let refused = assert_problem(refused.send().await.expect("req"), 422, "validation_failed").await;
    assert_eq!(refused["errors"][0]["code"], "wrong_level");
}

mod the_three_level_rules_start_at_the_district {
    use super::*;
    use ocop_domain::council::LevelRules;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        if let Some(app) =
            TestApp::spawn_with(Backend::Sqlite, |c| c.council_rules = LevelRules::three_level_2019()).await
        {
            super::the_three_level_rules_start_at_the_district(app).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) =
            TestApp::spawn_with(Backend::Postgres, |c| c.council_rules = LevelRules::three_level_2019()).await
        {
            super::the_three_level_rules_start_at_the_district(app).await;
        }
    }
}
