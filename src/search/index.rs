//! The index in memory: which pages are searchable (documents), what each
//! shows in a result, and the postings of every term with the parts of its
//! BM25 score that are known at build time.

use super::text;
use crate::model::{ItemRef, Parent, Site};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// BM25's term-frequency saturation.
pub const K1: f64 = 1.2;
/// BM25's length normalisation for bodies.
pub const B: f64 = 0.75;
/// Length normalisation for titles (milder: titles are short anyway).
pub const B_TITLE: f64 = 0.5;
/// Title and body lengths are stored as classes
/// `round(length / average × LENGTH_SCALE)`, 1–63 (0: empty).
pub const LENGTH_SCALE: f64 = 16.0;

/// The kinds of documents: key, name shown in results and filters, and a
/// prior that ranks the pages people look for by name (a unit, a project)
/// above pages that merely mention it.
pub const KINDS: &[(&str, &str, f64)] = &[
    ("unit", "阵地", 1.3),
    ("project", "品牌项目", 1.2),
    ("team", "队伍", 1.2),
    ("event", "活动", 1.0),
    ("exhibit", "展品", 1.1),
    ("page", "文章", 1.0),
    ("section", "栏目", 0.9),
    ("hall", "云展馆", 1.0),
    ("zone", "展区", 0.9),
    ("home", "首页", 0.6),
];

/// Characters of a page's summary that its result shows.
pub const EXCERPT_CHARS: usize = 32;

/// What a result shows of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// URL path relative to the site's base path (`qingyang/caotanglu-shequ/`).
    pub url: String,
    pub title: String,
    /// Index into [`KINDS`].
    pub kind: usize,
    /// Rank of the level of the page's unit (its own for a unit).
    pub level: Option<usize>,
    /// Bit `i` set: the page is on platform `i` of the configuration.
    pub platforms: u64,
    /// The document it belongs to: its unit (a unit's parent), zone, hall
    /// or section. Results show its title.
    pub place: Option<u32>,
    /// The summary, shortened to [`EXCERPT_CHARS`].
    pub excerpt: String,
    /// `YYYY-MM-DD`, for dated pages.
    pub date: Option<String>,
}

/// Where one term occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    /// Documents with the term in any field.
    pub df: u32,
    /// Documents with the term in the title.
    pub title: Vec<u32>,
    /// Documents with the term in a name around it (units above, tags…).
    pub meta: Vec<u32>,
    /// Documents with the term in the body, and how often (capped at 4; 1
    /// for terms in most documents, whose counts would cost more than they
    /// tell).
    pub body: Vec<(u32, u32)>,
}

impl Postings {
    /// Counts document `id` in `df` unless one of its fields already did
    /// (documents are added in the order of their ids).
    fn count(&mut self, id: u32) {
        let counted = self.title.last() == Some(&id)
            || self.meta.last() == Some(&id)
            || self.body.last().is_some_and(|&(d, _)| d == id);
        if !counted {
            self.df += 1;
        }
    }
}

/// The whole index.
#[derive(Debug, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
    /// Body length class of each document (see [`LENGTH_SCALE`]).
    pub lengths: Vec<u32>,
    /// Title length class of each document.
    pub title_lengths: Vec<u32>,
    /// Terms in UTF-16 order (the order JavaScript compares strings in).
    pub terms: Vec<(String, Postings)>,
    /// `(key, name)` of the levels and platforms, for the filters.
    pub levels: Vec<(String, String)>,
    pub platforms: Vec<(String, String)>,
}

impl Index {
    /// The postings of `term`.
    pub fn get(&self, term: &str) -> Option<&Postings> {
        self.terms
            .binary_search_by(|(t, _)| utf16_cmp(t, term))
            .ok()
            .map(|i| &self.terms[i].1)
    }
}

/// Compares as JavaScript does (by UTF-16 code units).
pub fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The terms of one document before merging.
struct DocTerms {
    title: BTreeSet<String>,
    title_length: usize,
    meta: BTreeSet<String>,
    body: HashMap<String, u32>,
    body_length: usize,
}

/// Pages analysed at once.
const ROUND: usize = 4096;

/// Builds the index of every page of `site` worth finding.
pub fn build(site: &Site) -> Index {
    build_with(site, None)
}

/// Like [`build`], reading the body texts from `taken` (as
/// [`Site::take_body_texts`] gave them) rather than from the site, and
/// letting each go once its round is indexed: a big site's texts then never
/// coexist with its whole index.
pub fn build_taking(site: &Site, taken: HashMap<ItemRef, String>) -> Index {
    build_with(site, Some(taken))
}

