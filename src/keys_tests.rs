use super::*;

#[test]
fn parses_key_names() {
    assert_eq!(
        KeySpec::parse("Ctrl-d").unwrap(),
        KeySpec {
            key: KeyName::Char('d'),
            ctrl: true,
            alt: false
        }
    );
    assert_eq!(KeySpec::parse("Shift-Tab").unwrap().key, KeyName::BackTab);
    assert_eq!(KeySpec::parse("G").unwrap().key, KeyName::Char('G'));
    assert_eq!(KeySpec::parse("F5").unwrap().key, KeyName::F(5));
    assert!(KeySpec::parse("Hyper-x").is_err());
    assert!(KeySpec::parse("F13").is_err());
    assert!(KeySpec::parse("").is_err());
}

#[test]
fn validates_bindings() {
    assert!(parse_binding("next_unread", &["n".into(), "Ctrl-n".into()]).is_ok());
    assert!(parse_binding("fly", &["x".into()])
        .unwrap_err()
        .contains("unknown action"));
    assert!(parse_binding("quit", &["Meta-q".into()])
        .unwrap_err()
        .contains("unknown key"));
}

#[test]
fn command_lines_split_without_a_shell() {
    assert_eq!(split_command("wc -l"), vec!["wc", "-l"]);
    assert_eq!(
        split_command("sh -c 'less -R'  "),
        vec!["sh", "-c", "less -R"]
    );
    assert_eq!(split_command("a \"b c\" ''"), vec!["a", "b c", ""]);
    assert_eq!(
        split_command("echo $(rm -rf x);"),
        vec!["echo", "$(rm", "-rf", "x);"]
    );
    assert!(split_command("   ").is_empty());
}

/// The example config and README list every action by its config name.
#[test]
fn every_action_is_documented() {
    let example = include_str!("../config.example.toml");
    let readme = include_str!("../README.md");
    for (_, name, _, _) in ACTIONS {
        assert!(example.contains(name), "config.example.toml lacks {name}");
        assert!(readme.contains(name), "README.md lacks {name}");
    }
}
