//! The one place that knows the YAML library.
//!
//! Front matter, `site.yaml` and data files are parsed here with serde_yaml (the
//! design card's choice: archived but final, with limits against alias bombs and
//! deep nesting). Everything else sees [`Value`], typed structs and [`YamlError`]s
//! with positions, so a maintained successor can replace the library here alone.
//!
//! Typed parsing collects *every* problem of a document: unknown keys are found by
//! comparing keys with the fields the target structs declare, and a field of the
//! wrong type is reported, dropped, and the rest parsed again.

use crate::diagnostics::{Position, did_you_mean};
use serde::de::{self, DeserializeOwned, Visitor};

/// A parsed YAML value.
pub type Value = serde_yaml::Value;
/// A YAML mapping.
pub type Mapping = serde_yaml::Mapping;

/// A problem in a YAML document, positioned within that document (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub position: Position,
    pub message: String,
    pub help: Option<String>,
}

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Parses a document into a generic value. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_yaml::from_str::<Value>(text).map_err(|e| syntax_error(text, &e))
}

/// A parse error, worded without libyaml's own positions. When the parser only
/// noticed the problem at the end of the text (an unclosed `[` or quote), the
/// place where the unfinished construct starts is the useful one.
fn syntax_error(text: &str, e: &serde_yaml::Error) -> YamlError {
    let raw = e.to_string();
    let mut position = e
        .location()
        .map(|l| Position::new(l.line(), l.column()))
        .unwrap_or(Position::new(1, 1));
    let at_end = e
        .location()
        .is_some_and(|l| l.index() + 1 >= text.trim_end().len());
    // "{problem} at line L column C, while parsing {context} at line L2 column C2"
    let (problem, context) = match raw.split_once(", while parsing ") {
        Some((p, c)) => (p, Some(c)),
        None => (raw.as_str(), None),
    };
    let mut message = strip_location(problem).to_string();
    if let Some(context) = context {
        let what = strip_location(context);
        match context_position(context) {
            Some(start) if at_end => {
                position = start;
                message = format!("{message}: the {what} here is never closed");
            }
            Some(start) => {
                message = format!(
                    "{message} (in the {what} that starts at line {})",
                    start.line
                )
            }
            None => message = format!("{message} (while parsing a {what})"),
        }
    }
    let message = match message.as_str() {
        "repetition limit exceeded" => "too many aliases (a YAML alias bomb?)".to_string(),
        "recursion limit exceeded" => "YAML nested too deeply".to_string(),
        _ => message,
    };
    YamlError {
        position,
        message,
        help: None,
    }
}

fn strip_location(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => text,
    }
}

/// The "at line L column C" at the end of a libyaml context.
fn context_position(context: &str) -> Option<Position> {
    let rest = &context[context.rfind(" at line ")? + " at line ".len()..];
    let (line, column) = rest.split_once(" column ")?;
    Some(Position::new(
        line.trim().parse().ok()?,
        column.trim().parse().ok()?,
    ))
}

/// The field names a struct declares to serde (for unknown-key checks).
///
/// Works for plain `#[derive(Deserialize)]` structs (no `flatten`).
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Capture(Option<&'static [&'static str]>);
    impl<'de> de::Deserializer<'de> for &mut Capture {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("captured"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut capture = Capture(None);
    let _ = T::deserialize(&mut capture);
    capture.0.unwrap_or(&[])
}

/// Reports every top-level key of `value` that none of `known` declares.
pub fn unknown_keys(value: &Value, text: &str, known: &[&[&str]], what: &str) -> Vec<YamlError> {
    let Value::Mapping(map) = value else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    for key in map.keys() {
        let name = match key {
            Value::String(s) => s.clone(),
            other => scalar_text(other).unwrap_or_else(|| "?".into()),
        };
        if known.iter().any(|fields| fields.contains(&name.as_str())) {
            continue;
        }
        let candidates = known.iter().flat_map(|f| f.iter().copied());
        errors.push(YamlError {
            position: locate(text, &[Segment::Key(name.clone())]),
            message: format!("unknown field `{name}` in {what}"),
            help: did_you_mean(&name, candidates).map(|s| format!("did you mean `{s}`?")),
        });
    }
    errors
}

/// Deserializes `T` from `value`, collecting all problems. A field that fails is
/// reported at its place in `text`, removed, and the rest parsed again, so the
/// returned `T` holds every field that was right.
pub fn typed<T: DeserializeOwned>(value: &Value, text: &str) -> (Option<T>, Vec<YamlError>) {
    let mut value = match value {
        Value::Null => Value::Mapping(Mapping::new()),
        v => v.clone(),
    };
    let mut errors = Vec::new();
    // Each round removes one bad node; a document has far fewer than this.
    for _ in 0..64 {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return (Some(t), errors),
            Err(err) => {
                let path = to_segments(err.path());
                let (message, help) = explain(&err.inner().to_string(), &path);
                errors.push(YamlError {
                    position: locate(text, &path),
                    message,
                    help,
                });
                if path.is_empty() || !remove(&mut value, &path) {
                    return (None, errors);
                }
            }
        }
    }
    (None, errors)
}

