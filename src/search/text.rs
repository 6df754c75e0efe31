//! Text as the search index sees it: one normalisation, the terms of each
//! field, and the candidate terms of a query.
//!
//! The same rules are written in `search.js` for queries; keep the two in
//! step (the browser tests compare them on the demo site).
//!
//! * **Normalisation:** full-width ASCII (`ＡＢＣ１２３`, `，`, `（`) becomes
//!   half-width, the ideographic space a space, ASCII letters lowercase.
//! * **Runs:** the text splits into maximal runs of Han characters and of
//!   ASCII letters and digits; everything else (punctuation of either width,
//!   spaces, emoji) only separates.
//! * **Words:** Han runs are cut by jieba's search mode (which also yields the
//!   shorter words inside long ones); words of one character are left out of
//!   bodies. Titles and names also get the merged words of [`crate::slug`]
//!   (草堂路, not 草堂 + 路), every character bigram (so unknown names match
//!   however they are cut), their full pinyin per word (`caotanglu`) and
//!   their initials from the first and second word on (`ctlsq…`, `sq…`).

use crate::slug::{half_width, is_han, jieba, pinyin_segments};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Initials are indexed up to this many letters…
pub const MAX_INITIALS: usize = 8;
/// …from the start of each of this many first words of a title.
pub const INITIALS_FROM: usize = 2;

/// Longest Han candidate a query tries, in characters.
pub const MAX_HAN_TERM: usize = 8;

/// Normalises text for indexing and querying (see the module docs).
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_lowercase())
        .collect()
}

/// A maximal run of one script in normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run<'a> {
    Han(&'a str),
    /// `[a-z0-9]+`.
    Ascii(&'a str),
}

/// The runs of normalised text, in order.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Han,
        Ascii,
        Other,
    }
    let class = |c: char| {
        if is_han(c) {
            Class::Han
        } else if c.is_ascii_alphanumeric() {
            Class::Ascii
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current = Class::Other;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if k != current {
            push_run(
                &mut out,
                &text[start..i],
                current == Class::Han,
                current == Class::Ascii,
            );
            start = i;
            current = k;
        }
    }
    push_run(
        &mut out,
        &text[start..],
        current == Class::Han,
        current == Class::Ascii,
    );
    out
}

fn push_run<'a>(out: &mut Vec<Run<'a>>, s: &'a str, han: bool, ascii: bool) {
    if s.is_empty() {
        return;
    }
    if han {
        out.push(Run::Han(s));
    } else if ascii {
        out.push(Run::Ascii(s));
    }
}

/// The segmenter, taken from the global one at the first run that needs it
/// (once per text, not per run).
type Segmenter = Option<std::sync::Arc<jieba_rs::Jieba>>;

/// Words of a Han run in jieba's search mode, at least `min_chars` long.
fn search_words(run: &str, min_chars: usize, seg: &mut Segmenter, f: &mut impl FnMut(&str)) {
    if run.chars().count() <= 2 {
        if run.chars().count() >= min_chars {
            f(run);
        }
        return;
    }
    for token in seg.get_or_insert_with(jieba).cut_for_search(run, true) {
        if token.word.chars().count() >= min_chars {
            f(token.word);
        }
    }
}

