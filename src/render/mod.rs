//! Stage 3, render: the site and the theme become files, in memory or as
//! copies of source files, ready for the output stage.

pub mod assets;
pub mod cards;
pub mod charts;
mod data;
mod feeds;
pub mod map;
pub mod pages;
pub mod qr;
pub mod relative;
pub mod value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::theme::{Origin, Theme};
use cards::Cards;
use pages::{Job, Lists};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use tera::{Kwargs, State, Tera, Value};

/// A file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path under the output folder, `/`-separated.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    /// An empty generated file at this one's path: what the clash check needs
    /// of a file already written.
    fn stand_in(&self) -> OutputFile {
        OutputFile {
            path: self.path.clone(),
            contents: Contents::Bytes(Vec::new()),
        }
    }
}

/// What an output file holds.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file published as it is.
    Copy(PathBuf),
}

/// How the stylesheet bundle is named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StyleName {
    /// `assets/style.HASH.css`: a new URL whenever it changes (for hosts that cache).
    #[default]
    Hashed,
    /// `assets/style.css`: pages never change when only the styles do (`serve`).
    Stable,
}

/// Renders every page and file of `site`. Problems go to `diagnostics`.
pub fn render(site: &Site, theme: &Theme, diagnostics: &Diagnostics) -> Vec<OutputFile> {
    let pages = std::sync::Mutex::new(Vec::new());
    let mut files = render_each(site, theme, None, diagnostics, &|f| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push(f)
    });
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages.append(&mut files);
    pages
}

/// Renders every page and file of `site`, handing each HTML page and each
/// generated file (feeds, sitemaps, data) to `emit` as soon as it is made (from
/// many threads), so a build never holds every page in memory; returns the
/// other files (the bundles and the copies).
pub fn render_each(
    site: &Site,
    theme: &Theme,
    search: Option<crate::search::SearchFiles>,
    diagnostics: &Diagnostics,
    emit: &(dyn Fn(OutputFile) + Sync),
) -> Vec<OutputFile> {
    let Some(tera) = templates(theme, site, diagnostics) else {
        return Vec::new();
    };
    // the search index goes out first, moved, not copied: held while the
    // cards were made, its 60 MB were part of a 100,000-page site's peak
    let mut search = search.or_else(|| site.config.search.then(|| crate::search::build(site)));
    let search_files = (search.as_mut())
        .map(|s| std::mem::take(&mut s.files))
        .unwrap_or_default();
    let mut made: Vec<OutputFile> = search_files
        .into_par_iter()
        .map(|file| {
            let stand_in = file.stand_in();
            emit(file);
            stand_in
        })
        .collect();
    let renderer = Renderer::with_search(site, theme, tera, StyleName::Hashed, search, diagnostics);
    let twins = pages::Twins::new(site);
    // the feeds, sitemaps and data files are made beside the pages, not after
    // them: made alone they left a core idle
    let ((), files) = rayon::join(
        || {
            renderer
                .jobs
                .par_iter()
                .with_max_len(crate::PIECE)
                .for_each(|job| {
                    let ctx = renderer.context(site, job, &twins);
                    if let Some(page) = renderer.page(theme, job, &ctx, diagnostics) {
                        emit(page);
                    }
                })
        },
        || {
            // each written as soon as it is made (the open data and sitemaps
            // of a big site are tens of MB); for the clash check, only their
            // paths are kept
            let mut out = |file: OutputFile| {
                made.push(file.stand_in());
                emit(file);
            };
            renderer.generate(site, theme, diagnostics, &mut out);
            let mut files: Vec<OutputFile> = renderer.assets.clone();
            files.extend(copies(site, theme));
            check_file_clashes(&renderer.jobs, files.iter().chain(&made), diagnostics);
            files
        },
    );
    crate::drop_later(renderer);
    files
}

/// The render stage for one state of the site: templates with the site's
/// global values, cards, listings, the search index and the plan of every
/// page. A page is then rendered on its own, so a caller may render only the
/// pages it needs (`serve`).
pub struct Renderer {
    pub tera: Tera,
    pub cards: Cards,
    pub lists: Lists,
    /// Every HTML page of the site.
    pub jobs: Vec<Job>,
    /// The stylesheet and script bundles.
    pub assets: Vec<OutputFile>,
    /// The search index, when `search: true`.
    pub search: Option<crate::search::SearchFiles>,
    /// The global `site` value every template sees.
    pub site_value: Value,
}

impl Renderer {
    /// Prepares the pages of `site`; `tera` comes from [`templates`].
    pub fn new(
        site: &Site,
        theme: &Theme,
        tera: Tera,
        style_name: StyleName,
        diagnostics: &Diagnostics,
    ) -> Renderer {
        Self::with_search(site, theme, tera, style_name, None, diagnostics)
    }

