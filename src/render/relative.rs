//! Page-relative URLs (`build --relative-urls`, `relative_urls: true`): every
//! site link of the rendered HTML and CSS becomes a path relative to the file
//! that holds it, and every folder link names its `index.html`, so the output
//! works when opened from `file://` (a USB stick on a kiosk PC) or from any
//! folder of any server.
//!
//! HTML goes through lol_html, a streaming HTML rewriter: it sees attributes
//! exactly as a browser's tokenizer does (quoted or not, entities, `<script>`
//! and `<svg>` contents), which a search-and-replace over the text would not.

use super::{Contents, OutputFile};
use crate::resolve::bodies::percent_decode;
use lol_html::html_content::{ContentType, Element};
use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::HashSet;

/// Attributes that hold one URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "action",
    "xlink:href",
    "data-src",
    "data-href",
];
/// Attributes that hold a `srcset` list (`URL 480w, URL 960w`).
const SRCSET_ATTRIBUTES: &[&str] = &["srcset", "data-srcset"];

/// Rewrites the site URLs of every HTML page and stylesheet of `files` to
/// page-relative ones. `base_path` is the path of `base_url` (`/` or `/sub/`).
pub fn rewrite(files: &mut [OutputFile], base_path: &str) {
    let paths: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    files.par_iter_mut().for_each(|f| {
        let Contents::Bytes(bytes) = &f.contents else {
            return;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        let linker = Linker {
            base: base_path,
            from: &f.path,
            paths: &paths,
        };
        let out = if f.path.ends_with(".html") {
            linker.html(text)
        } else if f.path.ends_with(".css") {
            Some(linker.css(text))
        } else {
            None
        };
        if let Some(out) = out {
            f.contents = Contents::Bytes(out.into_bytes());
        }
    });
}

/// Turns the site URLs met in one file into URLs relative to it.
struct Linker<'a> {
    base: &'a str,
    /// The file's path under the output folder (`zhanguan/index.html`).
    from: &'a str,
    /// Every file of the output, to tell folders from files.
    paths: &'a HashSet<String>,
}

impl Linker<'_> {
    /// One URL: site URLs (starting with the base path) become relative; any
    /// other (external, `#fragment`, already relative, `data:`) stays.
    fn url(&self, url: &str) -> Option<String> {
        if url.starts_with("//") {
            return None;
        }
        let rest = url.strip_prefix(self.base).or_else(|| {
            // `/sub` itself, without its slash
            (url == self.base.trim_end_matches('/') && self.base.len() > 1).then_some("")
        })?;
        let cut = rest.find(['?', '#']).unwrap_or(rest.len());
        let (path, suffix) = rest.split_at(cut);
        let mut target = path.to_string();
        if target.is_empty() || target.ends_with('/') {
            target.push_str("index.html");
        } else if !self.paths.contains(&percent_decode(&target))
            && self
                .paths
                .contains(&percent_decode(&format!("{target}/index.html")))
        {
            target.push_str("/index.html");
        }
        Some(format!("{}{suffix}", relative_path(self.from, &target)))
    }

    fn srcset(&self, value: &str) -> Option<String> {
        let mut changed = false;
        let parts: Vec<String> = value
            .split(',')
            .map(|candidate| {
                let trimmed = candidate.trim();
                let (url, descriptor) = trimmed
                    .split_once(char::is_whitespace)
                    .unwrap_or((trimmed, ""));
                match self.url(url) {
                    Some(new) => {
                        changed = true;
                        if descriptor.is_empty() {
                            new
                        } else {
                            format!("{new} {}", descriptor.trim())
                        }
                    }
                    None => trimmed.to_string(),
                }
            })
            .collect();
        changed.then(|| parts.join(", "))
    }

    fn element(&self, el: &mut Element) {
        let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
        for name in names {
            let Some(value) = el.get_attribute(&name) else {
                continue;
            };
            let new = if URL_ATTRIBUTES.contains(&name.as_str()) {
                self.url(value.trim())
            } else if SRCSET_ATTRIBUTES.contains(&name.as_str()) {
                self.srcset(&value)
            } else if name == "style" {
                let css = self.css(&value);
                (css != value).then_some(css)
            } else {
                None
            };
            if let Some(new) = new {
                // names come from the element itself, so they are valid
                let _ = el.set_attribute(&name, &new);
            }
        }
    }

    /// An HTML page; `None` when lol_html refuses it (the page stays as it is).
    fn html(&self, text: &str) -> Option<String> {
        let style = RefCell::new(String::new());
        let settings = RewriteStrSettings::new()
            .append_element_content_handler(element!("*", |el| {
                self.element(el);
                Ok(())
            }))
            .append_element_content_handler(text!("style", |chunk| {
                // a stylesheet may arrive in pieces: rewrite it whole
                style.borrow_mut().push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let css = self.css(&std::mem::take(&mut *style.borrow_mut()));
                    chunk.replace(&css, ContentType::Html);
                } else {
                    chunk.remove();
                }
                Ok(())
            }));
        rewrite_str(text, settings).ok()
    }

    /// A stylesheet: the URLs of its `url(…)`s.
    fn css(&self, css: &str) -> String {
        let mut out = String::with_capacity(css.len());
        let mut rest = css;
        while let Some(at) = find_url(rest) {
            let (before, after) = rest.split_at(at + 4);
            out.push_str(before);
            let end = after.find(')').unwrap_or(after.len());
            let inner = &after[..end];
            let trimmed = inner.trim();
            let (quote, bare) = match trimmed.chars().next() {
                Some(q @ ('"' | '\'')) if trimmed.len() >= 2 && trimmed.ends_with(q) => {
                    (Some(q), &trimmed[1..trimmed.len() - 1])
                }
                _ => (None, trimmed),
            };
            match self.url(bare) {
                Some(new) => {
                    let q = quote.map(String::from).unwrap_or_default();
                    out.push_str(&format!("{q}{new}{q}"));
                }
                None => out.push_str(inner),
            }
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }
}

