//! Cards: the short template value of every item (title, URL, summary, cover,
//! key figures), built once and shared by every page that lists the item.

use super::value::{Obj, list, map, none};
use crate::model::*;
use crate::slug::slugify;
use rayon::prelude::*;
use std::collections::HashMap;
use tera::Value;

/// The cards of a site, by item.
pub struct Cards {
    pub home: Value,
    pub units: Vec<Value>,
    pub projects: Vec<Value>,
    pub teams: Vec<Value>,
    pub events: Vec<Value>,
    pub pages: Vec<Value>,
    pub sections: Vec<Value>,
    pub halls: Vec<Value>,
    pub zones: Vec<Value>,
    pub exhibits: Vec<Value>,
    /// Platform key → `{key, name, url}`.
    pub platforms: HashMap<String, Value>,
    /// Tag name as written → `{name, url}`, one value shared by every card
    /// that carries the tag.
    pub tags: HashMap<String, Value>,
    /// Level rank → `{key, name, short, rank}`.
    pub levels: Vec<Value>,
    /// The breadcrumbs' `{title, url}` of the home page (a unit's crumb is its card).
    pub home_crumb: Value,
    /// By level rank: the roll-up counts of a unit without children, and
    /// their value, shared by the cards of all such units.
    lone_counts: Vec<(Tally, Value)>,
}

/// A card per item, made by every thread: freed by every thread too (freeing
/// them one by one was a tenth of a 10,000-page build's serial time).
impl Drop for Cards {
    fn drop(&mut self) {
        let lists = [
            std::mem::take(&mut self.units),
            std::mem::take(&mut self.projects),
            std::mem::take(&mut self.teams),
            std::mem::take(&mut self.events),
            std::mem::take(&mut self.pages),
            std::mem::take(&mut self.exhibits),
        ];
        for list in lists {
            list.into_par_iter().with_min_len(1024).for_each(drop);
        }
    }
}

impl Cards {
    pub fn build(site: &Site) -> Cards {
        let base = site.config.base_path();
        let platforms: HashMap<String, Value> = site
            .config
            .platforms
            .iter()
            .map(|p| {
                let v = Obj::new()
                    .set("key", p.key.as_str())
                    .set("name", p.name.as_str())
                    .set("url", format!("{base}platforms/{}/", p.key))
                    .build();
                (p.key.clone(), v)
            })
            .collect();
        // the first tag of each slug and of each name (a site may have thousands)
        let (mut by_slug, mut by_name) = (HashMap::new(), HashMap::new());
        for tag in &site.tags {
            by_slug.entry(tag.slug.as_str()).or_insert(tag);
            by_name.entry(tag.name.as_str()).or_insert(tag);
        }
        let mut tags = HashMap::new();
        for item in site.items() {
            for name in &site.meta(item).tags {
                if !tags.contains_key(name) {
                    let slug = slugify(name, site.config.slugs);
                    let url = by_slug
                        .get(slug.as_str())
                        .or_else(|| by_name.get(name.as_str()))
                        .map(|tag| tag.url.as_str())
                        .unwrap_or_default();
                    let value = Obj::new()
                        .set("name", name.as_str())
                        .set("url", url)
                        .build();
                    tags.insert(name.clone(), value);
                }
            }
        }
        let levels = (site.config.levels.iter().enumerate())
            .map(|(rank, level)| {
                Obj::new()
                    .set("key", level.key.as_str())
                    .set("name", level.name.as_str())
                    .set("short", level.short.as_str())
                    .set("rank", rank)
                    .build()
            })
            .collect();
        let lone_counts = (site.config.levels.iter())
            .map(|level| {
                let mut lone = Tally::default();
                lone.add(&level.key.as_str().into(), 1);
                let value = counts(&lone);
                (lone, value)
            })
            .collect();
        let mut cards = Cards {
            home: none(),
            units: Vec::new(),
            projects: Vec::new(),
            teams: Vec::new(),
            events: Vec::new(),
            pages: Vec::new(),
            sections: Vec::new(),
            halls: Vec::new(),
            zones: Vec::new(),
            exhibits: Vec::new(),
            platforms,
            tags,
            levels,
            home_crumb: super::pages::crumb("首页", base),
            lone_counts,
        };
        cards.home = cards.card_of(site, ItemRef::Home);
        cards.units = (0..site.units.len())
            .into_par_iter()
            .map(|u| unit_card(site, &cards, u))
            .collect();
        cards.halls = (0..site.halls.len())
            .map(|h| hall_card(site, &cards, h))
            .collect();
        cards.zones = (0..site.zones.len())
            .map(|z| zone_card(site, &cards, z))
            .collect();
        cards.projects = (0..site.projects.len())
            .into_par_iter()
            .map(|p| project_card(site, &cards, p))
            .collect();
        cards.teams = (0..site.teams.len())
            .into_par_iter()
            .map(|t| team_card(site, &cards, t))
            .collect();
        cards.events = (0..site.events.len())
            .into_par_iter()
            .map(|e| event_card(site, &cards, e))
            .collect();
        cards.pages = (0..site.pages.len())
            .into_par_iter()
            .map(|p| cards.card_of(site, ItemRef::Page(p)))
            .collect();
        cards.sections = (0..site.sections.len())
            .map(|s| cards.card_of(site, ItemRef::Section(s)))
            .collect();
        cards.exhibits = (0..site.exhibits.len())
            .into_par_iter()
            .map(|x| exhibit_card(site, &cards, x))
            .collect();
        cards
    }

