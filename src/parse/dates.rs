//! Dates as feeds write them, which is often not as their formats say: RFC 3339 and
//! RFC 2822 first (strict), then the liberal readings feedparser and browsers allow —
//! ISO 8601 with a space or no zone, dates alone, a missing or wrong weekday, two-digit
//! years, long month names, North American and military zone names, `UTC`, and the
//! Korean and Hungarian forms of `dates_regional`. A date that
//! fits none of them is no date (None), never an error for the feed.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Parses one date; the feed-rs reader calls this for every date it meets.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    DateTime::parse_from_rfc3339(t)
        .or_else(|_| DateTime::parse_from_rfc2822(t))
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| iso8601(t))
        .or_else(|| rfc822(t))
        .or_else(|| super::dates_regional::parse(t))
        .map(past_leap_second)
}

/// A leap second (`23:59:60`) as the second after it: nothing downstream (SQLite's
/// date functions, JSON readers) takes a 60th second.
pub(super) fn past_leap_second(d: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    match d.nanosecond().checked_sub(1_000_000_000) {
        Some(nanos) => d
            .with_nanosecond(nanos)
            .map_or(d, |d| d + chrono::Duration::seconds(1)),
        None => d,
    }
}

/// `2026-11-02`, `2026-11-02 08:00`, `2026-11-02T08:00:00.5+0200`, `20261102`, `2026-11`,
/// `20261102T080000Z`.
fn iso8601(t: &str) -> Option<DateTime<Utc>> {
    // Java's `ZonedDateTime` names its zone after the offset: `10:00Z[UTC]`,
    // `10:00+01:00[Europe/Paris]`; the offset says it all.
    let t = match t.strip_suffix(']').and_then(|s| s.rfind('[')) {
        Some(at) => t[..at].trim_end(),
        None => t,
    };
    let (date_part, rest) = match t.find(['T', 't', ' ']) {
        Some(at) => (&t[..at], t[at + 1..].trim()),
        None => (t, ""),
    };
    let date = match date_part.len() {
        // Unpadded (`2024-3-2`), or dotted (`2024.03.12`, and `12.03.2024` as Germany
        // and its neighbours write it).
        _ if super::dates_regional::loose_date(date_part).is_some() => {
            super::dates_regional::loose_date(date_part)?
        }
        10 => NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(date_part, "%Y/%m/%d"))
            .ok()?,
        // A two-digit year (`26-11-02`), read as the RFC 822 reader below reads one.
        8 if date_part.as_bytes().get(2) == Some(&b'-')
            && date_part[..2].bytes().all(|b| b.is_ascii_digit()) =>
        {
            let (year, month_day) = date_part.split_once('-')?;
            let mut year: i32 = year.parse().ok()?;
            year += if year < 90 { 2000 } else { 1900 };
            NaiveDate::parse_from_str(&format!("{year}-{month_day}"), "%Y-%m-%d").ok()?
        }
        // An ordinal date, the year's day (`2003-335`, `2003335`).
        8 | 7 if ordinal(date_part).is_some() => ordinal(date_part)?,
        8 => NaiveDate::parse_from_str(date_part, "%Y%m%d").ok()?,
        7 => NaiveDate::parse_from_str(&format!("{date_part}-01"), "%Y-%m-%d").ok()?,
        // A month written with three digits (`2003-012-31`), as feedparser reads it.
        11 if date_part.as_bytes()[5] == b'0' && date_part.as_bytes()[8] == b'-' => {
            let fixed = format!("{}{}", &date_part[..5], &date_part[6..]);
            NaiveDate::parse_from_str(&fixed, "%Y-%m-%d").ok()?
        }
        4 if date_part.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveDate::from_ymd_opt(date_part.parse().ok()?, 1, 1)?
        }
        _ => return None,
    };
    if rest.is_empty() {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    }
    // The time runs to the zone: Z, +hh:mm, +hhmm, +hh, or a zone name after a space.
    // (Or a name written against it: `08:00:00GMT`.)
    let zone_at = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '+' | '-' | ' ') || c.is_ascii_alphabetic())
        .map_or(rest.len(), |(at, _)| at);
    let (time_part, zone) = (&rest[..zone_at], rest[zone_at..].trim());
    // `Z+00:00`: a `Z` and the offset it is.
    let zone = match zone.strip_prefix(['Z', 'z']) {
        Some(offset) if offset.starts_with(['+', '-']) => offset,
        _ => zone,
    };
    // A decimal comma (`08:00:00,5`), as ISO 8601 allows, and a point with no
    // fraction after it (`10:00:00.Z`).
    let time_part = &time_part.replace(',', ".");
    let time_part = time_part.strip_suffix('.').unwrap_or(time_part);
    // 24:00, the end of the day: the next day's start.
    if matches!(time_part, "24:00" | "24:00:00") || time_part.starts_with("24:00:00.") {
        let offset = if zone.is_empty() {
            0
        } else {
            zone_offset(zone)?
        };
        return local(date.succ_opt()?.and_time(NaiveTime::MIN), offset);
    }
    // ISO 8601's basic form too (`20210906T164500Z`), which some generators write.
    let time = [
        "%H:%M:%S%.f",
        "%H:%M:%S",
        "%H:%M",
        "%H%M%S%.f",
        "%H%M%S",
        "%H%M",
    ]
    .iter()
    .find_map(|f| NaiveTime::parse_from_str(time_part, f).ok())
    // An hour alone (`2025-03-04T09`, W3C-DTF's coarsest time).
    .or_else(|| match time_part.len() {
        2 => NaiveTime::from_hms_opt(time_part.parse().ok()?, 0, 0),
        _ => None,
    })?;
    let offset = if zone.is_empty() {
        0
    } else {
        zone_offset(zone)?
    };
    local(date.and_time(time), offset)
}

