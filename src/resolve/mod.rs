//! Stage 2, resolve: turn the loaded files into a [`Site`]: the unit tree and its
//! levels, URLs, refs, pictures, Markdown bodies, roll-ups, the hall's
//! walk-through and the tags.

pub mod bodies;
mod hall;
pub mod refs;
mod rollup;
mod taxonomy;

pub use bodies::LinkContext;

use crate::body_cache::BodyCache;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::{self, ImageSet};
use crate::load::front_matter::{Common, Photo, Text};
use crate::load::{self, Doc, Fields, Loaded, Role, file_name, parent_dir};
use crate::model::*;
use crate::slug::slugify;
use crate::yaml::{self, Segment};
use rayon::prelude::*;
use refs::{RefIndex, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// How to resolve.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Publish drafts too (`--drafts`).
    pub drafts: bool,
}

/// Builds the site from what was loaded. Problems go to `diagnostics`; the site
/// returned is as complete as the problems allow.
pub fn resolve(
    config: Config,
    root: PathBuf,
    display_root: PathBuf,
    loaded: Loaded,
    options: Options,
    diagnostics: &Diagnostics,
) -> Site {
    resolve_with(
        config,
        root,
        display_root,
        loaded,
        options,
        diagnostics,
        None,
    )
    .0
}

/// [`resolve`], taking Markdown bodies that still hold from `bodies` and
/// keeping the others there; also returns what rendering a body again needs.
pub fn resolve_with(
    config: Config,
    root: PathBuf,
    display_root: PathBuf,
    loaded: Loaded,
    options: Options,
    diagnostics: &Diagnostics,
    bodies: Option<&mut BodyCache>,
) -> (Site, LinkContext) {
    let Loaded {
        sources,
        docs,
        dirs,
        ..
    } = loaded;
    let mut site = Site {
        config,
        root,
        display_root,
        sources,
        ..Site::default()
    };
    let mut b = Builder {
        diagnostics,
        docs,
        dirs,
        items: Vec::new(),
        dir_items: HashMap::new(),
        segment_slugs: HashMap::new(),
        folder_urls: HashMap::new(),
        images: ImageSet::new(&site.root.join(&site.config.cache_dir)),
    };
    b.create_items(&mut site, options);
    b.build_tree(&mut site);
    b.assign_urls(&mut site);
    let index = RefIndex::build(&site, &b.ref_names(&site));
    b.resolve_refs(&mut site, &index);
    b.attach_pictures(&mut site);
    let folder_urls = b.all_folder_urls(&site);
    bodies::render(
        &mut site,
        &index,
        &mut b.images,
        &folder_urls,
        diagnostics,
        bodies,
    );
    site.images = std::mem::take(&mut b.images.images);
    b.collect_assets(&mut site);
    link_back(&mut site);
    rollup::compute(&mut site);
    hall::build(&mut site, &b.halls_docs(), &index, diagnostics);
    taxonomy::tags(&mut site);
    crate::drop_later((std::mem::take(&mut b.docs), std::mem::take(&mut b.dirs)));
    let links = LinkContext { index, folder_urls };
    (site, links)
}

struct Builder<'a> {
    diagnostics: &'a Diagnostics,
    docs: Vec<Doc>,
    dirs: BTreeMap<String, load::Dir>,
    /// Every published item and the doc it came from.
    items: Vec<(ItemRef, usize)>,
    /// Folders that speak for an item (`_index.md`, bundles).
    dir_items: HashMap<String, (ItemRef, usize)>,
    segment_slugs: HashMap<String, String>,
    folder_urls: HashMap<String, String>,
    images: ImageSet,
}

fn text(t: &Option<Text>) -> String {
    t.as_ref()
        .map(|t| t.0.trim().to_string())
        .unwrap_or_default()
}

