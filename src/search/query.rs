//! Answering a query: the reference for `search.js`, which does the same on
//! the decoded shards in the browser. The tests rank with it.
//!
//! 1. The query's candidate terms ([`text::query_terms`]) are looked up;
//!    a prefix candidate matches up to [`MAX_PREFIX_TERMS`] terms, in order,
//!    each at [`PREFIX_FACTOR`] of the weight unless it is the whole term.
//! 2. Each matched term adds its BM25 weight ([`super`] explains it) to the
//!    pages it occurs in, and marks the query characters it covers.
//! 3. Coverage of a page is the mean, over the query's runs, of the share of
//!    the run's characters covered. The pages with the best coverage come
//!    first (all of the query if any page has it all, else as much as any
//!    has), then those within [`COVERAGE_SLACK`] of it; each group is ranked
//!    by weight × the prior of the page's kind, then by document order.

use super::index::{B, B_TITLE, Index, K1, KINDS, LENGTH_SCALE, utf16_cmp};
use super::text;
use std::collections::{BTreeMap, HashMap};

/// Weight of a title match against a body or names match.
pub const W_TITLE: f64 = 3.0;
/// Weight of a match in the names around a page.
pub const W_NAMES: f64 = 1.0;
/// Weight of a term matched only as the continuation of a typed prefix.
pub const PREFIX_FACTOR: f64 = 0.6;
/// Terms a prefix can match at most.
pub const MAX_PREFIX_TERMS: usize = 50;
/// How much less of the query than the best a page may cover and still be
/// listed (after all the best): bodies are indexed by words, so a page that
/// writes 草堂路社区 in its text covers 草堂 and 社区 but not 路.
pub const COVERAGE_SLACK: f64 = 0.25;
/// Query characters that count for coverage (the rest still match).
pub const MAX_POSITIONS: usize = 31;

/// Restricts results (indexes into the kinds, levels and platforms).
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters {
    pub kind: Option<usize>,
    pub level: Option<usize>,
    pub platform: Option<usize>,
}

/// A result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
    pub coverage: f64,
}

/// BM25's inverse document frequency (the variant that is never negative).
pub fn idf(total: usize, df: u32) -> f64 {
    let (n, df) = (total as f64, f64::from(df));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The results of `query`, best first.
pub fn search(index: &Index, query: &str, filters: Filters) -> Vec<Hit> {
    let q = text::query_terms(query);
    if q.runs.is_empty() {
        return Vec::new();
    }
    // global position of each run's first character
    let mut offsets = Vec::with_capacity(q.runs.len());
    let mut at = 0;
    for &len in &q.runs {
        offsets.push(at);
        at += len;
    }
    let span_mask = |run: usize, start: usize, end: usize| -> u32 {
        (offsets[run] + start..offsets[run] + end)
            .filter(|&p| p < MAX_POSITIONS)
            .fold(0, |m, p| m | (1 << p))
    };
    // term -> (factor, mask of covered positions)
    let mut matched: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
    for c in &q.candidates {
        let mask = span_mask(c.run, c.start, c.end);
        if c.prefix {
            let from = index
                .terms
                .partition_point(|(t, _)| utf16_cmp(t, &c.term).is_lt());
            for (t, _) in index.terms[from..]
                .iter()
                .take_while(|(t, _)| t.starts_with(c.term.as_str()))
                .take(MAX_PREFIX_TERMS)
            {
                let factor = if *t == c.term { 1.0 } else { PREFIX_FACTOR };
                let e = matched.entry(t.as_str()).or_insert((factor, 0));
                e.0 = e.0.max(factor);
                e.1 |= mask;
            }
        } else if let Ok(i) = index.terms.binary_search_by(|(t, _)| utf16_cmp(t, &c.term)) {
            let e = matched.entry(index.terms[i].0.as_str()).or_insert((1.0, 0));
            e.0 = 1.0;
            e.1 |= mask;
        }
    }
    let total = index.docs.len();
    let mut acc: HashMap<u32, (f64, u32)> = HashMap::new();
    for (term, (factor, mask)) in matched {
        let Some(p) = index.get(term) else { continue };
        let w = factor * idf(total, p.df);
        for &d in &p.title {
            let ratio = f64::from(index.title_lengths[d as usize]) / LENGTH_SCALE;
            let e = acc.entry(d).or_default();
            e.0 += w * W_TITLE * (K1 + 1.0) / (1.0 + K1 * (1.0 - B_TITLE + B_TITLE * ratio));
            e.1 |= mask;
        }
        for &d in &p.meta {
            let e = acc.entry(d).or_default();
            e.0 += w * W_NAMES;
            e.1 |= mask;
        }
        for &(d, tf) in &p.body {
            let ratio = f64::from(index.lengths[d as usize]) / LENGTH_SCALE;
            let tf = f64::from(tf);
            let e = acc.entry(d).or_default();
            e.0 += w * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * ratio));
            e.1 |= mask;
        }
    }
    let coverage = |mask: u32| -> f64 {
        let mut sum = 0.0;
        for (r, &len) in q.runs.iter().enumerate() {
            let run_mask = span_mask(r, 0, len);
            let counted = run_mask.count_ones().max(1);
            sum += f64::from((mask & run_mask).count_ones()) / f64::from(counted);
        }
        sum / q.runs.len() as f64
    };
    let scored: Vec<Hit> = acc
        .into_iter()
        .map(|(doc, (score, mask))| Hit {
            doc,
            score: score * KINDS[index.docs[doc as usize].kind].2,
            coverage: coverage(mask),
        })
        .collect();
    let best = scored.iter().map(|h| h.coverage).fold(0.0, f64::max);
    let mut hits: Vec<Hit> = scored
        .into_iter()
        .filter(|h| h.coverage >= best - COVERAGE_SLACK - 1e-9)
        .filter(|h| {
            let d = &index.docs[h.doc as usize];
            filters.kind.is_none_or(|k| d.kind == k)
                && filters.level.is_none_or(|l| d.level == Some(l))
                && filters
                    .platform
                    .is_none_or(|p| p < 30 && d.platforms & (1 << p) != 0)
        })
        .collect();
    let tier = |h: &Hit| h.coverage < best - 1e-9;
    hits.sort_by(|a, b| {
        tier(a)
            .cmp(&tier(b))
            .then(b.score.total_cmp(&a.score))
            .then(a.doc.cmp(&b.doc))
    });
    hits
}
