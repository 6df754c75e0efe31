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
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

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

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// Output path → what it held and how it looked on disk after writing.
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// blake3 of the bytes, or of the source file's path, size and time for copies.
    fingerprint: String,
    size: u64,
    modified: u128,
}

fn modified(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn fingerprint(contents: &Contents) -> io::Result<String> {
    Ok(match contents {
        Contents::Bytes(b) => blake3::hash(b).to_hex().to_string(),
        Contents::Copy(p) => {
            let m = fs::metadata(p)?;
            let key = format!("copy\0{}\0{}\0{}", p.display(), m.len(), modified(&m));
            blake3::hash(key.as_bytes()).to_hex().to_string()
        }
    })
}

fn write_file(path: &Path, contents: &Contents) -> io::Result<()> {
    match contents {
        Contents::Bytes(b) => fs::write(path, b),
        Contents::Copy(from) => fs::copy(from, path).map(|_| ()),
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
    let _lock = lock(manifest_file)?;
    let fingerprints: Vec<String> = files
        .par_iter()
        .map(|f| fingerprint(&f.contents))
        .collect::<io::Result<_>>()?;
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
    let changed: Vec<usize> = (0..files.len())
        .into_par_iter()
        .filter(|&i| created || !unchanged(output, &files[i].path, &fingerprints[i], &old))
        .collect();
    let changed_paths = || changed.iter().map(|&i| files[i].path.as_str());
    // A new output folder is written in place (a failure removes it again); an
    // existing one gets the changed files staged, and moved in once all are written.
    let first = if created { output } else { staging.as_path() };
    let written = make_dirs(first, changed_paths()).and_then(|()| {
        changed
            .par_iter()
            .try_for_each(|&i| write_file(&first.join(&files[i].path), &files[i].contents))
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(first);
        return Err(e);
    }
    if !created {
        make_dirs(output, changed_paths())?;
        for &i in &changed {
            fs::rename(staging.join(&files[i].path), output.join(&files[i].path))?;
        }
        let _ = fs::remove_dir_all(&staging);
    }
    let mut report = Report {
        written: changed.len(),
        unchanged: files.len() - changed.len(),
        removed: 0,
    };
    let keep: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in old.files.keys().filter(|p| !keep.contains(p.as_str())) {
        let file = output.join(path);
        if fs::remove_file(&file).is_ok() {
            report.removed += 1;
            remove_empty_parents(output, &file);
        }
    }
    let mut manifest = Manifest::default();
    for (f, fp) in files.iter().zip(fingerprints) {
        let meta = fs::metadata(output.join(&f.path))?;
        manifest.files.insert(
            f.path.clone(),
            Entry {
                fingerprint: fp,
                size: meta.len(),
                modified: modified(&meta),
            },
        );
    }
    if let Some(dir) = manifest_file.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = manifest_file.with_extension("json.tmp");
    fs::write(
        &tmp,
        serde_json::to_vec(&manifest).map_err(io::Error::other)?,
    )?;
    fs::rename(&tmp, manifest_file)?;
    Ok(report)
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

fn unchanged(output: &Path, path: &str, fp: &str, old: &Manifest) -> bool {
    let Some(entry) = old.files.get(path) else {
        return false;
    };
    if entry.fingerprint != fp {
        return false;
    }
    match fs::metadata(output.join(path)) {
        Ok(m) => m.len() == entry.size && modified(&m) == entry.modified,
        Err(_) => false,
    }
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
