use super::stream::crawled;
use super::*;

#[test]
fn ids_go_between_the_long_and_the_short_form() {
    assert_eq!(
        short_id("tag:google.com,2005:reader/item/00000000148b9369"),
        "344691561"
    );
    assert_eq!(short_id("344691561"), "344691561");
    assert_eq!(
        long_id("344691561"),
        "tag:google.com,2005:reader/item/00000000148b9369"
    );
    // FreshRSS's ids are microsecond times: large, and they survive the round trip.
    let big = "1732966200123456";
    assert_eq!(short_id(&long_id(big)), big);
    // The top bit set: a negative number in the short form.
    assert_eq!(short_id(&long_id("-2")), "-2");
    assert_eq!(short_id("something-else"), "something-else");
}

#[test]
fn an_article_takes_its_state_from_its_categories() {
    let v: Value = serde_json::json!({
        "id": "tag:google.com,2005:reader/item/000000000000000a",
        "title": "Patch &amp; pray <b>now</b>",
        "published": 1764500000,
        "crawlTimeMsec": "1764500100000",
        "canonical": [{"href": "javascript:alert(1)"}],
        "alternate": [{"href": "https://news.example/a", "type": "text/html"}],
        "summary": {"content": "<p>Short</p>"},
        "origin": {"streamId": "feed/7", "title": "News"},
        "categories": ["user/1005/state/com.google/read", "user/-/state/com.google/reading-list"]
    });
    let i = item(&v).unwrap();
    assert_eq!(i.id, "10");
    assert_eq!(i.feed_id, "feed/7");
    assert_eq!(i.title, "Patch & pray now");
    assert_eq!(i.url.as_deref(), Some("https://news.example/a"));
    assert_eq!(i.html, "<p>Short</p>");
    assert!(i.read);
    assert!(!i.starred);
    assert_eq!(crawled(&v), Some(1764500100));
}
