//! What the load stage keeps between builds of one site (for `serve`): every
//! Markdown file's text and parsed front matter by path, with the size, time
//! and hash the file had when read, so a rebuild reads and parses only the files
//! that changed.

use super::front_matter::Common;
use super::source::Source;
use super::{Fields, Head, Role};
use crate::config::{Config, Level, Platform};
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

/// The load stage's memory of the files it read; empty for a one-off build.
#[derive(Default)]
pub struct LoadCache {
    files: HashMap<String, FileEntry>,
    fields: Mutex<HashMap<String, FieldsEntry>>,
    /// What parsing fields depends on in `site.yaml`.
    config: Option<(Vec<Level>, Vec<Platform>)>,
    /// Paths to read again whatever their size and time say.
    stale: HashSet<String>,
    /// Remembers nothing: a one-off build has no next time, and a copy of
    /// every front matter would double the load stage's memory.
    one_off: bool,
    /// The Markdown bodies a one-off build may hold, in bytes: a site whose
    /// bodies add up to more keeps none ([`Source::drop_body`]).
    body_budget: usize,
    /// The bytes of the bodies held so far.
    bodies_held: AtomicUsize,
    /// A one-off build takes each file's share of the input fingerprint
    /// ([`crate::fingerprint::text_part`]) from the bytes it reads.
    file_parts: bool,
}

/// A file as read: its stamp, its hash and what was made of it.
#[derive(Clone)]
pub(super) struct FileEntry {
    len: u64,
    modified: u128,
    hash: blake3::Hash,
    source: Option<Arc<Source>>,
    head: Option<Head>,
    diagnostics: Vec<Diagnostic>,
}

struct FieldsEntry {
    hash: blake3::Hash,
    role: Role,
    common: Common,
    fields: Fields,
    diagnostics: Vec<Diagnostic>,
}

/// One file's result, and what to remember of it.
pub(super) struct ReadFile {
    pub source: Option<Arc<Source>>,
    /// `None` when the front matter is not a YAML mapping.
    pub head: Option<Head>,
    pub diagnostics: Vec<Diagnostic>,
    /// A new or updated cache entry, by path.
    pub entry: Option<(String, FileEntry)>,
    /// The file's share of the input fingerprint, when asked for.
    pub part: Option<crate::fingerprint::Share>,
}

/// How [`LoadCache::read`] turns bytes into a source, its front matter's head and problems.
pub(super) type Parse =
    fn(&str, PathBuf, Vec<u8>) -> (Option<Source>, Option<Head>, Vec<Diagnostic>);

fn stamp(meta: &std::fs::Metadata) -> (u64, u128) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified)
}

impl LoadCache {
    /// A cache for one build, which keeps nothing, and holds the Markdown
    /// bodies it reads only while they add up to `body_budget` bytes or less;
    /// with `file_parts`, it takes each file's share of the input fingerprint.
    pub fn one_off(body_budget: usize, file_parts: bool) -> LoadCache {
        LoadCache {
            one_off: true,
            body_budget,
            file_parts,
            ..LoadCache::default()
        }
    }

    /// Lets a one-off build hold no body at all.
    pub(super) fn hold_no_bodies(&mut self) {
        self.body_budget = 0;
    }

    /// Whether the bodies read so far are more than a one-off build holds:
    /// then every body is let go, and read again when it is rendered.
    pub(super) fn over_budget(&self) -> bool {
        self.one_off && self.bodies_held.load(Ordering::Relaxed) > self.body_budget
    }

    /// Reads `content/PATH` again next time, whatever its size and time say
    /// (a file rewritten twice within the clock's resolution keeps its stamp).
    pub fn invalidate(&mut self, path: &str) {
        self.stale.insert(path.to_string());
    }

    /// The source of a file as last read.
    pub fn source(&self, path: &str) -> Option<Arc<Source>> {
        self.files.get(path).and_then(|f| f.source.clone())
    }