fn to_segments(path: &serde_path_to_error::Path) -> Vec<Segment> {
    use serde_path_to_error::Segment as S;
    path.iter()
        .filter_map(|s| match s {
            S::Seq { index } => Some(Segment::Index(*index)),
            S::Map { key } => Some(Segment::Key(key.clone())),
            _ => None,
        })
        .collect()
}

fn dotted(path: &[Segment]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Turns serde's wording into a message that names the field, with a hint.
fn explain(raw: &str, path: &[Segment]) -> (String, Option<String>) {
    let field = dotted(path);
    // serde: "unknown field `x`, expected one of `a`, `b`" or "expected `a` or `b`"
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let parent = match path.split_last() {
            Some((Segment::Key(_), parent)) => dotted(parent),
            _ => field.clone(),
        };
        let place = if parent.is_empty() {
            String::new()
        } else {
            format!(" in `{parent}`")
        };
        let help = did_you_mean(name, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (!expected.is_empty()).then(|| format!("expected one of {}", expected.join(", ")))
            });
        return (format!("unknown field `{name}`{place}"), help);
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        let place = if field.is_empty() {
            String::new()
        } else {
            format!(" in `{field}`")
        };
        return (format!("missing field `{name}`{place}"), None);
    }
    if field.is_empty() {
        return (raw.to_string(), None);
    }
    (format!("`{field}`: {raw}"), None)
}

/// Removes the node at `path` (a key from its mapping, an item from its sequence).
fn remove(value: &mut Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for seg in parents {
        node = match (seg, node) {
            (Segment::Key(k), Value::Mapping(m)) => match m.get_mut(k.as_str()) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Index(i), Value::Sequence(s)) => match s.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            (_, Value::Tagged(t)) => &mut t.value,
            _ => return false,
        };
    }
    match (last, node) {
        (Segment::Key(k), Value::Mapping(m)) => m.remove(k.as_str()).is_some(),
        (Segment::Index(i), Value::Sequence(s)) if *i < s.len() => {
            s.remove(*i);
            true
        }
        _ => false,
    }
}

/// A scalar as text (numbers and booleans included), or `None` for collections.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where `path` sits in `text`: the key or item it names, or its nearest ancestor
/// that can be found. Understands block mappings and sequences (what writers write)
/// and items of one-line flow sequences (`[a, b]`).
pub fn locate(text: &str, path: &[Segment]) -> Position {
    let lines: Vec<&str> = text.lines().collect();
    let mut block = Block {
        first: 0,
        end: lines.len(),
        first_column: None,
    };
    let mut found = Position::new(1, 1);
    let mut segments = path.iter().peekable();
    while let Some(segment) = segments.next() {
        match block.find(&lines, segment) {
            Some(Found::Block(pos, next)) => {
                found = pos;
                block = next;
            }
            Some(Found::Inline(pos, rest_col, line)) => {
                found = pos;
                // a flow sequence on the same line: `key: [a, b, c]`
                if let Some(Segment::Index(i)) = segments.peek()
                    && let Some(col) = flow_item(lines[line], rest_col, *i)
                {
                    found = Position::new(line + 1, col);
                }
                break;
            }
            None => break,
        }
    }
    found
}

enum Found {
    /// The node's value is a nested block: its position and the block.
    Block(Position, Block),
    /// The node's value is on its own line from this (0-based) column; line index.
    Inline(Position, usize, usize),
}

/// A range of lines holding one mapping or sequence.
struct Block {
    first: usize,
    end: usize,
    /// For a sequence item's first line, the column where its content starts.
    first_column: Option<usize>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn char_col(line: &str, byte: usize) -> usize {
    line[..byte.min(line.len())].chars().count() + 1
}

impl Block {
    /// The first content line and its indentation in this block.
    fn content_lines<'a>(&self, lines: &[&'a str]) -> Vec<(usize, usize, &'a str)> {
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate().take(self.end).skip(self.first) {
            if is_blank(line) {
                continue;
            }
            let indent = match (i == self.first, self.first_column) {
                (true, Some(c)) => c,
                _ => indent_of(line),
            };
            out.push((i, indent, *line));
        }
        out
    }

    fn find(&self, lines: &[&str], segment: &Segment) -> Option<Found> {
        let content = self.content_lines(lines);
        let base = content.first()?.1;
        // lines at this block's own indentation are its entries
        let entries: Vec<(usize, &str)> = content
            .iter()
            .filter(|(_, indent, _)| *indent == base)
            .map(|(i, indent, line)| (*i, &line[*indent..]))
            .collect();
        let (line, rest_start) = match segment {
            Segment::Key(key) => entries.iter().find_map(|(i, rest)| {
                let r = rest.strip_prefix("- ").unwrap_or(rest);
                let offset = rest.len() - r.len();
                key_matches(r, key).then_some((*i, base + offset))
            })?,
            Segment::Index(index) => {
                let items: Vec<usize> = entries
                    .iter()
                    .filter(|(_, r)| r.starts_with('-'))
                    .map(|(i, _)| *i)
                    .collect();
                let line = *items.get(*index)?;
                let item_col = base + 2;
                let end = next_at_or_below(lines, line, base, self.end);
                let pos = Position::new(line + 1, char_col(lines[line], item_col));
                return Some(Found::Block(
                    pos,
                    Block {
                        first: line,
                        end,
                        first_column: Some(item_col),
                    },
                ));
            }
        };
        let text = lines[line];
        let pos = Position::new(line + 1, char_col(text, rest_start));
        let after_colon = text[rest_start..].find(':').map(|c| rest_start + c + 1)?;
        let value = text[after_colon..].trim();
        if !value.is_empty()
            && !value.starts_with('#')
            && !value.starts_with('|')
            && !value.starts_with('>')
        {
            let value_col =
                after_colon + (text[after_colon..].len() - text[after_colon..].trim_start().len());
            return Some(Found::Inline(pos, value_col, line));
        }
        // the value is the block below; `key:\n- a` may keep the same indentation
        let key_indent = rest_start;
        let mut end = line + 1;
        while end < self.end {
            let l = lines[end];
            if !is_blank(l) {
                let ind = indent_of(l);
                let same_level_item = ind == key_indent && l[ind..].starts_with('-');
                if ind < key_indent || (ind == key_indent && !same_level_item) {
                    break;
                }
            }
            end += 1;
        }
        Some(Found::Block(
            pos,
            Block {
                first: line + 1,
                end,
                first_column: None,
            },
        ))
    }
}

