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
//! hides a warning. A build with no stamp to compare with (a new output folder)
//! takes the Markdown files' share from the bytes its load stage reads, instead
//! of reading them twice.

use crate::config::Config;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use xxhash_rust::xxh3::Xxh3;

/// One file's or folder's share of a fingerprint: the 128-bit xxh3 of its path
/// and bytes (or size and time). The shares are many and small, and blake3
/// over every Markdown file was 1.5 % of a 10,000-page build's CPU time; the
/// fingerprint that joins them is still blake3.
pub type Share = u128;

/// What the last clean build into an output folder left behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// blake3 of every input's share, hex, taken before that build read them (or, for
    /// the Markdown files, of the bytes it read).
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

/// The fingerprint of every input of a build while it is taken: with
/// `leave_markdown`, the share of each Markdown file of `content/` is left to
/// the load stage, which reads those files anyway ([`Inputs::finish`]). `None`
/// when some input can't be read (the build then runs and reports it).
/// `content/` counts as the load stage lists it (`content`: no hidden files,
/// links not followed); the other folders with everything they link to.
pub fn inputs(
    root: &Path,
    config: &Config,
    output: &Path,
    options: &crate::BuildOptions,
    leave_markdown: bool,
    content: &crate::load::Listing,
) -> Option<Inputs> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(executable()?.as_bytes());
    h.update(b"\0");
    let output = std::path::absolute(output).ok()?;
    h.update(
        format!(
            "{}\0{:?}\0{}\0{}\0",
            output.display(),
            options.base_url.as_deref(),
            options.drafts,
            options.relative_urls
        )
        .as_bytes(),
    );
    h.update(&std::fs::read(root.join(crate::config::FILE_NAME)).ok()?);
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for name in INPUT_DIRS {
        let dir = root.join(name);
        if !dir.exists() {
            h.update(b"absent\0");
            continue;
        }
        if *name == crate::load::CONTENT_DIR {
            for entry in content.entries() {
                let entry = entry.as_ref().ok()?;
                files.push((entry.path.clone(), entry.file_type.is_dir()));
            }
        } else {
            files.extend(crate::load::walk::following_links(&dir).ok()?);
        }
    }
    if let Some(boundary) = &config.map.boundary {
        let path = root.join(boundary);
        let is_dir = std::fs::metadata(&path).ok()?.is_dir();
        files.push((path, is_dir));
    }

    let content = root.join(crate::load::CONTENT_DIR);
    let parts = files
        .into_par_iter()
        .map(|(path, is_dir)| {
            let markdown = leave_markdown
                && !is_dir
                && path.extension().is_some_and(|e| e == "md")
                && path.starts_with(&content);
            if markdown {
                Some(Part::Markdown(path))
            } else {
                file_part(root, &path, is_dir).map(Part::Done)
            }
        })
        .collect::<Option<Vec<Part>>>()?;
    Some(Inputs { hasher: h, parts })
}

/// A fingerprint of the inputs, but for the Markdown files the load stage reads.
pub struct Inputs {
    hasher: blake3::Hasher,
    parts: Vec<Part>,
}

/// One file's share of [`Inputs`].
enum Part {
    Done(Share),
    /// A Markdown file of `content/` (its path), taken from the load stage.
    Markdown(PathBuf),
}

impl Inputs {
    /// The fingerprint, hex. `read` gives a Markdown file's share as the load
    /// stage read it ([`text_part`]), by its path under `content/`; a file it
    /// did not read is read now.
    pub fn finish(
        self,
        root: &Path,
        read: impl Fn(&str) -> Option<Share> + Sync,
    ) -> Option<String> {
        let Inputs { mut hasher, parts } = self;
        let content = root.join(crate::load::CONTENT_DIR);
        let parts: Vec<Option<Share>> = parts
            .into_par_iter()
            .map(|part| match part {
                Part::Done(hash) => Some(hash),
                Part::Markdown(path) => path
                    .strip_prefix(&content)
                    .ok()
                    .and_then(|p| p.to_str())
                    .and_then(|p| {
                        if p.contains('\\') {
                            read(&p.replace('\\', "/"))
                        } else {
                            read(p)
                        }
                    })
                    .or_else(|| file_part(root, &path, false)),
            })
            .collect();
        for part in parts {
            hasher.update(&part?.to_le_bytes());
        }
        Some(hasher.finalize().to_hex().to_string())
    }
}

/// The share of a text file with these bytes, at `path` under the site root.
pub fn text_part(path: &Path, bytes: &[u8]) -> Share {
    let mut h = Xxh3::new();
    h.update(path.as_os_str().as_encoded_bytes());
    h.update(b"\0bytes\0");
    h.update(bytes);
    h.digest128()
}

