//! Tags: every tag written on an item, grouped by its slug.

use crate::model::{ItemRef, Site, Tag, newest_first};
use crate::slug::slugify;
use rayon::prelude::*;
use std::collections::HashMap;

/// Fills [`Site::tags`]: by slug, each with its items newest first.
pub fn tags(site: &mut Site) {
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
    // a network writes the same few hundred tags on 100,000 items: each
    // distinct name is slugged and looked up once
    let mut tags: Vec<Tag> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for item in items {
        let mut seen: Vec<usize> = Vec::new();
        for name in &site.meta(item).tags {
            let t = *by_name.entry(name.as_str()).or_insert_with(|| {
                let mut slug = slugify(name, site.config.slugs);
                if slug.is_empty() {
                    slug = format!("t-{}", crate::images::short_hash(name));
                }
                *by_slug.entry(slug).or_insert_with_key(|slug| {
                    tags.push(Tag {
                        name: name.clone(),
                        url: format!("{base}tags/{slug}/"),
                        slug: slug.clone(),
                        items: Vec::new(),
                    });
                    tags.len() - 1
                })
            });
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            let tag = &mut tags[t];
            if name < &tag.name {
                tag.name = name.clone();
            }
            tag.items.push(item);
        }
    }
    tags.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    let site_ref: &Site = site;
    tags.par_iter_mut().for_each(|tag| {
        tag.items
            .sort_by(|&a, &b| newest_first(site_ref.meta(a), site_ref.meta(b)));
    });
    site.tags = tags;
}
