//! Feeds made by a command (`command = [...]`) and fetched feeds piped through one
//! (`filter = [...]`). The argv runs with no shell, standard input closed (or the body,
//! for a filter), with no terminal (see `detached`), in the config's directory. Its
//! standard output is capped like a download; a non-zero exit, a timeout (which kills
//! the whole process group, so a script's children go too) or output over the cap is
//! the feed's error, with the first line it wrote to standard error.

use super::FetchError;
use crate::process::{detached, find_program};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How much of standard error is kept (the rest is read and dropped, so that a chatty
/// command never blocks on a full pipe).
const STDERR_KEPT: usize = 16 * 1024;

/// How often the command's state is looked at while it runs.
const POLL: Duration = Duration::from_millis(5);

/// Runs `argv` (`~` expanded) in `dir`, `input` on its standard input, and returns its
/// standard output.
pub(super) fn run(
    argv: &[String],
    input: Option<Vec<u8>>,
    dir: Option<&Path>,
    timeout: Duration,
    max_output: u64,
) -> Result<Vec<u8>, FetchError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(FetchError::Command("no command to run".into()));
    };
    let shown = crate::sanitize::clean_line(&shown_name(argv));
    // Absolute: the program's path and the directory it runs in must not be read
    // against each other (a relative --config).
    let dir = dir
        .filter(|d| d.is_dir())
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.to_path_buf()));
    let dir = dir.as_deref();
    let Some(found) = find_program(&expand(program), dir) else {
        return Err(FetchError::Command(format!(
            "cannot run {shown}: not found{}",
            if program.contains('/') {
                ""
            } else {
                " in PATH"
            }
        )));
    };
    let mut cmd = detached(found);
    cmd.args(args.iter().map(|a| expand(a)))
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| FetchError::Command(format!("cannot run {shown}: {e}")))?;
    let group = Group(child.id());
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        // A filter that stops reading early gets a broken pipe, not us a hang.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let too_large = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().map(|out| {
        let flag = too_large.clone();
        reader(out, max_output, Some(flag))
    });
    let stderr = child
        .stderr
        .take()
        .map(|err| reader(err, STDERR_KEPT as u64, None));
    let deadline = Instant::now() + timeout;
    let secs = timeout.as_secs().max(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                group.kill(&mut child);
                return Err(FetchError::Command(format!("{shown}: {e}")));
            }
        }
        if too_large.load(Ordering::Relaxed) {
            group.kill(&mut child);
            return Err(too_large_error(&shown, max_output));
        }
        if Instant::now() >= deadline {
            group.kill(&mut child);
            return Err(FetchError::Command(format!(
                "{shown} timed out after {secs} s (stopped, with what it started)"
            )));
        }
        std::thread::sleep(POLL);
    };
    // Its children may still hold the pipe open: they get what is left of the time.
    let left = || deadline.saturating_duration_since(Instant::now());
    let output = stdout.map(|rx| rx.recv_timeout(left()));
    let errors = stderr
        .and_then(|rx| rx.recv_timeout(left().max(Duration::from_millis(100))).ok())
        .unwrap_or_default();
    // Nothing it started outlives the feed's fetch.
    group.kill_rest();
    if too_large.load(Ordering::Relaxed) {
        return Err(too_large_error(&shown, max_output));
    }
    if !status.success() {
        // setsid(1) says so when the program itself could not be started.
        if let (Some(126 | 127), Some(line)) = (status.code(), first_line(&errors)) {
            if let Some(why) = line
                .strip_prefix("setsid: failed to execute ")
                .or_else(|| line.strip_prefix("setpriv: failed to execute "))
            {
                let why = why.rsplit(": ").next().unwrap_or(why);
                return Err(FetchError::Command(format!("cannot run {shown}: {why}")));
            }
        }
        let how = match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed".into(),
        };
        return Err(FetchError::Command(match first_line(&errors) {
            Some(line) => format!("{shown} {how}: {line}"),
            None => format!("{shown} {how}"),
        }));
    }
    match output {
        Some(Ok(body)) => Ok(body),
        Some(Err(_)) => Err(FetchError::Command(format!(
            "{shown} timed out after {secs} s: what it started kept its output open"
        ))),
        None => Ok(Vec::new()),
    }
}

