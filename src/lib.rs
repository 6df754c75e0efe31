//! # yunzhan (云展)
//!
//! A static site generator for the showcases of New-Era Civilization Practice
//! networks: county centers, town institutes, village and community stations and
//! points, their projects, teams and events, and an online exhibition hall.
//!
//! A build runs in five stages, each a module:
//!
//! 1. [`load`]: find the files of `content/`, split and parse their front matter,
//!    decide what each file is;
//! 2. [`resolve`]: build the [`model::Site`]: the unit tree, URLs, refs, pictures,
//!    Markdown bodies, roll-ups, the hall's walk-through, tags;
//! 3. [`images`]: make the planned sizes of every image (or find them in the
//!    cache);
//! 4. [`render`]: turn the site into files with the theme's Tera templates;
//! 5. [`output`]: write the files, all or nothing.
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s and carries on,
//! so one run shows everything that is wrong.

pub mod body_cache;
pub mod browsers;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod fingerprint;
pub mod html;
pub mod images;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod privacy;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod session;
pub mod slug;
pub mod theme;
pub mod yaml;

use diagnostics::{Diagnostic, Diagnostics, display_path};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root (the folder of `site.yaml`), as the user named it.
    pub root: PathBuf,
    /// Overrides `output_dir` (relative paths are relative to the current folder).
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Publish drafts.
    pub drafts: bool,
    /// Write the output (`build`), or only check (`check`).
    pub write: bool,
    /// Show a progress bar while many images are made (on a terminal only).
    pub progress: bool,
    /// Page-relative links that work from `file://` (also `relative_urls: true`).
    pub relative_urls: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    /// Where the output went, and what the write did.
    pub output: Option<(PathBuf, output::Report)>,
    /// What the image stage did (how many files it made, decoded, reused).
    pub images: images::Stats,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Time spent minifying HTML, summed over threads (inside `render`).
    pub minify_cpu: Duration,
    /// The process's peak resident memory in bytes at the end of each stage
    /// of `timings`, where the system tells it (Linux).
    pub peak_memory: Vec<Option<u64>>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, resolves and renders a site; writes it when `options.write` is set and
