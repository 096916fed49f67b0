//! The user's own commands: `|` pipes the article to a line run by the shell (the
//! article on its standard input, never in the command line) and keeps what it prints
//! for an overlay; `Ctrl-e` opens the config in the user's editor.

use super::msg::Msg;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::Sender;

/// The most of a command's output kept for the overlay.
const OUTPUT_MAX: usize = 1 << 20;

/// The shell that runs a typed command line: the line is the user's own, so the shell's
/// quoting, pipes and variables are what they expect.
fn shell(line: &str) -> Command {
    #[cfg(windows)]
    {
        let mut c = Command::new("cmd");
        c.arg("/C").arg(line);
        c
    }
    #[cfg(not(windows))]
    {
        let mut c = Command::new("sh");
        c.arg("-c").arg(line);
        c
    }
}

/// Runs `line` with `text` on its standard input on a thread of its own (the UI never
/// waits for it); its output and exit status come back as `Msg::Piped`.
pub fn pipe(line: String, text: String, events: Sender<Msg>) {
    let _ = std::thread::Builder::new()
        .name("pipe".into())
        .spawn(move || {
            let (status, output) = run(&line, &text);
            let _ = events.send(Msg::Piped {
                command: line,
                status,
                output,
            });
        });
}

/// Runs the line and waits: ("exit status 0", what it printed on stdout then stderr).
pub fn run(line: &str, text: &str) -> (String, String) {
    let child = shell(line)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return (format!("cannot run the shell: {e}"), String::new()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread of its own: a command that reads nothing must not block the write
        // and the reads both; one that stops reading early (head) is no error.
        let text = text.to_string();
        std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
    }
    let err = child.stderr.take().map(|e| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = e.take(OUTPUT_MAX as u64).read_to_end(&mut buf);
            buf
        })
    });
    let mut out = Vec::new();
    if let Some(o) = child.stdout.take() {
        let mut o = o.take(OUTPUT_MAX as u64);
        let _ = o.read_to_end(&mut out);
        // Past the cap the rest is read and dropped, so the command is not blocked.
        let _ = std::io::copy(&mut o.into_inner(), &mut std::io::sink());
    }
    let err = err.and_then(|t| t.join().ok()).unwrap_or_default();
    let status = match child.wait() {
        Ok(s) => match s.code() {
            Some(code) => format!("exit status {code}"),
            None => format!("{s}"),
        },
        Err(e) => e.to_string(),
    };
    let mut output = String::from_utf8_lossy(&out).into_owned();
    if !err.is_empty() {
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
        output.push_str(&String::from_utf8_lossy(&err));
    }
    (status, output)
}

/// The editor to open a file with: `$VISUAL`, `$EDITOR`, else `vi` (`notepad` on
/// Windows), as argv (no shell: `code -w` is two words).
pub fn editor() -> Vec<String> {
    for var in ["VISUAL", "EDITOR"] {
        if let Ok(v) = std::env::var(var) {
            let argv = crate::keys::split_command(&v);
            if !argv.is_empty() {
                return argv;
            }
        }
    }
    vec![if cfg!(windows) { "notepad" } else { "vi" }.to_string()]
}

/// Runs the editor on `path` and waits (the caller has handed it the terminal).
pub fn edit(path: &std::path::Path) -> Result<(), String> {
    let argv = editor();
    let status = Command::new(&argv[0])
        .args(&argv[1..])
        .arg(path)
        .status()
        .map_err(|e| format!("cannot run the editor {:?}: {e}", argv[0]))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor {:?} exited with {status}", argv[0]))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(unix)]
    fn the_line_is_the_shells_and_the_article_its_input() {
        let (status, out) = super::run("tr a-z A-Z | head -1; echo oops >&2; exit 3", "one\ntwo\n");
        assert_eq!(status, "exit status 3");
        assert_eq!(out, "ONE\noops\n");
        // The article is never in the command line: `$(...)` in it stays text.
        let (status, out) = super::run("cat", "$(echo hi) `id`");
        assert_eq!(
            (status.as_str(), out.as_str()),
            ("exit status 0", "$(echo hi) `id`")
        );
    }
}