    /// The problems found in a file's text and front matter as last read.
    pub fn diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        self.files
            .get(path)
            .map(|f| f.diagnostics.clone())
            .unwrap_or_default()
    }

    /// The content hash of a file as last read.
    pub fn hash(&self, path: &str) -> Option<blake3::Hash> {
        self.files.get(path).map(|f| f.hash)
    }

    /// The common front matter fields of a file as last parsed.
    pub fn common(&self, path: &str) -> Option<Common> {
        let fields = self.fields.lock().unwrap_or_else(|e| e.into_inner());
        fields.get(path).map(|f| f.common.clone())
    }

    /// Reads one file now (when the caller knows only it changed): its new
    /// source and front matter. The cache keeps it, and the fields parsed
    /// from the old version when the front matter is byte for byte the same.
    pub(super) fn reread(
        &mut self,
        content: &Path,
        path: &str,
        display: PathBuf,
        parse: Parse,
    ) -> ReadFile {
        self.stale.insert(path.to_string());
        let read = self.read(content, path, display, parse);
        let old_front = self.source(path);
        if let (Some((_, entry)), Some(old), Some(new)) = (&read.entry, old_front, &read.source)
            && old.front_matter() == new.front_matter()
        {
            let mut fields = self.fields.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = fields.get_mut(path) {
                f.hash = entry.hash;
            }
        }
        if let Some((path, entry)) = &read.entry {
            self.files.insert(path.clone(), entry.clone());
        }
        self.stale.remove(path);
        read
    }

    /// Reads `content/PATH` unless the cache holds it as it is.
    pub(super) fn read(
        &self,
        content: &Path,
        path: &str,
        display: PathBuf,
        parse: Parse,
    ) -> ReadFile {
        let file = content.join(path);
        let failed = |e: std::io::Error| ReadFile {
            source: None,
            head: None,
            diagnostics: vec![
                Diagnostic::error(format!("cannot read the file: {e}")).in_file(display.clone()),
            ],
            entry: None,
            part: None,
        };
        if self.one_off {
            // nothing is cached, so no need to stat; and the bodies of a big
            // site need not all be in memory at once: each is read again when
            // it is rendered
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => return failed(e),
            };
            let part = self.file_parts.then(|| {
                crate::fingerprint::text_part(&Path::new(super::CONTENT_DIR).join(path), &bytes)
            });
            let (mut source, head, diagnostics) = parse(path, display, bytes);
            if let Some(s) = &mut source {
                let len = s.body().len();
                if self.bodies_held.fetch_add(len, Ordering::Relaxed) + len > self.body_budget {
                    s.drop_body();
                }
            }
            return ReadFile {
                source: source.map(Arc::new),
                head,
                diagnostics,
                entry: None,
                part,
            };
        }
        let meta = match std::fs::metadata(&file) {
            Ok(m) => m,
            Err(e) => return failed(e),
        };
        let (len, modified) = stamp(&meta);
        let cached = self.files.get(path);
        let reuse = |entry: &FileEntry| ReadFile {
            source: entry.source.clone(),
            head: entry.head,
            diagnostics: entry.diagnostics.clone(),
            entry: None,
            part: None,
        };
        if let Some(c) = cached
            && c.len == len
            && c.modified == modified
            && !self.stale.contains(path)
        {
            return reuse(c);
        }
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => return failed(e),
        };
        let hash = blake3::hash(&bytes);
        if let Some(c) = cached.filter(|c| c.hash == hash) {
            let mut read = reuse(c);
            let entry = FileEntry {
                len,
                modified,
                ..c.clone()
            };
            read.entry = Some((path.to_string(), entry));
            return read;
        }
        let (source, head, diagnostics) = parse(path, display, bytes);
        let source = source.map(Arc::new);
        let entry = FileEntry {
            len,
            modified,
            hash,
            source: source.clone(),
            head,
            diagnostics: diagnostics.clone(),
        };
        ReadFile {
            source,
            head,
            diagnostics,
            entry: Some((path.to_string(), entry)),
            part: None,
        }
    }

    /// Remembers what [`LoadCache::read`] read.
    pub(super) fn keep(&mut self, entry: Option<(String, FileEntry)>) {
        if let Some((path, entry)) = entry {
            self.stale.remove(&path);
            self.files.insert(path, entry);
        }
    }

    /// Forgets the files that are gone.
    pub(super) fn retain_only(&mut self, paths: &[String]) {
        if self.files.is_empty() && self.stale.is_empty() {
            return;
        }
        let keep: HashSet<&str> = paths.iter().map(String::as_str).collect();
        self.files.retain(|p, _| keep.contains(p.as_str()));
        self.stale.retain(|p| keep.contains(p.as_str()));
    }

    /// Forgets the parsed fields when the levels or platforms they were checked against changed.
    pub(super) fn set_config(&mut self, config: &Config) {
        let key = (config.levels.clone(), config.platforms.clone());
        if self.config.as_ref() != Some(&key) {
            self.fields
                .get_mut()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
            self.config = Some(key);
        }
    }

    /// The fields of a file in its role: from the cache when its bytes and role
    /// are unchanged (replaying their problems into `diagnostics`), else from `parse`.
    pub(super) fn fields(
        &self,
        source: &Source,
        role: Role,
        diagnostics: &Diagnostics,
        parse: impl FnOnce() -> ((Common, Fields), Vec<Diagnostic>),
    ) -> (Common, Fields) {
        let hash = self.files.get(&source.path).map(|f| f.hash);
        {
            let cached = self.fields.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = cached.get(&source.path)
                && Some(f.hash) == hash
                && f.role == role
            {
                diagnostics.extend(f.diagnostics.iter().cloned());
                return (f.common.clone(), f.fields.clone());
            }
        }
        let ((common, fields), problems) = parse();
        diagnostics.extend(problems.iter().cloned());
        if let Some(hash) = hash {
            let entry = FieldsEntry {
                hash,
                role,
                common: common.clone(),
                fields: fields.clone(),
                diagnostics: problems,
            };
            self.fields
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(source.path.clone(), entry);
        }
        (common, fields)
    }

    /// Forgets the fields of files that are gone.
    pub(super) fn keep_fields_of(&mut self, sources: &[Arc<Source>]) {
        let fields = self.fields.get_mut().unwrap_or_else(|e| e.into_inner());
        if fields.is_empty() {
            return;
        }
        let keep: HashSet<&str> = sources.iter().map(|s| s.path.as_str()).collect();
        fields.retain(|p, _| keep.contains(p.as_str()));
    }
}
