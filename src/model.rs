//! The resolved site: what the load and resolve stages produce and the render
//! stage reads. Items point at each other by index into the [`Site`]'s lists.

use crate::config::Config;
use crate::date::{Date, PartialDate};
use crate::load::front_matter::{Contact, Honor, IncludeKind, Location};
use crate::load::source::Source;
use crate::markdown::Heading;
use crate::yaml;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a unit in [`Site::units`]; the other `…Id`s likewise.
pub type UnitId = usize;
pub type ProjectId = usize;
pub type TeamId = usize;
pub type EventId = usize;
pub type PageId = usize;
pub type SectionId = usize;
pub type HallId = usize;
pub type ZoneId = usize;
pub type ExhibitId = usize;
pub type ImageId = usize;

/// Any item that has a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemRef {
    Home,
    Unit(UnitId),
    Project(ProjectId),
    Team(TeamId),
    Event(EventId),
    Page(PageId),
    Section(SectionId),
    Hall(HallId),
    Zone(ZoneId),
    Exhibit(ExhibitId),
}

impl ItemRef {
    /// The kind's name as templates and the search index see it.
    pub fn kind(self) -> &'static str {
        match self {
            ItemRef::Home => "home",
            ItemRef::Unit(_) => "unit",
            ItemRef::Project(_) => "project",
            ItemRef::Team(_) => "team",
            ItemRef::Event(_) => "event",
            ItemRef::Page(_) => "page",
            ItemRef::Section(_) => "section",
            ItemRef::Hall(_) => "hall",
            ItemRef::Zone(_) => "zone",
            ItemRef::Exhibit(_) => "exhibit",
        }
    }
}

/// The rendered Markdown body of an item.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The HTML; empty while `later` is set.
    pub html: String,
    /// Set when the body was only scanned (in a one-off build, where the
    /// bodies of a whole site would fill the memory): how [`Site::body_html`]
    /// makes its HTML from the file when its page is rendered.
    pub later: Option<Later>,
    /// Plain text, for the search index.
    pub text: String,
    pub headings: Vec<Heading>,
}

/// What it takes to make a scanned body's HTML: the answers its links and
/// images got, and the hash of the Markdown they were given for.
#[derive(Debug, Clone)]
pub struct Later {
    pub answers: crate::markdown::Answers,
    pub hash: crate::markdown::TextHash,
}

/// What every item has.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Index into [`Site::sources`]; `None` for items the site made up (a missing home page).
    pub source: Option<usize>,
    pub title: String,
    /// The last URL segment.
    pub slug: String,
    /// Site-absolute URL path with the base path, ending in `/` (`/changji/a/b/`).
    pub url: String,
    pub date: Option<Date>,
    pub draft: bool,
    /// Given, or the first paragraph (plain text).
    pub summary: String,
    pub tags: Vec<String>,
    pub cover: Option<ImageId>,
    pub weight: Option<i64>,
    pub extra: yaml::Value,
    pub body: Body,
}

/// A picture as used by an item: the image and what to say about it.
#[derive(Debug, Clone)]
pub struct Picture {
    pub image: ImageId,
    pub alt: String,
    pub caption: Option<String>,
}

/// An image file of `content/` that the site uses.
#[derive(Debug, Clone)]
pub struct Image {
    /// Path under `content/`.
    pub path: String,
    /// The file on disk.
    pub file: PathBuf,
    /// URL path of the folder it is published in (its owner's URL), ending in `/`.
    pub folder_url: String,
    /// File name stem used in published names.
    pub stem: String,
    /// As the picture is seen (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    /// What the file holds: format, stored size, orientation, GPS, content hash.
    pub original: crate::images::Original,
    /// Published files, planned when the image is registered: grouped by
    /// format, narrowest first.
    pub variants: Vec<ImageVariant>,
}

/// One published file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageVariant {
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// `webp` or `jpeg`.
    pub format: String,
    /// Cache key: the original's content hash and every parameter of the file.
    pub key: String,
    /// The derived file in the cache, once the image stage made or found it.
    pub file: Option<PathBuf>,
}

