//! Shingles, sketches and the comparison: the hashes stored sketches depend on, and what
//! counts as one text.

use super::*;

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

/// Word hashes as the first version computed them, character by character: stored
/// sketches must keep meeting new ones.
fn words_by_char(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut in_word = false;
    for c in text.chars().chain([' ']) {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h = (h ^ u64::from(l)).wrapping_mul(0x0100_0000_01b3);
            }
            in_word = true;
        } else if in_word {
            out.push(h);
            h = 0xcbf2_9ce4_8422_2325;
            in_word = false;
        }
    }
    out
}

proptest::proptest! {
    /// Stored sketches were made with this hash: any text, in any script, must hash
    /// exactly as the plain reading by characters does.
    #[test]
    fn the_byte_table_hashes_as_the_characters_do(
        text in "[a-zA-Z0-9 .,;:!?'\\-\n\tßİÅÖïé東京Ωσ²ΣΊ\u{300}\u{1F600}]{0,300}"
    ) {
        let by_char = words_by_char(&text);
        let want: Vec<u64> = if by_char.len() < WORDS {
            Vec::new()
        } else {
            by_char.windows(WORDS).map(shingle).collect()
        };
        proptest::prop_assert_eq!(shingles(&text), want);
    }
}

#[test]
fn words_hash_as_they_always_did_in_any_script() {
    let text = "Straße İstanbul ÅSTRÖM naïve café 東京 2026-12-04 Ωmega x²y déjà-vu ΣΊΣΥΦΟΣ end";
    let want: Vec<u64> = words_by_char(text).windows(WORDS).map(shingle).collect();
    assert_eq!(shingles(text), want);
    assert!(!want.is_empty());
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