/// The fingerprint of the image cache (the derived images the output copies),
/// taken after a build and compared before the next: a damaged or deleted
/// entry makes a real build, which finds it and makes it again.
pub fn cache(root: &Path, config: &Config) -> Option<String> {
    let images = root.join(&config.cache_dir).join("images");
    let mut h = blake3::Hasher::new();
    if images.exists() {
        let files: Vec<(PathBuf, bool)> = walkdir::WalkDir::new(&images)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.map(|e| (e.path().to_path_buf(), e.file_type().is_dir())))
            .collect::<Result<_, _>>()
            .ok()?;
        let parts: Vec<Option<Share>> = files
            .par_iter()
            .map(|(p, is_dir)| file_part(root, p, *is_dir))
            .collect();
        for part in parts {
            h.update(&part?.to_le_bytes());
        }
    }
    Some(h.finalize().to_hex().to_string())
}

/// One file's or folder's share of the fingerprint.
fn file_part(root: &Path, path: &Path, is_dir: bool) -> Option<Share> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if text && !is_dir {
        return Some(text_part(relative, &std::fs::read(path).ok()?));
    }
    let mut h = Xxh3::new();
    h.update(relative.as_os_str().as_encoded_bytes());
    if is_dir {
        h.update(b"\0dir");
    } else {
        let meta = std::fs::metadata(path).ok()?;
        h.update(format!("\0meta\0{}\0{}", meta.len(), modified(&meta)).as_bytes());
    }
    Some(h.digest128())
}

/// The running yunzhan as `path<TAB>size<TAB>time`: what ties a record kept
/// between builds to the binary that made it (a rebuilt yunzhan, or one with
/// another embedded theme, is another binary).
pub(crate) fn executable() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some(format!(
        "{}\t{}\t{}",
        exe.display(),
        meta.len(),
        modified(&meta)
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    /// The fingerprint taken with the Markdown files' shares from the load
    /// stage is the one taken by reading every file, which the next build
    /// compares it with.
    #[test]
    fn shares_from_the_load_stage_make_the_same_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: 测试\n").unwrap();
        let content = root.join("content");
        std::fs::create_dir_all(content.join("西山县/events")).unwrap();
        std::fs::write(content.join("_index.md"), "---\ntitle: 首页\n---\n正文\n").unwrap();
        std::fs::write(
            content.join("西山县/_index.md"),
            "---\ntitle: 西山县\nlevel: center\n---\n",
        )
        .unwrap();
        std::fs::write(
            content.join("西山县/events/春耕.md"),
            "---\ntitle: 春耕\ndate: 2024-03-05\n---\n田间课堂。\n",
        )
        .unwrap();
        std::fs::write(content.join(".草稿.md"), "not read by the load stage").unwrap();
        std::fs::write(content.join("西山县/note.txt"), "text").unwrap();
        let config = Config::load(root, Path::new("site.yaml")).unwrap();
        let options = crate::BuildOptions::default();
        let out = root.join("public");
        let listing = crate::load::Listing::of(&content);
        let whole = inputs(root, &config, &out, &options, false, &listing)
            .unwrap()
            .finish(root, |_| None)
            .unwrap();
        let load = crate::load::Options {
            file_parts: true,
            ..crate::load::Options::default()
        };
        let loaded = crate::load::load(root, root, &config, &Diagnostics::new(), load);
        assert_eq!(loaded.file_parts.len(), 3);
        let taken = inputs(root, &config, &out, &options, true, &listing)
            .unwrap()
            .finish(root, |p| loaded.file_parts.get(p).copied())
            .unwrap();
        assert_eq!(taken, whole);

        // a share is of the bytes read: other bytes, another fingerprint
        let stale = inputs(root, &config, &out, &options, true, &listing)
            .unwrap()
            .finish(root, |p| {
                Some(text_part(&Path::new("content").join(p), b"older"))
            })
            .unwrap();
        assert_ne!(stale, whole);

        // content/ counts as the load stage lists it: a hidden file it never
        // reads changes nothing, any other file does
        let again = |root: &Path| {
            let listing = crate::load::Listing::of(&root.join("content"));
            inputs(root, &config, &out, &options, false, &listing)
                .unwrap()
                .finish(root, |_| None)
                .unwrap()
        };
        std::fs::write(content.join(".草稿.md"), "edited, still hidden").unwrap();
        assert_eq!(again(root), whole);
        std::fs::write(content.join("西山县/note.txt"), "longer text").unwrap();
        assert_ne!(again(root), whole);
    }
}