/// Figures summed over a unit and all its descendants.
#[derive(Debug, Clone, Default)]
pub struct Rollup {
    pub totals: Tally,
    /// Units per level key, the unit itself included.
    pub counts: Tally,
    pub events_count: u64,
    pub participants: u64,
    pub events_by_platform: Tally,
    /// `YYYY-MM` → events.
    pub events_by_month: Tally,
    /// The newest events of the unit and its descendants (at most [`Rollup::RECENT`]).
    pub recent: Vec<EventId>,
}

impl Rollup {
    /// How many events [`Rollup::recent`] keeps.
    pub const RECENT: usize = 12;
}

/// Numbers by name (a figure, a level, a platform, a month), in the order of
/// the names. Every unit's roll-up holds four, most of a few names each: a
/// sorted vector whose names are shared between units (an `Arc` from one
/// [`Names`]) takes 24 bytes a name, where a `BTreeMap<String, u64>` takes a
/// node of some 370 bytes and a string per name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(Vec<(Arc<str>, u64)>);

impl Tally {
    /// Adds `n` to the number of `name`.
    pub fn add(&mut self, name: &Arc<str>, n: u64) {
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (name.clone(), n)),
        }
    }

    /// Adds every number of `other`.
    pub fn add_all(&mut self, other: &Tally) {
        for (name, n) in &other.0 {
            self.add(name, *n);
        }
    }

    pub fn get(&self, name: &str) -> Option<u64> {
        (self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)).ok()).map(|i| self.0[i].1)
    }

    /// The names and their numbers, in the order of the names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(k, n)| (k.as_ref(), *n))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this tally holds just the figures of `map` (a unit without
    /// children: its totals are its own figures).
    pub fn same_as(&self, map: &BTreeMap<String, u64>) -> bool {
        self.len() == map.len()
            && self
                .iter()
                .zip(map)
                .all(|((a, m), (b, n))| a == b && m == *n)
    }

    /// Lets go of the room left by growing.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// A tally of names and numbers, a name met twice counted twice (names not
/// shared: for tests and small tallies).
impl<'a> FromIterator<(&'a str, u64)> for Tally {
    fn from_iter<I: IntoIterator<Item = (&'a str, u64)>>(entries: I) -> Tally {
        let mut tally = Tally::default();
        for (name, n) in entries {
            tally.add(&name.into(), n);
        }
        tally
    }
}

impl serde::Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// One shared copy of each name a [`Tally`] uses.
#[derive(Debug, Default)]
pub struct Names(std::collections::HashSet<Arc<str>>);

impl Names {
    /// The shared copy of `name`.
    pub fn get(&mut self, name: &str) -> Arc<str> {
        if let Some(k) = self.0.get(name) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(name);
        self.0.insert(k.clone());
        k
    }
}

/// A practice unit: center, institute, station or point.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub meta: Meta,
    /// The folder under `content/` (`昌吉市/宁边路街道`).
    pub path: String,
    /// Rank in [`Config::levels`], 0 = top.
    pub level: usize,
    pub established: Option<PartialDate>,
    pub address: Option<String>,
    pub location: Option<Location>,
    pub area_m2: Option<f64>,
    pub rating: Option<f64>,
    pub platforms: Vec<String>,
    pub stats: BTreeMap<String, u64>,
    pub contact: Option<Contact>,
    pub honors: Vec<Honor>,
    pub parent: Option<UnitId>,
    /// Children in title order.
    pub children: Vec<UnitId>,
    pub depth: usize,
    pub projects: Vec<ProjectId>,
    pub teams: Vec<TeamId>,
    /// Own events, newest first.
    pub events: Vec<EventId>,
    pub pages: Vec<PageId>,
    pub gallery: Vec<Picture>,
    pub rollup: Rollup,
    /// Preorder number and the end of the subtree's range, for "is under" tests.
    pub order: (usize, usize),
}

/// An award of a project.
#[derive(Debug, Clone)]
pub struct Award {
    pub year: Option<PartialDate>,
    pub title: String,
    pub level: Option<String>,
}

