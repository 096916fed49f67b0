//! The one feed list every front shows: the config's feeds, then the sync server's
//! (see the sync module), then the newsletters read from the config's mailboxes, each
//! tagged with its mailbox's name. `items`, search, the TUI and the refresh all see it.

use crate::config::{Config, FeedSpec};
use crate::store::{MailFeed, Result, Store};

/// The config's feeds with those the cache knows from the sync server and the
/// mailboxes. Called again after a sync or a mailbox read, it makes the list theirs.
pub fn merge(config: &mut Config, store: &Store) -> Result<()> {
    if config.sync.is_some() {
        crate::sync::add_synced_feeds(config, store.synced_feeds()?);
    }
    add_mail_feeds(config, store.mail_feeds()?);
    Ok(())
}

/// The newsletters of the mailboxes the config still has; those of a mailbox taken out
/// of it leave the list (their articles stay cached).
pub fn add_mail_feeds(config: &mut Config, feeds: Vec<MailFeed>) {
    config.feeds.retain(|f| f.mailbox.is_none());
    for feed in feeds {
        if !config.mailboxes.iter().any(|m| m.name == feed.mailbox) {
            continue;
        }
        config.feeds.push(FeedSpec {
            url: feed.url,
            name: None,
            tags: vec![feed.mailbox.clone()],
            options: Default::default(),
            remote: None,
            mailbox: Some(feed.mailbox),
        });
    }
}