fn key_matches(rest: &str, key: &str) -> bool {
    for quote in ["", "\"", "'"] {
        if let Some(r) = rest.strip_prefix(quote)
            && let Some(r) = r.strip_prefix(key)
            && let Some(r) = r.strip_prefix(quote)
            && r.trim_start().starts_with(':')
        {
            return true;
        }
    }
    false
}

fn next_at_or_below(lines: &[&str], line: usize, indent: usize, end: usize) -> usize {
    let mut i = line + 1;
    while i < end {
        if !is_blank(lines[i]) && indent_of(lines[i]) <= indent {
            break;
        }
        i += 1;
    }
    i
}

/// The column (1-based, in characters) of item `index` of a flow sequence that
/// starts at byte `start` of `line`.
fn flow_item(line: &str, start: usize, index: usize) -> Option<usize> {
    let rest = &line[start..];
    if !rest.starts_with('[') {
        return None;
    }
    let mut depth = 0usize;
    let mut item = 0usize;
    let mut item_start = None;
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                item += 1;
                continue;
            }
            '"' | '\'' => quote = Some(c),
            _ => {}
        }
        if depth >= 1 && !c.is_whitespace() && item == index && item_start.is_none() {
            item_start = Some(i);
        }
    }
    item_start.map(|i| char_col(line, start + i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    #[test]
    fn locates_block_keys_items_and_flow_items() {
        let text = "title: A\nstats:\n  volunteers: 3\n  served: 4\nteams:\n  - 甲\n  - 乙\nphotos:\n- src: a.jpg\n  alt: x\n- src: b.jpg\n  alt: y\ntags: [a, b, c]\n";
        assert_eq!(
            locate(text, &[key("stats"), key("served")]),
            Position::new(4, 3)
        );
        assert_eq!(
            locate(text, &[key("teams"), Segment::Index(1)]),
            Position::new(7, 5)
        );
        assert_eq!(
            locate(text, &[key("photos"), Segment::Index(1), key("alt")]),
            Position::new(12, 3)
        );
        assert_eq!(
            locate(text, &[key("photos"), Segment::Index(1), key("src")]),
            Position::new(11, 3)
        );
        assert_eq!(
            locate(text, &[key("tags"), Segment::Index(2)]),
            Position::new(13, 14)
        );
        assert_eq!(locate(text, &[key("nope")]), Position::new(1, 1));
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        title: Option<String>,
        stats: Option<BTreeMap<String, u64>>,
        contact: Option<Contact>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Contact {
        phone: Option<String>,
    }

    #[test]
    fn typed_collects_every_error() {
        let text = "title: A\nstats:\n  volunteers: -3\n  served: x\ncontact:\n  phnoe: 1\n";
        let value = parse(text).unwrap();
        let (doc, errors) = typed::<Doc>(&value, text);
        assert!(doc.is_some());
        let lines: Vec<usize> = errors.iter().map(|e| e.position.line).collect();
        assert_eq!(lines, vec![3, 4, 6], "{errors:?}");
        assert_eq!(errors[2].help.as_deref(), Some("did you mean `phone`?"));
    }

    #[test]
    fn unknown_top_level_keys() {
        let text = "titel: A\ndate: 2024-01-01\n";
        let value = parse(text).unwrap();
        let errors = unknown_keys(
            &value,
            text,
            &[fields_of::<Doc>(), &["date"]],
            "front matter",
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position, Position::new(1, 1));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.position.line >= 2, "{err:?}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        assert!(parse(&text).is_err());
    }
}
