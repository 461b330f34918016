//! The rows of each report, one builder per kind.

use super::*;

pub(super) async fn products_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let products = reports::products(&state.db, &s.area.path, s.group.as_deref()).await?;
    let today = vietnam_day(Utc::now());
    // The star of each product's active certificate decided in the period.
    let stars: HashMap<uuid::Uuid, i16> = reports::certificates(&state.db, &s.area.path, s.from(), s.to())
        .await?
        .into_iter()
        .filter(|c| c.status.parse() == Ok(CertificateStatus::Active) && c.valid_until >= today)
        .map(|c| (c.product_id, c.star))
        .collect();
    // (unit, group) → [registered, 3★, 4★, 5★]
    let mut counts: HashMap<(uuid::Uuid, String), [usize; 4]> = HashMap::new();
    let mut total = [0usize; 4];
    for (id, path, group) in &products {
        let unit = s.unit_of(path);
        let row = counts.entry((unit.id, group.clone())).or_default();
        row[0] += 1;
        total[0] += 1;
        if let Some(star) = stars.get(id).filter(|s| **s >= 3) {
            let i = usize::try_from(*star - 2).unwrap_or(1).min(3);
            row[i] += 1;
            total[i] += 1;
        }
    }
    let mut rows = Vec::new();
    for unit in s.units() {
        let mut groups: Vec<&String> = counts.keys().filter(|(u, _)| *u == unit.id).map(|(_, g)| g).collect();
        groups.sort();
        for g in groups {
            let c = counts[&(unit.id, g.clone())];
            rows.push(vec![
                unit.name.clone().into(),
                format!("Nhóm {g}").into(),
                n(c[0]),
                n(c[1]),
                n(c[2]),
                n(c[3]),
                n(c[1] + c[2] + c[3]),
            ]);
        }
    }
    rows.push(vec![
        "Tổng cộng".into(),
        Cell::Empty,
        n(total[0]),
        n(total[1]),
        n(total[2]),
        n(total[3]),
        n(total[1] + total[2] + total[3]),
    ]);
    Ok(Table {
        sheet: "Sản phẩm OCOP theo hạng sao và nhóm",
        headers: &["Địa bàn", "Nhóm sản phẩm", "Sản phẩm đăng ký", "3 sao", "4 sao", "5 sao", "Tổng đạt OCOP"],
        rows,
    })
}

pub(super) async fn subjects_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let subjects = reports::subjects(&state.db, &s.area.path).await?;
    let upgrades = programme::upgrades(&state.db, &s.area.path, s.from(), s.to()).await?;
    let mut rows = Vec::new();
    let mut total = vec![0usize; LegalForm::ALL.len() + 2];
    for unit in s.units() {
        let mine: Vec<&(uuid::Uuid, String, String)> =
            subjects.iter().filter(|x| s.unit_of(&x.1).id == unit.id).collect();
        let ups = upgrades.iter().filter(|p| s.unit_of(p).id == unit.id).count();
        if mine.is_empty() && ups == 0 {
            continue;
        }
        let mut row: Vec<Cell> = vec![unit.name.clone().into()];
        for (i, form) in LegalForm::ALL.into_iter().enumerate() {
            let k = mine.iter().filter(|x| x.2 == form.as_str()).count();
            total[i] += k;
            row.push(n(k));
        }
        total[LegalForm::ALL.len()] += mine.len();
        total[LegalForm::ALL.len() + 1] += ups;
        row.extend([n(mine.len()), n(ups)]);
        rows.push(row);
    }
    rows.push(std::iter::once(Cell::from("Tổng cộng")).chain(total.into_iter().map(n)).collect());
    Ok(Table {
        sheet: "Chủ thể OCOP theo loại hình và nâng cấp",
        headers: &[
            "Địa bàn",
            "Hộ sản xuất",
            "Tổ hợp tác",
            "Hợp tác xã",
            "Doanh nghiệp",
            "Công ty cổ phần",
            "Tổng chủ thể",
            "Nâng cấp trong kỳ",
        ],
        rows,
    })
}

