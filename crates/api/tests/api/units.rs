//! Administrative units of both structures in one registry: the schema change that lets a
//! retired unit and a current one share a code, run on a registry in use.

use ocop_migrations::{Migrator, MigratorTrait};
use ocop_persistence::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

use crate::helpers::{Backend, postgres_admin_url, postgres_available, with_database};

/// An empty database, dropped (PostgreSQL) or removed (SQLite) at the end.
struct Fresh {
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl Fresh {
    async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("ocop.db").display());
                Some(Self { url, _dir: Some(dir), pg_name: None })
            }
            Backend::Postgres => {
                if !postgres_available().await {
                    return None;
                }
                let name = format!("ocop_units_{}", uuid::Uuid::new_v4().simple());
                let admin = ocop_persistence::connect(&postgres_admin_url()).await.expect("postgres");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create");
                admin.close().await.ok();
                Some(Self { url: with_database(&postgres_admin_url(), &name), _dir: None, pg_name: Some(name) })
            }
        }
    }

    async fn drop_database(&self) {
        if let Some(name) = &self.pg_name {
            let admin = ocop_persistence::connect(&postgres_admin_url()).await.expect("postgres");
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
        }
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

async fn unit(db: &DatabaseConnection, code: &str, path: &str, retired: bool) -> Result<(), ocop_persistence::DbErr> {
    let valid_to = if retired { "'2025-06-30'" } else { "NULL" };
    let now = if db.get_database_backend() == DbBackend::Postgres { "now()" } else { "'2026-12-07T00:00:00Z'" };
    db.execute_unprepared(&format!(
        "INSERT INTO admin_units (id, code, name, name_folded, kind, level, parent_id, path, valid_from, valid_to, \
         replaced_by_id, created_at, updated_at) VALUES ({}, '{code}', 'Phường Thử', 'phuong thu', 'ward', 'commune', \
         NULL, '{path}', NULL, {valid_to}, NULL, {now}, {now})",
        uuid_sql(db.get_database_backend(), uuid::Uuid::now_v7())
    ))
    .await
    .map(|_| ())
}

async fn a_registry_in_use_takes_both_structures(backend: Backend) {
    let Some(fresh) = Fresh::new(backend).await else { return };
    let db = ocop_persistence::connect(&fresh.url).await.expect("connect");
    // The registry as it stood before the change, in use: units and an officer bound to one,
    // written as the schema of that time takes them (today's code writes later columns).
    let before_change = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261207_000016_units_of_both_structures")
        .and_then(|i| u32::try_from(i).ok())
        .expect("the change");
    Migrator::up(&db, Some(before_change)).await.expect("earlier migrations");
    for (code, path) in [("22", "/22/"), ("193", "/22/193/"), ("06637", "/22/193/06637/"), ("06640", "/22/193/06640/")]
    {
        unit(&db, code, path, false).await.expect("unit");
    }
    let db_backend = db.get_database_backend();
    let now = if db_backend == DbBackend::Postgres { "now()" } else { "'2026-12-07T00:00:00Z'" };
    db.execute_unprepared(&format!(
        "INSERT INTO users (id, email, display_name, display_name_folded, password_hash, role, admin_unit_id, \
         subject_id, active, password_changed_at, created_at, updated_at) VALUES ({}, 'halong@example.vn', \
         'Cán bộ Hạ Long', 'can bo ha long', 'x', 'district_officer', {}, NULL, TRUE, {now}, {now}, {now})",
        uuid_sql(db_backend, uuid::Uuid::now_v7()),
        uuid_sql(db_backend, unit_id(&db, "/22/193/").await)
    ))
    .await
    .expect("officer");
    let units = count(&db, "SELECT COUNT(*) FROM admin_units").await;
    let users = count(&db, "SELECT COUNT(*) FROM users WHERE admin_unit_id IS NOT NULL").await;
    assert!(unit(&db, "06637", "/22/06637/", true).await.is_err(), "before: a code is unique, even when retired");

    ocop_persistence::migrate(&db).await.expect("the change");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM admin_units").await, units, "every unit kept");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM users u JOIN admin_units a ON a.id = u.admin_unit_id").await,
        users,
        "every officer's unit still found"
    );
    if backend == Backend::Sqlite {
        let broken = db
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA foreign_key_check"))
            .await
            .expect("check");
        assert!(broken.is_empty(), "no reference left dangling");
    }
    // A retired unit may now share its code with a current one; two current ones may not, nor
    // two units share a path.
    unit(&db, "06637", "/22/06637/", true).await.expect("a retired unit with a current unit's code");
    assert!(unit(&db, "06637", "/22/06637x/", false).await.is_err(), "two current units with one code");
    assert!(unit(&db, "99999", "/22/06637/", true).await.is_err(), "two units on one path");
    db.close().await.ok();
    fresh.drop_database().await;
}

