//! Passwords from a `password_command`: run once a session (the TUI asks once, not at
//! every push), asked again only after the server refused it, and never waited on for
//! ever: a command that does not answer in `TIMEOUT` is killed and the error is one
//! line naming it. The password lives only in this process's memory.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a password command may take (a pinentry waiting for a person gets this;
/// a command that waits for nothing that will come is stopped well within a minute).
pub const TIMEOUT: Duration = Duration::from_secs(30);

static CACHE: Mutex<Option<HashMap<Vec<String>, String>>> = Mutex::new(None);

/// Set while the TUI has the terminal: a command run then has none (a session of its
/// own), so what it writes to `/dev/tty` cannot draw over the screen.
static DETACHED: AtomicBool = AtomicBool::new(false);

/// From now on, password commands run without the terminal (the TUI took it). A
/// pinentry that needs the terminal then fails with a line saying so, where it drew
/// over the TUI; a graphical one, or an agent that has the passphrase, is not touched.
pub fn detach_password_commands() {
    DETACHED.store(true, Ordering::Relaxed);
}

/// Runs a password command (argv, no shell) and returns the first line it prints, or
/// what it printed before in this session. The error names the command, never its
/// output.
pub fn run_password_command(argv: &[String]) -> Result<String, String> {
    run_with_timeout(argv, TIMEOUT)
}

/// The same, with a given time limit.
pub fn run_with_timeout(argv: &[String], timeout: Duration) -> Result<String, String> {
    if let Some(known) = CACHE
        .lock()
        .ok()
        .and_then(|c| c.as_ref().and_then(|c| c.get(argv).cloned()))
    {
        return Ok(known);
    }
    let password = run(argv, timeout)?;
    if let Ok(mut cache) = CACHE.lock() {
        cache
            .get_or_insert_with(HashMap::new)
            .insert(argv.to_vec(), password.clone());
    }
    Ok(password)
}

/// The server refused the password: the next use asks the command again.
pub fn forget_password(argv: &[String]) {
    if let Ok(mut cache) = CACHE.lock() {
        if let Some(cache) = cache.as_mut() {
            cache.remove(argv);
        }
    }
}

fn run(argv: &[String], timeout: Duration) -> Result<String, String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("password_command is empty".into());
    };
    let mut command = match DETACHED.load(Ordering::Relaxed) {
        // (Looked for first: through setsid(1) a missing program is only its failure.)
        true => match crate::process::find_program(program.as_ref(), None) {
            Some(found) => crate::process::detached(found),
            None => {
                return Err(format!(
                    "password_command {program:?} cannot run: no such program"
                ))
            }
        },
        false => std::process::Command::new(program),
    };
    let mut child = command
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("password_command {program:?} cannot run: {e}"))?;
    // Read on a thread of its own: a command that leaves a child holding the pipe open
    // must not hold this one too.
    let mut stdout = child.stdout.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        let _ = tx.send(out);
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "password_command {program:?} did not answer in {} s; it was stopped",
                    timeout.as_secs()
                ));
            }
            Err(e) => return Err(format!("password_command {program:?}: {e}")),
        }
    };
    if !status.success() {
        return Err(format!("password_command {program:?} failed ({status})"));
    }
    let left = timeout
        .saturating_sub(start.elapsed())
        .max(Duration::from_secs(1));
    let out = rx.recv_timeout(left).map_err(|_| {
        format!(
            "password_command {program:?} ended but its output stayed open (a child left running?)"
        )
    })?;
    let text = String::from_utf8_lossy(&out);
    Ok(text.lines().next().unwrap_or("").to_string())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn argv(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn a_command_that_hangs_is_stopped_in_one_line() {
        let err = run_with_timeout(&argv("exec sleep 30"), Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("did not answer"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn the_password_is_asked_once_and_again_after_a_refusal() {
        let dir = tempfile::tempdir().unwrap();
        let count = dir.path().join("count");
        let script = format!("echo x >> '{}'; echo secret", count.display());
        let cmd = argv(&script);
        for _ in 0..3 {
            assert_eq!(run_password_command(&cmd).unwrap(), "secret");
        }
        let runs = || std::fs::read_to_string(&count).unwrap().lines().count();
        assert_eq!(runs(), 1);
        forget_password(&cmd);
        run_password_command(&cmd).unwrap();
        assert_eq!(runs(), 2);
    }

    /// With the TUI on the terminal, the command runs in a session of its own (so it
    /// has no terminal to write to): its session id is its own pid.
    #[cfg(target_os = "linux")]
    #[test]
    fn with_the_tui_on_the_terminal_a_command_has_none() {
        let script = "read -r stat < /proc/$$/stat; set -- $stat; \
                      if [ \"$6\" = \"$$\" ]; then echo own-session; else echo shared; fi";
        detach_password_commands();
        assert_eq!(
            run_with_timeout(&argv(script), Duration::from_secs(10)).unwrap(),
            "own-session"
        );
    }
}
