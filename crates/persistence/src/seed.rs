//! The demo dataset: Quảng Ninh province with its cities, towns and districts (official
//! GSO codes) and a realistic set of communes (names real, commune codes illustrative),
//! plus one demo account per role. Loaded only into an empty database.

use ocop_domain::admin_unit::{AdminUnitCode, AdminUnitKind, unit_path};
use ocop_domain::text::fold;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use crate::audit::{self, AuditContext};
use crate::{admin_units, users};

pub const DEMO_PASSWORD: &str = "OcopDemo@2026";
pub const DEMO_ADMIN_EMAIL: &str = "admin@ocop.demo";

/// Demo accounts: (e-mail, display name, role, code of the unit an officer is bound to).
pub const DEMO_USERS: &[(&str, &str, &str, Option<&str>)] = &[
    (DEMO_ADMIN_EMAIL, "Quản trị hệ thống (demo)", "admin", None),
    ("tinh@ocop.demo", "Cán bộ OCOP tỉnh (demo)", "province_officer", Some("22")),
    ("halong@ocop.demo", "Cán bộ TP Hạ Long (demo)", "district_officer", Some("193")),
    ("uongbi@ocop.demo", "Cán bộ TP Uông Bí (demo)", "district_officer", Some("196")),
    ("hoidong@ocop.demo", "Thành viên hội đồng (demo)", "council_member", None),
    ("chuthe@ocop.demo", "Chủ thể OCOP (demo)", "producer", None),
];

type District = (&'static str, AdminUnitKind, &'static str, &'static [(AdminUnitKind, &'static str)]);

const DISTRICTS: &[District] = {
    use AdminUnitKind::*;
    &[
        (
            "193",
            ProvincialCity,
            "Hạ Long",
            &[
                (Ward, "Hồng Gai"),
                (Ward, "Bãi Cháy"),
                (Ward, "Hà Khẩu"),
                (Ward, "Hoành Bồ"),
                (Commune, "Thống Nhất"),
                (Commune, "Quảng La"),
            ],
        ),
        (
            "194",
            ProvincialCity,
            "Móng Cái",
            &[(Ward, "Trần Phú"), (Ward, "Ka Long"), (Commune, "Vạn Ninh"), (Commune, "Hải Xuân")],
        ),
        (
            "195",
            ProvincialCity,
            "Cẩm Phả",
            &[(Ward, "Cẩm Trung"), (Ward, "Mông Dương"), (Commune, "Cộng Hòa"), (Commune, "Dương Huy")],
        ),
        (
            "196",
            ProvincialCity,
            "Uông Bí",
            &[(Ward, "Quang Trung"), (Ward, "Vàng Danh"), (Ward, "Phương Đông"), (Commune, "Thượng Yên Công")],
        ),
        (
            "198",
            RuralDistrict,
            "Bình Liêu",
            &[(Township, "Bình Liêu"), (Commune, "Đồng Văn"), (Commune, "Hoành Mô"), (Commune, "Lục Hồn")],
        ),
        (
            "199",
            RuralDistrict,
            "Tiên Yên",
            &[(Township, "Tiên Yên"), (Commune, "Đông Ngũ"), (Commune, "Hải Lạng"), (Commune, "Phong Dụ")],
        ),
        ("200", RuralDistrict, "Đầm Hà", &[(Township, "Đầm Hà"), (Commune, "Quảng Tân"), (Commune, "Đại Bình")]),
        (
            "201",
            RuralDistrict,
            "Hải Hà",
            &[(Township, "Quảng Hà"), (Commune, "Quảng Long"), (Commune, "Quảng Đức"), (Commune, "Đường Hoa")],
        ),
        (
            "202",
            RuralDistrict,
            "Ba Chẽ",
            &[(Township, "Ba Chẽ"), (Commune, "Thanh Sơn"), (Commune, "Đạp Thanh"), (Commune, "Nam Sơn")],
        ),
        (
            "203",
            RuralDistrict,
            "Vân Đồn",
            &[(Township, "Cái Rồng"), (Commune, "Quan Lạn"), (Commune, "Minh Châu"), (Commune, "Đông Xá")],
        ),
        (
            "205",
            ProvincialCity,
            "Đông Triều",
            &[(Ward, "Mạo Khê"), (Ward, "Đông Triều"), (Commune, "An Sinh"), (Commune, "Tràng Lương")],
        ),
        (
            "206",
            Town,
            "Quảng Yên",
            &[(Ward, "Quảng Yên"), (Ward, "Hà An"), (Commune, "Tiền An"), (Commune, "Liên Hòa")],
        ),
        ("207", RuralDistrict, "Cô Tô", &[(Township, "Cô Tô"), (Commune, "Đồng Tiến"), (Commune, "Thanh Lân")]),
    ]
};

fn full_name(kind: AdminUnitKind, name: &str) -> String {
    format!("{} {}", kind.label_vi(), name)
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("invalid demo code {0}")]
    Code(String),
}

fn code(raw: &str, kind: AdminUnitKind) -> Result<AdminUnitCode, SeedError> {
    AdminUnitCode::parse(raw, kind.level()).map_err(|_| SeedError::Code(raw.to_owned()))
}

/// Loads the demo dataset in one transaction. `password_hash` is the hash of
/// [`DEMO_PASSWORD`], computed by the caller (hashing is not storage's business).
pub async fn demo(db: &DatabaseConnection, password_hash: &str) -> Result<(), SeedError> {
    let txn = db.begin().await?;
    let ctx = AuditContext::default();
    let province_code = code("22", AdminUnitKind::Province)?;
    let province_path = unit_path(None, &province_code);
    let province = admin_units::insert(
        &txn,
        new_unit(&province_code, AdminUnitKind::Province, "Quảng Ninh", None, &province_path),
    )
    .await?;
    // Commune codes: sequential in the province's range, in steps of three like the GSO list.
    let mut commune_seq = 6_637u32;
    for (district_code, kind, name, communes) in DISTRICTS {
        let district_code = code(district_code, *kind)?;
        let district_path = unit_path(Some(&province.path), &district_code);
        let district =
            admin_units::insert(&txn, new_unit(&district_code, *kind, name, Some(province.id), &district_path)).await?;
        for (commune_kind, commune_name) in *communes {
            let commune_code = code(&format!("{commune_seq:05}"), *commune_kind)?;
            commune_seq += 3;
            let path = unit_path(Some(&district.path), &commune_code);
            admin_units::insert(&txn, new_unit(&commune_code, *commune_kind, commune_name, Some(district.id), &path))
                .await?;
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
            },
        )
        .await?;
    }
    let summary = serde_json::json!({ "dataset": "demo", "province": "22" });
    audit::record::<(), _>(&txn, &ctx, "seed", "dataset", "demo", None, Some(&summary)).await?;
    txn.commit().await?;
    Ok(())
}

fn new_unit(
    code: &AdminUnitCode,
    kind: AdminUnitKind,
    name: &str,
    parent_id: Option<uuid::Uuid>,
    path: &str,
) -> admin_units::NewUnit {
    let name = full_name(kind, name);
    admin_units::NewUnit {
        code: code.as_str().to_owned(),
        name_folded: fold(&name),
        name,
        kind: kind.as_str().to_owned(),
        level: kind.level().as_str().to_owned(),
        parent_id,
        path: path.to_owned(),
        valid_from: None,
    }
}
