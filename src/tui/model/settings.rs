//! What the model takes from the config (at start and at every reload), and the
//! feed-list facts derived from it: the tags, the sync server and its feeds.

use super::*;
use crate::config::Config;

/// The URLs of the feeds that are the sync server's (not also in the config's own list).
pub fn server_feeds(config: &Config) -> HashSet<String> {
    config
        .feeds
        .iter()
        .filter(|f| f.remote.as_ref().is_some_and(|r| !r.configured))
        .map(|f| f.url.clone())
        .collect()
}

/// The sync server as the keys that act on it need to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The protocol's name, for messages ("Fever", "Google Reader").
    pub name: &'static str,
    /// Whether it can subscribe and unsubscribe (Fever's API cannot).
    pub edits_feeds: bool,
}

impl Model {
    /// Takes what the UI shows from `config`: keys, theme, reader, feed list, server.
    pub fn apply_config(&mut self, config: &Config) {
        // The config reads [keys] (with its preset) into actions and keys.
        self.keymap = Keymap::with_overrides(&config.keys);
        self.theme = crate::tui::theme::Theme::from_config(&config.theme, self.no_color);
        self.reader_max_width = usize::from(config.reader.max_width);
        self.hyperlinks = config.reader.hyperlinks;
        self.enclosure_command = !config.general.enclosure_command.is_empty();
        self.images_on = crate::tui::images::shown(config.reader.images, self.auto_images);
        self.feed_order = config.general.feed_list_order;
        self.feed_layout = config.general.feed_list;
        self.stories = config.general.stories != crate::story::Mode::Off;
        self.save_dir = crate::export::save_dir(
            config.reader.save_dir.as_deref(),
            config.general.download_dir.as_deref(),
        );
        self.sync_folder = config.folder.is_some();
        self.server = config.sync.as_ref().map(|s| {
            let fever = s.provider == crate::config::Provider::Fever;
            Server {
                name: if fever { "Fever" } else { "Google Reader" },
                edits_feeds: !fever,
            }
        });
        self.server_feeds = server_feeds(config);
    }

    /// The tags of the feeds, in the order the feed list shows their groups.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for f in self.feeds.iter().filter(|f| !f.hidden) {
            for t in &f.tags {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
        }
        tags
    }
}
