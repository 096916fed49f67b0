//! The direct RSS/Atom reader against feed-rs: whenever the direct reader takes a
//! document, feed-rs must read it too, to the same feed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (direct, feed_rs) = bulletin::parse::read_both_ways(body, "https://fuzz.example/feed");
    if let Some(direct) = direct {
        match feed_rs {
            Ok(slow) => assert_eq!(direct, slow),
            Err(e) => panic!("feed-rs refused what the direct reader read: {e}"),
        }
    }
});
