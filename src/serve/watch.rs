//! Watching the site's files: notify with notify-debouncer-full, which merges
//! the burst of events of one save (an editor's write to a temporary file and
//! rename over the original) into one batch and pairs renames.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long a file must be quiet before its events count: long enough to
/// merge one save's events, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders of a site that hold its sources (`site.yaml` is in the root,
/// watched without its sub-folders, so the output and cache are never watched).
pub const SOURCE_DIRS: &[&str] = &["content", "templates", "static", "styles", "themes"];

/// What the watcher saw.
#[derive(Debug)]
pub enum Batch {
    /// These paths were created, changed, removed or renamed.
    Paths(Vec<PathBuf>),
    /// Events were lost (too many at once): look at everything.
    Rescan,
}

/// A running watcher; dropping it stops watching.
pub struct Watch {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
}

impl Watch {
    /// Starts watching the sources of the site at `root`; batches go to `sender`.
    pub fn start(root: &Path, sender: Sender<Batch>) -> notify::Result<Watch> {
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => {
                    if events.iter().any(|e| e.need_rescan()) {
                        Batch::Rescan
                    } else {
                        let paths: BTreeSet<PathBuf> = events
                            .iter()
                            .filter(|e| counts(&e.kind))
                            .flat_map(|e| e.paths.iter().cloned())
                            .collect();
                        if paths.is_empty() {
                            return;
                        }
                        Batch::Paths(paths.into_iter().collect())
                    }
                }
                Err(_) => Batch::Rescan,
            };
            let _ = sender.send(batch);
        })
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
        let mut watch = Watch {
            debouncer,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        watch.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watch.refresh(&[]);
        Ok(watch)
    }

    /// Watches source folders that appeared since (a new `templates/`…), and
    /// again those among `changed` (a folder replaced keeps no watch).
    pub fn refresh(&mut self, changed: &[PathBuf]) {
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            let exists = dir.is_dir();
            let mut watched = self.watched.contains(&dir);
            if watched
                && changed
                    .iter()
                    .any(|p| p.file_name() == dir.file_name() && p.parent() == dir.parent())
            {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(&dir);
                watched = false;
            }
            if exists && !watched {
                if self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    self.watched.insert(dir);
                }
            } else if !exists && watched {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(&dir);
            }
        }
    }
}

/// Whether an event is a change (opening or reading a file is not).
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}
