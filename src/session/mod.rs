//! A site kept in memory between builds, so that a rebuild after an edit does
//! only the work the edit calls for (what `serve` runs on every save).
//!
//! A [`Session`] remembers:
//! - every Markdown file as read and parsed, by path, size, time and hash
//!   ([`LoadCache`]), so a rebuild reads and parses only changed files;
//! - every rendered Markdown body with the answers its links and images got
//!   ([`BodyCache`]), so unchanged bodies are not rendered again;
//! - the resolved site, its cards and the plan of its pages;
//! - every published file, and for each page a fingerprint of all it was
//!   rendered from (templates, the global `site` value, its own context).
//!
//! An update picks the least work that gives the same bytes as a full build:
//! - **styles** changed: only the stylesheet is bundled again (with
//!   [`StyleName::Stable`] no page names it by hash, so no page changes);
//! - **bodies**: only the text below the front matter of existing files
//!   changed, and their cards (title, summary…) are unchanged: the bodies are
//!   rendered again and only the pages that show them (the item's own pages,
//!   hall exhibits that include it) are rendered;
//! - **render** (templates or static files changed): the model is kept and
//!   every page whose fingerprint changed is rendered (editing `event.html`
//!   renders only event pages);
//! - **full** (front matter, files created, deleted or moved, `site.yaml`, or
//!   after an error): load and resolve run again from the caches, every
//!   page's context is built and fingerprinted, and only pages whose
//!   fingerprint changed are rendered: a unit's ancestors, the listings,
//!   taxonomies and zones that show it, whatever the templates read.
//!
//! A build with errors publishes nothing: [`Session::files`] stays the last
//! good site.

mod changes;
pub mod fingerprint;

pub use changes::{Kind, classify};

use crate::body_cache::BodyCache;
use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::{self, LoadCache};
use crate::model::{ItemRef, Site};
use crate::render::pages::PageKind;
use crate::render::{self, Contents, OutputFile, Renderer, StyleName};
use crate::resolve::{self, LinkContext, bodies};
use crate::theme::Theme;
use bytes::Bytes;
use fingerprint::{Fingerprint, Memo};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

/// What a session builds.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// The site root (the folder of `site.yaml`), as the user named it.
    pub root: PathBuf,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Publish drafts.
    pub drafts: bool,
    /// How to name the stylesheet bundle.
    pub style_name: StyleName,
}

/// A published file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    Bytes(Bytes),
    /// A file published as it is, with the size and time it had when built
    /// (so that replacing a photo counts as a change).
    File {
        path: PathBuf,
        len: u64,
        modified: u128,
    },
}

/// How an update did its work (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Full,
    Render,
    Bodies,
    Styles,
    /// Nothing of the site changed.
    Nothing,
}

/// What an update did.
#[derive(Debug)]
pub struct Update {
    /// Every problem of the site as it is now, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Published files added or changed (with their contents) or removed
    /// (`None`); empty when the build has errors.
    pub changes: Vec<(String, Option<Served>)>,
    pub mode: Mode,
    /// HTML pages rendered (the others were reused).
    pub pages_rendered: usize,
    /// HTML pages of the site.
    pub pages: usize,
    pub elapsed: Duration,
}

impl Update {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether only stylesheets changed (a browser can swap them in place).
    pub fn styles_only(&self) -> bool {
        !self.changes.is_empty() && self.changes.iter().all(|(p, _)| p.ends_with(".css"))
    }
}

/// The site as last built.
struct Model {
    config: Config,
    theme: Theme,
    site: Site,
    links: LinkContext,
    renderer: Renderer,
    memo: Memo,
    global: Fingerprint,
    templates: HashMap<String, Fingerprint>,
    /// The pages that show an item's body.
    body_readers: HashMap<ItemRef, Vec<usize>>,
    /// Items and sources by the path of their file under `content/`.
    items: HashMap<String, ItemRef>,
    sources: HashMap<String, usize>,
    /// Every path under `content/` the last load saw.
    known: HashSet<String>,
    /// Problems found loading and resolving (Markdown bodies' included).
    resolve_diagnostics: Vec<Diagnostic>,
    /// Problems found with the theme and rendering.
    render_diagnostics: Vec<Diagnostic>,
}