    /// Like [`Renderer::new`], with the search files if the caller built them
    /// already (with `None` and `search: true`, they are built here).
    pub fn with_search(
        site: &Site,
        theme: &Theme,
        mut tera: Tera,
        style_name: StyleName,
        search: Option<crate::search::SearchFiles>,
        diagnostics: &Diagnostics,
    ) -> Renderer {
        // the stylesheets and scripts are minified beside the cards
        let ((assets, styles, scripts), (search, (cards, mut lists))) = rayon::join(
            || {
                let mut assets = Vec::new();
                let mut styles = assets::styles(site, theme, diagnostics, &mut assets);
                if style_name == StyleName::Stable {
                    stable_style_names(&mut assets, &mut styles);
                }
                let scripts = assets::scripts(site, theme, diagnostics, &mut assets);
                (assets, styles, scripts)
            },
            || {
                rayon::join(
                    || search.or_else(|| site.config.search.then(|| crate::search::build(site))),
                    || (Cards::build(site), Lists::build(site)),
                )
            },
        );
        lists.boundary = site.config.map.boundary.as_ref().and_then(|path| {
            map::Boundary::load(&site.root, &site.display_root, path, diagnostics)
        });
        let site_value = pages::site_value(site, &cards, &styles, &scripts);
        tera.global_context()
            .insert_value("site", site_value.clone());
        let jobs = pages::plan(site, &lists);
        check_clashes(site, &jobs, diagnostics);
        Renderer {
            tera,
            cards,
            lists,
            jobs,
            assets,
            search,
            site_value,
        }
    }

    /// The context of one page (the global `site` is in [`Renderer::tera`]);
    /// `twins` holds what a page made for its poster or board in this pass.
    pub fn context(&self, site: &Site, job: &Job, twins: &pages::Twins) -> tera::Context {
        let mut ctx = pages::context(site, &self.cards, &self.lists, twins, job);
        if let (pages::PageKind::Search, Some(search)) = (&job.kind, &self.search) {
            // the search page loads its index relative to itself (works from file://);
            // in its own context, so a new index re-renders this page only
            ctx.insert_value("search_entry", Value::from(search.entry.as_str()));
        }
        ctx
    }

    /// Renders one page with its context (not minified: see [`assets::minify_pages`]).
    pub fn page(
        &self,
        theme: &Theme,
        job: &Job,
        ctx: &tera::Context,
        diagnostics: &Diagnostics,
    ) -> Option<OutputFile> {
        // to bytes: `render` would check the whole page is UTF-8 once more
        let mut html = Vec::with_capacity(32 * 1024);
        match self.tera.render_to(job.template(), ctx, &mut html) {
            Ok(()) => Some(OutputFile {
                path: job.output.clone(),
                contents: Contents::Bytes(html),
            }),
            Err(e) => {
                diagnostics.push(template_error(&e, theme, job.template()));
                None
            }
        }
    }

    /// Files generated from the whole site: feeds, sitemap, robots, open
    /// data and the search index.
    pub fn generated(
        &self,
        site: &Site,
        theme: &Theme,
        diagnostics: &Diagnostics,
    ) -> Vec<OutputFile> {
        let mut files = Vec::new();
        self.generate(site, theme, diagnostics, &mut |f| files.push(f));
        files
    }

    /// Makes the files of [`Renderer::generated`], handing each to `out` as
    /// soon as it is made.
    pub fn generate(
        &self,
        site: &Site,
        theme: &Theme,
        diagnostics: &Diagnostics,
        out: &mut dyn FnMut(OutputFile),
    ) {
        feeds::render(
            site,
            &self.tera,
            &self.cards,
            &self.jobs,
            theme,
            diagnostics,
            out,
        );
        data::render(site, out);
        for file in self.search.iter().flat_map(|s| s.files.iter()) {
            out(file.clone());
        }
    }
}

/// Files published as they are: images, content assets and the theme's static files.
pub fn copies(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let base = site.config.base_path();
    let mut files = Vec::new();
    // derived files made (or found in the cache) by the image stage
    for v in site.images.iter().flat_map(|i| &i.variants) {
        if let Some(file) = &v.file {
            files.push(OutputFile {
                path: strip_base(base, &v.url),
                contents: Contents::Copy(file.clone()),
            });
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.output.clone(),
            contents: Contents::Copy(asset.file.clone()),
        });
    }
    files.extend(static_files(theme));
    files
}

/// The theme's static files (its own, its `static/` and the site's `static/`).
pub fn static_files(theme: &Theme) -> Vec<OutputFile> {
    theme
        .static_files
        .iter()
        .map(|(name, file)| OutputFile {
            path: name.clone(),
            contents: match &file.origin {
                Origin::Embedded(b) => Contents::Bytes(b.to_vec()),
                Origin::File(p) => Contents::Copy(p.clone()),
            },
        })
        .collect()
}

