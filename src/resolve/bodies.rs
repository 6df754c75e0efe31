//! Renders every item's Markdown body, in parallel, resolving `@/` links,
//! relative links and images as it goes.

use super::refs::{self, RefIndex};
use crate::diagnostics::Diagnostics;
use crate::images::{self, ImageSet};
use crate::load::{self, file_name, parent_dir};
use crate::markdown::{self, Options, Resolver};
use crate::model::{Body, ItemRef, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Mutex;

/// Renders the bodies of all items of `site`. `folder_urls` maps each folder of
/// `content/` to the URL its files are published under.
pub fn render(
    site: &mut Site,
    index: &RefIndex,
    images: &mut ImageSet,
    folder_urls: &HashMap<String, String>,
    diagnostics: &Diagnostics,
) {
    let items: Vec<ItemRef> = site
        .items()
        .filter(|i| site.meta(*i).source.is_some())
        .collect();
    let memo = images.memo();
    let shared = Mutex::new(std::mem::take(images));
    let options = Options {
        unsafe_html: site.config.unsafe_html,
    };
    let site_ref: &Site = site;
    let rendered: Vec<(ItemRef, markdown::Rendered)> = items
        .par_iter()
        .map(|&item| {
            let source = site_ref.source(item).expect("filtered on source");
            let mut resolver = Links {
                site: site_ref,
                index,
                images: &shared,
                memo: &memo,
                folder_urls,
                dir: parent_dir(&source.path).to_string(),
            };
            let out = markdown::render(source.body(), options, &mut resolver);
            for p in &out.problems {
                let s = site_ref.meta(item).source.expect("has a source");
                diagnostics.push(super::body_error(site_ref, s, p.offset, p.message.clone()));
            }
            (item, out)
        })
        .collect();
    *images = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    for (item, out) in rendered {
        let meta = site.meta_mut(item);
        if meta.summary.is_empty() {
            meta.summary = out.summary;
        }
        meta.body = Body {
            html: out.html,
            text: out.text,
            headings: out.headings,
        };
    }
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
fn percent_decode(s: &str) -> String {
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
