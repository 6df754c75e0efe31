//! The cache of derived images, under `cache_dir/images/derived/`.
//!
//! An entry is one published file, named `KEY.CHECK.EXT`: `KEY` is the variant's
//! key (the original's content hash and every parameter that shapes the bytes),
//! `CHECK` the blake3 of the entry's own bytes. Entries are written to a
//! temporary name and renamed, so a killed build leaves whole entries or none,
//! and every entry names its own checksum, so one damaged later is found and
//! made again. Checking a checksum reads the file; entries whose size and times
//! did not change since they were last checked are trusted without that read
//! (`verified.json`), which keeps a rebuild of thousands of photos quick.

use super::probe::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Characters of the checksum kept in an entry's name.
const CHECK_LEN: usize = 16;

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A sound entry.
    Hit(PathBuf),
    /// No entry.
    Miss,
    /// An entry whose bytes no longer match its checksum; it was removed.
    Corrupt,
}

/// The derived-image cache of a site.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Key → entry file name, as found on disk.
    entries: HashMap<String, String>,
    /// Entry file name → its stamp when its checksum last matched.
    verified: Mutex<HashMap<String, Stamp>>,
}

#[derive(Serialize, Deserialize)]
struct Verified(Vec<(String, Stamp)>);

impl Cache {
    /// The folder of the entries.
    pub fn dir(cache_dir: &Path) -> PathBuf {
        cache_dir.join("images").join("derived")
    }

    fn verified_file(&self) -> PathBuf {
        self.dir.with_file_name("verified.json")
    }

    /// Opens the cache of `cache_dir` (lists its entries; creates nothing yet).
    pub fn open(cache_dir: &Path) -> Cache {
        let dir = Self::dir(cache_dir);
        let mut entries = HashMap::new();
        for name in list(&dir) {
            if let Some((key, _, _)) = split_name(&name) {
                entries.insert(key.to_string(), name);
            }
        }
        let mut cache = Cache {
            dir,
            entries,
            verified: Mutex::new(HashMap::new()),
        };
        let verified = fs::read(cache.verified_file())
            .ok()
            .and_then(|b| serde_json::from_slice::<Verified>(&b).ok())
            .map(|v| v.0.into_iter().collect())
            .unwrap_or_default();
        cache.verified = Mutex::new(verified);
        cache
    }

    /// Finds the entry of `key`, checking it unless its stamp shows it untouched
    /// since the last check.
    pub fn lookup(&self, key: &str) -> Lookup {
        let Some(name) = self.entries.get(key) else {
            return Lookup::Miss;
        };
        let path = self.dir.join(name);
        let Ok(meta) = fs::metadata(&path) else {
            return Lookup::Miss;
        };
        let stamp = Stamp::of(&meta);
        if self.lock().get(name) == Some(&stamp) {
            return Lookup::Hit(path);
        }
        let sound = fs::read(&path).is_ok_and(|bytes| {
            split_name(name).is_some_and(|(_, check, _)| checksum(&bytes) == check)
        });
        if sound {
            self.lock().insert(name.clone(), stamp);
            Lookup::Hit(path)
        } else {
            let _ = fs::remove_file(&path);
            Lookup::Corrupt
        }
    }

    /// Stores the bytes of `key`'s entry; returns its path.
    pub fn store(&self, key: &str, ext: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let name = format!("{key}.{}.{ext}", checksum(bytes));
        let path = self.dir.join(&name);
        write_atomically(&path, bytes)?;
        let stamp = Stamp::of(&fs::metadata(&path)?);
        self.lock().insert(name, stamp);
        Ok(path)
    }

    /// Records which entries were checked, for the next build: those of the
    /// keys in `used`.
    pub fn finish(&self, used: &HashSet<&str>) -> io::Result<()> {
        let mut verified: Vec<(String, Stamp)> = self
            .lock()
            .iter()
            .filter(|(name, _)| split_name(name).is_some_and(|(k, _, _)| used.contains(k)))
            .map(|(n, s)| (n.clone(), *s))
            .collect();
        if verified.is_empty() && !self.dir.exists() {
            return Ok(());
        }
        verified.sort_by(|a, b| a.0.cmp(&b.0));
        write_atomically(
            &self.verified_file(),
            &serde_json::to_vec(&Verified(verified)).map_err(io::Error::other)?,
        )
    }

    /// Deletes every entry of `cache_dir` whose key is not in `used`, and the
    /// leftovers of builds killed more than an hour ago; returns how many files
    /// went. Called after a successful build only, so a failed one (which may
    /// have seen only part of the content) never costs cached work.
    pub fn prune(cache_dir: &Path, used: &HashSet<&str>) -> usize {
        let dir = Self::dir(cache_dir);
        let stale_before = SystemTime::now() - Duration::from_secs(3600);
        let mut removed = 0;
        for name in list(&dir) {
            let keep = match split_name(&name) {
                Some((key, _, _)) => used.contains(key),
                // a temporary file: of a running build, or of one killed long ago
                None => fs::metadata(dir.join(&name))
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t > stale_before),
            };
            if !keep && fs::remove_file(dir.join(&name)).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Stamp>> {
        self.verified.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The hex checksum entries carry in their names.
fn checksum(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..CHECK_LEN].to_string()
}

/// `KEY.CHECK.EXT` → its parts; `None` for other files.
fn split_name(name: &str) -> Option<(&str, &str, &str)> {
    let mut parts = name.split('.');
    let (key, check, ext) = (parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    (parts.next().is_none() && check.len() == CHECK_LEN && hex(key) && hex(check))
        .then_some((key, check, ext))
}

fn list(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Writes a file under a temporary name beside it, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(
        "{name}.tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_finds_and_redoes_damaged_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        assert_eq!(cache.lookup("abcd"), Lookup::Miss);
        let path = cache.store("abcd", "webp", b"derived bytes").unwrap();
        cache.finish(&HashSet::from(["abcd"])).unwrap();

        let cache = Cache::open(dir.path());
        assert_eq!(cache.lookup("abcd"), Lookup::Hit(path.clone()));
        fs::write(&path, b"derived bytez").unwrap();
        let cache = Cache::open(dir.path());
        assert_eq!(cache.lookup("abcd"), Lookup::Corrupt);
        assert!(!path.exists());
    }

    #[test]
    fn prunes_unused_entries_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let kept = cache.store("aa", "jpg", b"a").unwrap();
        let gone = cache.store("bb", "jpg", b"b").unwrap();
        assert_eq!(Cache::prune(dir.path(), &HashSet::from(["aa"])), 1);
        assert!(kept.exists());
        assert!(!gone.exists());
    }
}
