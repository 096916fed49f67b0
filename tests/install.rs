//! At home in a shell (#34): the version names its commit, progress shows on a terminal
//! and nowhere else, completion knows the user's feeds, and there is a man page for
//! every subcommand. (The packaged crate's install and the Windows build are checked by
//! .ci/run, which can run cargo; a test inside `cargo test` cannot.)

mod support;

use clap::CommandFactory;
use std::process::Command;
use support::{feeds, Env, Server};

const BIN: &str = env!("CARGO_BIN_EXE_bulletin");

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let want = format!("bulletin {} (", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&want), "{text}");
    let commit = text.trim().trim_start_matches(&want).trim_end_matches(')');
    // In a clone, the commit is git's; in a packaged crate, the one cargo recorded.
    let git = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    // A checkout whose .git is a file (a worktree) may say "unknown commit".
    match git {
        Ok(g) if g.status.success() && commit != "unknown commit" => {
            assert_eq!(commit, String::from_utf8_lossy(&g.stdout).trim(), "{text}")
        }
        _ => assert!(!commit.is_empty(), "{text}"),
    }
}

/// `bulletin ARGS` under a pseudo-terminal (util-linux `script`), as a person runs it:
/// what the terminal received.
fn on_a_terminal(env: &Env, args: &str) -> String {
    let command = format!(
        "{BIN} --config {} --data-dir {} {args}",
        env.config_path().display(),
        env.data_dir().display()
    );
    let log = env.path().join("typescript");
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &command])
        .arg(&log)
        .env("COLUMNS", "100")
        .env("TERM", "xterm")
        .output()
        .expect("script (util-linux) runs");
    assert!(out.status.success(), "{command}: {out:?}");
    String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned()
}

/// `feeds` feeds of `items` articles each on a loopback server, and a config of them.
fn served(feeds: usize, items: usize) -> (Server, Env) {
    let server = Server::start();
    let mut urls = Vec::new();
    for i in 0..feeds {
        let path = format!("/f{i}.xml");
        server.fixed(
            &path,
            "application/rss+xml",
            feeds::rss(&format!("Feed {i}"), items, 1),
        );
        urls.push(server.url(&path));
    }
    let env = Env::new(&support::feeds_config("", &urls));
    (server, env)
}

fn twenty_feeds() -> (Server, Env) {
    served(20, 30)
}