#[tokio::test]
async fn a_registry_in_use_takes_both_structures_sqlite() {
    a_registry_in_use_takes_both_structures(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_registry_in_use_takes_both_structures_postgres() {
    a_registry_in_use_takes_both_structures(Backend::Postgres).await;
}

/// A UUID as an SQL literal of the backend (SQLite keeps them as 16-byte blobs).
fn uuid_sql(backend: DbBackend, id: uuid::Uuid) -> String {
    match backend {
        DbBackend::Sqlite => format!("X'{}'", id.simple()),
        _ => format!("'{id}'"),
    }
}

async fn unit_id(db: &DatabaseConnection, path: &str) -> uuid::Uuid {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id FROM admin_units WHERE path = '{path}'"),
        ))
        .await
        .expect("query")
        .expect("unit");
    row.try_get_by_index::<uuid::Uuid>(0).expect("id")
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query").expect("row");
    row.try_get_by_index::<String>(0).expect("text")
}

async fn subject_in(db: &DatabaseConnection, name: &str, tax_code: &str, path: &str) -> uuid::Uuid {
    let backend = db.get_database_backend();
    let id = uuid::Uuid::now_v7();
    let (id_sql, commune) = (uuid_sql(backend, id), uuid_sql(backend, unit_id(db, path).await));
    let now = if db.get_database_backend() == DbBackend::Postgres { "now()" } else { "'2026-12-07T00:00:00Z'" };
    db.execute_unprepared(&format!(
        "INSERT INTO subjects (id, legal_form, name, name_folded, tax_code, representative, phone, email, address, \
         commune_id, area_path, founded_on, members, employees, created_at, updated_at) VALUES ({id_sql}, 'household', \
         '{name}', '{name}', '{tax_code}', 'Người đại diện', '0912345678', NULL, 'Thôn 1', {commune}, '{path}', NULL, \
         NULL, NULL, {now}, {now})"
    ))
    .await
    .expect("subject");
    id
}

async fn records_follow_their_commune_when_units_are_reorganised(backend: Backend) {
    use ocop_persistence::official_units::{Provinces, load_current, load_legacy};
    use ocop_persistence::reorganisation::{apply, plan};
    let Some(fresh) = Fresh::new(backend).await else { return };
    let db = ocop_persistence::connect(&fresh.url).await.expect("connect");
    ocop_persistence::migrate(&db).await.expect("migrate");
    let quang_ninh = Provinces::Some(vec!["22".into()]);
    load_current(&db, &quang_ninh).await.expect("2025");
    load_legacy(&db, &quang_ninh).await.expect("legacy");
    // A household of Hà Khánh (merged into Cao Xanh), one of Vô Ngại (divided), one of a
    // current ward, and a district officer of Hạ Long.
    let ha_khanh = subject_in(&db, "Ho Ha Khanh", "0100000001", "/22/193/06649/").await;
    let vo_ngai = subject_in(&db, "Ho Vo Ngai", "0100000002", "/22/198/06853/").await;
    let current = subject_in(&db, "Ho Cao Xanh", "0100000003", "/22/06658/").await;
    let ha_long = uuid_sql(db.get_database_backend(), unit_id(&db, "/22/193/").await);
    let now = if backend == Backend::Postgres { "now()" } else { "'2026-12-07T00:00:00Z'" };
    db.execute_unprepared(&format!(
        "INSERT INTO users (id, email, display_name, display_name_folded, password_hash, role, admin_unit_id, \
         subject_id, active, password_changed_at, created_at, updated_at) VALUES ({}, 'halong@example.vn', \
         'Cán bộ Hạ Long', 'can bo ha long', 'x', 'district_officer', {ha_long}, NULL, TRUE, {now}, {now}, {now})",
        uuid_sql(db.get_database_backend(), uuid::Uuid::now_v7())
    ))
    .await
    .expect("officer");
    let effective = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("day");
    let backend = db.get_database_backend();
    let place_of = |id: uuid::Uuid| format!("SELECT area_path FROM subjects WHERE id = {}", uuid_sql(backend, id));

    // A dry run (the same work, rolled back) changes nothing.
    let txn = db.begin().await.expect("begin");
    let moves = plan(&txn, effective).await.expect("plan");
    let report = apply(&txn, &moves).await.expect("apply");
    assert_eq!(report.moved.get("subjects"), Some(&2), "{report:?}");
    txn.rollback().await.expect("rollback");
    assert_eq!(text(&db, &place_of(ha_khanh)).await, "/22/193/06649/");

    let txn = db.begin().await.expect("begin");
    let moves = plan(&txn, effective).await.expect("plan");
    let report = apply(&txn, &moves).await.expect("apply");
    txn.commit().await.expect("commit");
    assert_eq!(text(&db, &place_of(ha_khanh)).await, "/22/06658/", "Hà Khánh's household now in Cao Xanh");
    assert_eq!(text(&db, &place_of(current)).await, "/22/06658/", "a current ward's record stays");
    let vo_ngai_now = text(&db, &place_of(vo_ngai)).await;
    assert!(vo_ngai_now.starts_with("/22/") && vo_ngai_now.matches('/').count() == 3, "{vo_ngai_now}");
    assert_eq!(report.to_confirm.len(), 1, "the divided commune's record is listed: {report:?}");
    assert_eq!(report.to_confirm[0].id, vo_ngai);
    assert_eq!(report.officers_promoted, 1);
    let officer = text(&db, "SELECT role FROM users WHERE email = 'halong@example.vn'").await;
    assert_eq!(officer, "province_officer", "the district officer keeps seeing Hạ Long, now from the province");
    // History stays: the old units keep their retirement and successor.
    let kept = text(&db, "SELECT CAST(valid_to AS TEXT) FROM admin_units WHERE path = '/22/193/06649/'").await;
    assert!(kept.starts_with("2025-07-01"), "{kept}");
    // Run again: nothing left to move.
    let txn = db.begin().await.expect("begin");
    let again = apply(&txn, &plan(&txn, effective).await.expect("plan")).await.expect("apply");
    txn.commit().await.expect("commit");
    assert_eq!(again.moved.values().sum::<usize>(), 0);
    db.close().await.ok();
    fresh.drop_database().await;
}

