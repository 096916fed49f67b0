//! An IMAP folder, as a mailbox of newsletters: log in (TLS by rustls, as for HTTP; plain
//! only to this machine, which the config checks), select the folder, and read it by
//! UID: the messages from the last UIDNEXT on, the `\Seen` and `\Flagged` flags (only those
//! changed since the last MODSEQ where the server has CONDSTORE), and both set or cleared
//! for the marks made here. The protocol is the `imap` crate's; messages are read with
//! `BODY.PEEK[]`, which leaves their flags alone.

use super::MailError;
use crate::config::ImapAccount;
use crate::store::{MailFlag, MailFlags};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// Messages fetched per command: enough to keep the connection busy, few enough that a
/// failure costs little.
const BATCH: usize = 200;
const TIMEOUT: Duration = Duration::from_secs(60);

enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// A selected folder.
pub struct Folder {
    /// host:port, for errors.
    server: String,
    session: imap::Session<Stream>,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub exists: u32,
    /// The folder's HIGHESTMODSEQ, when the server has CONDSTORE.
    pub modseq: Option<u64>,
    /// SELECT said `[READ-ONLY]`: no flag can be stored.
    pub read_only: bool,
}

/// Why flags were not stored: the server said no (kept here only), or the connection
/// failed (tried again at the next read).
#[derive(Debug)]
pub enum FlagError {
    Refused(String),
    Failed(MailError),
}

/// A message as fetched: its UID, its flags, its bytes.
pub struct Fetched {
    pub uid: u32,
    pub flags: MailFlags,
    pub raw: Vec<u8>,
}

