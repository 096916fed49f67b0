//! Changing the config file from the program (`add`, `remove`, `rename`, `tag`, a feed
//! that moved): edits through toml_edit keep every comment and the layout, the result is
//! checked to load before it is written, and it is written aside then moved over, so a
//! crash never leaves half a config.

use super::{canonical_url, Config, ConfigError};
use std::path::{Path, PathBuf};

/// A config file open for editing.
pub struct ConfigFile {
    path: PathBuf,
    doc: toml_edit::DocumentMut,
    /// The file as it was read (None: there was none), to refuse overwriting a change
    /// made meanwhile (another editor, another bulletin).
    read: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("no [[feed]] in {path} has the URL {url}")]
    NoSuchFeed { path: String, url: String },
}

impl ConfigFile {
    /// Opens the config (a missing file is an empty one); refuses one that does not load.
    pub fn open(path: &Path) -> Result<ConfigFile, EditError> {
        let read = match std::fs::read_to_string(path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(file_error(path, format!("cannot read: {e}"))),
        };
        // None yet: the one `init` writes (every key, commented), which the first
        // subscription then lands in, rather than a file of that one table.
        let text = read.clone().unwrap_or_else(super::example::init_text);
        Config::parse(&text, path)?;
        let doc = text
            .parse()
            .map_err(|e: toml_edit::TomlError| file_error(path, e.to_string()))?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            read,
        })
    }

    /// The config as it would load now.
    pub fn config(&self) -> Result<Config, ConfigError> {
        Config::parse(&self.doc.to_string(), &self.path)
    }

    /// Appends a `[[feed]]` table.
    pub fn add_feed(
        &mut self,
        url: &str,
        name: Option<&str>,
        tags: &[String],
    ) -> Result<(), EditError> {
        let mut table = toml_edit::Table::new();
        table.insert("url", toml_edit::value(url));
        if let Some(name) = name {
            table.insert("name", toml_edit::value(name));
        }
        if !tags.is_empty() {
            table.insert("tags", toml_edit::value(tags_array(tags)));
        }
        push_table(&mut self.doc, "feed", table).map_err(|why| file_error(&self.path, why))
    }

    /// Appends a `[[query]]` (a saved search), unless the config would not load with it
    /// (its name taken, say): then nothing changes and the reason is returned.
    pub fn add_query(&mut self, name: &str, query: &str) -> Result<(), String> {
        let mut table = toml_edit::Table::new();
        table.insert("name", toml_edit::value(name));
        table.insert("query", toml_edit::value(query));
        self.push_if_it_loads("query", table)
    }

    /// Appends `table` to the `[[name]]` tables if the config still loads with it;
    /// else leaves the document as it was and returns why.
    fn push_if_it_loads(&mut self, name: &str, table: toml_edit::Table) -> Result<(), String> {
        let before = self.doc.clone();
        push_table(&mut self.doc, name, table)?;
        let loads = self.config().map(|_| ()).map_err(|e| match e {
            ConfigError::Invalid { message, .. } => message,
            other => other.to_string(),
        });
        if loads.is_err() {
            self.doc = before;
        }
        loads
    }

    /// Appends a `[[filter]]` with this query and action, unless the config would not
    /// load with it: then nothing changes and the reason is returned.
    pub fn add_filter(&mut self, query: &str, action: &str) -> Result<(), String> {
        let mut table = toml_edit::Table::new();
        table.insert("query", toml_edit::value(query));
        table.insert("action", toml_edit::value(action));
        self.push_if_it_loads("filter", table)
    }

    /// Sets `[general] browser` to this argv, unless another is chosen already: says
    /// whether it did.
    pub fn set_browser_if_unset(&mut self, argv: &[String]) -> bool {
        let list: toml_edit::Array = argv.iter().map(String::as_str).collect();
        self.set_general_if_unset("browser", list.into(), toml_edit::Array::new().into())
    }

    /// Sets `[general] KEY`, unless the file chose a value of its own: absent, or the
    /// default as written (what `bulletin init` writes, `browser = []`) is no choice.
    /// Says whether it did.
    pub fn set_general_if_unset(
        &mut self,
        key: &str,
        value: toml_edit::Value,
        default: toml_edit::Value,
    ) -> bool {
        let general = self
            .doc
            .entry("general")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut();
        let Some(general) = general else {
            return false;
        };
        let written = |v: &toml_edit::Value| v.to_string().trim().to_string();
        let chosen = general.get(key).is_some_and(|item| {
            item.as_value()
                .is_none_or(|v| written(v) != written(&default))
        });
        if chosen {
            return false;
        }
        match general.get_mut(key).and_then(|item| item.as_value_mut()) {
            // In place: the line keeps its comment.
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => {
                general.insert(key, toml_edit::value(value));
            }
        }
        true
    }

    /// Takes the feed with this (canonical) URL out.
    pub fn remove_feed(&mut self, url: &str) -> Result<(), EditError> {
        let index = self.position(url)?;
        if let Some(array) = self.feeds_mut() {
            array.remove(index);
        }
        Ok(())
    }

    /// Sets (Some) or removes (None) the feed's name.
    pub fn set_name(&mut self, url: &str, name: Option<&str>) -> Result<(), EditError> {
        let table = self.feed_mut(url)?;
        match name {
            Some(n) => {
                table.insert("name", toml_edit::value(n));
            }
            None => {
                table.remove("name");
            }
        }
        Ok(())
    }

    pub fn set_tags(&mut self, url: &str, tags: &[String]) -> Result<(), EditError> {
        let table = self.feed_mut(url)?;
        if tags.is_empty() {
            table.remove("tags");
        } else {
            table.insert("tags", toml_edit::value(tags_array(tags)));
        }
        Ok(())
    }

    /// Points the feed at a new URL (it moved), its other keys and comments kept.
    pub fn set_url(&mut self, url: &str, new_url: &str) -> Result<(), EditError> {
        let table = self.feed_mut(url)?;
        // Keep the value's own decoration (spacing, a trailing comment).
        if let Some(item) = table.get_mut("url") {
            let decor = item.as_value().map(|v| v.decor().clone());
            *item = toml_edit::value(new_url);
            if let (Some(decor), Some(v)) = (decor, item.as_value_mut()) {
                *v.decor_mut() = decor;
            }
        }
        Ok(())
    }

    /// Writes the file if the result loads; otherwise nothing is written. See
    /// `super::replace` for how: through a symlink, mode and owner kept, never over a
    /// change made since the file was read.
    pub fn save(&self) -> Result<Config, EditError> {
        let text = self.doc.to_string();
        let config = Config::parse(&text, &self.path)?;
        super::replace::write(&self.path, self.read.as_deref(), &text)
            .map_err(|reason| file_error(&self.path, reason))?;
        Ok(config)
    }

    fn feeds_mut(&mut self) -> Option<&mut toml_edit::ArrayOfTables> {
        self.doc.get_mut("feed")?.as_array_of_tables_mut()
    }

    /// The index of the `[[feed]]` whose URL is `url` once made canonical.
    fn position(&self, url: &str) -> Result<usize, EditError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        self.doc
            .get("feed")
            .and_then(|f| f.as_array_of_tables())
            .and_then(|array| {
                array
                    .iter()
                    .position(|t| table_identity(t, dir).is_some_and(|u| u == url))
            })
            .ok_or_else(|| EditError::NoSuchFeed {
                path: self.path.display().to_string(),
                url: url.to_string(),
            })
    }

    fn feed_mut(&mut self, url: &str) -> Result<&mut toml_edit::Table, EditError> {
        let index = self.position(url)?;
        let path = self.path.display().to_string();
        self.feeds_mut()
            .and_then(|a| a.get_mut(index))
            .ok_or(EditError::NoSuchFeed {
                path,
                url: url.to_string(),
            })
    }
}

