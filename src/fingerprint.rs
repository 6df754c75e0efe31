//! The whole-build fingerprint: a rebuild whose inputs are all the same as the
//! last clean build's, and whose output folder is as that build left it, is
//! done before it starts.
//!
//! The fingerprint covers every input of a build: the binary (its version, path,
//! size and time, so a rebuilt yunzhan or another embedded theme counts as a
//! change), the options (output folder, `--base-url`, `--drafts`, `--relative-urls`), `site.yaml`,
//! and every file and folder under `content/`, `templates/`, `static/` and
//! `themes/`, plus the map's boundary file; and the image cache as the build
//! left it (a damaged derived image is found and made again). Text files count by their bytes;
//! images, videos and other binary files by their size and modification time,
//! as the output manifest already counts copied files (hashing gigabytes of
//! photos on every build would cost more than it saves).
//!
//! Only a build without any diagnostic leaves a stamp, so a skipped build never
//! hides a warning.

use crate::config::Config;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// What the last clean build into an output folder left behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// blake3 of every input, hex, taken before that build read them.
    pub inputs: String,
    /// [`cache`] after that build.
    pub cache: String,
    /// HTML pages and files of that build.
    pub pages: usize,
    pub files: usize,
}

/// The folders of a site whose files are inputs.
const INPUT_DIRS: &[&str] = &[crate::load::CONTENT_DIR, "templates", "static", "themes"];

/// Files read for their bytes; anything else counts by size and time.
const TEXT_EXTENSIONS: &[&str] = &[
    "md", "yaml", "yml", "json", "geojson", "toml", "html", "xml", "txt", "css", "js", "svg",
];

/// Where the stamp of builds into `output` is kept (beside its manifest).
pub fn stamp_path(manifest_file: &Path) -> PathBuf {
    manifest_file.with_extension("stamp")
}

/// The fingerprint of every input of a build, or `None` when some input can't
/// be read (the build then runs and reports it).
pub fn inputs(
    root: &Path,
    config: &Config,
    output: &Path,
    base_url: Option<&str>,
    drafts: bool,
    relative_urls: bool,
) -> Option<String> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    h.update(format!("{}\0{}\0{}\0", exe.display(), meta.len(), modified(&meta)).as_bytes());
    let output = std::path::absolute(output).ok()?;
    h.update(
        format!(
            "{}\0{base_url:?}\0{drafts}\0{relative_urls}\0",
            output.display()
        )
        .as_bytes(),
    );
    h.update(&std::fs::read(root.join(crate::config::FILE_NAME)).ok()?);
    let mut files: Vec<(PathBuf, Metadata)> = Vec::new();
    for dir in INPUT_DIRS {
        let dir = root.join(dir);
        if !dir.exists() {
            h.update(b"absent\0");
            continue;
        }
        files.extend(crate::load::walk::following_links(&dir).ok()?);
    }
    if let Some(boundary) = &config.map.boundary {
        let path = root.join(boundary);
        let meta = std::fs::metadata(&path).ok()?;
        files.push((path, meta));
    }

    let parts: Vec<Option<blake3::Hash>> = files
        .par_iter()
        .map(|(path, meta)| file_part(root, path, meta))
        .collect();
    for part in parts {
        h.update(part?.as_bytes());
    }
    Some(h.finalize().to_hex().to_string())
}

/// The fingerprint of the image cache (the derived images the output copies),
/// taken after a build and compared before the next: a damaged or deleted
/// entry makes a real build, which finds it and makes it again.
pub fn cache(root: &Path, config: &Config) -> Option<String> {
    let images = root.join(&config.cache_dir).join("images");
    let mut h = blake3::Hasher::new();
    if images.exists() {
        let files: Vec<PathBuf> = walkdir::WalkDir::new(&images)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.map(|e| e.path().to_path_buf()))
            .collect::<Result<_, _>>()
            .ok()?;
        let parts: Vec<Option<blake3::Hash>> = files
            .par_iter()
            .map(|p| file_part(root, p, &std::fs::metadata(p).ok()?))
            .collect();
        for part in parts {
            h.update(part?.as_bytes());
        }
    }
    Some(h.finalize().to_hex().to_string())
}

/// One file's or folder's share of the fingerprint (`meta` is its metadata).
fn file_part(root: &Path, path: &Path, meta: &Metadata) -> Option<blake3::Hash> {
    let mut h = blake3::Hasher::new();
    h.update(
        path.strip_prefix(root)
            .unwrap_or(path)
            .as_os_str()
            .as_encoded_bytes(),
    );
    if meta.is_dir() {
        h.update(b"\0dir");
        return Some(h.finalize());
    }
    let text = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if text {
        h.update(b"\0bytes\0");
        h.update(&std::fs::read(path).ok()?);
    } else {
        h.update(format!("\0meta\0{}\0{}", meta.len(), modified(meta)).as_bytes());
    }
    Some(h.finalize())
}

fn modified(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// The stamp left by the last clean build, if any.
pub fn read(stamp_file: &Path) -> Option<Stamp> {
    serde_json::from_slice(&std::fs::read(stamp_file).ok()?).ok()
}

/// Records a clean build (errors writing the stamp only cost the next build its shortcut).
pub fn write(stamp_file: &Path, stamp: &Stamp) {
    if let Ok(bytes) = serde_json::to_vec(stamp) {
        let tmp = stamp_file.with_extension("stamp.tmp");
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, stamp_file);
        }
    }
}

/// Forgets the last build's stamp (a build with diagnostics or errors).
pub fn forget(stamp_file: &Path) {
    let _ = std::fs::remove_file(stamp_file);
}