impl Model {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let all = Diagnostics::new();
        all.extend(self.resolve_diagnostics.iter().cloned());
        all.extend(self.render_diagnostics.iter().cloned());
        all.into_sorted()
    }
}

/// A rendered page: where, what, its fingerprint, and whether it was reused.
struct RenderedPage {
    path: String,
    bytes: Bytes,
    fingerprint: Option<Fingerprint>,
    reused: bool,
}

/// A site in memory, rebuilt by [`Session::update`] after its files change.
pub struct Session {
    options: SessionOptions,
    root: PathBuf,
    load_cache: LoadCache,
    bodies: BodyCache,
    model: Option<Model>,
    /// The model no longer matches the files (after an error): build everything next.
    stale: bool,
    published: HashMap<String, Served>,
    fingerprints: HashMap<String, Fingerprint>,
}

impl Session {
    pub fn new(options: SessionOptions) -> Session {
        let root = if options.root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            options.root.clone()
        };
        Session {
            options,
            root,
            load_cache: LoadCache::default(),
            bodies: BodyCache::default(),
            model: None,
            stale: true,
            published: HashMap::new(),
            fingerprints: HashMap::new(),
        }
    }

    /// What this session builds.
    pub fn options(&self) -> &SessionOptions {
        &self.options
    }

    /// The site root on disk.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last good site: every published file by its path under the output.
    pub fn files(&self) -> &HashMap<String, Served> {
        &self.published
    }

    /// The configuration of the last build that could read `site.yaml`.
    pub fn config(&self) -> Option<&Config> {
        self.model.as_ref().map(|m| &m.config)
    }

    /// Builds everything (the first build, or when changes are unknown).
    pub fn build(&mut self) -> Update {
        self.full(Instant::now())
    }

    /// Builds again after the files at `paths` (absolute, or relative to the
    /// root) were created, changed, deleted or renamed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Update {
        let start = Instant::now();
        if self.stale || self.model.is_none() {
            return self.full(start);
        }
        let (mut content, mut render, mut styles) = (Vec::new(), false, false);
        for path in paths {
            match classify(&self.root, path) {
                Kind::Config => return self.full(start),
                Kind::Template | Kind::Static => render = true,
                Kind::Style => styles = true,
                Kind::Content(p) => {
                    self.load_cache.invalidate(&p);
                    content.push(p)
                }
                Kind::Other => {}
            }
        }
        content.sort();
        content.dedup();
        if !content.is_empty() {
            if render {
                return self.full(start);
            }
            let Some(mut update) = self.bodies(&content, start) else {
                return self.full(start);
            };
            if styles && !update.has_errors() {
                match self.styles(start) {
                    Some(u) => update.changes.extend(u.changes),
                    None => return self.rerender(start),
                }
            }
            update.elapsed = start.elapsed();
            return update;
        }
        if render {
            return self.rerender(start);
        }
        if styles {
            return self.styles(start).unwrap_or_else(|| self.rerender(start));
        }
        let model = self.model.as_ref().expect("checked above");
        Update {
            diagnostics: model.diagnostics(),
            changes: Vec::new(),
            mode: Mode::Nothing,
            pages_rendered: 0,
            pages: model.renderer.jobs.len(),
            elapsed: start.elapsed(),
        }
    }

    /// Loads, resolves and renders from the caches.
    fn full(&mut self, start: Instant) -> Update {
        let display_root = self.options.root.clone();
        let failed = |this: &mut Session, diagnostics: Vec<Diagnostic>| {
            this.stale = true;
            Update {
                diagnostics,
                changes: Vec::new(),
                mode: Mode::Full,
                pages_rendered: 0,
                pages: 0,
                elapsed: start.elapsed(),
            }
        };
        let config_display = display_path(&display_root, Path::new(config::FILE_NAME));
        let mut config = match Config::load(&self.root, &config_display) {
            Ok(c) => c,
            Err(errors) => return failed(self, errors),
        };
        let resolving = Diagnostics::new();
        if let Some(url) = &self.options.base_url {
            crate::override_base_url(&mut config, url, &resolving);
        }
        let rendering = Diagnostics::new();
        let theme = Theme::load(&self.root, &display_root, &config, &rendering);
        let loaded = load::load_cached(
            &self.root,
            &display_root,
            &config,
            &resolving,
            &mut self.load_cache,
        );
        let mut known: HashSet<String> = loaded.sources.iter().map(|s| s.path.clone()).collect();
        for (dir, d) in &loaded.dirs {
            known.insert(dir.clone());
            let join = |name: &String| {
                if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                }
            };
            known.extend(d.images.iter().map(join));
            known.extend(d.files.iter().map(join));
        }
        let (mut site, links) = resolve::resolve_with(
            config.clone(),
            self.root.clone(),
            display_root,
            loaded,
            resolve::Options {
                drafts: self.options.drafts,
            },
            &resolving,
            Some(&mut self.bodies),
        );
        // the image stage makes (or finds in the cache) every published size
        let cache_dir = self.root.join(&config.cache_dir);
        crate::images::process(&mut site, &cache_dir, false, &resolving);
        let paths: HashSet<&str> = site.sources.iter().map(|s| s.path.as_str()).collect();
        self.bodies.retain(&paths);
        let Some(tera) = render::templates(&theme, &site, &rendering) else {
            let all = Diagnostics::new();
            all.extend(resolving.into_sorted());
            all.extend(rendering.into_sorted());
            return failed(self, all.into_sorted());
        };
        let renderer = Renderer::new(&site, &theme, tera, self.options.style_name, &rendering);
        let mut model = Model::new(config, theme, site, links, renderer, known);
        model.resolve_diagnostics = resolving.into_sorted();
        self.publish(model, rendering, Mode::Full, start)
    }

    /// Renders every page whose fingerprint changed, with the model as it is
    /// (templates or static files changed).
    fn rerender(&mut self, start: Instant) -> Update {
        let Some(old) = self.model.take() else {
            return self.full(start);
        };
        let rendering = Diagnostics::new();
        let display_root = self.options.root.clone();
        let theme = Theme::load(&self.root, &display_root, &old.config, &rendering);
        let Some(tera) = render::templates(&theme, &old.site, &rendering) else {
            let diagnostics = {
                let all = Diagnostics::new();
                all.extend(old.resolve_diagnostics.iter().cloned());
                all.extend(rendering.into_sorted());
                all.into_sorted()
            };
            self.model = Some(old);
            self.stale = true;
            return Update {
                diagnostics,
                changes: Vec::new(),
                mode: Mode::Render,
                pages_rendered: 0,
                pages: 0,
                elapsed: start.elapsed(),
            };
        };
        let Model {
            config,
            site,
            links,
            known,
            resolve_diagnostics,
            ..
        } = old;
        let renderer = Renderer::new(&site, &theme, tera, self.options.style_name, &rendering);
        let mut model = Model::new(config, theme, site, links, renderer, known);
        model.resolve_diagnostics = resolve_diagnostics;
        self.publish(model, rendering, Mode::Render, start)
    }

    /// Renders every page of `model` (reusing those whose fingerprint is
    /// unchanged) and its other files; publishes them unless there are errors.
    fn publish(
        &mut self,
        mut model: Model,
        rendering: Diagnostics,
        mode: Mode,
        start: Instant,
    ) -> Update {
        let all: Vec<usize> = (0..model.renderer.jobs.len()).collect();
        let pages = render_pages(
            &model,
            &all,
            &self.published,
            &self.fingerprints,
            &rendering,
        );
        let mut files: Vec<OutputFile> = Vec::new();
        files.extend(model.renderer.assets.iter().cloned());
        let generated = model
            .renderer
            .generated(&model.site, &model.theme, &rendering);
        files.extend(generated);
        files.extend(render::copies(&model.site, &model.theme));
        render::check_file_clashes(&model.renderer.jobs, files.iter(), &rendering);
        model.render_diagnostics = rendering.into_sorted();
        let diagnostics = model.diagnostics();
        let pages_rendered = pages.iter().filter(|p| !p.reused).count();
        let page_count = model.renderer.jobs.len();
        self.model = Some(model);
        if diagnostics.iter().any(Diagnostic::is_error) {
            self.stale = true;
            return Update {
                diagnostics,
                changes: Vec::new(),
                mode,
                pages_rendered,
                pages: page_count,
                elapsed: start.elapsed(),
            };
        }
        let mut next: HashMap<String, Served> = HashMap::with_capacity(pages.len() + files.len());
        let mut fingerprints = HashMap::with_capacity(pages.len());
        let mut changes = Vec::new();
        for page in pages {
            if let Some(fp) = page.fingerprint {
                fingerprints.insert(page.path.clone(), fp);
            }
            let served = Served::Bytes(page.bytes);
            if !page.reused && self.published.get(&page.path) != Some(&served) {
                changes.push((page.path.clone(), Some(served.clone())));
            }
            next.insert(page.path, served);
        }
        for file in files {
            let served = served(file.contents);
            if self.published.get(&file.path) != Some(&served) {
                changes.push((file.path.clone(), Some(served.clone())));
            }
            next.insert(file.path, served);
        }
        for path in self.published.keys() {
            if !next.contains_key(path) {
                changes.push((path.clone(), None));
            }
        }
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        self.published = next;
        self.fingerprints = fingerprints;
        self.stale = false;
        Update {
            diagnostics,
            changes,
            mode,
            pages_rendered,
            pages: page_count,
            elapsed: start.elapsed(),
        }
    }

    /// Renders the bodies of existing files again, when nothing but their
    /// bodies changed and every card stays the same; `None` when the change is
    /// more than that (then everything is built).
    fn bodies(&mut self, paths: &[String], start: Instant) -> Option<Update> {
        let content = self.root.join(load::CONTENT_DIR);
        let model = self.model.as_mut()?;
        let mut edited = Vec::new();
        for p in paths {
            let meta = std::fs::symlink_metadata(content.join(p));
            let is_source = model.sources.contains_key(p);
            match (model.known.contains(p), meta) {
                // a file that came and went (an editor's temporary file)
                (false, Err(_)) => {}
                (true, Ok(m)) if is_source && m.is_file() => edited.push(p.clone()),
                _ => return None,
            }
        }
        let display_root = self.options.root.clone();
        let mut dirty: BTreeSet<usize> = BTreeSet::new();
        let mut resolve_diagnostics = std::mem::take(&mut model.resolve_diagnostics);
        for p in &edited {
            let index = model.sources[p];
            let old = model.site.sources[index].clone();
            let old_problems = self.load_cache.diagnostics(p);
            let (new, problems) = load::reread(&self.root, &display_root, &mut self.load_cache, p);
            let new = new.filter(|n| n.front_matter() == old.front_matter())?;
            // the file's own findings (personal data in its text…) as they are now
            for gone in old_problems {
                if let Some(i) = resolve_diagnostics.iter().position(|d| *d == gone) {
                    resolve_diagnostics.remove(i);
                }
            }
            resolve_diagnostics.extend(problems);
            let Some(&item) = model.items.get(p) else {
                // a file without a page (a draft): nothing shows its body
                model.site.sources[index] = new;
                continue;
            };
            let old_entry = self.bodies.get(p)?.clone();
            for gone in bodies::problems_of(&model.site, item, &self.bodies) {
                if let Some(i) = resolve_diagnostics.iter().position(|d| *d == gone) {
                    resolve_diagnostics.remove(i);
                }
            }
            model.site.sources[index] = new;
            let given = self
                .load_cache
                .common(p)
                .and_then(|c| c.summary)
                .unwrap_or_default()
                .trim()
                .to_string();
            let problems = bodies::rerender(
                &mut model.site,
                &model.links,
                item,
                &given,
                &mut self.bodies,
            );
            resolve_diagnostics.extend(problems);
            let new_entry = self.bodies.get(p)?;
            let card = model.renderer.cards.card_of(&model.site, item);
            if old_entry.image_refs() != new_entry.image_refs()
                || card != model.renderer.cards.get(item)
            {
                return None;
            }
            dirty.extend(model.body_readers.get(&item).into_iter().flatten());
        }
        let sorted = Diagnostics::new();
        sorted.extend(resolve_diagnostics);
        model.resolve_diagnostics = sorted.into_sorted();

        // the search index holds every body's text; its files are named by
        // their hashes, and the search page names the entry
        let mut search_changes = Vec::new();
        if let Some(old) = &model.renderer.search {
            let search = crate::search::build(&model.site);
            let paths: BTreeSet<&str> = search.files.iter().map(|f| f.path.as_str()).collect();
            for file in &old.files {
                if !paths.contains(file.path.as_str()) {
                    search_changes.push((file.path.clone(), None));
                }
            }
            for file in &search.files {
                let s = served(file.contents.clone());
                if self.published.get(&file.path) != Some(&s) {
                    search_changes.push((file.path.clone(), Some(s)));
                }
            }
            if search.entry != old.entry {
                dirty.extend(
                    (model.renderer.jobs.iter())
                        .position(|job| job.kind == crate::render::pages::PageKind::Search),
                );
            }
            model.renderer.search = Some(search);
        }

        let rendering = Diagnostics::new();
        let jobs: Vec<usize> = dirty.into_iter().collect();
        let pages = render_pages(
            &*model,
            &jobs,
            &self.published,
            &self.fingerprints,
            &rendering,
        );
        let mut diagnostics = model.diagnostics();
        let render_errors = rendering.into_sorted();
        let pages_total = model.renderer.jobs.len();
        if !render_errors.is_empty() || diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(render_errors);
            self.stale = true;
            return Some(Update {
                diagnostics,
                changes: Vec::new(),
                mode: Mode::Bodies,
                pages_rendered: pages.len(),
                pages: pages_total,
                elapsed: start.elapsed(),
            });
        }
        let mut changes = Vec::new();
        for (path, s) in search_changes {
            match &s {
                Some(s) => self.published.insert(path.clone(), s.clone()),
                None => self.published.remove(&path),
            };
            changes.push((path, s));
        }
        let rendered = pages.iter().filter(|p| !p.reused).count();
        for page in pages {
            if let Some(fp) = page.fingerprint {
                self.fingerprints.insert(page.path.clone(), fp);
            }
            let served = Served::Bytes(page.bytes);
            if self.published.get(&page.path) != Some(&served) {
                changes.push((page.path.clone(), Some(served.clone())));
                self.published.insert(page.path, served);
            }
        }
        Some(Update {
            diagnostics,
            changes,
            mode: Mode::Bodies,
            pages_rendered: rendered,
            pages: pages_total,
            elapsed: start.elapsed(),
        })
    }

    /// Bundles the stylesheets again; `None` when pages must change too (a
    /// hashed name, or the first or last stylesheet).
    fn styles(&mut self, start: Instant) -> Option<Update> {
        let model = self.model.as_mut()?;
        if self.options.style_name == StyleName::Hashed {
            return None;
        }
        let problems = Diagnostics::new();
        let theme = Theme::load(&self.root, &self.options.root, &model.config, &problems);
        let mut styles = Vec::new();
        let mut urls = render::assets::styles(&model.site, &theme, &problems, &mut styles);
        render::stable_style_names(&mut styles, &mut urls);
        let problems = problems.into_sorted();
        let is_css = |f: &&OutputFile| f.path.ends_with(".css");
        let old: BTreeSet<&str> = model
            .renderer
            .assets
            .iter()
            .filter(is_css)
            .map(|f| f.path.as_str())
            .collect();
        let new: BTreeSet<&str> = styles.iter().map(|f| f.path.as_str()).collect();
        // a bundle that came or went changes the pages that link it
        if old != new || !problems.is_empty() {
            return None;
        }
        let mut changes = Vec::new();
        for file in &styles {
            let s = served(file.contents.clone());
            if self.published.get(&file.path) != Some(&s) {
                self.published.insert(file.path.clone(), s.clone());
                changes.push((file.path.clone(), Some(s)));
            }
        }
        model.theme = theme;
        model.renderer.assets.retain(|f| !f.path.ends_with(".css"));
        model.renderer.assets.extend(styles);
        Some(Update {
            diagnostics: model.diagnostics(),
            changes,
            mode: Mode::Styles,
            pages_rendered: 0,
            pages: model.renderer.jobs.len(),
            elapsed: start.elapsed(),
        })
    }
}

