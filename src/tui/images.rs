//! Pictures in the reader, where the article has them. The protocol (kitty, sixel,
//! iTerm2, or half-blocks of coloured cells) is chosen from the environment at start,
//! with no question asked of the terminal, so the first frame never waits for an answer
//! that may not come (inside tmux it does not). Each `[image: ...]` placeholder gets rows
//! reserved under it from the start, so the text does not move when a picture arrives.
//! Pictures are fetched, cached on disk (a size-limited cache, least recently used out
//! first), decoded and encoded for the terminal on a thread of their own.

use super::msg::Msg;
use crate::config::ImagesSetting;
use crate::render::Line;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::Arc;

/// Rows a picture takes in the reader.
pub const ROWS: u16 = 12;
/// The most pixels a side decoded.
const MAX_SIDE: u32 = 10_000;
/// The most memory one decoded picture may take, from what its header declares (width x
/// height x 8 bytes, a 16-bit RGBA pixel at most), checked before it is decoded: a small
/// file can declare 10,000 x 8,000 deep pixels.
const MAX_DECODED: u64 = 96 * 1024 * 1024;

/// One picture is decoded at a time, whichever article asked: paging quickly through
/// articles never stacks decodes up.
static DECODING: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// The most pictures of one article loaded.
const MAX_PER_ARTICLE: usize = 16;

/// The protocol for `[reader] images`, from the environment (`env` reads a variable).
/// None: pictures stay text placeholders (off, no colour, or tmux/screen, which do not
/// pass the protocols through unless told to).
pub fn pick(setting: ImagesSetting, env: &dyn Fn(&str) -> Option<String>) -> Option<ProtocolType> {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    match setting {
        ImagesSetting::Off => None,
        ImagesSetting::Kitty => Some(ProtocolType::Kitty),
        ImagesSetting::Sixel => Some(ProtocolType::Sixel),
        ImagesSetting::Iterm2 => Some(ProtocolType::Iterm2),
        ImagesSetting::Halfblocks => Some(ProtocolType::Halfblocks),
        ImagesSetting::Auto => {
            if set("NO_COLOR")
                || set("TMUX")
                || term.starts_with("screen")
                || term.starts_with("tmux")
            {
                None
            } else if set("KITTY_WINDOW_ID")
                || term == "xterm-kitty"
                || term == "xterm-ghostty"
                || program == "ghostty"
            {
                Some(ProtocolType::Kitty)
            } else if program == "iTerm.app"
                || program == "WezTerm"
                || set("WEZTERM_EXECUTABLE")
                || set("KONSOLE_VERSION")
            {
                Some(ProtocolType::Iterm2)
            } else if term.starts_with("foot") || term.contains("mlterm") || set("WT_SESSION") {
                Some(ProtocolType::Sixel)
            } else {
                Some(ProtocolType::Halfblocks)
            }
        }
    }
}

/// Whether the reader shows pictures with this setting, `auto` being what `pick` found
/// in the environment (the same rule as `pick`, without reading it again).
pub fn shown(setting: ImagesSetting, auto: bool) -> bool {
    match setting {
        ImagesSetting::Off => false,
        ImagesSetting::Auto => auto,
        _ => true,
    }
}

/// A picker for that protocol. The cell size is a common one: asking the terminal would
/// mean waiting for its answer.
pub fn picker(protocol: ProtocolType) -> Picker {
    let mut picker = Picker::halfblocks();
    picker.set_protocol_type(protocol);
    picker
}

/// A picture ready for the terminal, for a reader this many columns wide.
#[derive(Clone)]
pub struct Picture {
    pub protocol: Arc<Protocol>,
    pub width: usize,
    /// The rows it takes, at most `ROWS` (a small picture fewer).
    pub rows: u16,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({} columns)", self.width)
    }
}

impl PartialEq for Picture {
    fn eq(&self, other: &Picture) -> bool {
        Arc::ptr_eq(&self.protocol, &other.protocol)
    }
}

/// Where a picture goes: the first of its reserved rows, and which of the article's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub line: usize,
    pub image: usize,
    /// Rows kept: `ROWS` until the picture's own height is known.
    pub rows: u16,
}

