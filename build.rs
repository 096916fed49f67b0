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
        .filter(|c| !c.trim().is_empty())
        .or_else(from_git)
        .or_else(from_package)
        .unwrap_or_else(|| "unknown commit".to_string());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rustc-env=BULLETIN_VERSION={version} ({commit})");
}

/// The short hash of HEAD, when this is a git clone with git installed; rebuilt when
/// HEAD moves (its file, and the branch file it points to).
fn from_git() -> Option<String> {
    let git = Path::new(".git");
    if !git.is_dir() {
        return None;
    }
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Ok(head) = std::fs::read_to_string(git.join("HEAD")) {
        if let Some(branch) = head.trim().strip_prefix("ref: ") {
            let file = git.join(branch);
            if file.exists() {
                println!("cargo:rerun-if-changed=.git/{branch}");
            }
            println!("cargo:rerun-if-changed=.git/packed-refs");
        }
    }
    let out = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    let hash = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !hash.is_empty()).then_some(hash)
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