    /// Builds the card of one item anew from `site`, with the other cards of
    /// `self` (a unit's card inside an event's…): what [`Cards::build`] would
    /// make for it.
    pub fn card_of(&self, site: &Site, item: ItemRef) -> Value {
        match item {
            ItemRef::Home => common(site, self, ItemRef::Home).build(),
            ItemRef::Unit(u) => unit_card(site, self, u),
            ItemRef::Project(p) => project_card(site, self, p),
            ItemRef::Team(t) => team_card(site, self, t),
            ItemRef::Event(e) => event_card(site, self, e),
            ItemRef::Page(p) => common(site, self, ItemRef::Page(p)).build(),
            ItemRef::Section(s) => common(site, self, ItemRef::Section(s))
                .set("page_count", site.sections[s].pages.len())
                .build(),
            ItemRef::Hall(h) => hall_card(site, self, h),
            ItemRef::Zone(z) => zone_card(site, self, z),
            ItemRef::Exhibit(x) => exhibit_card(site, self, x),
        }
    }

    pub fn get(&self, item: ItemRef) -> Value {
        match item {
            ItemRef::Home => self.home.clone(),
            ItemRef::Unit(i) => self.units[i].clone(),
            ItemRef::Project(i) => self.projects[i].clone(),
            ItemRef::Team(i) => self.teams[i].clone(),
            ItemRef::Event(i) => self.events[i].clone(),
            ItemRef::Page(i) => self.pages[i].clone(),
            ItemRef::Section(i) => self.sections[i].clone(),
            ItemRef::Hall(i) => self.halls[i].clone(),
            ItemRef::Zone(i) => self.zones[i].clone(),
            ItemRef::Exhibit(i) => self.exhibits[i].clone(),
        }
    }

    pub fn platform(&self, key: Option<&str>) -> Value {
        key.and_then(|k| self.platforms.get(k).cloned())
            .unwrap_or_else(none)
    }

    pub fn list(&self, items: impl IntoIterator<Item = ItemRef>) -> Value {
        list(items.into_iter().map(|i| self.get(i)))
    }
}

/// An image as templates see it.
pub fn image(site: &Site, id: ImageId, alt: &str, caption: Option<&str>) -> Value {
    let img = &site.images[id];
    let best = crate::images::largest(img);
    let srcset_of = |format: &str| crate::images::srcset(img, format);
    let mut formats: Vec<&str> = img.variants.iter().map(|v| v.format.as_str()).collect();
    formats.dedup();
    let sources = list(formats.iter().filter(|f| **f != best.format).map(|f| {
        Obj::new()
            .set("type", format!("image/{f}"))
            .set("srcset", srcset_of(f))
            .build()
    }));
    let smallest = img
        .variants
        .iter()
        .filter(|v| v.format == best.format)
        .map(|v| v.url.as_str())
        .next()
        .unwrap_or(&best.url);
    Obj::new()
        .set("src", best.url.as_str())
        .set("thumb", smallest)
        .set("width", best.width)
        .set("height", best.height)
        .set("srcset", srcset_of(&best.format))
        .set("sources", sources)
        .set("alt", alt)
        .set("caption", caption.map(str::to_string))
        .build()
}