/// `YYYY-DDD` or `YYYYDDD`: the year and its day, 1 to 365 (366 in a leap year).
fn ordinal(date: &str) -> Option<NaiveDate> {
    let (year, day) = match date.split_once('-') {
        Some((y, d)) if y.len() == 4 && d.len() == 3 => (y, d),
        None if date.len() == 7 && date.is_ascii() => date.split_at(4),
        _ => return None,
    };
    if !(year.bytes().chain(day.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_yo_opt(year.parse().ok()?, day.parse().ok()?)
}

/// RFC 822 as written in the wild: `Mon, 2 Nov 2026 08:00 EST`, `02 November 26`,
/// `Monday, 02-Nov-2026 08:00:00 UTC`, `Nov 2 2026 08:00:00 GMT`.
fn rfc822(t: &str) -> Option<DateTime<Utc>> {
    // A word and a comma before the day is a weekday in some language (`Di,`, `mar,`,
    // `jeu.,`): it was read as a month (`mar` is March) or made the date unreadable.
    let t = match t.split_once(',') {
        Some((word, rest))
            if word.chars().all(|c| c.is_alphabetic() || c == '.')
                && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
                // `June, 10 2003`: a month before the comma is the month, unless the
                // rest names one (`mar, 10 jun`: mardi).
                && (month(word).is_none()
                    || rest
                        .split(|c: char| !c.is_alphabetic())
                        .any(|w| month(w).is_some())) =>
        {
            rest
        }
        _ => t,
    };
    let cleaned = t.replace(',', " ");
    // `02-Nov-2026` is three tokens; `-0500` and `GMT-05:30` are one, a zone.
    let glued = |tok: &str| {
        ["GMT", "UTC", "UT"].iter().any(|n| {
            tok.strip_prefix(n)
                .is_some_and(|z| z.starts_with(['+', '-']))
        })
    };
    let mut tokens: Vec<&str> = Vec::new();
    for tok in cleaned.split_whitespace() {
        if tok.starts_with(['+', '-']) || glued(tok) {
            tokens.push(tok);
        } else {
            tokens.extend(tok.split('-').filter(|s| !s.is_empty()));
        }
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // A weekday, right or wrong, says nothing the date does not; nor does a word in
    // another language before a day and a month (`Di 05 Dez`, `mar 05 dic`: Tuesday,
    // not March).
    let foreign_weekday = tokens.len() >= 4
        && tokens[0].chars().all(|c| c.is_alphabetic() || c == '.')
        && digits(tokens[1].trim_end_matches('.'))
        && month(tokens[2]).is_some();
    if tokens.first().is_some_and(|w| weekday(w)) || foreign_weekday {
        tokens.remove(0);
    }
    // `3/5/2024 9:07:03 AM` (.NET's default): month first when a 12-hour clock says
    // the writer is American, else only a date no other reading fits.
    let twelve_hour = tokens.iter().any(|t| meridiem(t).is_some());
    let us_slashed = tokens
        .first()
        .and_then(|t| super::dates_regional::slashed_date(t, twelve_hour));
    // Perforce's `Fri, 2006/09/15 08:19:53 EDT`: the date in one token, year first.
    let slashed = tokens.first().and_then(|t| {
        // Four digits of year first: `06/10/24` is no year 6.
        (t.len() == 10 && t.as_bytes()[4] == b'/')
            .then(|| NaiveDate::parse_from_str(t, "%Y/%m/%d").ok())
            .flatten()
    });
    let (date, year_at, year_text) = match slashed.or(us_slashed) {
        Some(date) => (date, 1, ""),
        None => {
            if tokens.len() < 3 {
                return None;
            }
            // (`05.` as German writes a day.)
            let day = tokens[0].trim_end_matches('.');
            let (day, month, year_at) = match (day.parse::<u32>(), month(tokens[0])) {
                (Ok(day), _) => (day, month(tokens[1])?, 2),
                (_, Some(m)) => (tokens[1].parse().ok()?, m, 2),
                _ => return None,
            };
            // The year follows the day and month, or comes last (asctime's `Mar  4
            // 09:15:00 2025`, `Mar 05 11:30:00 +0000 2025`): the first plain number
            // after them.
            let year_text = *tokens[year_at..].iter().find(|t| digits(t))?;
            let mut year: i32 = year_text.parse().ok()?;
            if year_text.len() <= 2 {
                // feedparser's rule: the nineties are 199x, anything lower 20xx.
                year += if year < 90 { 2000 } else { 1900 };
            }
            (
                NaiveDate::from_ymd_opt(year, month, day)?,
                year_at,
                year_text,
            )
        }
    };
    let mut time = NaiveTime::MIN;
    let mut offset = 0;
    // `08:00 PM`: a 12-hour clock's half of the day, applied once the time is read.
    let mut half: Option<bool> = None;
    for token in &tokens[year_at..] {
        // A zone glued to its name: `GMT+02:00`, `UTC-5`.
        let zone = ["GMT", "UTC", "UT"]
            .iter()
            .find_map(|name| {
                token
                    .strip_prefix(name)
                    .filter(|z| z.starts_with(['+', '-']))
            })
            .unwrap_or(token);
        if *token == year_text {
            continue;
        } else if zone.starts_with(['+', '-']) {
            offset = zone_offset(zone)?;
        } else if token.contains(':') {
            time = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(token, f).ok())?;
        } else if token.contains('.') && token.split('.').all(digits) {
            // `08.00.00`, a time written with dots (read, not dropped for midnight).
            time = ["%H.%M.%S", "%H.%M"]
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(token, f).ok())?;
        } else if let Some(t) = super::dates_regional::hour_h_minutes(token) {
            // `18h30`, as French writes a time.
            time = t;
        } else if let Some(pm) = meridiem(token) {
            half = Some(pm);
        } else if let Some(o) = zone_offset(token) {
            offset = o;
        }
    }
    if let Some(pm) = half {
        use chrono::Timelike;
        let hour = match (time.hour(), pm) {
            (12, false) => 0,
            (h, true) if h < 12 => h + 12,
            (h, _) => h,
        };
        time = time.with_hour(hour)?;
    }
    local(date.and_time(time), offset)
}

/// `AM`/`PM` (`a.m.`, `pm`): Some(true) for the afternoon.
fn meridiem(token: &str) -> Option<bool> {
    let is = |a: &str, b: &str| token.eq_ignore_ascii_case(a) || token.eq_ignore_ascii_case(b);
    if is("am", "a.m.") {
        Some(false)
    } else if is("pm", "p.m.") {
        Some(true)
    } else {
        None
    }
}

pub(super) fn local(dt: NaiveDateTime, offset_seconds: i32) -> Option<DateTime<Utc>> {
    FixedOffset::east_opt(offset_seconds)?
        .from_local_datetime(&dt)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

fn weekday(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.len() >= 3
        && ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .any(|d| w.starts_with(d))
}

fn month(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| w.starts_with(m))
    .map(|i| i as u32 + 1)
    .or_else(|| greek_month(word))
    .or_else(|| super::dates_regional::month_word(word))
}

/// Greek month names as Greek sites write them in RSS dates (`Κυρ, 11 Ιούλ 2004`), with
/// and without their accents, as feedparser reads them (and March and May as Greek
/// writes them, which feedparser's table misses).
fn greek_month(word: &str) -> Option<u32> {
    if word.is_ascii() {
        return None;
    }
    let w: String = word
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ά' => 'α',
            'έ' => 'ε',
            'ί' | 'ΐ' | 'ϊ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            other => other,
        })
        .collect();
    let months: [&[&str]; 12] = [
        &["ιαν"],
        &["φεβ"],
        &["μαρ", "μαω"],
        &["απρ"],
        &["μαι"],
        &["ιουν", "ιον"],
        &["ιουλ", "ιολ"],
        &["αυγ"],
        &["σεπ"],
        &["οκτ"],
        &["νοε", "νοεμ"],
        &["δεκ"],
    ];
    months
        .iter()
        .position(|names| names.iter().any(|n| w.starts_with(n)))
        .map(|i| i as u32 + 1)
}

