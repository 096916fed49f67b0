//! The search query parser and compiler: any input parses or is an error in one line,
//! never a panic or an overflow (run with `-dict=query.dict`, deep nesting included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    match bulletin::search::parse(q, now) {
        Ok(query) => {
            let _ = bulletin::search::compile(&query, &[]);
        }
        Err(e) => assert!(!e.to_string().contains('\n')),
    }
});
