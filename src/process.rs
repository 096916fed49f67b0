//! Other programs run without the terminal: found in PATH as the shell would, and
//! started in a session of their own (command feeds, filters, and password commands
//! while the TUI has the screen), so nothing they run can draw over the TUI or read
//! from it, and their whole group can be stopped at once.

use std::path::Path;
use std::process::{Command, Stdio};

/// The program as a path: as given when it names a file (relative to the command's
/// directory), else found in PATH.
pub fn find_program(program: &std::ffi::OsStr, dir: Option<&Path>) -> Option<std::path::PathBuf> {
    let path = Path::new(program);
    // Windows finds `prog` as prog.exe, prog.cmd...: left to it.
    if cfg!(not(unix)) {
        return Some(path.to_path_buf());
    }
    if path.is_absolute() || path.components().count() > 1 {
        let full = match dir {
            Some(d) if path.is_relative() => d.join(path),
            _ => path.to_path_buf(),
        };
        return full.is_file().then_some(full);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(path))
        .find(|f| f.is_file())
}

/// A command for `program` with no terminal: run through setsid(1) where there is one
/// (a session of its own: no controlling terminal, so nothing it runs can write to or
/// read from the TUI's), else in a process group of its own (not the terminal's
/// foreground group: it cannot read from it). Either way the group can be stopped at
/// once. (A session needs setsid() between fork and exec, which std offers only as
/// unsafe code, and this crate keeps its unsafe code to SQLite's file layer.)
pub fn detached(program: std::path::PathBuf) -> Command {
    type Tools = Option<(std::path::PathBuf, Option<std::path::PathBuf>)>;
    static TOOLS: std::sync::OnceLock<Tools> = std::sync::OnceLock::new();
    let tools = TOOLS.get_or_init(|| {
        if cfg!(target_os = "linux") {
            let setsid = find_program("setsid".as_ref(), None)?;
            // util-linux's setpriv has --pdeathsig from 2.33 on; an older one (or
            // another's) would fail every command: tried once, and left out if it does.
            let setpriv = find_program("setpriv".as_ref(), None).filter(|setpriv| {
                Command::new(setpriv)
                    .args(["--pdeathsig", "KILL", "--", "true"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            });
            Some((setsid, setpriv))
        } else {
            None
        }
    });
    match tools {
        // The child is not a group leader, so setsid(1) makes the session in place (no
        // fork): its pid is the program's, and the session's group. setpriv(1), where
        // there is one, has the program killed should bulletin itself be killed (its
        // parent-death signal): a `kill -9` of a refresh left a command running on. The
        // program's own children do not inherit the signal: a script's `sleep` (not
        // exec'd) ends when it ends or writes to the closed pipe.
        Some((setsid, setpriv)) => {
            let mut cmd = Command::new(setsid);
            cmd.arg("--");
            if let Some(setpriv) = setpriv {
                cmd.arg(setpriv).args(["--pdeathsig", "KILL", "--"]);
            }
            cmd.arg(program);
            cmd
        }
        #[cfg(unix)]
        None => {
            use std::os::unix::process::CommandExt;
            let mut cmd = Command::new(program);
            cmd.process_group(0);
            cmd
        }
        #[cfg(not(unix))]
        None => Command::new(program),
    }
}