/// Whether an ASCII word is worth a term: anything with a letter, numbers of
/// three digits or more (years, `110`), not `2` of `2月18日`.
fn ascii_term(s: &str) -> bool {
    s.len() >= 3 || s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// The terms of running text (bodies, summaries) with their counts: jieba
/// words of two characters or more and ASCII words, in order of appearance.
/// Calls `f` once per occurrence.
pub fn text_terms(text: &str, mut f: impl FnMut(&str)) {
    let text = normalize(text);
    let mut seg = None;
    for run in runs(&text) {
        match run {
            Run::Han(s) => search_words(s, 2, &mut seg, &mut f),
            Run::Ascii(s) if ascii_term(s) => f(s),
            Run::Ascii(_) => {}
        }
    }
}

/// The terms of a name (unit names in an item's lineage, tags, authors):
/// jieba words of two characters or more, the merged words of the slug
/// rules, and ASCII words. Adds to `out`.
pub fn name_terms(name: &str, out: &mut BTreeSet<String>) {
    let text = normalize(name);
    let mut seg = None;
    for run in runs(&text) {
        match run {
            Run::Han(s) => search_words(s, 2, &mut seg, &mut |w| {
                out.insert(w.to_string());
            }),
            Run::Ascii(s) if ascii_term(s) => {
                out.insert(s.to_string());
            }
            Run::Ascii(_) => {}
        }
    }
    for (word, _) in pinyin_segments(&text) {
        if word.chars().count() >= 2 && word.chars().any(is_han) {
            out.insert(word);
        }
    }
}

/// The terms of a title: its name terms, every Han bigram, full pinyin per
/// word of two syllables or more and initials from each word on. Adds to
/// `out`.
pub fn title_terms(title: &str, out: &mut BTreeSet<String>) {
    name_terms(title, out);
    let text = normalize(title);
    for run in runs(&text) {
        if let Run::Han(s) = run {
            let chars: Vec<char> = s.chars().collect();
            for pair in chars.windows(2) {
                out.insert(pair.iter().collect());
            }
        }
    }
    let segments = pinyin_segments(&text);
    let initials: Vec<String> = segments
        .iter()
        .map(|(word, syllables)| {
            if word.chars().any(is_han) {
                syllables.iter().filter_map(|s| s.chars().next()).collect()
            } else {
                word.clone()
            }
        })
        .collect();
    for (k, (word, syllables)) in segments.iter().enumerate() {
        if word.chars().any(is_han) && syllables.len() >= 2 {
            out.insert(syllables.concat());
        }
        // People type the initials of a name from its start (ctl, ctlsq for
        // 草堂路社区…), sometimes from its second word.
        if k < INITIALS_FROM {
            let from_here: String = initials[k..].concat().chars().take(MAX_INITIALS).collect();
            if from_here.len() >= 2 {
                out.insert(from_here);
            }
        }
    }
}

/// How long a title is for length normalisation: Han characters plus ASCII
/// words.
pub fn title_length(title: &str) -> usize {
    let text = normalize(title);
    runs(&text)
        .iter()
        .map(|r| match r {
            Run::Han(s) => s.chars().count(),
            Run::Ascii(_) => 1,
        })
        .sum()
}

/// Every toneless pinyin syllable (`ü` as `v`) the pinyin crate knows for a
/// CJK Unified Ideograph, sorted and space-separated. The index ships this
/// list so that `search.js` splits typed pinyin exactly as [`query`] does.
///
/// [`query`]: super::query
pub fn syllables() -> &'static str {
    static LIST: LazyLock<String> = LazyLock::new(|| {
        use pinyin::ToPinyinMulti;
        let mut set = BTreeSet::new();
        for c in '\u{4E00}'..='\u{9FFF}' {
            if let Some(multi) = c.to_pinyin_multi() {
                for p in multi {
                    let s: String = p
                        .plain()
                        .chars()
                        .map(|c| match c {
                            'ü' => 'v',
                            'ê' => 'e',
                            c => c,
                        })
                        .filter(char::is_ascii_lowercase)
                        .collect();
                    if !s.is_empty() {
                        set.insert(s);
                    }
                }
            }
        }
        set.into_iter().collect::<Vec<_>>().join(" ")
    });
    &LIST
}

/// A term a query looks up, and the part of the query it covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub term: String,
    /// Every term starting with `term` matches (as-you-type pinyin, a lone
    /// Han character).
    pub prefix: bool,
    /// Index of the run in the query.
    pub run: usize,
    /// Covered positions `[start, end)` of the run, in characters.
    pub start: usize,
    pub end: usize,
}

/// A parsed query: its runs' lengths and the candidate terms to look up.
#[derive(Debug, Clone, Default)]
pub struct QueryTerms {
    /// Length in characters of each run.
    pub runs: Vec<usize>,
    pub candidates: Vec<Candidate>,
}

