//! Fingerprints of what a page is rendered from: its template and the
//! templates it may use, the global `site` value and its own context. Two
//! renders with the same fingerprint give the same bytes, so a page whose
//! fingerprint is unchanged is not rendered again.

use crate::render::cards::Cards;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tera::value::ValueKind;
use tera::{Context, Value};

/// A 128-bit digest.
pub type Fingerprint = [u8; 16];

/// The keys `render::pages::context` puts into a page's context. A context
/// with any other key gets no fingerprint (so its page is always rendered):
/// add new keys here to let such pages be reused.
const CONTEXT_KEYS: &[&str] = &[
    "title",
    "page",
    "url",
    "permalink",
    "breadcrumb",
    "page_number",
    "home",
    "unit",
    "project",
    "team",
    "event",
    "section",
    "hall",
    "zone",
    "exhibit",
    "paginator",
    "years",
    "year",
    "platforms",
    "platform",
    "tags",
    "tag",
    "units",
    "map",
    "search_entry",
];

/// Digests of shared maps (the cards), by address, so each is hashed once.
#[derive(Default)]
pub struct Memo {
    maps: HashMap<usize, Fingerprint>,
}

fn address(map: &tera::Map) -> usize {
    map as *const tera::Map as usize
}

impl Memo {
    /// The digest of every card of `cards`; valid while `cards` lives unchanged.
    pub fn of_cards(cards: &Cards) -> Memo {
        let all: Vec<&Value> = std::iter::once(&cards.home)
            .chain(&cards.units)
            .chain(&cards.projects)
            .chain(&cards.teams)
            .chain(&cards.events)
            .chain(&cards.pages)
            .chain(&cards.sections)
            .chain(&cards.halls)
            .chain(&cards.zones)
            .chain(&cards.exhibits)
            .collect();
        let empty = Memo::default();
        let maps = all
            .par_iter()
            .filter_map(|v| v.as_map().map(|m| (address(m), value(v, &empty))))
            .collect();
        Memo { maps }
    }
}

/// Feeds values into blake3 through a buffer (values are many small pieces).
struct Writer<'m> {
    hasher: blake3::Hasher,
    buf: Vec<u8>,
    memo: &'m Memo,
}

impl Writer<'_> {
    fn new(memo: &Memo) -> Writer<'_> {
        Writer {
            hasher: blake3::Hasher::new(),
            buf: Vec::with_capacity(8192),
            memo,
        }
    }

    fn bytes(&mut self, b: &[u8]) {
        if b.len() >= 4096 {
            self.flush();
            self.hasher.update(b);
        } else {
            self.buf.extend_from_slice(b);
            if self.buf.len() >= 8192 {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buf);
        self.buf.clear();
    }

    fn tag(&mut self, t: u8) {
        self.buf.push(t);
    }

    fn len(&mut self, n: usize) {
        self.bytes(&(n as u64).to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes(s.as_bytes());
    }

    fn value(&mut self, v: &Value) {
        match v.kind() {
            ValueKind::Undefined => self.tag(0),
            ValueKind::None => self.tag(1),
            ValueKind::Bool => {
                self.tag(2);
                self.tag(u8::from(v.as_bool() == Some(true)));
            }
            ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
                self.tag(3);
                match v.as_i128() {
                    Some(n) => self.bytes(&n.to_le_bytes()),
                    None => self.bytes(&v.as_u128().unwrap_or(0).to_le_bytes()),
                }
            }
            ValueKind::F64 => {
                self.tag(4);
                self.bytes(&v.as_f64().unwrap_or(0.0).to_bits().to_le_bytes());
            }
            ValueKind::String => {
                // a safe string is not escaped when shown: part of what renders
                self.tag(if v.is_safe() { 6 } else { 5 });
                self.str(v.as_str().unwrap_or(""));
            }
            ValueKind::Array => {
                let items = v.as_array().unwrap_or(&[]);
                self.tag(7);
                self.len(items.len());
                for item in items {
                    self.value(item);
                }
            }
            ValueKind::Map => {
                let map = v.as_map().expect("a map");
                if let Some(fp) = self.memo.maps.get(&address(map)) {
                    self.tag(8);
                    self.bytes(fp);
                    return;
                }
                self.tag(9);
                self.len(map.len());
                for (k, item) in map {
                    match k.as_str() {
                        Some(s) => self.str(s),
                        None => self.str(&k.to_string()),
                    }
                    self.value(item);
                }
            }
            ValueKind::Bytes => {
                self.tag(10);
                let b = v.as_bytes().unwrap_or(&[]);
                self.len(b.len());
                self.bytes(b);
            }
            _ => {
                self.tag(11);
                self.str(&format!("{v:?}"));
            }
        }
    }

    fn finish(mut self) -> Fingerprint {
        self.flush();
        let mut out = [0; 16];
        out.copy_from_slice(&self.hasher.finalize().as_bytes()[..16]);
        out
    }
}