impl Model {
    fn new(
        config: Config,
        theme: Theme,
        site: Site,
        links: LinkContext,
        renderer: Renderer,
        known: HashSet<String>,
    ) -> Model {
        let memo = Memo::of_cards(&renderer.cards);
        let global = fingerprint::value(&renderer.site_value, &memo);
        let page_templates: BTreeSet<&str> = renderer.jobs.iter().map(|j| j.template()).collect();
        let salt = format!("{config:?}");
        let templates = fingerprint::templates(&theme, &page_templates, salt.as_bytes());
        let mut body_readers: HashMap<ItemRef, Vec<usize>> = HashMap::new();
        for (i, job) in renderer.jobs.iter().enumerate() {
            let shown = match job.kind {
                PageKind::Home => Some(ItemRef::Home),
                PageKind::Item(item) => Some(item),
                PageKind::Section(s, _) => Some(ItemRef::Section(s)),
                _ => None,
            };
            if let Some(item) = shown {
                body_readers.entry(item).or_default().push(i);
            }
            // an exhibit a zone includes shows its origin's body
            if let PageKind::Item(ItemRef::Exhibit(x)) = job.kind
                && let Some(origin) = site.exhibits[x].origin
            {
                body_readers.entry(origin).or_default().push(i);
            }
        }
        let items = site
            .items()
            .filter_map(|item| site.source(item).map(|s| (s.path.clone(), item)))
            .collect();
        let sources = site
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.clone(), i))
            .collect();
        Model {
            config,
            theme,
            site,
            links,
            renderer,
            memo,
            global,
            templates,
            body_readers,
            items,
            sources,
            known,
            resolve_diagnostics: Vec::new(),
            render_diagnostics: Vec::new(),
        }
    }
}

