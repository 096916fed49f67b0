//! newsboat's filter language (`query:` feeds) in bulletin's query language, where the
//! meaning carries over: read state, a feed's tags, title, author and feed matches that
//! are plain text, and an article's age. Regular expressions, dates, links, flags and
//! the rest have no equivalent and are refused with what stopped the translation, never
//! guessed at.

/// `unread = "yes" and tags # "linux"` → `is:unread tag:linux`; the reason when it
/// cannot be said in bulletin's language.
pub fn translate(expr: &str) -> Result<String, String> {
    let tokens = lex(expr)?;
    let mut parser = Parser { tokens, at: 0 };
    let tree = parser.or()?;
    if let Some(extra) = parser.tokens.get(parser.at) {
        return Err(format!("unexpected {}", extra.shown()));
    }
    let query = tree.write(true);
    // What bulletin cannot run (a tag under OR, say) is refused here, not in the config.
    crate::search::query::parse(&query, chrono::Utc::now())
        .map_err(|e| format!("its translation `{query}` is not a bulletin query ({e})"))?;
    Ok(query)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Op(&'static str),
    Open,
    Close,
}

impl Token {
    fn shown(&self) -> String {
        match self {
            Token::Word(w) => format!("{w:?}"),
            Token::Text(t) => format!("\"{t}\""),
            Token::Op(o) => (*o).to_string(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
        }
    }
}

/// Longest first, so `!=` is not `!` then `=`.
const OPS: [&str; 10] = ["!=", "=~", "!~", "!#", "<=", ">=", "=", "#", "<", ">"];

fn lex(expr: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut rest = expr.trim_start();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('(') {
            out.push(Token::Open);
            rest = r;
        } else if let Some(r) = rest.strip_prefix(')') {
            out.push(Token::Close);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = r.char_indices();
            let end = loop {
                match chars.next() {
                    Some((i, '"')) => break i,
                    Some((_, '\\')) => {
                        if let Some((_, c)) = chars.next() {
                            text.push(c);
                        }
                    }
                    Some((_, c)) => text.push(c),
                    None => return Err("a \" is not closed".into()),
                }
            };
            out.push(Token::Text(text));
            rest = &r[end + 1..];
        } else if let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) {
            out.push(Token::Op(op));
            rest = &rest[op.len()..];
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || "()\"!=~#<>".contains(c))
                .unwrap_or(rest.len());
            if end == 0 {
                return Err(format!("unexpected {:?}", &rest[..1]));
            }
            out.push(Token::Word(rest[..end].to_string()));
            rest = &rest[end..];
        }
        rest = rest.trim_start();
    }
    Ok(out)
}

enum Tree {
    And(Vec<Tree>),
    Or(Vec<Tree>),
    /// A condition as bulletin writes it.
    Leaf(String),
}

impl Tree {
    /// Parentheses around every OR and every AND inside one: bulletin's OR binds tighter
    /// than its space, newsboat's `and` tighter than `or`.
    fn write(&self, top: bool) -> String {
        match self {
            Tree::Leaf(s) => s.clone(),
            Tree::And(parts) => {
                let inner: Vec<String> = parts.iter().map(|p| p.write(top)).collect();
                if top {
                    inner.join(" ")
                } else {
                    format!("({})", inner.join(" "))
                }
            }
            Tree::Or(parts) => {
                let inner: Vec<String> = parts.iter().map(|p| p.write(false)).collect();
                format!("({})", inner.join(" OR "))
            }
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> bool {
        let is = matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word);
        if is {
            self.at += 1;
        }
        is
    }

    fn or(&mut self) -> Result<Tree, String> {
        self.joined("or", Parser::and, Tree::Or)
    }

    fn and(&mut self) -> Result<Tree, String> {
        self.joined("and", Parser::condition, Tree::And)
    }

    /// `part (word part)*`: one part as it is, several joined by `join`.
    fn joined(
        &mut self,
        word: &str,
        part: fn(&mut Parser) -> Result<Tree, String>,
        join: fn(Vec<Tree>) -> Tree,
    ) -> Result<Tree, String> {
        let mut parts = vec![part(self)?];
        while self.keyword(word) {
            parts.push(part(self)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            join(parts)
        })
    }

    fn condition(&mut self) -> Result<Tree, String> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("a ( is not closed".into()),
                }
            }
            Some(Token::Word(attribute)) => {
                let op = match self.next() {
                    Some(Token::Op(op)) => op,
                    Some(Token::Word(w)) if w == "between" => {
                        return Err(format!("{attribute} between has no equivalent"))
                    }
                    other => {
                        return Err(format!(
                            "expected an operator after {attribute}, found {}",
                            other.map_or("the end".into(), |t| t.shown())
                        ))
                    }
                };
                let value = match self.next() {
                    Some(Token::Text(t)) | Some(Token::Word(t)) => t,
                    other => {
                        return Err(format!(
                            "expected a value after {attribute} {op}, found {}",
                            other.map_or("the end".into(), |t| t.shown())
                        ))
                    }
                };
                condition(&attribute, op, &value).map(Tree::Leaf)
            }
            Some(other) => Err(format!("unexpected {}", other.shown())),
            None => Err("the expression ends too soon".into()),
        }
    }
}

