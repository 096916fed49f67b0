//! Shingles, sketches and the comparison: the hashes stored sketches depend on, and what
//! counts as one text.

use super::*;
use proptest::strategy::Strategy;

const STORY: &str = "<p>The central bank raised its main interest rate by a quarter of a point on Tuesday, the third increase this year, citing persistent inflation in services and a labour market that has barely cooled.</p>
<p>Markets had expected the move. The currency rose slightly against the dollar after the announcement, while government bond yields edged higher across the curve.</p>
<p>The governor told reporters that further increases could not be ruled out if wage growth stayed high through the winter, but said the board would look at each meeting's data.</p>
<p>Opposition politicians criticised the decision, saying households with variable mortgages would pay hundreds more each month at a time when energy bills remain high.</p>";

#[test]
fn a_copy_with_a_line_added_and_a_paragraph_cut_is_the_same_text() {
    let copy = STORY.replace(
        "<p>Markets had expected the move. The currency rose slightly against the dollar after the announcement, while government bond yields edged higher across the curve.</p>",
        "",
    ) + "<p>Reporting by our correspondent; editing by the desk.</p>";
    let (a, b) = (shingles(STORY), shingles(&copy));
    assert!(same_text(&a, &b));
    let (sa, sb) = (sketch(&a), sketch(&b));
    assert!(!bands(&sa).is_empty());
    let shared = bands(&sa).iter().filter(|k| bands(&sb).contains(k)).count();
    assert!(shared > 0, "the index finds the copy");
    assert!(resemblance(&sa, &sb) >= 0.3, "{}", resemblance(&sa, &sb));
    assert_eq!(sketch_from_bytes(&sketch_bytes(&sa)), sa);
}

#[test]
fn a_shared_footer_or_opening_is_not_a_story() {
    let footer = "<p>You are receiving this newsletter because you subscribed on our website. To change how often we write, or to stop these messages altogether, visit your account settings page. Our postal address is printed below, and replies to this address reach a person who reads every one of them, usually within a working day or two.</p>";
    let one = format!("<p>A short note on the new release of the parser library and what changed in it.</p>{footer}");
    let two = format!("<p>Conference season starts next week, with talks on storage engines and networks.</p>{footer}");
    assert!(!same_text(&shingles(&one), &shingles(&two)));
    let opening = format!("{footer}<p>A short note on the new release of the parser library: it reads dates in more forms, no longer stops at a stray ampersand, and runs a little faster on large files, which users of the command line tool will notice first.</p>");
    let other = format!("{footer}<p>Conference season starts next week, with talks on storage engines, on networks that survive partitions, and on the long history of the terminal, followed by a panel on maintaining open source projects for a decade.</p>");
    assert!(!same_text(&shingles(&opening), &shingles(&other)));
}

#[test]
fn a_digest_quoting_a_story_is_not_that_story() {
    let first = "<p>The central bank raised its main interest rate by a quarter of a point on Tuesday, the third increase this year, citing persistent inflation in services and a labour market that has barely cooled.</p>";
    let digest = format!(
        "{first}{}",
        "<p>In other news, the city council approved a new budget for road repairs, a museum reopened after two years of renovation, the football club signed a new coach from abroad, and scientists announced the discovery of a comet visible next spring from the southern hemisphere without a telescope.</p>".repeat(3)
    );
    assert!(!same_text(&shingles(first), &shingles(&digest)));
}

#[test]
fn short_texts_are_never_compared() {
    let a = shingles("<p>Weekly roundup of security news</p>");
    assert!(!same_text(&a, &a));
    assert!(sketch(&a).is_empty());
}

#[test]
fn boilerplate_common_to_a_feed_goes() {
    let a = shingles("one two three four five six");
    let b = shingles("nine two three four five ten");
    let common = Boilerplate::of(&[&a, &b]);
    assert!(common.0.values().filter(|s| s.shared).count() == 1);
    assert_eq!(common.remove(&a).len(), 2);
    assert!(
        !a.iter().any(|h| Boilerplate::of(&[&a]).contains(*h)),
        "one text has no boilerplate"
    );
}