fn build_with(site: &Site, mut taken: Option<HashMap<ItemRef, String>>) -> Index {
    let items = documents(site);
    let ids: HashMap<ItemRef, u32> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| (item, i as u32))
        .collect();
    let mut map: HashMap<String, Postings> = HashMap::new();
    let mut lengths = Vec::with_capacity(items.len());
    let mut title_lengths = Vec::with_capacity(items.len());
    let mut docs = Vec::with_capacity(items.len());
    // in rounds: the terms of every page at once would outweigh the index
    for (round, chunk) in items.chunks(ROUND).enumerate() {
        let analysed: Vec<(Doc, DocTerms)> = chunk
            .par_iter()
            .map(|&item| {
                let text = match &taken {
                    Some(texts) => texts.get(&item).map_or("", String::as_str),
                    None => &site.meta(item).body.text,
                };
                (doc(site, item, &ids), terms(site, item, text))
            })
            .collect();
        if let Some(texts) = &mut taken {
            chunk.iter().for_each(|item| drop(texts.remove(item)));
        }
        for (i, (doc, t)) in analysed.into_iter().enumerate() {
            let id = (round * ROUND + i) as u32;
            lengths.push(t.body_length);
            title_lengths.push(t.title_length);
            // the terms move into the map: a term already there costs no copy
            for term in t.title {
                let p = map.entry(term).or_default();
                p.count(id);
                p.title.push(id);
            }
            for term in t.meta {
                let p = map.entry(term).or_default();
                p.count(id);
                p.meta.push(id);
            }
            for (term, tf) in t.body {
                let p = map.entry(term).or_default();
                p.count(id);
                p.body.push((id, tf.min(4)));
            }
            docs.push(doc);
        }
    }
    let n = docs.len().max(1) as f64;
    let avg_title = title_lengths.iter().sum::<usize>() as f64 / n;
    let avg_body = (lengths.iter().sum::<usize>() as f64 / n).max(1.0);
    let class = |len: usize, avg: f64| -> u32 {
        if len == 0 {
            0
        } else {
            ((len as f64 / avg.max(1.0)) * LENGTH_SCALE)
                .round()
                .clamp(1.0, 63.0) as u32
        }
    };
    let lengths: Vec<u32> = lengths.into_iter().map(|l| class(l, avg_body)).collect();
    let title_lengths: Vec<u32> = (title_lengths.into_iter())
        .map(|l| class(l, avg_title))
        .collect();
    let total = docs.len();
    let mut terms: Vec<(String, Postings)> = map.into_iter().collect();
    for (_, p) in &mut terms {
        if p.body.len() * 2 > total {
            p.body.iter_mut().for_each(|(_, tf)| *tf = 1);
        }
    }
    terms.par_sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));
    Index {
        docs,
        lengths,
        title_lengths,
        terms,
        levels: site
            .config
            .levels
            .iter()
            .map(|l| (l.key.clone(), l.short.clone()))
            .collect(),
        platforms: site
            .config
            .platforms
            .iter()
            .map(|p| (p.key.clone(), p.name.clone()))
            .collect(),
    }
}

/// The searchable pages in document order: each unit (parents first)
/// followed by its projects, teams, events and pages, so that a unit's pages
/// share shards of the result store; then everything else. Exhibits that a
/// zone includes from a unit are left out: the original page is indexed.
pub fn documents(site: &Site) -> Vec<ItemRef> {
    let mut out = Vec::with_capacity(site.items().count());
    for unit in crate::render::pages::preorder(site) {
        let ItemRef::Unit(u) = unit else { continue };
        let unit_data = &site.units[u];
        out.push(unit);
        out.extend(unit_data.projects.iter().map(|&p| ItemRef::Project(p)));
        out.extend(unit_data.teams.iter().map(|&t| ItemRef::Team(t)));
        let mut events = unit_data.events.clone();
        events.sort_unstable();
        out.extend(events.into_iter().map(ItemRef::Event));
        out.extend(unit_data.pages.iter().map(|&p| ItemRef::Page(p)));
    }
    let listed: BTreeSet<ItemRef> = out.iter().copied().collect();
    for item in site.items() {
        let skip = match item {
            ItemRef::Exhibit(x) => site.exhibits[x].origin.is_some(),
            _ => listed.contains(&item),
        };
        if !skip {
            out.push(item);
        }
    }
    out
}

fn kind_index(item: ItemRef) -> usize {
    KINDS
        .iter()
        .position(|(k, _, _)| *k == item.kind())
        .unwrap_or(KINDS.len() - 1)
}

fn platform_bit(site: &Site, key: Option<&str>) -> u64 {
    key.and_then(|k| site.config.platforms.iter().position(|p| p.key == k))
        .filter(|&i| i < 30)
        .map_or(0, |i| 1 << i)
}

