//! The runner of `benches/search_compare.sh` (ignored by `cargo test`):
//! drives yunzhan's search page and Pagefind's JavaScript API in headless
//! Chromium over HTTP, on one built site that has both indexes, and prints
//! how often the right page is in the top 5 and how many bytes each query
//! fetched (each query in a fresh tab with the cache disabled).
//!
//! Environment: `COMPARE_SITE` (the built site, with `search/` and
//! `pagefind/`), `COMPARE_QUERIES` (a TSV of `set, query, expected URL
//! path`), `COMPARE_NAME` (a label).

#[path = "support/chromium.rs"]
mod browser;

use browser::{Chromium, StaticServer, Tab, js_string};
use chromiumoxide::cdp::browser_protocol::network::SetCacheDisabledParams;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// A page that exposes Pagefind's API as `window.run(query)` → top 5 URLs.
const HARNESS: &str = r#"<!DOCTYPE html><meta charset="utf-8"><title>pagefind</title>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
window.run = async (q) => {
  const search = await pagefind.search(q);
  const top = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
  return top.map(d => d.url);
};
window.ready = true;
</script>"#;

struct Query {
    set: String,
    text: String,
    expected: String,
}

fn queries(path: &Path) -> Vec<Query> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Query {
                set: f[0].into(),
                text: f[1].into(),
                expected: f[2].into(),
            }
        })
        .collect()
}

/// Bytes of the files a tab fetched, by category (sizes on disk, so that
/// HTTP headers do not count): (engine code, index data).
fn fetched(tab: &Tab, server: &str, site: &Path) -> (u64, u64, Vec<String>) {
    let (mut code, mut data, mut files) = (0, 0, Vec::new());
    for (url, _) in tab.received() {
        let Some(rel) = url.strip_prefix(server) else {
            continue;
        };
        let rel = rel.split(['?', '#']).next().unwrap_or("");
        let file: PathBuf = site.join(rel);
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        let size = meta.len();
        let is_code = rel == "assets/search.js"
            || rel.starts_with("pagefind/pagefind")
                && (rel.ends_with(".js") || rel.ends_with(".css"))
            || rel.starts_with("pagefind/wasm.");
        let is_data = rel.starts_with("search/") && rel.ends_with(".js")
            || rel.starts_with("pagefind/") && !is_code;
        if is_code {
            code += size;
        } else if is_data {
            data += size;
        } else {
            continue;
        }
        files.push(format!("{rel} {size}"));
    }
    (code, data, files)
}

fn dir_size(dir: &Path, keep: &dyn Fn(&str) -> bool) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p.file_name().unwrap_or_default().to_string_lossy()) {
                total += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}

#[derive(Default)]
struct Tally {
    found: BTreeMap<String, (usize, usize)>,
    first_query: Option<(u64, u64)>,
    per_query: Vec<u64>,
    misses: Vec<String>,
}

impl Tally {
    fn record(&mut self, q: &Query, top: &[String], bytes: (u64, u64)) {
        let hit = top.iter().any(|u| u == &q.expected);
        let e = self.found.entry(q.set.clone()).or_default();
        e.0 += usize::from(hit);
        e.1 += 1;
        if !hit {
            self.misses.push(format!("{}: {:?}", q.text, top));
        }
        self.first_query.get_or_insert(bytes);
        self.per_query.push(bytes.0 + bytes.1);
    }
}

fn relative(server: &str, href: &str) -> String {
    href.strip_prefix(server)
        .or_else(|| href.strip_prefix('/'))
        .unwrap_or(href)
        .to_string()
}

