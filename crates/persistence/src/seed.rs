//! The demo dataset: Quảng Ninh province on its official units (the 54 communes and wards of
//! 2025, and the districts and communes before them, retired on 1 July 2025), subjects,
//! products, maps and a council placed in real communes, and one demo account per role.
//! Loaded only into an empty database.

use ocop_domain::text::fold;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use chrono::NaiveDate;
use ocop_domain::cycle::{ApplicationStatus, Stage};
use ocop_domain::product::{code_place, product_code};
use ocop_domain::programme::Indicator;

use crate::audit::{self, AuditContext};
use crate::official_units::{self, Provinces};
use crate::{admin_units, applications, classifications, councils, cycles, maps, products, subjects, users};

pub const DEMO_PASSWORD: &str = "OcopDemo@2026";
pub const DEMO_ADMIN_EMAIL: &str = "admin@ocop.demo";
/// The demo's province: Quảng Ninh.
pub const PROVINCE: &str = "22";

/// Demo accounts: (e-mail, display name, role, code of the unit an officer is bound to).
pub const DEMO_USERS: &[(&str, &str, &str, Option<&str>)] = &[
    (DEMO_ADMIN_EMAIL, "Quản trị hệ thống (demo)", "admin", None),
    ("tinh@ocop.demo", "Cán bộ OCOP tỉnh (demo)", "province_officer", Some("22")),
    ("halong@ocop.demo", "Cán bộ phường Hạ Long (demo)", "commune_officer", Some("06688")),
    ("yentu@ocop.demo", "Cán bộ phường Yên Tử (demo)", "commune_officer", Some("06832")),
    ("chutich@ocop.demo", "Chủ tịch hội đồng tỉnh (demo)", "council_member", None),
    ("hoidong@ocop.demo", "Thành viên hội đồng (demo)", "council_member", None),
    ("hoidong2@ocop.demo", "Thành viên hội đồng 2 (demo)", "council_member", None),
    ("chuthe@ocop.demo", "Chủ thể OCOP (demo)", "producer", None),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Units(#[from] official_units::DataLoadError),
    #[error("invalid demo code {0}")]
    Code(String),
}

type PeriodTargets = ((i32, i32), &'static [(Indicator, f64)]);

const PROVINCE_TARGETS: &[PeriodTargets] = &[
    (
        (2021, 2025),
        &[
            (Indicator::ProductsStandardised, 47.0),
            (Indicator::FiveStar, 5.0),
            (Indicator::ThreeFourStar, 20.0),
            (Indicator::OrganisationsUpgraded, 28.0),
            (Indicator::OfficialsTrained, 100.0),
            (Indicator::LeadersTrained, 100.0),
            (Indicator::WorkersTrained, 50.0),
        ],
    ),
    (
        (2026, 2030),
        &[
            (Indicator::ProductsStandardised, 28.0),
            (Indicator::FiveStar, 5.0),
            (Indicator::ThreeFourStar, 20.0),
            // 21 economic organisations and 21 households.
            (Indicator::OrganisationsUpgraded, 42.0),
            (Indicator::OfficialsTrained, 100.0),
            (Indicator::LeadersTrained, 100.0),
            (Indicator::WorkersTrained, 50.0),
        ],
    ),
];

/// Loads the demo dataset in one transaction. `password_hash` is the hash of
/// [`DEMO_PASSWORD`], computed by the caller (hashing is not storage's business).
pub async fn demo(db: &DatabaseConnection, password_hash: &str) -> Result<(), SeedError> {
    let txn = db.begin().await?;
    let ctx = AuditContext::default();
    // Quảng Ninh's official units: its 54 communes and wards of 2025, and its districts and
    // communes before, retired on 1 July 2025 and pointing at their successors.
    let quang_ninh = Provinces::Some(vec![PROVINCE.to_owned()]);
    official_units::load_current(&txn, &quang_ninh).await?;
    official_units::load_legacy(&txn, &quang_ninh).await?;
    let province = admin_units::find_by_code(&txn, PROVINCE).await?.ok_or_else(|| SeedError::Code(PROVINCE.into()))?;
    let demo_subjects = seed_registry(&txn).await?;
    // The province's targets of seed 003 §2.2 ("thêm": counted within each period).
    let source = Some("Đề án OCOP tỉnh Quảng Ninh giai đoạn 2019–2030, mục 2.2".to_owned());
    for (period, values) in PROVINCE_TARGETS {
        for (indicator, value) in *values {
            let row = crate::programme::new_target(
                (province.id, province.path.clone()),
                *period,
                indicator.as_str(),
                *value,
                source.clone(),
            );
            crate::programme::save_target(&txn, row, true).await?;
        }
    }
    for (email, name, role, unit_code) in DEMO_USERS {
        let unit = match unit_code {
            Some(c) => admin_units::find_by_code(&txn, c).await?.map(|u| u.id),
            None => None,
        };
        users::insert(
            &txn,
            users::NewUser {
                email: (*email).to_owned(),
                display_name: (*name).to_owned(),
                display_name_folded: fold(name),
                password_hash: password_hash.to_owned(),
                role: (*role).to_owned(),
                admin_unit_id: unit,
                subject_id: (*role == "producer").then_some(demo_subjects[0]),
            },
        )
        .await?;
    }
    seed_council(&txn, &province).await?;
    seed_maps(&txn, &demo_subjects).await?;
    let summary = serde_json::json!({ "dataset": "demo", "province": "22" });
    audit::record::<(), _>(&txn, &ctx, "seed", "dataset", "demo", None, Some(&summary)).await?;
    txn.commit().await?;
    Ok(())
}

/// Demo subjects: (legal form, name, tax code, representative, phone, commune code, address).
const DEMO_SUBJECTS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "enterprise",
        "Công ty TNHH Thực phẩm Biển Hạ Long",
        "5701234567",
        "Trần Thị Hoa",
        "0912345678",
        "06688",
        "Số 12 phố Lê Thánh Tông, phường Hạ Long",
    ),
    (
        "cooperative",
        "Hợp tác xã Dược liệu Ba Chẽ",
        "5701765432",
        "Hoàng Văn Sơn",
        "0987654321",
        "06970",
        "Thôn Khe Tâm, xã Ba Chẽ",
    ),
    (
        "household",
        "Hộ kinh doanh Nguyễn Văn An",
        "22A8001234",
        "Nguyễn Văn An",
        "0203382567",
        "06832",
        "Thôn Nam Mẫu, phường Yên Tử",
    ),
];

