//! Stage 4, output: write the rendered files, all or nothing.
//!
//! Files that changed since the last build (per its manifest, kept in the cache
//! folder so the output holds only the site) are first staged in a hidden folder
//! inside the output, and moved into place only when every one of them was
//! written; then the files the last build wrote and this one doesn't are
//! deleted. Foreign files are left alone and nothing outside the output folder
//! is touched. A build that fails never gets here, so it changes nothing.

use crate::render::{Contents, OutputFile};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;
use xxhash_rust::xxh3::xxh3_128;

/// Where the manifest of builds into `output` is kept, under the cache folder.
pub fn manifest_path(cache: &Path, output: &Path) -> PathBuf {
    let abs = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let key = blake3::hash(abs.to_string_lossy().as_bytes()).to_hex();
    cache.join("outputs").join(format!("{}.json", &key[..16]))
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

#[derive(Debug, Default, Deserialize)]
struct Manifest {
    /// Output path → what it held and how it looked on disk after writing.
    files: BTreeMap<String, Entry>,
}

/// A [`Manifest`] as written, straight from the writer's entries (sorted by
/// path) and the size and time of each file on disk, without a map of its own.
#[derive(Serialize)]
struct Written<'a> {
    files: Files<'a>,
}

struct Files<'a>(&'a [Put], &'a [Look]);

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entries = self.0.iter().zip(self.1).map(|(put, &(size, modified))| {
            let entry = Entry {
                digest: Some(put.digest),
                size,
                modified,
            };
            (&put.path, entry)
        });
        s.collect_map(entries)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// The file's [`digest`]; none in a manifest of an older yunzhan (which
    /// kept a blake3 `fingerprint`), so its files count as changed once.
    #[serde(default, with = "hex")]
    digest: Option<Digest>,
    size: u64,
    modified: u128,
}

impl Entry {
    /// The file's size and time as the build that wrote it left them.
    fn look(&self) -> Look {
        (self.size, self.modified)
    }
}

/// What an output file holds: the 128-bit xxh3 of its bytes, or of the
/// source file's path, size and time for a copy. A check for change, not a
/// seal: on pages of some kilobytes, blake3 took 3.5 % of a build's CPU.
type Digest = u128;

/// A digest in the manifest: its 32 hex digits.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(digest: &Option<u128>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:032x}", digest.unwrap_or_default()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u128>, D::Error> {
        let hex = <&str>::deserialize(d)?;
        u128::from_str_radix(hex, 16)
            .map(Some)
            .map_err(D::Error::custom)
    }
}

fn modified(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn digest(contents: &Contents) -> io::Result<Digest> {
    Ok(match contents {
        Contents::Bytes(b) => xxh3_128(b),
        Contents::Copy(p) => {
            let m = fs::metadata(p)?;
            let key = format!("copy\0{}\0{}\0{}", p.display(), m.len(), modified(&m));
            xxh3_128(key.as_bytes())
        }
    })
}

/// A file's size and modification time, as the manifest keeps them.
type Look = (u64, u128);

fn look(meta: &fs::Metadata) -> Look {
    (meta.len(), modified(meta))
}

/// Writes a file; for bytes, returns its look, taken from the open file
/// rather than by its path again (a path lookup per page cost more).
fn write_file(path: &Path, contents: &Contents) -> io::Result<Option<Look>> {
    match contents {
        Contents::Bytes(b) => {
            let mut file = fs::File::create(path)?;
            io::Write::write_all(&mut file, b)?;
            Ok(Some(look(&file.metadata()?)))
        }
        Contents::Copy(from) => fs::copy(from, path).map(|_| None),
    }
}

/// Creates the folders that `paths` (files under `root`) need, each once.
fn make_dirs<'a>(root: &Path, paths: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let dirs: std::collections::BTreeSet<&str> = paths
        .filter_map(|p| p.rfind('/').map(|i| &p[..i]))
        .collect();
    fs::create_dir_all(root)?;
    for dir in dirs {
        fs::create_dir_all(root.join(dir))?;
    }
    Ok(())
}