fn flags_of(flags: &[imap::types::Flag<'_>]) -> MailFlags {
    MailFlags {
        seen: flags.contains(&imap::types::Flag::Seen),
        flagged: flags.contains(&imap::types::Flag::Flagged),
    }
}

/// Whether a NO to a STORE is for good (the folder is read-only, or flags may not be
/// written here) rather than for now.
fn permanent(no: &imap::error::No) -> bool {
    // The code's type is the protocol crate's, not re-exported: its name says enough.
    if no
        .code
        .as_ref()
        .is_some_and(|c| format!("{c:?}") == "ReadOnly")
    {
        return true;
    }
    let text = no.information.to_ascii_uppercase();
    [
        "READ-ONLY",
        "READONLY",
        "NOPERM",
        "PERMISSION",
        "NOT ALLOWED",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// UIDs as an IMAP set: "1,3,7".
fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A folder's name as IMAP writes it: modified UTF-7 (RFC 3501, 5.1.3). Printable ASCII
/// stays, `&` is `&-`, and any other run is `&`, its UTF-16 in base64 with `,` for `/`
/// and no padding, and `-`.
pub fn mailbox_name(folder: &str) -> String {
    use base64::Engine;
    let mut out = String::with_capacity(folder.len());
    let mut run: Vec<u16> = Vec::new();
    let flush = |run: &mut Vec<u16>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
        let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
        out.push('&');
        out.push_str(&encoded.replace('/', ","));
        out.push('-');
        run.clear();
    };
    for c in folder.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut run, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            run.extend(c.encode_utf16(&mut [0; 2]).iter());
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Connects, logs in and selects the account's folder. Errors are one line naming the
/// server, never the password.
pub fn open(account: &ImapAccount) -> Result<Folder, MailError> {
    let server = format!("{}:{}", account.host, account.port);
    let password = account.password().map_err(MailError::Password)?;
    let addrs: Vec<_> = (account.host.as_str(), account.port)
        .to_socket_addrs()
        .map_err(|e| MailError::server(&server, e))?
        .collect();
    let mut last_error = None;
    let tcp = addrs
        .iter()
        .find_map(|a| {
            TcpStream::connect_timeout(a, Duration::from_secs(15))
                .map_err(|e| last_error = Some(e))
                .ok()
        })
        .ok_or_else(|| match last_error {
            Some(e) => MailError::server(&server, format!("cannot connect: {e}")),
            None => MailError::server(&server, "no address"),
        })?;
    let _ = tcp.set_read_timeout(Some(TIMEOUT));
    let _ = tcp.set_write_timeout(Some(TIMEOUT));
    let stream = if account.tls {
        let config = crate::fetch::tls_config().map_err(|e| MailError::server(&server, e))?;
        let name = rustls::pki_types::ServerName::try_from(account.host.clone())
            .map_err(|e| MailError::server(&server, e))?;
        let conn = rustls::ClientConnection::new(Arc::new(config), name)
            .map_err(|e| MailError::server(&server, format!("TLS: {e}")))?;
        Stream::Tls(Box::new(rustls::StreamOwned::new(conn, tcp)))
    } else {
        Stream::Plain(tcp)
    };
    let failed = |e: imap::Error| MailError::server(&server, e);
    let mut client = imap::Client::new(stream);
    client.read_greeting().map_err(failed)?;
    let mut session = client.login(&account.user, &password).map_err(|(e, _)| {
        account.password.forget();
        MailError::server(&server, format!("login as {} refused: {e}", account.user))
    })?;
    drop(password);
    let condstore = session
        .capabilities()
        .map(|c| c.has_str("CONDSTORE"))
        .unwrap_or(false);
    // ENABLE CONDSTORE makes SELECT report HIGHESTMODSEQ and FETCH take CHANGEDSINCE.
    let condstore = condstore && session.run_command_and_check_ok("ENABLE CONDSTORE").is_ok();
    let mailbox = session
        .select(mailbox_name(&account.folder))
        .map_err(|e| MailError::server(&server, format!("folder {:?}: {e}", account.folder)))?;
    Ok(Folder {
        server,
        session,
        uidvalidity: mailbox.uid_validity.unwrap_or(0),
        uidnext: mailbox.uid_next.unwrap_or(0),
        exists: mailbox.exists,
        modseq: mailbox.highest_mod_seq.filter(|_| condstore),
        read_only: mailbox.is_read_only,
    })
}

impl Folder {
    fn failed(&self, e: imap::Error) -> MailError {
        MailError::server(&self.server, e)
    }

    /// Sets (or clears) `\Seen` or `\Flagged` on these messages.
    pub fn set_flag(&mut self, uids: &[u32], flag: MailFlag, on: bool) -> Result<(), FlagError> {
        if self.read_only {
            return Err(FlagError::Refused("the folder is read-only".into()));
        }
        let name = match flag {
            MailFlag::Seen => "\\Seen",
            MailFlag::Flagged => "\\Flagged",
        };
        let query = format!("{}FLAGS.SILENT ({name})", if on { '+' } else { '-' });
        for chunk in uids.chunks(BATCH) {
            self.session
                .uid_store(uid_set(chunk), &query)
                .map_err(|e| match &e {
                    // Refused for good: the folder is read-only, or we may not write
                    // flags, or the server cannot parse the command. A NO for a passing
                    // cause ([INUSE], [UNAVAILABLE], a limit) keeps the marks queued.
                    imap::Error::No(no) if permanent(no) => {
                        FlagError::Refused(crate::sanitize::clean_line(&e.to_string()))
                    }
                    imap::Error::Bad(_) => {
                        FlagError::Refused(crate::sanitize::clean_line(&e.to_string()))
                    }
                    _ => FlagError::Failed(MailError::server(&self.server, &e)),
                })?;
        }
        Ok(())
    }

    /// The messages with a UID from `from` on that are not in `known`, handed to `each`
    /// a batch at a time (the whole lot may not fit in memory). Returns how many.
    pub fn new_messages(
        &mut self,
        from: u32,
        known: &HashSet<u32>,
        mut each: impl FnMut(Vec<Fetched>) -> Result<(), MailError>,
    ) -> Result<usize, MailError> {
        if self.exists == 0 {
            return Ok(0);
        }
        // "N:*" names the last message even when its UID is below N: filter.
        let listed = self
            .session
            .uid_fetch(format!("{}:*", from.max(1)), "(UID FLAGS RFC822.SIZE)")
            .map_err(|e| self.failed(e))?;
        let mut whole = Vec::new();
        let mut headers = Vec::new();
        for f in listed.iter() {
            let Some(uid) = f.uid.filter(|u| *u >= from && !known.contains(u)) else {
                continue;
            };
            // Over the cap: its header only (as a file over it keeps its start).
            if u64::from(f.size.unwrap_or(0)) > crate::mail::MAX_MESSAGE_BYTES {
                headers.push(uid);
            } else {
                whole.push(uid);
            }
        }
        let count = whole.len() + headers.len();
        for (uids, query) in [
            (&whole, "(UID FLAGS BODY.PEEK[])"),
            (&headers, "(UID FLAGS BODY.PEEK[HEADER])"),
        ] {
            for chunk in uids.chunks(BATCH) {
                let fetched = self
                    .session
                    .uid_fetch(uid_set(chunk), query)
                    .map_err(|e| self.failed(e))?;
                let mut batch: Vec<Fetched> = fetched
                    .iter()
                    .filter_map(|f| {
                        Some(Fetched {
                            uid: f.uid?,
                            flags: flags_of(f.flags()),
                            raw: f.body().or_else(|| f.header()).unwrap_or_default().to_vec(),
                        })
                    })
                    .collect();
                batch.sort_by_key(|f| f.uid);
                each(batch)?;
            }
        }
        Ok(count)
    }

    /// The whole message of `uid` (None when the folder no longer has it).
    pub fn message(&mut self, uid: u32) -> Result<Option<Vec<u8>>, MailError> {
        let fetched = self
            .session
            .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
            .map_err(|e| self.failed(e))?;
        Ok(fetched
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.body())
            .map(<[u8]>::to_vec))
    }

    /// The flags of the folder's messages: with `since` (a MODSEQ, on a CONDSTORE
    /// server), only those changed after it.
    pub fn flags(&mut self, since: Option<u64>) -> Result<Vec<(u32, MailFlags)>, MailError> {
        if self.exists == 0 {
            return Ok(Vec::new());
        }
        let query = match since.filter(|_| self.modseq.is_some()) {
            Some(m) => format!("(UID FLAGS) (CHANGEDSINCE {m})"),
            None => "(UID FLAGS)".to_string(),
        };
        let fetched = self
            .session
            .uid_fetch("1:*", query)
            .map_err(|e| self.failed(e))?;
        Ok(fetched
            .iter()
            .filter_map(|f| Some((f.uid?, flags_of(f.flags()))))
            .collect())
    }

    /// Every UID in the folder (to find what was deleted there).
    pub fn uids(&mut self) -> Result<HashSet<u32>, MailError> {
        self.session.uid_search("ALL").map_err(|e| self.failed(e))
    }

    pub fn close(mut self) {
        let _ = self.session.logout();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn folder_names_are_modified_utf7() {
        // RFC 3501's own example.
        assert_eq!(
            super::mailbox_name("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(super::mailbox_name("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(super::mailbox_name("News & Letters"), "News &- Letters");
        assert_eq!(super::mailbox_name("INBOX"), "INBOX");
    }
}
