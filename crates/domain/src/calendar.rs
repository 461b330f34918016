//! Vietnam's calendar: times are stored in UTC and shown, and days counted, in Vietnam's time
//! (UTC+7 all year, no daylight saving).

use chrono::{DateTime, NaiveDate, Utc};

/// Vietnam's offset from UTC.
pub const VIETNAM_UTC_OFFSET_HOURS: i32 = 7;

pub fn vietnam_time() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(VIETNAM_UTC_OFFSET_HOURS * 3600).expect("an offset within a day")
}

/// The day it is in Vietnam at `now`: "today" for deadlines, expiry and statistics.
pub fn vietnam_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&vietnam_time()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_five_in_the_afternoon_utc() {
        let before = "2026-12-06T16:59:59Z".parse::<DateTime<Utc>>().expect("time");
        let after = "2026-12-06T17:00:00Z".parse::<DateTime<Utc>>().expect("time");
        assert_eq!(vietnam_day(before), NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"));
        assert_eq!(vietnam_day(after), NaiveDate::from_ymd_opt(2026, 12, 7).expect("day"));
    }
}