/// nothing went wrong. A build with errors writes nothing.
pub fn build(options: &BuildOptions) -> Outcome {
    let diagnostics = Diagnostics::new();
    let mut outcome = Outcome::default();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, outcome: &mut Outcome| {
        outcome.timings.push((name, clock.elapsed()));
        outcome.peak_memory.push(peak_memory());
        clock = Instant::now();
    };
    let display_root = options.root.clone();
    let root = if options.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.root.clone()
    };
    let config_display = display_path(&display_root, Path::new(config::FILE_NAME));
    let mut config = match config::Config::load(&root, &config_display) {
        Ok(c) => c,
        Err(errors) => {
            outcome.diagnostics = errors;
            return outcome;
        }
    };
    if let Some(url) = &options.base_url {
        override_base_url(&mut config, url, &diagnostics);
    }
    slug::cuts::load(&root.join(&config.cache_dir));
    // a rebuild whose inputs and output are as the last clean build left them
    // is done before it starts; with no stamp to compare, the Markdown files'
    // share of the fingerprint is taken from the bytes the load stage reads
    let mut listing = None;
    let mut shortcut = options.write.then(|| {
        let out = options
            .output
            .clone()
            .unwrap_or_else(|| root.join(&config.output_dir));
        let manifest = output::manifest_path(&root.join(&config.cache_dir), &out);
        let stamp_file = fingerprint::stamp_path(&manifest);
        let stamp = fingerprint::read(&stamp_file);
        let content = load::Listing::of(&root.join(load::CONTENT_DIR));
        let inputs = fingerprint::inputs(&root, &config, &out, options, stamp.is_none(), &content);
        listing = Some(content);
        Shortcut {
            out,
            manifest,
            stamp_file,
            stamp,
            inputs,
            digest: None,
        }
    });
    if let Some(s) = &mut shortcut
        && let Some(stamp) = &s.stamp
    {
        s.digest = s.inputs.take().and_then(|i| i.finish(&root, |_| None));
        if s.digest.as_ref() == Some(&stamp.inputs)
            && fingerprint::cache(&root, &config).is_some_and(|c| c == stamp.cache)
            && !diagnostics.has_errors()
            && output::intact(&s.out, &s.manifest)
        {
            lap("unchanged", &mut outcome);
            outcome.pages = stamp.pages;
            outcome.files = stamp.files;
            let report = output::Report {
                unchanged: stamp.files,
                ..output::Report::default()
            };
            outcome.output = Some((s.out.clone(), report));
            return outcome;
        }
    }
    let theme = theme::Theme::load(&root, &display_root, &config, &diagnostics);
    let load_options = load::Options {
        file_parts: shortcut.as_ref().is_some_and(|s| s.inputs.is_some()),
        listing,
        ..load::Options::default()
    };
    let mut loaded = load::load(&root, &display_root, &config, &diagnostics, load_options);
    if let Some(s) = &mut shortcut
        && let Some(inputs) = s.inputs.take()
    {
        let parts = std::mem::take(&mut loaded.file_parts);
        s.digest = inputs.finish(&root, |path| parts.get(path).copied());
        drop_later(parts);
    }
    lap("load", &mut outcome);
    let mut site = resolve::resolve(
        config,
        root.clone(),
        display_root,
        loaded,
        resolve::Options {
            drafts: options.drafts,
        },
        &diagnostics,
    );
    lap("resolve", &mut outcome);
    let out = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&site.config.output_dir));
    let cache_dir = root.join(&site.config.cache_dir);
    let (out_abs, root_abs) = (absolute(&out), absolute(&root));
    // (an output folder holding the whole site is refused by check_output_dir)
    if absolute(&cache_dir).starts_with(&out_abs) && !root_abs.starts_with(&out_abs) {
        diagnostics.push(Diagnostic::error(format!(
            "the cache folder {} lies inside the output folder {}; choose another `cache_dir`",
            cache_dir.display(),
            out.display()
        )));
    } else {
        // `check` makes the images too: only decoding finds a truncated photo,
        // and the next build finds the work in the cache
        outcome.images = images::process(&mut site, &cache_dir, options.progress, &diagnostics);
    }
    lap("images", &mut outcome);
    let writer = if options.write && !diagnostics.has_errors() {
        match check_output_dir(&root, &out) {
            Err(message) => {
                diagnostics.push(Diagnostic::error(message));
                None
            }
            Ok(()) => match output::Writer::begin(&out, &output::manifest_path(&cache_dir, &out)) {
                Ok(writer) => Some(writer),
                Err(e) => {
                    diagnostics.push(Diagnostic::error(format!(
                        "cannot write {}: {e}",
                        out.display()
                    )));
                    None
                }
            },
        }
    } else {
        None
    };
    // the search index is the last reader of the bodies' text (kept only for
    // it): taken out of the site, each is let go once indexed
    let search = site.config.search.then(|| {
        let texts = site.take_body_texts();
        search::build_taking(&site, texts)
    });
    // the slugs and the index are made: what the render needs cut is in the cuts
    slug::release_segmenter();
    // every file is minified and written as soon as it is rendered: memory
    // holds a page per thread, not the site; except with page-relative URLs,
    // which need every output path first (to tell a folder from a file)
    let relative = options.relative_urls || site.config.relative_urls;
    let held = Mutex::new(Vec::new());
    let (pages, files, minify_ns) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicU64::new(0));
    let finish = |mut file: render::OutputFile| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
            if site.config.minify
                && let render::Contents::Bytes(bytes) = &mut file.contents
            {
                let start = Instant::now();
                render::assets::minify_page(bytes);
                minify_ns.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
        }
        files.fetch_add(1, Ordering::Relaxed);
        if let Some(writer) = &writer {
            writer.put(file);
        }
    };
    let emit = |file: render::OutputFile| {
        if relative {
            held.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        } else {
            finish(file);
        }
    };
    let others = render::render_each(&site, &theme, search, &diagnostics, &emit);
    others.into_par_iter().for_each(emit);
    diagnostics.extend(std::mem::take(
        &mut *site.late_problems.lock().unwrap_or_else(|e| e.into_inner()),
    ));
    lap("render", &mut outcome);
    if relative {
        let mut held = held.into_inner().unwrap_or_else(|e| e.into_inner());
        render::relative::rewrite(&mut held, site.config.base_path());
        held.into_par_iter().for_each(finish);
        lap("relative", &mut outcome);
    }
    outcome.minify_cpu = Duration::from_nanos(minify_ns.into_inner());
    outcome.pages = pages.into_inner();
    outcome.files = files.into_inner();
    if let Some(writer) = writer {
        if diagnostics.has_errors() {
            writer.abort();
        } else {
            match writer.finish() {
                Ok(report) => {
                    images::prune(&site, &cache_dir);
                    // (a cache that can't be written only costs the next build time)
                    let _ = slug::cuts::save(&cache_dir);
                    outcome.output = Some((out, report));
                }
                Err(e) => diagnostics.push(Diagnostic::error(format!(
                    "cannot write {}: {e}",
                    out.display()
                ))),
            }
        }
        lap("write", &mut outcome);
    }
    outcome.diagnostics = diagnostics.into_sorted();
    if let Some(s) = &shortcut {
        match &s.digest {
            Some(inputs) if outcome.diagnostics.is_empty() && outcome.output.is_some() => {
                match fingerprint::cache(&root, &site.config) {
                    Some(cache) => fingerprint::write(
                        &s.stamp_file,
                        &fingerprint::Stamp {
                            inputs: inputs.clone(),
                            cache,
                            pages: outcome.pages,
                            files: outcome.files,
                        },
                    ),
                    None => fingerprint::forget(&s.stamp_file),
                }
            }
            _ => fingerprint::forget(&s.stamp_file),
        }
    }
    drop_later(site);
    outcome
}