/// What a result shows of `item`; `ids` numbers the documents.
fn doc(site: &Site, item: ItemRef, ids: &HashMap<ItemRef, u32>) -> Doc {
    let meta = site.meta(item);
    let base = site.config.base_path();
    let owner = site.owner_unit(item);
    let platforms = match item {
        ItemRef::Unit(u) => site.units[u]
            .platforms
            .iter()
            .fold(0, |m, p| m | platform_bit(site, Some(p))),
        ItemRef::Project(p) => platform_bit(site, site.projects[p].platform.as_deref()),
        ItemRef::Team(t) => platform_bit(site, site.teams[t].platform.as_deref()),
        ItemRef::Event(e) => platform_bit(site, site.events[e].platform.as_deref()),
        _ => 0,
    };
    let place = match item {
        ItemRef::Unit(u) => site.units[u].parent.map(ItemRef::Unit),
        ItemRef::Exhibit(x) => Some(ItemRef::Zone(site.exhibits[x].zone)),
        ItemRef::Zone(z) => Some(ItemRef::Hall(site.zones[z].hall)),
        ItemRef::Page(p) => match site.pages[p].parent {
            Parent::Section(s) => Some(ItemRef::Section(s)),
            Parent::Unit(u) => Some(ItemRef::Unit(u)),
            Parent::Hall(h) => Some(ItemRef::Hall(h)),
            Parent::Home => None,
        },
        ItemRef::Section(s) => match site.sections[s].parent {
            Parent::Section(p) => Some(ItemRef::Section(p)),
            Parent::Unit(u) => Some(ItemRef::Unit(u)),
            Parent::Hall(h) => Some(ItemRef::Hall(h)),
            Parent::Home => None,
        },
        _ => owner.map(ItemRef::Unit),
    };
    Doc {
        url: meta
            .url
            .strip_prefix(base)
            .unwrap_or(meta.url.trim_start_matches('/'))
            .to_string(),
        title: meta.title.clone(),
        kind: kind_index(item),
        level: owner.map(|u| site.units[u].level),
        platforms,
        place: place.and_then(|p| ids.get(&p).copied()),
        excerpt: shorten(&meta.summary, EXCERPT_CHARS),
        date: meta.date.as_ref().map(|d| d.ymd()),
    }
}

/// Collapses whitespace and cuts `text` to at most `max` characters (with `…`).
fn shorten(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= max {
        joined
    } else {
        let mut s: String = joined.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// The name of a content file: its stem, or its folder's name for
/// `_index.md` and `index.md` (`大通县/_index.md` → `大通县`).
fn own_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem == "_index" || stem == "index" {
        parts.next().unwrap_or(stem)
    } else {
        stem
    }
}

/// The names around `item`: the units above it, its tags and the like.
fn names(site: &Site, item: ItemRef) -> Vec<String> {
    let mut names: Vec<String> = site.meta(item).tags.clone();
    if let Some(u) = site.owner_unit(item) {
        names.extend(
            site.lineage(u)
                .into_iter()
                .filter(|&a| ItemRef::Unit(a) != item)
                .map(|a| site.units[a].meta.title.clone()),
        );
    }
    match item {
        ItemRef::Unit(u) => names.extend(site.units[u].address.clone()),
        ItemRef::Team(t) => {
            let team = &site.teams[t];
            names.extend(crate::render::cards::team_kind_label(team.kind.as_deref()));
            names.extend(team.topics.iter().cloned());
        }
        ItemRef::Event(e) => names.extend(site.events[e].place.clone()),
        ItemRef::Project(p) => {
            names.extend(site.projects[p].awards.iter().map(|a| a.title.clone()))
        }
        ItemRef::Exhibit(x) => {
            let exhibit = &site.exhibits[x];
            names.extend(exhibit.author.clone());
            names.extend(exhibit.medium.clone());
            names.push(site.zones[exhibit.zone].meta.title.clone());
        }
        ItemRef::Page(p) => {
            if let Parent::Section(s) = site.pages[p].parent {
                names.push(site.sections[s].meta.title.clone());
            }
        }
        _ => {}
    }
    names
}

fn terms(site: &Site, item: ItemRef, body_text: &str) -> DocTerms {
    let meta = site.meta(item);
    let mut title = BTreeSet::new();
    text::title_terms(&meta.title, &mut title);
    // The file or folder name is often the short name people know the page
    // by (大通县 for 大通回族土族自治县新时代文明实践中心): it counts as title.
    if let Some(name) = site.source(item).map(|s| own_name(&s.path))
        && name != meta.title
        && name.chars().any(crate::slug::is_han)
    {
        text::title_terms(name, &mut title);
    }
    let mut names_set = BTreeSet::new();
    for name in names(site, item) {
        text::name_terms(&name, &mut names_set);
    }
    let mut body: HashMap<String, u32> = HashMap::new();
    let mut body_length = 0;
    let mut count = |w: &str| {
        body_length += 1;
        *body.entry(w.to_string()).or_default() += 1;
    };
    // A summary written in front matter is not part of the body text.
    if !body_text.contains(meta.summary.as_str()) {
        text::text_terms(&meta.summary, &mut count);
    }
    text::text_terms(body_text, &mut count);
    DocTerms {
        title_length: text::title_length(&meta.title),
        title,
        meta: names_set,
        body,
        body_length,
    }
}