/// The digest of a template value.
pub fn value(v: &Value, memo: &Memo) -> Fingerprint {
    let mut w = Writer::new(memo);
    w.value(v);
    w.finish()
}

/// The digest of a page's context, or `None` when it holds keys this module
/// does not know (see [`CONTEXT_KEYS`]).
pub fn context(ctx: &Context, memo: &Memo) -> Option<Fingerprint> {
    let mut known = Context::new();
    let mut w = Writer::new(memo);
    for &key in CONTEXT_KEYS {
        if let Some(v) = ctx.get(key) {
            known.insert_value(key, v.clone());
            w.str(key);
            w.value(v);
        }
    }
    // equal maps share their values, so this compares pointers, not contents
    (known == *ctx).then(|| w.finish())
}

/// The digest of a page: what it is rendered with and where it goes.
pub fn page(
    template: &Fingerprint,
    global: &Fingerprint,
    ctx: &Fingerprint,
    output: &str,
) -> Fingerprint {
    let mut h = blake3::Hasher::new();
    h.update(template);
    h.update(global);
    h.update(ctx);
    h.update(output.as_bytes());
    let mut out = [0; 16];
    out.copy_from_slice(&h.finalize().as_bytes()[..16]);
    out
}

/// For each page template (`unit.html`…), the digest of every template its
/// pages may use: itself, every template that is not a page template
/// (layouts, partials, components: any page may use them), and the page
/// templates those name, plus `salt` (what else shapes rendering, such as the
/// configuration behind the filters).
pub fn templates(
    theme: &Theme,
    page_templates: &BTreeSet<&str>,
    salt: &[u8],
) -> HashMap<String, Fingerprint> {
    let texts: BTreeMap<&str, Vec<u8>> = theme
        .templates
        .iter()
        .map(|(name, f)| (name.as_str(), f.origin.read().unwrap_or_default()))
        .collect();
    let shared: Vec<&str> = texts
        .keys()
        .copied()
        .filter(|n| !page_templates.contains(n))
        .collect();
    let mentions = |text: &[u8], name: &str| {
        let text = String::from_utf8_lossy(text);
        text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'"))
    };
    page_templates
        .iter()
        .map(|&page| {
            let mut closure: BTreeSet<&str> = shared.iter().copied().collect();
            closure.insert(page);
            loop {
                let more: Vec<&str> = page_templates
                    .iter()
                    .copied()
                    .filter(|p| !closure.contains(p))
                    .filter(|p| {
                        closure
                            .iter()
                            .any(|c| texts.get(c).is_some_and(|t| mentions(t, p)))
                    })
                    .collect();
                if more.is_empty() {
                    break;
                }
                closure.extend(more);
            }
            let mut h = blake3::Hasher::new();
            h.update(salt);
            for name in closure {
                h.update(name.as_bytes());
                h.update(&[0]);
                if let Some(t) = texts.get(name) {
                    h.update(&(t.len() as u64).to_le_bytes());
                    h.update(t);
                }
            }
            let mut out = [0; 16];
            out.copy_from_slice(&h.finalize().as_bytes()[..16]);
            (page.to_string(), out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::value::Obj;

    #[test]
    fn equal_values_equal_digests_and_safety_counts() {
        let memo = Memo::default();
        let a = Obj::new().set("t", "甲").set("n", 3).build();
        let b = Obj::new().set("t", "甲").set("n", 3).build();
        let c = Obj::new().set("t", "乙").set("n", 3).build();
        assert_eq!(value(&a, &memo), value(&b, &memo));
        assert_ne!(value(&a, &memo), value(&c, &memo));
        assert_ne!(
            value(&Value::from("<b>"), &memo),
            value(&Value::safe_string("<b>"), &memo)
        );
    }

    #[test]
    fn contexts_with_unknown_keys_get_no_fingerprint() {
        let memo = Memo::default();
        let mut ctx = Context::new();
        ctx.insert_value("title", Value::from("甲"));
        assert!(context(&ctx, &memo).is_some());
        ctx.insert_value("something_new", Value::from(1));
        assert!(context(&ctx, &memo).is_none());
    }
}