/// What a build into an output folder knows of the last clean build into it.
struct Shortcut {
    out: PathBuf,
    manifest: PathBuf,
    stamp_file: PathBuf,
    /// The last clean build's stamp, if any.
    stamp: Option<fingerprint::Stamp>,
    /// The input fingerprint while it is taken: `None` once finished, or when
    /// some input can't be read.
    inputs: Option<fingerprint::Inputs>,
    /// The input fingerprint, once taken.
    digest: Option<String>,
}

/// The most items a parallel loop over pages, bodies or files hands a thread at
/// once: rayon cuts a list into a few big pieces per thread and splits only what
/// is stolen, and the last big piece of the pages kept one core busy 0.4 s after
/// the other had finished (100,000 pages, two cores).
pub(crate) const PIECE: usize = 16;

/// Frees `value` on a thread of its own: a site's worth of small allocations
/// takes tens of milliseconds to free, which the build need not wait for (a
/// process that exits first just lets the thread go).
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The process's peak resident memory so far (`VmHWM`), on Linux.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line["VmHWM:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Sets `base_url` from the command line, reporting a bad one.
pub(crate) fn override_base_url(config: &mut config::Config, url: &str, diagnostics: &Diagnostics) {
    match config::Config::parse(
        &format!("title: x\nbase_url: {url:?}\n"),
        Path::new("--base-url"),
    ) {
        Ok(c) => config.base_url = c.base_url,
        Err(_) => diagnostics.push(Diagnostic::error(format!(
            "--base-url `{url}` is not an absolute URL or a path starting with `/`"
        ))),
    }
}

/// The absolute form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // resolve symlinks of the part that exists
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_owned());
                existing = p;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

/// Refuses output folders that would overwrite the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let (root_abs, out_abs) = (absolute(root), absolute(output));
    let shown = output.display();
    if out_abs == root_abs {
        return Err(format!(
            "the output folder {shown} is the site root; choose another (e.g. public)"
        ));
    }
    if root_abs.starts_with(&out_abs) {
        return Err(format!(
            "the output folder {shown} contains the site; choose a folder inside or beside it"
        ));
    }
    for inner in [load::CONTENT_DIR, "static", "templates", "themes"] {
        if out_abs.starts_with(root_abs.join(inner)) {
            return Err(format!(
                "the output folder {shown} lies inside {inner}/ of the site; choose another"
            ));
        }
    }
    Ok(())
}