fn strip_base(base: &str, url: &str) -> String {
    url.strip_prefix(base)
        .unwrap_or(url.trim_start_matches('/'))
        .to_string()
}

/// Loads the theme's templates into Tera, with yunzhan's filters.
pub fn templates(theme: &Theme, site: &Site, diagnostics: &Diagnostics) -> Option<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    register_filters(&mut tera, site);
    let mut sources = Vec::new();
    for (name, file) in &theme.templates {
        match file.origin.read().map(String::from_utf8) {
            Ok(Ok(text)) => sources.push((name.clone(), text)),
            _ => diagnostics.push(
                Diagnostic::error("cannot read the template as UTF-8 text")
                    .in_file(file.display.clone()),
            ),
        }
    }
    match tera.add_raw_templates(sources) {
        Ok(()) => Some(tera),
        Err(e) => {
            diagnostics.push(template_error(&e, theme, ""));
            None
        }
    }
}

/// Built-in names of common figures; `extra.stat_labels` in site.yaml adds more.
const STAT_LABELS: &[(&str, &str)] = &[
    ("volunteers", "志愿者"),
    ("teams", "志愿服务队伍"),
    ("activities", "开展活动"),
    ("served", "服务群众"),
    ("members", "成员"),
    ("projects", "品牌项目"),
    ("lectures", "宣讲场次"),
    ("participants", "参与人次"),
    ("hours", "服务时长"),
];

fn register_filters(tera: &mut Tera, site: &Site) {
    let mut labels: HashMap<String, String> = STAT_LABELS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(extra) = site
        .config
        .extra
        .get("stat_labels")
        .and_then(|v| v.as_mapping())
    {
        for (k, v) in extra {
            if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                labels.insert(k.to_string(), v.to_string());
            }
        }
    }
    tera.register_filter("stat_label", move |key: &str, _: Kwargs, _: &State| {
        labels.get(key).cloned().unwrap_or_else(|| key.to_string())
    });
    tera.register_filter("num", |v: Value, _: Kwargs, _: &State| match v.as_i64() {
        Some(n) => group_digits(n),
        None => v.as_f64().map(|f| format!("{f}")).unwrap_or_default(),
    });
    tera.register_filter("json", |v: Value, _: Kwargs, _: &State| {
        // safe inside <script>: no `</` can close the element
        serde_json::to_string(&v)
            .unwrap_or_default()
            .replace("</", "<\\/")
    });
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| {
        percent_encode(s)
    });
    let config = site.config.clone();
    tera.register_filter("absolute", move |url: &str, _: Kwargs, _: &State| {
        if url.starts_with('/') {
            config.permalink(url)
        } else {
            url.to_string()
        }
    });
}

/// `12345` → `12,345`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Percent-encodes everything but unreserved characters and `/` (URLs in XML).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A Tera error as a diagnostic at the template's file, line and column.
fn template_error(e: &tera::Error, theme: &Theme, template: &str) -> Diagnostic {
    use tera::ErrorKind;
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                template
            } else {
                report.filename()
            };
            let file = theme
                .templates
                .get(name)
                .map(|f| f.display.clone())
                .unwrap_or_else(|| PathBuf::from(name));
            let span = report.span();
            Diagnostic::error(format!("template: {}", report.message()))
                .in_file(file)
                .at(crate::diagnostics::Position::new(
                    span.start_line.max(1),
                    span.start_col + 1,
                ))
        }
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            let d = Diagnostic::error(format!("template: {message}"));
            match theme.templates.get(template) {
                Some(f) => d.in_file(f.display.clone()),
                None => d,
            }
        }
    }
}

/// Renames hashed stylesheet bundles (`assets/NAME.HASH.css`) to
/// `assets/NAME.css` in `files` and in the `urls` that name them.
pub fn stable_style_names(files: &mut [OutputFile], urls: &mut BTreeMap<String, String>) {
    for file in files.iter_mut() {
        let Some(stem) = file
            .path
            .strip_prefix("assets/")
            .and_then(|p| p.strip_suffix(".css"))
        else {
            continue;
        };
        let Some((name, _hash)) = stem.rsplit_once('.') else {
            continue;
        };
        let stable = format!("assets/{name}.css");
        for url in urls.values_mut() {
            if url.ends_with(&file.path) {
                *url = format!("{}{stable}", &url[..url.len() - file.path.len()]);
            }
        }
        file.path = stable;
    }
}

