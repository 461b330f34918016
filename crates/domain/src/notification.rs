//! In-app notifications: what occasions concern whom, when they are due, and what they say in
//! Vietnamese and English. Each occasion has a key, so finding it again notifies no one twice.

use chrono::NaiveDate;
use uuid::Uuid;

/// Stage deadlines are announced this many days ahead.
pub const DEADLINE_NOTICE_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A producer's application must finish its stage soon.
    StageDeadline,
    /// An officer returned a dossier document for fixing.
    DocumentReturned,
    /// A council member has a product to score in a session.
    SessionToScore,
    /// A certificate expires within `council::EXPIRY_WARNING_DAYS`.
    CertificateExpiring,
    /// A stamp's scans look like counterfeiting (raised by the traceability signals).
    CounterfeitAlert,
}

impl Kind {
    pub const ALL: [Self; 5] = [
        Self::StageDeadline,
        Self::DocumentReturned,
        Self::SessionToScore,
        Self::CertificateExpiring,
        Self::CounterfeitAlert,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::StageDeadline => "stage_deadline",
            Self::DocumentReturned => "document_returned",
            Self::SessionToScore => "session_to_score",
            Self::CertificateExpiring => "certificate_expiring",
            Self::CounterfeitAlert => "counterfeit_alert",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A notification to write for each recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: Kind,
    /// Unique per recipient and occasion.
    pub occasion: String,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
    /// The SPA path that shows the object.
    pub link: String,
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Whether a day falls in the notice window that starts `today` and lasts `days`.
pub fn within_notice(day: NaiveDate, today: NaiveDate, days: i64) -> bool {
    day >= today && (day - today).num_days() <= days
}

pub fn stage_deadline(application: Uuid, product: &str, stage_vi: &str, stage: &str, deadline: NaiveDate) -> Message {
    Message {
        kind: Kind::StageDeadline,
        occasion: format!("stage_deadline:{application}:{stage}:{deadline}"),
        title_vi: format!("Sắp hết hạn giai đoạn «{stage_vi}»"),
        title_en: format!("Stage “{stage}” ends soon"),
        body_vi: format!("Hồ sơ sản phẩm {product} cần hoàn thành giai đoạn này trước ngày {}.", dmy(deadline)),
        body_en: format!("The application of {product} must finish this stage by {deadline}."),
        link: format!("/applications/{application}"),
    }
}

pub fn document_returned(
    application: Uuid,
    document: Uuid,
    product: &str,
    file: &str,
    comment: Option<&str>,
) -> Message {
    let why = comment.map(str::trim).filter(|c| !c.is_empty());
    Message {
        kind: Kind::DocumentReturned,
        occasion: format!("document_returned:{document}"),
        title_vi: "Tài liệu hồ sơ bị trả lại để bổ sung".to_owned(),
        title_en: "A dossier document was returned for fixing".to_owned(),
        body_vi: format!("{file} ({product}){}", why.map(|w| format!(": {w}")).unwrap_or_default()),
        body_en: format!("{file} ({product}){}", why.map(|w| format!(": {w}")).unwrap_or_default()),
        link: format!("/applications/{application}"),
    }
}

pub fn session_to_score(session: Uuid, council: &str, held_on: NaiveDate, products: usize) -> Message {
    Message {
        kind: Kind::SessionToScore,
        occasion: format!("session_to_score:{session}"),
        title_vi: "Có sản phẩm cần chấm điểm".to_owned(),
        title_en: "Products to score".to_owned(),
        body_vi: format!("{council}, phiên ngày {}: {products} sản phẩm chờ phiếu chấm của bạn.", dmy(held_on)),
        body_en: format!("{council}, session of {held_on}: {products} product(s) await your score sheet."),
        link: format!("/sessions/{session}"),
    }
}

pub fn certificate_expiring(certificate: Uuid, number: &str, product: &str, valid_until: NaiveDate) -> Message {
    Message {
        kind: Kind::CertificateExpiring,
        occasion: format!("certificate_expiring:{certificate}:{valid_until}"),
        title_vi: "Giấy chứng nhận OCOP sắp hết hiệu lực".to_owned(),
        title_en: "An OCOP certificate expires soon".to_owned(),
        body_vi: format!("Giấy chứng nhận {number} của sản phẩm {product} hết hiệu lực ngày {}.", dmy(valid_until)),
        body_en: format!("Certificate {number} of {product} expires on {valid_until}."),
        link: format!("/certificates/{certificate}"),
    }
}

pub fn counterfeit_alert(code: &str, product: &str, clients: usize, signal: crate::traceability::Signal) -> Message {
    let (why_vi, why_en) = match signal {
        crate::traceability::Signal::TooManyScans => (
            format!("được {clients} người (thiết bị) khác nhau quét trong thời gian ngắn"),
            format!("was scanned by {clients} different people (devices) within hours"),
        ),
        crate::traceability::Signal::FarApart => (
            "được quét ở những nơi cách xa nhau trong thời gian ngắn".to_owned(),
            "was scanned far apart within hours".to_owned(),
        ),
    };
    Message {
        kind: Kind::CounterfeitAlert,
        occasion: format!("counterfeit_alert:{code}:{}", signal.as_str()),
        title_vi: "Cảnh báo tem nghi giả".to_owned(),
        title_en: "Possible counterfeit stamp".to_owned(),
        body_vi: format!("Tem {code} của sản phẩm {product} {why_vi}."),
        body_en: format!("Stamp {code} of {product} {why_en}."),
        link: "/batches".to_owned(),
    }
}

/// Who is told about an object of a subject in an area (a counterfeit alert, an expiring
/// certificate): the subject's producer accounts, and the officers (province, district or
/// commune) whose unit contains the area.
pub fn concerned(producers: &[Uuid], area_officers: &[(Uuid, String)], area_path: &str) -> Vec<Uuid> {
    producers
        .iter()
        .copied()
        .chain(
            area_officers.iter().filter(|(_, unit)| crate::admin_unit::is_within(area_path, unit)).map(|(id, _)| *id),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_producers_and_the_officers_of_the_area_are_concerned() {
        let (producer, district, other) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let officers = [(district, "/22/202/".to_owned()), (other, "/22/193/".to_owned())];
        assert_eq!(concerned(&[producer], &officers, "/22/202/06739/"), vec![producer, district]);
    }

    #[test]
    fn windows_and_keys() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert!(within_notice(d(12, 10), d(12, 3), DEADLINE_NOTICE_DAYS));
        assert!(!within_notice(d(12, 11), d(12, 3), DEADLINE_NOTICE_DAYS));
        assert!(!within_notice(d(12, 2), d(12, 3), DEADLINE_NOTICE_DAYS));
        let c = Uuid::from_u128(7);
        let m = certificate_expiring(c, "QN-1", "Trà", d(12, 31));
        assert!(m.body_vi.contains("31/12/2026"), "{}", m.body_vi);
        // Renewed to a new end date: a new occasion.
        assert_ne!(m.occasion, certificate_expiring(c, "QN-1", "Trà", d(12, 30)).occasion);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