/// A brand project.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub meta: Meta,
    pub unit: UnitId,
    pub platform: Option<String>,
    pub since: Option<PartialDate>,
    pub awards: Vec<Award>,
    pub teams: Vec<TeamId>,
    pub partners: Vec<UnitId>,
    pub gallery: Vec<Picture>,
    /// Events that name this project, newest first.
    pub events: Vec<EventId>,
}

/// A lecture, volunteer or expert team.
#[derive(Debug, Clone, Default)]
pub struct Team {
    pub meta: Meta,
    pub unit: UnitId,
    pub kind: Option<String>,
    pub members: Option<u64>,
    pub founded: Option<PartialDate>,
    pub topics: Vec<String>,
    pub platform: Option<String>,
    /// Projects that name this team.
    pub projects: Vec<ProjectId>,
    /// Events that name this team, newest first.
    pub events: Vec<EventId>,
}

/// An event with its photos.
#[derive(Debug, Clone, Default)]
pub struct Event {
    pub meta: Meta,
    pub unit: UnitId,
    pub end_date: Option<Date>,
    pub platform: Option<String>,
    pub participants: Option<u64>,
    pub teams: Vec<TeamId>,
    pub projects: Vec<ProjectId>,
    pub place: Option<String>,
    pub photos: Vec<Picture>,
}

impl Event {
    /// Events always have a date (checked when loading).
    pub fn date(&self) -> &Date {
        self.meta.date.as_ref().expect("events have a date")
    }
}

/// Items newest first (undated last); ties by title, then URL.
pub fn newest_first(a: &Meta, b: &Meta) -> std::cmp::Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.url.cmp(&b.url))
}

/// Where a plain page sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Home,
    Section(SectionId),
    Unit(UnitId),
    Hall(HallId),
}

/// A plain page (news, about…).
#[derive(Debug, Clone)]
pub struct Page {
    pub meta: Meta,
    pub parent: Parent,
}

/// A plain section: a folder with an `_index.md` and no `level` or `type`.
#[derive(Debug, Clone)]
pub struct Section {
    pub meta: Meta,
    pub path: String,
    pub parent: Parent,
    /// Its pages, newest first (undated by weight, then title).
    pub pages: Vec<PageId>,
    pub subsections: Vec<SectionId>,
}

/// A cloud exhibition hall.
#[derive(Debug, Clone)]
pub struct Hall {
    pub meta: Meta,
    pub path: String,
    pub opens: Option<Date>,
    pub closes: Option<Date>,
    /// Zones by weight.
    pub zones: Vec<ZoneId>,
    /// Every exhibit in walk-through order.
    pub tour: Vec<ExhibitId>,
    pub pages: Vec<PageId>,
}

/// A zone's `include:` query, its refs resolved.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub kinds: Vec<IncludeKind>,
    pub platforms: Vec<String>,
    pub tags: Vec<String>,
    pub under: Option<UnitId>,
    pub limit: Option<usize>,
}

/// A room of the hall.
#[derive(Debug, Clone)]
pub struct Zone {
    pub meta: Meta,
    pub path: String,
    pub hall: HallId,
    /// 1-based place in the hall.
    pub number: usize,
    pub include: Option<Query>,
    /// Own exhibits and included matches, in walk-through order.
    pub exhibits: Vec<ExhibitId>,
}

/// The video of an exhibit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Video {
    /// A file of the bundle, published at this URL.
    File { url: String, mime: String },
    /// A page elsewhere.
    External(String),
}

/// An exhibit: a work of the hall, or an item a zone includes.
#[derive(Debug, Clone)]
pub struct Exhibit {
    pub meta: Meta,
    pub zone: ZoneId,
    pub medium: Option<String>,
    pub author: Option<String>,
    pub year: Option<String>,
    pub unit: Option<UnitId>,
    pub images: Vec<Picture>,
    pub video: Option<Video>,
    pub poster: Option<ImageId>,
    /// For included matches, the item shown.
    pub origin: Option<ItemRef>,
    /// 0-based place in its zone.
    pub position: usize,
    pub prev: Option<ExhibitId>,
    pub next: Option<ExhibitId>,
}

