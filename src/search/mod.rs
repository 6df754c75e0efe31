//! Site search that understands Chinese: the index built with the site, in
//! small files that `/search/` loads on demand.
//!
//! ## What is indexed
//! Every page worth finding ([`index::documents`]): units, projects, teams,
//! events, exhibits, pages, sections, halls, zones, the home page. Each has
//! three fields: its **title** (words, character bigrams, pinyin and
//! initials: see [`text`]), the **names** around it (the units above it,
//! tags, team kind, place, author…) and its **body** (summary and text, jieba
//! words with their counts).
//!
//! ## Ranking
//! BM25: a term's weight in a page is
//! `idf × (3 × title + 1 × names + body)`, where `title` is BM25's
//! saturation for one occurrence normalised by title length, `names` is 1
//! when present and `body` is BM25 over the body's term count (capped at 4)
//! and length.
//! The query side ([`query`], mirrored in `search.js`) tries every candidate
//! term of the query and keeps the pages that cover the most of it, ranked by
//! the sum of their terms' weights times a small prior per kind.
//!
//! ## Files (under `search/`, all named with one hash of their contents)
//! * `index.H.js`: the entry: the first term of each term shard, the filter
//!   names, one character per page for its kind/level/platform combination,
//!   one for its body length and one for its title length, the pinyin
//!   syllables and the ranking constants;
//! * `tN.H.js`: term shards, a contiguous range of terms (UTF-16 order) of
//!   about [`SHARD_BYTES`] each, so that a query loads only the shards of its
//!   terms;
//! * `dN.H.js`: the result store, [`STORE_DOCS`] pages per file: URL, title,
//!   kind, place (the number of the page it belongs to), excerpt, date.
//!
//! Each file is a script that calls `__yzs(name, data)`, so the page loads
//! them with `<script>` elements, which works from a web server and from
//! `file://` alike (where `fetch` of local files is forbidden).

pub mod encode;
pub mod index;
pub mod query;
pub mod text;

use crate::model::Site;
use crate::render::{Contents, OutputFile};
use index::{Index, KINDS};
use std::collections::BTreeMap;

/// Target size of a term shard, in bytes.
pub const SHARD_BYTES: usize = 6 * 1024;

/// Pages per file of the result store.
pub const STORE_DOCS: usize = 8;

/// The folder of the search files under the output folder.
pub const DIR: &str = "search";

/// The search files of a site.
#[derive(Debug, Default)]
pub struct SearchFiles {
    /// The files, paths under the output folder.
    pub files: Vec<OutputFile>,
    /// The entry file's name, relative to [`DIR`] (`index.1a2b3c4d.js`).
    pub entry: String,
}

/// Builds the index of `site` and encodes it as files.
pub fn build(site: &Site) -> SearchFiles {
    encode_index(&index::build(site))
}

/// Like [`build`], with the body texts taken out of the site
/// ([`Site::take_body_texts`]), each let go once indexed.
pub fn build_taking(
    site: &Site,
    texts: std::collections::HashMap<crate::model::ItemRef, String>,
) -> SearchFiles {
    encode_index(&index::build_taking(site, texts))
}

/// The script text of a data file.
fn script(name: &str, json: &str) -> String {
    format!("__yzs({},{json})\n", serde_json::Value::from(name))
}

/// One term's line of a shard: `TERM:DF,TITLE,NAMES,BODY` where TITLE and
/// NAMES are document sets and BODY a document set, then (unless every count
/// is 1) `.` and the packed frequencies. Empty fields stay empty.
pub fn encode_entry(term: &str, p: &index::Postings, total: u32) -> String {
    use encode::*;
    let mut s = String::with_capacity(term.len() + 16);
    s.push_str(term);
    s.push(':');
    push_number(&mut s, p.df);
    s.push(',');
    if !p.title.is_empty() {
        push_doc_set(&mut s, &p.title, total);
    }
    s.push(',');
    if !p.meta.is_empty() {
        push_doc_set(&mut s, &p.meta, total);
    }
    s.push(',');
    if !p.body.is_empty() {
        let docs: Vec<u32> = p.body.iter().map(|&(d, _)| d).collect();
        push_doc_set(&mut s, &docs, total);
        if p.body.iter().any(|&(_, tf)| tf > 1) {
            s.push('.');
            let tfs: Vec<u32> = p.body.iter().map(|&(_, tf)| tf).collect();
            push_frequencies(&mut s, &tfs);
        }
    }
    s
}

