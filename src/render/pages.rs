//! The pages of the site: which exist (the plan) and what each template sees.

use super::cards::{self, Cards};
use super::charts::{self, Bar};
use super::value::{Obj, list, map, none, safe};
use crate::model::*;
use std::collections::BTreeMap;
use std::sync::Mutex;
use tera::{Context, Value};

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Item(ItemRef),
    /// A section's page n (1-based) of its pages.
    Section(SectionId, usize),
    /// A unit's own events, page n.
    UnitEvents(UnitId, usize),
    Projects(usize),
    Teams(usize),
    Events(usize),
    EventsYear(i16, usize),
    Units(usize),
    Platforms,
    Platform(usize, usize),
    Tags,
    Tag(usize, usize),
    Map,
    Search,
    NotFound,
    /// A unit's printable A4 poster (`UNIT/poster/`).
    Poster(UnitId),
    /// A zone's printable exhibition board, 展板 (`ZONE/board/`).
    Board(ZoneId),
}

/// One HTML page to write.
#[derive(Debug, Clone)]
pub struct Job {
    /// Site URL (with the base path).
    pub url: String,
    /// File path under the output folder.
    pub output: String,
    pub kind: PageKind,
    /// The item whose file produced it, for messages about clashes.
    pub item: Option<ItemRef>,
}

impl Job {
    pub fn template(&self) -> &'static str {
        match &self.kind {
            PageKind::Home => "index.html",
            PageKind::Item(item) => match item {
                ItemRef::Home => "index.html",
                ItemRef::Unit(_) => "unit.html",
                ItemRef::Project(_) => "project.html",
                ItemRef::Team(_) => "team.html",
                ItemRef::Event(_) => "event.html",
                ItemRef::Page(_) => "page.html",
                ItemRef::Section(_) => "section.html",
                ItemRef::Hall(_) => "hall.html",
                ItemRef::Zone(_) => "zone.html",
                ItemRef::Exhibit(_) => "exhibit.html",
            },
            PageKind::Section(..) => "section.html",
            PageKind::UnitEvents(..) => "unit_events.html",
            PageKind::Projects(_) => "projects.html",
            PageKind::Teams(_) => "teams.html",
            PageKind::Events(_) | PageKind::EventsYear(..) => "events.html",
            PageKind::Units(_) => "units.html",
            PageKind::Platforms => "platforms.html",
            PageKind::Platform(..) => "platform.html",
            PageKind::Tags => "tags.html",
            PageKind::Tag(..) => "tag.html",
            PageKind::Map => "map.html",
            PageKind::Search => "search.html",
            PageKind::NotFound => "404.html",
            PageKind::Poster(_) => "poster.html",
            PageKind::Board(_) => "board.html",
        }
    }
}

/// How many units one page of `/units/` lists (a tree reads badly in small pages).
pub fn units_per_page(per_page: usize) -> usize {
    per_page.max(200)
}

/// The URL of page `n` of a listing whose first page is `first`.
pub fn page_url(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

fn pages_of(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page).max(1)
}

/// The site-wide listings, sorted once.
pub struct Lists {
    pub projects: Vec<ItemRef>,
    pub teams: Vec<ItemRef>,
    pub events: Vec<ItemRef>,
    /// Newest year first.
    pub years: Vec<(i16, Vec<ItemRef>)>,
    /// Every unit, parents before children.
    pub units: Vec<ItemRef>,
    /// By platform, in the order of `platforms`.
    pub platforms: Vec<Vec<ItemRef>>,
    /// The map's boundary (`map.boundary`), read once.
    pub boundary: Option<super::map::Boundary>,
}

impl Lists {
    pub fn build(site: &Site) -> Lists {
        let mut years: BTreeMap<i16, Vec<ItemRef>> = BTreeMap::new();
        for &e in &site.events_by_date {
            years
                .entry(site.events[e].date().year())
                .or_default()
                .push(ItemRef::Event(e));
        }
        Lists {
            projects: by_title(
                site,
                (0..site.projects.len()).map(ItemRef::Project).collect(),
            ),
            teams: by_title(site, (0..site.teams.len()).map(ItemRef::Team).collect()),
            events: site
                .events_by_date
                .iter()
                .map(|&e| ItemRef::Event(e))
                .collect(),
            years: years.into_iter().rev().collect(),
            units: preorder(site),
            platforms: site
                .config
                .platforms
                .iter()
                .map(|p| platform_items(site, &p.key))
                .collect(),
            boundary: None,
        }
    }
}

