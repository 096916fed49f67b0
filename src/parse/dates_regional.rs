//! Dates as sites in other languages than English write them: Korean ones with their
//! year, month and day words (`2004년 05월 28일 01:31:15`) or a Korean morning/afternoon
//! word (`2004-05-25 오후 11:23:17`), both in Korea's time (+09:00) since they name no
//! zone; Hungarian ones with the month's name (`2004-július-13T9:15-05:00`), both as
//! feedparser reads them; month names of other European languages (`05 dic 2023`,
//! `05. März 2024`), day-first dates with points (`12.03.2024`), times as French writes
//! them (`18h30`), and dates with slashes where only one reading fits.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// Korea's standard time, which the Korean forms mean: they carry no zone.
const KOREA: i32 = 9 * 3600;

/// One date in a Korean or Hungarian form, or None.
pub(super) fn parse(t: &str) -> Option<DateTime<Utc>> {
    korean_words(t)
        .or_else(|| korean_meridiem(t))
        .or_else(|| hungarian(t))
}

/// `2004년 05월 28일 01:31:15` (OnBlog), an `오전`/`오후` before the time allowed.
fn korean_words(t: &str) -> Option<DateTime<Utc>> {
    let (year, rest) = t.split_once('년')?;
    let (month, rest) = rest.split_once('월')?;
    let (day, rest) = rest.split_once('일')?;
    let date = ymd(year.trim(), month.trim(), day.trim())?;
    let rest = rest.trim();
    let (afternoon, clock) = match meridiem_word(rest) {
        Some((afternoon, clock)) => (Some(afternoon), clock),
        None => (None, rest),
    };
    let time = clock_time(clock, afternoon)?;
    super::dates::local(date.and_time(time), KOREA)
}

/// `2004-05-25 오후 11:23:17` (Nate): a date, the morning or afternoon, the time.
fn korean_meridiem(t: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = t.split_once(char::is_whitespace)?;
    let mut parts = date.split('-');
    let date = ymd(parts.next()?, parts.next()?, parts.next()?)?;
    let (afternoon, clock) = meridiem_word(rest.trim())?;
    let time = clock_time(clock, Some(afternoon))?;
    super::dates::local(date.and_time(time), KOREA)
}

/// `오전` (morning) or `오후` (afternoon) at the start, and what follows it.
fn meridiem_word(t: &str) -> Option<(bool, &str)> {
    if let Some(rest) = t.strip_prefix("오전") {
        Some((false, rest.trim_start()))
    } else {
        t.strip_prefix("오후").map(|rest| (true, rest.trim_start()))
    }
}

/// `9:15`, `13:05:00`, as the afternoon says when it is said (12 in the morning is
/// midnight, 12 in the afternoon noon).
fn clock_time(clock: &str, afternoon: Option<bool>) -> Option<NaiveTime> {
    let mut fields = clock.split(':');
    let hour: u32 = number(fields.next()?)?;
    let minute: u32 = number(fields.next()?)?;
    let second: u32 = match fields.next() {
        Some(s) => number(s)?,
        None => 0,
    };
    if fields.next().is_some() {
        return None;
    }
    let hour = match (hour, afternoon) {
        (12, Some(false)) => 0,
        (h, Some(true)) if h < 12 => h + 12,
        (h, _) => h,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// `2004-július-13T9:15-05:00`: the month by its Hungarian name, the zone as written
/// (none read as UTC), a space allowed for the `T` and seconds after the minutes.
fn hungarian(t: &str) -> Option<DateTime<Utc>> {
    let mut parts = t.splitn(3, '-');
    let year = parts.next()?;
    let month = hungarian_month(parts.next()?)?;
    let rest = parts.next()?;
    let at = rest.find(['T', 't', ' '])?;
    let date = ymd(year, &month.to_string(), &rest[..at])?;
    let rest = &rest[at + 1..];
    let zone_at = rest.find(['+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let time = clock_time(rest[..zone_at].trim(), None)?;
    let zone = rest[zone_at..].trim();
    let offset = if zone.is_empty() {
        0
    } else {
        super::dates::zone_offset(zone)?
    };
    super::dates::local(date.and_time(time), offset)
}

/// The month a Hungarian name (or its short form) means; also the two spellings
/// feedparser's table has (`februári`, `máujus`).
fn hungarian_month(word: &str) -> Option<u32> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    let months: [&[&str]; 12] = [
        &["január", "jan"],
        &["február", "februári", "febr", "feb"],
        &["március", "márc", "már"],
        &["április", "ápr"],
        &["május", "máujus", "máj"],
        &["június", "jún"],
        &["július", "júl"],
        &["augusztus", "aug"],
        &["szeptember", "szept", "szep"],
        &["október", "okt"],
        &["november", "nov"],
        &["december", "dec"],
    ];
    months
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|i| i as u32 + 1)
}

/// A month named in another language than English (or Greek, read apart), as sites
/// in those languages write their feeds' dates: Spanish, Italian, French, German,
/// Dutch, Portuguese, Polish and Russian names, whole, cut short or with a point
/// (`dic`, `déc.`, `März`, `mrt`, `out`, `мар`). English's are read before this.
pub(super) fn month_word(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    let months: [&[&str]; 12] = [
        &["ene", "gen", "jän", "sty", "янв"],
        &["fév", "fev", "lut", "фев"],
        &["mär", "mrz", "mrt", "maa", "мар"],
        &["avr", "abr", "kwi", "апр"],
        &["mai", "mag", "mei", "maj", "мая", "май"],
        &["juin", "giu", "cze", "июн"],
        &["juil", "lug", "lip", "июл"],
        &["aoû", "aou", "ago", "sie", "авг"],
        &["set", "wrz", "сен"],
        &["okt", "ott", "out", "paź", "paz", "окт"],
        &["lis", "ноя"],
        &["déc", "dic", "dez", "gru", "дек"],
    ];
    months
        .iter()
        .position(|names| names.iter().any(|n| w.starts_with(n)))
        .map(|i| i as u32 + 1)
}

/// A date of numbers alone that only one way reads: year first with `-`, `/` or `.`
/// between, padded or not (`2024-3-2`, `2024.03.12`), or day first with points
/// (`12.03.2024`, as German, Russian and Polish sites write it).
pub(super) fn loose_date(text: &str) -> Option<NaiveDate> {
    let sep = ['-', '/', '.'].into_iter().find(|c| text.contains(*c))?;
    let mut parts = text.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        ymd(a, b, c)
    } else if sep == '.' && c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
        ymd(c, b, a)
    } else {
        None
    }
}