/// A tag and what carries it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub items: Vec<ItemRef>,
}

/// A file published as it is (a PDF beside a page…).
#[derive(Debug, Clone)]
pub struct Asset {
    pub file: PathBuf,
    /// Output path relative to the output folder.
    pub output: String,
}

/// Everything the site is made of, resolved.
#[derive(Debug, Default)]
pub struct Site {
    pub config: Config,
    /// The site root on disk.
    pub root: PathBuf,
    /// How messages name the root.
    pub display_root: PathBuf,
    pub sources: Vec<Arc<Source>>,
    pub home: Meta,
    pub units: Vec<Unit>,
    pub projects: Vec<Project>,
    pub teams: Vec<Team>,
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub halls: Vec<Hall>,
    pub zones: Vec<Zone>,
    pub exhibits: Vec<Exhibit>,
    pub images: Vec<Image>,
    pub assets: Vec<Asset>,
    /// Units without a parent, by title.
    pub roots: Vec<UnitId>,
    /// Tags by slug.
    pub tags: Vec<Tag>,
    /// Events, newest first.
    pub events_by_date: Vec<EventId>,
    /// Site-wide figures: every root's rollup summed.
    pub rollup: Rollup,
    /// Problems found after the resolve stage: a body whose file changed
    /// before its page was rendered ([`Site::body_html`]).
    pub late_problems: std::sync::Mutex<Vec<crate::diagnostics::Diagnostic>>,
}

impl Site {
    pub fn meta(&self, item: ItemRef) -> &Meta {
        match item {
            ItemRef::Home => &self.home,
            ItemRef::Unit(i) => &self.units[i].meta,
            ItemRef::Project(i) => &self.projects[i].meta,
            ItemRef::Team(i) => &self.teams[i].meta,
            ItemRef::Event(i) => &self.events[i].meta,
            ItemRef::Page(i) => &self.pages[i].meta,
            ItemRef::Section(i) => &self.sections[i].meta,
            ItemRef::Hall(i) => &self.halls[i].meta,
            ItemRef::Zone(i) => &self.zones[i].meta,
            ItemRef::Exhibit(i) => &self.exhibits[i].meta,
        }
    }

    pub fn meta_mut(&mut self, item: ItemRef) -> &mut Meta {
        match item {
            ItemRef::Home => &mut self.home,
            ItemRef::Unit(i) => &mut self.units[i].meta,
            ItemRef::Project(i) => &mut self.projects[i].meta,
            ItemRef::Team(i) => &mut self.teams[i].meta,
            ItemRef::Event(i) => &mut self.events[i].meta,
            ItemRef::Page(i) => &mut self.pages[i].meta,
            ItemRef::Section(i) => &mut self.sections[i].meta,
            ItemRef::Hall(i) => &mut self.halls[i].meta,
            ItemRef::Zone(i) => &mut self.zones[i].meta,
            ItemRef::Exhibit(i) => &mut self.exhibits[i].meta,
        }
    }