/// Splits the terms into shards of about [`SHARD_BYTES`]: the encoded entries
/// of each (joined by `|`) and its first term.
pub fn shards(index: &Index) -> Vec<(String, String)> {
    let total = index.docs.len() as u32;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current = String::new();
    let mut first = String::new();
    for (term, postings) in &index.terms {
        let entry = encode_entry(term, postings, total);
        if !current.is_empty() && current.len() + entry.len() > SHARD_BYTES {
            out.push((std::mem::take(&mut first), std::mem::take(&mut current)));
        }
        if current.is_empty() {
            first = term.clone();
        } else {
            current.push('|');
        }
        current.push_str(&entry);
    }
    if !current.is_empty() {
        out.push((first, current));
    }
    out
}

/// Kinds whose URL the store writes in full (`/` + the URL): the places
/// other documents' URLs are written relative to.
const ABSOLUTE_KINDS: &[&str] = &["unit", "section", "hall", "zone", "home"];

/// A document's URL as the store writes it: relative to its place's URL
/// when it lies below it and the place's is written in full (so that a
/// result needs at most its place's row too), else `/` and the URL.
fn stored_url(index: &Index, d: &index::Doc) -> String {
    let absolute = |d: &index::Doc| ABSOLUTE_KINDS.contains(&KINDS[d.kind].0);
    if !absolute(d)
        && let Some(place) = d.place.map(|p| &index.docs[p as usize])
        && absolute(place)
        && let Some(rest) = d.url.strip_prefix(place.url.as_str())
    {
        return rest.to_string();
    }
    format!("/{}", d.url)
}

