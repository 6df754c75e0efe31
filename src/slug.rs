//! URL slugs for file/folder names and titles, plus the pinyin helpers the
//! search index uses.
//!
//! Two styles (site.yaml `slugs`):
//!
//! * [`SlugStyle::Pinyin`] (default): Chinese becomes toneless pinyin,
//!   one word per jieba word, words joined by `-`; the output is only
//!   `[a-z0-9-]`. `成都市/青羊区/草堂路社区` → `chengdushi/qingyangqu/caotanglu-shequ`.
//! * [`SlugStyle::Unicode`]: Chinese is kept as is, only separators are
//!   normalised. `草堂路 社区#1` → `草堂路-社区-1`.
//!
//! ## How Chinese is split into words
//!
//! Each maximal run of Han characters is cut by jieba (HMM on, so unknown
//! names like 三圣乡 or 郫都区 stay whole), then single-character words are
//! merged so that suffixes stay with their name:
//!
//! * a single character is glued onto the word before it
//!   (草堂/路 → 草堂路, 乐都/区 → 乐都区, 实践/站 → 实践站);
//! * except that it is glued onto the word *after* it when it is the first
//!   word of the run (曾/家村 → 曾家村, 老/辈子 → 老辈子), when it is a common
//!   prefix (新 老 小 大 第 总 副 原 旧: 社区/新/时代 → 社区, 新时代), or when the
//!   word before it already ends with an administrative unit (省 市 区 县 镇
//!   乡 村 州 旗 盟: 昌吉市/宁/边路 → 昌吉市, 宁边路);
//! * a character that wanted to glue forward but is last stays on its own,
//!   and so does a first character right after ASCII, which is taken as a
//!   unit of that number (`2024年重阳节` → `2024-nian-chongyangjie`).
//!
//! Runs of one or two Han characters are always a single word, so they never
//! need jieba at all.
//!
//! ASCII letters/digits (and full-width or accented Latin, normalised) form
//! their own words and are never glued to Chinese: `第3站` → `di-3-zhan`.

pub mod cuts;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use jieba_rs::Jieba;
use pinyin::ToPinyin;

/// How names become URL segments (site.yaml `slugs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugStyle {
    /// Toneless pinyin, lowercase ASCII letters, digits and `-` only
    /// (`草堂路社区` → `caotanglu-shequ`).
    #[default]
    Pinyin,
    /// Keep letters of every script, CJK included; only separators are
    /// replaced by `-` (`草堂路 社区#1` → `草堂路-社区-1`).
    Unicode,
}

/// The URL segment for a file/folder name or a title.
///
/// The result never has a leading, trailing or doubled `-`. It is empty when
/// the name has nothing usable (only emoji or punctuation); the caller
/// decides what to do then. Pure-ASCII names take a fast path that allocates
/// only the result and never loads the jieba dictionary. Pinyin output is a
/// fixed point: `slugify(&slugify(x, Pinyin), Pinyin) == slugify(x, Pinyin)`.
pub fn slugify(name: &str, style: SlugStyle) -> String {
    if name.is_ascii() {
        // Both styles agree on ASCII: alphanumerics lowercased, the rest `-`.
        return slugify_ascii(name);
    }
    match style {
        SlugStyle::Pinyin => slugify_pinyin(name),
        SlugStyle::Unicode => slugify_unicode(name),
    }
}

/// Toneless pinyin of each jieba word of `text`, in order, lowercase ASCII;
/// non-Chinese runs (ASCII letters/digits) kept lowercase as their own words;
/// punctuation dropped.
///
/// Single-character jieba words are merged as described in the module docs,
/// so `"草堂路社区新时代文明实践站"` gives
/// `["caotanglu", "shequ", "xinshidai", "wenming", "shijianzhan"]`.
/// `ü` is written `v` (绿 → `lv`).
pub fn pinyin_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, |word| match word {
        Word::Latin(w) => words.push(w.to_owned()),
        Word::Han(w) => {
            let mut s = String::with_capacity(w.len() * 2);
            han_syllables(w, |syl| push_syllable(&mut s, syl));
            if !s.is_empty() {
                words.push(s);
            }
        }
    });
    words
}

