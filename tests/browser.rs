//! Links reach the browser as one literal argument; nothing in them is ever run.

use bulletin::tui::browser;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_hostile_url_reaches_the_browser_literally() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-browser");
    // The fake browser records its arguments next to itself.
    std::fs::write(
        &script,
        "#!/bin/sh\ncd \"$(dirname \"$0\")\" && printf '%s\\n' \"$@\" > args.txt\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let url = "https://example.org/$(touch x)`touch y`;touch z";
    let argv = vec![
        script.to_str().unwrap().to_string(),
        "--new-tab".into(),
        "%u".into(),
    ];
    let status = browser::run(&argv, url).unwrap();
    assert!(status.success());
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert_eq!(args, format!("--new-tab\n{url}\n"));
    for f in ["x", "y", "z"] {
        assert!(
            !dir.path().join(f).exists(),
            "{f} was created: the URL was run"
        );
    }
}

#[test]
fn other_schemes_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let argv = vec!["touch".to_string(), marker.to_str().unwrap().to_string()];
    for url in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ssh://host",
        "not a url",
    ] {
        assert!(browser::run(&argv, url).is_err(), "{url} was accepted");
    }
    assert!(!marker.exists());
}
