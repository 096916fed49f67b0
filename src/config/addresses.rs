//! Where feeds and links point: a feed's URL made canonical (paths made absolute), a
//! command feed's identity in the cache, and the program that opens a link.

use std::path::Path;
use url::Url;

/// The program that opens a link in the default browser on `os` (`std::env::consts::OS`),
/// the URL then its own argument. On Windows, the URL handler rundll32 runs: not
/// `cmd /c start`, which would read a link's `&` and `|` as its own, nor explorer, whose
/// exit status is 1 even when the link opened.
pub fn system_opener(os: &str) -> &'static [&'static str] {
    match os {
        "macos" => &["open"],
        "windows" => &["rundll32", "url.dll,FileProtocolHandler"],
        _ => &["xdg-open"],
    }
}

/// The prefix of a command feed's identity (newsboat's, whose `exec:` lines become them).
pub const EXEC_PREFIX: &str = "exec:";

/// A command feed's identity in the cache: `exec:` and its command line as written (`~`
/// unexpanded, so the same on every machine), each word quoted as a shell would need;
/// for `["sh", "-c", SCRIPT]`, `exec:SCRIPT`, as newsboat names its exec: feeds.
pub fn command_identity(argv: &[String]) -> Result<String, String> {
    match argv.first() {
        Some(program) if !program.trim().is_empty() => {}
        _ => {
            return Err(
                "command is a program and its arguments: [\"program\", \"argument\", ...]".into(),
            )
        }
    }
    if let [sh, flag, script] = argv {
        if sh == "sh" && flag == "-c" && !script.trim().is_empty() {
            return Ok(format!("{EXEC_PREFIX}{script}"));
        }
    }
    let words: Vec<String> = argv
        .iter()
        .map(|w| match w.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                format!(
                    "~{}",
                    crate::paths::shell_word(rest).trim_start_matches("''")
                )
            }
            _ => crate::paths::shell_word(w),
        })
        .collect();
    Ok(format!("{EXEC_PREFIX}{}", words.join(" ")))
}

/// http/https URLs as parsed, `file://` URLs as given, plain paths made absolute.
pub fn canonical_url(raw: &str, base_dir: &Path) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("expected a feed URL, found an empty string".into());
    }
    if let Ok(url) = Url::parse(raw) {
        return match url.scheme() {
            "http" | "https" | "gemini" if url.host().is_some() => Ok(url.to_string()),
            "file" => Ok(url.to_string()),
            "http" | "https" | "gemini" => Err(format!("invalid URL {raw:?}: no host")),
            other => Err(format!(
                "unsupported URL scheme {other:?} in {raw:?} (expected http, https, gemini, file:// or a path)"
            )),
        };
    }
    if raw.contains("://") {
        return Err(format!("invalid URL {raw:?}"));
    }
    let expanded = crate::paths::expand_home(Path::new(raw));
    let absolute = if expanded.is_absolute() {
        expanded
    } else {
        base_dir.join(expanded)
    };
    let absolute = std::path::absolute(&absolute).unwrap_or(absolute);
    Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .map_err(|_| format!("invalid path {raw:?}"))
}
