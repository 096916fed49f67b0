//! `[[mailbox]]`: where email newsletters come from. A Maildir or an mbox file on this
//! machine, or an IMAP folder (`imaps://user@host/Folder`; plain `imap://` only to this
//! machine, since the password would cross the network readable). The password comes
//! from a command (argv, no shell) or an environment variable, as for `[sync]`.

use super::sync::{is_loopback, Password};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where a mailbox's messages are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailSource {
    Maildir(PathBuf),
    Mbox(PathBuf),
    Imap(ImapAccount),
}

/// An IMAP folder and how to log in to it.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    /// `imaps://`: TLS from the first byte.
    pub tls: bool,
    pub user: String,
    pub folder: String,
    pub password: Password,
}

/// Never the password (see `SyncConfig`'s Debug).
impl std::fmt::Debug for ImapAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapAccount")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

impl ImapAccount {
    /// The password, from wherever the config says; the error never holds it.
    pub fn password(&self) -> Result<String, String> {
        self.password.read("[[mailbox]]")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxConfig {
    /// The mailbox's name: the tag its newsletters carry, and part of their feeds' ids.
    pub name: String,
    pub source: MailSource,
    /// Load the pictures a message links to on the web. Off by default: in mail they are
    /// tracking pixels as often as not.
    pub remote_images: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMailbox {
    name: Spanned<String>,
    maildir: Option<Spanned<String>>,
    mbox: Option<Spanned<String>>,
    imap: Option<Spanned<String>>,
    password_command: Option<Spanned<Vec<String>>>,
    password_env: Option<Spanned<String>>,
    #[serde(default)]
    remote_images: bool,
}

/// `~/x` from the home folder, relative paths from the config's folder.
fn local_path(raw: &str, base_dir: &Path) -> PathBuf {
    let expanded = crate::paths::expand_home(Path::new(raw));
    if expanded.is_absolute() {
        expanded
    } else {
        base_dir.join(expanded)
    }
}

impl RawMailbox {
    pub(super) fn name_at(&self) -> usize {
        self.name.span().start
    }

    pub(super) fn read<E>(
        self,
        base_dir: &Path,
        invalid: &impl Fn(usize, String) -> E,
    ) -> Result<MailboxConfig, E> {
        let at = self.name.span().start;
        let name = crate::sanitize::clean_line(self.name.get_ref());
        if name.trim().is_empty() {
            return Err(invalid(at, "[[mailbox]] name must not be empty".into()));
        }
        let sources: Vec<(&str, Spanned<String>)> = [
            ("maildir", self.maildir),
            ("mbox", self.mbox),
            ("imap", self.imap),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
        let [(kind, value)] = <[_; 1]>::try_from(sources).map_err(|_| {
            invalid(
                at,
                format!("[[mailbox]] {name:?} needs exactly one of maildir, mbox and imap"),
            )
        })?;
        let value_at = value.span().start;
        let raw = value.into_inner();
        let password = Password::from_keys(
            "[[mailbox]]",
            at,
            self.password_command,
            self.password_env,
            None,
            invalid,
        );
        let source = match kind {
            "maildir" => MailSource::Maildir(local_path(raw.trim(), base_dir)),
            "mbox" => MailSource::Mbox(local_path(raw.trim(), base_dir)),
            _ => MailSource::Imap(
                imap_account(raw.trim(), password?)
                    .map_err(|m| invalid(value_at, format!("[[mailbox]] imap: {m}")))?,
            ),
        };
        Ok(MailboxConfig {
            name,
            source,
            remote_images: self.remote_images,
        })
    }
}

/// `imaps://alice@mail.example.org/Newsletters` (port 993, INBOX when no folder).
fn imap_account(raw: &str, password: Password) -> Result<ImapAccount, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
    let tls = match url.scheme() {
        "imaps" => true,
        "imap" if is_loopback(&url) => false,
        "imap" => {
            return Err(
                "plain imap:// would send the password readable over the network; use imaps://"
                    .into(),
            )
        }
        other => return Err(format!("{other}:// is not imaps:// or imap://")),
    };
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("{raw:?} names no server"))?
        .trim_matches(['[', ']'])
        .to_string();
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let user = decode(url.username());
    if user.is_empty() {
        return Err(format!("{raw:?} names no user (imaps://USER@HOST/FOLDER)"));
    }
    let folder = decode(url.path().trim_start_matches('/'));
    Ok(ImapAccount {
        host,
        port: url.port().unwrap_or(if tls { 993 } else { 143 }),
        tls,
        user,
        folder: if folder.is_empty() {
            "INBOX".into()
        } else {
            folder
        },
        password,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, MailSource};
    use std::path::Path;

    fn parse(body: &str) -> Result<Config, String> {
        let text = format!("[general]\nrefresh_on_startup = false\n\n[[mailbox]]\n{body}");
        Config::parse(&text, Path::new("/home/a/.config/bulletin/config.toml"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn mailboxes_are_read_and_checked_with_their_line() {
        let c = parse("name = \"News\"\nmaildir = \"mail/news\"\n").unwrap();
        assert_eq!(c.mailboxes[0].name, "News");
        assert_eq!(
            c.mailboxes[0].source,
            MailSource::Maildir("/home/a/.config/bulletin/mail/news".into())
        );
        assert!(!c.mailboxes[0].remote_images);
        let c = parse(
            "name = \"Work\"\nimap = \"imaps://alice%40corp@mail.example.org/Lists/News\"\npassword_env = \"MAILPW\"\nremote_images = true\n",
        )
        .unwrap();
        let MailSource::Imap(a) = &c.mailboxes[0].source else {
            panic!("not imap: {:?}", c.mailboxes[0].source)
        };
        assert_eq!(
            (
                a.host.as_str(),
                a.port,
                a.tls,
                a.user.as_str(),
                a.folder.as_str()
            ),
            ("mail.example.org", 993, true, "alice@corp", "Lists/News")
        );
        assert!(format!("{a:?}").find("MAILPW").is_none());
        for (body, says) in [
            ("name = \"x\"\n", "exactly one of maildir"),
            (
                "name = \"x\"\nmaildir = \"a\"\nmbox = \"b\"\n",
                "exactly one",
            ),
            (
                "name = \"x\"\nimap = \"imap://bob@mail.example.org/\"\npassword_env = \"P\"\n",
                "plain imap://",
            ),
            (
                "name = \"x\"\nimap = \"imaps://mail.example.org/\"\npassword_env = \"P\"\n",
                "names no user",
            ),
            (
                "name = \"x\"\nimap = \"imaps://bob@mail.example.org/\"\n",
                "password_command",
            ),
            ("name = \"\"\nmaildir = \"a\"\n", "name must not be empty"),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.contains(says), "{body:?}: {e}");
            // The table's line, or the value's.
            assert!(
                e.contains("config.toml:5:") || e.contains("config.toml:6:"),
                "{e}"
            );
        }
        let e = parse("name = \"x\"\nmaildir = \"a\"\n\n[[mailbox]]\nname = \"x\"\nmbox = \"b\"\n")
            .unwrap_err();
        assert!(e.contains("duplicate mailbox name"), "{e}");
        // Plain imap:// is for this machine only.
        assert!(parse(
            "name = \"x\"\nimap = \"imap://bob@127.0.0.1:1143/INBOX\"\npassword_env = \"P\"\n"
        )
        .is_ok());
    }
}
