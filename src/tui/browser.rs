//! Opening links: the configured browser runs with the URL as one argv element, never
//! through a shell, and only for http, https and mailto.

use std::process::{Command, ExitStatus};

/// Checks that a URL is one we agree to hand to a browser.
pub fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => Ok(()),
        Ok(u) => Err(format!(
            "Refusing to open a {}: link (only http, https and mailto)",
            u.scheme()
        )),
        Err(_) => Err("Refusing to open a link that is not a valid URL".into()),
    }
}

/// The command for `argv` with `%u` replaced by the URL (appended when there is no `%u`).
pub fn command(argv: &[String], url: &str) -> Option<Command> {
    let (program, args) = argv.split_first()?;
    let mut cmd = Command::new(program);
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
    Some(cmd)
}

/// Runs the browser and waits for it, with the terminal handed over to it.
pub fn run(argv: &[String], url: &str) -> Result<ExitStatus, String> {
    check_url(url)?;
    let mut cmd = command(argv, url).ok_or("No browser configured")?;
    cmd.status().map_err(|e| {
        format!(
            "Cannot run the browser {:?}: {e}",
            argv.first().cloned().unwrap_or_default()
        )
    })
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
}