pub(super) async fn certificates_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let mut certs = reports::certificates(&state.db, &s.area.path, s.from(), s.to()).await?;
    let names: HashMap<uuid::Uuid, (String, String)> =
        products::find_many(&state.db, certs.iter().map(|c| c.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, (p.name, p.group_code)))
            .collect();
    if let Some(g) = &s.group {
        certs.retain(|c| names.get(&c.product_id).is_some_and(|p| &p.1 == g));
    }
    let owners: HashMap<uuid::Uuid, String> =
        subjects::find_many(&state.db, certs.iter().map(|c| c.subject_id).collect())
            .await?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect();
    let today = vietnam_day(Utc::now());
    let rows = certs
        .iter()
        .map(|c| {
            let standing =
                match c.status.parse::<CertificateStatus>().map(|st| CertificateStatus::on(st, c.valid_until, today)) {
                    Ok(CertificateStatus::Active) if (c.valid_until - today).num_days() <= EXPIRY_WARNING_DAYS => {
                        "Sắp hết hiệu lực"
                    }
                    Ok(CertificateStatus::Active) => "Còn hiệu lực",
                    Ok(CertificateStatus::Expired) => "Hết hiệu lực",
                    Ok(CertificateStatus::Revoked) => "Đã thu hồi",
                    Ok(CertificateStatus::Superseded) | Err(_) => "Đã thay thế",
                };
            vec![
                c.number.clone().into(),
                names.get(&c.product_id).map(|p| p.0.clone()).unwrap_or_default().into(),
                owners.get(&c.subject_id).cloned().unwrap_or_default().into(),
                s.unit_of(&c.area_path).name.clone().into(),
                Cell::Number(f64::from(c.star)),
                c.decision_date.format("%d/%m/%Y").to_string().into(),
                c.valid_until.format("%d/%m/%Y").to_string().into(),
                standing.into(),
            ]
        })
        .collect();
    Ok(Table {
        sheet: "Giấy chứng nhận OCOP",
        headers: &[
            "Số giấy chứng nhận",
            "Sản phẩm",
            "Chủ thể",
            "Địa bàn",
            "Hạng sao",
            "Ngày quyết định",
            "Hiệu lực đến",
            "Tình trạng",
        ],
        rows,
    })
}

pub(super) async fn cycle_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let mut apps = reports::applications(&state.db, &s.area.path, s.years).await?;
    if let Some(g) = &s.group {
        apps.retain(|a| &a.1 == g);
    }
    let stages = [Stage::IdeaRegistration, Stage::BusinessPlan, Stage::Implementation, Stage::Evaluation];
    let mut rows = Vec::new();
    let mut total = [0usize; 6];
    for unit in s.units() {
        let mine: Vec<_> = apps.iter().filter(|a| s.unit_of(&a.0).id == unit.id).collect();
        let decided =
            |status: &str| matches!(status.parse(), Ok(ApplicationStatus::Ranked | ApplicationStatus::Certified));
        if mine.is_empty() {
            continue;
        }
        let mut row: Vec<Cell> = vec![unit.name.clone().into()];
        for (i, stage) in stages.iter().enumerate() {
            let k = mine.iter().filter(|a| a.2 == stage.as_str() && !decided(&a.3)).count();
            total[i] += k;
            row.push(n(k));
        }
        let done = mine.iter().filter(|a| decided(&a.3)).count();
        total[4] += done;
        total[5] += mine.len();
        row.extend([n(done), n(mine.len())]);
        rows.push(row);
    }
    rows.push(std::iter::once(Cell::from("Tổng cộng")).chain(total.into_iter().map(n)).collect());
    Ok(Table {
        sheet: "Tiến độ chu trình OCOP",
        headers: &[
            "Địa bàn",
            "Đăng ký ý tưởng",
            "Phương án SXKD",
            "Triển khai phương án",
            "Đánh giá, phân hạng",
            "Đã có kết quả",
            "Tổng hồ sơ",
        ],
        rows,
    })
}

