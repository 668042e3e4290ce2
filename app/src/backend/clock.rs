//! Time, in UTC milliseconds since the epoch. Services take `now` as an argument so tests and
//! background jobs can move time; this is the one place that reads the wall clock.

use time::{format_description::BorrowedFormatItem, macros::format_description, OffsetDateTime};

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

const DISPLAY: &[BorrowedFormatItem<'static>] =
    format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute] UTC");

/// "22 Nov 2026, 14:05 UTC".
pub fn display(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(DISPLAY).ok())
        .unwrap_or_default()
}

/// "26 Nov 2026": a date (member since…).
pub fn display_date(ms: i64) -> String {
    display(ms).split(',').next().unwrap_or_default().to_string()
}

const DAY: &[BorrowedFormatItem<'static>] = format_description!("[weekday repr:short] [day padding:none] [month repr:short]");

/// "Thu 26 Nov": a day, for estimates.
pub fn display_day(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(DAY).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_display_in_utc() {
        assert_eq!(super::display(1_795_356_300_000), "22 Nov 2026, 14:05 UTC");
        assert_eq!(super::display_day(1_795_356_300_000), "Sun 22 Nov");
    }
}