/// One `attribute op value` in bulletin's words.
fn condition(attribute: &str, op: &str, value: &str) -> Result<String, String> {
    let unsaid = || Err(format!("{attribute} {op} \"{value}\" has no equivalent"));
    match (attribute, op) {
        ("unread", "=" | "!=") => {
            let yes = match value {
                "yes" => true,
                "no" => false,
                _ => return unsaid(),
            };
            Ok(if yes == (op == "=") {
                "is:unread"
            } else {
                "is:read"
            }
            .into())
        }
        ("tags", "#" | "!#") => {
            let sign = if op == "!#" { "-" } else { "" };
            Ok(format!("{sign}tag:{}", quoted(value)?))
        }
        // bulletin matches a feed's name or URL by what it contains, as a plain regex does.
        ("feedtitle" | "feedurl" | "rssurl", "=~" | "!~") if plain(value) => {
            let sign = if op == "!~" { "-" } else { "" };
            Ok(format!("{sign}feed:{}", quoted(value)?))
        }
        ("title" | "author" | "content", "=~" | "!~") if plain(value) => {
            let sign = if op == "!~" { "-" } else { "" };
            let field = match attribute {
                "title" => "title:",
                "author" => "author:",
                _ => "",
            };
            Ok(format!("{sign}{field}{}", quoted(value)?))
        }
        ("age", "<" | "<=" | ">" | ">=") => {
            let days: u32 = value
                .parse()
                .map_err(|_| format!("age {op} {value}: the age is a number of days"))?;
            let edge = if op.starts_with('<') {
                "after"
            } else {
                "before"
            };
            Ok(format!("{edge}:-{days}d"))
        }
        _ => unsaid(),
    }
}

/// A regular expression with nothing but literal text in it.
fn plain(value: &str) -> bool {
    !value.trim().is_empty() && !value.contains(|c: char| "\\^$.|?*+()[]{}".contains(c))
}

/// A value as one word of bulletin's query: as it is, or in double quotes.
fn quoted(value: &str) -> Result<String, String> {
    if value.contains('"') || value.chars().any(char::is_control) {
        return Err(format!(
            "the value {:?} holds a double quote or a control character",
            crate::sanitize::clean_line(value)
        ));
    }
    Ok(
        if value
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.".contains(c))
        {
            value.to_string()
        } else {
            format!("\"{value}\"")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn what_translates() {
        for (newsboat, bulletin) in [
            ("unread = \"yes\"", "is:unread"),
            ("unread != \"yes\"", "is:read"),
            (
                "unread = \"yes\" and tags # \"tech news\"",
                "is:unread tag:\"tech news\"",
            ),
            ("tags !# \"linux\"", "-tag:linux"),
            (
                "title =~ \"rust\" or title =~ \"zig\"",
                "(title:rust OR title:zig)",
            ),
            (
                "( age <= 7 ) and feedtitle =~ \"LWN\"",
                "after:-7d feed:LWN",
            ),
            (
                "author =~ \"Ada\" and content !~ \"sponsored\"",
                "author:Ada -sponsored",
            ),
            ("age > 30", "before:-30d"),
        ] {
            assert_eq!(translate(newsboat).as_deref(), Ok(bulletin), "{newsboat}");
        }
    }

    #[test]
    fn odd_input_is_an_error_never_a_panic() {
        for odd in [
            "",
            "(",
            ")",
            "\"",
            "unread =",
            "a = \"é",
            "😀",
            "title =~ \"x\" and",
            "!",
            "~",
            "age < -1",
            "tags # \"\u{1b}[31m\"",
            "(((unread = \"yes\")))",
            "a\u{3000}= b",
        ] {
            let _ = translate(odd);
        }
        assert_eq!(
            translate("(((unread = \"yes\")))").as_deref(),
            Ok("is:unread")
        );
        assert!(translate("tags # \"\u{1b}[31m\"").is_err());
    }

    #[test]
    fn what_does_not_and_why() {
        for (newsboat, why) in [
            ("title =~ \"^Re:\"", "title =~"),
            ("link =~ \"x\"", "link"),
            ("flags # \"s\"", "flags"),
            ("age between 1:3", "between"),
            ("unread = \"maybe\"", "unread"),
            ("unread = \"yes\" or tags # \"x\"", "OR"),
            ("title =~ \"open", "not closed"),
            ("(unread = \"yes\"", "not closed"),
            ("unread", "expected an operator"),
        ] {
            let err = translate(newsboat).unwrap_err();
            assert!(err.contains(why), "{newsboat}: {err}");
        }
    }
}