/// Demo products: (subject index, name, classification code in the 2023 set, unit, price VND).
const DEMO_PRODUCTS: &[(usize, &str, &str, &str, i64)] = &[
    (0, "Chả mực Hạ Long", "1.3.5", "kg", 450_000),
    (0, "Sá sùng khô Quan Lạn", "1.2.4", "hộp 200 g", 1_200_000),
    (1, "Rượu ba kích Ba Chẽ", "2.1.2", "chai 500 ml", 350_000),
    (1, "Trà hoa vàng Ba Chẽ", "1.5.1", "hộp 100 g", 600_000),
    (2, "Mơ lông Yên Tử", "1.1.1", "kg", 60_000),
];

/// Subjects, products and the 2026 cycle; returns the subjects' ids in [`DEMO_SUBJECTS`] order.
async fn seed_registry(txn: &sea_orm::DatabaseTransaction) -> Result<Vec<uuid::Uuid>, SeedError> {
    let version = classifications::find_version_by_code(txn, "2023")
        .await?
        .ok_or_else(|| SeedError::Code("classification 2023".into()))?;
    let mut subject_ids = Vec::new();
    let mut subject_rows = Vec::new();
    for (form, name, tax, rep, phone, commune, address) in DEMO_SUBJECTS {
        let unit = admin_units::find_by_code(txn, commune).await?.ok_or_else(|| SeedError::Code((*commune).into()))?;
        let subject = subjects::insert(
            txn,
            subjects::SubjectData {
                legal_form: (*form).into(),
                name: (*name).into(),
                tax_code: (*tax).into(),
                representative: (*rep).into(),
                phone: (*phone).into(),
                email: None,
                address: (*address).into(),
                commune_id: unit.id,
                area_path: unit.path.clone(),
                founded_on: NaiveDate::from_ymd_opt(2018, 3, 15),
                members: Some(7),
                employees: Some(15),
            },
        )
        .await?;
        subject_ids.push(subject.id);
        subject_rows.push((subject, unit));
    }
    let mut product_rows = Vec::new();
    for (subject_index, name, class_code, unit_name, price) in DEMO_PRODUCTS {
        let (subject, unit) = &subject_rows[*subject_index];
        let node = classifications::find_node_by_code(txn, version.id, class_code)
            .await?
            .ok_or_else(|| SeedError::Code((*class_code).into()))?;
        let place = code_place(&unit.path).ok_or_else(|| SeedError::Code(unit.path.clone()))?;
        let seq = products::next_seq(txn, unit.id, 2026).await?;
        let product = products::insert(
            txn,
            products::Placement {
                code: product_code(&place, u32::try_from(seq).unwrap_or(1), 2026),
                commune_seq: seq,
                code_year: 2026,
                subject_id: subject.id,
                commune_id: unit.id,
                area_path: unit.path.clone(),
            },
            products::ProductData {
                name: (*name).into(),
                classification_node_id: node.id,
                group_code: classifications::group_code(&node.code).to_owned(),
                is_service: node.is_service,
                description: None,
                story: None,
                gtin: None,
                unit: (*unit_name).into(),
                price_vnd: Some(*price),
                status: "active".into(),
            },
            &subject.name,
        )
        .await?;
        product_rows.push(product);
    }
    let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d);
    let deadlines = [
        (Stage::Promotion, date(1, 1), date(3, 31)),
        (Stage::IdeaRegistration, date(2, 1), date(4, 30)),
        (Stage::BusinessPlan, date(4, 1), date(6, 30)),
        (Stage::Implementation, date(6, 1), date(9, 30)),
        (Stage::Evaluation, date(10, 1), date(11, 30)),
        (Stage::TradePromotion, date(11, 1), date(12, 31)),
    ];
    let cycle = cycles::insert(
        txn,
        2026,
        "Chu trình OCOP năm 2026".into(),
        version.id,
        deadlines
            .iter()
            .map(|(stage, starts_on, deadline)| cycles::StageDates {
                stage: stage.as_str().into(),
                starts_on: *starts_on,
                deadline: *deadline,
            })
            .collect(),
    )
    .await?;
    // Applications already under way, so the board, the dashboard and the province council's
    // queue show something.
    for (product, status) in [
        (&product_rows[2], ApplicationStatus::PlanSubmitted),
        (&product_rows[4], ApplicationStatus::IdeaRegistered),
        (&product_rows[3], ApplicationStatus::SubmittedForEvaluation),
    ] {
        let application = applications::insert(
            txn,
            applications::NewApplication {
                cycle_id: cycle.id,
                product: product.clone(),
                status: status.as_str().into(),
                stage: status.stage().as_str().into(),
                dossier_version: 1,
                previous_application_id: None,
            },
        )
        .await?;
        applications::record_event(
            txn,
            applications::NewEvent {
                application_id: application.id,
                action: "seed",
                from_status: None,
                to_status: status.as_str(),
                note: Some("Dữ liệu mẫu / demo data".into()),
                actor_id: None,
                actor_name: None,
            },
        )
        .await?;
    }
    Ok(subject_ids)
}

