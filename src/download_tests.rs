use super::*;

#[test]
fn names_cannot_leave_the_folder_or_surprise_a_shell() {
    assert_eq!(
        file_name("https://cdn.example/ep/42-the-patch.mp3?x=1", "T", None),
        "42-the-patch.mp3"
    );
    assert_eq!(
        file_name(
            "https://cdn.example/a/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "T",
            None
        ),
        "___etc_passwd"
    );
    assert_eq!(
        file_name(
            "https://cdn.example/download",
            "Episode 7: \"Keys\" / rotation",
            Some("audio/mpeg")
        ),
        "Episode 7_ _Keys_ _ rotation.mp3"
    );
    assert_eq!(
        file_name(
            "https://cdn.example/",
            "-rf ..\u{1b}[31m",
            Some("application/pdf")
        ),
        "rf.pdf"
    );
    assert_eq!(file_name("https://cdn.example/.bashrc", "", None), "bashrc");
    let long = file_name(
        &format!("https://cdn.example/{}.mp3", "a".repeat(500)),
        "",
        None,
    );
    assert!(long.len() <= MAX_NAME && long.ends_with(".mp3"), "{long}");
}

#[test]
fn a_name_taken_gets_a_number() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ep.mp3"), b"x").unwrap();
    assert_eq!(
        target_path(dir.path(), "ep.mp3"),
        dir.path().join("ep (2).mp3")
    );
    assert_eq!(
        target_path(dir.path(), "new.mp3"),
        dir.path().join("new.mp3")
    );
}

/// Issue 26, item 9: two enclosures named `episode.mp3` queued together (neither on
/// disk yet) each get a file of their own; before, both were given the same name and
/// shared one `.part`.
#[test]
fn two_queued_downloads_of_one_name_get_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::store::Store::open(&dir.path().join("cache.db")).unwrap();
    let item = |id: i64, url: &str| crate::model::Item {
        id: crate::model::ItemId(id),
        feed_id: crate::model::FeedId(1),
        feed_url: "https://pod.example/feed".into(),
        feed_title: None,
        title: format!("Episode {id}"),
        link: None,
        author: None,
        published: None,
        updated: None,
        summary_html: None,
        content_html: None,
        enclosures: vec![crate::model::Enclosure {
            url: url.into(),
            mime: Some("audio/mpeg".into()),
            length: None,
        }],
        read: false,
        starred: false,
        full_text: Default::default(),
        mailbox: None,
        unsubscribe: None,
    };
    let to = dir.path().join("dl");
    let (_, a) = queue(
        &mut store,
        &item(1, "https://a.example/episode.mp3"),
        0,
        &to,
    )
    .unwrap();
    let (_, b) = queue(
        &mut store,
        &item(2, "https://b.example/episode.mp3"),
        0,
        &to,
    )
    .unwrap();
    assert_eq!(a, to.join("episode.mp3"));
    assert_eq!(b, to.join("episode (2).mp3"));
    assert_ne!(part_of(&a), part_of(&b));
}
