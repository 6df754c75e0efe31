//! A Markdown file as read from disk: its text, split into front matter and body.

use crate::diagnostics::{Diagnostic, Position};
use crate::yaml::YamlError;
use std::ops::Range;
use std::path::PathBuf;

/// One `.md` file of `content/`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path under `content/`, `/`-separated (`青羊区/四道街社区/_index.md`).
    pub path: String,
    /// How messages name the file (the site root as given, joined with `content/…`).
    pub display: PathBuf,
    /// The whole text, BOM removed and line ends normalized to `\n` (up to
    /// the body, once the body is dropped).
    pub text: String,
    /// The YAML between the `---` lines.
    pub front_matter: Range<usize>,
    /// Line number (1-based) of the first line of the front matter.
    pub front_matter_line: usize,
    /// Where the Markdown body starts.
    pub body_start: usize,
    /// The body was let go to save memory ([`Source::drop_body`]): once the
    /// resolve stage rendered it, or, in a big site, before, and then it is
    /// read again from the file to be scanned and rendered ([`Source::reread`]).
    pub body_dropped: bool,
}

/// The bytes as text: simdutf8 checks Chinese text several times faster than
/// std, whose error (on the rare file that is not UTF-8) says where it fails.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that the bytes are UTF-8
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

impl Source {
    /// Reads a file's bytes into a source, or says why it can't.
    pub fn new(path: String, display: PathBuf, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        let text = match utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let good = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
                return Err(Diagnostic::error(
                    "the file is not UTF-8 text (saved as GBK or another encoding?); save it as UTF-8",
                )
                .in_file(display)
                .at(Position::of_offset(&good, valid)));
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text
        };
        let (front_matter, body_start) = split(&text)
            .map_err(|(pos, msg)| Diagnostic::error(msg).in_file(display.clone()).at(pos))?;
        Ok(Source {
            path,
            display,
            text,
            front_matter,
            front_matter_line: 2,
            body_start,
            body_dropped: false,
        })
    }

    /// Forgets the Markdown body, keeping the front matter that messages
    /// point into: a one-off build of a big site holds the front matter of
    /// every file but the body of only those it is rendering.
    pub fn drop_body(&mut self) {
        self.text.truncate(self.body_start);
        self.text.shrink_to_fit();
        self.body_dropped = true;
    }

    /// The file read again from `content` (the `content/` folder), body
    /// included. A file whose front matter is no longer what was read
    /// changed during the build, which is an error: the pages made from its
    /// front matter would not match its body.
    pub fn reread(&self, content: &std::path::Path) -> Result<Source, Diagnostic> {
        let bytes = std::fs::read(content.join(&self.path)).map_err(|e| {
            Diagnostic::error(format!("cannot read the file again: {e}"))
                .in_file(self.display.clone())
        })?;
        let again = Source::new(self.path.clone(), self.display.clone(), bytes)?;
        if again.front_matter() != self.front_matter() {
            return Err(self.changed());
        }
        Ok(again)
    }

    /// The error of a file that changed while the site was being built.
    pub fn changed(&self) -> Diagnostic {
        self.error_at_start("the file changed while the site was being built; build again")
    }

    pub fn front_matter(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    /// The Markdown body; empty once dropped.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// An error at a byte offset inside the body.
    pub fn body_error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.display.clone())
            .at(self.body_position(offset))
    }

    /// The line in this file of a position inside the front matter.
    pub fn front_matter_position(&self, p: Position) -> Position {
        Position::new(p.line + self.front_matter_line - 1, p.column)
    }

    /// The position in this file of a byte offset inside the body.
    pub fn body_position(&self, offset: usize) -> Position {
        Position::of_offset(&self.text, self.body_start + offset)
    }

    /// An error located in the front matter.
    pub fn yaml_error(&self, e: YamlError) -> Diagnostic {
        let d = Diagnostic::error(e.message)
            .in_file(self.display.clone())
            .at(self.front_matter_position(e.position));
        match e.help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }

    /// An error at a position of the front matter.
    pub fn error_at(&self, p: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.display.clone())
            .at(self.front_matter_position(p))
    }

    /// An error about the file as a whole, at its first line.
    pub fn error_at_start(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.display.clone())
            .at(Position::new(1, 1))
    }

    /// A warning at a position of the front matter.
    pub fn warning_at(&self, p: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message)
            .in_file(self.display.clone())
            .at(self.front_matter_position(p))
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the front matter between a first line `---` and the next `---` (or `...`).
fn split(text: &str) -> Result<(Range<usize>, usize), (Position, String)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        let hint = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with a line `---`"
        };
        return Err((
            Position::new(1, 1),
            format!(
                "missing front matter: {hint}; start it with `---`, then `title: …`, then `---`"
            ),
        ));
    }
    let start = (first_end + 1).min(text.len());
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if is_fence(bare) || bare.trim_end() == "..." {
            return Ok((start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err((
        Position::new(1, 1),
        "the front matter is never closed: add a line `---` after it".to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Result<Source, Diagnostic> {
        Source::new(
            "a.md".into(),
            "content/a.md".into(),
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = source("---\ntitle: 甲\n---\n正文\n").unwrap();
        assert_eq!(s.front_matter(), "title: 甲\n");
        assert_eq!(s.body(), "正文\n");
        assert_eq!(s.body_position(0), Position::new(4, 1));
    }

    #[test]
    fn bom_and_crlf_just_work() {
        let s = source("\u{feff}---\r\ntitle: 甲\r\n---\r\n正文\r\n").unwrap();
        assert_eq!(s.front_matter(), "title: 甲\n");
        assert_eq!(s.body(), "正文\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = source("---\n---").unwrap();
        assert_eq!(s.front_matter(), "");
        assert_eq!(s.body(), "");
    }

    #[test]
    fn missing_or_unclosed() {
        assert!(
            source("title: x\n")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            source("---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn not_utf8() {
        let err = Source::new(
            "a.md".into(),
            "a.md".into(),
            b"---\ntitle: \xd6\xd0\n---\n".to_vec(),
        )
        .unwrap_err();
        assert_eq!(err.position, Some(Position::new(2, 8)));
    }
}
