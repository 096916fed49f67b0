//! The layering README describes, checked on the source: the core (everything but `tui`,
//! `cli` and the binary) knows nothing of the terminal or the command line, and no two
//! modules use each other round in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules that make the program around the core.
const FRONTS: [&str; 2] = ["tui", "cli"];

/// `use crate::x` edges between the top-level modules of `src/`.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let targets = out.entry(module.clone()).or_default();
            // The terminal libraries count as modules too.
            for lib in ["ratatui", "crossterm"] {
                if text.contains(&format!("{lib}::")) {
                    targets.insert(lib.to_string());
                }
            }
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    targets.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn the_core_knows_nothing_of_the_terminal_or_the_command_line() {
    let edges = edges();
    assert!(edges.len() > 10, "{edges:?}");
    for (module, targets) in &edges {
        if FRONTS.contains(&module.as_str()) {
            continue;
        }
        for front in FRONTS {
            assert!(
                !targets.contains(front),
                "core module `{module}` uses `{front}`"
            );
        }
    }
    // The TUI is one front, the CLI the other: neither uses the other.
    assert!(!edges["tui"].contains("cli"), "tui uses cli");
    assert!(!edges["cli"].contains("tui"), "cli uses tui");
    // And the core reaches the terminal libraries nowhere.
    for (module, targets) in edges.iter().filter(|(m, _)| !FRONTS.contains(&m.as_str())) {
        for lib in ["ratatui", "crossterm"] {
            assert!(!targets.contains(lib), "core module `{module}` uses {lib}");
        }
    }
}

#[test]
fn no_modules_use_each_other_in_a_circle() {
    let edges = edges();
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("a cycle: {} -> {node}", path[at..].join(" -> "));
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
}
