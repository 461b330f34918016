//! Batches with their inputs, lab tests and retained samples; stamps and their issuing jobs;
//! the scan log; captured EPCIS events.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use ocop_domain::traceability::JobStatus;
use ocop_domain::traceability::{Scan, SignalRules, client_key, evidence};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{
    batch, batch_input as input, epcis_capture as capture, epcis_event as event, epcis_event_epc as event_epc,
    lab_test, retained_sample as sample, stamp, stamp_job as job, stamp_scan as scan,
};
use crate::paging::{Paged, Paging, fetch_page};

#[derive(Debug, Clone, Default)]
pub struct BatchFilter {
    /// A producer sees its own subject's batches only.
    pub subject_id: Option<Uuid>,
    /// An officer sees those inside their area.
    pub within: Option<String>,
    pub product_id: Option<Uuid>,
}

pub async fn list_batches(
    db: &impl ConnectionTrait,
    f: &BatchFilter,
    paging: Paging,
) -> Result<Paged<batch::Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(s) = f.subject_id {
        cond = cond.add(batch::Column::SubjectId.eq(s));
    }
    if let Some(p) = &f.within {
        cond = cond.add(batch::Column::AreaPath.like(prefix(p)));
    }
    if let Some(p) = f.product_id {
        cond = cond.add(batch::Column::ProductId.eq(p));
    }
    fetch_page(db, batch::Entity::find().filter(cond), paging, |q| {
        q.order_by_desc(batch::Column::ProducedOn).order_by_desc(batch::Column::Id)
    })
    .await
}