/// The province council of the 2026 cycle: a chair and two members (the demo council accounts).
async fn seed_council(
    txn: &sea_orm::DatabaseTransaction,
    province: &crate::entities::admin_unit::Model,
) -> Result<(), SeedError> {
    let cycle = cycles::find_by_year(txn, 2026).await?.ok_or_else(|| SeedError::Code("cycle 2026".into()))?;
    let council = councils::insert(
        txn,
        councils::NewCouncil {
            level: "province".into(),
            area_unit_id: province.id,
            area_path: province.path.clone(),
            cycle_id: cycle.id,
            name: "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Quảng Ninh năm 2026".into(),
            decision_number: "2345/QĐ-UBND".into(),
            decision_date: NaiveDate::from_ymd_opt(2026, 9, 15).ok_or_else(|| SeedError::Code("date".into()))?,
        },
    )
    .await?;
    for (email, role, organisation) in [
        ("chutich@ocop.demo", "chair", "UBND tỉnh Quảng Ninh"),
        ("hoidong@ocop.demo", "member", "Sở Nông nghiệp và Môi trường"),
        ("hoidong2@ocop.demo", "member", "Sở Công Thương"),
    ] {
        let user = users::find_by_email(txn, email).await?.ok_or_else(|| SeedError::Code(email.into()))?;
        councils::insert_member(txn, council.id, user.id, role, Some(organisation.into())).await?;
    }
    Ok(())
}