/// Every HTML page of the site.
pub fn plan(site: &Site, lists: &Lists) -> Vec<Job> {
    let base = site.config.base_path();
    let per = site.config.per_page;
    let mut jobs = Vec::new();
    let mut push = |url: String, kind: PageKind, item: Option<ItemRef>| {
        let output = output_path(base, &url);
        jobs.push(Job {
            url,
            output,
            kind,
            item,
        });
    };
    push(base.to_string(), PageKind::Home, Some(ItemRef::Home));
    for item in site.items() {
        match item {
            ItemRef::Home => {}
            ItemRef::Section(s) => {
                let url = &site.sections[s].meta.url;
                for n in 1..=pages_of(site.sections[s].pages.len(), per) {
                    push(page_url(url, n), PageKind::Section(s, n), Some(item));
                }
            }
            _ => {
                let url = &site.meta(item).url;
                push(url.clone(), PageKind::Item(item), Some(item));
                // right after its page, which made the value it reuses (see `Twins`)
                match item {
                    ItemRef::Unit(u) => push(format!("{url}poster/"), PageKind::Poster(u), None),
                    ItemRef::Zone(z) => push(format!("{url}board/"), PageKind::Board(z), None),
                    _ => {}
                }
            }
        }
    }
    for (u, unit) in site.units.iter().enumerate() {
        if !unit.events.is_empty() {
            let first = format!("{}events/", unit.meta.url);
            for n in 1..=pages_of(unit.events.len(), per) {
                push(page_url(&first, n), PageKind::UnitEvents(u, n), None);
            }
        }
    }
    type Listing = (&'static str, usize, fn(usize) -> PageKind);
    let listings: [Listing; 3] = [
        ("projects", site.projects.len(), PageKind::Projects),
        ("teams", site.teams.len(), PageKind::Teams),
        ("events", site.events.len(), PageKind::Events),
    ];
    for (name, count, kind) in listings {
        let first = format!("{base}{name}/");
        for n in 1..=pages_of(count, per) {
            push(page_url(&first, n), kind(n), None);
        }
    }
    for (year, items) in &lists.years {
        let first = format!("{base}events/{year}/");
        for n in 1..=pages_of(items.len(), per) {
            push(page_url(&first, n), PageKind::EventsYear(*year, n), None);
        }
    }
    let first = format!("{base}units/");
    for n in 1..=pages_of(site.units.len(), units_per_page(per)) {
        push(page_url(&first, n), PageKind::Units(n), None);
    }
    push(format!("{base}platforms/"), PageKind::Platforms, None);
    for (i, p) in site.config.platforms.iter().enumerate() {
        let first = format!("{base}platforms/{}/", p.key);
        for n in 1..=pages_of(lists.platforms[i].len(), per) {
            push(page_url(&first, n), PageKind::Platform(i, n), None);
        }
    }
    push(format!("{base}tags/"), PageKind::Tags, None);
    for (i, tag) in site.tags.iter().enumerate() {
        for n in 1..=pages_of(tag.items.len(), per) {
            push(page_url(&tag.url, n), PageKind::Tag(i, n), None);
        }
    }
    push(format!("{base}map/"), PageKind::Map, None);
    if site.config.search {
        push(format!("{base}search/"), PageKind::Search, None);
    }
    jobs.push(Job {
        url: format!("{base}404.html"),
        output: "404.html".into(),
        kind: PageKind::NotFound,
        item: None,
    });
    jobs
}

/// The file under the output folder for a site URL.
pub fn output_path(base: &str, url: &str) -> String {
    let rel = url
        .strip_prefix(base)
        .unwrap_or(url.trim_start_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// Everything on a platform: units serving it, then projects, teams and events.
pub fn platform_items(site: &Site, key: &str) -> Vec<ItemRef> {
    let mut items: Vec<ItemRef> = Vec::new();
    items.extend(
        site.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.platforms.iter().any(|p| p == key))
            .map(|(i, _)| ItemRef::Unit(i)),
    );
    items.extend(
        site.projects
            .iter()
            .enumerate()
            .filter(|(_, p)| p.platform.as_deref() == Some(key))
            .map(|(i, _)| ItemRef::Project(i)),
    );
    items.extend(
        site.teams
            .iter()
            .enumerate()
            .filter(|(_, t)| t.platform.as_deref() == Some(key))
            .map(|(i, _)| ItemRef::Team(i)),
    );
    items.extend(
        site.events_by_date
            .iter()
            .filter(|&&e| site.events[e].platform.as_deref() == Some(key))
            .map(|&e| ItemRef::Event(e)),
    );
    items
}

/// Items sorted by title (listings of projects and teams).
fn by_title(site: &Site, mut items: Vec<ItemRef>) -> Vec<ItemRef> {
    items.sort_by_cached_key(|&i| {
        let m = site.meta(i);
        (m.weight.unwrap_or(i64::MAX), m.title.clone(), m.url.clone())
    });
    items
}

/// The paginator value for page `n` of `items` whose first page is `first`.
fn paginator(cards: &Cards, items: &[ItemRef], n: usize, per_page: usize, first: &str) -> Value {
    let total = pages_of(items.len(), per_page);
    let start = (n - 1) * per_page;
    let slice = &items[start.min(items.len())..(start + per_page).min(items.len())];
    Obj::new()
        .set("items", cards.list(slice.iter().copied()))
        .set("current", n)
        .set("total_pages", total)
        .set("total_items", items.len())
        .set("first_url", first)
        .set("prev_url", (n > 1).then(|| page_url(first, n - 1)))
        .set("next_url", (n < total).then(|| page_url(first, n + 1)))
        .set(
            "pages",
            list(page_links(n, total).into_iter().map(|i| {
                match i {
                    Some(i) => Obj::new()
                        .set("number", i)
                        .set("url", page_url(first, i))
                        .set("current", i == n)
                        .set("gap", false)
                        .build(),
                    None => Obj::new().set("gap", true).build(),
                }
            })),
        )
        .build()
}

/// Pages a listing links to: all of them when there are few, else the first,
/// the last and two on each side of the current one, `None` standing for the
/// pages left out. Linking every page from every page would make a listing of
/// 2,000 pages write 4 million links.
fn page_links(current: usize, total: usize) -> Vec<Option<usize>> {
    const ALL_UP_TO: usize = 9;
    if total <= ALL_UP_TO {
        return (1..=total).map(Some).collect();
    }
    let window = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut shown: Vec<usize> = vec![1];
    shown.extend(window);
    shown.push(total);
    shown.dedup();
    let mut links = Vec::new();
    for (k, &page) in shown.iter().enumerate() {
        if k > 0 && page > shown[k - 1] + 1 {
            links.push(None);
        }
        if k == 0 || page > shown[k - 1] {
            links.push(Some(page));
        }
    }
    links
}

pub(super) fn crumb(title: &str, url: &str) -> Value {
    Obj::new().set("title", title).set("url", url).build()
}

/// Home › the unit's ancestors › the unit. A unit's crumb is its card, which
/// has its `title` and `url`: shared, not a map made per page (a crumb per
/// unit kept aside would hold 18 MiB more at 100,000 pages).
fn unit_trail(site: &Site, cards: &Cards, unit: UnitId) -> Vec<Value> {
    let lineage = site.lineage(unit);
    let mut trail = Vec::with_capacity(lineage.len() + 2);
    trail.push(cards.home_crumb.clone());
    trail.extend(lineage.into_iter().map(|u| cards.units[u].clone()));
    trail
}

/// The breadcrumb of a page: a list of values with a `title` and a `url`, the
/// page itself last.
fn breadcrumb(site: &Site, cards: &Cards, job: &Job, title: &str) -> Value {
    let home = cards.home_crumb.clone();
    let base = site.config.base_path();
    let mut trail = match &job.kind {
        PageKind::Home | PageKind::Item(ItemRef::Home) => return list([home]),
        PageKind::Item(ItemRef::Unit(u)) => {
            let mut t = unit_trail(site, cards, *u);
            t.pop();
            t
        }
        PageKind::Item(item @ (ItemRef::Project(_) | ItemRef::Team(_) | ItemRef::Event(_))) => {
            unit_trail(site, cards, site.owner_unit(*item).expect("has a unit"))
        }
        PageKind::UnitEvents(u, _) | PageKind::Poster(u) => unit_trail(site, cards, *u),
        PageKind::Item(ItemRef::Page(p)) => parent_trail(site, cards, site.pages[*p].parent),
        PageKind::Item(ItemRef::Section(s)) | PageKind::Section(s, _) => {
            parent_trail(site, cards, site.sections[*s].parent)
        }
        PageKind::Item(ItemRef::Hall(_)) => vec![home],
        PageKind::Item(ItemRef::Zone(z)) => {
            let hall = &site.halls[site.zones[*z].hall].meta;
            vec![home, crumb(&hall.title, &hall.url)]
        }
        PageKind::Board(z) => {
            let zone = &site.zones[*z];
            let hall = &site.halls[zone.hall].meta;
            vec![
                home,
                crumb(&hall.title, &hall.url),
                crumb(&zone.meta.title, &zone.meta.url),
            ]
        }
        PageKind::Item(ItemRef::Exhibit(x)) => {
            let zone = &site.zones[site.exhibits[*x].zone];
            let hall = &site.halls[zone.hall].meta;
            vec![
                home,
                crumb(&hall.title, &hall.url),
                crumb(&zone.meta.title, &zone.meta.url),
            ]
        }
        PageKind::EventsYear(..) => vec![home, crumb("活动", &format!("{base}events/"))],
        PageKind::Platform(..) => vec![home, crumb("服务平台", &format!("{base}platforms/"))],
        PageKind::Tag(..) => vec![home, crumb("标签", &format!("{base}tags/"))],
        _ => vec![home],
    };
    trail.push(crumb(title, &job.url));
    list(trail)
}

fn parent_trail(site: &Site, cards: &Cards, parent: Parent) -> Vec<Value> {
    let home = cards.home_crumb.clone();
    match parent {
        Parent::Home => vec![home],
        Parent::Unit(u) => unit_trail(site, cards, u),
        Parent::Hall(h) => vec![
            home,
            crumb(&site.halls[h].meta.title, &site.halls[h].meta.url),
        ],
        Parent::Section(s) => {
            let mut t = parent_trail(site, cards, site.sections[s].parent);
            t.push(crumb(
                &site.sections[s].meta.title,
                &site.sections[s].meta.url,
            ));
            t
        }
    }
}

/// The full value of an item's own page: its card plus body, headings and more.
fn page_value(site: &Site, cards: &Cards, item: ItemRef) -> Obj {
    let m = site.meta(item);
    Obj::extend(&cards.get(item))
        .set("content", safe(&site.body_html(item)))
        .set(
            "toc",
            list(m.body.headings.iter().map(|h| {
                Obj::new()
                    .set("level", h.level)
                    .set("id", h.id.as_str())
                    .set("title", h.text.as_str())
                    .build()
            })),
        )
        .set("source", site.source(item).map(|s| s.path.clone()))
}

fn counts_list(site: &Site, counts: &Tally) -> Value {
    list(site.config.levels.iter().map(|l| {
        Obj::new()
            .set("key", l.key.as_str())
            .set("name", l.name.as_str())
            .set("short", l.short.as_str())
            .set("count", counts.get(&l.key).unwrap_or(0))
            .build()
    }))
}

fn per_platform(site: &Site, cards: &Cards, by: &Tally) -> Value {
    list(site.config.platforms.iter().filter_map(|p| {
        by.get(&p.key).map(|n| {
            let mut o = Obj::new();
            o.insert("platform", cards.platform(Some(&p.key)));
            o.set("key", p.key.as_str())
                .set("name", p.name.as_str())
                .set("count", n)
                .build()
        })
    }))
}

fn per_month(by: &Tally) -> Value {
    list(
        by.iter()
            .map(|(m, n)| Obj::new().set("month", m).set("count", n).build()),
    )
}

/// A unit's title without its level's name: 石坡街新时代文明实践站 → 石坡街.
pub fn short_name(site: &Site, title: &str) -> String {
    let mut short = title.to_string();
    for level in &site.config.levels {
        if let Some(s) = short.strip_suffix(level.name.as_str()) {
            short = s.to_string();
            break;
        }
    }
    let short = short.trim_end_matches("新时代文明实践").trim();
    if short.is_empty() {
        title.to_string()
    } else {
        short.to_string()
    }
}

/// The charts of a rollup (events per month and per platform) and of some
/// units' volunteers: `{months, platforms, volunteers}`, each HTML or none.
fn charts_value(site: &Site, rollup: &Rollup, units: &[UnitId], units_caption: &str) -> Value {
    let html = |h: Option<String>| h.map(|h| safe(&h)).unwrap_or_else(none);
    let platforms: Vec<Bar> = site
        .config
        .platforms
        .iter()
        .filter_map(|p| {
            rollup.events_by_platform.get(&p.key).map(|n| Bar {
                label: p.name.clone(),
                value: n,
            })
        })
        .collect();
    let volunteers: Vec<Bar> = units
        .iter()
        .map(|&c| Bar {
            label: short_name(site, &site.units[c].meta.title),
            value: site.units[c].rollup.totals.get("volunteers").unwrap_or(0),
        })
        .collect();
    let volunteers = if volunteers.iter().filter(|b| b.value > 0).count() >= 2 {
        charts::bars(&volunteers, units_caption, "阵地", "人")
    } else {
        None
    };
    Obj::new()
        .set(
            "months",
            html(charts::months(&rollup.events_by_month, "活动月度分布")),
        )
        .set(
            "platforms",
            html(charts::bars(&platforms, "各服务平台活动", "服务平台", "场")),
        )
        .set("volunteers", html(volunteers))
        .build()
}

/// The QR code of a page's absolute URL; none when `base_url` is only a path.
fn qr_value(site: &Site, url: &str, label: &str) -> Value {
    let permalink = site.config.permalink(url);
    if !permalink.starts_with("http") {
        return none();
    }
    super::qr::svg(&super::percent_encode(&permalink), label)
        .map(|svg| safe(&svg))
        .unwrap_or_else(none)
}

/// The unit page's own value.
fn unit_value(site: &Site, cards: &Cards, u: UnitId) -> Value {
    let unit = &site.units[u];
    let mut groups: Vec<Value> = Vec::new();
    for (rank, level) in site.config.levels.iter().enumerate() {
        let children: Vec<ItemRef> = unit
            .children
            .iter()
            .filter(|&&c| site.units[c].level == rank)
            .map(|&c| ItemRef::Unit(c))
            .collect();
        if !children.is_empty() {
            groups.push(
                Obj::new()
                    .set(
                        "level",
                        Obj::new()
                            .set("key", level.key.as_str())
                            .set("name", level.name.as_str())
                            .set("short", level.short.as_str())
                            .build(),
                    )
                    .set("units", cards.list(children))
                    .build(),
            );
        }
    }
    let honors = list(unit.honors.iter().map(|h| {
        Obj::new()
            .set("year", h.year.as_ref().map(|y| y.to_string()))
            .set("title", h.title.as_str())
            .build()
    }));
    let contact = unit
        .contact
        .as_ref()
        .map(|c| {
            Obj::new()
                .set("phone", c.phone.as_ref().map(|p| p.0.clone()))
                .set("email", c.email.clone())
                .set("hours", c.hours.clone())
                .build()
        })
        .unwrap_or_else(none);
    let newest: Vec<ItemRef> = unit
        .events
        .iter()
        .take(12)
        .map(|&e| ItemRef::Event(e))
        .collect();
    let subtree_events: Vec<ItemRef> = unit
        .rollup
        .recent
        .iter()
        .map(|&e| ItemRef::Event(e))
        .collect();
    page_value(site, cards, ItemRef::Unit(u))
        .set(
            "parent",
            unit.parent
                .map(|p| cards.units[p].clone())
                .unwrap_or_else(none),
        )
        .set(
            "ancestors",
            cards.list(
                site.lineage(u)
                    .into_iter()
                    .filter(|&a| a != u)
                    .map(ItemRef::Unit),
            ),
        )
        .set(
            "children",
            cards.list(unit.children.iter().map(|&c| ItemRef::Unit(c))),
        )
        .set("children_by_level", list(groups))
        .set(
            "projects",
            cards.list(unit.projects.iter().map(|&p| ItemRef::Project(p))),
        )
        .set(
            "teams",
            cards.list(unit.teams.iter().map(|&t| ItemRef::Team(t))),
        )
        .set("events", cards.list(newest))
        .set(
            "events_url",
            (!unit.events.is_empty()).then(|| format!("{}events/", unit.meta.url)),
        )
        .set("recent_events", cards.list(subtree_events))
        .set(
            "pages",
            cards.list(unit.pages.iter().map(|&p| ItemRef::Page(p))),
        )
        .set("gallery", cards::pictures(site, &unit.gallery))
        .set("honors", honors)
        .set("contact", contact)
        .set("area_m2", unit.area_m2)
        .set("counts_list", counts_list(site, &unit.rollup.counts))
        .set(
            "events_by_platform",
            per_platform(site, cards, &unit.rollup.events_by_platform),
        )
        .set("events_by_month", per_month(&unit.rollup.events_by_month))
        .set(
            "qr",
            qr_value(
                site,
                &unit.meta.url,
                &format!("{}网页二维码", unit.meta.title),
            ),
        )
        .set("poster_url", format!("{}poster/", unit.meta.url))
        .set(
            "charts",
            charts_value(site, &unit.rollup, &unit.children, "下级阵地志愿者人数"),
        )
        .build()
}

fn project_value(site: &Site, cards: &Cards, p: ProjectId) -> Value {
    let project = &site.projects[p];
    let awards = list(project.awards.iter().map(|a| {
        Obj::new()
            .set("year", a.year.as_ref().map(|y| y.to_string()))
            .set("title", a.title.as_str())
            .set("level", a.level.clone())
            .build()
    }));
    page_value(site, cards, ItemRef::Project(p))
        .set("awards", awards)
        .set(
            "teams",
            cards.list(project.teams.iter().map(|&t| ItemRef::Team(t))),
        )
        .set(
            "partners",
            cards.list(project.partners.iter().map(|&u| ItemRef::Unit(u))),
        )
        .set("gallery", cards::pictures(site, &project.gallery))
        .set(
            "events",
            cards.list(project.events.iter().map(|&e| ItemRef::Event(e))),
        )
        .build()
}

fn team_value(site: &Site, cards: &Cards, t: TeamId) -> Value {
    let team = &site.teams[t];
    page_value(site, cards, ItemRef::Team(t))
        .set(
            "topics",
            list(team.topics.iter().map(|s| Value::from(s.as_str()))),
        )
        .set(
            "projects",
            cards.list(team.projects.iter().map(|&p| ItemRef::Project(p))),
        )
        .set(
            "events",
            cards.list(team.events.iter().map(|&e| ItemRef::Event(e))),
        )
        .build()
}

fn event_value(site: &Site, cards: &Cards, e: EventId) -> Value {
    let event = &site.events[e];
    page_value(site, cards, ItemRef::Event(e))
        .set("photos", cards::pictures(site, &event.photos))
        .set(
            "teams",
            cards.list(event.teams.iter().map(|&t| ItemRef::Team(t))),
        )
        .set(
            "projects",
            cards.list(event.projects.iter().map(|&p| ItemRef::Project(p))),
        )
        .build()
}

fn hall_value(site: &Site, cards: &Cards, h: HallId) -> Value {
    let hall = &site.halls[h];
    page_value(site, cards, ItemRef::Hall(h))
        .set(
            "zones",
            cards.list(hall.zones.iter().map(|&z| ItemRef::Zone(z))),
        )
        .set(
            "pages",
            cards.list(hall.pages.iter().map(|&p| ItemRef::Page(p))),
        )
        .build()
}

fn zone_value(site: &Site, cards: &Cards, z: ZoneId) -> Value {
    let zone = &site.zones[z];
    let hall = &site.halls[zone.hall];
    let at = hall.zones.iter().position(|&x| x == z).unwrap_or(0);
    page_value(site, cards, ItemRef::Zone(z))
        .set("hall", cards.halls[zone.hall].clone())
        .set(
            "exhibits",
            cards.list(zone.exhibits.iter().map(|&x| ItemRef::Exhibit(x))),
        )
        .set("included", zone.include.is_some())
        .set(
            "qr",
            qr_value(
                site,
                &zone.meta.url,
                &format!("{}网页二维码", zone.meta.title),
            ),
        )
        .set("board_url", format!("{}board/", zone.meta.url))
        .set(
            "prev_zone",
            at.checked_sub(1)
                .map(|i| cards.zones[hall.zones[i]].clone())
                .unwrap_or_else(none),
        )
        .set(
            "next_zone",
            hall.zones
                .get(at + 1)
                .map(|&i| cards.zones[i].clone())
                .unwrap_or_else(none),
        )
        .build()
}

fn exhibit_value(site: &Site, cards: &Cards, x: ExhibitId) -> Value {
    let exhibit = &site.exhibits[x];
    let zone = &site.zones[exhibit.zone];
    let hall = &site.halls[zone.hall];
    let video = match &exhibit.video {
        Some(Video::File { url, mime }) => Obj::new()
            .set("kind", "file")
            .set("url", url.as_str())
            .set("mime", mime.as_str())
            .build(),
        Some(Video::External(url)) => Obj::new()
            .set("kind", "external")
            .set("url", url.as_str())
            .build(),
        None => none(),
    };
    let tour_index = hall.tour.iter().position(|&t| t == x).unwrap_or(0);
    let mut obj = page_value(site, cards, ItemRef::Exhibit(x));
    if let Some(origin) = exhibit.origin {
        // an included item shows its own body
        obj.insert("content", safe(&site.body_html(origin)));
        obj.insert("origin", cards.get(origin));
    } else {
        obj.insert("origin", none());
    }
    obj.set("images", cards::pictures(site, &exhibit.images))
        .set("video", video)
        .set(
            "poster",
            exhibit
                .poster
                .map(|p| cards::image(site, p, &exhibit.meta.title, None))
                .unwrap_or_else(none),
        )
        .set("hall", cards.halls[zone.hall].clone())
        .set(
            "prev",
            exhibit
                .prev
                .map(|p| cards.exhibits[p].clone())
                .unwrap_or_else(none),
        )
        .set(
            "next",
            exhibit
                .next
                .map(|n| cards.exhibits[n].clone())
                .unwrap_or_else(none),
        )
        .set("tour_position", tour_index + 1)
        .set("tour_total", hall.tour.len())
        .set(
            "qr",
            qr_value(
                site,
                &exhibit.meta.url,
                &format!("{}网页二维码", exhibit.meta.title),
            ),
        )
        .build()
}

/// The values every page sees as `site`.
pub fn site_value(
    site: &Site,
    cards: &Cards,
    styles: &BTreeMap<String, String>,
    scripts: &BTreeMap<String, String>,
) -> Value {
    let base = site.config.base_path();
    let mut nav = vec![
        crumb("首页", base),
        crumb("实践阵地", &format!("{base}units/")),
        crumb("品牌项目", &format!("{base}projects/")),
        crumb("队伍", &format!("{base}teams/")),
        crumb("活动", &format!("{base}events/")),
    ];
    for hall in &site.halls {
        // one hall is simply 云展馆 in the menu; several keep their titles
        let label = if site.halls.len() == 1 {
            "云展馆"
        } else {
            hall.meta.title.as_str()
        };
        nav.push(crumb(label, &hall.meta.url));
    }
    for section in site.sections.iter().filter(|s| s.parent == Parent::Home) {
        nav.push(crumb(&section.meta.title, &section.meta.url));
    }
    nav.push(crumb("地图", &format!("{base}map/")));
    let description = site
        .config
        .extra
        .get("description")
        .and_then(|d| d.as_str())
        .map(str::to_string);
    Obj::new()
        .set("title", site.config.title.as_str())
        .set("description", description)
        .set("base_url", site.config.base_url.as_str())
        .set("base_path", base)
        .set("language", site.config.language.as_str())
        .set("search", site.config.search)
        .set("search_url", format!("{base}search/"))
        .set("feed_url", format!("{base}atom.xml"))
        .set(
            "style_url",
            styles.get("style").cloned().unwrap_or_default(),
        )
        .set(
            "styles",
            map(styles
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))),
        )
        .set(
            "script_url",
            scripts.get("site").cloned().unwrap_or_default(),
        )
        .set(
            "scripts",
            map(scripts
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))),
        )
        .set(
            "levels",
            list(site.config.levels.iter().map(|l| {
                Obj::new()
                    .set("key", l.key.as_str())
                    .set("name", l.name.as_str())
                    .set("short", l.short.as_str())
                    .build()
            })),
        )
        .set(
            "platforms",
            list(
                site.config
                    .platforms
                    .iter()
                    .map(|p| cards.platform(Some(&p.key))),
            ),
        )
        .set("totals", cards::stats(site.rollup.totals.iter()))
        .set("counts_list", counts_list(site, &site.rollup.counts))
        .set("events_count", site.events.len())
        .set("projects_count", site.projects.len())
        .set("teams_count", site.teams.len())
        .set("units_count", site.units.len())
        .set("participants", site.rollup.participants)
        .set(
            "halls",
            cards.list((0..site.halls.len()).map(ItemRef::Hall)),
        )
        .set("nav", list(nav))
        .set("extra", super::value::from_yaml(&site.config.extra))
        .build()
}

