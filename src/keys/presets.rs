//! Keymap presets: `[keys] preset = "newsboat"` gives newsboat's keys their newsboat
//! meaning where bulletin has the action, and moves bulletin's own keys that would clash
//! to free ones. The config's own `[keys]` come on top of the preset.

use super::*;

/// Which keymap the bindings start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    #[default]
    Bulletin,
    Newsboat,
}

impl Preset {
    pub fn parse(name: &str) -> Result<Preset, String> {
        match name {
            "bulletin" | "default" => Ok(Preset::Bulletin),
            "newsboat" => Ok(Preset::Newsboat),
            other => Err(format!(
                "unknown preset {other:?} for [keys] (known: \"bulletin\", \"newsboat\")"
            )),
        }
    }

    /// The actions this preset binds otherwise than the defaults, with their keys.
    pub fn bindings(self) -> &'static [(Action, &'static [&'static str])] {
        match self {
            Preset::Bulletin => &[],
            Preset::Newsboat => NEWSBOAT,
        }
    }
}

/// newsboat's default keys for the actions bulletin has (newsboat's name in the comment);
/// bulletin's keys these take are moved: star to `*`, full text to `x`, undo to `U`.
const NEWSBOAT: &[(Action, &[&str])] = &[
    (Action::NextUnread, &["n"]),         // next-unread
    (Action::PrevUnread, &["p"]),         // prev-unread
    (Action::ToggleRead, &["N", "m"]),    // toggle-article-read
    (Action::MarkAllRead, &["A"]),        // mark-feed-read
    (Action::MarkEverythingRead, &["C"]), // mark-all-feeds-read
    (Action::SaveArticle, &["s", "w"]),   // save
    (Action::SelectTag, &["t"]),          // select-tag
    (Action::ShowLinks, &["u"]),          // show-urls
    (Action::EditConfig, &["Ctrl-e"]),    // edit-urls (the config holds the feeds)
    (Action::FollowLink, &["f", "#"]),    // goto-url
    (Action::BackOrQuit, &["q"]),         // quit: back a level, quit at the top
    (Action::Quit, &["Q", "Ctrl-c"]),     // hard-quit
    (Action::ToggleStar, &["*"]),         // (newsboat has flags: bulletin's star)
    (Action::ToggleFullText, &["x"]),     // (no newsboat key)
    (Action::Undo, &["U"]),               // (no newsboat key)
];

/// The bindings of `preset` as (action, keys), parsed: the ground the config's own
/// `[keys]` are laid over.
pub fn preset_bindings(preset: Preset) -> Vec<Binding> {
    preset
        .bindings()
        .iter()
        .map(|(action, keys)| {
            (
                *action,
                keys.iter().filter_map(|k| KeySpec::parse(k).ok()).collect(),
            )
        })
        .collect()
}