/// A square of `side` degrees with its south-west corner at (lon, lat), as GeoJSON.
fn square(lon: f64, lat: f64, side: f64) -> serde_json::Value {
    serde_json::json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]]})
}

/// Two growing areas, two craft villages with tourism services, two OCOP sales points.
async fn seed_maps(txn: &sea_orm::DatabaseTransaction, subject_ids: &[uuid::Uuid]) -> Result<(), SeedError> {
    use crate::entities::{craft_village, growing_area, sales_point};
    use ocop_domain::geo::AreaGeometry;
    let now = chrono::Utc::now();
    let commune = |code: &'static str| async move {
        admin_units::find_by_code(txn, code).await?.ok_or_else(|| SeedError::Code(code.into()))
    };
    let areas = [
        (
            // Issued in 2024 in Thanh Sơn (06973, Ba Chẽ district), now in the commune of Ba Chẽ:
            // the code keeps its value.
            "VN-22-202-06973-001-24",
            "Vùng trồng trà hoa vàng Thanh Sơn",
            "Trà hoa vàng",
            "Camellia chrysantha",
            14.0,
            1,
            "06970",
            square(107.27, 21.26, 0.0035),
            "vietgap",
        ),
        (
            // Issued early in 2025 in Thượng Yên Công (06829, Uông Bí), now in Yên Tử ward.
            "VN-22-196-06829-002-25",
            "Vùng trồng mơ lông Thượng Yên Công",
            "Mơ lông",
            "Mơ lông Yên Tử",
            2.0,
            2,
            "06832",
            square(106.76, 21.12, 0.0013),
            "organic",
        ),
    ];
    for (code, name, crop, variety, declared, subject, commune_code, geometry, standard) in areas {
        let unit = commune(commune_code).await?;
        let shape: AreaGeometry = serde_json::from_value(geometry).map_err(|e| SeedError::Code(e.to_string()))?;
        let bbox = shape.bbox();
        maps::save_growing_area(
            txn,
            growing_area::Model {
                id: crate::new_id(),
                code: code.into(),
                name: name.into(),
                name_folded: fold(name),
                crop: crop.into(),
                crop_folded: fold(crop),
                variety: Some(variety.into()),
                crop_cycle: "perennial".into(),
                plant_age_years: Some(6),
                seed_origin: Some("Giống bản địa".into()),
                declared_area_ha: declared,
                computed_area_ha: shape.area_ha(),
                subject_id: subject_ids[subject],
                commune_id: unit.id,
                area_path: unit.path.clone(),
                households: Some(12),
                representative: None,
                standards: serde_json::json!([{"standard": standard, "certificate_number": format!("{}-2025-01", standard.to_uppercase()), "expires_on": "2027-12-31"}]).to_string(),
                yields: serde_json::json!([{"season": "2025", "tonnes": 6.5}]).to_string(),
                geometry: serde_json::to_string(&shape).map_err(|e| SeedError::Code(e.to_string()))?,
                min_lon: bbox.min_lon,
                min_lat: bbox.min_lat,
                max_lon: bbox.max_lon,
                max_lat: bbox.max_lat,
                published: true,
                created_at: now,
                updated_at: now,
            },
            true,
        )
        .await?;
    }
    let villages = [
        (
            "Làng nghề chế biến hải sản Hồng Gai",
            "Chế biến hải sản",
            "06685",
            107.083,
            20.951,
            "Nghề giã chả mực và chế biến hải sản khô bên vịnh Hạ Long.",
            serde_json::json!([{"kind": "workshop", "name": "Trải nghiệm giã chả mực", "contact": "0912 345 678", "price_vnd": 200000, "product_id": null},
                               {"kind": "tour", "name": "Tham quan chợ hải sản Hạ Long", "contact": "0912 345 678", "price_vnd": 150000, "product_id": null}]),
        ),
        (
            "Làng nghề trồng và chế biến dược liệu Thanh Sơn",
            "Dược liệu",
            "06970",
            // Among its tea: inside the Thanh Sơn growing area.
            107.2718,
            21.2618,
            "Trồng và chế biến trà hoa vàng, ba kích của đồng bào Dao Thanh Y.",
            serde_json::json!([{"kind": "homestay", "name": "Homestay bản Khe Tâm", "contact": "0987 654 321", "price_vnd": 350000, "product_id": null}]),
        ),
    ];
    for (name, craft, commune_code, lon, lat, description, services) in villages {
        let unit = commune(commune_code).await?;
        maps::save_craft_village(
            txn,
            craft_village::Model {
                id: crate::new_id(),
                name: name.into(),
                name_folded: fold(name),
                craft: craft.into(),
                craft_folded: fold(craft),
                decision_number: Some("1234/QĐ-UBND".into()),
                recognised_on: NaiveDate::from_ymd_opt(2016, 5, 20),
                commune_id: unit.id,
                area_path: unit.path.clone(),
                lon,
                lat,
                description: Some(description.into()),
                photos: "[]".into(),
                product_ids: "[]".into(),
                services: services.to_string(),
                published: true,
                created_at: now,
                updated_at: now,
            },
            true,
        )
        .await?;
    }
    let points = [
        (
            "Điểm bán hàng OCOP tỉnh Quảng Ninh",
            "province",
            "Trung tâm Xúc tiến thương mại tỉnh",
            "Phố Trần Hưng Đạo, phường Hồng Gai, Hạ Long",
            "06685",
            107.072,
            20.957,
        ),
        (
            "Điểm bán hàng OCOP Uông Bí",
            "district",
            "UBND thành phố Uông Bí",
            "Đường Quang Trung, phường Uông Bí",
            "06811",
            106.785,
            21.038,
        ),
    ];
    for (name, level, operator, address, commune_code, lon, lat) in points {
        let unit = commune(commune_code).await?;
        maps::save_sales_point(
            txn,
            sales_point::Model {
                id: crate::new_id(),
                name: name.into(),
                name_folded: fold(name),
                level: level.into(),
                operator: operator.into(),
                address: address.into(),
                opening_hours: Some("8:00–21:00 hằng ngày".into()),
                commune_id: unit.id,
                area_path: unit.path.clone(),
                lon,
                lat,
                product_ids: "[]".into(),
                published: true,
                created_at: now,
                updated_at: now,
            },
            true,
        )
        .await?;
    }
    Ok(())
}