/// The candidate terms of a query (`search.js` does the same):
///
/// * a Han run: every substring of 2 to [`MAX_HAN_TERM`] characters; a run of
///   one character is a prefix;
/// * an ASCII run: itself, exactly and (from two characters on) as a prefix;
///   and, where it splits into pinyin syllables, every span between two
///   syllable boundaries reachable from its start (of up to six syllables),
///   plus the rest from each boundary as a prefix.
pub fn query_terms(query: &str) -> QueryTerms {
    let text = normalize(query);
    let syllables: BTreeSet<&str> = syllables().split(' ').collect();
    let mut q = QueryTerms::default();
    for (r, run) in runs(&text).into_iter().enumerate() {
        let mut add = |term: String, prefix: bool, start: usize, end: usize| {
            q.candidates.push(Candidate {
                term,
                prefix,
                run: r,
                start,
                end,
            })
        };
        match run {
            Run::Han(s) => {
                let chars: Vec<char> = s.chars().collect();
                q.runs.push(chars.len());
                if chars.len() == 1 {
                    add(s.to_string(), true, 0, 1);
                }
                for i in 0..chars.len() {
                    for j in i + 2..=chars.len().min(i + MAX_HAN_TERM) {
                        add(chars[i..j].iter().collect(), false, i, j);
                    }
                }
            }
            Run::Ascii(s) => {
                let n = s.len();
                q.runs.push(n);
                add(s.to_string(), false, 0, n);
                if n >= 2 {
                    add(s.to_string(), true, 0, n);
                }
                // Syllable boundaries reachable from the start, and how many
                // syllables in (fewest).
                let mut steps: Vec<Option<usize>> = vec![None; n + 1];
                steps[0] = Some(0);
                for i in 0..n {
                    let Some(k) = steps[i] else { continue };
                    for j in i + 1..=n.min(i + 6) {
                        if syllables.contains(&s[i..j]) && steps[j].is_none_or(|x| x > k + 1) {
                            steps[j] = Some(k + 1);
                        }
                    }
                }
                for i in (0..n).filter(|&i| steps[i].is_some()) {
                    for j in (i + 1..=n).filter(|&j| steps[j].is_some()) {
                        let span = steps[j].unwrap_or(0).saturating_sub(steps[i].unwrap_or(0));
                        if (i, j) != (0, n) && span <= 6 {
                            add(s[i..j].to_string(), false, i, j);
                        }
                    }
                    if i > 0 && n - i >= 2 {
                        add(s[i..].to_string(), true, i, n);
                    }
                }
            }
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of_title(t: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        title_terms(t, &mut out);
        out
    }

    fn text_terms_of(t: &str) -> Vec<String> {
        let mut out = Vec::new();
        text_terms(t, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn normalises_full_width_and_case() {
        assert_eq!(
            normalize("ＡＢＣ１２３，草堂路（Ｇ２０）"),
            "abc123,草堂路(g20)"
        );
        assert_eq!(normalize("草堂路　社区"), "草堂路 社区");
    }

    #[test]
    fn runs_split_on_punctuation_of_both_widths() {
        let text = normalize("草堂路社区，2024年“重阳节”G20峰会！ok");
        assert_eq!(
            runs(&text),
            [
                Run::Han("草堂路社区"),
                Run::Ascii("2024"),
                Run::Han("年"),
                Run::Han("重阳节"),
                Run::Ascii("g20"),
                Run::Han("峰会"),
                Run::Ascii("ok"),
            ]
        );
    }

    #[test]
    fn title_terms_cover_words_bigrams_pinyin_and_initials() {
        let t = terms_of_title("草堂路社区新时代文明实践站");
        for want in [
            "草堂路",
            "社区",
            "文明",
            "实践",
            "草堂",
            "堂路",
            "路社",
            "践站",
            "caotanglu",
            "shequ",
            "xinshidai",
            "ctlsqxsd",
            "sqxsdwms",
        ] {
            assert!(t.contains(want), "{want} missing from {t:?}");
        }
        // initials are cut at MAX_INITIALS letters, and start at the first two words
        assert!(!t.iter().any(|x| x.starts_with("ctlsqxsdw")));
        assert!(!t.contains("sjz") && !t.contains("xsdwmsjz"));
        // the same for full-width and mixed titles
        let t = terms_of_title("Ｇ２０峰会志愿服务队（第３期）");
        for want in ["g20", "峰会", "fenghui", "g20fhzyf"] {
            assert!(t.contains(want), "{want} missing from {t:?}");
        }
        // neither lone characters, one-syllable pinyin nor short numbers
        let t = terms_of_title("环境整治（2月18日）");
        for unwanted in ["月", "日", "yue", "ri", "2", "18"] {
            assert!(!t.contains(unwanted), "{unwanted} in {t:?}");
        }
    }

    #[test]
    fn text_terms_keep_words_and_counts() {
        let words = text_terms_of("志愿者为老人理发。志愿者还送来了APP教程，共３次！");
        assert_eq!(words.iter().filter(|w| *w == "志愿者").count(), 2);
        assert!(words.contains(&"app".to_string()));
        assert!(!words.contains(&"3".to_string()));
        assert!(words.contains(&"理发".to_string()));
        // single characters and punctuation are not terms
        assert!(!words.iter().any(|w| w == "为" || w == "。" || w == "，"));
    }

    #[test]
    fn title_length_counts_han_and_words() {
        assert_eq!(title_length("草堂路社区"), 5);
        assert_eq!(title_length("G20 峰会"), 3);
    }

    #[test]
    fn syllable_list_is_complete_enough() {
        let list: BTreeSet<&str> = syllables().split(' ').collect();
        for s in [
            "a", "cao", "tang", "lu", "lv", "zhuang", "shuang", "er", "xian",
        ] {
            assert!(list.contains(s), "{s}");
        }
        assert!(list.len() > 380 && list.len() < 460, "{}", list.len());
        assert!(!list.contains("ctl"));
    }

    fn candidates(q: &str) -> Vec<(String, bool, usize, usize, usize)> {
        query_terms(q)
            .candidates
            .into_iter()
            .map(|c| (c.term, c.prefix, c.run, c.start, c.end))
            .collect()
    }

    #[test]
    fn han_queries_try_every_substring() {
        let c = candidates("草堂路");
        let terms: Vec<&str> = c.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(terms, ["草堂", "草堂路", "堂路"]);
        assert_eq!(candidates("草"), [("草".to_string(), true, 0, 0, 1)]);
    }

    #[test]
    fn pinyin_queries_split_into_syllables() {
        let c = candidates("caotanglu");
        assert!(c.contains(&("caotanglu".into(), false, 0, 0, 9)));
        assert!(c.contains(&("caotanglu".into(), true, 0, 0, 9)));
        assert!(c.contains(&("caotang".into(), false, 0, 0, 7)));
        assert!(c.contains(&("tanglu".into(), false, 0, 3, 9)));
        assert!(c.contains(&("lu".into(), false, 0, 7, 9)));
        // as you type: the unfinished syllable is a prefix
        let c = candidates("caotangl");
        assert!(c.contains(&("caotangl".into(), true, 0, 0, 8)));
        // initials are not syllables: only the whole run
        let c = candidates("ctl");
        assert_eq!(
            c,
            [
                ("ctl".into(), false, 0, 0, 3),
                ("ctl".into(), true, 0, 0, 3)
            ]
        );
    }

    #[test]
    fn mixed_queries_have_one_run_per_script() {
        let q = query_terms("Ｇ２０峰会，草堂路");
        assert_eq!(q.runs, [3, 2, 3]);
        assert!(q.candidates.iter().any(|c| c.term == "g20" && c.run == 0));
        assert!(q.candidates.iter().any(|c| c.term == "峰会" && c.run == 1));
        assert!(
            q.candidates
                .iter()
                .any(|c| c.term == "草堂路" && c.run == 2)
        );
    }
}
