//! Trade promotion: the kinds of trade event and their dates.

use chrono::NaiveDate;

/// Fairs, exhibitions and consumer weeks (hội chợ, triển lãm, tuần hàng).
pub const EVENT_KINDS: [&str; 3] = ["fair", "exhibition", "consumer_week"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("a trade event is a fair, an exhibition or a consumer week")]
    Kind,
    #[error("a trade event cannot end before it starts")]
    Dates,
}

pub fn check_event(kind: &str, starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), EventError> {
    if !EVENT_KINDS.contains(&kind) {
        return Err(EventError::Kind);
    }
    if ends_on < starts_on {
        return Err(EventError::Dates);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_dates() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).expect("date");
        assert_eq!(check_event("fair", d(1), d(5)), Ok(()));
        assert_eq!(check_event("fair", d(5), d(5)), Ok(()));
        assert_eq!(check_event("fair", d(5), d(1)), Err(EventError::Dates));
        assert_eq!(check_event("market", d(1), d(5)), Err(EventError::Kind));
    }
}