/// The identity of a `[[feed]]` table as the config loads it: its canonical URL, or
/// its command's.
pub(crate) fn table_identity(table: &toml_edit::Table, dir: &Path) -> Option<String> {
    if let Some(url) = table.get("url").and_then(|u| u.as_str()) {
        return canonical_url(url, dir).ok();
    }
    let argv: Vec<String> = table
        .get("command")?
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    super::command_identity(&argv).ok()
}

/// Appends `table` to the document's `[[name]]` tables, making the array if there is
/// none yet.
pub fn push_table(
    doc: &mut toml_edit::DocumentMut,
    name: &str,
    table: toml_edit::Table,
) -> Result<(), String> {
    doc.entry(name)
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| format!("`{name}` is not an array of tables"))?
        .push(table);
    Ok(())
}

fn tags_array(tags: &[String]) -> toml_edit::Array {
    tags.iter().map(String::as_str).collect()
}

fn file_error(path: &Path, reason: String) -> EditError {
    EditError::File {
        path: path.display().to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# my feeds\n[general]\nrefresh_on_startup = false # quiet\n\n\
        # the first one\n[[feed]]\nurl = \"https://a.example/feed\" # moved once already\nname = \"A\"\n\n\
        # the second one\n[[feed]]\nurl = \"https://b.example/rss\"\ntags = [\"x\"]\n";

    #[test]
    fn every_edit_keeps_comments_and_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, TEXT).unwrap();
        let mut file = ConfigFile::open(&path).unwrap();
        file.add_feed("https://c.example/atom", Some("C"), &["y".into()])
            .unwrap();
        file.set_name("https://b.example/rss", Some("B")).unwrap();
        file.set_tags("https://b.example/rss", &["x".into(), "z".into()])
            .unwrap();
        file.set_url("https://a.example/feed", "https://a2.example/feed")
            .unwrap();
        let config = file.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for comment in [
            "# my feeds",
            "# quiet",
            "# the first one",
            "# moved once already",
            "# the second one",
        ] {
            assert!(text.contains(comment), "{comment} lost:\n{text}");
        }
        let urls: Vec<&str> = config.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a2.example/feed",
                "https://b.example/rss",
                "https://c.example/atom"
            ]
        );
        assert_eq!(config.feeds[1].name.as_deref(), Some("B"));
        assert_eq!(config.feeds[1].tags, ["x", "z"]);
        let mut file = ConfigFile::open(&path).unwrap();
        file.remove_feed("https://b.example/rss").unwrap();
        file.set_name("https://a2.example/feed", None).unwrap();
        let config = file.save().unwrap();
        assert_eq!(config.feeds.len(), 2);
        assert_eq!(config.feeds[0].name, None);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# moved once already"), "{text}");
        assert!(matches!(
            file.remove_feed("https://nope.example/"),
            Err(EditError::NoSuchFeed { .. })
        ));
    }
}