pub(super) async fn training_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let courses = reports::courses(&state.db, &s.area.path, s.from(), s.to()).await?;
    let people = training::participants_of(&state.db, courses.iter().map(|c| c.id).collect()).await?;
    let mut total = [0usize; 5];
    let mut rows: Vec<Vec<Cell>> = courses
        .iter()
        .map(|c| {
            let mine: Vec<_> = people.iter().filter(|p| p.course_id == c.id).collect();
            let by = |k: ParticipantKind| mine.iter().filter(|p| p.kind == k.as_str()).count();
            let counts = [
                mine.len(),
                mine.iter().filter(|p| p.attended).count(),
                mine.iter().filter(|p| p.completed).count(),
                by(ParticipantKind::Official),
                by(ParticipantKind::Leader) + by(ParticipantKind::Worker),
            ];
            for (t, k) in total.iter_mut().zip(counts) {
                *t += k;
            }
            let mut row: Vec<Cell> = vec![
                c.title.clone().into(),
                course_kind_label_vi(&c.kind).into(),
                format!("{} – {}", c.starts_on.format("%d/%m/%Y"), c.ends_on.format("%d/%m/%Y")).into(),
                c.organiser.clone().into(),
            ];
            row.extend(counts.into_iter().map(n));
            row
        })
        .collect();
    let mut last: Vec<Cell> = vec!["Tổng cộng".into(), Cell::Empty, Cell::Empty, Cell::Empty];
    last.extend(total.into_iter().map(n));
    rows.push(last);
    Ok(Table {
        sheet: "Đào tạo, tập huấn OCOP",
        headers: &[
            "Khóa học",
            "Loại",
            "Thời gian",
            "Đơn vị tổ chức",
            "Học viên",
            "Tham dự",
            "Hoàn thành",
            "Cán bộ",
            "Chủ thể, lao động",
        ],
        rows,
    })
}

pub(super) async fn funding_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let filter = funding::Filter {
        within: Some(s.area.path.clone()),
        year_from: Some(s.years.0),
        year_to: Some(s.years.1),
        ..Default::default()
    };
    let lines = funding::all(&state.db, &filter).await?;
    let summary = crate::dto::summarise(&lines);
    let rate = |planned: i64, disbursed: i64| disbursement_rate(planned, disbursed).map_or(Cell::Empty, Cell::Number);
    let mut rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            vec![
                l.year.into(),
                s.unit_of(&l.area_path).name.clone().into(),
                source_label_vi(&l.source).into(),
                activity_label_vi(&l.activity).into(),
                l.description.clone().into(),
                l.planned_vnd.into(),
                l.allocated_vnd.into(),
                l.disbursed_vnd.into(),
                rate(l.planned_vnd, l.disbursed_vnd),
            ]
        })
        .collect();
    let t = &summary.total;
    rows.push(vec![
        Cell::Empty,
        "Tổng cộng".into(),
        Cell::Empty,
        Cell::Empty,
        format!(
            "Ngân sách nhà nước: {} đ; ngoài ngân sách: {} đ",
            number_vi(summary.state_budget.planned_vnd as f64),
            number_vi(summary.non_state.planned_vnd as f64)
        )
        .into(),
        t.planned_vnd.into(),
        t.allocated_vnd.into(),
        t.disbursed_vnd.into(),
        rate(t.planned_vnd, t.disbursed_vnd),
    ]);
    Ok(Table {
        sheet: "Nguồn vốn thực hiện Chương trình OCOP",
        headers: &[
            "Năm",
            "Địa bàn",
            "Nguồn vốn",
            "Nội dung",
            "Diễn giải",
            "Kế hoạch (đ)",
            "Đã phân bổ (đ)",
            "Đã giải ngân (đ)",
            "Tỷ lệ giải ngân (%)",
        ],
        rows,
    })
}
