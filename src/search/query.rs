//! The search language, parsed: words, `"phrases"`, `-excluded`, `OR`, `( )`, and the
//! fields `title:`, `author:`, `feed:`, `tag:`, `is:`, `after:`, `before:`.
//!
//! Parsing knows nothing of SQL or of the feeds: it gives a tree that `compile` turns into
//! an index query and `matcher` evaluates against one article. Every mistake is one line
//! naming the column where it is.

use super::lex::{lex, Tok, Token};
use super::when::date;
use chrono::{DateTime, Utc};

/// A mistake in a query: what is wrong and where (a 1-based column in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

/// Which part of an article a word must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Any,
    Title,
    Author,
}

/// Words to find: all of them, as one phrase when quoted; the last one as a prefix with `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub field: Field,
    /// As typed (quotes removed); the index splits it into words the way it splits text.
    pub text: String,
    pub prefix: bool,
}

/// The part of a query the index answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Term(Term),
    And(Vec<Text>),
    Or(Vec<Text>),
    Not(Box<Text>),
}

/// The parts the article list's own columns answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `feed:NAME`: feeds whose name or address contains NAME.
    Feed(String),
    Tag(String),
    Read(bool),
    Starred(bool),
    Hidden(bool),
    /// Inclusive lower bound, a Unix time.
    After(i64),
    /// Exclusive upper bound, a Unix time.
    Before(i64),
}

/// A whole query: every part must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Text that must match (ANDed), including `-excluded` parts as `Text::Not`.
    pub text: Vec<Text>,
    /// Filters that must hold, with `false` for `-feed:x` style exclusions.
    pub filters: Vec<(Filter, bool)>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.filters.is_empty()
    }

    /// The words to highlight: every term not excluded.
    pub fn highlight_terms(&self) -> Vec<Term> {
        fn walk(t: &Text, out: &mut Vec<Term>) {
            match t {
                Text::Term(term) => out.push(term.clone()),
                Text::And(v) | Text::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Text::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        self.text.iter().for_each(|t| walk(t, &mut out));
        out
    }
}

/// Parses a query as of `now` (for relative dates such as `after:-7d`).
pub fn parse(input: &str, now: DateTime<Utc>) -> Result<Query, QueryError> {
    let tokens = lex(input)?;
    // Each word is a term the index matches (a prefix one, `a*`, many): a query of
    // thousands took minutes. Nobody types this many.
    if let Some(t) = tokens
        .iter()
        .filter(|t| matches!(t.tok, Tok::Atom { .. }))
        .nth(MAX_WORDS)
    {
        return Err(err(
            t.column,
            format!("more than {MAX_WORDS} words; search for fewer"),
        ));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        now,
        depth: 0,
    };
    let node = p.and()?;
    if let Some(t) = p.tokens.get(p.pos) {
        return Err(err(t.column, "unmatched )"));
    }
    let mut query = Query::default();
    if let Some(node) = node {
        flatten(node, &mut query)?;
    }
    // Something typed that searches nothing (`""`, `-`, `&`): say so rather than list
    // nothing, or everything.
    if query.is_empty() {
        if let Some(first) = p.tokens.first() {
            return Err(err(
                first.column,
                "nothing to search for: a word, a \"phrase\" or a field (title:word)",
            ));
        }
    }
    Ok(query)
}

pub(super) fn err(column: usize, message: impl Into<String>) -> QueryError {
    QueryError {
        column,
        message: message.into(),
    }
}

/// The tree before it is sorted into text and filters.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(Text),
    Filter(Filter, bool, usize),
    And(Vec<Node>),
    Or(Vec<Node>, usize),
    Not(Box<Node>, usize),
}

/// Groups nest at most this deep: the parser, and every walk over the query after it,
/// recurse once per level, and a query is typed (or pasted) by anyone.
pub const MAX_GROUP_DEPTH: usize = 32;

