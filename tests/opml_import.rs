//! Subscriptions brought from other readers, in the shapes their exports have: a feed in
//! two folders (Feedly), attribute names in any case, a feed's address as `url` with its
//! type, a feed outline inside another, a web page with no feed, files in ISO-8859-1 and
//! UTF-16, HTML entities and a DOCTYPE, nesting thousands deep, an unnamed feed's
//! address as its name, and a newsboat urls file that is no such file. An attack on 84
//! hand-written exports found each of these read wrong.

mod support;

use support::Env;

const CONFIG: &str = "[general]\nrefresh_on_startup = false\n";

fn import(env: &Env, name: &str, bytes: &[u8]) -> std::process::Output {
    let file = env.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    env.run(&["import-opml", file.to_str().unwrap()])
}

/// (url, name, tags) of every configured feed, in order.
fn feeds(env: &Env) -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    config
        .get("feed")
        .and_then(|f| f.as_array())
        .map(|feeds| {
            feeds
                .iter()
                .map(|f| {
                    let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                    let tags = f
                        .get("tags")
                        .and_then(|t| t.as_array())
                        .map(|t| {
                            t.iter()
                                .filter_map(|v| v.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default();
                    (s("url"), s("name"), tags)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_shapes_apps_export_are_read_whole() {
    let env = Env::new(CONFIG);
    let opml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE opml>
<opml version="1.0"><head><title>Feedly&nbsp;export</title></head><body>
<outline text="Tech" title="Tech">
  <outline type="rss" text="Ars" title="Ars" XMLURL="https://ars.example/feed" htmlUrl="https://ars.example/"/>
</outline>
<outline text="News" title="News">
  <outline type="rss" text="Ars" title="Ars" xmlUrl="https://ars.example/feed"/>
  <outline type="rss" TEXT="Wire &amp; Co" url="https://wire.example/rss"/>
</outline>
<outline type="rss" text="https://bare.example/atom" xmlUrl="https://bare.example/atom">
  <outline type="rss" text="Inner" xmlUrl="https://inner.example/rss"/>
</outline>
<outline text="Just a site" htmlUrl="https://site.example/"/>
<outline text="Show" type="rss" xmlUrl="itpc://show.example/podcast.xml"/>
<outline text="Proto" type="rss" xmlUrl="//proto.example/feed"/>
<outline text="Rel" type="rss" xmlUrl="/feeds/all.xml" htmlUrl="https://rel.example/blog/"/>
<outline text="Lost" type="rss" xmlUrl="/feeds/lost.xml"/>
</body></opml>"#;
    let out = import(&env, "feedly.opml", opml.as_bytes());
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        feeds(&env),
        [
            (
                "https://ars.example/feed".to_string(),
                "Ars".to_string(),
                vec!["Tech".to_string(), "News".into()]
            ),
            (
                "https://wire.example/rss".into(),
                "Wire & Co".into(),
                vec!["News".into()]
            ),
            ("https://bare.example/atom".into(), String::new(), vec![]),
            ("https://inner.example/rss".into(), "Inner".into(), vec![]),
            (
                "https://show.example/podcast.xml".into(),
                "Show".into(),
                vec![]
            ),
            ("https://proto.example/feed".into(), "Proto".into(), vec![]),
            (
                "https://rel.example/feeds/all.xml".into(),
                "Rel".into(),
                vec![]
            ),
        ]
    );
    let said = stderr_of(&out);
    assert!(
        said.contains("feedly.opml: skipped https://site.example/: a web page, no feed address"),
        "{said}"
    );
    assert!(
        said.contains("skipped /feeds/lost.xml: a relative address"),
        "{said}"
    );
}

#[test]
fn files_in_other_encodings_are_read_in_theirs() {
    let env = Env::new(CONFIG);
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml version=\"2.0\"><body><outline text=\"Caf\xe9\" xmlUrl=\"https://cafe.example/rss\"/></body></opml>";
    let out = import(&env, "latin1.opml", latin1);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><opml version=\"2.0\"><body><outline text=\"Straße\" xmlUrl=\"https://strasse.example/rss\"/></body></opml>".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let out = import(&env, "utf16.opml", &utf16);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let names: Vec<String> = feeds(&env).into_iter().map(|f| f.1).collect();
    assert_eq!(names, ["Café", "Straße"]);
}

#[test]
fn outlines_thousands_deep_are_read_without_running_out_of_stack() {
    let env = Env::new(CONFIG);
    let depth = 50_000;
    let mut opml = String::from("<opml version=\"2.0\"><body>");
    for i in 0..depth {
        opml.push_str(&format!("<outline text=\"f{i}\">"));
    }
    opml.push_str("<outline text=\"Deep\" xmlUrl=\"https://deep.example/rss\"/>");
    for _ in 0..depth {
        opml.push_str("</outline>");
    }
    opml.push_str("</body></opml>");
    let out = import(&env, "deep.opml", opml.as_bytes());
    // The XML layer may refuse so deep a document (one line); it never crashes.
    assert!(out.status.code().is_some(), "killed by a signal");
    if out.status.success() {
        let f = feeds(&env);
        assert_eq!(f.len(), 1);
        assert!(f[0].2.len() <= 32, "{} tags", f[0].2.len());
    } else {
        assert_eq!(
            stderr_of(&out).trim().lines().count(),
            1,
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_skipped_address_is_said_clean() {
    let env = Env::new(CONFIG);
    let opml = "<opml version=\"2.0\"><body><outline text=\"x\" xmlUrl=\"ftp://h.example/\u{9b}2J\u{202e}rss\"/></body></opml>";
    let out = import(&env, "c1.opml", opml.as_bytes());
    let said = stderr_of(&out);
    assert!(
        !said.contains('\u{9b}') && !said.contains('\u{202e}') && !said.contains('\u{1b}'),
        "{said:?}"
    );
}

#[test]
fn import_newsboat_refuses_other_files_and_words_that_are_no_address() {
    let env = Env::new(CONFIG);
    let opml = env.path().join("subs.opml");
    std::fs::write(&opml, "<?xml version=\"1.0\"?><opml><body/></opml>").unwrap();
    let out = env.run(&["import-newsboat", opml.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("import-opml"),
        "{}",
        stderr_of(&out)
    );
    let urls = env.path().join("urls");
    std::fs::write(
        &urls,
        "\u{feff}# my feeds\nhttps://a.example/rss news\nnot-a-url tag\nhttps://b.example/feed \"~B feed\"\n",
    )
    .unwrap();
    let out = env.run(&["import-newsboat", urls.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let got: Vec<String> = feeds(&env).into_iter().map(|f| f.0).collect();
    assert_eq!(got, ["https://a.example/rss", "https://b.example/feed"]);
    assert!(
        stderr_of(&out).contains("not a feed address"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn an_opml_file_can_come_on_standard_input() {
    use std::io::Write;
    let env = Env::new(CONFIG);
    let mut child = env
        .command(&["import-opml", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"<opml version=\"2.0\"><body><outline text=\"Piped\" xmlUrl=\"https://piped.example/rss\"/></body></opml>")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(feeds(&env)[0].0, "https://piped.example/rss");
}

/// A file broken past an entity (a tag left open, a file cut short) is read as far as
/// it can be, and said, with where: the feeds after that point may be missing.
#[test]
fn a_broken_file_is_read_as_far_as_it_goes_and_said() {
    let env = Env::new(CONFIG);
    let out = import(
        &env,
        "broken.opml",
        b"<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head/><body>\n\
          <outline text=\"a\" xmlUrl=\"http://a.example/f\"/>\n\
          <outline text=\"b\" xmlUrl=\"http://b.example/f\">\n</body>\n\
          <outline text=\"c\" xmlUrl=\"http://c.example/f\"/>\n</opml>\n",
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("broken.opml:5:1: the file is broken") && err.contains("may be missing"),
        "{err}"
    );
    let urls: Vec<String> = feeds(&env).into_iter().map(|f| f.0).collect();
    assert!(urls.contains(&"http://a.example/f".to_string()), "{urls:?}");
    // An entity is repaired whole: nothing said.
    let env = Env::new(CONFIG);
    let out = import(
        &env,
        "nbsp.opml",
        b"<opml version=\"2.0\"><body><outline text=\"A&nbsp;B\" xmlUrl=\"http://a.example/f\"/></body></opml>",
    );
    assert!(out.status.success());
    assert!(
        !stderr_of(&out).contains("may be missing"),
        "{}",
        stderr_of(&out)
    );
}
