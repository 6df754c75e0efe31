//! Feeds and files for crawlers: `atom.xml`, `sitemap.xml`, `robots.txt`.

use super::cards::Cards;
use super::pages::{Job, PageKind};
use super::value::{Obj, list};
use super::{Contents, OutputFile, percent_encode, template_error};
use crate::diagnostics::Diagnostics;
use crate::model::{ItemRef, Site};
use crate::theme::Theme;
use tera::{Context, Tera};

/// How many entries the Atom feed lists.
const FEED_ENTRIES: usize = 30;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

pub fn render(
    site: &Site,
    tera: &Tera,
    cards: &Cards,
    jobs: &[Job],
    theme: &Theme,
    diagnostics: &Diagnostics,
    out: &mut dyn FnMut(OutputFile),
) {
    let base = site.config.base_path();
    let mut emit = |template: &str, output: String, ctx: Context| match tera.render(template, &ctx)
    {
        Ok(text) => out(OutputFile {
            path: output,
            contents: Contents::Bytes(text.into_bytes()),
        }),
        Err(e) => diagnostics.push(template_error(&e, theme, template)),
    };

    // Atom: the newest events and dated pages
    let mut entries: Vec<ItemRef> = site
        .events_by_date
        .iter()
        .take(FEED_ENTRIES)
        .map(|&e| ItemRef::Event(e))
        .collect();
    entries.extend(super::pages::newest_pages(site, FEED_ENTRIES));
    entries.sort_by(|&a, &b| crate::model::newest_first(site.meta(a), site.meta(b)));
    entries.truncate(FEED_ENTRIES);
    let updated = entries
        .first()
        .and_then(|&i| site.meta(i).date.as_ref())
        .map_or("1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let feed_entries = list(entries.iter().map(|&i| {
        let m = site.meta(i);
        Obj::extend(&cards.get(i))
            .set("id", percent_encode(&site.config.permalink(&m.url)))
            .set("updated", m.date.as_ref().map(|d| d.rfc3339()))
            .build()
    }));
    let mut ctx = Context::new();
    ctx.insert_value("entries", feed_entries);
    ctx.insert_value("updated", updated.into());
    ctx.insert_value(
        "feed_url",
        percent_encode(&site.config.permalink(&format!("{base}atom.xml"))).into(),
    );
    ctx.insert_value(
        "home_url",
        percent_encode(&site.config.permalink(base)).into(),
    );
    emit("atom.xml", "atom.xml".into(), ctx);

    // sitemap: every page but the 404 and the posters, split as the protocol
    // says; each file's entries made only while it is rendered (a value per
    // URL of a 200,000-page site is some 90 MB)
    let pages: Vec<&Job> = jobs
        .iter()
        .filter(|j| {
            !matches!(
                j.kind,
                PageKind::NotFound | PageKind::Poster(_) | PageKind::Board(_)
            )
        })
        .collect();
    let urls = |chunk: &[&Job]| {
        list(chunk.iter().map(|j| {
            let lastmod = j
                .item
                .and_then(|i| site.meta(i).date.as_ref())
                .map(|d| d.ymd());
            Obj::new()
                .set("loc", percent_encode(&site.config.permalink(&j.url)))
                .set("lastmod", lastmod)
                .build()
        }))
    };
    if pages.len() <= SITEMAP_URLS {
        let mut ctx = Context::new();
        ctx.insert_value("urls", urls(&pages));
        emit("sitemap.xml", "sitemap.xml".into(), ctx);
    } else {
        let mut maps = Vec::new();
        for (i, chunk) in pages.chunks(SITEMAP_URLS).enumerate() {
            let name = format!("sitemap-{}.xml", i + 1);
            let mut ctx = Context::new();
            ctx.insert_value("urls", urls(chunk));
            emit("sitemap.xml", name.clone(), ctx);
            maps.push(
                Obj::new()
                    .set(
                        "loc",
                        percent_encode(&site.config.permalink(&format!("{base}{name}"))),
                    )
                    .build(),
            );
        }
        let mut ctx = Context::new();
        ctx.insert_value("sitemaps", list(maps));
        emit("sitemap_index.xml", "sitemap.xml".into(), ctx);
    }

    let mut ctx = Context::new();
    ctx.insert_value(
        "sitemap_url",
        percent_encode(&site.config.permalink(&format!("{base}sitemap.xml"))).into(),
    );
    emit("robots.txt", "robots.txt".into(), ctx);
}