/// The words of `text` as [`pinyin_words`] cuts them, each with its
/// toneless syllables (`ü` written `v`): `"草堂路社区"` →
/// `[("草堂路", ["cao", "tang", "lu"]), ("社区", ["she", "qu"])]`. A Latin word
/// is its own single "syllable" (`"G20"` → `("g20", ["g20"])`). Han words
/// without any known reading are left out.
pub fn pinyin_segments(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for_each_word(text, |word| match word {
        Word::Latin(w) => out.push((w.to_owned(), vec![w.to_owned()])),
        Word::Han(w) => {
            let mut syllables = Vec::new();
            han_syllables(w, |syl| {
                let mut s = String::with_capacity(syl.len());
                push_syllable(&mut s, syl);
                if !s.is_empty() {
                    syllables.push(s);
                }
            });
            if !syllables.is_empty() {
                out.push((w.to_owned(), syllables));
            }
        }
    });
    out
}

/// First letters of each syllable: `"草堂路"` → `"ctl"`.
///
/// Uses the same segmentation and polyphone table as [`pinyin_words`]
/// (`"重庆长沙"` → `"cqcs"`). Non-Chinese words are kept whole, lowercase
/// (`"G20峰会"` → `"g20fh"`); punctuation is dropped.
pub fn pinyin_initials(text: &str) -> String {
    let mut out = String::new();
    for_each_word(text, |word| match word {
        Word::Latin(w) => out.push_str(w),
        Word::Han(w) => han_syllables(w, |syl| {
            if let Some(c) = syl
                .chars()
                .map(plain_ascii)
                .find(|c| c.is_ascii_alphabetic())
            {
                out.push(c);
            }
        }),
    });
    out
}

// ---------------------------------------------------------------------------
// Fast paths and the Unicode style

/// Lowercased ASCII alphanumerics; every run of anything else is one `-`.
fn slugify_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            sep = true;
        }
    }
    out
}

fn slugify_unicode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        let c = half_width(c);
        if c.is_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        } else if is_combining_mark(c) && !sep && !out.is_empty() {
            // Keep decomposed accents with their letter (e + U+0301).
            out.push(c);
        } else {
            sep = true;
        }
    }
    out
}

fn slugify_pinyin(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    for_each_word(name, |word| {
        let mark = out.len();
        if !out.is_empty() {
            out.push('-');
        }
        let start = out.len();
        match word {
            Word::Latin(w) => out.push_str(w),
            Word::Han(w) => han_syllables(w, |syl| push_syllable(&mut out, syl)),
        }
        if out.len() == start {
            // A Han word without any known reading: drop it and its `-`.
            out.truncate(mark);
        }
    });
    out
}

// ---------------------------------------------------------------------------
// Splitting text into words