/// The values a unit's page shares with its poster and a zone's page with
/// its board (with their QR codes, the dearest part of a build), for one
/// pass of rendering: the first of the two pages to be rendered makes it, the
/// second takes it. The plan puts the two side by side, so few are held at once.
pub struct Twins {
    units: Vec<Mutex<Option<Value>>>,
    zones: Vec<Mutex<Option<Value>>>,
}

impl Twins {
    pub fn new(site: &Site) -> Twins {
        let slots = |n: usize| (0..n).map(|_| Mutex::new(None)).collect();
        Twins {
            units: slots(site.units.len()),
            zones: slots(site.zones.len()),
        }
    }

    fn unit(&self, site: &Site, cards: &Cards, u: UnitId) -> Value {
        Self::share(&self.units[u], || unit_value(site, cards, u))
    }

    fn zone(&self, site: &Site, cards: &Cards, z: ZoneId) -> Value {
        Self::share(&self.zones[z], || zone_value(site, cards, z))
    }

    fn share(slot: &Mutex<Option<Value>>, make: impl FnOnce() -> Value) -> Value {
        let lock = || slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(value) = lock().take() {
            return value;
        }
        let value = make();
        *lock() = Some(value.clone());
        value
    }
}

/// The context of one page (besides the global `site`).
pub fn context(site: &Site, cards: &Cards, lists: &Lists, twins: &Twins, job: &Job) -> Context {
    let base = site.config.base_path();
    let per = site.config.per_page;
    let mut ctx = Context::new();
    let (title, page): (String, Value) = match &job.kind {
        PageKind::Home | PageKind::Item(ItemRef::Home) => {
            let featured = featured_projects(site);
            let home = page_value(site, cards, ItemRef::Home)
                .set(
                    "newest_events",
                    cards.list(
                        site.events_by_date
                            .iter()
                            .take(8)
                            .map(|&e| ItemRef::Event(e)),
                    ),
                )
                .set("featured_projects", cards.list(featured))
                .set(
                    "roots",
                    cards.list(site.roots.iter().map(|&u| ItemRef::Unit(u))),
                )
                .set(
                    "sections",
                    cards.list(
                        (0..site.sections.len())
                            .filter(|&s| site.sections[s].parent == Parent::Home)
                            .map(ItemRef::Section),
                    ),
                )
                .set("news", cards.list(newest_pages(site, 6)))
                .set(
                    "events_by_platform",
                    per_platform(site, cards, &site.rollup.events_by_platform),
                )
                .set("events_by_month", per_month(&site.rollup.events_by_month))
                .set(
                    "charts",
                    charts_value(site, &site.rollup, &site.roots, "各地志愿者人数"),
                )
                .build();
            ctx.insert_value("home", home.clone());
            (site.home.title.clone(), home)
        }
        PageKind::Item(item) => {
            let value = match *item {
                ItemRef::Unit(u) => twins.unit(site, cards, u),
                ItemRef::Project(p) => project_value(site, cards, p),
                ItemRef::Team(t) => team_value(site, cards, t),
                ItemRef::Event(e) => event_value(site, cards, e),
                ItemRef::Hall(h) => hall_value(site, cards, h),
                ItemRef::Zone(z) => twins.zone(site, cards, z),
                ItemRef::Exhibit(x) => exhibit_value(site, cards, x),
                ItemRef::Page(p) => {
                    let parent = match site.pages[p].parent {
                        Parent::Home => cards.home.clone(),
                        Parent::Section(s) => cards.sections[s].clone(),
                        Parent::Unit(u) => cards.units[u].clone(),
                        Parent::Hall(h) => cards.halls[h].clone(),
                    };
                    page_value(site, cards, *item).set("parent", parent).build()
                }
                ItemRef::Section(_) | ItemRef::Home => unreachable!("planned as listings"),
            };
            ctx.insert_value(item.kind(), value.clone());
            (site.meta(*item).title.clone(), value)
        }
        PageKind::Section(s, n) => {
            let section = &site.sections[*s];
            let items: Vec<ItemRef> = section.pages.iter().map(|&p| ItemRef::Page(p)).collect();
            let value = page_value(site, cards, ItemRef::Section(*s))
                .set(
                    "paginator",
                    paginator(cards, &items, *n, per, &section.meta.url),
                )
                .set(
                    "subsections",
                    cards.list(section.subsections.iter().map(|&x| ItemRef::Section(x))),
                )
                .build();
            ctx.insert_value("section", value.clone());
            (section.meta.title.clone(), value)
        }
        PageKind::UnitEvents(u, n) => {
            let unit = &site.units[*u];
            let items: Vec<ItemRef> = unit.events.iter().map(|&e| ItemRef::Event(e)).collect();
            let first = format!("{}events/", unit.meta.url);
            ctx.insert_value("unit", cards.units[*u].clone());
            ctx.insert_value("paginator", paginator(cards, &items, *n, per, &first));
            (format!("{}的活动", unit.meta.title), none())
        }
        PageKind::Projects(n) => {
            ctx.insert_value(
                "paginator",
                paginator(cards, &lists.projects, *n, per, &format!("{base}projects/")),
            );
            ("品牌项目".to_string(), none())
        }
        PageKind::Teams(n) => {
            ctx.insert_value(
                "paginator",
                paginator(cards, &lists.teams, *n, per, &format!("{base}teams/")),
            );
            ("志愿服务队伍".to_string(), none())
        }
        PageKind::Events(n) => {
            ctx.insert_value(
                "paginator",
                paginator(cards, &lists.events, *n, per, &format!("{base}events/")),
            );
            ctx.insert_value("years", years_value(site, lists));
            ctx.insert_value("year", none());
            ("活动".to_string(), none())
        }
        PageKind::EventsYear(year, n) => {
            let items = lists
                .years
                .iter()
                .find(|(y, _)| y == year)
                .map(|(_, i)| i.as_slice())
                .unwrap_or(&[]);
            ctx.insert_value(
                "paginator",
                paginator(cards, items, *n, per, &format!("{base}events/{year}/")),
            );
            ctx.insert_value("years", years_value(site, lists));
            ctx.insert_value("year", Value::from(i64::from(*year)));
            (format!("{year}年活动"), none())
        }
        PageKind::Units(n) => {
            let per_units = units_per_page(per);
            ctx.insert_value(
                "paginator",
                paginator(cards, &lists.units, *n, per_units, &format!("{base}units/")),
            );
            ("实践阵地".to_string(), none())
        }
        PageKind::Platforms => {
            let platforms = list(site.config.platforms.iter().zip(&lists.platforms).map(
                |(p, items)| {
                    let count = |f: fn(&ItemRef) -> bool| items.iter().filter(|i| f(i)).count();
                    Obj::new()
                        .set("key", p.key.as_str())
                        .set("name", p.name.as_str())
                        .set("url", format!("{base}platforms/{}/", p.key))
                        .set("units", count(|i| matches!(i, ItemRef::Unit(_))))
                        .set("projects", count(|i| matches!(i, ItemRef::Project(_))))
                        .set("teams", count(|i| matches!(i, ItemRef::Team(_))))
                        .set("events", count(|i| matches!(i, ItemRef::Event(_))))
                        .build()
                },
            ));
            ctx.insert_value("platforms", platforms);
            ("服务平台".to_string(), none())
        }
        PageKind::Platform(i, n) => {
            let p = &site.config.platforms[*i];
            ctx.insert_value("platform", cards.platform(Some(&p.key)));
            ctx.insert_value(
                "paginator",
                paginator(
                    cards,
                    &lists.platforms[*i],
                    *n,
                    per,
                    &format!("{base}platforms/{}/", p.key),
                ),
            );
            (p.name.clone(), none())
        }
        PageKind::Tags => {
            let tags = list(site.tags.iter().map(|t| {
                Obj::new()
                    .set("name", t.name.as_str())
                    .set("url", t.url.as_str())
                    .set("count", t.items.len())
                    .build()
            }));
            ctx.insert_value("tags", tags);
            ("标签".to_string(), none())
        }
        PageKind::Tag(i, n) => {
            let tag = &site.tags[*i];
            ctx.insert_value(
                "tag",
                Obj::new()
                    .set("name", tag.name.as_str())
                    .set("url", tag.url.as_str())
                    .set("count", tag.items.len())
                    .build(),
            );
            ctx.insert_value("paginator", paginator(cards, &tag.items, *n, per, &tag.url));
            (format!("标签：{}", tag.name), none())
        }
        PageKind::Map => {
            let located: Vec<ItemRef> = lists
                .units
                .iter()
                .copied()
                .filter(|i| matches!(i, ItemRef::Unit(u) if site.units[*u].location.is_some()))
                .collect();
            ctx.insert_value("units", cards.list(located.iter().copied()));
            ctx.insert_value("map", map_value(site, &located, lists.boundary.as_ref()));
            ("阵地地图".to_string(), none())
        }
        PageKind::Poster(u) => {
            let value = twins.unit(site, cards, *u);
            ctx.insert_value("unit", value.clone());
            (format!("{} · 宣传海报", site.units[*u].meta.title), value)
        }
        PageKind::Board(z) => {
            let value = twins.zone(site, cards, *z);
            ctx.insert_value("zone", value.clone());
            (format!("{} · 展板", site.zones[*z].meta.title), value)
        }
        PageKind::Search => ("搜索".to_string(), none()),
        PageKind::NotFound => ("页面未找到".to_string(), none()),
    };
    let title = if let (Some(n), true) = (page_number(&job.kind), title.is_empty()) {
        format!("第{n}页")
    } else {
        title
    };
    ctx.insert_value("title", Value::from(title.as_str()));
    ctx.insert_value("page", page);
    ctx.insert_value("url", Value::from(job.url.as_str()));
    ctx.insert_value("permalink", Value::from(site.config.permalink(&job.url)));
    ctx.insert_value("breadcrumb", breadcrumb(site, cards, job, &title));
    ctx.insert_value(
        "page_number",
        Value::from(page_number(&job.kind).unwrap_or(1)),
    );
    ctx
}

