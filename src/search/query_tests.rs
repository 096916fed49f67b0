//! The query language: what parses to what, and one-line errors for what does not.

use super::*;
use crate::model::FeedId;
use crate::search::compile::{compile, FeedInfo};
use chrono::{Local, NaiveDate, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 15, 12, 0, 0).unwrap()
}

fn word(text: &str) -> Text {
    Text::Term(Term {
        field: Field::Any,
        text: text.into(),
        prefix: false,
    })
}

#[test]
fn words_phrases_exclusions_and_or() {
    let q = parse(
        r#"passkeys "rotate your tokens" -sponsored pass* title:CVE OR author:jane"#,
        now(),
    )
    .unwrap();
    assert_eq!(q.filters, vec![]);
    assert_eq!(q.text[0], word("passkeys"));
    assert_eq!(q.text[1], word("rotate your tokens"));
    assert_eq!(q.text[2], Text::Not(Box::new(word("sponsored"))));
    assert_eq!(
        q.text[3],
        Text::Term(Term {
            field: Field::Any,
            text: "pass".into(),
            prefix: true
        })
    );
    // OR binds tighter than the space.
    assert_eq!(
        q.text[4],
        Text::Or(vec![
            Text::Term(Term {
                field: Field::Title,
                text: "CVE".into(),
                prefix: false
            }),
            Text::Term(Term {
                field: Field::Author,
                text: "jane".into(),
                prefix: false
            }),
        ])
    );
    // Lower-case "or" is a word; "OR" in quotes too.
    assert_eq!(parse("this or that", now()).unwrap().text.len(), 3);
    assert_eq!(parse("\"OR\"", now()).unwrap().text, vec![word("OR")]);
    // Groups.
    let g = parse("(cve OR advisory) -(sponsored post)", now()).unwrap();
    assert_eq!(g.text.len(), 2);
    assert!(matches!(g.text[1], Text::Not(_)));
    // Punctuation alone is no word: a query of nothing else says so, at its column; an
    // empty query is no search at all (an emptied filter).
    let e = parse(" & — ", now()).unwrap_err();
    assert_eq!(e.column, 2);
    assert!(e.message.starts_with("nothing to search for"), "{e}");
    for nothing in ["\"\"", "-", "*", "title:", "TAG:", "is: unread"] {
        assert!(parse(nothing, now()).is_err(), "{nothing}");
    }
    assert!(parse("title:", now())
        .unwrap_err()
        .message
        .contains("title: needs a value"));
    // A word and a colon then a space is still a word ("Update: ...").
    assert_eq!(parse("Update: new", now()).unwrap().text.len(), 2);
    assert!(parse("", now()).unwrap().is_empty());
}

#[test]
fn filters_and_dates() {
    let q = parse(
        "feed:\"Security Weekly\" tag:news is:unread -is:starred after:2026-01-01 before:2026-02",
        now(),
    )
    .unwrap();
    let midnight = |y, m, d| {
        Local
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
            )
            .earliest()
            .unwrap()
            .timestamp()
    };
    assert_eq!(
        q.filters,
        vec![
            (Filter::Feed("Security Weekly".into()), true),
            (Filter::Tag("news".into()), true),
            (Filter::Read(false), true),
            (Filter::Starred(true), false),
            (Filter::After(midnight(2026, 1, 1)), true),
            (Filter::Before(midnight(2026, 2, 1)), true),
        ]
    );
    let rel = parse("after:-7d before:2w", now()).unwrap();
    assert_eq!(
        rel.filters[0].0,
        Filter::After(now().timestamp() - 7 * 86400)
    );
    assert_eq!(
        rel.filters[1].0,
        Filter::Before(now().timestamp() - 14 * 86400)
    );
    assert_eq!(
        parse("after:2026", now()).unwrap().filters[0].0,
        Filter::After(midnight(2026, 1, 1))
    );
    assert!(parse("after:today", now()).is_ok());
}