/// The picture values of a list of pictures.
pub fn pictures(site: &Site, pics: &[Picture]) -> Value {
    list(
        pics.iter()
            .map(|p| image(site, p.image, &p.alt, p.caption.as_deref())),
    )
}

/// Fields every card has.
fn common(site: &Site, cards: &Cards, item: ItemRef) -> Obj {
    let m = site.meta(item);
    let tags = list(m.tags.iter().map(|t| {
        (cards.tags.get(t).cloned())
            .unwrap_or_else(|| Obj::new().set("name", t.as_str()).set("url", "").build())
    }));
    let cover = m
        .cover
        .map(|c| image(site, c, &m.title, None))
        .unwrap_or_else(none);
    Obj::new()
        .set("kind", item.kind())
        .set("title", m.title.as_str())
        .set("url", m.url.as_str())
        .set("permalink", site.config.permalink(&m.url))
        .set("summary", m.summary.as_str())
        .set("date", m.date.as_ref().map(|d| d.ymd()))
        .set("date_cn", m.date.as_ref().map(|d| d.chinese()))
        .set("year", m.date.as_ref().map(|d| i64::from(d.year())))
        .set("tags", tags)
        .set("cover", cover)
        .set("weight", m.weight)
        .set("draft", m.draft)
        .set("extra", super::value::from_yaml(&m.extra))
}

fn counts(tally: &Tally) -> Value {
    map(tally.iter().map(|(k, v)| (k, Value::from(v))))
}

/// Figures with the common ones first (volunteers, teams, activities, served…
/// in the order of the built-in labels), then the others by name.
pub fn stats<'a>(figures: impl IntoIterator<Item = (&'a str, u64)>) -> Value {
    let rank = |k: &str| {
        super::STAT_LABELS
            .iter()
            .position(|(key, _)| *key == k)
            .unwrap_or(usize::MAX)
    };
    let mut entries: Vec<(&str, u64)> = figures.into_iter().collect();
    entries.sort_by_key(|&(k, _)| (rank(k), k));
    map(entries.into_iter().map(|(k, v)| (k, Value::from(v))))
}

fn unit_card(site: &Site, cards: &Cards, u: UnitId) -> Value {
    let unit = &site.units[u];
    let own = stats(unit.stats.iter().map(|(k, v)| (k.as_str(), *v)));
    // most units have no children: their totals are their own figures, and
    // their counts those of every other childless unit of their level
    let totals = if unit.rollup.totals.same_as(&unit.stats) {
        own.clone()
    } else {
        stats(unit.rollup.totals.iter())
    };
    let counts = match cards.lone_counts.get(unit.level) {
        Some((lone, value)) if *lone == unit.rollup.counts => value.clone(),
        _ => counts(&unit.rollup.counts),
    };
    common(site, cards, ItemRef::Unit(u))
        .set("level", cards.levels[unit.level].clone())
        .set("path", unit.path.as_str())
        .set("depth", unit.depth)
        .set("stats", own)
        .set("totals", totals)
        .set("counts", counts)
        .set("events_count", unit.rollup.events_count)
        .set("own_events_count", unit.events.len())
        .set("participants", unit.rollup.participants)
        .set("children_count", unit.children.len())
        .set(
            "location",
            unit.location
                .map(|l| Obj::new().set("lat", l.lat).set("lon", l.lon).build())
                .unwrap_or_else(none),
        )
        .set("address", unit.address.clone())
        .set(
            "established",
            unit.established.as_ref().map(|e| e.to_string()),
        )
        .set("rating", unit.rating)
        .set(
            "platforms",
            list(unit.platforms.iter().map(|p| cards.platform(Some(p)))),
        )
        .build()
}

fn unit_ref(cards: &Cards, unit: Option<UnitId>) -> Value {
    unit.map(|u| cards.units[u].clone()).unwrap_or_else(none)
}

fn project_card(site: &Site, cards: &Cards, p: ProjectId) -> Value {
    let project = &site.projects[p];
    common(site, cards, ItemRef::Project(p))
        .set("platform", cards.platform(project.platform.as_deref()))
        .set("since", project.since.as_ref().map(|s| s.to_string()))
        .set("unit", unit_ref(cards, Some(project.unit)))
        .set("awards_count", project.awards.len())
        .set("events_count", project.events.len())
        .build()
}