#[test]
fn a_refresh_shows_its_progress_on_a_terminal_only() {
    let (_server, env) = twenty_feeds();
    let screen = on_a_terminal(&env, "refresh");
    assert!(
        screen.contains("refreshing") && screen.contains("/20 feeds"),
        "no progress bar on the terminal: {screen:?}"
    );
    assert!(screen.contains("Refreshed 20 feeds"), "{screen:?}");

    // In a pipe (cron, scripts): the summary and nothing else, no escape sequences.
    let (_server, env) = twenty_feeds();
    let out = env.run(&["refresh"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("refreshing"), "{err:?}");
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");

    // On a terminal, --json and --quiet keep it quiet too.
    for args in ["refresh --json", "--quiet refresh", "refresh -q"] {
        let (_server, env) = twenty_feeds();
        let screen = on_a_terminal(&env, args);
        assert!(!screen.contains("/20 feeds"), "{args}: {screen:?}");
    }
}

#[test]
fn the_first_index_build_shows_its_progress_on_a_terminal() {
    let (_server, env) = served(10, 300);
    env.ok(&["refresh"]);
    let screen = on_a_terminal(&env, "search --limit 1 item");
    assert!(
        screen.contains("indexing for search") && screen.contains("/3000 articles"),
        "{screen:?}"
    );
}

/// Options of a search go before the query or after it (`search item --json`), and
/// --json or --quiet, wherever they are, keep the bar away.
#[test]
fn a_search_for_a_program_draws_no_bar() {
    for args in [
        "search --json --limit 1 item",
        "search item --json --limit 1",
        "search item --limit=1 --quiet",
    ] {
        let (_server, env) = served(10, 300);
        env.ok(&["refresh"]);
        let screen = on_a_terminal(&env, args);
        assert!(!screen.contains("/3000 articles"), "{args}: {screen:?}");
        assert!(screen.contains("Feed "), "{args}: no result: {screen:?}");
    }
}

/// What bash's completion offers for `words`, the last being completed, through the
/// script `bulletin completions bash` prints (bulletin found on the PATH).
fn bash_completes(env: &Env, words: &[&str]) -> Vec<String> {
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <(bulletin completions bash) || exit 3\n\
         COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_TYPE=9\n\
         _clap_complete_bulletin bulletin {last}\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        cword = words.len() - 1,
        last = quoted.last().unwrap(),
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .env("PATH", path)
        .env("BULLETIN_CONFIG", env.config_path())
        .env("BULLETIN_DATA_DIR", env.data_dir())
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_feed_names_from_the_config_and_the_cache() {
    let server = Server::start();
    server.fixed(
        "/untitled.xml",
        "application/rss+xml",
        feeds::rss("Krebs Weekly", 2, 1),
    );
    let env = Env::new(&format!(
        r#"
[[feed]]
url = "{}"

[[feed]]
url = "http://127.0.0.1:9/k.xml"
name = "kernel notes"

[[feed]]
url = "http://127.0.0.1:9/o.xml"
name = "Other"

[[query]]
name = "CVEs this week"
query = "cve"
"#,
        server.url("/untitled.xml")
    ));
    env.ok(&["refresh"]);
    // The feed's own title (from the cache), a configured name, in any case, as they
    // are (readline quotes them: see the next test).
    assert_eq!(
        bash_completes(&env, &["bulletin", "items", "--feed", "k"]),
        ["Krebs Weekly", "kernel notes"]
    );
    assert_eq!(
        bash_completes(&env, &["bulletin", "mark-read", "--feed", "CV"]),
        ["CVEs this week"]
    );
    // remove, rename and tag take feeds, not saved searches.
    assert!(bash_completes(&env, &["bulletin", "remove", "CV"]).is_empty());
    assert_eq!(
        bash_completes(&env, &["bulletin", "rename", "Oth"]),
        ["Other"]
    );
    assert_eq!(
        bash_completes(&env, &["bulletin", "tag", "Krebs\\ W"]),
        ["Krebs Weekly"]
    );
    // A feed the config gained since the last refresh completes too.
    let mut config = std::fs::read_to_string(env.config_path()).unwrap();
    config.push_str("\n[[feed]]\nurl = \"http://127.0.0.1:9/new.xml\"\nname = \"Newly Added\"\n");
    env.write_config(&config);
    assert_eq!(
        bash_completes(&env, &["bulletin", "items", "--feed", "new"]),
        ["Newly Added"]
    );
    // The config the line being completed names wins over the environment's.
    let other = env.path().join("other.toml");
    std::fs::write(
        &other,
        "[[feed]]\nurl = \"http://127.0.0.1:9/x.xml\"\nname = \"Elsewhere\"\n",
    )
    .unwrap();
    let other = other.to_str().unwrap();
    assert_eq!(
        bash_completes(
            &env,
            &["bulletin", "--config", other, "items", "--feed", ""]
        ),
        ["Elsewhere"]
    );
    // Subcommands and flags as before.
    assert!(bash_completes(&env, &["bulletin", "refr"]).contains(&"refresh".to_string()));
    assert!(bash_completes(&env, &["bulletin", "refresh", "--js"]).contains(&"--json".to_string()));
}

/// In a real interactive bash (in tmux): readline quotes a name as it quotes a file
/// name, with backslashes, or inside the quote the user opened.
#[test]
fn bash_puts_a_name_with_spaces_on_the_line_as_one_word() {
    let env =
        Env::new("[[feed]]\nurl = \"http://127.0.0.1:9/k.xml\"\nname = \"Krebs on Security\"\n");
    let tmux = support::tmux::Tmux::new(env.path());
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "PATH={}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let config = format!("BULLETIN_CONFIG={}", env.config_path().display());
    let data = format!("BULLETIN_DATA_DIR={}", env.data_dir().display());
    let out = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "120",
        "-y",
        "30",
        "env",
        "TERM=xterm",
        "PS1=$ ",
        &path,
        &config,
        &data,
        "bash",
        "--norc",
        "--noprofile",
    ]);
    assert!(out.status.success(), "{out:?}");
    tmux.keys(&["source <(bulletin completions bash)", "Enter"]);
    tmux.keys(&["bulletin items --feed Kre", "Tab"]);
    tmux.wait_for("bulletin items --feed Krebs\\ on\\ Security");
    tmux.keys(&["C-u", "bulletin items --feed \"Kre", "Tab"]);
    tmux.wait_for("bulletin items --feed \"Krebs on Security\"");
    tmux.cmd(&["kill-server"]);
}