/// Where the next `url(` starts, case-insensitively.
fn find_url(css: &str) -> Option<usize> {
    css.as_bytes()
        .windows(4)
        .position(|w| w.eq_ignore_ascii_case(b"url("))
}

/// The path from the folder of file `from` to `to` (both under the output
/// folder, `/`-separated).
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, file) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for d in &to_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(file[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker<'a>(from: &'a str, paths: &'a HashSet<String>) -> Linker<'a> {
        Linker {
            base: "/",
            from,
            paths,
        }
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        assert_eq!(relative_path("index.html", "a/index.html"), "a/index.html");
        assert_eq!(
            relative_path("a/b/index.html", "a/c/index.html"),
            "../c/index.html"
        );
        assert_eq!(
            relative_path("a/b/index.html", "a/b/index.html"),
            "index.html"
        );
        assert_eq!(
            relative_path("a/b/index.html", "assets/x.css"),
            "../../assets/x.css"
        );
        assert_eq!(
            relative_path("a/index.html", "a/b/c/index.html"),
            "b/c/index.html"
        );
    }

    #[test]
    fn site_urls_change_and_others_stay() {
        let paths: HashSet<String> = [
            "search/index.html".to_string(),
            "data/units.json".to_string(),
        ]
        .into();
        let l = linker("hall/zone/index.html", &paths);
        assert_eq!(l.url("/").as_deref(), Some("../../index.html"));
        assert_eq!(
            l.url("/hall/zone/x/?tour=1").as_deref(),
            Some("x/index.html?tour=1")
        );
        assert_eq!(
            l.url("/hall/#zones").as_deref(),
            Some("../index.html#zones")
        );
        assert_eq!(l.url("/search").as_deref(), Some("../../search/index.html"));
        assert_eq!(
            l.url("/data/units.json").as_deref(),
            Some("../../data/units.json")
        );
        for other in [
            "https://example.org/",
            "//cdn.example/x.js",
            "#top",
            "mailto:a@b.cn",
            "x/",
            "data:image/png;base64,AA",
            "",
        ] {
            assert_eq!(l.url(other), None, "{other}");
        }
        let sub = Linker {
            base: "/sub/",
            from: "index.html",
            paths: &paths,
        };
        assert_eq!(sub.url("/sub/a/").as_deref(), Some("a/index.html"));
        assert_eq!(sub.url("/sub").as_deref(), Some("index.html"));
        assert_eq!(sub.url("/other/"), None);
    }

    #[test]
    fn html_attributes_srcset_and_css_are_rewritten() {
        let paths = HashSet::new();
        let l = linker("a/index.html", &paths);
        let html = l
            .html(concat!(
                "<a href=/b/>b</a><img src=\"/i/1.jpg\" srcset=\"/i/1.jpg 480w, /i/2.jpg 960w\">",
                "<video poster='/v.jpg'></video><form action=\"/search/\"></form>",
                "<link rel=canonical href=\"https://example.org/a/\">",
                "<div style=\"background:url('/bg.png')\"></div><style>p{background:url(/p.png)}</style>",
                "<p>/b/ stays as text</p>"
            ))
            .unwrap();
        assert!(html.contains("href=\"../b/index.html\""), "{html}");
        assert!(html.contains("src=\"../i/1.jpg\""), "{html}");
        assert!(
            html.contains("srcset=\"../i/1.jpg 480w, ../i/2.jpg 960w\""),
            "{html}"
        );
        assert!(html.contains("poster=\"../v.jpg\""), "{html}");
        assert!(html.contains("action=\"../search/index.html\""), "{html}");
        assert!(html.contains("href=\"https://example.org/a/\""), "{html}");
        assert!(html.contains("url('../bg.png')"), "{html}");
        assert!(html.contains("url(../p.png)"), "{html}");
        assert!(html.contains("<p>/b/ stays as text</p>"), "{html}");
    }
}
