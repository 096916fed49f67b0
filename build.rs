//! Names the commit the binary is built from, for `bulletin --version`: from git in a
//! clone, from the `.cargo_vcs_info.json` that `cargo package` writes into a packaged
//! crate (so `cargo install bulletin` knows it too), else "unknown commit".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=BULLETIN_COMMIT");
    let commit = std::env::var("BULLETIN_COMMIT")
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .or_else(from_git)
        .or_else(from_package)
        .unwrap_or_else(|| "unknown commit".to_string());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rustc-env=BULLETIN_VERSION={version} ({commit})");
}

/// The short hash of HEAD, when this is a git checkout with git installed. Rebuilt when
/// HEAD moves: git's files that change at a commit or a checkout are watched, those
/// that exist only (cargo takes a watched file that is missing for one that changed,
/// and would run this at every build).
fn from_git() -> Option<String> {
    if !Path::new(".git").exists() {
        return None;
    }
    let git_dir = git(&["rev-parse", "--git-dir"]).unwrap_or_else(|| ".git".to_string());
    let git_dir = Path::new(&git_dir);
    let mut watched = vec![git_dir.join("HEAD"), git_dir.join("logs/HEAD")];
    if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD")) {
        if let Some(branch) = head.trim().strip_prefix("ref: ") {
            watched.push(git_dir.join(branch));
            watched.push(git_dir.join("packed-refs"));
        }
    }
    for file in watched.iter().filter(|f| f.exists()) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}

/// What a git command prints, trimmed; None when it fails or prints nothing.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The commit `cargo package` recorded: `{"git": {"sha1": "..."}, ...}`.
fn from_package() -> Option<String> {
    let info = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
    let at = info.find("\"sha1\"")?;
    let rest = &info[at + 6..];
    let start = rest.find('"')? + 1;
    let hash: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hash.len() >= 12).then(|| hash[..12].to_string())
}