/// The folder inside `output` where a build stages its files before moving them
/// into place: nothing outside the output folder is ever written.
fn staging_dir(output: &Path) -> PathBuf {
    output.join(format!(".yunzhan-staging-{}", std::process::id()))
}

/// Writes `files` into `output`, keeping the manifest at `manifest_file`.
pub fn write(output: &Path, manifest_file: &Path, files: &[OutputFile]) -> io::Result<Report> {
    let writer = Writer::begin(output, manifest_file)?;
    files.par_iter().for_each(|f| writer.put(f.clone()));
    writer.finish()
}

/// A file put into a [`Writer`].
struct Put {
    path: String,
    digest: Digest,
    /// Whether it was written (else the last build's file is kept).
    written: bool,
    /// Its look, when known without asking the file system again.
    look: Option<Look>,
}

/// A write in progress: files are put one by one (from many threads) as they
/// are rendered, so a build never holds the whole site in memory; only
/// [`Writer::finish`] moves them into place.
pub struct Writer {
    output: PathBuf,
    manifest_file: PathBuf,
    _lock: fs::File,
    old: Manifest,
    /// The output folder did not exist: files go straight into it.
    created: bool,
    /// Where changed files go first: the output itself when new, else the staging folder.
    first: PathBuf,
    /// Folders made under `first` so far.
    dirs: Mutex<HashSet<String>>,
    /// Every file put.
    entries: Mutex<Vec<Put>>,
    error: Mutex<Option<io::Error>>,
}

impl Writer {
    /// Takes the output folder's lock and reads the last build's manifest.
    pub fn begin(output: &Path, manifest_file: &Path) -> io::Result<Writer> {
        let lock = lock(manifest_file)?;
        let created = !output.exists();
        let old = if created {
            None
        } else {
            read_manifest(manifest_file)
        }
        .unwrap_or_default();
        let staging = staging_dir(output);
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        let first = if created {
            output.to_path_buf()
        } else {
            staging
        };
        fs::create_dir_all(&first)?;
        Ok(Writer {
            output: output.to_path_buf(),
            manifest_file: manifest_file.to_path_buf(),
            _lock: lock,
            old,
            created,
            first,
            dirs: Mutex::new(HashSet::new()),
            entries: Mutex::new(Vec::new()),
            error: Mutex::new(None),
        })
    }

    /// Writes `file` if it changed since the last build (errors surface in `finish`).
    pub fn put(&self, file: OutputFile) {
        if let Err(e) = self.try_put(&file) {
            self.error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(e);
        }
    }

    fn try_put(&self, file: &OutputFile) -> io::Result<()> {
        let fp = digest(&file.contents)?;
        let kept = if self.created {
            None
        } else {
            unchanged(&self.output, &file.path, &fp, &self.old)
        };
        let written = kept.is_none();
        let mut look = kept;
        if written {
            if let Some(i) = file.path.rfind('/') {
                let dir = &file.path[..i];
                let known = self.dirs.lock().is_ok_and(|d| d.contains(dir));
                if !known {
                    fs::create_dir_all(self.first.join(dir))?;
                    if let Ok(mut d) = self.dirs.lock() {
                        d.insert(dir.to_string());
                    }
                }
            }
            // (a rename into place keeps the look)
            look = write_file(&self.first.join(&file.path), &file.contents)?;
        }
        if let Ok(mut e) = self.entries.lock() {
            e.push(Put {
                path: file.path.clone(),
                digest: fp,
                written,
                look,
            });
        }
        Ok(())
    }

