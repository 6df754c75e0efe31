//! The cloud exhibition hall: zones in order, `include:` queries turned into
//! exhibits, and the walk-through that links every exhibit to the next.

use super::refs::{RefIndex, Target};
use crate::diagnostics::Diagnostics;
use crate::load::front_matter::{Include, IncludeKind};
use crate::model::*;
use crate::slug::slugify;
use crate::yaml::{self, Segment};
use std::collections::{HashMap, HashSet};

/// Orders zones and exhibits, runs the zones' queries and links the walk-through.
/// `zones` gives each zone's source and `include:` as written.
pub fn build(
    site: &mut Site,
    zones: &HashMap<ZoneId, (usize, Option<Include>)>,
    index: &RefIndex,
    diagnostics: &Diagnostics,
) {
    for z in 0..site.zones.len() {
        let Some((source, Some(include))) = zones.get(&z) else {
            continue;
        };
        let query = resolve_query(site, *source, include, index, diagnostics);
        let matches = run_query(site, &query);
        if matches.is_empty() && query.limit != Some(0) {
            let s = &site.sources[*source];
            let at = yaml::locate(s.front_matter(), &[Segment::Key("include".into())]);
            diagnostics.push(s.warning_at(
                at,
                "`include:` matches nothing: check its kinds, platforms, tags and `under:`",
            ));
        }
        site.zones[z].include = Some(query);
        let mut taken: HashSet<String> = site.zones[z]
            .exhibits
            .iter()
            .map(|&x| site.exhibits[x].meta.slug.clone())
            .collect();
        for item in matches {
            add_included(site, z, item, &mut taken);
        }
    }
    for h in 0..site.halls.len() {
        let mut zone_ids = site.halls[h].zones.clone();
        zone_ids.sort_by_cached_key(|&z| {
            let m = &site.zones[z].meta;
            (
                m.weight.unwrap_or(i64::MAX),
                m.title.clone(),
                site.zones[z].path.clone(),
            )
        });
        let mut tour = Vec::new();
        for (n, &z) in zone_ids.iter().enumerate() {
            site.zones[z].number = n + 1;
            let mut exhibits = site.zones[z].exhibits.clone();
            exhibits.sort_by_cached_key(|&x| order_key(&site.exhibits[x].meta));
            for (position, &x) in exhibits.iter().enumerate() {
                site.exhibits[x].position = position;
            }
            tour.extend(exhibits.iter().copied());
            site.zones[z].exhibits = exhibits;
        }
        for (i, &x) in tour.iter().enumerate() {
            site.exhibits[x].prev = i.checked_sub(1).map(|p| tour[p]);
            site.exhibits[x].next = tour.get(i + 1).copied();
        }
        site.halls[h].zones = zone_ids;
        site.halls[h].tour = tour;
    }
}

/// The stable order of a zone: weight, then newest date, then title.
pub fn order_key(
    m: &Meta,
) -> (
    i64,
    std::cmp::Reverse<Option<crate::date::Date>>,
    String,
    String,
) {
    (
        m.weight.unwrap_or(i64::MAX),
        std::cmp::Reverse(m.date.clone()),
        m.title.clone(),
        m.url.clone(),
    )
}

fn resolve_query(
    site: &Site,
    source: usize,
    include: &Include,
    index: &RefIndex,
    diagnostics: &Diagnostics,
) -> Query {
    let mut kinds = include
        .kinds
        .clone()
        .unwrap_or_else(|| vec![IncludeKind::Project, IncludeKind::Team, IncludeKind::Event]);
    kinds.sort();
    kinds.dedup();
    let under =
        include
            .under
            .as_ref()
            .and_then(|u| match index.lookup(site, Target::Unit, &u.0, None) {
                Ok(ItemRef::Unit(id)) => Some(id),
                Ok(_) => None,
                Err(m) => {
                    let s = &site.sources[source];
                    let at = yaml::locate(
                        s.front_matter(),
                        &[Segment::Key("include".into()), Segment::Key("under".into())],
                    );
                    diagnostics.push(s.error_at(at, m));
                    None
                }
            });
    Query {
        kinds,
        platforms: include.platforms.clone().unwrap_or_default(),
        tags: include.tags.iter().flatten().map(|t| t.0.clone()).collect(),
        under,
        limit: include.limit,
    }
}

/// The items a query matches, in the zone's order, limited.
fn run_query(site: &Site, q: &Query) -> Vec<ItemRef> {
    let mut found: Vec<ItemRef> = Vec::new();
    for kind in &q.kinds {
        match kind {
            IncludeKind::Project => found.extend((0..site.projects.len()).map(ItemRef::Project)),
            IncludeKind::Team => found.extend((0..site.teams.len()).map(ItemRef::Team)),
            IncludeKind::Event => found.extend((0..site.events.len()).map(ItemRef::Event)),
        }
    }
    // tags match as the tag pages do: by slug, so 志愿服务 and「志愿服务 」are one tag
    let style = site.config.slugs;
    let tags: HashSet<String> = q.tags.iter().map(|t| slugify(t, style)).collect();
    found.retain(|&item| {
        let platform = match item {
            ItemRef::Project(p) => site.projects[p].platform.as_deref(),
            ItemRef::Team(t) => site.teams[t].platform.as_deref(),
            ItemRef::Event(e) => site.events[e].platform.as_deref(),
            _ => None,
        };
        let meta = site.meta(item);
        (q.platforms.is_empty() || platform.is_some_and(|p| q.platforms.iter().any(|x| x == p)))
            && (tags.is_empty() || meta.tags.iter().any(|t| tags.contains(&slugify(t, style))))
            && q.under
                .is_none_or(|u| site.owner_unit(item).is_some_and(|o| site.is_under(o, u)))
    });
    found.sort_by_cached_key(|&item| order_key(site.meta(item)));
    if let Some(limit) = q.limit {
        found.truncate(limit);
    }
    found
}

/// Adds an exhibit to zone `z` that shows `item`; `taken` holds the zone's slugs.
fn add_included(site: &mut Site, z: ZoneId, item: ItemRef, taken: &mut HashSet<String>) {
    let zone_url = site.zones[z].meta.url.clone();
    let origin = site.meta(item).clone();
    let mut slug = origin.slug.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{}-{n}", origin.slug);
        n += 1;
    }
    taken.insert(slug.clone());
    let images = match item {
        ItemRef::Event(e) => site.events[e].photos.clone(),
        ItemRef::Project(p) => site.projects[p].gallery.clone(),
        _ => Vec::new(),
    };
    let meta = Meta {
        source: None,
        url: format!("{zone_url}{slug}/"),
        slug,
        body: Body::default(),
        extra: yaml::Value::Mapping(Default::default()),
        ..origin
    };
    site.exhibits.push(Exhibit {
        meta,
        zone: z,
        medium: None,
        author: None,
        year: None,
        unit: site.owner_unit(item),
        images,
        video: None,
        poster: None,
        origin: Some(item),
        position: 0,
        prev: None,
        next: None,
    });
    let id = site.exhibits.len() - 1;
    site.zones[z].exhibits.push(id);
}