/// A zone as seconds east of UTC: numeric (`+0200`, `-03:00`, `+05`) or a name.
pub(super) fn zone_offset(zone: &str) -> Option<i32> {
    let z = zone.trim();
    if let Some(sign) = z.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 | 4 => {
                let (h, m) = digits.split_at(digits.len() - 2);
                (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
            }
            // `+05:30:00`: seconds no zone has.
            6 => (digits[..2].parse().ok()?, digits[2..4].parse().ok()?),
            _ => return None,
        };
        let seconds = h * 3600 + m * 60;
        return Some(if sign == '-' { -seconds } else { seconds });
    }
    let minutes = match z.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "BST" | "CET" | "MET" | "WEST" => 60,
        "CEST" | "MEST" | "EET" => 120,
        "EEST" => 180,
        "AST" | "AT" => -240,
        "ADT" | "EDT" => -240,
        // The US zones named without their season (feedparser reads them as standard).
        "EST" | "CDT" | "ET" => -300,
        "CST" | "MDT" | "CT" => -360,
        "MST" | "PDT" | "MT" => -420,
        "PST" | "PT" => -480,
        "JST" | "KST" => 540,
        "MSK" | "EAT" => 180,
        "SAST" | "CAT" => 120,
        "HKT" | "SGT" | "AWST" | "PHT" | "WITA" => 480,
        // Indonesia's western and eastern time, Indochina's, Pakistan's, Brazil's.
        "WIB" | "ICT" => 420,
        "WIT" => 540,
        "PKT" => 300,
        "BRT" | "ART" => -180,
        "ACST" => 570,
        "AEST" => 600,
        "ACDT" => 630,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "HST" => -600,
        "AKST" => -540,
        "AKDT" => -480,
        // India's, the IST feeds mean by far the most.
        "IST" => 330,
        _ => return None,
    };
    Some(minutes * 60)
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