/// Synthetic volume for benchmarks: `products` products (and a third as many subjects) spread
/// over every commune, each with an application in the 2026 cycle at one of the states.
/// Loaded on top of the demo dataset, in one transaction, in batches; may be run again.
pub async fn synthetic(db: &DatabaseConnection, products: u32, certified: bool) -> Result<(), SeedError> {
    use sea_orm::{EntityTrait, PaginatorTrait, Set};

    use crate::entities::{application, certificate, council, evaluation_session, product, session_item, subject};

    const WORDS: [&str; 8] =
        ["Chả mực", "Nước mắm", "Trà hoa vàng", "Rượu ba kích", "Mật ong rừng", "Miến dong", "Sá sùng khô", "Gà đồi"];
    const BATCH: usize = 500;
    let txn = db.begin().await?;
    let communes = admin_units::communes_by_code(&txn).await?;
    let version = classifications::find_version_by_code(&txn, "2023")
        .await?
        .ok_or_else(|| SeedError::Code("classification 2023".into()))?;
    let sets: Vec<_> =
        classifications::nodes(&txn, version.id).await?.into_iter().filter(|n| n.level == "product_set").collect();
    let cycle = cycles::find_by_year(&txn, 2026).await?.ok_or_else(|| SeedError::Code("cycle 2026".into()))?;
    let now = chrono::Utc::now();
    // Continue numbering after earlier runs, so tax codes and product codes stay unique.
    let offset = subject::Entity::find().count(&txn).await? as usize;
    let subject_count = (products / 3).max(1) as usize;
    let mut subject_rows = Vec::with_capacity(subject_count);
    for i in 0..subject_count {
        let commune = &communes[i % communes.len()];
        let name = format!("Hợp tác xã {} {}", WORDS[i % WORDS.len()], i);
        subject_rows.push(subject::ActiveModel {
            id: Set(crate::new_id()),
            legal_form: Set(["household", "cooperative_group", "cooperative", "enterprise"][i % 4].into()),
            name_folded: Set(fold(&name)),
            name: Set(name),
            tax_code: Set(format!("59{:08}", offset + i)),
            representative: Set("Người đại diện".into()),
            phone: Set("0912345678".into()),
            email: Set(None),
            address: Set(commune.name.clone()),
            commune_id: Set(commune.id),
            area_path: Set(commune.path.clone()),
            founded_on: Set(None),
            members: Set(None),
            employees: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let subjects: Vec<(uuid::Uuid, usize)> =
        subject_rows.iter().enumerate().map(|(i, s)| (s.id.clone().unwrap(), i % communes.len())).collect();
    let subject_names: Vec<String> = subject_rows.iter().map(|s| s.name.clone().unwrap()).collect();
    for chunk in subject_rows.chunks(BATCH) {
        subject::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    let mut seq = Vec::with_capacity(communes.len());
    for commune in &communes {
        seq.push(products::next_seq(&txn, commune.id, 2025).await? - 1);
    }
    let mut product_rows = Vec::with_capacity(products as usize);
    let mut application_rows = Vec::with_capacity(products as usize);
    for i in 0..products as usize {
        let (subject_id, commune_index) = subjects[i % subjects.len()];
        let commune = &communes[commune_index];
        let set = &sets[i % sets.len()];
        seq[commune_index] += 1;
        let place = code_place(&commune.path).ok_or_else(|| SeedError::Code(commune.path.clone()))?;
        let name = format!("{} {} {}", WORDS[i % WORDS.len()], commune.name, i);
        let id = crate::new_id();
        let code = product_code(&place, u32::try_from(seq[commune_index]).unwrap_or(0), 2025);
        product_rows.push(product::ActiveModel {
            id: Set(id),
            search_folded: Set(fold(&format!("{name} {code} {}", subject_names[i % subjects.len()]))),
            code: Set(code),
            commune_seq: Set(seq[commune_index]),
            code_year: Set(2025),
            name_folded: Set(fold(&name)),
            name: Set(name),
            classification_node_id: Set(set.id),
            group_code: Set(classifications::group_code(&set.code).to_owned()),
            is_service: Set(set.is_service),
            subject_id: Set(subject_id),
            commune_id: Set(commune.id),
            area_path: Set(commune.path.clone()),
            description: Set(None),
            story: Set(None),
            gtin: Set(None),
            unit: Set("kg".into()),
            price_vnd: Set(Some(100_000)),
            status: Set(if certified { "certified" } else { "active" }.into()),
            photo_type: Set(None),
            photo_sha256: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        // Synthetic applications stop before evaluation (later states need councils' results),
        // unless they are certified below.
        let before_evaluation = &ApplicationStatus::ALL[..5];
        let status =
            if certified { ApplicationStatus::Certified } else { before_evaluation[i % before_evaluation.len()] };
        application_rows.push(application::ActiveModel {
            id: Set(crate::new_id()),
            cycle_id: Set(cycle.id),
            product_id: Set(id),
            subject_id: Set(subject_id),
            area_path: Set(commune.path.clone()),
            group_code: Set(classifications::group_code(&set.code).to_owned()),
            is_service: Set(set.is_service),
            status: Set(status.as_str().into()),
            stage: Set(status.stage().as_str().into()),
            dossier_version: Set(1),
            previous_application_id: Set(None),
            returned_reason: Set(None),
            evaluation_level: Set(None),
            status_changed_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    for chunk in product_rows.chunks(BATCH) {
        product::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    if certified {
        // One province session ranked them all: mostly 3★, every fourth 4★, one in fifty 5★.
        let province = admin_units::root(&txn).await?.ok_or_else(|| SeedError::Code("province".into()))?;
        let criteria = crate::criteria_sets::find_by_code(&txn, "2023-chung")
            .await?
            .ok_or_else(|| SeedError::Code("criteria set 2023-chung".into()))?;
        let decided = now.date_naive();
        let council_id = crate::new_id();
        council::Entity::insert(council::ActiveModel {
            id: Set(council_id),
            level: Set("province".into()),
            area_unit_id: Set(province.id),
            area_path: Set(province.path.clone()),
            cycle_id: Set(cycle.id),
            name: Set("Hội đồng đánh giá (dữ liệu tổng hợp)".into()),
            decision_number: Set("0/QĐ-SYN".into()),
            decision_date: Set(decided),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&txn)
        .await?;
        let session_id = crate::new_id();
        evaluation_session::Entity::insert(evaluation_session::ActiveModel {
            id: Set(session_id),
            council_id: Set(council_id),
            held_on: Set(decided),
            place: Set(None),
            created_at: Set(now),
        })
        .exec(&txn)
        .await?;
        let numbered = crate::certificates::count_numbered(&txn, "OCOP-SYN-").await?;
        let mut items = Vec::with_capacity(product_rows.len());
        let mut certificates = Vec::with_capacity(product_rows.len());
        for (i, (p, a)) in product_rows.iter().zip(&application_rows).enumerate() {
            let star: i16 = if i % 50 == 49 {
                5
            } else if i % 4 == 3 {
                4
            } else {
                3
            };
            let average = [0, 0, 0, 6000, 7500, 9200][usize::try_from(star).unwrap_or(3)];
            let item_id = crate::new_id();
            items.push(session_item::ActiveModel {
                id: Set(item_id),
                session_id: Set(session_id),
                council_id: Set(council_id),
                application_id: a.id.clone(),
                product_id: p.id.clone(),
                criteria_set_id: Set(criteria.id),
                level: Set("province".into()),
                status: Set("finalized".into()),
                average_centi: Set(Some(average)),
                spread: Set(Some(0)),
                divergent: Set(false),
                star: Set(Some(i32::from(star))),
                failed_minimums: Set(None),
                decision: Set(Some("ranked".into())),
                forwarded_to: Set(None),
                discussion_note: Set(None),
                finalized_at: Set(Some(now)),
                finalized_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            certificates.push(certificate::ActiveModel {
                id: Set(crate::new_id()),
                number: Set(format!("OCOP-SYN-{:07}", numbered as usize + i + 1)),
                product_id: p.id.clone(),
                application_id: a.id.clone(),
                item_id: Set(item_id),
                subject_id: p.subject_id.clone(),
                area_path: p.area_path.clone(),
                star: Set(star),
                score_centi: Set(average),
                level: Set("province".into()),
                issuing_body: Set(province.name.clone()),
                decision_number: Set("0/QĐ-SYN".into()),
                decision_date: Set(decided),
                valid_from: Set(decided),
                valid_until: Set(ocop_domain::council::valid_until(decided)),
                status: Set("active".into()),
                revoked_reason: Set(None),
                revoked_at: Set(None),
                superseded_by: Set(None),
                issued_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
        for chunk in application_rows.chunks(BATCH) {
            application::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in items.chunks(BATCH) {
            session_item::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in certificates.chunks(BATCH) {
            certificate::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
    } else {
        for chunk in application_rows.chunks(BATCH) {
            application::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
    }
    let summary = serde_json::json!({ "dataset": "synthetic", "products": products, "subjects": subject_count, "certified": certified });
    audit::record::<(), _>(&txn, &AuditContext::default(), "seed", "dataset", "synthetic", None, Some(&summary))
        .await?;
    txn.commit().await?;
    crate::analyze(db).await?;
    Ok(())
}