/// One word of the Pinyin style.
enum Word<'a> {
    /// Lowercase `[a-z0-9]+`, already normalised.
    Latin(&'a str),
    /// Han characters, a (merged) jieba word, a slice of the input.
    Han(&'a str),
}

/// What a non-Han character becomes in the Pinyin style.
enum Fold {
    /// Part of a Latin word.
    Char(char),
    /// Part of a Latin word, several letters (æ → ae).
    Str(&'static str),
    /// Nothing, and no word break either (combining accents).
    Skip,
    /// A word break.
    Sep,
}

/// Calls `f` with each word of `text`, in order.
fn for_each_word(text: &str, mut f: impl FnMut(Word<'_>)) {
    let mut latin = String::new();
    let mut han_start: Option<usize> = None;
    // The current Han run directly follows a Latin word (`2024年`).
    let mut after_latin = false;
    for (i, c) in text.char_indices() {
        if is_han(c) {
            if han_start.is_none() {
                han_start = Some(i);
                after_latin = !latin.is_empty();
            }
            if !latin.is_empty() {
                f(Word::Latin(&latin));
                latin.clear();
            }
            continue;
        }
        if let Some(start) = han_start.take() {
            han_words(&text[start..i], after_latin, &mut f);
        }
        match fold_latin(c) {
            Fold::Char(ch) => latin.push(ch),
            Fold::Str(s) => latin.push_str(s),
            Fold::Skip => {}
            Fold::Sep => {
                if !latin.is_empty() {
                    f(Word::Latin(&latin));
                    latin.clear();
                }
            }
        }
    }
    if let Some(start) = han_start {
        han_words(&text[start..], after_latin, &mut f);
    } else if !latin.is_empty() {
        f(Word::Latin(&latin));
    }
}

/// The global segmenter. Loading the dictionary takes ~100 ms, so it is only
/// touched for text that contains a Han run of three characters or more.
static JIEBA: RwLock<Option<Arc<Jieba>>> = RwLock::new(None);

/// The one jieba segmenter of the process (slugs and the search index share
/// it), created on first use.
pub(crate) fn jieba() -> Arc<Jieba> {
    if let Some(jieba) = JIEBA
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        return jieba.clone();
    }
    let mut slot = JIEBA.write().unwrap_or_else(PoisonError::into_inner);
    slot.get_or_insert_with(|| Arc::new(Jieba::new())).clone()
}

/// Lets the segmenter's dictionary (some 34 MB) go once a build has made its
/// slugs and search index: the render stage rarely needs it (a tag's slug is
/// in the cuts), and a later use loads it again.
pub fn release_segmenter() {
    let jieba = JIEBA.write().unwrap_or_else(PoisonError::into_inner).take();
    crate::drop_later(jieba);
}

/// jieba's tokens of a Han run, from the cuts of earlier builds when it met
/// the run before ([`cuts`]).
fn tokens(run: &str) -> cuts::Tokens {
    #[cfg(test)]
    tests::CUTS_ASKED.with(|n| n.set(n.get() + 1));
    if let Some(tokens) = cuts::get(run) {
        return tokens;
    }
    let tokens: cuts::Tokens = jieba()
        .cut(run, true)
        .iter()
        .map(|t| (t.byte_start, t.byte_end))
        .collect();
    cuts::add(run, &tokens);
    tokens
}

/// Single characters that start the next word rather than end the previous.
const PREFIX_CHARS: &[char] = &['新', '老', '小', '大', '第', '总', '副', '原', '旧'];

/// Starts loading the segmenter on a thread of its own when `text` has a run
/// of three Han characters or more (what a slug needs it for). The load stage
/// calls this with each file's front matter, so the dictionary is ready when
/// the resolve stage slugs the titles instead of holding that stage up while
/// one core loads it. Not when cuts of earlier builds were read ([`cuts`]):
/// those most likely hold every run of this one.
pub(crate) fn warm_up(text: &str) {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if STARTED.load(Ordering::Relaxed) || cuts::any() || !has_han_run(text, 3) {
        return;
    }
    if !STARTED.swap(true, Ordering::Relaxed) {
        std::thread::spawn(jieba);
    }
}

fn has_han_run(text: &str, len: usize) -> bool {
    let mut run = 0;
    text.chars().any(|c| {
        run = if is_han(c) { run + 1 } else { 0 };
        run >= len
    })
}

/// Last characters of administrative units: nothing is glued after them.
const UNIT_CHARS: &[char] = &['省', '市', '区', '县', '镇', '乡', '村', '州', '旗', '盟'];

/// Cuts a run of Han characters into merged words (see the module docs).
/// `after_latin`: the run directly follows ASCII (`2024年…`), so a leading
/// single character belongs to that number and stands alone.
fn han_words(run: &str, after_latin: bool, f: &mut impl FnMut(Word<'_>)) {
    // With the merging rule, one or two characters always form one word.
    if run.chars().nth(2).is_none() {
        f(Word::Han(run));
        return;
    }
    let tokens = tokens(run);
    // Merged words as byte ranges of `run`; tokens are contiguous.
    let mut words: Vec<(usize, usize)> = Vec::with_capacity(tokens.len());
    let mut open = false; // the last word is a lone character waiting for the next
    for &(start, end) in &tokens {
        let mut chars = run[start..end].chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        if open {
            if let Some(last) = words.last_mut() {
                last.1 = end;
            }
            open = false;
            continue;
        }
        if single.is_some() && after_latin && words.is_empty() {
            words.push((start, end));
            continue;
        }
        match (single, words.last_mut()) {
            (Some(c), Some(last))
                if !PREFIX_CHARS.contains(&c)
                    && !run[..last.1].ends_with(|p| UNIT_CHARS.contains(&p)) =>
            {
                last.1 = end;
            }
            (Some(_), _) => {
                words.push((start, end));
                open = true;
            }
            (None, _) => words.push((start, end)),
        }
    }
    for (start, end) in words {
        f(Word::Han(&run[start..end]));
    }
}

// ---------------------------------------------------------------------------
// Pinyin

/// Calls `f` with the toneless syllables of a Han word, in order; characters
/// without a reading are skipped. Syllables may contain `ü`/`ê` (see
/// [`push_syllable`]).
///
/// The pinyin crate reads character by character, and for polyphones its
/// first reading is only the most common one: 重庆 would come out zhong-qing,
/// 银行 yin-xing, 厦门 sha-men. Reading depends on the word, and jieba hands
/// us words, so the longest entry of [`PHRASES`] found at each position wins
/// over the per-character readings; elsewhere the first reading is used. A
/// full word-pinyin dictionary would be megabytes for the few hundred
/// polyphone words a civic site actually uses, and an explicit `slug:` in
/// front matter always wins anyway.
fn han_syllables(word: &str, mut f: impl FnMut(&'static str)) {
    let mut i = 0;
    while i < word.len() {
        let rest = &word[i..];
        if let Some((len, syllables)) = longest_phrase(rest) {
            syllables.split(' ').for_each(&mut f);
            i += len;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if let Some(p) = c.to_pinyin() {
            f(p.plain());
        }
        i += c.len_utf8();
    }
}

/// The longest entry of [`PHRASES`] that `rest` starts with: (byte length,
/// syllables).
fn longest_phrase(rest: &str) -> Option<(usize, &'static str)> {
    let mut ends = [0usize; MAX_PHRASE_CHARS];
    let mut n = 0;
    for (idx, c) in rest.char_indices().take(MAX_PHRASE_CHARS) {
        ends[n] = idx + c.len_utf8();
        n += 1;
    }
    (2..=n).rev().find_map(|k| {
        let candidate = &rest[..ends[k - 1]];
        PHRASES
            .binary_search_by(|(phrase, _)| (*phrase).cmp(candidate))
            .ok()
            .map(|pos| (candidate.len(), PHRASES[pos].1))
    })
}

/// Appends a syllable as plain ASCII: `ü` → `v` (绿 → lv, the usual
/// convention in URLs and input methods), `ê` → `e`.
fn push_syllable(out: &mut String, syllable: &str) {
    out.extend(
        syllable
            .chars()
            .map(plain_ascii)
            .filter(char::is_ascii_alphabetic),
    );
}

fn plain_ascii(c: char) -> char {
    match c {
        'ü' => 'v',
        'ê' => 'e',
        c => c,
    }
}

/// Longest phrase in [`PHRASES`], in characters.
const MAX_PHRASE_CHARS: usize = 4;

/// Polyphone readings by word, toneless, one syllable per character, `ü`
/// written `v`. Sorted by phrase (byte order) for binary search; a test
/// checks the order and that every syllable is a reading the pinyin crate
/// knows for its character.
const PHRASES: &[(&str, &str)] = &[
    ("三都", "san du"),
    ("专长", "zhuan chang"),
    ("东阿", "dong e"),
    ("丰都", "feng du"),
    ("主角", "zhu jue"),
    ("乐器", "yue qi"),
    ("乐团", "yue tuan"),
    ("乐曲", "yue qu"),
    ("乐清", "yue qing"),
    ("乐都", "le du"),
    ("乐队", "yue dui"),
    ("了解", "liao jie"),
    ("人参", "ren shen"),
    ("会稽", "kuai ji"),
    ("会计", "kuai ji"),
    ("会议", "hui yi"),
    ("传承", "chuan cheng"),
    ("传记", "zhuan ji"),
    ("偿还", "chang huan"),
    ("六合", "lu he"),
    ("六安", "lu an"),
    ("协调", "xie tiao"),
    ("单县", "shan xian"),
    ("厦门", "xia men"),
    ("参与", "can yu"),
    ("参差", "cen ci"),
    ("双重", "shuang chong"),
    ("反省", "fan xing"),
    ("古都", "gu du"),
    ("大埔", "da bu"),
    ("大夫", "dai fu"),
    ("宜都", "yi du"),
    ("宝藏", "bao zang"),
    ("宣传", "xuan chuan"),
    ("尉犁", "yu li"),
    ("广场", "guang chang"),
    ("延长", "yan chang"),
    ("建都", "jian du"),
    ("归还", "gui huan"),
    ("成都", "cheng du"),
    ("擅长", "shan chang"),
    ("效率", "xiao lv"),
    ("新都", "xin du"),
    ("昌都", "chang du"),
    ("曾家", "zeng jia"),
    ("朝夕", "zhao xi"),
    ("朝天", "chao tian"),
    ("朝气", "zhao qi"),
    ("朝阳", "chao yang"),
    ("朝霞", "zhao xia"),
    ("枞阳", "zong yang"),
    ("柏林", "bo lin"),
    ("模具", "mu ju"),
    ("模板", "mu ban"),
    ("模样", "mu yang"),
    ("模范", "mo fan"),
    ("民乐", "min yue"),
    ("江都", "jiang du"),
    ("洪洞", "hong tong"),
    ("涡阳", "guo yang"),
    ("淡泊", "dan bo"),
    ("漫长", "man chang"),
    ("牟平", "mu ping"),
    ("特长", "te chang"),
    ("犍为", "qian wei"),
    ("珲春", "hun chun"),
    ("番禺", "pan yu"),
    ("睡觉", "shui jiao"),
    ("社区", "she qu"),
    ("空调", "kong tiao"),
    ("筠连", "jun lian"),
    ("繁峙", "fan shi"),
    ("花都", "hua du"),
    ("蔚县", "yu xian"),
    ("薄弱", "bo ruo"),
    ("藏族", "zang zu"),
    ("蚌埠", "beng bu"),
    ("行业", "hang ye"),
    ("行列", "hang lie"),
    ("行政", "xing zheng"),
    ("行长", "hang zhang"),
    ("表率", "biao shuai"),
    ("西藏", "xi zang"),
    ("调剂", "tiao ji"),
    ("调和", "tiao he"),
    ("调控", "tiao kong"),
    ("调整", "tiao zheng"),
    ("调理", "tiao li"),
    ("调节", "tiao jie"),
    ("调解", "tiao jie"),
    ("迁都", "qian du"),
    ("还乡", "huan xiang"),
    ("还原", "huan yuan"),
    ("退还", "tui huan"),
    ("邛崃", "qiong lai"),
    ("郫都", "pi du"),
    ("都会", "du hui"),
    ("都匀", "du yun"),
    ("都市", "du shi"),
    ("都江堰", "du jiang yan"),
    ("重启", "chong qi"),
    ("重塑", "chong su"),
    ("重复", "chong fu"),
    ("重庆", "chong qing"),
    ("重建", "chong jian"),
    ("重新", "chong xin"),
    ("重温", "chong wen"),
    ("重现", "chong xian"),
    ("重组", "chong zu"),
    ("重走", "chong zou"),
    ("重返", "chong fan"),
    ("重逢", "chong feng"),
    ("重阳", "chong yang"),
    ("铅山", "yan shan"),
    ("银行", "yin hang"),
    ("长久", "chang jiu"),
    ("长城", "chang cheng"),
    ("长子", "zhang zi"),
    ("长宁", "chang ning"),
    ("长安", "chang an"),
    ("长寿", "chang shou"),
    ("长度", "chang du"),
    ("长廊", "chang lang"),
    ("长征", "chang zheng"),
    ("长效", "chang xiao"),
    ("长春", "chang chun"),
    ("长期", "chang qi"),
    ("长桌宴", "chang zhuo yan"),
    ("长江", "chang jiang"),
    ("长沙", "chang sha"),
    ("长治", "chang zhi"),
    ("长白山", "chang bai shan"),
    ("长者", "zhang zhe"),
    ("长跑", "chang pao"),
    ("长远", "chang yuan"),
    ("音乐", "yin yue"),
    ("首都", "shou du"),
    ("黄陂", "huang pi"),
];

// ---------------------------------------------------------------------------
// Character classes

/// Han ideographs (CJK Unified Ideographs and extensions, compatibility
/// ideographs, 〇).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{323AF}')
}

/// Full-width ASCII (ＡＢＣ１２３, U+FF01–FF5E) and the ideographic space to
/// their half-width forms; anything else unchanged.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Combining diacritical marks (decomposed accents).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// A non-Han character in the Pinyin style: ASCII alphanumerics lowercased,
/// full-width ASCII normalised, Latin letters with simple accents stripped
/// (é → e, ß → ss, tone-marked pinyin ǎ → a); everything else separates.
fn fold_latin(c: char) -> Fold {
    let c = half_width(c);
    if c.is_ascii_alphanumeric() {
        return Fold::Char(c.to_ascii_lowercase());
    }
    if c.is_ascii() {
        return Fold::Sep;
    }
    if is_combining_mark(c) {
        return Fold::Skip;
    }
    let folded = match c {
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' | 'Ǎ' | 'ǎ' => 'a',
        'Ç' | 'ç' | 'Ć'..='č' => 'c',
        'Ð' | 'ð' | 'Ď'..='đ' => 'd',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => 'e',
        'Ĝ'..='ģ' => 'g',
        'Ĥ'..='ħ' => 'h',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' | 'Ǐ' | 'ǐ' => 'i',
        'Ĵ' | 'ĵ' => 'j',
        'Ķ' | 'ķ' => 'k',
        'Ĺ'..='ł' => 'l',
        'Ñ' | 'ñ' | 'Ń'..='ň' | 'Ǹ' | 'ǹ' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' | 'Ǒ' | 'ǒ' => 'o',
        'Ŕ'..='ř' => 'r',
        'Ś'..='š' | 'ſ' => 's',
        'Ţ'..='ŧ' => 't',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' | 'Ǔ'..='ǜ' => 'u',
        'Ŵ' | 'ŵ' => 'w',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ'..='Ÿ' => 'y',
        'Ź'..='ž' => 'z',
        'Æ' | 'æ' => return Fold::Str("ae"),
        'Œ' | 'œ' => return Fold::Str("oe"),
        'ß' => return Fold::Str("ss"),
        'Þ' | 'þ' => return Fold::Str("th"),
        'Ĳ' | 'ĳ' => return Fold::Str("ij"),
        _ => return Fold::Sep,
    };
    Fold::Char(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// How often this thread asked for a run's cut.
        pub(super) static CUTS_ASKED: Cell<usize> = const { Cell::new(0) };
    }

    fn py(s: &str) -> String {
        slugify(s, SlugStyle::Pinyin)
    }

    fn uni(s: &str) -> String {
        slugify(s, SlugStyle::Unicode)
    }

    #[test]
    fn phrase_table_is_sorted_and_valid() {
        use pinyin::ToPinyinMulti;
        assert!(PHRASES.len() >= 60);
        for pair in PHRASES.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{:?} not before {:?}",
                pair[0],
                pair[1]
            );
        }
        for &(phrase, syllables) in PHRASES {
            let chars: Vec<char> = phrase.chars().collect();
            let syls: Vec<&str> = syllables.split(' ').collect();
            assert!(
                chars.len() >= 2 && chars.len() <= MAX_PHRASE_CHARS,
                "{phrase}"
            );
            assert_eq!(chars.len(), syls.len(), "{phrase}");
            for (c, syl) in chars.iter().zip(&syls) {
                let known: Vec<String> = c
                    .to_pinyin_multi()
                    .expect("phrase char has pinyin")
                    .into_iter()
                    .map(|p| p.plain().replace('ü', "v"))
                    .collect();
                assert!(
                    known.iter().any(|k| k == syl),
                    "{phrase}: {c} is not {syl} ({known:?})"
                );
            }
        }
    }

    #[test]
    fn example_names() {
        let cases = [
            ("草堂路社区", "caotanglu-shequ"),
            ("青羊区", "qingyangqu"),
            ("青羊", "qingyang"),
            ("新时代文明实践站", "xinshidai-wenming-shijianzhan"),
            (
                "草堂路社区新时代文明实践站",
                "caotanglu-shequ-xinshidai-wenming-shijianzhan",
            ),
            ("四道街社区", "sidaojie-shequ"),
            ("老辈子宣讲团", "laobeizi-xuanjiangtuan"),
            ("昌吉市宁边路街道", "changjishi-ningbianlu-jiedao"),
            ("城中区", "chengzhongqu"),
            ("大通县", "datongxian"),
            ("晋源区", "jinyuanqu"),
            ("西宁市", "xiningshi"),
            ("重庆", "chongqing"),
            ("长沙", "changsha"),
            ("银行", "yinhang"),
            ("厦门", "xiamen"),
            ("长安街", "changanjie"),
            ("乐都区", "leduqu"),
            ("朝阳社区", "chaoyang-shequ"),
            ("都江堰", "dujiangyan"),
            ("音乐会", "yinyuehui"),
            ("还乡", "huanxiang"),
            ("单县", "shanxian"),
            ("六安", "luan"),
            ("曾家村", "zengjiacun"),
            ("行政服务中心", "xingzheng-fuwuzhongxin"),
        ];
        for (name, want) in cases {
            assert_eq!(py(name), want, "{name}");
        }
    }

    #[test]
    fn polyphones_in_longer_names() {
        assert_eq!(py("重庆市渝中区"), "chongqingshi-yuzhongqu");
        assert_eq!(py("长沙市岳麓区"), "changshashi-yueluqu");
        assert_eq!(py("成都市青羊区"), "chengdushi-qingyangqu");
        assert_eq!(py("郫都区"), "piduqu");
        assert_eq!(py("中国银行"), "zhongguoyinhang");
        assert_eq!(py("人民调解委员会"), "renmintiaojie-weiyuanhui");
        assert_eq!(py("社区长者食堂"), "shequ-zhangzhe-shitang");
        assert_eq!(py("重阳节敬老活动"), "chongyangjie-jinglao-huodong");
        assert_eq!(py("西藏"), "xizang");
        // Plain per-character readings where no phrase applies; ü → v.
        assert_eq!(py("绿色"), "lvse");
        assert_eq!(py("女子"), "nvzi");
    }

    #[test]
    fn ascii() {
        assert_eq!(py("Station 3"), "station-3");
        assert_eq!(py("  --Hello,  World!!--  "), "hello-world");
        assert_eq!(py("a/b#c%d?e'f\"g"), "a-b-c-d-e-f-g");
        assert_eq!(py("2024_annual-report.v2"), "2024-annual-report-v2");
        assert_eq!(py("already-a-slug"), "already-a-slug");
        assert_eq!(py(""), "");
        assert_eq!(py("---"), "");
        assert_eq!(uni("Station 3"), "station-3");
    }

    #[test]
    fn a_run_of_three_han_characters_warms_the_segmenter_up() {
        assert!(has_han_run("title: 草堂路社区", 3));
        assert!(!has_han_run("title: 社区 and 站点", 3));
        assert!(!has_han_run("title: 第3站", 3));
        assert!(!has_han_run("title: Station 3", 3));
    }

    #[test]
    fn ascii_and_short_runs_are_never_cut() {
        CUTS_ASKED.with(|n| n.set(0));
        for name in ["Station 3", "index", "2024-annual-report", "Hello, World!"] {
            py(name);
            uni(name);
            pinyin_words(name);
            pinyin_initials(name);
        }
        // Short Chinese runs do not need it either.
        assert_eq!(py("第3站"), "di-3-zhan");
        assert_eq!(py("社区"), "shequ");
        assert_eq!(CUTS_ASKED.with(Cell::get), 0);
        py("草堂路社区");
        assert_eq!(CUTS_ASKED.with(Cell::get), 1);
    }

    #[test]
    fn mixed_chinese_and_ascii() {
        // Rule: ASCII runs are their own words, never glued to Chinese.
        assert_eq!(py("第3站"), "di-3-zhan");
        assert_eq!(py("G20峰会"), "g20-fenghui");
        assert_eq!(py("2024年重阳节"), "2024-nian-chongyangjie");
        assert_eq!(py("草堂路 社区#1"), "caotanglu-shequ-1");
        assert_eq!(py("《学雷锋》志愿服务月"), "xueleifeng-zhiyuan-fuwuyue");
    }

    #[test]
    fn full_width_and_accents() {
        assert_eq!(py("ＡＢＣ１２３"), "abc123");
        assert_eq!(py("社区（ＡＢＣ）"), "shequ-abc");
        assert_eq!(py("草堂路　社区"), "caotanglu-shequ");
        assert_eq!(py("Café Crème"), "cafe-creme");
        assert_eq!(py("Cafe\u{301}"), "cafe");
        assert_eq!(py("Straße Œuvre"), "strasse-oeuvre");
        assert_eq!(py("Chéngdū"), "chengdu");
        assert_eq!(py("Москва 1"), "1");
        assert_eq!(uni("ＡＢＣ１２３"), "abc123");
    }

    #[test]
    fn nothing_usable_is_empty() {
        for name in ["🎉🎉", "！？。", "、", "🏮 · 🏮", "#%?/\"'", "\u{301}"] {
            assert_eq!(py(name), "", "{name}");
            assert_eq!(uni(name), "", "{name}");
        }
    }

    #[test]
    fn unicode_style() {
        assert_eq!(uni("草堂路 社区#1"), "草堂路-社区-1");
        assert_eq!(uni("青羊区/草堂路社区"), "青羊区-草堂路社区");
        assert_eq!(uni("“新时代”文明实践站🎉"), "新时代-文明实践站");
        assert_eq!(uni("50%? 'Quoted'"), "50-quoted");
        assert_eq!(uni("Café 2"), "café-2");
        assert_eq!(uni("re\u{301}sume\u{301}"), "re\u{301}sume\u{301}");
        assert_eq!(uni("《学雷锋》、志愿服务"), "学雷锋-志愿服务");
    }

    const SAMPLES: &[&str] = &[
        "草堂路社区新时代文明实践站",
        "昌吉市宁边路街道",
        "第3站",
        "Station 3",
        "ＡＢＣ１２３",
        "Café Crème",
        "🎉",
        "重庆市 / 长沙市 #2",
        "曾家村文化广场",
        "老辈子宣讲团",
        "  --x--  ",
        "行政服务中心便民服务站",
    ];

    #[test]
    fn idempotent() {
        for name in SAMPLES {
            let once = py(name);
            assert_eq!(py(&once), once, "{name}");
            assert!(
                once.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            assert!(!once.starts_with('-') && !once.ends_with('-') && !once.contains("--"));
            let once = uni(name);
            assert_eq!(uni(&once), once, "{name}");
        }
    }

    #[test]
    fn deterministic() {
        let first: Vec<String> = SAMPLES.iter().map(|s| py(s)).collect();
        let threads: Vec<_> = (0..2)
            .map(|_| std::thread::spawn(|| SAMPLES.iter().map(|s| py(s)).collect::<Vec<_>>()))
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), first);
        }
        assert_eq!(SAMPLES.iter().map(|s| py(s)).collect::<Vec<_>>(), first);
    }

    #[test]
    fn words_and_initials() {
        assert_eq!(
            pinyin_words("草堂路社区新时代文明实践站"),
            ["caotanglu", "shequ", "xinshidai", "wenming", "shijianzhan"]
        );
        assert_eq!(
            pinyin_words("第3站, Station!"),
            ["di", "3", "zhan", "station"]
        );
        assert_eq!(pinyin_words("🎉。"), Vec::<String>::new());
        assert_eq!(pinyin_initials("草堂路"), "ctl");
        assert_eq!(pinyin_initials("重庆长沙"), "cqcs");
        assert_eq!(pinyin_initials("绿色"), "ls");
        assert_eq!(pinyin_initials("G20峰会"), "g20fh");
        assert_eq!(pinyin_initials(""), "");
    }
}
