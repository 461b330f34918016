//! Training (đào tạo, tập huấn): courses, who takes part, and the coverage shares the
//! programme's training targets are measured by.

use chrono::NaiveDate;

use crate::text::fold;

/// Training of trainers, training courses, workshops and study tours.
pub const COURSE_KINDS: [&str; 4] = ["tot", "course", "workshop", "study_tour"];
pub fn course_kind_label_vi(kind: &str) -> &'static str {
    match kind {
        "tot" => "Đào tạo giảng viên (TOT)",
        "course" => "Lớp tập huấn",
        "workshop" => "Hội thảo",
        "study_tour" => "Tham quan, học tập",
        _ => "Khác",
    }
}

/// Who a course is for.
pub const AUDIENCES: [&str; 4] = ["officials", "leaders", "workers", "mixed"];

/// Who a participant is: an OCOP official (by account), a subject's leader or one of its workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantKind {
    Official,
    Leader,
    Worker,
}

impl ParticipantKind {
    pub const ALL: [Self; 3] = [Self::Official, Self::Leader, Self::Worker];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Leader => "leader",
            Self::Worker => "worker",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Official => "Cán bộ OCOP",
            Self::Leader => "Lãnh đạo chủ thể",
            Self::Worker => "Người lao động",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CourseError {
    #[error("kind is one of tot, course, workshop, study_tour")]
    Kind,
    #[error("audience is one of officials, leaders, workers, mixed")]
    Audience,
    #[error("a course cannot end before it starts")]
    Dates,
    #[error("an official takes part by their account; a leader or worker by their subject")]
    Identity,
    #[error("only someone who attended can complete a course")]
    CompletedWithoutAttending,
}

pub fn check_course(kind: &str, audience: &str, starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), CourseError> {
    if !COURSE_KINDS.contains(&kind) {
        return Err(CourseError::Kind);
    }
    if !AUDIENCES.contains(&audience) {
        return Err(CourseError::Audience);
    }
    if ends_on < starts_on {
        return Err(CourseError::Dates);
    }
    Ok(())
}

/// The key that makes a person unique within a course: an official's account; a leader or a
/// worker by subject and name (diacritics and case ignored).
pub fn person_key(
    kind: ParticipantKind,
    user: Option<uuid::Uuid>,
    subject: Option<uuid::Uuid>,
    name: &str,
) -> Result<String, CourseError> {
    match (kind, user, subject) {
        (ParticipantKind::Official, Some(user), None) => Ok(format!("official:{user}")),
        (ParticipantKind::Leader | ParticipantKind::Worker, None, Some(subject)) => {
            Ok(format!("{}:{subject}:{}", kind.as_str(), fold(name.trim())))
        }
        _ => Err(CourseError::Identity),
    }
}

pub fn check_attendance(attended: bool, completed: bool) -> Result<(), CourseError> {
    if completed && !attended { Err(CourseError::CompletedWithoutAttending) } else { Ok(()) }
}

/// A share in percent with one decimal, capped at 100; `None` when there is no one to train.
pub fn share(trained: u64, base: u64) -> Option<f64> {
    if base == 0 {
        return None;
    }
    let percent = (trained as f64) / (base as f64) * 100.0;
    Some(((percent * 10.0).round() / 10.0).min(100.0))
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn courses_people_and_shares() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).expect("date");
        assert_eq!(check_course("tot", "officials", d(1), d(3)), Ok(()));
        assert_eq!(check_course("lecture", "officials", d(1), d(3)), Err(CourseError::Kind));
        assert_eq!(check_course("tot", "everyone", d(1), d(3)), Err(CourseError::Audience));
        assert_eq!(check_course("tot", "mixed", d(3), d(1)), Err(CourseError::Dates));
        let (u, s) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert!(person_key(ParticipantKind::Official, Some(u), None, "x").is_ok());
        assert_eq!(person_key(ParticipantKind::Official, None, Some(s), "x"), Err(CourseError::Identity));
        assert_eq!(
            person_key(ParticipantKind::Worker, None, Some(s), " Nguyễn Văn Ân "),
            person_key(ParticipantKind::Worker, None, Some(s), "nguyen van an")
        );
        assert_ne!(
            person_key(ParticipantKind::Worker, None, Some(s), "An"),
            person_key(ParticipantKind::Leader, None, Some(s), "An")
        );
        assert_eq!(check_attendance(false, true), Err(CourseError::CompletedWithoutAttending));
        assert_eq!(share(1, 3), Some(33.3));
        assert_eq!(share(5, 3), Some(100.0));
        assert_eq!(share(0, 0), None);
    }
}
