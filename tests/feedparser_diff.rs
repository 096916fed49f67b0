//! The differential test against Python's feedparser, the reference for liberal parsing:
//! `tests/liberal/feedparser_diff.py` generates feeds in every shape and breakage the
//! issue names, reads each with `bulletin probe --json` and with feedparser, and compares
//! the fields both report. feedparser is installed by `.ci/run` (pip); without it this
//! test fails, it never skips.

use std::process::Command;

#[test]
fn bulletin_agrees_with_feedparser() {
    let work = tempfile::tempdir().unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/liberal/feedparser_diff.py"
    );
    let out = Command::new("python3")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_bulletin"))
        .arg(work.path())
        .arg("400")
        .output()
        .expect("python3 is needed (.ci/run installs feedparser with pip)");
    assert!(
        out.status.success(),
        "the differential script failed (is feedparser installed? .ci/run does it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let agreement = report["agreement"].as_f64().unwrap();
    println!(
        "agreement with feedparser: {:.2}% over {} fields of {} feeds; by field: {}",
        agreement * 100.0,
        report["fields"],
        report["files"],
        report["by_field"]
    );
    assert_eq!(report["crashes"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["hangs"], serde_json::json!([]), "{report:#}");
    assert!(report["fields"].as_u64().unwrap() > 5000, "{report:#}");
    assert!(
        report.get("json_failed").is_none(),
        "JSON Feeds bulletin did not read: {report:#}"
    );
    assert!(
        agreement >= 0.97,
        "agreement {agreement:.4} below 97%; disagreements: {:#}",
        report["disagreements"]
    );
}

/// Hand-written edge cases (`tests/liberal/cases`, one category per file-name prefix:
/// the shapes of issue 29 and of feedparser's own test suite, RSS, Atom, encodings,
/// ill-formed documents, HTML and dates), read by bulletin and by feedparser. Every
/// disagreement must be a known one (`tests/liberal/known.txt`, under its reason: read
/// otherwise on purpose, feedparser wrong, the comparison, or not done yet); a new one
/// fails the test.
#[test]
fn hand_written_cases_agree_with_feedparser_by_category() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/liberal");
    let out = Command::new("python3")
        .arg(format!("{dir}/feedparser_diff.py"))
        .arg(env!("CARGO_BIN_EXE_bulletin"))
        .arg("--cases")
        .arg(format!("{dir}/cases"))
        .env("SHOW", "100000")
        .output()
        .expect("python3 is needed (.ci/run installs feedparser with pip)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    println!("by category: {}", report["categories"]);
    assert_eq!(report["crashes"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["hangs"], serde_json::json!([]), "{report:#}");
    let known_text = std::fs::read_to_string(format!("{dir}/known.txt")).unwrap();
    let known: Vec<(&str, &str)> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .collect();
    let unknown: Vec<&serde_json::Value> = report["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            let at = (d["file"].as_str().unwrap(), d["field"].as_str().unwrap());
            !known.contains(&at)
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "disagreements not in known.txt: {unknown:#?}"
    );
    for category in ["codepage", "guid", "namespace"] {
        assert_eq!(
            report["categories"][category]["agreement"], 1.0,
            "{category}: {report:#}"
        );
    }
    assert!(report["agreement"].as_f64().unwrap() >= 0.96, "{report:#}");
}
