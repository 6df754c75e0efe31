//! Personal data in published text: mainland mobile numbers, resident ID numbers
//! and e-mail addresses outside a unit's `contact`. Hundreds of volunteers write
//! the content; a resident's number must not reach the public site by accident.
//!
//! Found numbers are warnings (`check --strict` makes them errors), reported at
//! their place and shown masked.

use crate::diagnostics::{Diagnostic, Position};
use crate::load::source::Source;

/// Every likely piece of personal data in a file, as warnings.
pub fn scan(source: &Source) -> Vec<Diagnostic> {
    let text = &source.text;
    let skip = contact_block(source);
    let mut found = Vec::new();
    for (start, end, what) in digit_runs(text).chain(emails(text)) {
        if skip.as_ref().is_some_and(|r| r.contains(&start)) {
            continue;
        }
        let shown = mask(&text[start..end]);
        let message = match what {
            Kind::Mobile => format!(
                "a mobile phone number ({shown}) in published text; remove it unless its owner agreed"
            ),
            Kind::IdNumber => {
                format!("a resident ID number ({shown}) in published text; remove it")
            }
            Kind::Email => format!(
                "an e-mail address ({shown}) outside `contact`; remove it unless it is meant to be public"
            ),
        };
        found.push(
            Diagnostic::warning(message)
                .in_file(source.display.clone())
                .at(Position::of_offset(text, start)),
        );
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mobile,
    IdNumber,
    Email,
}

/// The byte range of a `contact:` block in the front matter, where numbers belong.
fn contact_block(source: &Source) -> Option<std::ops::Range<usize>> {
    let fm = source.front_matter.clone();
    let text = &source.text[fm.clone()];
    let mut offset = fm.start;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let indented = line.starts_with(' ') || line.starts_with('\t');
        match start {
            None if line.starts_with("contact:") => start = Some(offset),
            Some(s) if !indented && !line.trim().is_empty() => return Some(s..offset),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|s| s..fm.end)
}

/// Runs of digits (with the `-` or space of written phone numbers) that look like
/// a mobile number or an ID number.
fn digit_runs(text: &str) -> impl Iterator<Item = (usize, usize, Kind)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() || (i > 0 && is_word(bytes[i - 1])) {
                i += 1;
                continue;
            }
            let start = i;
            let mut digits = Vec::with_capacity(18);
            let mut end = i;
            while end < bytes.len() && digits.len() < 19 {
                let b = bytes[end];
                if b.is_ascii_digit() {
                    digits.push(b);
                } else if (b == b'X' || b == b'x') && digits.len() == 17 {
                    digits.push(b'X');
                    end += 1;
                    break;
                } else if !((b == b'-' || b == b' ')
                    && end + 1 < bytes.len()
                    && bytes[end + 1].is_ascii_digit()
                    && digits.len() < 11)
                {
                    break;
                }
                end += 1;
            }
            i = end.max(start + 1);
            if end < bytes.len() && is_word(bytes[end]) {
                continue;
            }
            let kind = match digits.len() {
                11 if digits[0] == b'1' && (b'3'..=b'9').contains(&digits[1]) => Kind::Mobile,
                18 if bytes[start..end].iter().all(|b| b.is_ascii_alphanumeric())
                    && valid_id(&digits) =>
                {
                    Kind::IdNumber
                }
                _ => continue,
            };
            return Some((start, end, kind));
        }
        None
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'/'
}

/// A resident ID number: a plausible birth date and the ISO 7064 MOD 11-2 check digit.
fn valid_id(d: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let num =
        |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = d[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == d[17]
}

/// E-mail addresses: `local@domain.tld`.
fn emails(text: &str) -> impl Iterator<Item = (usize, usize, Kind)> + '_ {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    text.match_indices('@').filter_map(move |(at, _)| {
        let mut start = at;
        while start > 0 && local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && domain(bytes[end]) {
            end += 1;
        }
        let host = text[at + 1..end].trim_end_matches('.');
        let end = at + 1 + host.len();
        let tld = host.rsplit('.').next().unwrap_or("");
        let ok = start < at
            && host.contains('.')
            && tld.len() >= 2
            && tld.bytes().all(|b| b.is_ascii_alphabetic());
        ok.then_some((start, end, Kind::Email))
    })
}

/// `13812345678` → `138****5678`; `a.b@x.cn` → `a***@x.cn`.
fn mask(s: &str) -> String {
    if let Some((user, host)) = s.split_once('@') {
        let first: String = user.chars().take(1).collect();
        return format!("{first}***@{host}");
    }
    let digits: Vec<char> = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let keep = if digits.len() >= 18 { 4 } else { 3 };
    let head: String = digits.iter().take(keep).collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(digits.len() - keep - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str) -> Vec<String> {
        let s = Source::new("a.md".into(), "a.md".into(), text.as_bytes().to_vec()).unwrap();
        scan(&s).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn finds_mobile_numbers_written_many_ways() {
        let w = warnings(
            "---\ntitle: x\n---\n联系电话13812345678。\n或 139-1234-5678，或 150 1234 5678\n",
        );
        assert_eq!(w.len(), 3, "{w:#?}");
        assert!(
            w[0].starts_with("a.md:4:5: warning: a mobile phone number (138****5678)"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn finds_id_numbers_with_a_valid_check_digit() {
        // 11010519491231002X is the standard's own example
        let w =
            warnings("---\ntitle: x\n---\n身份证号11010519491231002X\n另一个110105194912310021\n");
        assert_eq!(w.len(), 1, "{w:#?}");
        assert!(w[0].contains("1101**********002X"), "{}", w[0]);
    }

    #[test]
    fn e_mail_is_fine_in_contact_only() {
        let w = warnings(
            "---\ntitle: x\ncontact:\n  email: office@example.org\n  phone: 13812345678\n---\n写信给 zhang.san@example.com\n",
        );
        assert_eq!(w.len(), 1, "{w:#?}");
        assert!(
            w[0].starts_with("a.md:7:5: warning: an e-mail address (z***@example.com)"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn ordinary_figures_and_urls_are_not_personal_data() {
        let w = warnings(
            "---\ntitle: x\n---\n服务群众12000人次，电话0994-2345678，编号20240501123456，链接 https://example.org/13812345678/ 和 v1.13812345678\n",
        );
        assert!(w.is_empty(), "{w:#?}");
    }
}