fn too_large_error(shown: &str, max: u64) -> FetchError {
    FetchError::Command(format!(
        "{shown} wrote more than {} MiB (stopped)",
        (max / (1024 * 1024)).max(1)
    ))
}

/// Reads a pipe to its end on a thread of its own, keeping `cap` bytes; past the cap it
/// sets `over` and stops (or, without one, reads on and drops the rest).
fn reader(
    mut pipe: impl Read + Send + 'static,
    cap: u64,
    over: Option<Arc<AtomicBool>>,
) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let room = (cap as usize).saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..n.min(room)]);
            if n > room {
                if let Some(over) = &over {
                    over.store(true, Ordering::Relaxed);
                    break;
                }
            }
        }
        let _ = tx.send(kept);
    });
    rx
}

/// The first line with something on it, cleaned for the terminal and kept short.
fn first_line(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let clean = crate::sanitize::clean_line(line);
    Some(match clean.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    })
}

/// The name errors give the command: its program, or for `sh -c SCRIPT` (newsboat's
/// exec: and filter: lines) the script's program when it runs one only.
fn shown_name(argv: &[String]) -> String {
    let program = argv.first().map(String::as_str).unwrap_or("");
    let shell = matches!(
        Path::new(program).file_name().and_then(|n| n.to_str()),
        Some("sh" | "bash" | "dash" | "zsh" | "ksh")
    );
    match argv {
        [_, flag, script, ..]
            if shell && flag == "-c" && !script.contains(|c: char| ";|&\n`$(".contains(c)) =>
        {
            let mut words = script.split_whitespace();
            match words.next() {
                // `exec prog ...` runs prog.
                Some("exec") => words.next().unwrap_or(program).to_string(),
                // The shell's own words are no program of their own: the shell failed.
                Some(word) if !SHELL_WORDS.contains(&word) => word.to_string(),
                _ => program.to_string(),
            }
        }
        _ => program.to_string(),
    }
}

/// Builtins and keywords a `sh -c` script may start with.
const SHELL_WORDS: &[&str] = &[
    "exit", "true", "false", ":", "echo", "printf", "test", "[", "cd", "set", "export", "read",
    "eval", "if", "for", "while", "until", "case", "{", "(", "!", "return", "shift", "wait",
    "trap", "umask", "ulimit", "unset", "alias", "command", "type", ".", "source",
];

/// `~` and `~/...` as the home directory (the shell would have done it); not in a word
/// with spaces, which is a script for a shell (`sh -c "~/bin/x arg"`) that expands it
/// itself.
fn expand(word: &str) -> std::ffi::OsString {
    if word == "~" || word.starts_with("~/") && !word.contains(char::is_whitespace) {
        crate::paths::expand_home(Path::new(word)).into_os_string()
    } else {
        word.into()
    }
}

/// The command's process group, which is its session's where it has one of its own.
struct Group(#[cfg_attr(not(unix), allow(dead_code))] u32);

impl Group {
    /// Stops the command and everything it started, and reaps it.
    fn kill(&self, child: &mut std::process::Child) {
        self.kill_rest();
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Stops whatever is left of the group (the command itself may have been reaped: the
    /// group lives on while any of its processes does).
    fn kill_rest(&self) {
        #[cfg(unix)]
        if let Ok(pgid) = i32::try_from(self.0) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pgid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shown_name;

    fn shown(argv: &[&str]) -> String {
        shown_name(&argv.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_failure_names_the_program_that_ran() {
        assert_eq!(shown(&["sh", "-c", "curl -s https://x.example/"]), "curl");
        assert_eq!(shown(&["sh", "-c", "exec curl -s https://x"]), "curl");
        // The shell's own words: the shell is what failed.
        assert_eq!(shown(&["sh", "-c", "exit 1"]), "sh");
        assert_eq!(shown(&["/bin/bash", "-c", "test -f x"]), "/bin/bash");
        assert_eq!(shown(&["sh", "-c", "a | b"]), "sh");
        assert_eq!(shown(&["./scrape.py", "--all"]), "./scrape.py");
    }
}