#[tokio::test]
async fn records_follow_their_commune_when_units_are_reorganised_sqlite() {
    records_follow_their_commune_when_units_are_reorganised(Backend::Sqlite).await;
}

#[tokio::test]
async fn records_follow_their_commune_when_units_are_reorganised_postgres() {
    records_follow_their_commune_when_units_are_reorganised(Backend::Postgres).await;
}

/// Through the API: an admin merges the ward of Hạ Long into Hồng Gai from 1 January 2026,
/// previews the reorganisation, runs it; the old name still finds the ward and leads to its
/// successor.
async fn admins_reorganise_and_an_old_name_leads_to_its_successor(app: crate::helpers::TestApp) {
    use serde_json::json;
    let admin = app.token("admin@ocop.demo").await;
    let ha_long = app.unit_id("06688").await;
    let hong_gai = app.unit_id("06685").await;
    let in_ha_long = app.get_json(&format!("/api/v1/subjects?area_id={ha_long}"), &admin).await["total"].clone();
    assert!(in_ha_long.as_u64().is_some_and(|n| n > 0), "the demo has subjects in Hạ Long");
    app.post_expect(
        &format!("/api/v1/admin-units/{ha_long}/retire"),
        &admin,
        &json!({"valid_to": "2026-01-01", "replaced_by_id": hong_gai, "reason": "Sáp nhập vào Phường Hồng Gai"}),
        200,
    )
    .await;
    let found = app.get_json("/api/v1/admin-units?q=ha%20long&include_retired=true", &admin).await;
    let old = found["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["code"] == "06688" && u["name"] == "Phường Hạ Long")
        .expect("the old ward");
    assert_eq!(old["replaced_by"]["code"], "06685", "{old}");

    let officer = app.token("tinh@ocop.demo").await;
    let body = json!({"effective": "2026-01-01", "dry_run": true});
    crate::helpers::assert_problem(
        app.post("/api/v1/admin-units/reorganisations", &officer, &body).send().await.expect("req"),
        403,
        "forbidden",
    )
    .await;
    let preview = app.post_expect("/api/v1/admin-units/reorganisations", &admin, &body, 200).await;
    assert_eq!(preview["units"], 1);
    let subjects =
        preview["moved"].as_array().expect("moved").iter().find(|m| m["table"] == "subjects").expect("subjects");
    assert_eq!(subjects["count"], in_ha_long);
    assert_eq!(app.get_json(&format!("/api/v1/subjects?area_id={ha_long}"), &admin).await["total"], in_ha_long);

    let before =
        app.get_json(&format!("/api/v1/subjects?area_id={hong_gai}"), &admin).await["total"].as_u64().expect("n");
    let done =
        app.post_expect("/api/v1/admin-units/reorganisations", &admin, &json!({"effective": "2026-01-01"}), 200).await;
    assert_eq!(done["dry_run"], false);
    assert_eq!(app.get_json(&format!("/api/v1/subjects?area_id={ha_long}"), &admin).await["total"], 0);
    let after =
        app.get_json(&format!("/api/v1/subjects?area_id={hong_gai}"), &admin).await["total"].as_u64().expect("n");
    assert_eq!(after, before + in_ha_long.as_u64().expect("n"));
    let audit = app.get_json("/api/v1/audit?entity_type=admin_unit", &admin).await;
    assert!(
        audit["items"].as_array().expect("items").iter().any(|e| e["action"] == "admin_units.reorganise"),
        "{audit}"
    );
}
crate::both!(admins_reorganise_and_an_old_name_leads_to_its_successor);
