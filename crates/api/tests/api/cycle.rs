//! The annual cycle: registering an idea, filing the dossier, reviews, moves with their rules
//! and history, uploads, carry-forward, progress.

use ocop_persistence::ConnectionTrait;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{Backend, TestApp, assert_problem, pdf};
use crate::registry::{HA_LONG, PRODUCER, YEN_TU, cycle_2026, product_id};

fn kind(detail: &Value, code: &str) -> String {
    detail["document_kinds"].as_array().expect("kinds").iter().find(|k| k["code"] == code).expect("kind")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn document<'a>(detail: &'a Value, code: &str) -> &'a Value {
    detail["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["kind_code"] == code && d["superseded_at"].is_null())
        .expect("document")
}

async fn make_move(app: &TestApp, token: &str, id: &str, action: &str, note: Option<&str>) -> reqwest::Response {
    app.post(&format!("/api/v1/applications/{id}/moves"), token, &json!({"action": action, "note": note}))
        .send()
        .await
        .expect("move")
}

const PLAN_KINDS: [&str; 4] =
    ["idea_registration_form", "business_plan", "organisation_profile", "business_registration"];

async fn an_idea_goes_through_review_return_and_approval(app: TestApp) {
    let producer = app.token(PRODUCER).await;
    let officer = app.token(HA_LONG).await;
    let cycle = cycle_2026(&app, &producer).await;
    let product = product_id(&app, &producer, "cha%20muc").await;

    let registered = app
        .post_expect("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}), 201)
        .await;
    assert_eq!(registered["status"], "idea_registered");
    assert_eq!(registered["allowed_moves"], json!(["submit_plan"]));
    let id = registered["id"].as_str().expect("id").to_owned();
    let again = app
        .post("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}))
        .send()
        .await
        .expect("req");
    assert_problem(again, 409, "already_exists").await;

    // Nothing filed yet: the plan cannot be submitted.
    let refused = assert_problem(make_move(&app, &producer, &id, "submit_plan", None).await, 409, "conflict").await;
    assert!(refused["message_vi"].as_str().expect("msg").contains("Phương án, dự án sản xuất kinh doanh"), "{refused}");
    assert!(refused["message_en"].as_str().expect("msg").contains("Production and business plan"), "{refused}");

    for code in PLAN_KINDS {
        let response =
            app.upload(&id, &producer, &kind(&registered, code), &format!("{code}.pdf"), pdf(code), None).await;
        assert_eq!(response.status(), 201, "upload {code}");
    }
    let detail = app.get_json(&format!("/api/v1/applications/{id}"), &producer).await;
    let plan = detail["completeness"]
        .as_array()
        .expect("completeness")
        .iter()
        .find(|c| c["stage"] == "business_plan")
        .expect("stage")
        .clone();
    assert_eq!(plan["filed"], true);
    assert_eq!(plan["complete"], false);
    assert_eq!(plan["pending"].as_array().expect("pending").len(), 4);

    let moved: Value = make_move(&app, &producer, &id, "submit_plan", None).await.json().await.expect("json");
    assert_eq!(moved["status"], "plan_submitted");
    assert_eq!(moved["allowed_moves"], json!([]));
    // Producers neither approve nor review.
    assert_problem(make_move(&app, &producer, &id, "approve_plan", None).await, 403, "forbidden").await;
    let plan_doc = document(&moved, "business_plan")["id"].as_str().expect("id").to_owned();
    let review = app
        .post(&format!("/api/v1/documents/{plan_doc}/review"), &producer, &json!({"review": "accepted"}))
        .send()
        .await
        .expect("req");
    assert_problem(review, 403, "forbidden").await;

    // The application waits in the officer's review queue, not in another ward's.
    let queue = app.get_json("/api/v1/applications?awaiting_review=true", &officer).await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["id"], id.as_str());
    assert_eq!(app.get_json("/api/v1/applications?awaiting_review=true", &app.token(YEN_TU).await).await["total"], 0);
    // The officer sees the same dossier, approves nothing until every document is accepted.
    let seen = app.get_json(&format!("/api/v1/applications/{id}"), &officer).await;
    assert_eq!(seen["can_review"], true);
    assert_eq!(seen["allowed_moves"], json!(["approve_plan", "return"]));
    assert_problem(make_move(&app, &officer, &id, "approve_plan", None).await, 409, "conflict").await;
    for code in PLAN_KINDS {
        let doc = document(&seen, code)["id"].as_str().expect("id").to_owned();
        let body = if code == "business_plan" {
            json!({"review": "needs_fix"})
        } else {
            json!({"review": "accepted", "comment": "Đạt"})
        };
        let response =
            app.post(&format!("/api/v1/documents/{doc}/review"), &officer, &body).send().await.expect("review");
        if code == "business_plan" {
            assert_problem(response, 422, "validation_failed").await; // a fix needs a comment
            let fix = json!({"review": "needs_fix", "comment": "Bổ sung kế hoạch tài chính 3 năm"});
            let reviewed: Value = app
                .post(&format!("/api/v1/documents/{doc}/review"), &officer, &fix)
                .send()
                .await
                .expect("review")
                .json()
                .await
                .expect("json");
            assert_eq!(reviewed["review"], "needs_fix");
        } else {
            assert_eq!(response.status(), 200);
        }
    }
    assert_problem(make_move(&app, &officer, &id, "return", Some("  ")).await, 422, "validation_failed").await;
    let returned: Value = make_move(&app, &officer, &id, "return", Some("Phương án thiếu kế hoạch tài chính"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(returned["status"], "idea_registered");
    assert_eq!(returned["returned_reason"], "Phương án thiếu kế hoạch tài chính");

    // The producer replaces the returned document and resubmits.
    let mine = app.get_json(&format!("/api/v1/applications/{id}"), &producer).await;
    assert_eq!(mine["completeness"][1]["needs_fix"], json!(["business_plan"]));
    assert_problem(make_move(&app, &producer, &id, "submit_plan", None).await, 409, "conflict").await;
    let replaced =
        app.upload(&id, &producer, &kind(&mine, "business_plan"), "Phương án v2.pdf", pdf("v2"), Some(&plan_doc)).await;
    assert_eq!(replaced.status(), 201);
    let replaced: Value = replaced.json().await.expect("json");
    assert_eq!(replaced["file_name"], "Phương án v2.pdf");
    assert_eq!(replaced["review"], "pending");
    let resubmitted: Value = make_move(&app, &producer, &id, "submit_plan", None).await.json().await.expect("json");
    assert_eq!(resubmitted["status"], "plan_submitted");
    assert_eq!(resubmitted["returned_reason"], Value::Null);
    let old = resubmitted["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["id"] == plan_doc.as_str())
        .expect("old kept");
    assert!(old["superseded_at"].is_string(), "the replaced file is kept, marked superseded");
    let new_doc = replaced["id"].as_str().expect("id");
    let old_review = app
        .post(&format!("/api/v1/documents/{plan_doc}/review"), &officer, &json!({"review": "accepted"}))
        .send()
        .await
        .expect("req");
    assert_problem(old_review, 409, "conflict").await;
    app.post(&format!("/api/v1/documents/{new_doc}/review"), &officer, &json!({"review": "accepted"}))
        .send()
        .await
        .expect("req");
    let approved: Value = make_move(&app, &officer, &id, "approve_plan", None).await.json().await.expect("json");
    assert_eq!(app.get_json("/api/v1/applications?awaiting_review=true", &officer).await["total"], 0, "queue emptied");
    assert_eq!(approved["status"], "plan_approved");
    let implementing: Value =
        make_move(&app, &producer, &id, "start_implementation", None).await.json().await.expect("json");
    assert_eq!(implementing["status"], "implementing");
    assert_eq!(implementing["stage"], "implementation");

    let history: Vec<(&str, &str)> = implementing["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| (e["action"].as_str().expect("action"), e["to_status"].as_str().expect("to")))
        .collect();
    assert_eq!(
        history,
        [
            ("register", "idea_registered"),
            ("submit_plan", "plan_submitted"),
            ("return", "idea_registered"),
            ("submit_plan", "plan_submitted"),
            ("approve_plan", "plan_approved"),
            ("start_implementation", "implementing"),
        ]
    );
    assert_eq!(implementing["history"][2]["note"], "Phương án thiếu kế hoạch tài chính");
    assert_eq!(implementing["history"][2]["actor_name"], "Cán bộ phường Hạ Long (demo)");

    // The history is append-only at the database level too.
    let rewrite = app.db.execute_unprepared("UPDATE application_events SET note = 'sửa lén'").await;
    assert!(rewrite.is_err(), "application_events must refuse updates");
    let erase = app.db.execute_unprepared("DELETE FROM application_events").await;
    assert!(erase.is_err_and(|e| e.to_string().contains("append-only")), "and deletes");

    // Downloads return the stored bytes to those allowed to see the dossier.
    let file = app.get(&format!("/api/v1/documents/{new_doc}/file"), &officer).send().await.expect("req");
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-disposition"].to_str().expect("cd").contains("attachment"));
    assert_eq!(file.bytes().await.expect("bytes").to_vec(), pdf("v2"));
    let outsider = app.token(YEN_TU).await;
    let denied = app.get(&format!("/api/v1/documents/{new_doc}/file"), &outsider).send().await.expect("req");
    assert_problem(denied, 403, "outside_area").await;
}
both!(an_idea_goes_through_review_return_and_approval);

async fn re_evaluation_carries_the_dossier_forward(app: TestApp) {
    let producer = app.token(PRODUCER).await;
    let admin = app.token("admin@ocop.demo").await;
    let cycle = cycle_2026(&app, &producer).await;
    let product = product_id(&app, &producer, "sa%20sung").await;
    let first = app
        .post_expect("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}), 201)
        .await;
    let id = first["id"].as_str().expect("id");
    for code in ["idea_registration_form", "business_plan"] {
        let response = app.upload(id, &producer, &kind(&first, code), "a.pdf", pdf(code), None).await;
        assert_eq!(response.status(), 201);
    }
    let next =
        app.post_expect("/api/v1/cycles", &admin, &json!({"year": 2029, "name": "Chu trình OCOP năm 2029"}), 201).await;
    let second = app
        .post_expect("/api/v1/applications", &producer, &json!({"cycle_id": next["id"], "product_id": product}), 201)
        .await;
    assert_eq!(second["dossier_version"], 2);
    let docs = second["documents"].as_array().expect("docs");
    assert_eq!(docs.len(), 2, "both documents carried forward");
    assert!(docs.iter().all(|d| d["carried_from_id"].is_string() && d["review"] == "pending"));
    let carried =
        docs.iter().find(|d| d["kind_code"] == "business_plan").expect("plan")["id"].as_str().expect("id").to_owned();
    let file = app.get(&format!("/api/v1/documents/{carried}/file"), &producer).send().await.expect("req");
    assert_eq!(
        file.bytes().await.expect("bytes").to_vec(),
        pdf("business_plan"),
        "the same stored file, not uploaded again"
    );
}
both!(re_evaluation_carries_the_dossier_forward);

async fn uploads_are_checked_by_size_and_content(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |c| c.upload_limit_bytes = 64 * 1024).await else { return };
    let producer = app.token(PRODUCER).await;
    let cycle = cycle_2026(&app, &producer).await;
    let product = product_id(&app, &producer, "cha%20muc").await;
    let registered = app
        .post_expect("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}), 201)
        .await;
    let id = registered["id"].as_str().expect("id");
    let plan = kind(&registered, "business_plan");

    let mut big = pdf("big");
    big.resize(64 * 1024 + 1, b' ');
    assert_problem(app.upload(id, &producer, &plan, "big.pdf", big, None).await, 413, "payload_too_large").await;
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
    elf.resize(4096, 0);
    assert_problem(app.upload(id, &producer, &plan, "phuong-an.pdf", elf, None).await, 415, "unsupported_media_type")
        .await;
    let script = b"#!/bin/sh\nrm -rf /\n".to_vec();
    assert_problem(app.upload(id, &producer, &plan, "plan.pdf", script, None).await, 415, "unsupported_media_type")
        .await;
    let stored = app.upload(id, &producer, &plan, "../../etc/passwd.pdf", pdf("x"), None).await;
    assert_eq!(stored.status(), 201);
    let stored: Value = stored.json().await.expect("json");
    assert_eq!(stored["file_name"], "passwd.pdf");
    assert_eq!(stored["content_type"], "application/pdf");
    assert_eq!(stored["sha256"].as_str().expect("sha").len(), 64);
    let not_multipart = app
        .post(&format!("/api/v1/applications/{id}/documents"), &producer, &json!({"file": "x"}))
        .send()
        .await
        .expect("req");
    assert_problem(not_multipart, 415, "unsupported_media_type").await;
    let no_kind =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(pdf("y")).file_name("y.pdf"));
    let response = app
        .request(reqwest::Method::POST, &format!("/api/v1/applications/{id}/documents"))
        .bearer_auth(&producer)
        .multipart(no_kind)
        .send()
        .await
        .expect("req");
    assert_problem(response, 422, "validation_failed").await;
}

mod uploads_are_checked {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::uploads_are_checked_by_size_and_content(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::uploads_are_checked_by_size_and_content(Backend::Postgres).await;
    }
}

async fn progress_counts_stages_areas_and_overdue(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let cycle = cycle_2026(&app, &admin).await;
    let today = chrono::Utc::now().date_naive();
    let past = (today - chrono::Days::new(1)).to_string();
    let future = (today + chrono::Days::new(30)).to_string();
    // Idea registration is past its deadline; no other stage is (whatever today's date, so the
    // demo cycle's own deadlines do not count).
    let dates = json!({"stages": [
        {"stage": "promotion", "starts_on": null, "deadline": future},
        {"stage": "idea_registration", "starts_on": null, "deadline": past},
        {"stage": "business_plan", "starts_on": null, "deadline": future},
        {"stage": "implementation", "starts_on": null, "deadline": future},
        {"stage": "evaluation", "starts_on": null, "deadline": future},
        {"stage": "trade_promotion", "starts_on": null, "deadline": future}
    ]});
    let updated: Value = app
        .patch(&format!("/api/v1/cycles/{cycle}"), &admin, &dates)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(updated["stages"][1]["deadline"], past, "{updated}");

    let province = app.get_json(&format!("/api/v1/progress/stages?cycle_id={cycle}"), &admin).await;
    assert_eq!(province["area"]["code"], "22");
    assert_eq!(province["total"], 3);
    assert_eq!(province["overdue"], 1);
    let count = |v: &Value, key: &str, name: &str| -> i64 {
        v[key].as_array().expect("list").iter().find(|c| c["status"] == name || c["stage"] == name).expect("entry")["count"].as_i64().expect("n")
    };
    assert_eq!(count(&province, "by_status", "plan_submitted"), 1);
    assert_eq!(count(&province, "by_stage", "business_plan"), 1);
    let areas = province["areas"].as_array().expect("areas");
    assert_eq!(areas.len(), 54, "the province's communes and wards");
    let ba_che = areas.iter().find(|a| a["unit"]["code"] == "06970").expect("Ba Chẽ");
    assert_eq!(ba_che["total"], 2, "the plan and the tea waiting for the province council");
    let yen_tu = areas.iter().find(|a| a["unit"]["code"] == "06832").expect("Yên Tử");
    assert_eq!(yen_tu["overdue"], 1);

    // A producer's idea in Hạ Long moves the counts; the Hạ Long officer sees Hạ Long only.
    let producer = app.token(PRODUCER).await;
    let product = product_id(&app, &producer, "cha%20muc").await;
    app.post_expect("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}), 201).await;
    let ward = app.get_json(&format!("/api/v1/progress/stages?cycle_id={cycle}"), &app.token(HA_LONG).await).await;
    assert_eq!(ward["area"]["code"], "06688");
    assert_eq!(ward["total"], 1);
    assert_eq!(count(&ward, "by_status", "idea_registered"), 1);
    assert_eq!(app.get_json(&format!("/api/v1/progress/stages?cycle_id={cycle}"), &admin).await["total"], 4);

    let overdue = app.get_json(&format!("/api/v1/progress/overdue?cycle_id={cycle}"), &admin).await;
    assert_eq!(overdue["total"], 2, "both ideas are past the idea deadline");
    assert!(
        overdue["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|a| a["overdue"] == true && a["stage"] == "idea_registration")
    );

    let subjects = app.get_json(&format!("/api/v1/progress/subjects?cycle_id={cycle}"), &admin).await;
    assert_eq!(subjects["total"], 3);
    let ba_che_subject = subjects["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["name"] == "Hợp tác xã Dược liệu Ba Chẽ")
        .expect("subject");
    assert_eq!(ba_che_subject["total"], 2);
    assert_eq!(count(ba_che_subject, "by_status", "plan_submitted"), 1);
    let board = app.get_json(&format!("/api/v1/applications?cycle_id={cycle}&status=plan_submitted"), &admin).await;
    assert_eq!(board["items"][0]["product"]["name"], "Rượu ba kích Ba Chẽ");
    assert_eq!(board["items"][0]["allowed_moves"], json!(["approve_plan", "return"]));
    let council = app
        .get_json(
            &format!("/api/v1/applications?cycle_id={cycle}&status=plan_submitted"),
            &app.token("hoidong@ocop.demo").await,
        )
        .await;
    assert_eq!(council["total"], 0, "council members see only the applications on their councils' agendas");
}
both!(progress_counts_stages_areas_and_overdue);
