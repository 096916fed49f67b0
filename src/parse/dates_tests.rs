//! Dates as feeds write them: the forms read, and what is no date.

use super::*;

fn at(text: &str) -> Option<String> {
    parse(text).map(|d| d.to_rfc3339())
}

#[test]
fn greek_and_perforce_dates_as_feedparser_reads_them() {
    assert_eq!(
        at("Κυρ, 11 Ιούλ 2004 12:00:00 EST").as_deref(),
        Some("2004-07-11T17:00:00+00:00")
    );
    assert_eq!(
        at("Τρι, 04 Μάρ 2025 09:15:00 GMT").as_deref(),
        Some("2025-03-04T09:15:00+00:00")
    );
    assert_eq!(
        at("Πεμ, 15 ΜΑΪΟΥ 2025 10:00:00 +0300").as_deref(),
        Some("2025-05-15T07:00:00+00:00")
    );
    assert_eq!(
        at("Fri, 2006/09/15 08:19:53 EDT").as_deref(),
        Some("2006-09-15T12:19:53+00:00")
    );
    assert_eq!(at("Fri, 2006/13/15 08:19:53 EDT"), None);
    // Two-digit years with slashes are no Perforce date (nor year 6), and a character
    // cut by a fixed-width reading is no panic.
    assert!(at("Mon, 06/10/24 12:00:00 GMT").is_none_or(|d| d.starts_with("20")));
    assert_eq!(at("1Ιαν"), None);
    assert_eq!(at("Κυρ, 11 Ιξξ 2004 12:00:00 EST"), None);
}