/// The shingles of a text read the plain way: the index's text of the HTML first, then
/// each character.
fn by_characters(html: &str) -> Vec<u64> {
    let mut w = Words::with_capacity(0);
    for c in crate::search::text::index_text(html).chars() {
        w.char(c);
    }
    w.end();
    w.out
}

proptest::proptest! {
    /// The one pass over the HTML, eight ASCII bytes at a time, reads the words the
    /// index's text has, and hashes them as the plain reading by characters does: in
    /// any script, across tags, comments, scripts and entities.
    #[test]
    fn one_pass_over_the_html_reads_what_the_plain_reading_does(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                "[a-zA-Z0-9]{1,20}",
                "[ .,;:!?'\\-\n\t]{1,3}",
                "[ßİÅÖïé東京Ωσ²ΣΊ\u{300}\u{1F600}a-z]{1,6}",
                proptest::sample::select(vec![
                    "<p>", "</p>", "<a href=\"/x?a=1&amp;b=2\">", "</a>", "<br/>",
                    "<!-- note -->", "<script>var x = '<p>';</script>", "<STYLE>p{}</style>",
                    "&amp;", "&eacute;", "&#233;", "&#x6771;", "&nbsp;", "&lt;", "&unknown;",
                    "& ", "&#;", "<img alt=\"words here\">", "<noscript>hidden</NoScript>",
                ]).prop_map(str::to_string),
            ],
            0..80,
        )
    ) {
        let html = parts.concat();
        proptest::prop_assert_eq!(shingles(&html), by_characters(&html));
    }
}

#[test]
fn words_of_any_script_hash_the_same_read_by_eights_or_by_characters() {
    let text = "Straße İstanbul ÅSTRÖM naïve café 東京 2026-12-04 Ωmega x²y déjà-vu ΣΊΣΥΦΟΣ end \
                averyveryverylongwordindeedlongerthansixteenbytes Caf&eacute; caf&#233;";
    assert_eq!(shingles(text), by_characters(text));
    // A word spelt with an entity is the word.
    assert_eq!(
        shingles("one two caf&eacute; four"),
        shingles("one two café four")
    );
    assert_eq!(
        shingles("One TWO Three four"),
        shingles("one two three four")
    );
    // Tags end words; text in attributes and scripts is none.
    assert_eq!(
        shingles("<p>one</p><p>two</p> <script>x y</script>three <b title='a b'>four</b>"),
        shingles("one two three four")
    );
}

/// Stored sketches are made of these hashes: a change to how words are read or hashed
/// must come with a migration that sketches the kept articles again
/// (`stories.resketch`).
#[test]
fn the_hashes_stored_sketches_are_made_of_stay_put() {
    assert_eq!(
        shingles("the quick brown fox jumps"),
        [0xf397_c9ed_00bc_b1d4, 0x6cba_171b_b992_c6d1]
    );
}

#[test]
fn boilerplate_is_looked_for_at_the_ends_only() {
    let long = |tag: &str| -> String { (0..300).map(|i| format!("{tag}{i} ")).collect::<String>() };
    let footer = "read more of this newsletter every week on our site thanks";
    let middle = "a sentence two stories happen to share word for word here";
    let one = format!("{} {middle} {} {footer}", long("a"), long("b"));
    let two = format!("{} {middle} {} {footer}", long("c"), long("d"));
    let (a, b) = (shingles(&one), shingles(&two));
    let common = Boilerplate::of(&[&a, &b]);
    let kept = common.remove(&a);
    let footer_shingles = shingles(footer);
    let middle_shingles = shingles(middle);
    assert!(
        footer_shingles.iter().all(|h| !kept.contains(h)),
        "the footer goes"
    );
    assert!(
        middle_shingles.iter().all(|h| kept.contains(h)),
        "the middle stays"
    );
    assert_eq!(kept.len(), a.len() - footer_shingles.len());
}
