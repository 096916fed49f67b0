//! What the background threads report that is not a refresh: the sync and the edits
//! sent to its server, a full text, pictures, downloads, a notification to pass on; and
//! the keys that start a download or show the enclosures and downloads.

use super::super::model::Model;
use super::super::msg::{Cmd, Msg};
use super::Outcome;

pub(super) fn on_message(m: &mut Model, msg: Msg) -> Outcome {
    match msg {
        Msg::ServerEdited(result) => {
            m.message = Some(result.unwrap_or_else(|e| e));
            Outcome::redraw(vec![Cmd::ReloadSynced])
        }
        Msg::Trusted { feed, result } => {
            let ok = result.is_ok();
            m.message = Some(result.unwrap_or_else(|e| e));
            // Every feed of that host is fetched again at once, the certificate trusted.
            let host = |url: &str| {
                url::Url::parse(url)
                    .ok()
                    .filter(|u| u.scheme() == "gemini")
                    .and_then(|u| crate::fetch::gemini::host_key(&u))
            };
            let trusted = m
                .feeds
                .iter()
                .find(|f| f.id == feed)
                .and_then(|f| host(&f.url));
            let feeds: Vec<_> = m
                .feeds
                .iter()
                .filter(|f| f.id == feed || (trusted.is_some() && host(&f.url) == trusted))
                .map(|f| f.id)
                .collect();
            Outcome::redraw(if ok {
                vec![Cmd::Refresh {
                    feeds: Some(feeds),
                    force: true,
                }]
            } else {
                Vec::new()
            })
        }
        Msg::FullTextFetched { id, result } => {
            Outcome::redraw(super::fulltext::full_text_fetched(m, id, result))
        }
        Msg::ImageReady {
            req,
            index,
            picture,
        } => {
            if req != m.picture_req {
                return Outcome::default();
            }
            let rows = picture.as_ref().map_or(0, |p| p.rows);
            if let Some(p) = picture {
                m.pictures.insert(index, p);
            }
            // Fewer rows than kept (a small picture, or none): the text closes up.
            m.picture_rows.insert(index, rows);
            if rows < crate::tui::images::ROWS {
                super::lists::refit_pictures(m);
            }
            Outcome::redraw(Vec::new())
        }
        Msg::Downloads(list) => {
            m.downloads = list;
            Outcome::redraw(Vec::new())
        }
        Msg::Notify(line) => Outcome {
            redraw: false,
            cmds: vec![Cmd::TerminalNotify(line)],
        },
        Msg::MailRead(summary) => {
            m.refresh.mail_error = summary.errors.first().cloned();
            if summary.new_items > 0 || summary.new_feeds > 0 {
                m.refresh.synced_new += summary.new_items;
                // New newsletters join the feed list; new messages change counts.
                Outcome::redraw(vec![Cmd::ReloadSynced])
            } else {
                Outcome::redraw(Vec::new())
            }
        }
        Msg::Pushed(sent) => {
            m.refresh.sync_error = None;
            // Not over what a key just said ("Undone: ...", until the next key): the count
            // of marks to send going from the status line says they went.
            if sent > 0 && m.message.is_none() {
                let s = if sent == 1 { "" } else { "s" };
                let to = if m.sync_folder {
                    "the sync folder"
                } else {
                    "the server"
                };
                m.message = Some(format!("Sent {sent} mark{s} to {to}"));
            }
            // The count of marks to send follows.
            Outcome::redraw(vec![Cmd::LoadFeeds])
        }
        Msg::SyncStarted => {
            m.refresh.syncing = true;
            m.refresh.synced_new = 0;
            Outcome::redraw(Vec::new())
        }
        Msg::SyncFinished(result) => {
            m.refresh.syncing = false;
            match result {
                Ok(summary) => {
                    m.refresh.sync_error = None;
                    m.refresh.synced_new = summary.new_items;
                    // What other devices did, said: it is why the lists moved.
                    if summary.pulled > 0 {
                        let s = if summary.pulled == 1 { "" } else { "s" };
                        m.message = Some(format!("Synced: {} change{s}", summary.pulled));
                    }
                    // Counted on the status line as marks to send, and never sent until
                    // their articles show up on this server: said why.
                    if summary.carried_waiting > 0 && m.message.is_none() {
                        let n = summary.carried_waiting;
                        let (s, wait) = if n == 1 { ("", "waits") } else { ("s", "wait") };
                        m.message = Some(format!(
                            "{n} mark{s} on articles of the account before {wait} for them on this server"
                        ));
                    }
                    // Its feeds may have changed, and its articles and marks arrived;
                    // another device's subscriptions changed the config file.
                    let mut cmds = vec![Cmd::ReloadSynced];
                    if summary.config_changed {
                        cmds.push(Cmd::ReloadConfig);
                    }
                    Outcome::redraw(cmds)
                }
                Err(e) => {
                    m.refresh.sync_error = Some(e);
                    Outcome::redraw(Vec::new())
                }
            }
        }
        _ => Outcome::default(),
    }
}

/// `v`, `D` and `L`: the enclosures, a download, the downloads.
pub(super) fn on_media_key(m: &mut Model, action: crate::tui::keymap::Action) -> Vec<Cmd> {
    use super::super::model::Overlay;
    use crate::tui::keymap::Action;
    match action {
        Action::Enclosures => {
            if m.reader.is_none() {
                m.message = Some(super::hints::open_first(m, Action::Enclosures));
                return Vec::new();
            }
            m.overlay = Some(Overlay::Enclosures { selected: 0 });
            m.overlay_scroll = 0;
            Vec::new()
        }
        Action::QueueDownload => match &m.reader {
            Some(r) if !r.item.enclosures.is_empty() => {
                m.message = Some(super::hints::downloading(m));
                vec![Cmd::QueueDownload {
                    item: r.item.id,
                    index: 0,
                }]
            }
            Some(_) => {
                m.message = Some("The open article has no enclosure to download".into());
                Vec::new()
            }
            None => {
                m.message = Some(super::hints::open_first(m, Action::QueueDownload));
                Vec::new()
            }
        },
        Action::Downloads => {
            m.overlay = Some(Overlay::Downloads);
            m.overlay_scroll = 0;
            // As the cache has them now: a `bulletin download` in a shell too.
            vec![Cmd::LoadDownloads]
        }
        _ => Vec::new(),
    }
}