/// Encodes the index as the files described in the module docs.
pub fn encode_index(index: &Index) -> SearchFiles {
    let shards = shards(index);
    let stores: Vec<String> = index
        .docs
        .chunks(STORE_DOCS)
        .map(|docs| {
            let rows: Vec<serde_json::Value> = docs
                .iter()
                .map(|d| {
                    let mut row = vec![
                        stored_url(index, d).into(),
                        d.title.clone().into(),
                        d.kind.into(),
                        d.place.map_or(-1, i64::from).into(),
                        d.excerpt.clone().into(),
                    ];
                    if let Some(date) = &d.date {
                        row.push(date.clone().into());
                    }
                    serde_json::Value::Array(row)
                })
                .collect();
            serde_json::Value::Array(rows).to_string()
        })
        .collect();
    // Documents share a few (kind, level, platforms) combinations: the entry
    // lists them once and gives each document the number of its own.
    let mut combos: BTreeMap<(usize, i64, u64), usize> = BTreeMap::new();
    for d in &index.docs {
        let key = (d.kind, d.level.map_or(-1, |l| l as i64), d.platforms);
        let next = combos.len();
        combos.entry(key).or_insert(next);
    }
    let width = if combos.len() <= 64 { 1 } else { 2 };
    let mut attrs = String::with_capacity(index.docs.len() * width);
    let mut lengths = String::with_capacity(index.docs.len());
    let mut title_lengths = String::with_capacity(index.docs.len());
    for &len in &index.title_lengths {
        encode::push_small(&mut title_lengths, len);
    }
    for (d, &len) in index.docs.iter().zip(&index.lengths) {
        let c = combos[&(d.kind, d.level.map_or(-1, |l| l as i64), d.platforms)] as u32;
        if width == 2 {
            encode::push_small(&mut attrs, c / 64);
        }
        encode::push_small(&mut attrs, c % 64);
        encode::push_small(&mut lengths, len);
    }
    let mut combo_list = vec![serde_json::Value::Null; combos.len()];
    for (&(kind, level, platforms), &i) in &combos {
        combo_list[i] = serde_json::json!([kind, level, platforms]);
    }
    let hash = {
        let mut all = String::new();
        for (first, body) in &shards {
            all.push_str(first);
            all.push_str(body);
        }
        for s in &stores {
            all.push_str(s);
        }
        all.push_str(&attrs);
        all.push_str(&lengths);
        all.push_str(&title_lengths);
        all.push_str(&serde_json::to_string(&combo_list).unwrap_or_default());
        all.push_str(&serde_json::to_string(&index.levels).unwrap_or_default());
        all.push_str(&serde_json::to_string(&index.platforms).unwrap_or_default());
        crate::images::short_hash(&all)
    };
    let pairs = |v: &[(String, String)]| -> Vec<serde_json::Value> {
        v.iter().map(|(k, n)| serde_json::json!([k, n])).collect()
    };
    let entry = serde_json::json!({
        "v": 1,
        "h": hash,
        "n": index.docs.len(),
        "t": shards.iter().map(|(first, _)| first.as_str()).collect::<Vec<_>>(),
        "s": STORE_DOCS,
        "k": KINDS.iter().map(|(k, n, p)| serde_json::json!([k, n, p])).collect::<Vec<_>>(),
        "l": pairs(&index.levels),
        "p": pairs(&index.platforms),
        "c": combo_list,
        "w": width,
        "a": attrs,
        "d": lengths,
        "e": title_lengths,
        "y": text::syllables(),
        "x": [
            index::K1,
            index::B,
            index::B_TITLE,
            index::LENGTH_SCALE,
            query::W_TITLE,
            query::W_NAMES,
            query::PREFIX_FACTOR,
            query::MAX_PREFIX_TERMS,
            query::MAX_POSITIONS,
            query::COVERAGE_SLACK,
        ],
    });
    let mut files = Vec::with_capacity(shards.len() + stores.len() + 1);
    let mut file = |name: String, contents: String| {
        files.push(OutputFile {
            path: format!("{DIR}/{name}.{hash}.js"),
            contents: Contents::Bytes(contents.into_bytes()),
        });
    };
    for (i, (_, body)) in shards.iter().enumerate() {
        let name = format!("t{i}");
        let json = serde_json::Value::from(body.as_str()).to_string();
        file(name.clone(), script(&name, &json));
    }
    for (i, store) in stores.iter().enumerate() {
        let name = format!("d{i}");
        file(name.clone(), script(&name, store));
    }
    file("index".into(), script("index", &entry.to_string()));
    SearchFiles {
        files,
        entry: format!("index.{hash}.js"),
    }
}

/// The data of a search file: the JSON inside `__yzs(name, …)`.
fn script_data(text: &str) -> Option<&str> {
    let start = text.find(',')? + 1;
    let end = text.trim_end().strip_suffix(')')?.len();
    text.get(start..end)
}