/// Two items whose pages would land on the same URL (or one that differs only by case).
fn check_clashes(site: &Site, jobs: &[Job], diagnostics: &Diagnostics) {
    let mut seen: HashMap<Cow<'_, str>, &Job> = HashMap::with_capacity(jobs.len());
    for job in jobs {
        let folded = lowercase(&job.output);
        if let Some(first) = seen.get(&folded) {
            let describe = |j: &Job| match j.item.and_then(|i| site.source(i)) {
                Some(s) => format!("content/{}", s.path),
                None => format!("the generated page {}", j.url),
            };
            let same_case = first.output == job.output;
            let message = if same_case {
                format!(
                    "two pages have the URL {}: {} and {}",
                    job.url,
                    describe(first),
                    describe(job)
                )
            } else {
                format!(
                    "the URLs {} and {} differ only by case, which many hosts can't tell apart: {} and {}",
                    first.url,
                    job.url,
                    describe(first),
                    describe(job)
                )
            };
            let (culprit, other) = if job.item.and_then(|i| site.source(i)).is_some() {
                (job, *first)
            } else {
                (*first, job)
            };
            let d = Diagnostic::error(message)
                .with_help("give one of them another `slug:` or rename its file");
            let d = match culprit
                .item
                .and_then(|i| site.source(i))
                .or_else(|| other.item.and_then(|i| site.source(i)))
            {
                Some(s) => d
                    .in_file(s.display.clone())
                    .at(crate::diagnostics::Position::new(1, 1)),
                None => d,
            };
            diagnostics.push(d);
        } else {
            seen.insert(folded, job);
        }
    }
}

/// Files other than pages that would overwrite each other or a page.
pub fn check_file_clashes<'a>(
    pages: &[Job],
    files: impl IntoIterator<Item = &'a OutputFile>,
    diagnostics: &Diagnostics,
) {
    let origin = |f: &OutputFile| match &f.contents {
        Contents::Copy(p) => p.display().to_string(),
        Contents::Bytes(_) => "a generated file".to_string(),
    };
    let files: Vec<(Cow<'a, str>, &'a OutputFile)> =
        files.into_iter().map(|f| (lowercase(&f.path), f)).collect();
    // only the pages at one of the files' paths can clash with them (pages
    // among themselves are checked by check_clashes)
    let paths: HashSet<&str> = files.iter().map(|(p, _)| p.as_ref()).collect();
    let pages: Vec<String> = pages
        .par_iter()
        .filter_map(|j| {
            let path = lowercase(&j.output);
            paths.contains(path.as_ref()).then(|| path.into_owned())
        })
        .collect();
    // the first at each path: a page (None; generated, so reported with its
    // source by check_clashes) or a file
    let mut seen: HashMap<Cow<'a, str>, Option<&'a OutputFile>> =
        pages.into_iter().map(|p| (Cow::Owned(p), None)).collect();
    let generated = |f: &OutputFile| matches!(f.contents, Contents::Bytes(_));
    for (path, f) in files {
        match seen.get(&path) {
            Some(first) => {
                if first.is_none_or(generated) && generated(f) {
                    continue;
                }
                let first = first.map_or_else(|| "a generated file".to_string(), origin);
                diagnostics.push(Diagnostic::error(format!(
                    "two files would be published as {}: {first} and {}",
                    f.path,
                    origin(f)
                )));
            }
            None => {
                seen.insert(path, Some(f));
            }
        }
    }
}

/// `path` in lowercase, copied only when it has something to lower (most
/// output paths are lowercase ASCII already).
fn lowercase(path: &str) -> Cow<'_, str> {
    if path
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(path.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pages::PageKind;

    #[test]
    fn a_copied_file_may_not_take_a_pages_or_another_files_path() {
        let page = |output: &str| Job {
            url: String::new(),
            output: output.into(),
            kind: PageKind::Home,
            item: None,
        };
        let copy = |path: &str, from: &str| OutputFile {
            path: path.into(),
            contents: Contents::Copy(PathBuf::from(from)),
        };
        let generated = |path: &str| OutputFile {
            path: path.into(),
            contents: Contents::Bytes(Vec::new()),
        };
        let pages = [page("index.html"), page("东湖区/index.html")];
        let files = [
            copy("东湖区/INDEX.html", "static/东湖区/INDEX.html"),
            generated("index.html"),
            copy("a.jpg", "content/a.jpg"),
            copy("A.jpg", "static/A.jpg"),
            copy("b.jpg", "content/b.jpg"),
        ];
        let diagnostics = Diagnostics::new();
        check_file_clashes(&pages, &files, &diagnostics);
        let mut messages: Vec<String> = diagnostics
            .into_sorted()
            .iter()
            .map(|d| d.to_string())
            .collect();
        messages.sort();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0]
                .contains("two files would be published as A.jpg: content/a.jpg and static/A.jpg")
        );
        assert!(messages[1].contains(
            "two files would be published as 东湖区/INDEX.html: a generated file and static/东湖区/INDEX.html"
        ));
    }
}
