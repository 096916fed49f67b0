//! serde's words for a value of the wrong kind, said in a config's terms: "expected u32"
//! names a Rust type, and "integer … as i128" how a number too large was read.

/// The message with Rust's type names replaced by what a config line should hold.
pub fn plain(message: &str) -> String {
    const TYPES: [(&str, &str); 8] = [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
    ];
    let mut out = message.replace(" as i128", "").replace(" as u128", "");
    for (rust, said) in TYPES {
        // Whole words only: "expected u8" is not the start of "expected u80".
        if let Some(at) = out.find(rust) {
            let end = at + rust.len();
            if !out[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                out.replace_range(at..end, said);
            }
        }
    }
    out.replace("floating point", "decimal number")
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn rust_types_become_what_the_line_should_hold() {
        assert_eq!(
            plain("invalid type: integer `99999999999999999999` as i128, expected u32"),
            "invalid type: integer `99999999999999999999`, expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            plain("invalid type: floating point `1.5`, expected u16"),
            "invalid type: decimal number `1.5`, expected a whole number from 0 to 65535"
        );
        assert_eq!(plain("unknown field `bogus`"), "unknown field `bogus`");
    }
}