#[test]
fn every_subcommand_has_a_man_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let cli = bulletin::cli::Cli::command();
    let mut names = vec!["bulletin.1".to_string()];
    names.extend(
        cli.get_subcommands()
            .map(|s| format!("bulletin-{}.1", s.get_name())),
    );
    assert!(names.len() > 20);
    for name in &names {
        let page = std::fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{name}");
    }
    let main = std::fs::read_to_string(dir.path().join("bulletin.1")).unwrap();
    assert!(
        main.contains("refresh"),
        "the main page lists the subcommands"
    );
    // Without --dir: the main page on standard output, as before.
    let out = Command::new(BIN).arg("man").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH bulletin"));
}

/// A fresh install with no config: the listings read the built-in demo (as the TUI
/// shows it), in a cache of its own; `--demo` reads it whatever the config says.
#[test]
fn with_no_config_the_listings_read_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("BULLETIN_CONFIG")
            .env_remove("BULLETIN_DATA_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        out
    };
    let out = run(&["items", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert!(items.len() >= 5, "{items:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("built-in demo"));
    let id = items[0]["id"].to_string();
    let shown = run(&["show", &id]);
    assert!(!shown.stdout.is_empty());
    // The demo's cache is its own; no config was written.
    assert!(home.path().join("data/bulletin/demo/cache.db").exists());
    assert!(!home.path().join("data/bulletin/cache.db").exists());
    assert!(!home.path().join("config/bulletin/config.toml").exists());

    // Marks have nothing to act on: said in one line, and no cache is made for them.
    let out = Command::new(BIN)
        .args(["mark-read", &id])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("BULLETIN_CONFIG")
        .env_remove("BULLETIN_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("demo"));
    assert!(!home.path().join("data/bulletin/cache.db").exists());

    let env = Env::new("[[feed]]\nurl = \"http://127.0.0.1:9/none.xml\"\n");
    let mine = env.json(&["items", "--json"]);
    assert_eq!(mine.as_array().unwrap().len(), 0);
    let demo = env.json(&["--demo", "items", "--json"]);
    assert_eq!(demo.as_array().unwrap().len(), items.len());
    // --demo never reaches the user's config or cache through a command that writes.
    for args in [
        vec!["--demo", "mark-read", "--all"],
        vec!["--demo", "remove", "none"],
        vec!["refresh", "--demo"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--demo"));
    }
    assert!(std::fs::read_to_string(env.config_path())
        .unwrap()
        .contains("none.xml"));
}

/// clap's own way to ask for the script gives the same one.
#[test]
fn clap_s_complete_variable_prints_the_same_script() {
    let env = Env::new("");
    let ours = env.ok(&["completions", "bash"]);
    let out = Command::new(BIN).env("COMPLETE", "bash").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let clap_s = String::from_utf8(out.stdout).unwrap();
    // clap's names the binary that printed it; ours, the bulletin on the PATH.
    assert!(clap_s.contains("compopt -o filenames"), "{clap_s}");
    assert_eq!(clap_s.replace(&format!("\"{BIN}\""), "\"bulletin\""), ours);
}
