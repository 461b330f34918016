//! The session's minutes as a workbook.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use super::*;
use crate::sheets::{Cell, Table, XLSX, xlsx};

/// The session's minutes / Biên bản phiên họp (.xlsx).
///
/// Three sheets: the results (average, spread, star, decision), every member's totals by part,
/// and every member's choice for every criterion. Blind scoring applies: a product's sheets
/// appear once the caller may see them.
#[utoipa::path(operation_id = "session_minutes", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), responses(
    (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
))]
#[get("/sessions/{id}/minutes")]
pub async fn minutes(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    let items = councils::items(&state.db, ctx.session.id).await?;
    let sheets = councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?;
    let products: HashMap<Uuid, (String, String)> =
        products::find_many(&state.db, items.iter().map(|i| i.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, (p.code, p.name)))
            .collect();
    let mut sets: HashMap<Uuid, CriteriaSet> = HashMap::new();
    for item in &items {
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(item.criteria_set_id)
            && let Some(row) = criteria_sets::find(&state.db, item.criteria_set_id).await?
        {
            e.insert(criteria_sets::parse(&row)?);
        }
    }
    let name_of = |member_id: Uuid| {
        ctx.members
            .iter()
            .find(|(m, _)| m.id == member_id)
            .map(|(m, u)| (u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(), m.role.clone()))
            .unwrap_or_default()
    };
    let sitting = ctx.sitting();
    let mut results = Vec::new();
    let mut totals = Vec::new();
    let mut choices = Vec::new();
    for item in &items {
        let (code, name) = products.get(&item.product_id).cloned().unwrap_or_default();
        let result = result_dto(item);
        results.push(vec![
            Cell::from(code.clone()),
            name.clone().into(),
            result.as_ref().map(|r| Cell::Number(r.average)).unwrap_or(Cell::Empty),
            item.spread.map(Cell::from).unwrap_or(Cell::Empty),
            match (&result, item.star) {
                (Some(_), Some(star)) => Cell::from(format!("{star} sao")),
                (Some(_), None) => "Không xếp hạng".into(),
                _ => Cell::Empty,
            },
            item.decision
                .as_deref()
                .and_then(|d| d.parse::<Decision>().ok())
                .map(|d| if d == Decision::Forwarded { "Chuyển cấp trên" } else { "Xếp hạng" })
                .into(),
            (if item_status(item)? == ItemStatus::Finalized { "Đã chốt" } else { "Đang chấm" }).into(),
            item.discussion_note.clone().into(),
        ]);
        let states = sheet_states(item, &sheets)?;
        if !permissions(&sitting, &facts(item, &states)?, false).see_others {
            continue;
        }
        let mine: Vec<&score_sheet::Model> = sheets.iter().filter(|s| s.item_id == item.id).collect();
        let set = sets.get(&item.criteria_set_id);
        for s in mine.iter().filter(|s| sheet_status(s).is_ok_and(|st| st == SheetStatus::Submitted)) {
            let (member, role) = name_of(s.member_id);
            totals.push(vec![
                Cell::from(code.clone()),
                name.clone().into(),
                member.clone().into(),
                role.clone().into(),
                s.part_a.into(),
                s.part_b.into(),
                s.part_c.into(),
                s.total.into(),
                s.revision.into(),
                s.submitted_at.map(|t| t.format("%d/%m/%Y %H:%M").to_string()).into(),
                s.comment.clone().into(),
            ]);
            let answers: BTreeMap<String, String> = serde_json::from_str(&s.answers).unwrap_or_default();
            for (_, criterion) in set.iter().flat_map(|set| set.criteria()) {
                let option = answers.get(&criterion.code).and_then(|o| criterion.options.iter().find(|x| &x.code == o));
                choices.push(vec![
                    Cell::from(code.clone()),
                    member.clone().into(),
                    criterion.code.clone().into(),
                    criterion.text.clone().into(),
                    option.map(|o| o.text.clone()).into(),
                    option.map(|o| Cell::from(i64::from(o.points))).unwrap_or(Cell::Empty),
                ]);
            }
        }
    }
    let body = xlsx(&[
        Table {
            sheet: "Ket qua",
            headers: &[
                "Mã sản phẩm",
                "Tên sản phẩm",
                "Điểm trung bình",
                "Chênh lệch",
                "Hạng sao",
                "Quyết định",
                "Tình trạng",
                "Nội dung thảo luận",
            ],
            rows: results,
        },
        Table {
            sheet: "Tong diem",
            headers: &[
                "Mã sản phẩm",
                "Tên sản phẩm",
                "Thành viên",
                "Vai trò",
                "Phần A",
                "Phần B",
                "Phần C",
                "Tổng điểm",
                "Lần nộp",
                "Thời điểm nộp",
                "Ý kiến",
            ],
            rows: totals,
        },
        Table {
            sheet: "Phieu cham",
            headers: &["Mã sản phẩm", "Thành viên", "Mã tiêu chí", "Tiêu chí", "Lựa chọn", "Điểm"],
            rows: choices,
        },
    ])?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, XLSX))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"bien-ban-{}.xlsx\"", ctx.session.held_on.format("%Y%m%d")),
        ))
        .body(body))
}
