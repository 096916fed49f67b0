//! Opening links: the configured browser runs with the URL as one argv element, never
//! through a shell, and only for http, https and mailto.

use std::process::{Command, ExitStatus, Stdio};

/// Browsers that draw in the terminal they are started from, by program name.
const TERMINAL_BROWSERS: &[&str] = &[
    "w3m",
    "lynx",
    "links",
    "links2",
    "elinks",
    "browsh",
    "carbonyl",
    "cha",
    "chawan",
    "www-browser",
    "amfora",
    "bombadillo",
    "offpunk",
];

/// Whether `argv` runs a terminal browser (w3m, lynx, ...), which needs the terminal and
/// is waited for; anything else is taken to open a window. Looks at every word, so that
/// `sh -c "w3m %u"` counts too.
pub fn is_terminal_browser(argv: &[String]) -> bool {
    argv.iter()
        .flat_map(|arg| arg.split_whitespace())
        .filter_map(|word| std::path::Path::new(word).file_name()?.to_str())
        .any(|name| TERMINAL_BROWSERS.contains(&name))
}

/// Checks that a URL is one we agree to hand to a browser.
pub fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "gemini" | "mailto") => Ok(()),
        Ok(u) => Err(format!(
            "Refusing to open a {}: link (only http, https, gemini and mailto)",
            u.scheme()
        )),
        Err(_) => Err("Refusing to open a link that is not a valid URL".into()),
    }
}

/// Shells a `browser` or `enclosure_command` may be written as (`["sh", "-c", "..."]`),
/// which take the script's arguments as `$1`, `$2`...
const SHELLS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "busybox",
];

/// Shells whose scripts read their arguments otherwise, or that bulletin does not know
/// how to hand an argument to: refused as a browser with `-c`, with a line saying how.
const OTHER_SHELLS: &[&str] = &["csh", "tcsh", "nu", "elvish", "xonsh", "pwsh", "powershell"];

/// The command for `argv` with `%u` replaced by the URL (appended when there is no `%u`).
/// The URL is always one argument of its own. For a shell (`sh -c "firefox %u"`, also
/// `bash -lc`), it is never put into the script, where `$(...)` or `;` in a feed's link
/// would run: the script reads it as `"$1"` (fish: `$argv[1]`), and the URL comes after
/// as the script's first argument. Err: a shell this cannot be done for.
pub fn command(argv: &[String], url: &str) -> Result<Command, String> {
    let (program, args) = argv.split_first().ok_or("No browser configured")?;
    let mut cmd = Command::new(program);
    let shell = std::path::Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    // `-c`, or `-c` among other one-letter options (`-lc`, `-ec`).
    let script_flag = args
        .iter()
        .position(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains('c'));
    if let Some(c) = script_flag {
        let fish = shell == "fish";
        if OTHER_SHELLS.contains(&shell) {
            return Err(format!(
                "{shell} -c cannot be given a link safely: write the browser as [\"sh\", \"-c\", \"... \\\"$1\\\"\"]"
            ));
        }
        if SHELLS.contains(&shell) || fish {
            let script = args.get(c + 1).cloned().unwrap_or_default();
            let after = args.get(c + 2..).unwrap_or_default();
            cmd.args(&args[..=c]);
            // The POSIX form names the script's arguments itself (`sh -c '... "$1"' sh
            // %u`): they are passed as written, %u the URL, each one argument.
            if !after.is_empty() {
                cmd.arg(script);
                cmd.args(after.iter().map(|a| a.replace("%u", url)));
                // Without %u among them the URL comes last, as for any command.
                if !after.iter().any(|a| a.contains("%u")) {
                    cmd.arg(url);
                }
                return Ok(cmd);
            }
            cmd.arg(shell_script(
                &script,
                if fish { "$argv[1]" } else { "\"$1\"" },
            ));
            // For sh and its kin, $0 names the script in messages and $1 is the URL;
            // fish's arguments after the script are $argv. %u is the only argument.
            if !fish {
                cmd.arg("bulletin");
            }
            cmd.arg(url);
            return Ok(cmd);
        }
    }
    let mut placed = false;
    for arg in args {
        if arg.contains("%u") {
            placed = true;
            cmd.arg(arg.replace("%u", url));
        } else {
            cmd.arg(arg);
        }
    }
    if !placed {
        cmd.arg(url);
    }
    Ok(cmd)
}

/// A `-c` script with `%u` (quoted or not) made `arg`; a script that reads its first
/// argument itself (`"$1"`, `$@`; fish: `$argv`) is left as it is; otherwise `arg` is
/// appended as the last word, as the URL is for any other command.
fn shell_script(script: &str, arg: &str) -> String {
    // `$1` but not `$10`; `${1}`, `"$@"`, `$*`; fish's `$argv`.
    let first = script
        .match_indices("$1")
        .any(|(at, _)| !script[at + 2..].starts_with(|c: char| c.is_ascii_digit()));
    let reads_it = first
        || ["${1}", "$@", "$*", "$argv"]
            .iter()
            .any(|a| script.contains(a));
    if !script.contains("%u") {
        if reads_it {
            return script.to_string();
        }
        return format!("{script} {arg}");
    }
    script
        .replace("\"%u\"", "%u")
        .replace("'%u'", "%u")
        .replace("%u", arg)
}

