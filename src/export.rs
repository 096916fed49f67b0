//! Saving an article to a file: a safe name made from its title, in the configured folder,
//! never over an existing file. The text is the article as the reader renders it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The longest file name made from a title, before the extension.
const NAME_MAX: usize = 80;

/// The folder articles are saved to: `[reader] save_dir`, else the user's download
/// folder, else the home folder.
pub fn save_dir(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = configured {
        return Some(crate::paths::expand_home(dir));
    }
    let user = directories::UserDirs::new()?;
    Some(
        user.download_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| user.home_dir().to_path_buf()),
    )
}

/// A file name from a title: letters, digits, `-` and `_` only (any script), words joined
/// by `-`, no leading dot, at most `NAME_MAX` characters; "article" when nothing is left.
pub fn file_stem(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
        let word = word.trim_matches('-');
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
        if out.chars().count() >= NAME_MAX {
            break;
        }
    }
    let stem: String = out.chars().take(NAME_MAX).collect();
    let stem = stem.trim_matches('-').to_string();
    if stem.is_empty() {
        "article".into()
    } else {
        stem
    }
}

/// Writes `text` to a new file in `dir` named after `title`, adding `-2`, `-3`, ... when
/// the name is taken. Returns the path written.
pub fn save_text(dir: &Path, title: &str, text: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stem = file_stem(title);
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.txt")
        } else {
            format!("{stem}-{n}.txt")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many files of that name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(
            file_stem("Issue 48: The invoice that wasn't"),
            "Issue-48-The-invoice-that-wasn-t"
        );
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem(".hidden"), "hidden");
        assert_eq!(file_stem("Café über alles"), "Café-über-alles");
        assert_eq!(file_stem("///"), "article");
        assert_eq!(file_stem(""), "article");
        assert!(file_stem(&"x".repeat(500)).chars().count() <= NAME_MAX);
        assert_eq!(file_stem("a\u{1b}[31mb\nc"), "a-31mb-c");
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let a = save_text(dir.path(), "Same title", "one").unwrap();
        let b = save_text(dir.path(), "Same title", "two").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "two");
        assert!(b.ends_with("Same-title-2.txt"));
    }
}