pub async fn find_batch(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<batch::Model>, DbErr> {
    batch::Entity::find_by_id(id).one(db).await
}

pub async fn find_batch_by_code(
    db: &impl ConnectionTrait,
    product_id: Uuid,
    code: &str,
) -> Result<Option<batch::Model>, DbErr> {
    batch::Entity::find()
        .filter(batch::Column::ProductId.eq(product_id))
        .filter(batch::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn insert_batch(db: &impl ConnectionTrait, row: batch::Model) -> Result<batch::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn inputs(db: &impl ConnectionTrait, batch_id: Uuid) -> Result<Vec<input::Model>, DbErr> {
    input::Entity::find()
        .filter(input::Column::BatchId.eq(batch_id))
        .order_by_asc(input::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn lab_tests(db: &impl ConnectionTrait, batch_id: Uuid) -> Result<Vec<lab_test::Model>, DbErr> {
    lab_test::Entity::find()
        .filter(lab_test::Column::BatchId.eq(batch_id))
        .order_by_desc(lab_test::Column::TestedOn)
        .all(db)
        .await
}

pub async fn samples(db: &impl ConnectionTrait, batch_id: Uuid) -> Result<Vec<sample::Model>, DbErr> {
    sample::Entity::find()
        .filter(sample::Column::BatchId.eq(batch_id))
        .order_by_asc(sample::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn add_input(db: &impl ConnectionTrait, row: input::Model) -> Result<input::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn add_lab_test(db: &impl ConnectionTrait, row: lab_test::Model) -> Result<lab_test::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn find_lab_test(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<lab_test::Model>, DbErr> {
    lab_test::Entity::find_by_id(id).one(db).await
}

/// Attaches a lab test's report file (replacing any earlier one): name, type, content hash.
pub async fn set_lab_report(
    db: &impl ConnectionTrait,
    test: lab_test::Model,
    (name, kind, sha256): (String, String, String),
) -> Result<lab_test::Model, DbErr> {
    let mut active = test.into_active_model();
    active.report_name = Set(Some(name));
    active.report_type = Set(Some(kind));
    active.report_sha256 = Set(Some(sha256));
    active.update(db).await
}

pub async fn add_sample(db: &impl ConnectionTrait, row: sample::Model) -> Result<sample::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// Reserves `count` serials of a batch for one job; concurrent jobs get disjoint ranges.
/// Returns the first serial of the range.
pub async fn reserve_serials(db: &impl ConnectionTrait, batch_id: Uuid, count: i64) -> Result<i64, DbErr> {
    loop {
        let current = find_batch(db, batch_id).await?.ok_or_else(|| DbErr::RecordNotFound("batch".into()))?;
        let moved = batch::Entity::update_many()
            .col_expr(batch::Column::NextSerial, Expr::value(current.next_serial + count))
            .filter(batch::Column::Id.eq(batch_id))
            .filter(batch::Column::NextSerial.eq(current.next_serial))
            .exec(db)
            .await?
            .rows_affected;
        if moved == 1 {
            return Ok(current.next_serial);
        }
    }
}

/// Inserts stamps; a code already taken (anywhere) or a serial already filled is skipped.
/// Returns how many were written.
pub async fn insert_stamps(db: &impl ConnectionTrait, batch_id: Uuid, rows: &[(String, i64)]) -> Result<u64, DbErr> {
    if rows.is_empty() {
        return Ok(0);
    }
    let models = rows.iter().map(|(code, serial)| stamp::ActiveModel {
        code: Set(code.clone()),
        batch_id: Set(batch_id),
        serial: Set(*serial),
        voided_at: Set(None),
        // The table's defaults: no scans yet.
        scan_count: NotSet,
        last_scanned_at: NotSet,
    });
    stamp::Entity::insert_many(models)
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await
}

/// The serials of `from..=to` that hold a stamp.
pub async fn serials_present(
    db: &impl ConnectionTrait,
    batch_id: Uuid,
    from: i64,
    to: i64,
) -> Result<HashSet<i64>, DbErr> {
    Ok(stamp::Entity::find()
        .select_only()
        .column(stamp::Column::Serial)
        .filter(stamp::Column::BatchId.eq(batch_id))
        .filter(stamp::Column::Serial.between(from, to))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

pub async fn find_stamp(db: &impl ConnectionTrait, code: &str) -> Result<Option<stamp::Model>, DbErr> {
    stamp::Entity::find_by_id(code.to_owned()).one(db).await
}

pub async fn find_stamp_by_serial(
    db: &impl ConnectionTrait,
    batch_id: Uuid,
    serial: i64,
) -> Result<Option<stamp::Model>, DbErr> {
    stamp::Entity::find()
        .filter(stamp::Column::BatchId.eq(batch_id))
        .filter(stamp::Column::Serial.eq(serial))
        .one(db)
        .await
}

/// A batch's stamps with serials in `from..=to`, in serial order.
pub async fn stamps(db: &impl ConnectionTrait, batch_id: Uuid, from: i64, to: i64) -> Result<Vec<stamp::Model>, DbErr> {
    stamp::Entity::find()
        .filter(stamp::Column::BatchId.eq(batch_id))
        .filter(stamp::Column::Serial.between(from, to))
        .order_by_asc(stamp::Column::Serial)
        .all(db)
        .await
}

pub async fn count_stamps(db: &impl ConnectionTrait, batch_id: Uuid) -> Result<(u64, u64), DbErr> {
    let all = stamp::Entity::find().filter(stamp::Column::BatchId.eq(batch_id)).count(db).await?;
    let voided = stamp::Entity::find()
        .filter(stamp::Column::BatchId.eq(batch_id))
        .filter(stamp::Column::VoidedAt.is_not_null())
        .count(db)
        .await?;
    Ok((all, voided))
}

/// The subjects that own these lots (batch ids) and stamps (codes); unknown ones are absent.
pub async fn identifier_owners(
    db: &impl ConnectionTrait,
    lots: Vec<Uuid>,
    stamps: Vec<String>,
) -> Result<(HashMap<Uuid, Uuid>, HashMap<String, Uuid>), DbErr> {
    let mut lot_owners = HashMap::new();
    if !lots.is_empty() {
        let rows = batch::Entity::find()
            .select_only()
            .column(batch::Column::Id)
            .column(batch::Column::SubjectId)
            .filter(batch::Column::Id.is_in(lots))
            .into_tuple::<(Uuid, Uuid)>()
            .all(db)
            .await?;
        lot_owners.extend(rows);
    }
    let mut stamp_owners = HashMap::new();
    if !stamps.is_empty() {
        let rows = stamp::Entity::find()
            .select_only()
            .column(stamp::Column::Code)
            .column(batch::Column::SubjectId)
            .inner_join(batch::Entity)
            .filter(stamp::Column::Code.is_in(stamps))
            .into_tuple::<(String, Uuid)>()
            .all(db)
            .await?;
        stamp_owners.extend(rows);
    }
    Ok((lot_owners, stamp_owners))
}

/// A subject's stamps in circulation (issued, not voided) and its stamp jobs still running:
/// what its quotas are checked against.
pub async fn stamp_load(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<(u64, u64), DbErr> {
    use sea_orm::sea_query::Query;
    let batches = || {
        Query::select()
            .column(batch::Column::Id)
            .from(batch::Entity)
            .and_where(
                batch::Column::ProductId.in_subquery(
                    Query::select()
                        .column(crate::entities::product::Column::Id)
                        .from(crate::entities::product::Entity)
                        .and_where(crate::entities::product::Column::SubjectId.eq(subject_id))
                        .to_owned(),
                ),
            )
            .to_owned()
    };
    let live = stamp::Entity::find()
        .filter(stamp::Column::BatchId.in_subquery(batches()))
        .filter(stamp::Column::VoidedAt.is_null())
        .count(db)
        .await?;
    let running = job::Entity::find()
        .filter(job::Column::BatchId.in_subquery(batches()))
        .filter(job::Column::Status.eq(JobStatus::Running.as_str()))
        .count(db)
        .await?;
    Ok((live, running))
}

/// Voids the stamps of `from..=to` not voided yet; returns how many.
pub async fn void_range(db: &impl ConnectionTrait, batch_id: Uuid, from: i64, to: i64) -> Result<u64, DbErr> {
    Ok(stamp::Entity::update_many()
        .col_expr(stamp::Column::VoidedAt, Expr::value(Utc::now()))
        .filter(stamp::Column::BatchId.eq(batch_id))
        .filter(stamp::Column::Serial.between(from, to))
        .filter(stamp::Column::VoidedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn insert_job(db: &impl ConnectionTrait, row: job::Model) -> Result<job::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn find_job(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<job::Model>, DbErr> {
    job::Entity::find_by_id(id).one(db).await
}

pub async fn jobs_of(db: &impl ConnectionTrait, batch_id: Uuid) -> Result<Vec<job::Model>, DbErr> {
    job::Entity::find().filter(job::Column::BatchId.eq(batch_id)).order_by_desc(job::Column::CreatedAt).all(db).await
}

/// The columns of a claimable job table (stamp jobs, EPCIS captures).
struct Claimable<E: EntityTrait> {
    id: E::Column,
    status: E::Column,
    locked_until: E::Column,
    created_at: E::Column,
}

/// Claims a running job that no instance holds (or whose holder's claim ran out) until
/// `until`; `None` when there is none. Of instances claiming at once, one wins.
async fn claim<E>(
    db: &impl ConnectionTrait,
    table: Claimable<E>,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: sea_orm::ModelTrait<Entity = E> + Sync,
{
    use sea_orm::ModelTrait;
    let free = || Condition::any().add(table.locked_until.is_null()).add(table.locked_until.lt(now));
    let candidates = E::find()
        .filter(table.status.eq(JobStatus::Running.as_str()))
        .filter(free())
        .order_by_asc(table.created_at)
        .limit(5)
        .all(db)
        .await?;
    for mut candidate in candidates {
        let claimed = E::update_many()
            .col_expr(table.locked_until, Expr::value(Some(until)))
            .filter(table.id.eq(candidate.get(table.id)))
            .filter(table.status.eq(JobStatus::Running.as_str()))
            .filter(free())
            .exec(db)
            .await?;
        if claimed.rows_affected == 1 {
            candidate.set(table.locked_until, Some(until).into());
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// Gives a job back (its holder stops), so another instance takes it at once.
async fn release<E: EntityTrait>(db: &impl ConnectionTrait, table: Claimable<E>, id: Uuid) -> Result<(), DbErr> {
    E::update_many()
        .col_expr(table.locked_until, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(table.id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

fn stamp_jobs() -> Claimable<job::Entity> {
    Claimable {
        id: job::Column::Id,
        status: job::Column::Status,
        locked_until: job::Column::LockedUntil,
        created_at: job::Column::CreatedAt,
    }
}

fn captures() -> Claimable<capture::Entity> {
    Claimable {
        id: capture::Column::Id,
        status: capture::Column::Status,
        locked_until: capture::Column::LockedUntil,
        created_at: capture::Column::CreatedAt,
    }
}

/// Claims a stamp job to issue (see [`claim`]).
pub async fn claim_stamp_job(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    claim(db, stamp_jobs(), now, until).await
}

pub async fn release_stamp_job(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    release(db, stamp_jobs(), id).await
}

/// Claims an EPCIS capture to store (see [`claim`]).
pub async fn claim_capture(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<capture::Model>, DbErr> {
    claim(db, captures(), now, until).await
}

pub async fn release_capture(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    release(db, captures(), id).await
}

/// A stamp job's progress; `hold` extends its holder's claim.
pub async fn job_progress(
    db: &impl ConnectionTrait,
    id: Uuid,
    issued: i32,
    status: &str,
    error: Option<String>,
    hold: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let mut q = job::Entity::update_many()
        .col_expr(job::Column::Issued, Expr::value(issued))
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::LockedUntil, Expr::value(hold));
    if status != JobStatus::Running.as_str() {
        q = q.col_expr(job::Column::FinishedAt, Expr::value(Some(Utc::now())));
    }
    q.filter(job::Column::Id.eq(id)).exec(db).await.map(|_| ())
}

/// A scan waiting to be written: what a consumer's look-up records, with as few allocations
/// as possible (the area is shared with the batch's cached answer).
#[derive(Debug, Clone)]
pub struct NewScan {
    pub id: Uuid,
    pub code: String,
    pub product_id: Uuid,
    pub area_path: std::sync::Arc<str>,
    pub scanned_at: DateTime<Utc>,
    /// Coarse latitude and longitude, when the consumer shared them.
    pub place: Option<(f64, f64)>,
    pub device_class: &'static str,
    pub client_hash: String,
}

/// Writes scans in one transaction and adds them to their stamps' counts; scans written
/// already are skipped (and not counted again), so a flush whose commit was not confirmed can
/// be tried again.
///
/// Scans arrive by the ten thousand a second under load, so this goes under the ORM to sqlx:
/// PostgreSQL takes the rows by `COPY` in its binary format (its cheapest way in), SQLite as
/// multi-row inserts of a few fixed sizes, prepared once; then one count per stamp scanned.
/// A set with scans written already (the copy meets a taken id, or SQLite inserts fewer rows)
/// is rolled back and written again without them.
pub async fn insert_scans(db: &sea_orm::DatabaseConnection, rows: &[NewScan]) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let whole = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => write_scans_postgres(db, rows).await?,
        _ => write_scans_sqlite(db, rows).await?,
    };
    if whole {
        return Ok(());
    }
    let mut written = HashSet::new();
    for chunk in rows.chunks(500) {
        let ids: Vec<Uuid> = scan::Entity::find()
            .select_only()
            .column(scan::Column::Id)
            .filter(scan::Column::Id.is_in(chunk.iter().map(|r| r.id)))
            .into_tuple()
            .all(db)
            .await?;
        written.extend(ids);
    }
    if written.is_empty() {
        return Err(DbErr::Custom("scans conflict with none written".into()));
    }
    let fresh: Vec<NewScan> = rows.iter().filter(|r| !written.contains(&r.id)).cloned().collect();
    Box::pin(insert_scans(db, &fresh)).await
}

fn sqlx_failed(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Exec(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e)))
}

/// How many of the scans each stamp got, and the latest.
fn per_stamp(rows: &[NewScan]) -> Vec<(&str, i64, DateTime<Utc>)> {
    let mut per_stamp: HashMap<&str, (i64, DateTime<Utc>)> = HashMap::new();
    for r in rows {
        let (k, at) = per_stamp.entry(r.code.as_str()).or_insert((0, r.scanned_at));
        *k += 1;
        *at = (*at).max(r.scanned_at);
    }
    per_stamp.into_iter().map(|(code, (k, at))| (code, k, at)).collect()
}

/// `COPY … FROM STDIN (FORMAT binary)`, then the counts from three arrays; `false` (rolled
/// back) when a scan's id is taken.
async fn write_scans_postgres(db: &sea_orm::DatabaseConnection, rows: &[NewScan]) -> Result<bool, DbErr> {
    use sea_orm::sqlx;
    const COPY: &str = "COPY stamp_scans (id, code, product_id, area_path, scanned_at, lat, lon, device_class, client_hash) \
                        FROM STDIN (FORMAT binary)";
    const COUNTS: &str = "UPDATE stamps SET scan_count = stamps.scan_count + n.k, \
                          last_scanned_at = GREATEST(stamps.last_scanned_at, n.at) \
                          FROM UNNEST($1::text[], $2::int8[], $3::timestamptz[]) AS n(code, k, at) WHERE stamps.code = n.code";
    let mut txn = db.get_postgres_connection_pool().begin().await.map_err(sqlx_failed)?;
    let mut copy = txn.copy_in_raw(COPY).await.map_err(sqlx_failed)?;
    copy.send(pg_copy_binary(rows)).await.map_err(sqlx_failed)?;
    match copy.finish().await {
        Ok(_) => {}
        Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {
            txn.rollback().await.map_err(sqlx_failed)?;
            return Ok(false);
        }
        Err(e) => return Err(sqlx_failed(e)),
    }
    let counts = per_stamp(rows);
    sqlx::query(COUNTS)
        .bind(counts.iter().map(|c| c.0).collect::<Vec<_>>())
        .bind(counts.iter().map(|c| c.1).collect::<Vec<_>>())
        .bind(counts.iter().map(|c| c.2).collect::<Vec<_>>())
        .execute(&mut *txn)
        .await
        .map_err(sqlx_failed)?;
    txn.commit().await.map_err(sqlx_failed)?;
    Ok(true)
}

/// Scans in PostgreSQL's binary `COPY` format: a header, then per row its field count and
/// each field as a length and the type's binary form (uuid 16 bytes, text UTF-8, timestamptz
/// microseconds since 2000-01-01 UTC, float8 IEEE 754, NULL as length -1), all big-endian.
fn pg_copy_binary(rows: &[NewScan]) -> Vec<u8> {
    const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
    let mut out = Vec::with_capacity(19 + rows.len() * 160 + 2);
    out.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    out.extend_from_slice(&0_i32.to_be_bytes()); // flags
    out.extend_from_slice(&0_i32.to_be_bytes()); // header extension
    let field = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        out.extend_from_slice(bytes);
    };
    for r in rows {
        out.extend_from_slice(&9_i16.to_be_bytes());
        field(&mut out, r.id.as_bytes());
        field(&mut out, r.code.as_bytes());
        field(&mut out, r.product_id.as_bytes());
        field(&mut out, r.area_path.as_bytes());
        field(&mut out, &(r.scanned_at.timestamp_micros() - PG_EPOCH_MICROS).to_be_bytes());
        match r.place {
            Some((lat, lon)) => {
                field(&mut out, &lat.to_be_bytes());
                field(&mut out, &lon.to_be_bytes());
            }
            None => {
                out.extend_from_slice(&(-1_i32).to_be_bytes());
                out.extend_from_slice(&(-1_i32).to_be_bytes());
            }
        }
        field(&mut out, r.device_class.as_bytes());
        field(&mut out, r.client_hash.as_bytes());
    }
    out.extend_from_slice(&(-1_i16).to_be_bytes());
    out
}

/// SQLite statements of a few fixed sizes (rows each), prepared once; `n` rows go as the
/// largest that fit, then the smaller ones.
struct Statements {
    statements: Vec<(usize, String)>,
}

impl Statements {
    const SIZES: [usize; 5] = [256, 64, 16, 4, 1];

    /// `prefix`, the row placeholders `row` repeated, then `suffix`.
    fn new(prefix: &str, row: &str, suffix: &str) -> Self {
        let statements =
            Self::SIZES.into_iter().map(|n| (n, format!("{prefix}{}{suffix}", vec![row; n].join(", ")))).collect();
        Self { statements }
    }

    /// The statements for `n` rows, with how many rows each takes.
    fn split(&self, mut n: usize) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        while n > 0 {
            let (size, sql) = self.statements.iter().find(|(size, _)| *size <= n).expect("a statement of one row");
            out.push((*size, sql.as_str()));
            n -= size;
        }
        out
    }
}

/// The scans, then their counts, a few statements each (every statement is a round trip to
/// SQLite's worker thread); `false` (rolled back) when fewer scans went in than were sent.
async fn write_scans_sqlite(db: &sea_orm::DatabaseConnection, rows: &[NewScan]) -> Result<bool, DbErr> {
    use sea_orm::sqlx;
    // 9 parameters a row (3 for a count): 256 rows stay well under SQLite's parameter limit.
    static INSERTS: std::sync::LazyLock<Statements> = std::sync::LazyLock::new(|| {
        Statements::new(
            "INSERT INTO stamp_scans (id, code, product_id, area_path, scanned_at, lat, lon, device_class, client_hash) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            " ON CONFLICT (id) DO NOTHING",
        )
    });
    // Timestamps are stored as RFC 3339 text in UTC, which sorts as time does.
    static COUNTS: std::sync::LazyLock<Statements> = std::sync::LazyLock::new(|| {
        Statements::new(
            "WITH n(code, k, at) AS (VALUES ",
            "(?, ?, ?)",
            ") UPDATE stamps SET scan_count = scan_count + n.k, \
             last_scanned_at = max(coalesce(last_scanned_at, n.at), n.at) FROM n WHERE stamps.code = n.code",
        )
    });
    let mut txn = db.get_sqlite_connection_pool().begin().await.map_err(sqlx_failed)?;
    let mut rest = rows;
    for (n, sql) in INSERTS.split(rows.len()) {
        let (chunk, tail) = rest.split_at(n);
        let mut q = sqlx::query(sql);
        for r in chunk {
            q = q
                .bind(r.id)
                .bind(r.code.as_str())
                .bind(r.product_id)
                .bind(&*r.area_path)
                .bind(r.scanned_at)
                .bind(r.place.map(|p| p.0))
                .bind(r.place.map(|p| p.1))
                .bind(r.device_class)
                .bind(r.client_hash.as_str());
        }
        if q.execute(&mut *txn).await.map_err(sqlx_failed)?.rows_affected() < n as u64 {
            txn.rollback().await.map_err(sqlx_failed)?;
            return Ok(false);
        }
        rest = tail;
    }
    let counts = per_stamp(rows);
    let mut rest = &counts[..];
    for (n, sql) in COUNTS.split(counts.len()) {
        let (chunk, tail) = rest.split_at(n);
        let mut q = sqlx::query(sql);
        for (code, k, at) in chunk {
            q = q.bind(*code).bind(*k).bind(*at);
        }
        q.execute(&mut *txn).await.map_err(sqlx_failed)?;
        rest = tail;
    }
    txn.commit().await.map_err(sqlx_failed)?;
    Ok(true)
}

/// A scan as the signals read it: its stamp, time, place and client hash.
type ScanRow = (String, DateTime<Utc>, Option<f64>, Option<f64>, String);

/// Scans of the stamps `of` selects since `since`, newest first, as [`ScanRow`]s.
fn scans_since(of: impl sea_orm::sea_query::IntoCondition, since: DateTime<Utc>) -> sea_orm::Select<scan::Entity> {
    scan::Entity::find()
        .select_only()
        .column(scan::Column::Code)
        .column(scan::Column::ScannedAt)
        .column(scan::Column::Lat)
        .column(scan::Column::Lon)
        .column(scan::Column::ClientHash)
        .filter(of)
        .filter(scan::Column::ScannedAt.gte(since))
        .order_by_desc(scan::Column::ScannedAt)
}

fn signal_scan((_, at, lat, lon, client): &ScanRow) -> Scan {
    Scan { at: *at, place: lat.zip(*lon), client: client_key(client) }
}

/// The latest `latest` scans of a stamp since `since`, oldest first: when, where (if shared)
/// and by which client.
///
/// Read when a stamp's cached entry is stale, while the scan log grows by thousands of rows a
/// second: on PostgreSQL the plan is made for each call, never a generic plan cached while the
/// table was still small (a sequential scan that would then read every scan of every stamp).
pub async fn recent_scans(
    db: &sea_orm::DatabaseConnection,
    code: &str,
    since: DateTime<Utc>,
    latest: u64,
) -> Result<Vec<Scan>, DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan").await?;
    }
    let rows = scans_since(scan::Column::Code.eq(code), since).limit(latest).into_tuple::<ScanRow>().all(&txn).await?;
    txn.commit().await?;
    Ok(rows.iter().rev().map(signal_scan).collect())
}

/// A stamp whose scans raise counterfeit signals, with what they rest on.
#[derive(Debug, Clone)]
pub struct Flagged {
    pub code: String,
    pub product_id: Uuid,
    pub area_path: String,
    /// All its scans.
    pub scans: u64,
    pub last_scan: DateTime<Utc>,
    pub evidence: ocop_domain::traceability::Evidence,
}

/// Stamps scanned since `since` (inside `within`, or of `products`) whose scans raise a
/// counterfeit signal (see `ocop_domain::traceability::evidence`). Candidates are stamps
/// scanned more often than the rules allow clients (from their counts) and stamps with placed
/// scans; their scans since `since` (the latest few hundred each) are then judged by client.
/// Newest first.
pub async fn flagged_stamps(
    db: &impl ConnectionTrait,
    within: Option<&str>,
    products: Option<&[Uuid]>,
    since: DateTime<Utc>,
    rules: &SignalRules,
) -> Result<Vec<Flagged>, DbErr> {
    const LIMIT: u64 = 2_000;
    const PER_STAMP: usize = 500;
    // A stamp's count, last scan, product and area.
    let counted = || {
        stamp::Entity::find()
            .select_only()
            .column(stamp::Column::Code)
            .column(stamp::Column::ScanCount)
            .column(stamp::Column::LastScannedAt)
            .column(batch::Column::ProductId)
            .column(batch::Column::AreaPath)
            .inner_join(batch::Entity)
    };
    let mut stamps = counted()
        .filter(stamp::Column::LastScannedAt.gte(since))
        .filter(stamp::Column::ScanCount.gt(i64::from(rules.max_scans)));
    let mut placed = scan::Entity::find()
        .select_only()
        .column(scan::Column::Code)
        .distinct()
        .filter(scan::Column::Lat.is_not_null())
        .filter(scan::Column::ScannedAt.gte(since));
    if let Some(path) = within {
        stamps = stamps.filter(batch::Column::AreaPath.like(prefix(path)));
        placed = placed.filter(scan::Column::AreaPath.like(prefix(path)));
    }
    if let Some(ids) = products {
        stamps = stamps.filter(batch::Column::ProductId.is_in(ids.iter().copied()));
        placed = placed.filter(scan::Column::ProductId.is_in(ids.iter().copied()));
    }
    type Counted = (String, i64, Option<DateTime<Utc>>, Uuid, String);
    let mut found: HashMap<String, Counted> = HashMap::new();
    for row in stamps.order_by_desc(stamp::Column::LastScannedAt).limit(LIMIT).into_tuple::<Counted>().all(db).await? {
        found.insert(row.0.clone(), row);
    }
    let placed_codes: Vec<String> = placed.limit(LIMIT).into_tuple::<String>().all(db).await?;
    let missing: Vec<String> = placed_codes.into_iter().filter(|c| !found.contains_key(c)).collect();
    for chunk in missing.chunks(500) {
        let rows =
            counted().filter(stamp::Column::Code.is_in(chunk.iter().cloned())).into_tuple::<Counted>().all(db).await?;
        for row in rows {
            found.insert(row.0.clone(), row);
        }
    }
    let mut scans_of: HashMap<String, Vec<Scan>> = HashMap::new();
    let codes: Vec<String> = found.keys().cloned().collect();
    for chunk in codes.chunks(200) {
        let of = scan::Column::Code.is_in(chunk.iter().cloned());
        let rows = scans_since(of, since).into_tuple::<ScanRow>().all(db).await?;
        for row in &rows {
            let of = scans_of.entry(row.0.clone()).or_default();
            if of.len() < PER_STAMP {
                of.push(signal_scan(row));
            }
        }
    }
    let mut flagged: Vec<Flagged> = found
        .into_values()
        .filter_map(|(code, count, last, product_id, area_path)| {
            let scans = scans_of.remove(&code).unwrap_or_default();
            let evidence = evidence(&scans, rules);
            let last_scan = last.or_else(|| scans.first().map(|s| s.at))?;
            (!evidence.signals.is_empty()).then_some(Flagged {
                code,
                product_id,
                area_path,
                scans: u64::try_from(count).unwrap_or(0),
                last_scan,
                evidence,
            })
        })
        .collect();
    flagged.sort_by(|a, b| b.last_scan.cmp(&a.last_scan).then_with(|| a.code.cmp(&b.code)));
    Ok(flagged)
}

/// Scans since `from`, counted by day in Vietnam, product and area: the figures of the
/// scan statistics, added up by the database however many scans there are.
pub async fn scan_counts(
    db: &impl ConnectionTrait,
    within: Option<&str>,
    products: Option<Vec<Uuid>>,
    from: DateTime<Utc>,
) -> Result<Vec<ScanCount>, DbErr> {
    use ocop_domain::calendar::VIETNAM_UTC_OFFSET_HOURS as H;
    let day = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => format!("CAST((scanned_at AT TIME ZONE 'UTC') + INTERVAL '{H} hours' AS date)"),
        _ => format!("date(scanned_at, '{H:+} hours')"),
    };
    let mut q = scan::Entity::find()
        .select_only()
        .column_as(Expr::cust(day.clone()), "day")
        .column(scan::Column::ProductId)
        .column(scan::Column::AreaPath)
        .column_as(scan::Column::Id.count(), "scans")
        .filter(scan::Column::ScannedAt.gte(from));
    if let Some(path) = within {
        q = q.filter(scan::Column::AreaPath.like(prefix(path)));
    }
    if let Some(ids) = products {
        q = q.filter(scan::Column::ProductId.is_in(ids));
    }
    q.group_by(Expr::cust(day))
        .group_by(scan::Column::ProductId)
        .group_by(scan::Column::AreaPath)
        .into_model::<ScanCount>()
        .all(db)
        .await
}

/// How many scans a product had in an area on a day.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct ScanCount {
    pub day: chrono::NaiveDate,
    pub product_id: Uuid,
    pub area_path: String,
    pub scans: i64,
}

/// Places a scan, once, if `client_hash` made it after `since`.
pub async fn set_scan_place(
    db: &impl ConnectionTrait,
    id: Uuid,
    code: &str,
    client_hash: &str,
    since: DateTime<Utc>,
    (lat, lon): (f64, f64),
) -> Result<bool, DbErr> {
    Ok(scan::Entity::update_many()
        .col_expr(scan::Column::Lat, Expr::value(Some(lat)))
        .col_expr(scan::Column::Lon, Expr::value(Some(lon)))
        .filter(scan::Column::Id.eq(id))
        .filter(scan::Column::Code.eq(code))
        .filter(scan::Column::ClientHash.eq(client_hash))
        .filter(scan::Column::ScannedAt.gte(since))
        .filter(scan::Column::Lat.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

pub async fn insert_capture(db: &impl ConnectionTrait, row: capture::Model) -> Result<capture::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn find_capture(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<capture::Model>, DbErr> {
    capture::Entity::find_by_id(id).one(db).await
}

pub async fn finish_capture(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    errors: Option<String>,
) -> Result<(), DbErr> {
    capture::Entity::update_many()
        .col_expr(capture::Column::Status, Expr::value(status))
        .col_expr(capture::Column::Errors, Expr::value(errors))
        .col_expr(capture::Column::FinishedAt, Expr::value(Some(Utc::now())))
        .col_expr(capture::Column::Document, Expr::value(Option::<String>::None))
        .col_expr(capture::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(capture::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Stores an event with the EPCs it names; an `eventID` seen before is kept as it was.
pub async fn insert_event(db: &impl ConnectionTrait, row: event::Model, epcs: &[String]) -> Result<bool, DbErr> {
    if event::Entity::find().filter(event::Column::EventId.eq(row.event_id.as_str())).one(db).await?.is_some() {
        return Ok(false);
    }
    let id = row.id;
    row.into_active_model().reset_all().insert(db).await?;
    let unique: HashSet<&String> = epcs.iter().collect();
    if !unique.is_empty() {
        event_epc::Entity::insert_many(
            unique.into_iter().map(|e| event_epc::ActiveModel { event_row_id: Set(id), epc: Set(e.clone()) }),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(true)
}

#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub event_type: Option<Vec<String>>,
    pub ge_time: Option<DateTime<Utc>>,
    pub lt_time: Option<DateTime<Utc>>,
    pub biz_step: Option<Vec<String>>,
    /// Events naming any of these EPCs (or classes).
    pub match_epc: Option<Vec<String>>,
    /// Restricts to a subject's events (producers) or an area's (officers).
    pub subject_id: Option<Uuid>,
    pub within: Option<String>,
    /// Continue after this (event time, row id).
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: u64,
}

/// Events in time order, one more than `limit` to tell whether another page follows.
pub async fn query_events(db: &impl ConnectionTrait, q: &EventQuery) -> Result<Vec<event::Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(types) = &q.event_type {
        cond = cond.add(event::Column::EventType.is_in(types.clone()));
    }
    if let Some(t) = q.ge_time {
        cond = cond.add(event::Column::EventTime.gte(t));
    }
    if let Some(t) = q.lt_time {
        cond = cond.add(event::Column::EventTime.lt(t));
    }
    if let Some(steps) = &q.biz_step {
        cond = cond.add(event::Column::BizStep.is_in(steps.clone()));
    }
    if let Some(s) = q.subject_id {
        cond = cond.add(event::Column::SubjectId.eq(s));
    }
    if let Some(p) = &q.within {
        cond = cond.add(event::Column::AreaPath.like(prefix(p)));
    }
    if let Some(epcs) = &q.match_epc {
        let rows: Vec<Uuid> = event_epc::Entity::find()
            .select_only()
            .column(event_epc::Column::EventRowId)
            .filter(event_epc::Column::Epc.is_in(epcs.clone()))
            .into_tuple()
            .all(db)
            .await?;
        cond = cond.add(event::Column::Id.is_in(rows));
    }
    if let Some((t, id)) = q.after {
        cond = cond.add(
            Condition::any()
                .add(event::Column::EventTime.gt(t))
                .add(Condition::all().add(event::Column::EventTime.eq(t)).add(event::Column::Id.gt(id))),
        );
    }
    event::Entity::find()
        .filter(cond)
        .order_by_asc(event::Column::EventTime)
        .order_by_asc(event::Column::Id)
        .limit(q.limit + 1)
        .all(db)
        .await
}