    /// Leaves the output as it was (a build that failed while rendering).
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.first);
    }

    /// Moves the changed files into place, deletes the last build's files that
    /// this one doesn't have, and writes the manifest.
    pub fn finish(self) -> io::Result<Report> {
        let error = self.error.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(e) = error {
            self.abort();
            return Err(e);
        }
        let mut entries =
            std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        entries.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let output = &self.output;
        let changed_paths = || {
            entries
                .iter()
                .filter(|e| e.written)
                .map(|e| e.path.as_str())
        };
        if !self.created {
            make_dirs(output, changed_paths())?;
            for path in changed_paths() {
                fs::rename(self.first.join(path), output.join(path))?;
            }
            let _ = fs::remove_dir_all(&self.first);
        }
        let written = changed_paths().count();
        let mut report = Report {
            written,
            unchanged: entries.len() - written,
            removed: 0,
        };
        // both sorted by path: the old files this build has no entry for, in one pass
        let mut kept = entries.iter().map(|e| e.path.as_str()).peekable();
        for path in self.old.files.keys() {
            while kept.next_if(|k| *k < path.as_str()).is_some() {}
            if kept.peek() == Some(&path.as_str()) {
                continue;
            }
            let file = output.join(path);
            if fs::remove_file(&file).is_ok() {
                report.removed += 1;
                remove_empty_parents(output, &file);
            }
        }
        let looks: Vec<Look> = entries
            .par_iter()
            .map(|put| match put.look {
                Some(known) => Ok(known),
                None => fs::metadata(output.join(&put.path)).map(|m| look(&m)),
            })
            .collect::<io::Result<_>>()?;
        if let Some(dir) = self.manifest_file.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = self.manifest_file.with_extension("json.tmp");
        let mut file = io::BufWriter::new(fs::File::create(&tmp)?);
        let manifest = Written {
            files: Files(&entries, &looks),
        };
        serde_json::to_writer(&mut file, &manifest).map_err(io::Error::other)?;
        io::Write::flush(&mut file)?;
        fs::rename(&tmp, &self.manifest_file)?;
        crate::drop_later((entries, looks));
        Ok(report)
    }
}

/// Holds the lock of an output folder: two builds into the same folder take turns.
fn lock(manifest_file: &Path) -> io::Result<fs::File> {
    if let Some(dir) = manifest_file.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(manifest_file.with_extension("lock"))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "another yunzhan build is writing this output folder; waiting for it to finish…"
            );
            file.lock()?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(file)
}

/// The look of a file the last build wrote with the same digest, and which is
/// still as that build left it; `None` when it must be written.
fn unchanged(output: &Path, path: &str, fp: &Digest, old: &Manifest) -> Option<Look> {
    let entry = old.files.get(path)?;
    if entry.digest != Some(*fp) {
        return None;
    }
    let look = look(&fs::metadata(output.join(path)).ok()?);
    (look == entry.look()).then_some(look)
}

