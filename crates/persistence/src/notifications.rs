//! In-app notifications: a sweep that finds every due occasion in the live data and writes one
//! row per recipient (an occasion already written is skipped), and each user's inbox.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, Utc};
use ocop_domain::account::Role;
use ocop_domain::council::CertificateStatus;
use ocop_domain::council::EXPIRY_WARNING_DAYS;
use ocop_domain::cycle::{ApplicationStatus, Stage};
use ocop_domain::dossier::Review;
use ocop_domain::notification::{
    self as rules, DEADLINE_NOTICE_DAYS, Message, certificate_expiring, counterfeit_alert, document_returned,
    session_to_score, stage_deadline,
};
use ocop_domain::session::{ItemStatus, SheetStatus};
use ocop_domain::traceability::SignalRules;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{
    admin_unit, application, certificate, council, council_member, cycle_stage, document, evaluation_session,
    notification as note, product, score_sheet, session_item, user,
};
use crate::paging::{Paged, Paging, fetch_page};

/// Writes the messages for their recipients; returns how many were new. Occasions already
/// written are skipped by a read first, so a sweep that finds nothing new writes nothing.
pub async fn deliver(db: &impl ConnectionTrait, batch: &[(Uuid, Message)]) -> Result<u64, DbErr> {
    if batch.is_empty() {
        return Ok(0);
    }
    let keys: HashSet<&str> = batch.iter().map(|(_, m)| m.occasion.as_str()).collect();
    let mut known: HashSet<(Uuid, String)> = HashSet::new();
    for chunk in keys.into_iter().collect::<Vec<_>>().chunks(500) {
        let rows: Vec<(Uuid, String)> = note::Entity::find()
            .select_only()
            .column(note::Column::UserId)
            .column(note::Column::OccasionKey)
            .filter(note::Column::OccasionKey.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        known.extend(rows);
    }
    let now = Utc::now();
    let mut written = 0;
    for (user_id, m) in batch.iter().filter(|(u, m)| !known.contains(&(*u, m.occasion.clone()))) {
        let row = note::ActiveModel {
            id: sea_orm::Set(crate::new_id()),
            user_id: sea_orm::Set(*user_id),
            kind: sea_orm::Set(m.kind.as_str().to_owned()),
            occasion_key: sea_orm::Set(m.occasion.clone()),
            title_vi: sea_orm::Set(m.title_vi.clone()),
            title_en: sea_orm::Set(m.title_en.clone()),
            body_vi: sea_orm::Set(truncate(&m.body_vi, 1000)),
            body_en: sea_orm::Set(truncate(&m.body_en, 1000)),
            link: sea_orm::Set(Some(m.link.clone())),
            created_at: sea_orm::Set(now),
            read_at: sea_orm::Set(None),
            mailed_at: sea_orm::Set(None),
        };
        let result = note::Entity::insert(row)
            .on_conflict(OnConflict::columns([note::Column::UserId, note::Column::OccasionKey]).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        written += result;
    }
    Ok(written)
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Active producer accounts of each subject.
async fn producers(db: &impl ConnectionTrait, subjects: Vec<Uuid>) -> Result<HashMap<Uuid, Vec<Uuid>>, DbErr> {
    let mut by_subject: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if subjects.is_empty() {
        return Ok(by_subject);
    }
    let rows: Vec<(Uuid, Option<Uuid>)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::SubjectId)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq(Role::Producer.as_str()))
        .filter(user::Column::SubjectId.is_in(subjects))
        .into_tuple()
        .all(db)
        .await?;
    for (id, subject) in rows {
        if let Some(subject) = subject {
            by_subject.entry(subject).or_default().push(id);
        }
    }
    Ok(by_subject)
}

async fn product_names(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Name)
        .filter(product::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Finds every occasion due on `today` and notifies whom it concerns (`rules`: when stamp scans
/// count as counterfeiting). Returns the number of new notifications. Safe to run from several
/// instances at once.
pub async fn sweep(db: &impl ConnectionTrait, today: NaiveDate, rules: &SignalRules) -> Result<u64, DbErr> {
    let mut batch = stage_deadlines(db, today).await?;
    batch.extend(returned_documents(db).await?);
    batch.extend(sessions_to_score(db).await?);
    batch.extend(expiring_certificates(db, today).await?);
    batch.extend(counterfeit_alerts(db, rules).await?);
    deliver(db, &batch).await
}

/// Officers of a province, district or commune, with their unit's path: they follow their
/// area's products (since July 2025 there are no districts; the province's officers are told
/// what district officers were).
async fn area_officers(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, String)>, DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(admin_unit::Column::Path)
        .inner_join(admin_unit::Entity)
        .filter(user::Column::Active.eq(true))
        .filter(
            user::Column::Role
                .is_in([Role::ProvinceOfficer, Role::DistrictOfficer, Role::CommuneOfficer].map(Role::as_str)),
        )
        .into_tuple()
        .all(db)
        .await
}

/// Stamps scanned in the last day whose scans raise a counterfeit signal: the producers of the
/// product and the officers of its area are told, once per stamp and signal.
async fn counterfeit_alerts(db: &impl ConnectionTrait, rules: &SignalRules) -> Result<Vec<(Uuid, Message)>, DbErr> {
    let since = Utc::now() - Duration::hours(rules.window_hours.max(24));
    let flagged = crate::traceability::flagged_stamps(db, None, None, since, rules).await?;
    if flagged.is_empty() {
        return Ok(Vec::new());
    }
    let products: HashMap<Uuid, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(flagged.iter().map(|f| f.product_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let owners = producers(db, products.values().map(|p| p.subject_id).collect()).await?;
    let officers = area_officers(db).await?;
    let mut out = Vec::new();
    for f in flagged {
        let Some(p) = products.get(&f.product_id) else { continue };
        for signal in f.evidence.signals {
            let m = counterfeit_alert(&f.code, &p.name, f.evidence.clients_in_window, signal);
            let producers = owners.get(&p.subject_id).map_or(&[][..], Vec::as_slice);
            out.extend(rules::concerned(producers, &officers, &p.area_path).into_iter().map(|u| (u, m.clone())));
        }
    }
    Ok(out)
}

async fn stage_deadlines(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<(Uuid, Message)>, DbErr> {
    let stages = cycle_stage::Entity::find()
        .filter(cycle_stage::Column::Deadline.gte(today))
        .filter(cycle_stage::Column::Deadline.lte(today + Duration::days(DEADLINE_NOTICE_DAYS)))
        .all(db)
        .await?;
    if stages.is_empty() {
        return Ok(Vec::new());
    }
    let apps = application::Entity::find()
        .filter(application::Column::CycleId.is_in(stages.iter().map(|s| s.cycle_id).collect::<HashSet<_>>()))
        .filter(
            application::Column::Status
                .is_not_in([ApplicationStatus::Ranked, ApplicationStatus::Certified].map(ApplicationStatus::as_str)),
        )
        .all(db)
        .await?;
    let names = product_names(db, apps.iter().map(|a| a.product_id).collect()).await?;
    let owners = producers(db, apps.iter().map(|a| a.subject_id).collect()).await?;
    let mut out = Vec::new();
    for a in &apps {
        let Some(s) = stages.iter().find(|s| s.cycle_id == a.cycle_id && s.stage == a.stage) else { continue };
        let (Some(deadline), Ok(stage)) = (s.deadline, s.stage.parse::<Stage>()) else { continue };
        if !rules::within_notice(deadline, today, DEADLINE_NOTICE_DAYS) {
            continue;
        }
        let name = names.get(&a.product_id).map_or("", String::as_str);
        let m = stage_deadline(a.id, name, stage.label_vi(), stage.as_str(), deadline);
        out.extend(owners.get(&a.subject_id).into_iter().flatten().map(|u| (*u, m.clone())));
    }
    Ok(out)
}

async fn returned_documents(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, Message)>, DbErr> {
    let docs = document::Entity::find()
        .filter(document::Column::Review.eq(Review::NeedsFix.as_str()))
        .filter(document::Column::SupersededAt.is_null())
        .filter(document::Column::ReviewedAt.gte(Utc::now() - Duration::days(30)))
        .all(db)
        .await?;
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let apps: HashMap<Uuid, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(docs.iter().map(|d| d.application_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let names = product_names(db, apps.values().map(|a| a.product_id).collect()).await?;
    let owners = producers(db, apps.values().map(|a| a.subject_id).collect()).await?;
    let mut out = Vec::new();
    for d in &docs {
        let Some(a) = apps.get(&d.application_id) else { continue };
        let name = names.get(&a.product_id).map_or("", String::as_str);
        let m = document_returned(a.id, d.id, name, &d.file_name, d.review_comment.as_deref());
        out.extend(owners.get(&a.subject_id).into_iter().flatten().map(|u| (*u, m.clone())));
    }
    Ok(out)
}

async fn sessions_to_score(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, Message)>, DbErr> {
    let items = session_item::Entity::find()
        .filter(session_item::Column::Status.eq(ItemStatus::Scoring.as_str()))
        .all(db)
        .await?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let sessions: HashMap<Uuid, evaluation_session::Model> = evaluation_session::Entity::find()
        .filter(evaluation_session::Column::Id.is_in(items.iter().map(|i| i.session_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let councils: HashMap<Uuid, String> = council::Entity::find()
        .filter(council::Column::Id.is_in(items.iter().map(|i| i.council_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let members = council_member::Entity::find()
        .filter(council_member::Column::CouncilId.is_in(councils.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let submitted: HashSet<(Uuid, Uuid)> = score_sheet::Entity::find()
        .select_only()
        .column(score_sheet::Column::ItemId)
        .column(score_sheet::Column::MemberId)
        .filter(score_sheet::Column::ItemId.is_in(items.iter().map(|i| i.id).collect::<Vec<_>>()))
        .filter(score_sheet::Column::Status.eq(SheetStatus::Submitted.as_str()))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for (session_id, session) in &sessions {
        let of_session: Vec<&session_item::Model> = items.iter().filter(|i| i.session_id == *session_id).collect();
        let Some(council_id) = of_session.first().map(|i| i.council_id) else { continue };
        for m in members.iter().filter(|m| m.council_id == council_id) {
            let waiting = of_session.iter().filter(|i| !submitted.contains(&(i.id, m.id))).count();
            if waiting > 0 {
                let name = councils.get(&council_id).map_or("", String::as_str);
                out.push((m.user_id, session_to_score(*session_id, name, session.held_on, waiting)));
            }
        }
    }
    Ok(out)
}

async fn expiring_certificates(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<(Uuid, Message)>, DbErr> {
    let certs = certificate::Entity::find()
        .filter(certificate::Column::Status.eq(CertificateStatus::Active.as_str()))
        .filter(certificate::Column::ValidUntil.gte(today))
        .filter(certificate::Column::ValidUntil.lte(today + Duration::days(EXPIRY_WARNING_DAYS)))
        .all(db)
        .await?;
    if certs.is_empty() {
        return Ok(Vec::new());
    }
    let names = product_names(db, certs.iter().map(|c| c.product_id).collect()).await?;
    let owners = producers(db, certs.iter().map(|c| c.subject_id).collect()).await?;
    let officers = area_officers(db).await?;
    let mut out = Vec::new();
    for c in &certs {
        let name = names.get(&c.product_id).map_or("", String::as_str);
        let m = certificate_expiring(c.id, &c.number, name, c.valid_until);
        let producers = owners.get(&c.subject_id).map_or(&[][..], Vec::as_slice);
        out.extend(rules::concerned(producers, &officers, &c.area_path).into_iter().map(|u| (u, m.clone())));
    }
    Ok(out)
}

pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    unread_only: bool,
    paging: Paging,
) -> Result<Paged<note::Model>, DbErr> {
    let mut q = note::Entity::find().filter(note::Column::UserId.eq(user_id));
    if unread_only {
        q = q.filter(note::Column::ReadAt.is_null());
    }
    fetch_page(db, q, paging, |q| q.order_by_desc(note::Column::CreatedAt).order_by_desc(note::Column::Id)).await
}

pub async fn unread(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    note::Entity::find().filter(note::Column::UserId.eq(user_id)).filter(note::Column::ReadAt.is_null()).count(db).await
}

/// Marks one notification (or all, with `None`) of the user read; returns how many changed.
pub async fn mark_read(db: &impl ConnectionTrait, user_id: Uuid, id: Option<Uuid>) -> Result<u64, DbErr> {
    let mut q = note::Entity::update_many()
        .col_expr(note::Column::ReadAt, Expr::value(Utc::now()))
        .filter(note::Column::UserId.eq(user_id))
        .filter(note::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(note::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<note::Model>, DbErr> {
    note::Entity::find_by_id(id).one(db).await
}

/// Notifications not yet handed to the e-mail hook, with their recipient's address.
pub async fn unmailed(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<(note::Model, String)>, DbErr> {
    // A hook switched on later does not mail a backlog of old notifications.
    let rows = note::Entity::find()
        .filter(note::Column::MailedAt.is_null())
        .filter(note::Column::CreatedAt.gte(Utc::now() - Duration::days(1)))
        .order_by_asc(note::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?;
    let emails: HashMap<Uuid, String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .filter(user::Column::Id.is_in(rows.iter().map(|n| n.user_id).collect::<HashSet<_>>()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows.into_iter().filter_map(|n| emails.get(&n.user_id).cloned().map(|e| (n, e))).collect())
}

pub async fn mark_mailed(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    note::Entity::update_many()
        .col_expr(note::Column::MailedAt, Expr::value(Utc::now()))
        .filter(note::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}