    /// Every item with a page, in a stable order.
    pub fn items(&self) -> impl Iterator<Item = ItemRef> + '_ {
        std::iter::once(ItemRef::Home)
            .chain((0..self.units.len()).map(ItemRef::Unit))
            .chain((0..self.projects.len()).map(ItemRef::Project))
            .chain((0..self.teams.len()).map(ItemRef::Team))
            .chain((0..self.events.len()).map(ItemRef::Event))
            .chain((0..self.pages.len()).map(ItemRef::Page))
            .chain((0..self.sections.len()).map(ItemRef::Section))
            .chain((0..self.halls.len()).map(ItemRef::Hall))
            .chain((0..self.zones.len()).map(ItemRef::Zone))
            .chain((0..self.exhibits.len()).map(ItemRef::Exhibit))
    }

    /// The unit an item belongs to, if any.
    pub fn owner_unit(&self, item: ItemRef) -> Option<UnitId> {
        match item {
            ItemRef::Unit(i) => Some(i),
            ItemRef::Project(i) => Some(self.projects[i].unit),
            ItemRef::Team(i) => Some(self.teams[i].unit),
            ItemRef::Event(i) => Some(self.events[i].unit),
            ItemRef::Exhibit(i) => self.exhibits[i].unit,
            ItemRef::Page(i) => match self.pages[i].parent {
                Parent::Unit(u) => Some(u),
                _ => None,
            },
            _ => None,
        }
    }

    /// The unit and its ancestors, root first.
    pub fn lineage(&self, unit: UnitId) -> Vec<UnitId> {
        let mut chain = vec![unit];
        let mut at = unit;
        while let Some(p) = self.units[at].parent {
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }

    /// Whether `unit` is `ancestor` or lies under it.
    pub fn is_under(&self, unit: UnitId, ancestor: UnitId) -> bool {
        let (a, b) = self.units[ancestor].order;
        let o = self.units[unit].order.0;
        a <= o && o < b
    }

    /// Events newest first; ties by title, then URL.
    pub fn newest_first(&self, a: EventId, b: EventId) -> std::cmp::Ordering {
        newest_first(&self.events[a].meta, &self.events[b].meta)
    }

    /// Takes the plain text of every body out of the site (for the search
    /// index to let go of them one by one), by item; empty ones are left out.
    pub fn take_body_texts(&mut self) -> HashMap<ItemRef, String> {
        let items: Vec<ItemRef> = self.items().collect();
        let mut texts = HashMap::with_capacity(items.len());
        for item in items {
            let text = std::mem::take(&mut self.meta_mut(item).body.text);
            if !text.is_empty() {
                texts.insert(item, text);
            }
        }
        texts
    }

    /// The HTML of an item's body: as kept, or made from its file. A file
    /// that can no longer be read, or whose body changed since the resolve
    /// stage scanned it, gives an empty body and a late problem.
    pub fn body_html(&self, item: ItemRef) -> std::borrow::Cow<'_, str> {
        let body = &self.meta(item).body;
        let (Some(later), Some(source)) = (&body.later, self.source(item)) else {
            return body.html.as_str().into();
        };
        let problem = match source.reread(&self.root.join(crate::load::CONTENT_DIR)) {
            Ok(again) if crate::markdown::TextHash::of(again.body()) == later.hash => {
                let options = crate::markdown::Options {
                    unsafe_html: self.config.unsafe_html,
                };
                return crate::markdown::render_again(again.body(), options, &later.answers).into();
            }
            Ok(_) => source.changed(),
            Err(d) => d,
        };
        let mut late = self.late_problems.lock().unwrap_or_else(|e| e.into_inner());
        late.push(problem);
        "".into()
    }

    /// The source file of an item, if it has one.
    pub fn source(&self, item: ItemRef) -> Option<&Source> {
        self.meta(item).source.map(|s| &*self.sources[s])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_keeps_its_names_in_order_and_adds_what_it_meets_again() {
        let mut names = Names::default();
        let mut tally = Tally::default();
        for (name, n) in [
            ("volunteers", 5),
            ("activities", 2),
            ("served", 9),
            ("activities", 1),
        ] {
            tally.add(&names.get(name), n);
        }
        let mut other = Tally::default();
        other.add(&names.get("teams"), 4);
        other.add(&names.get("volunteers"), 1);
        tally.add_all(&other);
        let entries: Vec<(&str, u64)> = tally.iter().collect();
        assert_eq!(
            entries,
            [
                ("activities", 3),
                ("served", 9),
                ("teams", 4),
                ("volunteers", 6)
            ]
        );
        assert_eq!((tally.get("served"), tally.get("members")), (Some(9), None));
        // one copy of each name
        assert!(Arc::ptr_eq(&names.get("teams"), &other.0[0].0));
        assert_eq!(
            serde_json::to_string(&tally).unwrap(),
            r#"{"activities":3,"served":9,"teams":4,"volunteers":6}"#
        );
        let map: BTreeMap<String, u64> = entries.iter().map(|&(k, v)| (k.to_string(), v)).collect();
        assert!(tally.same_as(&map));
        assert!(!other.same_as(&map));
    }
}
