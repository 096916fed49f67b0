//! The global options a search's words may end with. `search` takes every word after it
//! as its query (a query has words starting with `-`), so clap never sees a `--config`
//! or `--data-dir` written after the query; they are moved before the subcommand, where
//! clap reads them, and the log and cache are the ones named.

use std::ffi::OsString;

/// Global options that take a value.
const WITH_VALUE: [&str; 3] = ["--config", "--data-dir", "--log-level"];

/// The command line with `--config`, `--data-dir` and `--log-level` (and their `=`
/// forms) moved from a search's words to before `search`. Words after `--` are the
/// query's, whatever they look like.
pub fn hoist_globals(args: Vec<OsString>) -> Vec<OsString> {
    let Some(at) = subcommand_at(&args).filter(|&at| args[at] == "search") else {
        return args;
    };
    let (head, rest) = args.split_at(at + 1);
    let mut hoisted: Vec<OsString> = Vec::new();
    let mut kept: Vec<OsString> = Vec::new();
    let mut words = rest.iter().cloned();
    while let Some(word) = words.next() {
        let text = word.to_string_lossy();
        if text == "--" {
            kept.push(word);
            kept.extend(words.by_ref());
            break;
        }
        if WITH_VALUE.contains(&text.as_ref()) {
            // With no value after it, it stays: the search then says what is wrong.
            match words.next() {
                Some(value) => {
                    hoisted.push(word);
                    hoisted.push(value);
                }
                None => kept.push(word),
            }
        } else if WITH_VALUE
            .iter()
            .any(|o| text.starts_with(&format!("{o}=")))
        {
            hoisted.push(word);
        } else {
            kept.push(word);
        }
    }
    let mut out: Vec<OsString> = head[..at].to_vec();
    out.extend(hoisted);
    out.push(head[at].clone());
    out.extend(kept);
    out
}

/// Where the subcommand is: the first word that is no global option or its value.
fn subcommand_at(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let word = args[i].to_string_lossy();
        if WITH_VALUE.contains(&word.as_ref()) {
            i += 2;
        } else if word.starts_with('-') {
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Vec<OsString> {
        s.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn globals_after_the_query_go_before_search() {
        assert_eq!(
            hoist_globals(line("bulletin search beta --config c.toml --json")),
            line("bulletin --config c.toml search beta --json")
        );
        assert_eq!(
            hoist_globals(line(
                "bulletin -q --data-dir d search a -b --data-dir=e --log-level debug"
            )),
            line("bulletin -q --data-dir d --data-dir=e --log-level debug search a -b")
        );
        // After `--`, words are the query's; other commands are left alone.
        assert_eq!(
            hoist_globals(line("bulletin search x -- --config")),
            line("bulletin search x -- --config")
        );
        assert_eq!(
            hoist_globals(line("bulletin search x --config")),
            line("bulletin search x --config")
        );
        assert_eq!(
            hoist_globals(line("bulletin --config search items --config c")),
            line("bulletin --config search items --config c")
        );
    }
}