fn read_manifest(manifest_file: &Path) -> Option<Manifest> {
    let bytes = fs::read(manifest_file).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Whether every file of the last build into `output` is still there as it was
/// written (same size and modification time), per its manifest.
pub fn intact(output: &Path, manifest_file: &Path) -> bool {
    // (`rm -rf public` before a build is common: no need to read the manifest)
    if !output.is_dir() {
        return false;
    }
    let Some(manifest) = read_manifest(manifest_file) else {
        return false;
    };
    let entries: Vec<(&String, &Entry)> = manifest.files.iter().collect();
    entries.par_iter().all(|(path, entry)| {
        fs::metadata(output.join(path)).is_ok_and(|m| look(&m) == entry.look())
    })
}

/// The files of the last build, per its manifest (for `serve` and tests).
pub fn manifest_paths(manifest_file: &Path) -> Vec<String> {
    read_manifest(manifest_file)
        .map(|m| m.files.into_keys().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(path: &str, s: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
    }

    #[test]
    fn removes_the_old_files_before_between_and_after_the_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = dir.path().join("cache/m.json");
        let files =
            |names: &[&str]| -> Vec<OutputFile> { names.iter().map(|n| bytes(n, n)).collect() };
        write(
            &out,
            &m,
            &files(&["a.html", "b.html", "c.html", "d.html", "e.html"]),
        )
        .unwrap();
        let r = write(&out, &m, &files(&["b.html", "d.html", "f.html"])).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 2, 3));
        let mut left: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["b.html", "d.html", "f.html"]);
    }

    #[test]
    fn writes_only_what_changed_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = dir.path().join("cache/m.json");
        let r = write(
            &out,
            &m,
            &[bytes("a/index.html", "A"), bytes("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!(
            r,
            Report {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        fs::write(out.join("foreign.txt"), "mine").unwrap();
        let r = write(
            &out,
            &m,
            &[bytes("a/index.html", "A"), bytes("c.html", "C")],
        )
        .unwrap();
        assert_eq!(
            r,
            Report {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("b").exists());
        assert_eq!(fs::read_to_string(out.join("foreign.txt")).unwrap(), "mine");
        let r = write(
            &out,
            &m,
            &[bytes("a/index.html", "A"), bytes("c.html", "C")],
        )
        .unwrap();
        assert_eq!(r.written, 0);
    }

    #[test]
    fn builds_into_one_folder_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("cache/m.json");
        let held = lock(&m).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let m2 = m.clone();
        let waiter = std::thread::spawn(move || {
            let _second = lock(&m2).unwrap();
            tx.send(()).unwrap();
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(rx.try_recv().is_err(), "the second build must wait");
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the second build goes on");
        waiter.join().unwrap();
    }

    /// A manifest of an older yunzhan (blake3 `fingerprint`s) still names the
    /// files it wrote: they count as changed once, and those no longer made go.
    #[test]
    fn a_manifest_of_an_older_yunzhan_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = dir.path().join("cache/m.json");
        write(&out, &m, &[bytes("a.html", "A"), bytes("b.html", "B")]).unwrap();
        let mut old: serde_json::Value = serde_json::from_slice(&fs::read(&m).unwrap()).unwrap();
        for entry in old["files"].as_object_mut().unwrap().values_mut() {
            let entry = entry.as_object_mut().unwrap();
            entry.remove("digest").unwrap();
            entry.insert("fingerprint".into(), "ab".repeat(32).into());
        }
        fs::write(&m, serde_json::to_vec(&old).unwrap()).unwrap();
        let r = write(&out, &m, &[bytes("a.html", "A")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 0, 1));
        assert!(!out.join("b.html").exists());
        let r = write(&out, &m, &[bytes("a.html", "A")]).unwrap();
        assert_eq!((r.written, r.unchanged), (0, 1));
    }

    /// The size and time the manifest keeps, taken from the open file for a
    /// written page and by path for a copy, are the files' as they lie in the
    /// output: in a new folder and after a move out of the staging folder.
    #[test]
    fn the_manifest_keeps_each_files_size_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = dir.path().join("cache/m.json");
        let photo = dir.path().join("photo.jpg");
        fs::write(&photo, [0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
        let copy = |path: &str| OutputFile {
            path: path.into(),
            contents: Contents::Copy(photo.clone()),
        };
        let check = || {
            let manifest = read_manifest(&m).unwrap();
            assert!(!manifest.files.is_empty());
            for (path, entry) in &manifest.files {
                let meta = fs::metadata(out.join(path)).unwrap();
                assert_eq!((entry.size, entry.modified), look(&meta), "{path}");
            }
            assert!(intact(&out, &m));
        };
        write(&out, &m, &[bytes("a/index.html", "A"), copy("a/p.jpg")]).unwrap();
        check();
        let files = [
            bytes("a/index.html", "A2"),
            bytes("b.html", "B"),
            copy("c/p.jpg"),
        ];
        let r = write(&out, &m, &files).unwrap();
        assert_eq!((r.written, r.removed), (3, 1));
        check();
    }

    #[test]
    fn a_file_changed_by_hand_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = dir.path().join("cache/m.json");
        write(&out, &m, &[bytes("a.html", "A")]).unwrap();
        fs::write(out.join("a.html"), "edited by hand!").unwrap();
        let r = write(&out, &m, &[bytes("a.html", "A")]).unwrap();
        assert_eq!(r.written, 1);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "A");
    }
}