/// Renders the pages `jobs` of `model`, reusing the published bytes of each
/// page whose fingerprint is as it was.
fn render_pages(
    model: &Model,
    jobs: &[usize],
    published: &HashMap<String, Served>,
    fingerprints: &HashMap<String, Fingerprint>,
    diagnostics: &Diagnostics,
) -> Vec<RenderedPage> {
    let renderer = &model.renderer;
    // for this pass only: the site may change before the next
    let twins = crate::render::pages::Twins::new(&model.site);
    jobs.par_iter()
        .with_max_len(crate::PIECE)
        .filter_map(|&i| {
            let job = &renderer.jobs[i];
            let ctx = renderer.context(&model.site, job, &twins);
            let fp = fingerprint::context(&ctx, &model.memo).map(|c| {
                let template = model
                    .templates
                    .get(job.template())
                    .copied()
                    .unwrap_or_default();
                fingerprint::page(&template, &model.global, &c, &job.output)
            });
            if let (Some(fp), Some(Served::Bytes(bytes))) = (fp, published.get(&job.output))
                && fingerprints.get(&job.output) == Some(&fp)
            {
                return Some(RenderedPage {
                    path: job.output.clone(),
                    bytes: bytes.clone(),
                    fingerprint: Some(fp),
                    reused: true,
                });
            }
            let mut file = renderer.page(&model.theme, job, &ctx, diagnostics)?;
            if model.site.config.minify {
                render::assets::minify_pages(std::slice::from_mut(&mut file));
            }
            let Contents::Bytes(bytes) = file.contents else {
                return None;
            };
            Some(RenderedPage {
                path: file.path,
                bytes: Bytes::from(bytes),
                fingerprint: fp,
                reused: false,
            })
        })
        .collect()
}

fn served(contents: Contents) -> Served {
    match contents {
        Contents::Bytes(b) => Served::Bytes(Bytes::from(b)),
        Contents::Copy(path) => {
            let (len, modified) = std::fs::metadata(&path)
                .map(|m| {
                    let t = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    (m.len(), t)
                })
                .unwrap_or((0, 0));
            Served::File {
                path,
                len,
                modified,
            }
        }
    }
}
