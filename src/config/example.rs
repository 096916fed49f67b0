//! The example config shipped inside the binary, and the one `init` writes from it.

/// The example config, embedded so that an installed binary can write it.
pub const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");

/// The config `init` writes: the example with its example feeds and saved search
/// commented out, so that the first start (or an import after `init`) lists the user's
/// feeds only. Each stays one `# ` away from use.
pub fn init_text() -> String {
    let mut out = String::with_capacity(EXAMPLE_CONFIG.len() + 256);
    let mut in_example = false;
    for line in EXAMPLE_CONFIG.lines() {
        let header = line.trim();
        if header.starts_with('[') {
            in_example = header == "[[feed]]" || header == "[[query]]";
        } else if header.is_empty() {
            in_example = false;
        }
        if in_example {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