/// The Chinese name of a team kind.
pub fn team_kind_label(kind: Option<&str>) -> Option<String> {
    kind.map(|k| match k {
        "lecture" => "宣讲团".to_string(),
        "volunteer" => "志愿服务队".to_string(),
        "expert" => "专家服务团".to_string(),
        other => other.to_string(),
    })
}

fn team_card(site: &Site, cards: &Cards, t: TeamId) -> Value {
    let team = &site.teams[t];
    common(site, cards, ItemRef::Team(t))
        .set("platform", cards.platform(team.platform.as_deref()))
        .set("team_kind", team.kind.clone())
        .set("team_kind_label", team_kind_label(team.kind.as_deref()))
        .set("members", team.members)
        .set("founded", team.founded.as_ref().map(|s| s.to_string()))
        .set("unit", unit_ref(cards, Some(team.unit)))
        .set("events_count", team.events.len())
        .build()
}

fn event_card(site: &Site, cards: &Cards, e: EventId) -> Value {
    let event = &site.events[e];
    common(site, cards, ItemRef::Event(e))
        .set("platform", cards.platform(event.platform.as_deref()))
        .set("participants", event.participants)
        .set("place", event.place.clone())
        .set("end_date", event.end_date.as_ref().map(|d| d.ymd()))
        .set("end_date_cn", event.end_date.as_ref().map(|d| d.chinese()))
        .set("month", event.date().month_key())
        .set("unit", unit_ref(cards, Some(event.unit)))
        .set("photo_count", event.photos.len())
        .build()
}

fn hall_card(site: &Site, cards: &Cards, h: HallId) -> Value {
    let hall = &site.halls[h];
    common(site, cards, ItemRef::Hall(h))
        .set("opens", hall.opens.as_ref().map(|d| d.ymd()))
        .set("closes", hall.closes.as_ref().map(|d| d.ymd()))
        .set("opens_cn", hall.opens.as_ref().map(|d| d.chinese()))
        .set("closes_cn", hall.closes.as_ref().map(|d| d.chinese()))
        .set("zone_count", hall.zones.len())
        .set("exhibit_count", hall.tour.len())
        .set(
            "first_url",
            hall.tour
                .first()
                .map(|&x| site.exhibits[x].meta.url.clone()),
        )
        .build()
}

fn zone_card(site: &Site, cards: &Cards, z: ZoneId) -> Value {
    let zone = &site.zones[z];
    let mut card = common(site, cards, ItemRef::Zone(z));
    if site.zones[z].meta.cover.is_none() {
        // a zone without a cover shows its first exhibit's
        let first = zone
            .exhibits
            .iter()
            .find_map(|&x| site.exhibits[x].meta.cover);
        card.insert(
            "cover",
            first
                .map(|c| image(site, c, &zone.meta.title, None))
                .unwrap_or_else(none),
        );
    }
    card.set("number", zone.number)
        .set("exhibit_count", zone.exhibits.len())
        .set(
            "first_url",
            zone.exhibits
                .first()
                .map(|&x| site.exhibits[x].meta.url.clone()),
        )
        .set(
            "hall",
            Obj::new()
                .set("title", site.halls[zone.hall].meta.title.as_str())
                .set("url", site.halls[zone.hall].meta.url.as_str())
                .build(),
        )
        .build()
}

fn exhibit_card(site: &Site, cards: &Cards, x: ExhibitId) -> Value {
    let exhibit = &site.exhibits[x];
    let zone = &site.zones[exhibit.zone];
    let medium = exhibit.medium.clone().or_else(|| {
        exhibit.origin.map(|o| match o {
            ItemRef::Project(_) => "品牌项目".to_string(),
            ItemRef::Team(_) => "志愿队伍".to_string(),
            ItemRef::Event(_) => "活动".to_string(),
            other => other.kind().to_string(),
        })
    });
    common(site, cards, ItemRef::Exhibit(x))
        .set("medium", medium)
        .set("author", exhibit.author.clone())
        .set("year", exhibit.year.clone())
        .set("unit", unit_ref(cards, exhibit.unit))
        .set("zone", cards.zones[exhibit.zone].clone())
        .set("position", exhibit.position + 1)
        .set("zone_total", zone.exhibits.len())
        .set("has_video", exhibit.video.is_some())
        .set("origin_kind", exhibit.origin.map(|o| o.kind()))
        .set(
            "origin_url",
            exhibit.origin.map(|o| site.meta(o).url.clone()),
        )
        .build()
}
