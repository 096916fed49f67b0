//! The config: errors at their line and column, the example file, keys and theme.

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/cfg/config.toml"))
}

#[test]
fn unknown_key_names_line() {
    let err = parse("[general]\nrefresh_on_startup = true\nbogus = 1\n").unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("/cfg/config.toml:3:1:"), "{msg}");
    assert!(msg.contains("bogus"), "{msg}");
}

#[test]
fn wrong_type_is_refused() {
    let msg = parse("[general]\ntimeout_seconds = \"ten\"\n")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("/cfg/config.toml:2:"), "{msg}");
}

#[test]
fn duplicate_feed_is_refused() {
    let text = "[[feed]]\nurl = \"https://a.example/x\"\n[[feed]]\nurl = \"https://a.example/x\"\n";
    let msg = parse(text).unwrap_err().to_string();
    assert!(msg.contains(":4:") && msg.contains("duplicate"), "{msg}");
}

#[test]
fn bad_scheme_is_refused() {
    let msg = parse("[[feed]]\nurl = \"gopher://x/\"\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains(":2:") && msg.contains("gopher"), "{msg}");
}

#[test]
fn relative_paths_become_file_urls() {
    let cfg = parse("[[feed]]\nurl = \"feeds/a.xml\"\ntags = [\"x\"]\n").unwrap();
    assert_eq!(cfg.feeds[0].url, "file:///cfg/feeds/a.xml");
    assert_eq!(cfg.feeds[0].tags, vec!["x".to_string()]);
}

#[test]
fn zero_fetches_points_at_the_value() {
    let text =
        "# max_concurrent_fetches is how many at once\n[general]\nmax_concurrent_fetches = 0\n";
    let msg = parse(text).unwrap_err().to_string();
    assert!(msg.starts_with("/cfg/config.toml:3:26:"), "{msg}");
}

#[test]
fn the_example_config_is_valid_and_documents_the_defaults() {
    let text = include_str!("../../config.example.toml");
    let cfg = Config::parse(text, Path::new("/cfg/config.example.toml")).unwrap();
    assert_eq!(cfg.general, General::default());
    assert_eq!(cfg.feeds.len(), 3);
    assert!(
        cfg.keys.is_empty(),
        "the keys are commented out: the defaults or a preset"
    );
    assert!(!cfg.theme.colors.is_empty());
    // Uncommenting the preset alone gives newsboat's keys (nothing under it overrides).
    let newsboat = text.replace("# preset = \"newsboat\"", "preset = \"newsboat\"");
    let cfg = Config::parse(&newsboat, Path::new("/cfg/config.example.toml")).unwrap();
    let km = crate::keys::preset_bindings(crate::keys::Preset::Newsboat);
    assert_eq!(cfg.keys, km);
    // What `init` writes has the settings and none of the example feeds or searches.
    let init = crate::config::init_text();
    let written = Config::parse(&init, Path::new("/cfg/config.toml")).unwrap();
    assert!(written.feeds.is_empty() && written.queries.is_empty());
    assert_eq!(written.general, cfg.general);
    assert!(init.contains("# [[feed]]\n# url = \"https://security.example.org/advisories.rss\""));
}

#[test]
fn keys_and_theme() {
    let cfg = parse("[keys]\nnext_unread = [\"n\", \"Ctrl-n\"]\nquit = \"Q\"\n[theme]\npreset = \"light\"\nlink = \"#0000ff\"\n").unwrap();
    assert_eq!(cfg.keys.len(), 2);
    assert_eq!(cfg.theme.preset, Preset::Light);
    assert_eq!(cfg.theme.colors, vec![(Role::Link, Color::Rgb(0, 0, 255))]);
    let msg = parse("[keys]\nfly = \"x\"\n").unwrap_err().to_string();
    assert!(
        msg.contains(":2:") && msg.contains("unknown action"),
        "{msg}"
    );
    let msg = parse("[keys]\nquit = [\"q\", \"Hyper-q\"]\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains(":2:") && msg.contains("unknown key"), "{msg}");
    let msg = parse("[theme]\n\nborder = \"chartreuse\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(":3:") && msg.contains("unknown colour"),
        "{msg}"
    );
    let msg = parse("[theme]\npreset = \"neon\"\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains(":2:"), "{msg}");
}

#[test]
fn defaults_apply_to_missing_keys() {
    let cfg = parse("").unwrap();
    assert_eq!(cfg.general, General::default());
}

#[test]
fn theme_roles_and_presets_come_from_one_table() {
    let err = parse("[theme]\nprest = \"dark\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/cfg/config.toml:2:"), "{err}");
    assert!(
        err.contains("unknown theme role") && err.contains("link"),
        "{err}"
    );
    let err = parse("[theme]\npreset = \"dim\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown preset"), "{err}");
    for (_, name) in super::theme::ROLES {
        let cfg = parse(&format!("[theme]\n{name} = \"red\"\n")).unwrap();
        assert_eq!(cfg.theme.colors.len(), 1, "{name}");
    }
}

#[test]
fn each_platform_opens_links_with_its_own_opener_never_a_shell() {
    assert_eq!(super::system_opener("linux"), ["xdg-open"]);
    assert_eq!(super::system_opener("freebsd"), ["xdg-open"]);
    assert_eq!(super::system_opener("macos"), ["open"]);
    assert_eq!(
        super::system_opener("windows"),
        ["rundll32", "url.dll,FileProtocolHandler"]
    );
}

/// Of several unknown keys, the error names the first in the file (it named the first
/// in alphabetical order, on another line than the one to mend first).
#[test]
fn the_first_unknown_key_in_the_file_is_named() {
    let err = Config::parse(
        "[general]\nzzz = 5\naaa = 1\n",
        std::path::Path::new("/c/config.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("config.toml:2:1") && err.contains("`zzz`"),
        "{err}"
    );
}
