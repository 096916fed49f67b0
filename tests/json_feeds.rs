//! JSON Feed as publishers write it, each shape from an attack of 81 hand-written feeds
//! checked against the specification (there is no feedparser reference for JSON Feed):
//! names with a note, a string cut mid-emoji, plain text's line breaks, a blank `url`,
//! a PHP warning before the document, one object where a list belongs, an API's answer
//! that is no feed, and JSON with no object at its top.

use bulletin::parse::{parse_feed, ParseError};

const BASE: &str = "https://notes.example/feed.json";

fn read(body: &str) -> bulletin::model::ParsedFeed {
    parse_feed(body.as_bytes(), None, BASE).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn feed(items: &str) -> String {
    format!(r#"{{"version":"https://jsonfeed.org/version/1.1","title":"Notes","items":[{items}]}}"#)
}

#[test]
fn a_name_with_a_note_is_kept_whole() {
    let f = read(&feed(
        r#"{"id":"1","content_text":"a","authors":[{"name":"Jane Doe (Guest)"}]},
           {"id":"2","content_text":"b","author":{"name":"R2D2(droid)"}}"#,
    ));
    assert_eq!(f.items[0].author.as_deref(), Some("Jane Doe (Guest)"));
    assert_eq!(f.items[1].author.as_deref(), Some("R2D2(droid)"));
}

#[test]
fn a_string_cut_in_the_middle_of_an_emoji_costs_one_character() {
    let f = read(&feed(
        r#"{"id":"1","title":"Cut \ud83d","content_text":"x"},{"id":"2","title":"Whole \ud83d\ude00","content_text":"y"}"#,
    ));
    assert_eq!(f.items.len(), 2);
    assert_eq!(f.items[0].title, "Cut \u{fffd}");
    assert_eq!(f.items[1].title, "Whole \u{1f600}");
}

#[test]
fn plain_texts_line_breaks_are_kept() {
    let f = read(&feed(
        r#"{"id":"1","content_text":"Things to buy:\n- eggs\n- milk\n\nThat is all."}"#,
    ));
    let html = f.items[0].content_html.as_deref().unwrap();
    assert_eq!(
        html,
        "<p>Things to buy:<br>\n- eggs<br>\n- milk</p>\n<p>That is all.</p>"
    );
}

#[test]
fn a_blank_url_leaves_the_external_url_as_the_link() {
    let f = read(&feed(
        r#"{"id":"1","url":"","external_url":"https://elsewhere.example/post","content_text":"x"}"#,
    ));
    assert_eq!(
        f.items[0].link.as_deref(),
        Some("https://elsewhere.example/post")
    );
}

#[test]
fn a_php_warning_before_the_document_is_passed_over() {
    let body = format!(
        "<br />\n<b>Deprecated</b>:  Creation of dynamic property in <b>/var/www/feed.php</b> on line <b>12</b><br />\n{}",
        feed(r#"{"id":"1","title":"Still here","content_text":"x"}"#)
    );
    assert_eq!(read(&body).items[0].title, "Still here");
}

#[test]
fn one_object_where_a_list_belongs_is_a_list_of_one() {
    let body = r#"{"version":"https://jsonfeed.org/version/1","title":"Pod","items":{"id":"ep1","title":"Episode 1",
        "attachments":{"url":"https://cdn.example/ep1.mp3","mime_type":"audio/mpeg","size_in_bytes":1000}}}"#;
    let f = read(body);
    assert_eq!(f.items.len(), 1);
    assert_eq!(f.items[0].enclosures[0].url, "https://cdn.example/ep1.mp3");
    assert_eq!(f.items[0].enclosures[0].length, Some(1000));
}

#[test]
fn an_item_author_without_a_name_is_not_the_feeds() {
    let body = r#"{"version":"https://jsonfeed.org/version/1.1","title":"N","authors":[{"name":"Feed Owner"}],
        "items":[{"id":"1","content_text":"x","authors":[{"url":"https://guest.example/"}]},
                 {"id":"2","content_text":"y"}]}"#;
    let f = read(body);
    assert_eq!(f.items[0].author, None);
    assert_eq!(f.items[1].author.as_deref(), Some("Feed Owner"));
}

#[test]
fn json_that_is_no_feed_is_said_to_be_none() {
    for body in [
        r#"{"error":"rate limited","items":null}"#,
        r#"{"kind":"youtube#searchListResponse","items":[{"kind":"youtube#searchResult","id":{"videoId":"x"}}]}"#,
        r#"[{"id":"1","title":"a"}]"#,
        "null",
    ] {
        match parse_feed(body.as_bytes(), None, BASE) {
            Err(ParseError::NotAFeed(why)) => {
                assert!(why.contains("not a JSON Feed"), "{body}: {why}")
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    // Without a version, items that look like a feed's are still read.
    let f = read(r#"{"title":"Old","items":[{"id":"1","content_html":"<p>x</p>"}]}"#);
    assert_eq!(f.items.len(), 1);
}
