//! Saving an article to a file: where the user says, by default a safe name made from its
//! title in the configured folder; never over an existing file. The text is the article as the reader renders it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The longest file name made from a title, before the extension.
const NAME_MAX: usize = 80;

/// The folder articles are saved to: `[reader] save_dir`, else `[general] download_dir`
/// (where the user said files of this reader go), else the user's download folder, else
/// the home folder.
pub fn save_dir(configured: Option<&Path>, downloads: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = configured.or(downloads) {
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
    write_new(dir, &file_stem(title), "txt", text)
}

/// Writes `text` to `path` as the user typed it: into a folder (named after `title`)
/// when it is one, else to that file, or beside it with `-2`, `-3`, ... added when the
/// name is taken (nothing is overwritten). Returns the path written.
pub fn save_to(path: &Path, title: &str, text: &str) -> std::io::Result<PathBuf> {
    let folder = path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/');
    if folder {
        return save_text(path, title, text);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_stem(title));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_new(dir, &stem, &ext, text)
}

/// `dir/stem.ext`, or the first of `stem-2.ext`, `stem-3.ext`, ... that does not exist,
/// created and written.
fn write_new(
    dir: &Path,
    stem: &str,
    ext: &str,
    text: impl AsRef<[u8]>,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let dot = if ext.is_empty() { "" } else { "." };
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}{dot}{ext}")
        } else {
            format!("{stem}-{n}{dot}{ext}")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_ref())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many files of that name"))
}

/// Writes `bytes` into `dir` under a safe form of `name` (an attachment's own name: its
/// stem and extension made letters, digits, `-` and `_`), adding `-2`, `-3`, ... when
/// taken. Returns the path written.
pub fn save_bytes(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && !e.is_empty() && e.len() <= 10 => (s, e),
        _ => (name, ""),
    };
    let ext: String = ext.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    write_new(dir, &file_stem(stem), &ext, bytes)
}

/// Where `w` offers to save an article: the save folder and a name from its title.
pub fn default_path(dir: Option<&Path>, title: &str) -> Option<PathBuf> {
    Some(dir?.join(format!("{}.txt", file_stem(title))))
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

    #[test]
    fn saves_where_the_user_said() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("mine.md");
        assert_eq!(save_to(&file, "T", "one").unwrap(), file);
        let again = save_to(&file, "T", "two").unwrap();
        assert!(again.ends_with("sub/mine-2.md"), "{again:?}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "one");
        let into = save_to(dir.path(), "A title", "three").unwrap();
        assert!(into.ends_with("A-title.txt"));
    }
}