/// Reads back the index that [`encode_index`] wrote into `dir` (the
/// `search/` folder of a built site): the tests and the size report use it
/// to query exactly what the browser gets.
pub fn read_index(dir: &std::path::Path) -> Result<Index, String> {
    let read = |name: &str| -> Result<serde_json::Value, String> {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let data = script_data(&text).ok_or_else(|| format!("{name}: not a search file"))?;
        serde_json::from_str(data).map_err(|e| format!("{name}: {e}"))
    };
    let entry_name = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("index.") && n.ends_with(".js"))
        .ok_or("no index.*.js")?;
    let entry = read(&entry_name)?;
    let bad = |what: &str| format!("{entry_name}: bad `{what}`");
    let hash = entry["h"].as_str().ok_or_else(|| bad("h"))?;
    let total = entry["n"].as_u64().ok_or_else(|| bad("n"))? as usize;
    let per_store = entry["s"].as_u64().ok_or_else(|| bad("s"))? as usize;
    let width = entry["w"].as_u64().ok_or_else(|| bad("w"))? as usize;
    let smalls = |key: &str| -> Result<Vec<u32>, String> {
        entry[key]
            .as_str()
            .and_then(encode::smalls)
            .ok_or_else(|| bad(key))
    };
    let (attrs, lengths, title_lengths) = (smalls("a")?, smalls("d")?, smalls("e")?);
    let combos = entry["c"].as_array().ok_or_else(|| bad("c"))?;
    let pairs = |key: &str| -> Vec<(String, String)> {
        entry[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        let s = |i: usize| p[i].as_str().unwrap_or_default().to_string();
                        (s(0), s(1))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut index = Index {
        lengths,
        title_lengths,
        levels: pairs("l"),
        platforms: pairs("p"),
        ..Index::default()
    };
    for store in 0..total.div_ceil(per_store) {
        let rows = read(&format!("d{store}.{hash}.js"))?;
        for row in rows.as_array().ok_or("store: not a list")? {
            let id = index.docs.len();
            let c = if width == 2 {
                attrs[2 * id] * 64 + attrs[2 * id + 1]
            } else {
                attrs[id]
            } as usize;
            let combo = &combos[c];
            let s = |i: usize| row[i].as_str().unwrap_or_default().to_string();
            index.docs.push(index::Doc {
                url: s(0),
                title: s(1),
                kind: row[2].as_u64().unwrap_or(0) as usize,
                level: combo[1].as_i64().filter(|&l| l >= 0).map(|l| l as usize),
                platforms: combo[2].as_u64().unwrap_or(0),
                place: row[3].as_i64().filter(|&p| p >= 0).map(|p| p as u32),
                excerpt: s(4),
                date: row.get(5).and_then(|d| d.as_str()).map(str::to_string),
            });
        }
    }
    // URLs written relative to their place's
    for i in 0..index.docs.len() {
        let url = &index.docs[i].url;
        let full = match url.strip_prefix('/') {
            Some(rest) => rest.to_string(),
            None => {
                let place = index.docs[i]
                    .place
                    .ok_or("a relative URL without a place")?;
                format!(
                    "{}{url}",
                    index.docs[place as usize].url.trim_start_matches('/')
                )
            }
        };
        index.docs[i].url = full;
    }
    let shard_count = entry["t"].as_array().ok_or_else(|| bad("t"))?.len();
    for i in 0..shard_count {
        let data = read(&format!("t{i}.{hash}.js"))?;
        for line in data.as_str().ok_or("shard: not a string")?.split('|') {
            let (term, rest) = line.split_once(':').ok_or("shard: no `:`")?;
            let fields: Vec<&str> = rest.split(',').collect();
            let [df, title, meta, body] = fields[..] else {
                return Err(format!("shard {i}: `{term}` has {} fields", fields.len()));
            };
            let set = |s: &str| {
                if s.is_empty() {
                    Some(Vec::new())
                } else {
                    encode::doc_set(s)
                }
            };
            let (body_docs, tfs) = body.split_once('.').unwrap_or((body, ""));
            let body_docs = set(body_docs).ok_or("bad body")?;
            let tfs = if tfs.is_empty() {
                vec![1; body_docs.len()]
            } else {
                encode::frequencies(tfs, body_docs.len()).ok_or("bad frequencies")?
            };
            index.terms.push((
                term.to_string(),
                index::Postings {
                    df: encode::numbers(df)
                        .and_then(|n| n.first().copied())
                        .ok_or("bad df")?,
                    title: set(title).ok_or("bad title")?,
                    meta: set(meta).ok_or("bad names")?,
                    body: body_docs.into_iter().zip(tfs).collect(),
                },
            ));
        }
    }
    Ok(index)
}