fn texts(t: &Option<Vec<Text>>) -> Vec<String> {
    t.iter()
        .flatten()
        .map(|t| t.0.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn key(k: &str) -> Segment {
    Segment::Key(k.to_string())
}

impl Builder<'_> {
    fn doc_source<'s>(&self, site: &'s Site, doc: usize) -> &'s load::source::Source {
        &site.sources[self.docs[doc].source]
    }

    fn error(&self, site: &Site, doc: usize, path: &[Segment], message: impl Into<String>) {
        let source = self.doc_source(site, doc);
        let position = yaml::locate(source.front_matter(), path);
        self.diagnostics.push(source.error_at(position, message));
    }

    /// A warning about a photo without alt text: at its entry in the front
    /// matter, or (a bundle's photo, listed nowhere) at the file's first line.
    fn missing_alt(&self, site: &Site, doc: usize, entry: Option<&[Segment]>, src: &str) {
        let source = self.doc_source(site, doc);
        let d = match entry {
            Some(path) => source.warning_at(
                yaml::locate(source.front_matter(), path),
                format!("photo `{src}` has no alt text"),
            ),
            None => Diagnostic::warning(format!("photo `{src}` of the bundle has no alt text"))
                .in_file(source.display.clone())
                .at(crate::diagnostics::Position::new(1, 1)),
        };
        let help = match entry {
            Some(_) => "add `alt:` saying what the photo shows, for readers who cannot see it",
            None => {
                "list the photos under `photos:` (or `images:`) with `alt:` saying what each shows"
            }
        };
        self.diagnostics.push(d.with_help(help));
    }

    /// Warns about each photo a bundle publishes without a list to give alt text in
    /// (galleries of units and projects have no such list, so they are left alone).
    fn bundle_missing_alt(&self, site: &Site, doc: usize, pictures: &[Picture]) {
        if self.docs[doc].bundle {
            for pic in pictures {
                let path = &self.images.images[pic.image].path;
                self.missing_alt(site, doc, None, file_name(path));
            }
        }
    }

    fn meta(&self, doc: usize) -> Meta {
        let d = &self.docs[doc];
        let c: &Common = &d.common;
        Meta {
            source: Some(d.source),
            title: text(&c.title),
            slug: String::new(),
            url: String::new(),
            date: c.date.as_ref().map(|d| d.0.clone()),
            draft: c.draft.unwrap_or(false),
            summary: c.summary.clone().unwrap_or_default().trim().to_string(),
            tags: texts(&c.tags),
            cover: None,
            weight: c.weight,
            extra: c
                .extra
                .clone()
                .unwrap_or(yaml::Value::Mapping(Default::default())),
            body: Body::default(),
        }
    }

    /// Creates an item for every published doc.
    fn create_items(&mut self, site: &mut Site, options: Options) {
        // folders hidden as drafts, with everything below them
        let hidden_dirs: BTreeSet<String> = self
            .docs
            .iter()
            .filter(|d| {
                !options.drafts
                    && d.common.draft == Some(true)
                    && file_name(&site.sources[d.source].path) == "_index.md"
            })
            .map(|d| d.dir.clone())
            .collect();
        let hidden = |dir: &str| {
            let mut at = dir;
            loop {
                if hidden_dirs.contains(at) {
                    return true;
                }
                if at.is_empty() {
                    return false;
                }
                at = parent_dir(at);
            }
        };
        site.home = Meta {
            title: site.config.title.clone(),
            ..Meta::default()
        };
        let mut units_by_dir: HashMap<String, UnitId> = HashMap::new();
        let mut sections_by_dir: HashMap<String, SectionId> = HashMap::new();
        let mut halls_by_dir: HashMap<String, HallId> = HashMap::new();
        let mut zones_by_dir: HashMap<String, ZoneId> = HashMap::new();
        // `_index.md` files first, parents before children (dirs sort that way)
        let mut order: Vec<usize> = (0..self.docs.len()).collect();
        let key = |i: usize| {
            let d = &self.docs[i];
            let path = site.sources[d.source].path.as_str();
            (file_name(path) != "_index.md", d.dir.as_str(), path)
        };
        order.par_sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
        // the published docs with their metas, made in parallel (copies of
        // their titles, summaries, tags and extra maps)
        let published: Vec<(usize, Meta)> = order
            .into_par_iter()
            .filter(|&i| {
                let d = &self.docs[i];
                !hidden(&d.dir) && (options.drafts || d.common.draft != Some(true))
            })
            .map(|i| (i, self.meta(i)))
            .collect();
        let count = |role: Role| {
            published
                .iter()
                .filter(|(i, _)| self.docs[*i].role == role)
                .count()
        };
        site.units.reserve(count(Role::Unit));
        site.events.reserve(count(Role::Event));
        self.items.reserve(published.len());
        for (i, meta) in published {
            let d = &self.docs[i];
            let item = match (d.role, &d.fields) {
                (Role::Home, _) => {
                    let title = if meta.title.is_empty() {
                        site.config.title.clone()
                    } else {
                        meta.title.clone()
                    };
                    site.home = Meta { title, ..meta };
                    ItemRef::Home
                }
                (Role::Unit, Fields::Unit(f)) => {
                    let level = f
                        .level
                        .as_deref()
                        .and_then(|l| site.config.level(l))
                        .map_or(site.config.levels.len().saturating_sub(1), |(rank, _)| rank);
                    if f.level.is_none() {
                        self.error(site, i, &[], "a unit needs `level:`");
                    }
                    site.units.push(Unit {
                        meta,
                        path: d.dir.clone(),
                        level,
                        established: f.established.as_ref().map(|e| e.0.clone()),
                        address: f.address.clone(),
                        location: f.location,
                        area_m2: f.area_m2.map(|a| a.0),
                        rating: f.rating.map(|r| r.0),
                        platforms: f.platforms.clone().unwrap_or_default(),
                        stats: f
                            .stats
                            .iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), v.0))
                            .collect(),
                        contact: f.contact.clone(),
                        honors: f.honors.clone().unwrap_or_default(),
                        ..Unit::default()
                    });
                    units_by_dir.insert(d.dir.clone(), site.units.len() - 1);
                    ItemRef::Unit(site.units.len() - 1)
                }
                (Role::Section, _) => {
                    let parent =
                        self.parent_of(&d.dir, &units_by_dir, &sections_by_dir, &halls_by_dir);
                    site.sections.push(Section {
                        meta,
                        path: d.dir.clone(),
                        parent,
                        pages: vec![],
                        subsections: vec![],
                    });
                    let id = site.sections.len() - 1;
                    if let Parent::Section(p) = parent {
                        site.sections[p].subsections.push(id);
                    }
                    sections_by_dir.insert(d.dir.clone(), id);
                    ItemRef::Section(id)
                }
                (Role::Hall, Fields::Hall(f)) => {
                    site.halls.push(Hall {
                        meta,
                        path: d.dir.clone(),
                        opens: f.opens.as_ref().map(|d| d.0.clone()),
                        closes: f.closes.as_ref().map(|d| d.0.clone()),
                        zones: vec![],
                        tour: vec![],
                        pages: vec![],
                    });
                    halls_by_dir.insert(d.dir.clone(), site.halls.len() - 1);
                    ItemRef::Hall(site.halls.len() - 1)
                }
                (Role::Zone, Fields::Zone(_)) => {
                    let Some(&hall) = halls_by_dir.get(parent_dir(&d.dir)) else {
                        continue;
                    };
                    site.zones.push(Zone {
                        meta,
                        path: d.dir.clone(),
                        hall,
                        number: 0,
                        include: None,
                        exhibits: vec![],
                    });
                    let id = site.zones.len() - 1;
                    site.halls[hall].zones.push(id);
                    zones_by_dir.insert(d.dir.clone(), id);
                    ItemRef::Zone(id)
                }
                (Role::Project | Role::Team | Role::Event, _) => {
                    let Some(&unit) = units_by_dir.get(&d.owner_dir) else {
                        continue;
                    };
                    match &d.fields {
                        Fields::Project(f) => {
                            site.projects.push(Project {
                                meta,
                                unit,
                                platform: f.platform.clone(),
                                since: f.since.as_ref().map(|s| s.0.clone()),
                                awards: f
                                    .awards
                                    .iter()
                                    .flatten()
                                    .map(|a| Award {
                                        year: a.year.as_ref().map(|y| y.0.clone()),
                                        title: a.title.0.clone(),
                                        level: a.level.clone(),
                                    })
                                    .collect(),
                                ..Project::default()
                            });
                            ItemRef::Project(site.projects.len() - 1)
                        }
                        Fields::Team(f) => {
                            site.teams.push(Team {
                                meta,
                                unit,
                                kind: f.kind.clone(),
                                members: f.members.map(|m| m.0),
                                founded: f.founded.as_ref().map(|s| s.0.clone()),
                                topics: texts(&f.topics),
                                platform: f.platform.clone(),
                                ..Team::default()
                            });
                            ItemRef::Team(site.teams.len() - 1)
                        }
                        Fields::Event(f) => {
                            if meta.date.is_none() {
                                continue; // reported when loading
                            }
                            site.events.push(Event {
                                meta,
                                unit,
                                end_date: f.end_date.as_ref().map(|d| d.0.clone()),
                                platform: f.platform.clone(),
                                participants: f.participants.map(|p| p.0),
                                place: f.place.clone(),
                                ..Event::default()
                            });
                            ItemRef::Event(site.events.len() - 1)
                        }
                        _ => continue,
                    }
                }
                (Role::Exhibit, Fields::Exhibit(f)) => {
                    let Some(&zone) = zones_by_dir.get(&d.owner_dir) else {
                        continue;
                    };
                    let video = f
                        .video
                        .as_ref()
                        .filter(|v| is_url(v))
                        .map(|v| Video::External(v.clone()));
                    site.exhibits.push(Exhibit {
                        meta,
                        zone,
                        medium: f.medium.clone(),
                        author: f.author.clone(),
                        year: f.year.as_ref().map(|y| y.0.clone()),
                        unit: None,
                        images: vec![],
                        video,
                        poster: None,
                        origin: None,
                        position: 0,
                        prev: None,
                        next: None,
                    });
                    let id = site.exhibits.len() - 1;
                    site.zones[zone].exhibits.push(id);
                    ItemRef::Exhibit(id)
                }
                (Role::Page, _) => {
                    let parent = self.parent_of_page(
                        &d.owner_dir,
                        &units_by_dir,
                        &sections_by_dir,
                        &halls_by_dir,
                    );
                    site.pages.push(Page { meta, parent });
                    let id = site.pages.len() - 1;
                    match parent {
                        Parent::Section(s) => site.sections[s].pages.push(id),
                        Parent::Unit(u) => site.units[u].pages.push(id),
                        Parent::Hall(h) => site.halls[h].pages.push(id),
                        Parent::Home => {}
                    }
                    ItemRef::Page(id)
                }
                _ => continue,
            };
            if file_name(&site.sources[d.source].path) == "_index.md" || d.bundle {
                self.dir_items.insert(d.dir.clone(), (item, i));
            }
            self.items.push((item, i));
        }
    }

    /// The item a section's folder sits in.
    fn parent_of(
        &self,
        dir: &str,
        units: &HashMap<String, UnitId>,
        sections: &HashMap<String, SectionId>,
        halls: &HashMap<String, HallId>,
    ) -> Parent {
        if dir.is_empty() {
            return Parent::Home;
        }
        self.parent_of_page(parent_dir(dir), units, sections, halls)
    }

    /// The item a folder belongs to: itself if it has one, else the nearest above.
    fn parent_of_page(
        &self,
        dir: &str,
        units: &HashMap<String, UnitId>,
        sections: &HashMap<String, SectionId>,
        halls: &HashMap<String, HallId>,
    ) -> Parent {
        let mut at = dir;
        loop {
            if let Some(&s) = sections.get(at) {
                return Parent::Section(s);
            }
            if let Some(&u) = units.get(at) {
                return Parent::Unit(u);
            }
            if let Some(&h) = halls.get(at) {
                return Parent::Hall(h);
            }
            if at.is_empty() {
                return Parent::Home;
            }
            at = parent_dir(at);
        }
    }

    /// Parents, levels, children order, depths and preorder numbers of the units.
    fn build_tree(&mut self, site: &mut Site) {
        let by_dir: HashMap<&str, UnitId> = site
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.path.as_str(), i))
            .collect();
        let mut parents = Vec::with_capacity(site.units.len());
        for unit in &site.units {
            let mut at = unit.path.as_str();
            let mut parent = None;
            while !at.is_empty() {
                at = parent_dir(at);
                if let Some(&p) = by_dir.get(at) {
                    parent = Some(p);
                    break;
                }
            }
            parents.push(parent);
        }
        let unit_docs: HashMap<UnitId, usize> = self
            .items
            .iter()
            .filter_map(|(item, d)| match item {
                ItemRef::Unit(u) => Some((*u, *d)),
                _ => None,
            })
            .collect();
        for (id, parent) in parents.iter().enumerate() {
            site.units[id].parent = *parent;
            if let Some(p) = *parent {
                let (child, up) = (&site.units[id], &site.units[p]);
                if child.level <= up.level {
                    let levels = &site.config.levels;
                    let order: Vec<&str> = levels.iter().map(|l| l.short.as_str()).collect();
                    self.error(
                        site,
                        unit_docs[&id],
                        &[key("level")],
                        format!(
                            "a {} ({}) cannot sit under a {} ({}): levels go {} from the top",
                            levels[child.level].key,
                            levels[child.level].short,
                            levels[up.level].key,
                            levels[up.level].short,
                            order.join(" › ")
                        ),
                    );
                }
                site.units[p].children.push(id);
            } else {
                site.roots.push(id);
            }
        }
        let sort_key = |site: &Site, u: UnitId| {
            let unit = &site.units[u];
            (
                unit.level,
                unit.meta.weight.unwrap_or(i64::MAX),
                unit.meta.title.clone(),
                unit.path.clone(),
            )
        };
        for u in 0..site.units.len() {
            let mut children = std::mem::take(&mut site.units[u].children);
            children.sort_by_cached_key(|&c| sort_key(site, c));
            site.units[u].children = children;
        }
        let mut roots = std::mem::take(&mut site.roots);
        roots.sort_by_cached_key(|&c| sort_key(site, c));
        site.roots = roots;
        // preorder numbers without recursion (trees can be deep)
        let mut counter = 0;
        let mut stack: Vec<(UnitId, usize, bool)> =
            site.roots.iter().rev().map(|&r| (r, 0, false)).collect();
        while let Some((u, depth, done)) = stack.pop() {
            if done {
                site.units[u].order.1 = counter;
                continue;
            }
            site.units[u].depth = depth;
            site.units[u].order.0 = counter;
            counter += 1;
            stack.push((u, depth, true));
            for &c in site.units[u].children.iter().rev() {
                stack.push((c, depth + 1, false));
            }
        }
    }

    /// The URL segment of a folder: its item's `slug:`, else its name.
    fn segment_slug(&mut self, site: &Site, dir: &str) -> String {
        if let Some(s) = self.segment_slugs.get(dir) {
            return s.clone();
        }
        let entry = self.dir_items.get(dir).copied();
        let item = entry.map(|(item, _)| item);
        let given = entry
            .and_then(|(_, d)| self.docs[d].common.slug.as_ref())
            .map(|s| s.0.clone());
        let style = site.config.slugs;
        let mut slug = slugify(given.as_deref().unwrap_or(file_name(dir)), style);
        if slug.is_empty()
            && let Some(i) = item
        {
            slug = slugify(&site.meta(i).title, style);
        }
        if slug.is_empty() {
            slug = format!("p-{}", images::short_hash(dir));
        }
        self.segment_slugs.insert(dir.to_string(), slug.clone());
        slug
    }

    /// The URL of a folder of `content/`.
    fn folder_url(&mut self, site: &Site, dir: &str) -> String {
        if dir.is_empty() {
            return site.config.base_path().to_string();
        }
        if let Some(u) = self.folder_urls.get(dir) {
            return u.clone();
        }
        let parent = self.folder_url(site, parent_dir(dir));
        let url = format!("{parent}{}/", self.segment_slug(site, dir));
        self.folder_urls.insert(dir.to_string(), url.clone());
        url
    }

    fn assign_urls(&mut self, site: &mut Site) {
        let items = self.items.clone();
        for (item, doc) in items {
            let d = &self.docs[doc];
            let (dir, bundle, name) = (d.dir.clone(), d.bundle, d.name.clone());
            let given = d.common.slug.as_ref().map(|s| s.0.clone());
            let source_path = site.sources[d.source].path.clone();
            let style = site.config.slugs;
            let leaf_slug = |b: &mut Self, site: &Site| -> String {
                if bundle {
                    return b.segment_slug(site, &dir);
                }
                let mut s = slugify(given.as_deref().unwrap_or(&name), style);
                if s.is_empty() {
                    s = slugify(&site.meta(item).title, style);
                }
                if s.is_empty() {
                    s = format!("p-{}", images::short_hash(&source_path));
                }
                s
            };
            let (slug, url) = match item {
                ItemRef::Home => (String::new(), site.config.base_path().to_string()),
                ItemRef::Unit(_) | ItemRef::Section(_) | ItemRef::Hall(_) | ItemRef::Zone(_) => {
                    let url = self.folder_url(site, &dir);
                    (self.segment_slug(site, &dir), url)
                }
                ItemRef::Project(_) | ItemRef::Team(_) | ItemRef::Event(_) => {
                    let unit = site.owner_unit(item).expect("kind items have a unit");
                    let unit_dir = site.units[unit].path.clone();
                    let kind_dir = format!("{unit_dir}/{}s", item.kind());
                    let base = self.folder_url(site, &kind_dir);
                    let slug = leaf_slug(self, site);
                    (slug.clone(), format!("{base}{slug}/"))
                }
                ItemRef::Page(_) | ItemRef::Exhibit(_) => {
                    let container = if bundle {
                        parent_dir(&dir).to_string()
                    } else {
                        dir.clone()
                    };
                    let base = self.folder_url(site, &container);
                    let slug = leaf_slug(self, site);
                    (slug.clone(), format!("{base}{slug}/"))
                }
            };
            if bundle {
                self.folder_urls.insert(dir.clone(), url.clone());
            }
            let meta = site.meta_mut(item);
            meta.slug = slug;
            meta.url = url;
        }
    }

    /// `(item, source path, folder)` for the ref index.
    fn ref_names(&self, site: &Site) -> Vec<(ItemRef, String, Option<String>)> {
        self.items
            .iter()
            .map(|(item, doc)| {
                let d = &self.docs[*doc];
                let path = site.sources[d.source].path.clone();
                let own_dir = self
                    .dir_items
                    .get(&d.dir)
                    .filter(|(i, _)| i == item)
                    .map(|_| d.dir.clone());
                (*item, path, own_dir)
            })
            .collect()
    }

    /// Resolves the refs of projects, events and exhibits.
    fn resolve_refs(&mut self, site: &mut Site, index: &RefIndex) {
        let items = self.items.clone();
        for (item, doc) in items {
            let current = site.owner_unit(item);
            let lookup_all = |b: &Self,
                              site: &Site,
                              field: &str,
                              names: &Option<Vec<Text>>,
                              target: Target|
             -> Vec<usize> {
                let mut out = Vec::new();
                for (i, name) in names.iter().flatten().enumerate() {
                    match index.lookup(site, target, &name.0, current) {
                        Ok(ItemRef::Unit(x) | ItemRef::Project(x) | ItemRef::Team(x)) => {
                            if !out.contains(&x) {
                                out.push(x);
                            }
                        }
                        Ok(_) => {}
                        Err(m) => b.error(site, doc, &[key(field), Segment::Index(i)], m),
                    }
                }
                out
            };
            match (item, &self.docs[doc].fields) {
                (ItemRef::Project(p), Fields::Project(f)) => {
                    let teams = lookup_all(self, site, "teams", &f.teams, Target::Team);
                    let partners = lookup_all(self, site, "partners", &f.partners, Target::Unit);
                    site.projects[p].teams = teams;
                    site.projects[p].partners = partners;
                }
                (ItemRef::Event(e), Fields::Event(f)) => {
                    let teams = lookup_all(self, site, "teams", &f.teams, Target::Team);
                    let projects = lookup_all(self, site, "projects", &f.projects, Target::Project);
                    site.events[e].teams = teams;
                    site.events[e].projects = projects;
                }
                (ItemRef::Exhibit(x), Fields::Exhibit(f)) => {
                    if let Some(name) = &f.unit {
                        match index.lookup(site, Target::Unit, &name.0, None) {
                            Ok(ItemRef::Unit(u)) => site.exhibits[x].unit = Some(u),
                            Ok(_) => {}
                            Err(m) => self.error(site, doc, &[key("unit")], m),
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The folder images of a doc are relative to.
    fn image_dir(&self, doc: usize) -> String {
        self.docs[doc].dir.clone()
    }

    /// Registers an image named in the front matter, reporting a missing or bad file there.
    fn picture(
        &mut self,
        site: &Site,
        doc: usize,
        field: &[Segment],
        src: &str,
        alt: Option<&str>,
        caption: Option<&str>,
    ) -> Option<Picture> {
        let id = self.image(site, doc, field, src)?;
        Some(Picture {
            image: id,
            alt: alt.unwrap_or("").trim().to_string(),
            caption: caption
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
        })
    }

    fn image(&mut self, site: &Site, doc: usize, field: &[Segment], src: &str) -> Option<ImageId> {
        let dir = self.image_dir(doc);
        let path = match refs::join(&dir, src) {
            Ok(p) => p,
            Err(m) => {
                self.error(site, doc, field, m);
                return None;
            }
        };
        if let Some(id) = self.images.get(&path) {
            return Some(id);
        }
        let file = site.root.join(load::CONTENT_DIR).join(&path);
        if !load::is_image(&path) {
            self.error(
                site,
                doc,
                field,
                format!("`{src}` is not an image (use .jpg, .jpeg, .png, .gif or .webp)"),
            );
            return None;
        }
        if !file.is_file() {
            let folder = parent_dir(&path).to_string();
            let nearby = self
                .dirs
                .get(&folder)
                .map(|d| d.images.clone())
                .unwrap_or_default();
            let mut message = format!("image `{src}` not found (looked for content/{path})");
            if let Some(best) = crate::diagnostics::did_you_mean(
                file_name(&path),
                nearby.iter().map(String::as_str),
            ) {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
            self.error(site, doc, field, message);
            return None;
        }
        let folder_url = self.image_folder_url(site, parent_dir(&path));
        match self.images.register(&path, file, &folder_url, &site.config) {
            Ok(id) => Some(id),
            Err(m) => {
                let display = load::content_display(&site.display_root, &path);
                self.diagnostics.push(Diagnostic::error(m).in_file(display));
                None
            }
        }
    }

    /// Where images of a folder are published: the URL of the item the folder is.
    fn image_folder_url(&mut self, site: &Site, dir: &str) -> String {
        match self.dir_items.get(dir).map(|(item, _)| item) {
            Some(item) => site.meta(*item).url.clone(),
            None => self.folder_url(site, dir),
        }
    }

    /// The publishing URL of every folder of `content/`.
    fn all_folder_urls(&mut self, site: &Site) -> HashMap<String, String> {
        let dirs: Vec<String> = self.dirs.keys().cloned().collect();
        dirs.into_iter()
            .map(|d| {
                let url = self.image_folder_url(site, &d);
                (d, url)
            })
            .collect()
    }

    fn bundle_images(&self, doc: usize) -> Vec<String> {
        self.dirs
            .get(&self.docs[doc].dir)
            .map(|d| d.images.clone())
            .unwrap_or_default()
    }

    /// Covers, photos, galleries, exhibit images, posters and videos.
    fn attach_pictures(&mut self, site: &mut Site) {
        let items = self.items.clone();
        for (item, doc) in items {
            let d = &self.docs[doc];
            let cover_src = d.common.cover.clone();
            let cover = cover_src.and_then(|src| self.image(site, doc, &[key("cover")], &src));
            let photo_list = |b: &mut Self,
                              site: &Site,
                              field: &str,
                              list: &Option<Vec<Photo>>,
                              bundled: bool|
             -> Vec<Picture> {
                match list {
                    Some(photos) => photos
                        .iter()
                        .enumerate()
                        .filter_map(|(i, p)| {
                            let entry = [key(field), Segment::Index(i)];
                            let pic = b.picture(
                                site,
                                doc,
                                &entry,
                                &p.src,
                                p.alt.as_deref(),
                                p.caption.as_deref(),
                            )?;
                            if pic.alt.is_empty() {
                                b.missing_alt(site, doc, Some(&entry), &p.src);
                            }
                            Some(pic)
                        })
                        .collect(),
                    None if bundled => b
                        .bundle_images(doc)
                        .iter()
                        .filter_map(|name| b.picture(site, doc, &[], name, None, None))
                        .collect(),
                    None => Vec::new(),
                }
            };
            match (item, &self.docs[doc].fields) {
                (ItemRef::Event(e), Fields::Event(f)) => {
                    let listed = f.photos.clone();
                    let photos = photo_list(self, site, "photos", &listed, self.docs[doc].bundle);
                    if listed.is_none() {
                        self.bundle_missing_alt(site, doc, &photos);
                    }
                    site.events[e].photos = photos;
                }
                (ItemRef::Exhibit(x), Fields::Exhibit(f)) => {
                    let (images_field, video, poster) =
                        (f.images.clone(), f.video.clone(), f.poster.clone());
                    let poster_id =
                        poster.and_then(|p| self.image(site, doc, &[key("poster")], &p));
                    let mut images =
                        photo_list(self, site, "images", &images_field, self.docs[doc].bundle);
                    if let Some(p) = poster_id {
                        images.retain(|pic| pic.image != p || images_field.is_some());
                    }
                    if images_field.is_none() {
                        self.bundle_missing_alt(site, doc, &images);
                    }
                    site.exhibits[x].images = images;
                    site.exhibits[x].poster = poster_id;
                    if let Some(v) = video.filter(|v| !is_url(v)) {
                        site.exhibits[x].video = self.video_file(site, doc, &v);
                    }
                }
                (ItemRef::Project(p), _) if self.docs[doc].bundle => {
                    let gallery = photo_list(self, site, "", &None, true);
                    site.projects[p].gallery = gallery;
                }
                (ItemRef::Unit(u), _) => {
                    let gallery = photo_list(self, site, "", &None, true);
                    site.units[u].gallery = gallery;
                }
                _ => {}
            }
            let first_picture = match item {
                ItemRef::Event(e) => site.events[e].photos.first().map(|p| p.image),
                ItemRef::Exhibit(x) => site.exhibits[x]
                    .poster
                    .or(site.exhibits[x].images.first().map(|p| p.image)),
                ItemRef::Project(p) => site.projects[p].gallery.first().map(|p| p.image),
                ItemRef::Unit(u) => site.units[u].gallery.first().map(|p| p.image),
                _ => None,
            };
            site.meta_mut(item).cover = cover.or(first_picture);
        }
    }

    /// A video file in an exhibit's bundle, published beside it.
    fn video_file(&mut self, site: &Site, doc: usize, src: &str) -> Option<Video> {
        let dir = self.image_dir(doc);
        let path = match refs::join(&dir, src) {
            Ok(p) => p,
            Err(m) => {
                self.error(site, doc, &[key("video")], m);
                return None;
            }
        };
        if !site.root.join(load::CONTENT_DIR).join(&path).is_file() {
            self.error(
                site,
                doc,
                &[key("video")],
                format!("video `{src}` not found (looked for content/{path})"),
            );
            return None;
        }
        let folder_url = self.image_folder_url(site, parent_dir(&path));
        let name = asset_name(file_name(&path), site.config.slugs);
        let mime = match Path::new(&name).extension().and_then(|e| e.to_str()) {
            Some("mp4" | "m4v") => "video/mp4",
            Some("webm") => "video/webm",
            Some("ogv" | "ogg") => "video/ogg",
            Some("mov") => "video/quicktime",
            _ => "application/octet-stream",
        };
        Some(Video::File {
            url: format!("{folder_url}{name}"),
            mime: mime.to_string(),
        })
    }

    /// Files other than pages and images, published beside their folder's page.
    fn collect_assets(&mut self, site: &mut Site) {
        let dirs: Vec<(String, Vec<String>)> = self
            .dirs
            .iter()
            .filter(|(_, d)| !d.files.is_empty())
            .map(|(p, d)| (p.clone(), d.files.clone()))
            .collect();
        let base = site.config.base_path().len();
        for (dir, files) in dirs {
            let folder_url = self.image_folder_url(site, &dir);
            for f in files {
                let rel = if dir.is_empty() {
                    f.clone()
                } else {
                    format!("{dir}/{f}")
                };
                let url = format!("{folder_url}{}", asset_name(&f, site.config.slugs));
                site.assets.push(Asset {
                    file: site.root.join(load::CONTENT_DIR).join(rel),
                    output: url[base..].to_string(),
                });
            }
        }
    }

    fn halls_docs(&self) -> HashMap<ZoneId, (usize, Option<crate::load::front_matter::Include>)> {
        self.items
            .iter()
            .filter_map(|(item, doc)| match (item, &self.docs[*doc].fields) {
                (ItemRef::Zone(z), Fields::Zone(f)) => {
                    Some((*z, (self.docs[*doc].source, f.include.clone())))
                }
                _ => None,
            })
            .collect()
    }
}

/// A published name for a file: its stem slugged, its extension kept.
fn asset_name(name: &str, style: crate::slug::SlugStyle) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut slug = slugify(stem, style);
    if slug.is_empty() {
        slug = format!("file-{}", images::short_hash(name));
    }
    if ext.is_empty() {
        slug
    } else {
        format!("{slug}.{}", ext.to_ascii_lowercase())
    }
}

fn is_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// Fills the lists that point back: a unit's projects, teams and events, a
/// team's projects and events, a project's events; and sorts them.
fn link_back(site: &mut Site) {
    for p in 0..site.projects.len() {
        let unit = site.projects[p].unit;
        site.units[unit].projects.push(p);
        for t in site.projects[p].teams.clone() {
            site.teams[t].projects.push(p);
        }
    }
    for t in 0..site.teams.len() {
        let unit = site.teams[t].unit;
        site.units[unit].teams.push(t);
    }
    let mut by_date: Vec<EventId> = (0..site.events.len()).collect();
    by_date.sort_by(|&a, &b| site.newest_first(a, b));
    for &e in &by_date {
        let event = &site.events[e];
        let (unit, teams, projects) = (event.unit, event.teams.clone(), event.projects.clone());
        site.units[unit].events.push(e);
        for t in teams {
            site.teams[t].events.push(e);
        }
        for p in projects {
            site.projects[p].events.push(e);
        }
    }
    site.events_by_date = by_date;
    let by_weight_title = |m: &Meta| (m.weight.unwrap_or(i64::MAX), m.title.clone(), m.url.clone());
    for u in 0..site.units.len() {
        let mut projects = std::mem::take(&mut site.units[u].projects);
        projects.sort_by_cached_key(|&p| by_weight_title(&site.projects[p].meta));
        let mut teams = std::mem::take(&mut site.units[u].teams);
        teams.sort_by_cached_key(|&t| by_weight_title(&site.teams[t].meta));
        site.units[u].projects = projects;
        site.units[u].teams = teams;
    }
    let newest_first = |m: &Meta| {
        (
            std::cmp::Reverse(m.date.clone()),
            m.weight.unwrap_or(i64::MAX),
            m.title.clone(),
            m.url.clone(),
        )
    };
    for s in 0..site.sections.len() {
        let mut pages = std::mem::take(&mut site.sections[s].pages);
        pages.sort_by_cached_key(|&p| newest_first(&site.pages[p].meta));
        site.sections[s].pages = pages;
    }
}
