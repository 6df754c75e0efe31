//! Renders (or, in a one-off build, scans) every item's Markdown body, in
//! parallel, resolving `@/` links, relative links and images as it goes.

use super::refs::{self, RefIndex};
use crate::body_cache::{self, BodyCache};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::{self, ImageSet};
use crate::load::{self, file_name, parent_dir};
use crate::markdown::{self, Options, Resolver};
use crate::model::{Body, ItemRef, Later, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Mutex;

/// Renders the bodies of all items of `site`. `folder_urls` maps each folder of
/// `content/` to the URL its files are published under. With a `cache`, bodies
/// that still hold are taken from it and the others are kept in it. Without
/// one (a one-off build), the sources let go of their bodies once rendered; a
/// source whose body was already dropped (a big site's) is read again from its
/// file and only scanned: its page makes the HTML ([`Site::body_html`]).
pub fn render(
    site: &mut Site,
    index: &RefIndex,
    images: &mut ImageSet,
    folder_urls: &HashMap<String, String>,
    diagnostics: &Diagnostics,
    mut cache: Option<&mut BodyCache>,
) {
    let items: Vec<ItemRef> = site
        .items()
        .filter(|i| site.meta(*i).source.is_some())
        .collect();
    let memo = images.memo();
    let shared = Mutex::new(std::mem::take(images));
    let search = site.config.search;
    let one_off = cache.is_none();
    let reader = cache.as_deref();
    let rendered: Vec<(ItemRef, Done)> = items
        .par_iter()
        .with_max_len(crate::PIECE)
        .filter_map(|&item| {
            match render_one(site, index, &shared, &memo, folder_urls, item, reader) {
                Ok(mut done) => {
                    diagnostics.extend(std::mem::take(&mut done.problems));
                    trim(&mut done.out, search);
                    Some((item, done))
                }
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            }
        })
        .collect();
    for (item, done) in rendered {
        if let (Some(cache), Some(entry)) = (cache.as_deref_mut(), done.entry) {
            let s = site.meta(item).source.expect("has a source");
            cache.store(site.sources[s].path.clone(), entry);
        }
        let meta = site.meta_mut(item);
        set_body(meta, done.out, None);
        meta.body.later = done.later;
    }
    if one_off {
        // the HTML is made: the Markdown a small site held is no longer needed
        load::drop_bodies(&mut site.sources);
    }
    *images = shared.into_inner().unwrap_or_else(|e| e.into_inner());
}

/// One body as rendered or scanned.
struct Done {
    out: markdown::Rendered,
    /// What the cache keeps of it.
    entry: Option<body_cache::Entry>,
    /// How to make the HTML later, for a scanned body (`out.html` is then empty).
    later: Option<Later>,
    problems: Vec<Diagnostic>,
}

/// Renders one item's body (from `cache` when it still holds), or scans it
/// when its source dropped it, so that a site's bodies are never all in memory.
fn render_one(
    site: &Site,
    index: &RefIndex,
    images: &Mutex<ImageSet>,
    memo: &images::Memo,
    folder_urls: &HashMap<String, String>,
    item: ItemRef,
    cache: Option<&BodyCache>,
) -> Result<Done, Diagnostic> {
    let held = site.source(item).expect("items with a body have a source");
    let again;
    let source = if held.body_dropped {
        again = held.reread(&site.root.join(load::CONTENT_DIR))?;
        &again
    } else {
        held
    };
    let options = Options {
        unsafe_html: site.config.unsafe_html,
    };
    let mut resolver = Links {
        site,
        index,
        images,
        memo,
        folder_urls,
        dir: parent_dir(&source.path).to_string(),
    };
    let (out, entry, later) = match cache {
        Some(cache) => {
            let (out, entry) = cache.render(&source.path, source.body(), options, &mut resolver);
            (out, entry, None)
        }
        None if held.body_dropped && !source.body().trim().is_empty() => {
            let (out, answers) = markdown::scan(source.body(), options, &mut resolver);
            let later = Later {
                answers,
                hash: markdown::TextHash::of(source.body()),
            };
            (out, None, Some(later))
        }
        None => (
            markdown::render(source.body(), options, &mut resolver),
            None,
            None,
        ),
    };
    let problems = out
        .problems
        .iter()
        .map(|p| source.body_error(p.offset, p.message.clone()))
        .collect();
    Ok(Done {
        out,
        entry,
        later,
        problems,
    })
}

/// Fits a rendered body to what the site keeps of it: the plain text is as
/// big as the source and only the search index reads it.
fn trim(out: &mut markdown::Rendered, search: bool) {
    out.html.shrink_to_fit();
    out.summary.shrink_to_fit();
    out.headings.shrink_to_fit();
    if search {
        out.text.shrink_to_fit();
    } else {
        out.text = String::new();
    }
}

/// Puts a rendered body into an item; the summary comes from the body unless
/// `given` (the front matter's) is set. With `given` = None, a summary already
/// in `meta` counts as given.
fn set_body(meta: &mut crate::model::Meta, out: markdown::Rendered, given: Option<&str>) {
    match given {
        Some(g) if !g.is_empty() => meta.summary = g.to_string(),
        Some(_) => meta.summary = out.summary,
        None if meta.summary.is_empty() => meta.summary = out.summary,
        None => {}
    }
    meta.body = Body {
        html: out.html,
        later: None,
        text: out.text,
        headings: out.headings,
    };
}

/// What resolving links needs, kept after a build so that a body can be
/// rendered again on its own when only its text changed.
pub struct LinkContext {
    pub(crate) index: RefIndex,
    pub(crate) folder_urls: HashMap<String, String>,
}

/// Renders the body of `item` again after its file's text (but not its front
/// matter) changed; `site.sources` already holds the new text. `given_summary`
/// is the front matter's `summary` (trimmed, empty when absent). Returns the
/// problems found in the body; the cache keeps the new rendering.
pub fn rerender(
    site: &mut Site,
    links: &LinkContext,
    item: ItemRef,
    given_summary: &str,
    cache: &mut BodyCache,
) -> Vec<Diagnostic> {
    let set = ImageSet::from_images(std::mem::take(&mut site.images));
    let memo = set.memo();
    let images = Mutex::new(set);
    let rendered = render_one(
        site,
        &links.index,
        &images,
        &memo,
        &links.folder_urls,
        item,
        Some(cache),
    );
    site.images = images
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .images;
    let Done {
        mut out,
        entry,
        problems,
        ..
    } = match rendered {
        Ok(done) => done,
        Err(d) => return vec![d],
    };
    let s = site.meta(item).source.expect("has a source");
    if let Some(entry) = entry {
        cache.store(site.sources[s].path.clone(), entry);
    }
    trim(&mut out, site.config.search);
    set_body(site.meta_mut(item), out, Some(given_summary));
    problems
}

/// The problems of a body as [`rerender`] reports them, from its cached rendering.
pub fn problems_of(site: &Site, item: ItemRef, cache: &BodyCache) -> Vec<Diagnostic> {
    let Some(s) = site.meta(item).source else {
        return Vec::new();
    };
    cache
        .get(&site.sources[s].path)
        .map(|e| {
            e.rendered
                .problems
                .iter()
                .map(|p| site.sources[s].body_error(p.offset, p.message.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Resolves the links and images of one body.
struct Links<'a> {
    site: &'a Site,
    index: &'a RefIndex,
    images: &'a Mutex<ImageSet>,
    /// Facts of unchanged originals, read outside the lock.
    memo: &'a images::Memo,
    folder_urls: &'a HashMap<String, String>,
    /// The folder of the file, for relative paths.
    dir: String,
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && i > 0
        }
        None => false,
    }
}

impl Links<'_> {
    fn image_id(&self, path: &str, src: &str) -> Result<usize, String> {
        if let Some(id) = self
            .images
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            return Ok(id);
        }
        let file = self.site.root.join(load::CONTENT_DIR).join(path);
        if !file.is_file() {
            return Err(format!(
                "image `{src}` not found (looked for content/{path})"
            ));
        }
        let folder_url = self.folder_url(parent_dir(path));
        let image = images::measure(path, file, &folder_url, &self.site.config, self.memo)?;
        Ok(self
            .images
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(image))
    }

    fn folder_url(&self, dir: &str) -> String {
        self.folder_urls
            .get(dir)
            .cloned()
            .unwrap_or_else(|| self.site.config.base_path().to_string())
    }
}

impl Resolver for Links<'_> {
    fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
        if dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) || dest.is_empty() {
            return Ok(None);
        }
        let (path_part, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let decoded = percent_decode(path_part);
        if let Some(rest) = decoded.strip_prefix("@/") {
            return match self.index.by_path(rest) {
                Some(item) => Ok(Some(format!("{}{fragment}", self.site.meta(item).url))),
                None => Err(format!(
                    "`{dest}` links to nothing: there is no content/{rest}"
                )),
            };
        }
        if decoded.starts_with('/') {
            return Ok(None); // a site URL written by hand
        }
        let path = refs::join(&self.dir, &decoded)?;
        if decoded.ends_with(".md") {
            return match self.index.by_path(&path) {
                Some(item) => Ok(Some(format!("{}{fragment}", self.site.meta(item).url))),
                None => Err(format!(
                    "`{dest}` links to nothing: there is no content/{path}"
                )),
            };
        }
        if load::is_image(&path) && self.site.root.join(load::CONTENT_DIR).join(&path).is_file() {
            let id = self.image_id(&path, dest)?;
            let images = self.images.lock().unwrap_or_else(|e| e.into_inner());
            return Ok(Some(images::largest(&images.images[id]).url.clone()));
        }
        if self.site.root.join(load::CONTENT_DIR).join(&path).is_file() {
            let name = super::asset_name(file_name(&path), self.site.config.slugs);
            return Ok(Some(format!(
                "{}{name}{fragment}",
                self.folder_url(parent_dir(&path))
            )));
        }
        Ok(None)
    }

    fn image(&mut self, src: &str, alt: &str, title: &str) -> Result<Option<String>, String> {
        if src.starts_with("//") || has_scheme(src) || src.is_empty() {
            return Ok(None);
        }
        let decoded = percent_decode(src);
        let path = refs::join(&self.dir, decoded.strip_prefix("@/").unwrap_or(&decoded))?;
        if !load::is_image(&path) {
            return Err(format!(
                "`{src}` is not an image (use .jpg, .jpeg, .png, .gif or .webp)"
            ));
        }
        let id = self.image_id(&path, src)?;
        let images = self.images.lock().unwrap_or_else(|e| e.into_inner());
        Ok(Some(images::img_html(&images.images[id], alt, title)))
    }
}

/// Decodes `%XX` escapes (writers paste links with encoded Chinese names).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E8%8D%89a%2"), "草a%2");
        assert_eq!(percent_decode("plain"), "plain");
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a/b.md"));
        assert!(!has_scheme("@/a.md"));
    }
}