fn page_number(kind: &PageKind) -> Option<usize> {
    match kind {
        PageKind::Section(_, n)
        | PageKind::UnitEvents(_, n)
        | PageKind::Projects(n)
        | PageKind::Teams(n)
        | PageKind::Events(n)
        | PageKind::EventsYear(_, n)
        | PageKind::Units(n)
        | PageKind::Platform(_, n)
        | PageKind::Tag(_, n) => Some(*n),
        _ => None,
    }
}

fn years_value(site: &Site, lists: &Lists) -> Value {
    let base = site.config.base_path();
    list(lists.years.iter().map(|(y, items)| {
        Obj::new()
            .set("year", i64::from(*y))
            .set("count", items.len())
            .set("url", format!("{base}events/{y}/"))
            .build()
    }))
}

/// The map page: `{overview, areas: [{unit, svg, count}], unlocated}`: one map
/// of every located unit, then one per root unit with two or more.
fn map_value(site: &Site, located: &[ItemRef], boundary: Option<&super::map::Boundary>) -> Value {
    use super::map::{Marker, svg};
    let marker = |u: UnitId| {
        let unit = &site.units[u];
        let loc = unit.location.expect("located");
        let level = &site.config.levels[unit.level];
        Marker {
            lat: loc.lat,
            lon: loc.lon,
            title: unit.meta.title.clone(),
            label: short_name(site, &unit.meta.title),
            url: unit.meta.url.clone(),
            rank: unit.level,
            level: level.short.clone(),
        }
    };
    let units: Vec<UnitId> = located
        .iter()
        .filter_map(|i| match i {
            ItemRef::Unit(u) => Some(*u),
            _ => None,
        })
        .collect();
    // the overview labels only the top units; the areas' maps label more
    let overview: Vec<Marker> = units
        .iter()
        .map(|&u| {
            let mut m = marker(u);
            if site.units[u].parent.is_some() {
                m.label.clear();
            }
            m
        })
        .collect();
    let html = |h: Option<String>| h.map(|h| safe(&h)).unwrap_or_else(none);
    let areas = list(site.roots.iter().filter_map(|&root| {
        let inside: Vec<Marker> = units
            .iter()
            .filter(|&&u| site.is_under(u, root))
            .map(|&u| marker(u))
            .collect();
        (inside.len() >= 2).then(|| {
            let title = &site.units[root].meta.title;
            Obj::new()
                .set("unit", site.units[root].meta.url.as_str())
                .set("title", title.as_str())
                .set("count", inside.len())
                .set(
                    "svg",
                    html(svg(
                        &inside,
                        boundary,
                        &format!("{title}及下级阵地分布图"),
                        false,
                    )),
                )
                .build()
        })
    }));
    let unlocated: Vec<ItemRef> = preorder(site)
        .into_iter()
        .filter(|i| matches!(i, ItemRef::Unit(u) if site.units[*u].location.is_none()))
        .collect();
    Obj::new()
        .set(
            "overview",
            html(svg(&overview, boundary, "全部阵地分布图", true)),
        )
        .set("areas", areas)
        .set("unlocated_count", unlocated.len())
        .build()
}

