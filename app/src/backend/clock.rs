//! Time, in UTC milliseconds since the epoch. Services take `now` as an argument so tests and
//! background jobs can move time; this is the one place that reads the wall clock.

use crate::domain::locale::{self, DateParts, Locale};
use time::OffsetDateTime;

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// The calendar parts of `ms` (UTC).
fn parts(ms: i64) -> Option<DateParts> {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    Some(DateParts {
        year: t.year(),
        month: u8::from(t.month()),
        day: t.day(),
        weekday: t.weekday().number_days_from_monday(),
        hour: t.hour(),
        minute: t.minute(),
    })
}

/// The language of the request being served (English outside one: jobs, e-mails say theirs).
fn here() -> Locale {
    crate::backend::web::locale::current().locale
}

/// "22 Nov 2026, 14:05 UTC" / "22 nov. 2026 à 14:05 UTC", in the request's language.
pub fn display(ms: i64) -> String {
    display_in(here(), ms)
}

pub fn display_in(l: Locale, ms: i64) -> String {
    parts(ms).map(|d| locale::date_time(l, d)).unwrap_or_default()
}

/// "26 Nov 2026": a date (member since…).
pub fn display_date(ms: i64) -> String {
    parts(ms).map(|d| locale::date(here(), d)).unwrap_or_default()
}

/// "Thu 26 Nov": a day, for estimates.
pub fn display_day(ms: i64) -> String {
    parts(ms).map(|d| locale::day(here(), d)).unwrap_or_default()
}

/// "2026-12": the UTC month of `ms`.
pub fn month_of(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| format!("{:04}-{:02}", t.year(), u8::from(t.month())))
        .unwrap_or_default()
}

/// The first millisecond of month "YYYY-MM" and of the month after it (UTC); `None` if malformed.
pub fn month_range(month: &str) -> Option<(i64, i64)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u8) = (y.parse().ok()?, m.parse().ok()?);
    let start = |y: i32, m: u8| -> Option<i64> {
        let month = time::Month::try_from(m).ok()?;
        let date = time::Date::from_calendar_date(y, month, 1).ok()?;
        Some((date.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
    };
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Some((start(y, m)?, start(ny, nm)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_bound_a_statement() {
        assert_eq!(super::month_of(1_795_356_300_000), "2026-11");
        let (a, b) = super::month_range("2026-11").unwrap();
        assert!(a <= 1_795_356_300_000 && 1_795_356_300_000 < b);
        assert_eq!(super::month_of(a), "2026-11");
        assert_eq!(super::month_of(b), "2026-12");
        assert_eq!(super::month_of(super::month_range("2026-12").unwrap().1), "2027-01");
        assert!(super::month_range("2026-13").is_none() && super::month_range("x").is_none());
    }

    #[test]
    fn times_display_in_utc() {
        assert_eq!(super::display(1_795_356_300_000), "22 Nov 2026, 14:05 UTC");
        assert_eq!(super::display_day(1_795_356_300_000), "Sun 22 Nov");
        assert_eq!(super::display_in(super::Locale::fr, 1_795_356_300_000), "22 nov. 2026 à 14:05 UTC");
    }
}
