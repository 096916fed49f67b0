//! A real Dovecot IMAP server (Debian's dovecot-imapd, installed by .ci/run) for the
//! tests: started in the foreground on a free loopback port, with its config, state,
//! sockets, log and mail all under the test's own folder, plain-text login for one user
//! (alice / secret), and Maildir storage owned by the `dovecot` user. `doveadm`, with the
//! same config, delivers messages and reads and sets flags as another mail client would.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "alice";
pub const PASSWORD: &str = "secret";

pub struct Dovecot {
    dir: PathBuf,
    pub port: u16,
    child: Option<Child>,
}

fn program(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!("{name} is not installed: .ci/run installs dovecot-imapd (Debian)");
}

impl Dovecot {
    /// Writes the config under `dir` and starts the server; returns once it answers.
    pub fn start(dir: &Path) -> Dovecot {
        let dir = dir.join("dovecot");
        std::fs::create_dir_all(dir.join("mail")).unwrap();
        // The server's processes run as `dovecot` and `dovenull`: they must get to it
        // (the test's own folder and this one; above it is the temporary folder).
        for d in [dir.as_path(), dir.parent().unwrap()] {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let chown = Command::new("chown")
            .args(["dovecot:dovecot"])
            .arg(dir.join("mail"))
            .status()
            .unwrap();
        assert!(
            chown.success(),
            "chown dovecot (the test runs as root, as CI does)"
        );
        let port = super::free_port();
        let d = dir.display();
        std::fs::write(dir.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        std::fs::write(
            dir.join("dovecot.conf"),
            format!(
                "protocols = imap\n\
                 listen = 127.0.0.1\n\
                 base_dir = {d}/run\n\
                 state_dir = {d}/state\n\
                 log_path = {d}/dovecot.log\n\
                 ssl = no\n\
                 disable_plaintext_auth = no\n\
                 auth_mechanisms = plain login\n\
                 default_login_user = dovenull\n\
                 default_internal_user = dovecot\n\
                 first_valid_uid = 1\n\
                 mail_location = maildir:{d}/mail/%u/Maildir\n\
                 passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/users\n}}\n\
                 userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={d}/mail/%u\n}}\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
                 service anvil {{\n  chroot =\n}}\n"
            ),
        )
        .unwrap();
        let mut server = Dovecot {
            dir,
            port,
            child: None,
        };
        server.resume();
        server
    }

    fn config(&self) -> PathBuf {
        self.dir.join("dovecot.conf")
    }

    /// Starts the server (again, after `stop`).
    pub fn resume(&mut self) {
        let closed = "http://127.0.0.1:9";
        let child = Command::new(program("dovecot"))
            .arg("-F")
            .arg("-c")
            .arg(self.config())
            // Nothing here reaches out, and nothing could.
            .env("http_proxy", closed)
            .env("https_proxy", closed)
            .env("all_proxy", closed)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dovecot");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "dovecot did not listen: {}",
                std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (SIGTERM to the master, which ends its processes) and waits
    /// until its port is closed.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs doveadm on this server's config; returns stdout, fails the test on failure.
    pub fn doveadm(&self, args: &[&str], input: Option<&[u8]>) -> String {
        let mut cmd = Command::new(program("doveadm"));
        cmd.arg("-c").arg(self.config()).args(args);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("doveadm");
        if let Some(bytes) = input {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bytes).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "doveadm {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn create_folder(&self, folder: &str) {
        self.doveadm(&["mailbox", "create", "-u", USER, folder], None);
    }

    /// Delivers a message into the folder, as a mail client saving it would.
    pub fn save(&self, folder: &str, raw: &[u8]) {
        self.doveadm(&["save", "-u", USER, "-m", folder], Some(raw));
    }

    /// Each message's UID, its flags, and its subject, in UID order.
    pub fn messages(&self, folder: &str) -> Vec<(u32, Vec<String>, String)> {
        let text = self.doveadm(
            &[
                "fetch",
                "-u",
                USER,
                "uid flags hdr.subject",
                "mailbox",
                folder,
                "all",
            ],
            None,
        );
        let mut out = Vec::new();
        let mut current: Option<(u32, Vec<String>, String)> = None;
        for line in text.lines() {
            if let Some(uid) = line.strip_prefix("uid: ") {
                if let Some(done) = current.take() {
                    out.push(done);
                }
                current = Some((uid.trim().parse().unwrap(), Vec::new(), String::new()));
            } else if let Some(flags) = line.strip_prefix("flags: ") {
                if let Some(c) = current.as_mut() {
                    c.1 = flags.split_whitespace().map(str::to_string).collect();
                }
            } else if let Some(subject) = line.strip_prefix("hdr.subject: ") {
                if let Some(c) = current.as_mut() {
                    c.2 = subject.trim().to_string();
                }
            }
        }
        out.extend(current);
        out
    }

    /// Whether the message has this flag (`\Seen`, `\Flagged`).
    pub fn has(&self, folder: &str, uid: u32, flag: &str) -> bool {
        self.messages(folder)
            .iter()
            .find(|m| m.0 == uid)
            .unwrap_or_else(|| panic!("no message {uid}"))
            .1
            .iter()
            .any(|f| f == flag)
    }

    pub fn seen(&self, folder: &str, uid: u32) -> bool {
        self.has(folder, uid, "\\Seen")
    }

    /// Sets or clears a flag (`\Seen`, `\Flagged`) as another mail client would.
    pub fn set(&self, folder: &str, uid: u32, flag: &str, on: bool) {
        let verb = if on { "add" } else { "remove" };
        let uid = uid.to_string();
        self.doveadm(
            &[
                "flags", verb, "-u", USER, flag, "mailbox", folder, "uid", &uid,
            ],
            None,
        );
    }

    pub fn set_seen(&self, folder: &str, uid: u32, seen: bool) {
        self.set(folder, uid, "\\Seen", seen);
    }

    pub fn expunge(&self, folder: &str, uid: u32) {
        self.doveadm(
            &[
                "expunge",
                "-u",
                USER,
                "mailbox",
                folder,
                "uid",
                &uid.to_string(),
            ],
            None,
        );
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}