/// Every unit, parents before children (the `/units/` tree).
pub fn preorder(site: &Site) -> Vec<ItemRef> {
    let mut out = Vec::with_capacity(site.units.len());
    let mut stack: Vec<UnitId> = site.roots.iter().rev().copied().collect();
    while let Some(u) = stack.pop() {
        out.push(ItemRef::Unit(u));
        stack.extend(site.units[u].children.iter().rev());
    }
    out
}

/// Projects with a weight first, then the most awarded.
fn featured_projects(site: &Site) -> Vec<ItemRef> {
    let mut ids: Vec<ProjectId> = (0..site.projects.len()).collect();
    ids.sort_by_cached_key(|&p| {
        let pr = &site.projects[p];
        (
            pr.meta.weight.unwrap_or(i64::MAX),
            std::cmp::Reverse(pr.awards.len()),
            pr.meta.title.clone(),
            pr.meta.url.clone(),
        )
    });
    ids.into_iter().take(6).map(ItemRef::Project).collect()
}

/// The newest dated plain pages (news).
pub fn newest_pages(site: &Site, n: usize) -> Vec<ItemRef> {
    let mut dated: Vec<PageId> = (0..site.pages.len())
        .filter(|&p| site.pages[p].meta.date.is_some())
        .collect();
    dated.sort_by_cached_key(|&p| {
        (
            std::cmp::Reverse(site.pages[p].meta.date.clone()),
            site.pages[p].meta.title.clone(),
        )
    });
    dated.into_iter().take(n).map(ItemRef::Page).collect()
}

#[cfg(test)]
mod tests {
    use super::page_links;

    #[test]
    fn long_listings_link_a_window_of_pages() {
        assert_eq!(page_links(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(page_links(5, 9).len(), 9);
        assert_eq!(
            page_links(1, 100),
            vec![Some(1), Some(2), Some(3), None, Some(100)]
        );
        assert_eq!(
            page_links(50, 100),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        assert_eq!(
            page_links(100, 100),
            vec![Some(1), None, Some(98), Some(99), Some(100)]
        );
    }
}
