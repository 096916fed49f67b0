//! The one feed list every front shows: the config's feeds, then the sync server's
//! (see the sync module), then the newsletters read from the config's mailboxes, each
//! tagged with its mailbox's name. `items`, search, the TUI and the refresh all see it.

use crate::config::{Config, FeedSpec};
use crate::model::FeedId;
use crate::store::{MailFeed, Result, Store};

/// One feed of the list with its id in the cache.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub id: FeedId,
    pub spec: &'a FeedSpec,
}

/// A config's feeds with their ids in the cache, paired in one place: everything after
/// looks a feed up by id (or URL), never by its position in some other list.
#[derive(Debug)]
pub struct FeedList<'a> {
    entries: Vec<Listed<'a>>,
}

impl<'a> FeedList<'a> {
    /// Gives every feed of `config` its row in the cache (made where missing).
    pub fn of(config: &'a Config, store: &mut Store) -> Result<FeedList<'a>> {
        let ids = store.sync_feeds(&config.feeds)?;
        debug_assert_eq!(ids.len(), config.feeds.len());
        Ok(FeedList {
            entries: ids
                .into_iter()
                .zip(&config.feeds)
                .map(|(id, spec)| Listed { id, spec })
                .collect(),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Listed<'a>> + '_ {
        self.entries.iter().copied()
    }

    pub fn ids(&self) -> Vec<FeedId> {
        self.entries.iter().map(|e| e.id).collect()
    }

    pub fn get(&self, id: FeedId) -> Option<Listed<'a>> {
        self.iter().find(|e| e.id == id)
    }

    pub fn by_url(&self, url: &str) -> Option<Listed<'a>> {
        self.iter().find(|e| e.spec.url == url)
    }
}

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
            hidden: false,
            remote: None,
            mailbox: Some(feed.mailbox),
        });
    }
}