/// Words (terms, filters) in one query at most.
pub const MAX_WORDS: usize = 64;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    now: DateTime<Utc>,
    /// Groups open at this point.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn column(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map(|t| t.column)
            .unwrap_or(1)
    }

    /// A sequence of parts that must all hold; OR binds tighter than the space, as in
    /// web search: `a b OR c` is a and (b or c).
    fn and(&mut self) -> Result<Option<Node>, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) => break,
                Some(Tok::Or) => return Err(err(self.column(), "OR needs something on each side")),
                _ => {}
            }
            let column = self.column();
            let Some(first) = self.unary()? else {
                continue;
            };
            let mut alternatives = vec![first];
            while self.peek() == Some(&Tok::Or) {
                let at = self.column();
                self.pos += 1;
                loop {
                    match self.peek() {
                        None | Some(Tok::Close) | Some(Tok::Or) => {
                            return Err(err(at, "OR needs something on each side"))
                        }
                        _ => {}
                    }
                    if let Some(next) = self.unary()? {
                        alternatives.push(next);
                        break;
                    }
                }
            }
            parts.push(if alternatives.len() == 1 {
                alternatives.remove(0)
            } else {
                Node::Or(alternatives, column)
            });
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::And(parts)),
        })
    }

    /// One word, phrase, field or group, with its `-`; None for a word that is only
    /// punctuation.
    fn unary(&mut self) -> Result<Option<Node>, QueryError> {
        let column = self.column();
        match self.peek().cloned() {
            Some(Tok::Open) | Some(Tok::NotOpen) => {
                let negated = self.peek() == Some(&Tok::NotOpen);
                if self.depth >= MAX_GROUP_DEPTH {
                    return Err(err(
                        column,
                        format!("( nests deeper than {MAX_GROUP_DEPTH} groups"),
                    ));
                }
                self.pos += 1;
                self.depth += 1;
                let inner = self.and();
                self.depth -= 1;
                let inner = inner?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(err(column, "( is not closed"));
                }
                self.pos += 1;
                let Some(inner) = inner else {
                    return Err(err(column, "( ) has nothing inside"));
                };
                Ok(Some(if negated {
                    Node::Not(Box::new(inner), column)
                } else {
                    inner
                }))
            }
            Some(Tok::Atom {
                negated,
                field,
                value,
                quoted,
            }) => {
                self.pos += 1;
                Ok(self
                    .atom(field, value, quoted, column)?
                    .map(|node| match (negated, node) {
                        (true, Node::Filter(f, yes, c)) => Node::Filter(f, !yes, c),
                        (true, other) => Node::Not(Box::new(other), column),
                        (false, other) => other,
                    }))
            }
            _ => Ok(None),
        }
    }

    fn atom(
        &self,
        field: Option<String>,
        value: String,
        quoted: bool,
        column: usize,
    ) -> Result<Option<Node>, QueryError> {
        let term = |field: Field, value: String| {
            let (text, prefix) = match value.strip_suffix('*') {
                Some(stem) if !quoted => (stem.to_string(), true),
                _ => (value, false),
            };
            // Punctuation alone ("&", "—") is no word: the index would find nothing.
            if !text.chars().any(char::is_alphanumeric) {
                return None;
            }
            Some(Node::Text(Text::Term(Term {
                field,
                text,
                prefix,
            })))
        };
        let filter = |f: Filter| Ok(Some(Node::Filter(f, true, column)));
        let Some(field) = field else {
            return Ok(term(Field::Any, value));
        };
        if value.trim().is_empty() {
            return Err(err(column, format!("{field}: needs a value")));
        }
        match field.as_str() {
            "title" => Ok(term(Field::Title, value)),
            "author" => Ok(term(Field::Author, value)),
            "feed" => filter(Filter::Feed(value)),
            "tag" => filter(Filter::Tag(value)),
            "is" => match value.to_ascii_lowercase().as_str() {
                "unread" => filter(Filter::Read(false)),
                "read" => filter(Filter::Read(true)),
                "starred" => filter(Filter::Starred(true)),
                "hidden" => filter(Filter::Hidden(true)),
                other => Err(err(
                    column,
                    format!(
                        "is:{other} is unknown; use is:unread, is:read, is:starred or is:hidden"
                    ),
                )),
            },
            "after" => date(&value, self.now)
                .map(|t| Some(Node::Filter(Filter::After(t), true, column)))
                .map_err(|m| err(column, m)),
            "before" => date(&value, self.now)
                .map(|t| Some(Node::Filter(Filter::Before(t), true, column)))
                .map_err(|m| err(column, m)),
            other => Err(err(
                column,
                format!(
                    "{other}: is not a field (title: author: feed: tag: is: after: before:); \
                     put the word in quotes to search for it"
                ),
            )),
        }
    }
}

/// Sorts the tree into text and filters; filters may not sit under OR or an excluded group.
fn flatten(node: Node, query: &mut Query) -> Result<(), QueryError> {
    match node {
        Node::And(parts) => parts.into_iter().try_for_each(|p| flatten(p, query)),
        Node::Filter(f, yes, _) => {
            query.filters.push((f, yes));
            Ok(())
        }
        other => {
            query.text.push(text_only(other)?);
            Ok(())
        }
    }
}

fn text_only(node: Node) -> Result<Text, QueryError> {
    match node {
        Node::Text(t) => Ok(t),
        Node::And(parts) => Ok(Text::And(
            parts.into_iter().map(text_only).collect::<Result<_, _>>()?,
        )),
        Node::Or(parts, _) => Ok(Text::Or(
            parts.into_iter().map(text_only).collect::<Result<_, _>>()?,
        )),
        Node::Not(inner, _) => Ok(Text::Not(Box::new(text_only(*inner)?))),
        Node::Filter(_, _, column) => Err(err(
            column,
            "feed:, tag:, is:, after: and before: cannot be joined with OR or put in -( )",
        )),
    }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
