//! The inline syntax of pack text. Only `{` is special, so every other character a writer
//! types (`# $ * _ @ < \ [ ] =` …) prints literally:
//!
//! - `{i:Title of a plan}` — italic (titles of plans, laws, documents)
//! - `{b:words}` — strong
//! - `{group.indicator}` / `{group.indicator@2020}` — a data reference
//! - `{{` and `}}` — literal braces

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Emph(String),
    Strong(String),
    /// A data reference; `at` is the byte range of `{…}` in the string, for diagnostics.
    Ref {
        id: String,
        year: Option<i32>,
        at: Range<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineError {
    pub at: Range<usize>,
    pub message: String,
    pub hint: &'static str,
}

pub fn parse(s: &str) -> Result<Vec<Piece>, Vec<InlineError>> {
    let mut pieces = Vec::new();
    let mut errors = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("{{") {
            text.push('{');
            i += 2;
        } else if rest.starts_with("}}") {
            text.push('}');
            i += 2;
        } else if bytes[i] == b'{' {
            let Some(close) = rest.find('}') else {
                errors.push(InlineError {
                    at: i..s.len(),
                    message: "`{` is never closed".into(),
                    hint: "close it with `}`, or write `{{` for a literal brace",
                });
                break;
            };
            let inner = &rest[1..close];
            let at = i..i + close + 1;
            if inner.contains('{') {
                // Forms do not nest: this `{` lacks its `}` before the next one opens.
                errors.push(InlineError {
                    at: i..i + 1,
                    message: "`{` is not closed before the next `{`".into(),
                    hint: "close it with `}` (forms cannot be nested), or write `{{` for a literal brace",
                });
            } else {
                match form(inner, at.clone()) {
                    Ok(p) => {
                        if !text.is_empty() {
                            pieces.push(Piece::Text(std::mem::take(&mut text)));
                        }
                        pieces.push(p);
                    }
                    Err((message, hint)) => errors.push(InlineError { at: at.clone(), message, hint }),
                }
            }
            i = at.end;
        } else {
            let ch = rest.chars().next().expect("non-empty");
            text.push(ch);
            i += ch.len_utf8();
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if errors.is_empty() { Ok(pieces) } else { Err(errors) }
}

fn form(inner: &str, at: Range<usize>) -> Result<Piece, (String, &'static str)> {
    if let Some(t) = inner.strip_prefix("i:") {
        return Ok(Piece::Emph(t.to_string()));
    }
    if let Some(t) = inner.strip_prefix("b:") {
        return Ok(Piece::Strong(t.to_string()));
    }
    let (id, year) = match inner.split_once('@') {
        Some((id, y)) => match y.parse::<i32>() {
            Ok(y) => (id, Some(y)),
            Err(_) => {
                return Err((
                    format!("`{y}` in `{{{inner}}}` is not a year"),
                    "write the year after `@`, e.g. `{sdg13.nev_sales@2020}`",
                ));
            }
        },
        None => (inner, None),
    };
    let well_formed = id
        .split_once('.')
        .is_some_and(|(g, k)| crate::files::is_valid_id(g, &['_', '-']) && crate::files::is_valid_id(k, &['_']));
    if !well_formed {
        return Err((
            format!("`{{{inner}}}` is not an inline form"),
            "use {i:italic}, {b:strong}, {group.indicator} or {group.indicator@year}; write `{{` for a literal brace",
        ));
    }
    Ok(Piece::Ref { id: id.to_string(), year, at })
}

/// The data references of a text as written (`{g.k}`, `{g.k@2020}`), sorted; none when the
/// text does not parse (its syntax is reported where it is checked).
///
/// These are what a translation must keep: each prints a number of the edition, so a
/// translation that drops one loses a fact, and one that adds one prints a number its source
/// does not. Styling (`{i:…}`, `{b:…}`) is not compared: its words are translated, and
/// whether a title is set in italics is each language's convention (Chinese marks titles
/// with 《》 instead), so a translation may add or drop it. `{{` and `}}` are text.
pub fn references(s: &str) -> Vec<String> {
    let mut refs: Vec<String> = parse(s)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            Piece::Ref { id, year: Some(y), .. } => Some(format!("{{{id}@{y}}}")),
            Piece::Ref { id, year: None, .. } => Some(format!("{{{id}}}")),
            _ => None,
        })
        .collect();
    refs.sort();
    refs
}

/// What `translation` lacks of the data references of `source`, and what it adds: each as
/// written, duplicates counted, order free.
pub fn reference_diff(source: &str, translation: &str) -> (Vec<String>, Vec<String>) {
    let (mut lacks, mut adds) = (Vec::new(), references(translation));
    for r in references(source) {
        match adds.iter().position(|a| *a == r) {
            Some(i) => {
                adds.remove(i);
            }
            None => lacks.push(r),
        }
    }
    (lacks, adds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_plain_text() {
        let s = r"# $x$ *a* _b_ @c <d> \e [f] = g";
        assert_eq!(parse(s).unwrap(), vec![Piece::Text(s.into())]);
    }

    #[test]
    fn forms() {
        let p = parse("The {i:Plan} has {b:bold}, {g.v_1@2020} and {{x}}.").unwrap();
        assert_eq!(
            p,
            vec![
                Piece::Text("The ".into()),
                Piece::Emph("Plan".into()),
                Piece::Text(" has ".into()),
                Piece::Strong("bold".into()),
                Piece::Text(", ".into()),
                Piece::Ref { id: "g.v_1".into(), year: Some(2020), at: 27..39 },
                Piece::Text(" and {x}.".into()),
            ]
        );
    }

    #[test]
    fn a_translation_keeps_the_data_references_in_any_order() {
        let source = "{i:The Plan} counts {g.a} and {g.b@2020}, then {g.a} again.";
        assert_eq!(reference_diff(source, "{g.b@2020} et {g.a}, {g.a}; le {b:Plan}."), (vec![], vec![]));
        assert_eq!(reference_diff(source, "{g.b@2020} et {g.a}."), (vec!["{g.a}".to_string()], vec![]));
        assert_eq!(
            reference_diff(source, "{g.b} {g.a} {g.a} {{g.c}}"),
            (vec!["{g.b@2020}".to_string()], vec!["{g.b}".to_string()])
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("ab {oops").unwrap_err();
        assert_eq!(e[0].at, 3..8);
        let e = parse("x {not an id} y {g.v@20x}").unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].at, 2..13);
        assert!(e[1].message.contains("is not a year"));
    }
}