/// Runs the browser and waits for it, with the terminal handed over to it.
pub fn run(argv: &[String], url: &str) -> Result<ExitStatus, String> {
    check_url(url)?;
    let mut cmd = command(argv, url)?;
    cmd.status().map_err(|e| cannot_run(argv, &e))
}

/// Starts a browser that opens a window, detached from the terminal: it must not read
/// our keys or draw on our screen. The caller waits for it off the UI thread.
pub fn spawn(argv: &[String], url: &str) -> Result<std::process::Child, String> {
    check_url(url)?;
    let mut cmd = command(argv, url)?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| cannot_run(argv, &e))
}

fn cannot_run(argv: &[String], e: &std::io::Error) -> String {
    format!(
        "Cannot run the browser {:?}: {e}",
        argv.first().cloned().unwrap_or_default()
    )
}

/// The status line after the browser exited.
pub fn outcome(url: &str, result: Result<ExitStatus, String>) -> String {
    match result {
        Ok(status) if status.success() => format!("Opened {url}"),
        Ok(status) => format!("The browser exited with {status}"),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links() {
        assert!(check_url("https://example.org/").is_ok());
        assert!(check_url("mailto:a@example.org").is_ok());
        assert!(check_url("file:///etc/passwd").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn terminal_browsers_are_known_by_name() {
        let argv = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_terminal_browser(&argv(&["w3m", "%u"])));
        assert!(is_terminal_browser(&argv(&["/usr/bin/lynx"])));
        assert!(is_terminal_browser(&argv(&["sh", "-c", "elinks %u"])));
        assert!(!is_terminal_browser(&argv(&["xdg-open"])));
        assert!(!is_terminal_browser(&argv(&["firefox", "--new-tab", "%u"])));
    }

    #[test]
    fn url_is_one_argument() {
        let argv = vec!["w3m".to_string(), "-o".into(), "x".into(), "%u".into()];
        let cmd = command(&argv, "https://e.org/$(touch x) a;b").unwrap();
        let args: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args, vec!["-o", "x", "https://e.org/$(touch x) a;b"]);
        let cmd = command(&["xdg-open".to_string()], "https://e.org/").unwrap();
        assert_eq!(cmd.get_args().count(), 1);
    }

    /// Issue 26, item 10: `["sh", "-c", "firefox %u"]` put the feed's URL into the
    /// script, where `$(...)` ran.
    #[cfg(unix)]
    #[test]
    fn a_shell_browser_gets_the_url_as_an_argument_never_in_its_script() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let pwned = dir.path().join("pwned");
        let url = format!("https://e.org/$(touch {})'\";x", pwned.display());
        let o = out.display();
        let mut cases = vec![
            ("sh", "-c", format!("printf %s %u > {o}")),
            ("sh", "-c", format!("printf %s \"%u\" > {o}")),
            ("sh", "-c", format!("printf %s '%u' > {o}")),
            ("sh", "-c", format!("printf %s > {o}")),
            ("sh", "-ec", format!("printf %s %u > {o}")),
        ];
        if std::path::Path::new("/bin/bash").exists() {
            cases.push(("bash", "-lc", format!("printf %s %u > {o}")));
        }
        for (shell, flag, script) in cases {
            let _ = std::fs::remove_file(&out);
            let argv = vec![shell.to_string(), flag.into(), script.clone()];
            let status = command(&argv, &url).unwrap().status().unwrap();
            assert!(status.success(), "{script}");
            assert!(!pwned.exists(), "the URL ran in the shell: {script}");
            assert_eq!(std::fs::read_to_string(&out).unwrap(), url, "{script}");
        }
        // A script that reads "$1" itself gets the URL once, not again at its end; the
        // POSIX form with the script's own arguments gets them as written, %u the URL.
        let forms: Vec<Vec<String>> = vec![
            vec!["sh".into(), "-c".into(), format!("printf %s \"$1\" > {o}")],
            vec!["sh".into(), "-c".into(), format!("printf %s \"$@\" > {o}")],
            vec![
                "sh".into(),
                "-c".into(),
                format!("printf %s \"$1\" > {o}"),
                "sh".into(),
                "%u".into(),
            ],
            // Its own arguments but no %u: the URL comes after them.
            vec![
                "sh".into(),
                "-c".into(),
                format!("printf %s \"$1\" > {o}"),
                "sh".into(),
            ],
        ];
        for argv in forms {
            let _ = std::fs::remove_file(&out);
            let status = command(&argv, &url).unwrap().status().unwrap();
            assert!(status.success(), "{argv:?}");
            assert!(!pwned.exists(), "the URL ran in the shell: {argv:?}");
            assert_eq!(std::fs::read_to_string(&out).unwrap(), url, "{argv:?}");
        }
        // A shell whose scripts take arguments otherwise is refused, in one line.
        let csh = vec!["tcsh".to_string(), "-c".into(), "firefox %u".into()];
        let err = command(&csh, &url).unwrap_err();
        assert!(err.contains("sh") && !err.contains('\n'), "{err}");
    }
}
