//! newsboat's `config` file, for what has an equivalent here: `browser` (made an argv,
//! never a shell line: a feed's URL never passes through a shell here) and
//! `ignore-article` rules (filters that hide, their expressions translated as `query:`
//! feeds' are), `auto-reload` with `reload-time` (the refresh interval) and
//! `refresh-on-startup`. The rest (colours, bindings, formats) has none: counted, and
//! the commands named.

use super::{split_words, SkippedLine};

/// What newsboat's config brings over.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NewsboatConfig {
    /// `browser`, as the argv `[general] browser` takes (`%u` for the address).
    pub browser: Option<Vec<String>>,
    /// `ignore-article` rules as queries for `[[filter]]`s that hide, with their line.
    pub hide: Vec<(usize, String)>,
    /// Lines of these commands that could not be brought over, and why.
    pub skipped: Vec<SkippedLine>,
    /// `auto-reload yes`: every `reload-time` minutes (newsboat's default, 60);
    /// `auto-reload no`: 0, only when asked.
    pub refresh_minutes: Option<u32>,
    /// `refresh-on-startup`.
    pub refresh_on_startup: Option<bool>,
    /// Lines of other commands, which have no equivalent here.
    pub other: usize,
    /// Those commands' names, each once, in the order they first came.
    pub other_names: Vec<String>,
}

pub fn parse_config(text: &str) -> NewsboatConfig {
    let mut out = NewsboatConfig::default();
    let mut auto_reload = None;
    let mut reload_time = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = split_words(line);
        let skip = |why: &str| SkippedLine {
            line: i + 1,
            text: crate::sanitize::clean_line(line),
            why: why.to_string(),
        };
        match words.first().map(String::as_str) {
            Some("browser") => match browser(&words[1..]) {
                Ok(argv) => out.browser = Some(argv),
                Err(why) => out.skipped.push(skip(&why)),
            },
            Some("ignore-article") => match ignore_article(&words[1..]) {
                Ok(query) => out.hide.push((i + 1, query)),
                Err(why) => out.skipped.push(skip(&why)),
            },
            Some("auto-reload") => match yes_no(words.get(1)) {
                Some(on) => auto_reload = Some(on),
                None => out.skipped.push(skip("it takes yes or no")),
            },
            Some("reload-time") => match words.get(1).and_then(|w| w.parse::<u32>().ok()) {
                Some(minutes) if minutes > 0 => reload_time = Some(minutes),
                _ => out.skipped.push(skip("it takes a number of minutes")),
            },
            Some("refresh-on-startup") => match yes_no(words.get(1)) {
                Some(on) => out.refresh_on_startup = Some(on),
                None => out.skipped.push(skip("it takes yes or no")),
            },
            Some(other) => {
                out.other += 1;
                let name = crate::sanitize::clean_line(other);
                if !out.other_names.contains(&name) {
                    out.other_names.push(name);
                }
            }
            None => {}
        }
    }
    out.refresh_minutes = match auto_reload {
        Some(true) => Some(reload_time.unwrap_or(60)),
        Some(false) => Some(0),
        None => None,
    };
    out
}

/// newsboat's booleans: `yes`/`no`, also `true`/`false`.
fn yes_no(word: Option<&String>) -> Option<bool> {
    match word?.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// `browser "firefox --new-tab %u"` → `["firefox", "--new-tab", "%u"]`.
fn browser(args: &[String]) -> Result<Vec<String>, String> {
    let line = args.join(" ");
    if line.contains(['|', ';', '&', '$', '`', '<', '>', '(', ')']) {
        return Err("it is a shell line, and bulletin never passes an address through a shell: set [general] browser to the program and its arguments".into());
    }
    // Single quotes, which newsboat's shell takes off (`firefox '%u'`).
    let mut argv: Vec<String> = split_words(&line)
        .into_iter()
        .map(
            |w| match w.strip_prefix('\'').and_then(|w| w.strip_suffix('\'')) {
                Some(inner) => inner.to_string(),
                None => w,
            },
        )
        .collect();
    if argv.is_empty() {
        return Err("no program named".into());
    }
    // newsboat adds the address at the end when the line does not place it.
    if !argv.iter().any(|a| a.contains("%u")) {
        argv.push("%u".into());
    }
    Ok(argv)
}

/// `ignore-article "*" "title =~ \"Sponsored\""`: the articles of every feed (or of
/// the feed at that address) that the expression matches.
fn ignore_article(args: &[String]) -> Result<String, String> {
    let [feed, expr] = args else {
        return Err("it takes a feed (or *) and an expression".into());
    };
    let query = super::query::translate(expr)?;
    Ok(match feed.as_str() {
        "*" => query,
        url if url.contains('"') => return Err(format!("the feed {url:?} has a quote")),
        url => format!("feed:\"{url}\" ({query})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_and_ignore_rules_come_over_the_rest_is_counted() {
        let text = "# colours\ncolor listfocus black yellow\nbrowser \"firefox --new-tab\"\n\
                    ignore-article \"*\" \"title =~ \\\"Sponsored\\\"\"\n\
                    ignore-article \"https://a.example/rss\" \"author =~ \\\"Bot\\\"\"\n\
                    ignore-article \"*\" \"title =~ \\\"^Ad[0-9]\\\"\"\n\
                    ignore-mode \"display\"\n";
        let c = parse_config(text);
        assert_eq!(
            c.browser,
            Some(vec!["firefox".into(), "--new-tab".into(), "%u".into()])
        );
        assert_eq!(c.hide.len(), 2, "{:?}", c.hide);
        assert_eq!(c.hide[0], (4, "title:Sponsored".to_string()));
        assert_eq!(c.hide[1].1, "feed:\"https://a.example/rss\" (author:Bot)");
        assert_eq!(c.skipped.len(), 1);
        assert_eq!(c.skipped[0].line, 6);
        assert_eq!(c.other, 2);
        assert_eq!(c.other_names, ["color", "ignore-mode"]);
        assert_eq!(c.refresh_minutes, None);
        let shell = parse_config("browser \"open %u &\"\n");
        assert!(shell.browser.is_none());
        assert!(shell.skipped[0].why.contains("shell"));
        assert_eq!(
            parse_config("browser lynx\n").browser,
            Some(vec!["lynx".into(), "%u".into()])
        );
        assert_eq!(
            parse_config("browser \"firefox '%u'\"\n").browser,
            Some(vec!["firefox".into(), "%u".into()])
        );
    }

    #[test]
    fn auto_reload_comes_over_as_the_refresh_interval() {
        let c = parse_config("auto-reload yes\nreload-time 30\nrefresh-on-startup yes\n");
        assert_eq!(c.refresh_minutes, Some(30));
        assert_eq!(c.refresh_on_startup, Some(true));
        assert_eq!(c.other, 0);
        // newsboat's own default time; no auto-reload, no interval.
        assert_eq!(parse_config("auto-reload yes\n").refresh_minutes, Some(60));
        assert_eq!(parse_config("reload-time 5\n").refresh_minutes, None);
        assert_eq!(parse_config("auto-reload no\n").refresh_minutes, Some(0));
        assert_eq!(parse_config("auto-reload maybe\n").skipped.len(), 1);
    }
}