#[test]
fn the_forms_feeds_use() {
    let cases = [
        ("Mon, 02 Nov 2026 08:00:00 GMT", "2026-11-02T08:00:00+00:00"),
        // A weekday in another language: `mar` (mardi, martes) is no March.
        (
            "mar, 10 jun 2003 04:00:00 +0200",
            "2003-06-10T02:00:00+00:00",
        ),
        (
            "Di, 10 Jun 2003 04:00:00 +0200",
            "2003-06-10T02:00:00+00:00",
        ),
        (
            "jeu., 12 Jun 2003 04:00:00 GMT",
            "2003-06-12T04:00:00+00:00",
        ),
        ("2003/06/10 04:00:00", "2003-06-10T04:00:00+00:00"),
        // A month before the comma is the month.
        ("June, 10 2003", "2003-06-10T00:00:00+00:00"),
        // ISO 8601 as written in the wild: a decimal comma, a two-digit year, a zone
        // name against the time, the day's end.
        (
            "2026-11-02T08:00:00,5+01:00",
            "2026-11-02T07:00:00.500+00:00",
        ),
        ("26-11-02T08:00:00Z", "2026-11-02T08:00:00+00:00"),
        ("2026-11-02T08:00:00GMT", "2026-11-02T08:00:00+00:00"),
        ("2026-11-02T24:00:00Z", "2026-11-03T00:00:00+00:00"),
        // An ordinal date (the year's day), a month in three digits.
        ("2003-335T10:14:55Z", "2003-12-01T10:14:55+00:00"),
        ("2024-366T23:59:59+01:00", "2024-12-31T22:59:59+00:00"),
        ("2025-060", "2025-03-01T00:00:00+00:00"),
        ("2003335", "2003-12-01T00:00:00+00:00"),
        ("2003-012-31", "2003-12-31T00:00:00+00:00"),
        ("2003-012-31T10:00:00Z", "2003-12-31T10:00:00+00:00"),
        // A 12-hour clock, fractions of a second, dotted times, zones of the Pacific.
        ("Mon, 02 Nov 2026 08:00 PM EST", "2026-11-03T01:00:00+00:00"),
        ("2 Nov 2026 12:30:00 AM GMT", "2026-11-02T00:30:00+00:00"),
        ("2 Nov 2026 12:05 pm GMT", "2026-11-02T12:05:00+00:00"),
        ("02 Nov 2026 08:00:00.000 GMT", "2026-11-02T08:00:00+00:00"),
        (
            "Mon, 02 Nov 2026 08.00.00 +0000",
            "2026-11-02T08:00:00+00:00",
        ),
        (
            "Mon, 02 Nov 2026 08:00:00 AEDT",
            "2026-11-01T21:00:00+00:00",
        ),
        (
            "Mon, 02 Nov 2026 08:00:00 NZDT",
            "2026-11-01T19:00:00+00:00",
        ),
        ("Mon, 02 Nov 2026 08:00:00 HST", "2026-11-02T18:00:00+00:00"),
        ("Mon, 02 Nov 2026 08:00:00 EST", "2026-11-02T13:00:00+00:00"),
        (
            "Fri, 02 Nov 2026 08:00:00 +0000",
            "2026-11-02T08:00:00+00:00",
        ),
        ("02 Nov 2026 08:00 PDT", "2026-11-02T15:00:00+00:00"),
        (
            "Monday, 2 November 26 08:00:00 UTC",
            "2026-11-02T08:00:00+00:00",
        ),
        ("2 Nov 1999", "1999-11-02T00:00:00+00:00"),
        ("Nov 2 2026 08:00:00 GMT", "2026-11-02T08:00:00+00:00"),
        ("2026-11-02", "2026-11-02T00:00:00+00:00"),
        ("20210906T164500Z", "2021-09-06T16:45:00+00:00"),
        ("20210906T1645+0200", "2021-09-06T14:45:00+00:00"),
        ("2026-11-02 08:00:00", "2026-11-02T08:00:00+00:00"),
        (
            "2026-11-02T08:00:00.250+02:00",
            "2026-11-02T06:00:00.250+00:00",
        ),
        ("2026-11-02T08:00+0200", "2026-11-02T06:00:00+00:00"),
        ("2026-11-02T08:00:00 UTC", "2026-11-02T08:00:00+00:00"),
        ("20261102", "2026-11-02T00:00:00+00:00"),
        ("2026-11", "2026-11-01T00:00:00+00:00"),
        // asctime, and the same with a zone before the year.
        ("Tue Mar  4 09:15:00 2025", "2025-03-04T09:15:00+00:00"),
        (
            "Wed Mar 05 11:30:00 +0000 2025",
            "2025-03-05T11:30:00+00:00",
        ),
        // Offsets with a colon, alone or glued to GMT.
        (
            "Tue, 04 Mar 2025 09:15:00 GMT+02:00",
            "2025-03-04T07:15:00+00:00",
        ),
        (
            "Tue, 04 Mar 2025 09:15:00 +05:30",
            "2025-03-04T03:45:00+00:00",
        ),
        (
            "Tue, 04 Mar 2025 09:15:00 GMT-05:30",
            "2025-03-04T14:45:00+00:00",
        ),
        // A leap second is the next minute's first.
        ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00+00:00"),
        // An hour alone, and US zones without their season.
        ("2025-03-04T09", "2025-03-04T09:00:00+00:00"),
        ("Tue, 04 Mar 2025 09:15:00 ET", "2025-03-04T14:15:00+00:00"),
        ("Tue, 04 Mar 2025 09:15:00 IST", "2025-03-04T03:45:00+00:00"),
    ];
    for (text, want) in cases {
        assert_eq!(at(text).as_deref(), Some(want), "{text}");
    }
    // A four-digit year with a one-digit month is no two-digit year (it was 3926).
    assert_ne!(
        at("2026-1-2T08:00:00Z").as_deref().map(|d| &d[..4]),
        Some("3926")
    );
}

#[test]
fn nonsense_is_no_date() {
    for text in [
        "",
        "soon",
        "32 Nov 2026",
        "2026-13-01",
        "2023-366",
        "2025-000",
        "2003-112-31",
        "Mon, 02 Foo 2026",
        "12:00",
    ] {
        assert_eq!(at(text), None, "{text}");
    }
}
