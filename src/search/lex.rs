//! The query split into tokens: `(`, `)`, `OR`, and words, phrases and fields with
//! their `-`, each with the column it starts at.

use super::query::{err, QueryError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open,
    Close,
    Or,
    /// A word, phrase or field, with its `-`.
    Atom {
        negated: bool,
        field: Option<String>,
        value: String,
        quoted: bool,
    },
    /// `-(`: an excluded group.
    NotOpen,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub column: usize,
}

/// The field names of the search language.
const FIELDS: &[&str] = &["title", "author", "feed", "tag", "is", "after", "before"];

pub(super) fn lex(input: &str) -> Result<Vec<Token>, QueryError> {
    // Control characters (a NUL would end the string FTS5 reads) count as spaces.
    let chars: Vec<char> = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' {
            out.push(Token {
                tok: Tok::Open,
                column,
            });
            i += 1;
            continue;
        }
        if c == ')' {
            out.push(Token {
                tok: Tok::Close,
                column,
            });
            i += 1;
            continue;
        }
        let negated = c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if negated {
            i += 1;
            if chars[i] == '(' {
                out.push(Token {
                    tok: Tok::NotOpen,
                    column,
                });
                i += 1;
                continue;
            }
        }
        // A field name is letters before a colon that is followed by something.
        let mut field = None;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        // `word:` then a space is a word ("Update: ..."); a field's name alone is a
        // field with no value, which the parser names as a mistake.
        let name: String = chars[i..j].iter().collect::<String>().to_ascii_lowercase();
        let bare_field = FIELDS.contains(&name.as_str());
        if j > i
            && chars.get(j) == Some(&':')
            && (bare_field || chars.get(j + 1).is_some_and(|n| !n.is_whitespace()))
        {
            field = Some(name);
            i = j + 1;
        }
        let (value, quoted) = if chars.get(i) == Some(&'"') {
            let start = i + 1;
            let Some(len) = chars[start..].iter().position(|&c| c == '"') else {
                return Err(err(i + 1, "a \" is not closed"));
            };
            i = start + len + 1;
            (chars[start..start + len].iter().collect::<String>(), true)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '(' && chars[i] != ')'
            {
                i += 1;
            }
            (chars[start..i].iter().collect::<String>(), false)
        };
        let tok = if !negated && field.is_none() && !quoted && value == "OR" {
            Tok::Or
        } else {
            Tok::Atom {
                negated,
                field,
                value,
                quoted,
            }
        };
        out.push(Token { tok, column });
    }
    Ok(out)
}
