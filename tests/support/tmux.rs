//! The real binary in a real pseudo-terminal: a tmux server of the test's own, a
//! 120x30 window, keys sent and the screen read back.

use super::Env;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: PathBuf,
}

impl Tmux {
    pub fn new(dir: &Path) -> Tmux {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "tmux is required for the end-to-end tests (.ci/run installs it)"
        );
        Tmux {
            socket: dir.join("tmux.sock"),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs bulletin with the config and data dir of `env`.
    pub fn start(&self, env: &Env) {
        self.start_with(env, &["NO_COLOR=1"]);
    }

    /// Runs bulletin with the config and data dir of `env` and these environment
    /// settings (none: with colours).
    pub fn start_with(&self, env: &Env, vars: &[&str]) {
        let config = env.config_path();
        let data = env.data_dir();
        self.run(
            vars,
            &[
                "--config",
                config.to_str().unwrap(),
                "--data-dir",
                data.to_str().unwrap(),
            ],
        );
    }

    /// Runs bulletin in a 120x30 terminal with these environment settings and arguments.
    pub fn run(&self, vars: &[&str], args: &[&str]) {
        let mut cmd = vec![
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "30",
            "env",
        ];
        cmd.extend(["TERM=xterm-256color", "LANG=C.UTF-8"]);
        cmd.extend(vars);
        cmd.push(env!("CARGO_BIN_EXE_bulletin"));
        cmd.extend(args);
        let out = self.cmd(&cmd);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id of what runs in the window (bulletin).
    pub fn pid(&self) -> String {
        let out = self.cmd(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until `text` is no longer on the screen; returns the screen then.
    pub fn wait_gone(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "e2e", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    pub fn wait_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.cmd(&["has-session", "-t", "e2e"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "bulletin did not quit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}
