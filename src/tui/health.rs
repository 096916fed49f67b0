//! The feed health view (`e`): every feed with its status, last success, failures in a
//! row, newest article and articles a week, sortable by each; the selected feed's address
//! and last error below it. Pure functions of the model, for `overlay` and `update`.

use super::model::Model;
use super::overlay::{Row, Tone};
use crate::model::{FeedSummary, Status};
use chrono::{DateTime, Local, Utc};

/// What the health view is sorted by; `s` moves to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HealthSort {
    /// Dead first, then failing, moved, ok.
    #[default]
    Status,
    Name,
    /// Longest without a success first.
    LastSuccess,
    Failures,
    /// Quietest first.
    Newest,
    PerWeek,
}

impl HealthSort {
    pub fn next(self) -> HealthSort {
        use HealthSort::*;
        match self {
            Status => Name,
            Name => LastSuccess,
            LastSuccess => Failures,
            Failures => Newest,
            Newest => PerWeek,
            PerWeek => Status,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HealthSort::Status => "status",
            HealthSort::Name => "name",
            HealthSort::LastSuccess => "last success",
            HealthSort::Failures => "failures",
            HealthSort::Newest => "newest article",
            HealthSort::PerWeek => "articles a week",
        }
    }
}

/// Articles a week over the last four weeks, as the store counted them.
/// None until counted; a feed with none in four weeks has 0.
pub fn per_week(m: &Model, f: &FeedSummary) -> Option<f64> {
    let counted = m.recent_counted.then_some(0);
    m.recent
        .get(&f.id)
        .copied()
        .or(counted)
        .map(|n| f64::from(n) / 4.0)
}

/// Indices into `m.feeds` in the order the view lists them.
pub fn order(m: &Model, sort: HealthSort) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..m.feeds.len()).collect();
    let now = m.now;
    let f = |i: &usize| &m.feeds[*i];
    match sort {
        HealthSort::Status => idx.sort_by_key(|i| std::cmp::Reverse(f(i).status(now))),
        HealthSort::Name => idx.sort_by_key(|i| f(i).name.to_lowercase()),
        HealthSort::LastSuccess => idx.sort_by_key(|i| f(i).last_success),
        HealthSort::Failures => {
            idx.sort_by_key(|i| std::cmp::Reverse(f(i).health.consecutive_failures))
        }
        HealthSort::Newest => idx.sort_by_key(|i| f(i).health.newest_item),
        HealthSort::PerWeek => idx.sort_by(|a, b| {
            let (x, y) = (per_week(m, f(a)), per_week(m, f(b)));
            x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
        }),
    }
    idx
}

fn day(d: Option<DateTime<Utc>>) -> String {
    d.map(|d| d.with_timezone(&Local).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "never".into())
}

/// The view's lines, and the line the selection is on (to keep it in sight).
pub fn content(m: &Model, sort: HealthSort, selected: usize, width: usize) -> (Vec<Row>, usize) {
    // The name comes last and takes what the fixed columns leave.
    let name_w = width.saturating_sub(47).max(4);
    let mut lines: Vec<Row> = vec![vec![(
        "s sorts, Enter goes to the feed, T trusts a Gemini host's new certificate, q closes"
            .to_string(),
        Tone::Dim,
    )]];
    lines.push(vec![(
        format!(
            "  {:<8} {:<10} {:>5} {:<10} {:>6}  {}",
            "status", "last ok", "fails", "newest", "a week", "feed"
        ),
        Tone::Key,
    )]);
    let mut at = 0;
    if m.feeds.is_empty() {
        lines.push(vec![("No feeds yet.".into(), Tone::Dim)]);
    }
    for (row, i) in order(m, sort).into_iter().enumerate() {
        let f = &m.feeds[i];
        let status = f.status(m.now);
        let tone = match status {
            Status::Dead | Status::Failing => Tone::Error,
            Status::Moved => Tone::Key,
            Status::Ok => Tone::Plain,
        };
        let mark = if row == selected { "▸ " } else { "  " };
        let name = crate::render::chunk_by_width(&f.name, name_w)
            .into_iter()
            .next()
            .unwrap_or_default();
        let week = per_week(m, f).map_or("…".to_string(), |w| format!("{w:.1}"));
        let text = format!(
            "{mark}{:<8} {:<10} {:>5} {:<10} {:>6}  {name}",
            status.as_str(),
            day(f.last_success),
            f.health.consecutive_failures,
            day(f.health.newest_item),
            week
        );
        if row == selected {
            at = lines.len();
            lines.push(vec![(text, Tone::Title)]);
            let mut detail = vec![format!("    {}", f.name), format!("    {}", f.url)];
            if let Some(from) = &f.health.moved_from {
                detail.push(format!("    moved from {from}"));
            }
            for d in detail {
                for piece in crate::render::chunk_by_width(&d, width.max(1)) {
                    lines.push(vec![(piece, Tone::Dim)]);
                }
            }
            if let Some(e) = &f.last_error {
                for piece in crate::render::chunk_by_width(&format!("    {e}"), width.max(1)) {
                    lines.push(vec![(piece, Tone::Error)]);
                }
            }
        } else {
            lines.push(vec![(text, tone)]);
        }
    }
    if let Some(log) = &m.log_path {
        lines.push(Vec::new());
        for piece in
            crate::render::chunk_by_width(&format!("Details are in the log: {log}"), width.max(1))
        {
            lines.push(vec![(piece, Tone::Dim)]);
        }
    }
    (lines, at)
}