#[test]
fn mistakes_are_one_line_with_a_column() {
    for (q, col, needle) in [
        ("cve \"open", 5, "not closed"),
        ("(cve", 1, "not closed"),
        ("cve)", 4, "unmatched"),
        ("OR cve", 1, "OR needs"),
        ("cve OR", 5, "OR needs"),
        ("is:new", 1, "is:new is unknown"),
        ("auther:jane", 1, "not a field"),
        ("x after:2026-13-01", 3, "not a date"),
        ("after:soon", 1, "not a date"),
        ("cve OR is:unread", 8, "cannot be joined"),
        ("()", 1, "nothing inside"),
    ] {
        let e = parse(q, now()).unwrap_err();
        assert_eq!(e.column, col, "{q}: {e}");
        assert!(e.message.contains(needle), "{q}: {e}");
        assert!(!e.to_string().contains('\n'));
    }
}

#[test]
fn compiled_words_are_quoted_strings_only() {
    let tags = vec!["security".to_string()];
    let feeds = [
        FeedInfo {
            id: FeedId(1),
            name: "Security Weekly",
            url: "https://sec.example/feed",
            tags: &tags,
        },
        FeedInfo {
            id: FeedId(2),
            name: "Harbour Notes",
            url: "https://harbour.example/rss",
            tags: &[],
        },
    ];
    let c = |q: &str| compile(&parse(q, now()).unwrap(), &feeds);
    let got = c(r#"pass* it"s -NEAR title:cve"#).unwrap();
    assert_eq!(
        got.matching.as_deref(),
        Some(
            r#"({title author feed body} : "pass" *) AND ({title author feed body} : "it""s") AND (title : "cve") NOT ({title author feed body} : "NEAR")"#
        )
    );
    assert_eq!(got.excluding, None);
    let only_not = c("-sponsored tag:security").unwrap();
    assert_eq!(only_not.matching, None);
    assert!(only_not.excluding.is_some());
    assert_eq!(only_not.feeds, Some(vec![FeedId(1)]));
    assert_eq!(c("feed:harbour").unwrap().feeds, Some(vec![FeedId(2)]));
    assert_eq!(c("-feed:harbour").unwrap().not_feeds, vec![FeedId(2)]);
    assert!(c("is:read is:unread").unwrap().never);
    assert!(c("feed:weekly feed:harbour").unwrap().never);
    assert!(c("after:2026-02 before:2026-01").unwrap().never);
    assert!(c("feed:nothing")
        .unwrap_err()
        .message
        .contains("names no feed"));
    assert!(c("tag:nothing")
        .unwrap_err()
        .message
        .contains("names no tag"));
    assert!(c("a OR -b").is_err());
}

/// Issue 27: a query nested 12,000 brackets deep (also `-(` repeated) overflowed the
/// stack and aborted `search`, the TUI's `/` and, from a `[[query]]`, every command.
/// Past `MAX_GROUP_DEPTH` it is an error in one line with its column.
#[test]
fn deep_groups_are_an_error_not_an_abort() {
    for open in ["(", "-(", "(-("] {
        let q = format!(
            "{}x{}",
            open.repeat(12_000),
            ")".repeat(12_000 * open.matches('(').count())
        );
        let e = parse(&q, now()).unwrap_err();
        assert!(e.message.contains("nests deeper"), "{e}");
        assert!(!e.to_string().contains('\n'));
    }
    let ok = format!(
        "{}x{}",
        "(".repeat(MAX_GROUP_DEPTH),
        ")".repeat(MAX_GROUP_DEPTH)
    );
    assert!(parse(&ok, now()).is_ok());
}

proptest::proptest! {
    /// Any query parses or is one line of error with a column inside it.
    #[test]
    fn any_query_parses_or_errs_in_one_line(q in "[a-z()\\-\" :*OR]{0,80}") {
        if let Err(e) = parse(&q, now()) {
            proptest::prop_assert!(!e.to_string().contains('\n'));
            proptest::prop_assert!(e.column >= 1 && e.column <= q.chars().count() + 1, "{}: {}", q, e);
        }
    }
}

/// Issue 27 (the attack): 12,000 prefix words took 75 s to search. A query holds at most
/// `MAX_WORDS` words.
#[test]
fn a_query_of_thousands_of_words_is_refused() {
    let many = vec!["a*"; MAX_WORDS + 1].join(" ");
    let e = parse(&many, now()).unwrap_err();
    assert!(e.message.contains("more than"), "{e}");
    let enough = vec!["word"; MAX_WORDS].join(" ");
    assert!(parse(&enough, now()).is_ok());
}
