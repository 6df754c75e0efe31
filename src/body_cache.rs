//! Rendered Markdown bodies kept between builds of one site (for `serve`).
//!
//! A body's HTML depends on its text and on what its links and images resolve
//! to. So an entry keeps the text's hash and every question the renderer asked
//! the resolver with its answer; it is reused only when the text is the same
//! and the resolver, asked the same questions again, gives the same answers
//! (asking again also registers the body's images for the new build).

use crate::markdown::{self, Options, Rendered, Resolver, TextHash};
use std::collections::{HashMap, HashSet};

/// A question the Markdown renderer asked its resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Call {
    Link(String),
    Image {
        src: String,
        alt: String,
        title: String,
    },
}

type Answer = Result<Option<String>, String>;

/// One rendered body and what it was rendered against.
#[derive(Debug, Clone)]
pub struct Entry {
    hash: TextHash,
    unsafe_html: bool,
    pub rendered: Rendered,
    calls: Vec<(Call, Answer)>,
}

impl Entry {
    /// The images a body shows or links to, as written (sorted): when these
    /// change, the site's set of published images may change too.
    pub fn image_refs(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = self
            .calls
            .iter()
            .filter_map(|(call, _)| match call {
                Call::Image { src, .. } => Some(src.as_str()),
                Call::Link(dest) => {
                    let path = dest.split(['#', '?']).next().unwrap_or("");
                    crate::load::is_image(path).then_some(dest.as_str())
                }
            })
            .collect();
        refs.sort_unstable();
        refs
    }
}

/// Rendered bodies by the path of their file under `content/`.
#[derive(Debug, Default)]
pub struct BodyCache {
    entries: HashMap<String, Entry>,
}

/// Asks the real resolver and writes down every question and answer.
struct Recording<'a> {
    inner: &'a mut dyn Resolver,
    calls: Vec<(Call, Answer)>,
}

impl Resolver for Recording<'_> {
    fn link(&mut self, dest: &str) -> Answer {
        let answer = self.inner.link(dest);
        self.calls
            .push((Call::Link(dest.to_string()), answer.clone()));
        answer
    }

    fn image(&mut self, src: &str, alt: &str, title: &str) -> Answer {
        let answer = self.inner.image(src, alt, title);
        let call = Call::Image {
            src: src.to_string(),
            alt: alt.to_string(),
            title: title.to_string(),
        };
        self.calls.push((call, answer.clone()));
        answer
    }
}

impl BodyCache {
    /// The entry of a file's body, as last rendered.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Renders the body of `content/PATH`, or takes it from the cache when it
    /// still holds. Returns the rendering and, when it was rendered anew, the
    /// entry to [`BodyCache::store`].
    pub fn render(
        &self,
        path: &str,
        markdown: &str,
        options: Options,
        resolver: &mut dyn Resolver,
    ) -> (Rendered, Option<Entry>) {
        let hash = TextHash::of(markdown);
        if let Some(entry) = self.entries.get(path)
            && entry.hash == hash
            && entry.unsafe_html == options.unsafe_html
            && replays(entry, resolver)
        {
            return (entry.rendered.clone(), None);
        }
        let mut recording = Recording {
            inner: resolver,
            calls: Vec::new(),
        };
        let rendered = markdown::render(markdown, options, &mut recording);
        let entry = Entry {
            hash,
            unsafe_html: options.unsafe_html,
            rendered: rendered.clone(),
            calls: recording.calls,
        };
        (rendered, Some(entry))
    }

    pub fn store(&mut self, path: String, entry: Entry) {
        self.entries.insert(path, entry);
    }

    /// Forgets the bodies of files that are gone.
    pub fn retain(&mut self, paths: &HashSet<&str>) {
        self.entries.retain(|p, _| paths.contains(p.as_str()));
    }
}

/// Whether the resolver answers every recorded question as before.
fn replays(entry: &Entry, resolver: &mut dyn Resolver) -> bool {
    entry.calls.iter().all(|(call, answer)| {
        let now = match call {
            Call::Link(dest) => resolver.link(dest),
            Call::Image { src, alt, title } => resolver.image(src, alt, title),
        };
        &now == answer
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves every link to `/N/dest` where N counts how often it was asked.
    struct Counting {
        prefix: String,
        asked: usize,
    }

    impl Resolver for Counting {
        fn link(&mut self, dest: &str) -> Answer {
            self.asked += 1;
            Ok(Some(format!("/{}/{dest}", self.prefix)))
        }
        fn image(&mut self, _: &str, _: &str, _: &str) -> Answer {
            Ok(None)
        }
    }

    #[test]
    fn reuses_a_body_only_while_its_links_resolve_the_same() {
        let mut cache = BodyCache::default();
        let text = "见[邻里节](a.md)。\n";
        let mut r = Counting {
            prefix: "x".into(),
            asked: 0,
        };
        let (first, entry) = cache.render("p.md", text, Options::default(), &mut r);
        assert!(first.html.contains("/x/a.md"));
        cache.store("p.md".into(), entry.expect("rendered anew"));

        let (again, entry) = cache.render("p.md", text, Options::default(), &mut r);
        assert!(entry.is_none(), "same text, same answers: reused");
        assert_eq!(again.html, first.html);

        r.prefix = "y".into();
        let (moved, entry) = cache.render("p.md", text, Options::default(), &mut r);
        assert!(entry.is_some(), "the link target moved: rendered anew");
        assert!(moved.html.contains("/y/a.md"));

        let (edited, entry) = cache.render("p.md", "新的正文\n", Options::default(), &mut r);
        assert!(entry.is_some());
        assert!(edited.html.contains("新的正文"));
    }

    #[test]
    fn image_refs_name_images_shown_or_linked() {
        let mut cache = BodyCache::default();
        let mut r = Counting {
            prefix: "x".into(),
            asked: 0,
        };
        let text = "![图](b.png) [照片](a.jpg#top) [页](c.md)\n";
        let (_, entry) = cache.render("p.md", text, Options::default(), &mut r);
        let entry = entry.unwrap();
        assert_eq!(entry.image_refs(), vec!["a.jpg#top", "b.png"]);
        cache.store("p.md".into(), entry);
        assert!(cache.get("p.md").is_some());
    }
}
