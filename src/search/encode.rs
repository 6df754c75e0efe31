//! The compact text encoding of posting lists.
//!
//! Index shards are JavaScript files (so that `file://` pages can load them
//! with `<script>`), so their numbers are written as printable ASCII from a
//! 64-character alphabet that needs no escaping in a JS string:
//!
//! * a **number** is a base-32 varint, most significant digit first; every
//!   digit but the last is shifted up by 32 (`5` → `F`, `40` → `hI`);
//! * a **document set** (ascending ids) is either the gaps between ids as
//!   numbers (first id + 1, then each id minus the previous), or, when that is
//!   longer, `!` and a bitmap of all documents, 6 documents per character;
//! * **small values** per document (a title weight, 0–63) are one character
//!   each; term frequencies (1–4, capped) are packed three to a character.
//!
//! `search.js` decodes exactly this; the decoders here exist for the tests
//! and for [`super::query`].

/// The 64 digits, in value order.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a document set written as a bitmap.
pub const BITMAP: char = '!';

/// The value of an alphabet character.
pub fn digit_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn digit(v: u32) -> char {
    char::from(ALPHABET[v as usize & 63])
}

/// Appends `n` as a varint.
pub fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u32; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = rest & 31;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let d = digits[i] + if i > 0 { 32 } else { 0 };
        out.push(digit(d));
    }
}

/// Appends a value 0–63 as one character (larger values are clamped).
pub fn push_small(out: &mut String, v: u32) {
    out.push(digit(v.min(63)));
}

/// Appends an ascending set of document ids out of `total`, as gaps or as a
/// bitmap, whichever is shorter.
pub fn push_doc_set(out: &mut String, docs: &[u32], total: u32) {
    let mut gaps = String::new();
    let mut prev: i64 = -1;
    for &d in docs {
        push_number(&mut gaps, (i64::from(d) - prev) as u32);
        prev = i64::from(d);
    }
    let bitmap_len = 1 + (docs.last().map_or(0, |&d| d + 1).min(total) as usize).div_ceil(6);
    if bitmap_len < gaps.len() {
        out.push(BITMAP);
        let mut bits = vec![0u32; bitmap_len - 1];
        for &d in docs {
            bits[d as usize / 6] |= 1 << (d % 6);
        }
        out.extend(bits.into_iter().map(digit));
    } else {
        out.push_str(&gaps);
    }
}

/// Appends term frequencies (each capped at 4), three per character.
pub fn push_frequencies(out: &mut String, tfs: &[u32]) {
    for chunk in tfs.chunks(3) {
        let mut v = 0;
        for (i, &tf) in chunk.iter().enumerate() {
            v |= (tf.clamp(1, 4) - 1) << (2 * i);
        }
        out.push(digit(v));
    }
}

/// Reads the varints of `s`.
pub fn numbers(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut n: u32 = 0;
    for b in s.bytes() {
        let v = digit_value(b)?;
        n = (n << 5) | (v & 31);
        if v < 32 {
            out.push(n);
            n = 0;
        }
    }
    Some(out)
}

/// Reads a document set written by [`push_doc_set`].
pub fn doc_set(s: &str) -> Option<Vec<u32>> {
    if let Some(bits) = s.strip_prefix(BITMAP) {
        let mut out = Vec::new();
        for (i, b) in bits.bytes().enumerate() {
            let v = digit_value(b)?;
            for bit in 0..6 {
                if v & (1 << bit) != 0 {
                    out.push((i * 6 + bit) as u32);
                }
            }
        }
        return Some(out);
    }
    let mut prev: i64 = -1;
    Some(
        numbers(s)?
            .into_iter()
            .map(|gap| {
                prev += i64::from(gap);
                prev as u32
            })
            .collect(),
    )
}

/// Reads one-character values.
pub fn smalls(s: &str) -> Option<Vec<u32>> {
    s.bytes().map(digit_value).collect()
}

/// Reads `count` frequencies written by [`push_frequencies`].
pub fn frequencies(s: &str, count: usize) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(count);
    for b in s.bytes() {
        let v = digit_value(b)?;
        for i in 0..3 {
            if out.len() < count {
                out.push(((v >> (2 * i)) & 3) + 1);
            }
        }
    }
    (out.len() == count).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let values = [0, 1, 31, 32, 40, 1023, 1024, 99_999, u32::MAX];
        let mut s = String::new();
        for v in values {
            push_number(&mut s, v);
        }
        assert_eq!(numbers(&s).unwrap(), values);
        let mut five = String::new();
        push_number(&mut five, 5);
        assert_eq!(five, "F");
        let mut forty = String::new();
        push_number(&mut forty, 40);
        assert_eq!(forty, "hI");
    }

    #[test]
    fn sparse_sets_are_gaps_and_dense_ones_bitmaps() {
        let sparse = [3, 900, 5000];
        let mut s = String::new();
        push_doc_set(&mut s, &sparse, 10_000);
        assert!(!s.starts_with(BITMAP));
        assert_eq!(doc_set(&s).unwrap(), sparse);

        let dense: Vec<u32> = (0..600).filter(|d| d % 3 != 0).collect();
        let mut s = String::new();
        push_doc_set(&mut s, &dense, 600);
        assert!(s.starts_with(BITMAP));
        assert_eq!(s.len(), 1 + 100);
        assert_eq!(doc_set(&s).unwrap(), dense);
    }

    #[test]
    fn frequencies_pack_three_per_character() {
        let tfs = [1, 2, 3, 4, 9, 1, 2];
        let mut s = String::new();
        push_frequencies(&mut s, &tfs);
        assert_eq!(s.len(), 3);
        assert_eq!(frequencies(&s, 7).unwrap(), [1, 2, 3, 4, 4, 1, 2]);
    }

    #[test]
    fn alphabet_needs_no_escaping() {
        for &b in ALPHABET {
            assert!(b.is_ascii_graphic() && b != b'"' && b != b'\\');
            assert_eq!(ALPHABET[digit_value(b).unwrap() as usize], b);
        }
    }
}