/// `3/5/2024`: month first when the time has AM or PM (the American way, and .NET's
/// default), else day or month first only where the other reading is no date
/// (`25/03/2024`, `3/25/2024`); `05/03/2024` alone says neither, and is no date.
pub(super) fn slashed_date(text: &str, twelve_hour: bool) -> Option<NaiveDate> {
    let mut parts = text.split('/');
    let (a, b, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    let month_first = ymd(year, a, b);
    let day_first = ymd(year, b, a);
    match (month_first, day_first) {
        (Some(m), _) if twelve_hour => Some(m),
        (Some(m), Some(d)) => (m == d).then_some(m),
        (m, d) => m.or(d),
    }
}

/// `18h30` (`18h`, `18h30m`), a time as French writes it.
pub(super) fn hour_h_minutes(token: &str) -> Option<NaiveTime> {
    let (hour, minutes) = token.split_once(['h', 'H'])?;
    let minutes = minutes.trim_end_matches(['m', 'n', 'i']);
    let minutes = if minutes.is_empty() { "0" } else { minutes };
    if hour.len() > 2 || minutes.len() > 2 {
        return None;
    }
    NaiveTime::from_hms_opt(number(hour)?, number(minutes)?, 0)
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    if year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

/// A number of one to four ASCII digits.
fn number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn korean_forms_are_in_korea_time() {
        assert_eq!(
            parse("2004년 05월 28일  01:31:15"),
            utc("2004-05-28T01:31:15+09:00")
        );
        assert_eq!(
            parse("2004-05-25 오후 11:23:17"),
            utc("2004-05-25T23:23:17+09:00")
        );
        assert_eq!(
            parse("2004-05-25 오전 11:23:17"),
            utc("2004-05-25T11:23:17+09:00")
        );
        // Noon and midnight as the words say them.
        assert_eq!(
            parse("2004-05-25 오후 12:05:00"),
            utc("2004-05-25T12:05:00+09:00")
        );
        assert_eq!(
            parse("2004-05-25 오전 12:05"),
            utc("2004-05-25T00:05:00+09:00")
        );
        assert_eq!(
            parse("2004년 5월 3일 오후 2:07:00"),
            utc("2004-05-03T14:07:00+09:00")
        );
    }

    #[test]
    fn hungarian_month_names() {
        assert_eq!(
            parse("2004-július-13T9:15-05:00"),
            utc("2004-07-13T09:15:00-05:00")
        );
        assert_eq!(
            parse("2004-december-3T23:59:01+01:00"),
            utc("2004-12-03T23:59:01+01:00")
        );
        assert_eq!(parse("2004-máujus-13T9:15Z"), utc("2004-05-13T09:15:00Z"));
        assert_eq!(parse("2004-május-13 9:15"), utc("2004-05-13T09:15:00Z"));
    }

    #[test]
    fn what_is_none_of_them_is_no_date() {
        for t in [
            "2004년 13월 28일 01:31:15",
            "2004-05-25 오후 25:23:17",
            "2004-nyár-13T9:15-05:00",
            "2004-július-32T9:15-05:00",
            "년월일",
            "오후",
            "2004-05-25 오후",
            "2004-július-13T9:15:99:1",
            "99999-július-13T9:15",
        ] {
            assert_eq!(parse(t), None, "{t}");
        }
    }
}