/// The article's lines with empty rows under each line that holds a placeholder of a
/// picture with an address (`ROWS`, or the picture's own height once `known` says it:
/// none for one that could not be shown), and where each picture goes.
pub fn reserve(
    lines: Vec<Line>,
    images: &[Option<String>],
    known: &dyn Fn(usize) -> Option<u16>,
) -> (Vec<Line>, Vec<Slot>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut slots = Vec::new();
    let mut seen = 0;
    for line in lines {
        // The renderer's markers are dim, and show their no-break space as a space.
        let markers: usize = line
            .spans
            .iter()
            .filter(|s| s.style.has(crate::render::Style::DIM))
            .map(|s| s.text.matches("[image: ").count())
            .sum();
        out.push(line);
        for k in seen..seen + markers {
            if images.get(k).is_some_and(Option::is_some) && slots.len() < MAX_PER_ARTICLE {
                let rows = known(k).unwrap_or(ROWS).min(ROWS);
                slots.push(Slot {
                    line: out.len(),
                    image: k,
                    rows,
                });
                out.extend((0..rows).map(|_| Line::default()));
            }
        }
        seen += markers;
    }
    (out, slots)
}

/// What the loader needs besides the pictures.
#[derive(Clone)]
pub struct Loader {
    pub picker: Picker,
    pub cache: PathBuf,
    pub general: crate::config::General,
    pub events: Sender<Msg>,
    /// The newest load asked for: an older one stops at its next picture (a reader
    /// paging through articles leaves no fetches behind for the ones it left).
    pub latest: Arc<std::sync::atomic::AtomicU64>,
}

impl Loader {
    /// Loads these pictures (index, address) of article `req`, in order, for a reader
    /// `width` columns wide; each ends in `Msg::ImageReady`. `file://` is followed only
    /// for an article from a file.
    pub fn load(
        &self,
        req: u64,
        width: usize,
        images: Vec<(usize, String)>,
        allow_file: bool,
        origin: String,
    ) {
        self.latest.store(req, std::sync::atomic::Ordering::Relaxed);
        let this = self.clone();
        let _ = std::thread::Builder::new()
            .name("images".into())
            .spawn(move || {
                let Ok(fetcher) = crate::fetch::Fetcher::new(&this.general) else {
                    return;
                };
                let fetcher = fetcher.for_content_of(&origin);
                for (index, url) in images {
                    if this.latest.load(std::sync::atomic::Ordering::Relaxed) != req {
                        return;
                    }
                    let result = this.one(&fetcher, &url, width, allow_file, req);
                    if let Err(e) = &result {
                        tracing::info!("image {url}: {e}");
                    }
                    let picture = result.ok();
                    if this
                        .events
                        .send(Msg::ImageReady {
                            req,
                            index,
                            picture,
                        })
                        .is_err()
                    {
                        return;
                    }
                }
            });
    }

    fn one(
        &self,
        fetcher: &crate::fetch::Fetcher,
        url: &str,
        width: usize,
        allow_file: bool,
        req: u64,
    ) -> Result<Picture, String> {
        let bytes = crate::imagecache::bytes(fetcher, &self.cache, url, allow_file)?;
        let reader = |bytes: &[u8]| {
            image::ImageReader::new(std::io::Cursor::new(bytes.to_vec()))
                .with_guessed_format()
                .map_err(|e| e.to_string())
        };
        check_declared(&bytes)?;
        let _one = DECODING.lock().unwrap_or_else(|e| e.into_inner());
        // The reader has moved on while this waited: not decoded for nothing.
        if self.latest.load(std::sync::atomic::Ordering::Relaxed) != req {
            return Err("no longer shown".into());
        }
        let mut reader = reader(&bytes)?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_DECODED);
        reader.limits(limits);
        let picture = reader.decode().map_err(|e| e.to_string())?;
        let cols = u16::try_from(width).unwrap_or(u16::MAX).max(1);
        let size = ratatui::layout::Size::new(cols, ROWS);
        let protocol = self
            .picker
            .new_protocol(picture, size, ratatui_image::Resize::Fit(None))
            .map_err(|e| e.to_string())?;
        let rows = protocol.size().height.clamp(1, ROWS);
        Ok(Picture {
            protocol: Arc::new(protocol),
            width,
            rows,
        })
    }
}

/// Refuses a picture whose header declares more pixels than one may take decoded, before
/// a byte of it is decoded.
pub fn check_declared(bytes: &[u8]) -> Result<(), String> {
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    if u64::from(w) * u64::from(h) * 8 > MAX_DECODED {
        return Err(format!(
            "the picture declares {w} x {h} pixels, more than a picture may take here"
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "images_tests.rs"]
mod tests;