async fn fresh_tab(chromium: &Chromium, url: &str) -> Tab {
    let tab = chromium.open("about:blank").await;
    tab.page
        .execute(SetCacheDisabledParams::new(true))
        .await
        .expect("disable cache");
    tab.page.goto(url).await.expect("open");
    tab
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by benches/search_compare.sh"]
async fn compare_with_pagefind() {
    let site = PathBuf::from(std::env::var("COMPARE_SITE").expect("COMPARE_SITE"));
    let list = queries(Path::new(
        &std::env::var("COMPARE_QUERIES").expect("COMPARE_QUERIES"),
    ));
    let name = std::env::var("COMPARE_NAME").unwrap_or_else(|_| "site".into());
    std::fs::write(site.join("pagefind-harness.html"), HARNESS).unwrap();
    let server = StaticServer::start(&site);
    let chromium = Chromium::launch().await;
    let (mut ours, mut theirs) = (Tally::default(), Tally::default());
    for q in &list {
        // yunzhan: the search page, the query committed at once
        let tab = fresh_tab(&chromium, &format!("{}search/", server.url)).await;
        tab.wait_for_selector("#search[data-ready]").await;
        tab.type_text("#search-q", &q.text).await;
        let cond = format!(
            "document.getElementById('search-results').getAttribute('data-query') === {}",
            js_string(&q.text)
        );
        tab.wait_until(&cond, WAIT).await;
        let links: Vec<String> = tab
            .eval("Array.from(document.querySelectorAll('#search-results a')).slice(0, 5).map(a => a.getAttribute('href'))")
            .await;
        let top: Vec<String> = links.iter().map(|h| relative(&server.url, h)).collect();
        let (code, data, files) = fetched(&tab, &server.url, &site);
        if ours.first_query.is_none() {
            eprintln!("yunzhan, first query {:?}: {files:?}", q.text);
        }
        ours.record(q, &top, (code, data));
        tab.page.clone().close().await.ok();

        // Pagefind: its JS API, the top 5 results' data loaded (as its UI does)
        let tab = fresh_tab(&chromium, &format!("{}pagefind-harness.html", server.url)).await;
        tab.wait_until("window.ready === true", WAIT).await;
        let urls: Vec<String> = tab
            .eval(&format!("window.run({})", js_string(&q.text)))
            .await;
        let top: Vec<String> = urls.iter().map(|h| relative(&server.url, h)).collect();
        let (code, data, files) = fetched(&tab, &server.url, &site);
        if theirs.first_query.is_none() {
            eprintln!("pagefind, first query {:?}: {files:?}", q.text);
        }
        theirs.record(q, &top, (code, data));
        tab.page.clone().close().await.ok();
    }
    chromium.close().await;
    let _ = std::fs::remove_file(site.join("pagefind-harness.html"));

    let yz_index = dir_size(&site.join("search"), &|n| n.ends_with(".js"));
    let pf_ui = |n: &str| n.contains("-ui") || n.contains("highlight") || n.contains("component");
    let pf_index = dir_size(&site.join("pagefind"), &|n| {
        !pf_ui(n) && !n.ends_with(".js") && !n.starts_with("wasm.")
    });
    let pf_code = dir_size(&site.join("pagefind"), &|n| {
        n == "pagefind.js" || n == "pagefind-worker.js" || n.starts_with("wasm.")
    });
    let yz_code = std::fs::metadata(site.join("assets/search.js"))
        .map(|m| m.len())
        .unwrap_or(0);
    let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
    let mean = |v: &[u64]| v.iter().sum::<u64>() / v.len().max(1) as u64;
    println!("\n## {name}: {} queries\n", list.len());
    println!("| | yunzhan | Pagefind |");
    println!("|---|---|---|");
    println!(
        "| index files on disk | {} | {} |",
        kb(yz_index),
        kb(pf_index)
    );
    println!(
        "| search code (JS + WASM) | {} | {} |",
        kb(yz_code),
        kb(pf_code)
    );
    let fq = |t: &Tally| t.first_query.unwrap_or_default();
    println!(
        "| first query: index bytes fetched | {} | {} |",
        kb(fq(&ours).1),
        kb(fq(&theirs).1)
    );
    println!(
        "| first query: all bytes fetched (code + index) | {} | {} |",
        kb(fq(&ours).0 + fq(&ours).1),
        kb(fq(&theirs).0 + fq(&theirs).1)
    );
    println!(
        "| per query, mean / max (code + index, cold cache) | {} / {} | {} / {} |",
        kb(mean(&ours.per_query)),
        kb(ours.per_query.iter().copied().max().unwrap_or(0)),
        kb(mean(&theirs.per_query)),
        kb(theirs.per_query.iter().copied().max().unwrap_or(0))
    );
    for set in ours.found.keys() {
        let (a, n) = ours.found[set];
        let (b, _) = theirs.found.get(set).copied().unwrap_or_default();
        println!("| right page in top 5: {set} | {a}/{n} | {b}/{n} |");
    }
    println!("\nyunzhan misses: {:?}", ours.misses);
    println!("Pagefind misses: {:?}", theirs.misses);
}
