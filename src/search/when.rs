//! Dates in queries: `2026-01-31`, `2026-01`, `2026`, `today`, `yesterday`, and times
//! ago (`-7d`), each as the Unix time of the start of that day in local time.

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, TimeZone, Utc};

/// A date as a Unix time at the start of that day (local time): `2026-01-31`, `2026-01`,
/// `2026`, `today`, `yesterday`, or `-7d` / `7d` (hours, days, weeks, months, years ago).
pub(super) fn date(value: &str, now: DateTime<Utc>) -> Result<i64, String> {
    let bad = || {
        format!(
            "{value:?} is not a date; use 2026-01-31, 2026-01, 2026, today, yesterday or -7d \
             (h, d, w, m, y)"
        )
    };
    let local_now = now.with_timezone(&Local);
    let midnight = |d: NaiveDate| -> Result<i64, String> {
        let naive = d.and_hms_opt(0, 0, 0).ok_or_else(bad)?;
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.timestamp())
            .ok_or_else(bad)
    };
    match value.to_ascii_lowercase().as_str() {
        "today" => return midnight(local_now.date_naive()),
        "yesterday" => return midnight(local_now.date_naive() - Duration::days(1)),
        _ => {}
    }
    let relative = value.strip_prefix('-').unwrap_or(value);
    if let Some(unit) = relative.chars().last().filter(|c| c.is_ascii_alphabetic()) {
        let digits = &relative[..relative.len() - 1];
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let n: i64 = digits.parse().map_err(|_| bad())?;
            let hours = match unit.to_ascii_lowercase() {
                'h' => 1,
                'd' => 24,
                'w' => 24 * 7,
                'm' => 24 * 30,
                'y' => 24 * 365,
                _ => return Err(bad()),
            };
            let ago = n
                .checked_mul(hours)
                .and_then(Duration::try_hours)
                .ok_or_else(bad)?;
            return now
                .checked_sub_signed(ago)
                .map(|t| t.timestamp())
                .ok_or_else(bad);
        }
    }
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str| {
        s.parse::<u32>()
            .ok()
            .filter(|_| s.chars().all(|c| c.is_ascii_digit()))
    };
    let (year, month, day) = match parts.as_slice() {
        [y] if y.len() == 4 => (num(y), Some(1), Some(1)),
        [y, m] if y.len() == 4 => (num(y), num(m), Some(1)),
        [y, m, d] if y.len() == 4 => (num(y), num(m), num(d)),
        _ => return Err(bad()),
    };
    let (Some(y), Some(m), Some(d)) = (year, month, day) else {
        return Err(bad());
    };
    let d = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(bad)?;
    // Sanity: a year the cache can hold.
    if !(1900..=9999).contains(&d.year()) {
        return Err(bad());
    }
    midnight(d)
}
