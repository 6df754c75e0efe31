//! Tags: every tag written on an item, grouped by its slug.

use crate::model::{ItemRef, Site, Tag};
use crate::slug::slugify;
use std::collections::BTreeMap;

/// Fills [`Site::tags`]: by slug, each with its items newest first.
pub fn tags(site: &mut Site) {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    let base = site.config.base_path().to_string();
    let items: Vec<ItemRef> = site
        .items()
        .filter(|i| {
            !matches!(
                i,
                ItemRef::Home | ItemRef::Section(_) | ItemRef::Hall(_) | ItemRef::Zone(_)
            )
        })
        .filter(|i| !matches!(i, ItemRef::Exhibit(x) if site.exhibits[*x].origin.is_some()))
        .collect();
    // a network writes the same few hundred tags on 100,000 items: slug each once
    let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for item in items {
        let mut seen = Vec::new();
        for name in &site.meta(item).tags {
            let slug = slugs
                .entry(name.as_str())
                .or_insert_with(|| {
                    let slug = slugify(name, site.config.slugs);
                    if slug.is_empty() {
                        format!("t-{}", crate::images::short_hash(name))
                    } else {
                        slug
                    }
                })
                .clone();
            if seen.contains(&slug) {
                continue;
            }
            seen.push(slug.clone());
            let tag = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                url: format!("{base}tags/{slug}/"),
                slug,
                items: Vec::new(),
            });
            if name < &tag.name {
                tag.name = name.clone();
            }
            tag.items.push(item);
        }
    }
    for tag in by_slug.values_mut() {
        tag.items.sort_by_cached_key(|&i| {
            let m = site.meta(i);
            (
                std::cmp::Reverse(m.date.clone()),
                m.title.clone(),
                m.url.clone(),
            )
        });
    }
    site.tags = by_slug.into_values().collect();
}
