//! Browser targets (`browsers:` in site.yaml): browserslist queries turned into
//! the versions lightningcss prefixes and lowers the theme's CSS for.
//!
//! Browserslist knows UC (`and_uc`), QQ (`and_qq`) and Baidu (`baidu`), but
//! lightningcss ignores them, and WeChat's built-in browser is unknown to both.
//! All four embed Chromium, so they count as the Chromium version they ship
//! (from their user-agent strings). `uc`, `qq`, `baidu` and `wechat` may also be
//! written directly: `wechat >= 8`.

use lightningcss::targets::Browsers;

/// The targets when site.yaml says nothing: browserslist's `defaults`, the
/// Chromium cores of China's common desktop browsers (360, Sogou, QQ) and the
/// mobile browsers and WeChat most visitors use.
pub const DEFAULT: &[&str] = &[
    "defaults",
    "chrome >= 78",
    "safari >= 13",
    "ios_saf >= 13",
    "uc >= 13",
    "qq >= 13",
    "baidu >= 13",
    "wechat >= 8",
];

/// A Chromium-based browser and the Chromium major version each of its
/// releases embeds: `(from version, chromium)`, oldest first.
struct Embedded {
    names: &'static [&'static str],
    chromium: &'static [(f64, u32)],
}

const EMBEDDED: &[Embedded] = &[
    // UC 11.8 and 12 report Chrome/57, UC 13 to 15 Chrome/78 (U4 3.0)
    Embedded {
        names: &["uc", "and_uc", "ucandroid"],
        chromium: &[(0.0, 40), (11.8, 57), (13.0, 78)],
    },
    // QQ Browser's X5/TBS core: 10.x Chrome/66, 13 and later Chrome/89
    Embedded {
        names: &["qq", "and_qq", "qqandroid"],
        chromium: &[(0.0, 57), (10.0, 66), (13.0, 89)],
    },
    // Baidu app and browser on Android: 13.x reports Chrome/76
    Embedded {
        names: &["baidu"],
        chromium: &[(0.0, 48), (13.0, 76)],
    },
    // WeChat on Android: 7.x on X5/TBS (Chrome/57–66), 8.x on XWeb (Chrome/86+);
    // on iOS it is the system's WebKit, covered by `ios_saf`
    Embedded {
        names: &["wechat", "weixin"],
        chromium: &[(0.0, 57), (8.0, 86)],
    },
];

fn embedded(name: &str) -> Option<&'static Embedded> {
    let name = name.to_ascii_lowercase();
    EMBEDDED.iter().find(|e| e.names.contains(&name.as_str()))
}

/// The Chromium major version embedded by `version` of a browser.
fn chromium_of(browser: &Embedded, version: f64) -> u32 {
    browser
        .chromium
        .iter()
        .rev()
        .find(|(from, _)| version >= *from)
        .map_or(browser.chromium[0].1, |(_, c)| *c)
}

/// `uc >= 13`, `wechat 8`, `qq>12`, `and_uc >= 15`: a query on a Chinese
/// browser, which this module maps itself.
fn own_query(query: &str) -> Option<Result<u32, String>> {
    let split = query
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(query.len());
    let (name, rest) = query.split_at(split);
    let browser = embedded(name)?;
    let rest = rest.trim();
    let (strict, version) = if let Some(v) = rest.strip_prefix(">=") {
        (false, v.trim())
    } else if let Some(v) = rest.strip_prefix('>') {
        (true, v.trim())
    } else if rest.is_empty() {
        return Some(Ok(chromium_of(browser, 0.0)));
    } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
        (false, rest)
    } else {
        return Some(Err(format!(
            "`{query}`: write `{name} >= VERSION` (it counts as the Chromium version it embeds)"
        )));
    };
    match version.parse::<f64>() {
        Ok(v) => Some(Ok(chromium_of(browser, if strict { v + 0.001 } else { v }))),
        Err(_) => Some(Err(format!(
            "`{query}`: `{version}` is not a version number"
        ))),
    }
}

/// `16.4` → lightningcss's `major << 16 | minor << 8`.
fn encode(version: &str) -> Option<u32> {
    let first = version.split('-').next()?;
    let mut parts = first.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major << 16) | (minor.min(255) << 8))
}

fn lower(slot: &mut Option<u32>, version: u32) {
    if slot.is_none_or(|v| version < v) {
        *slot = Some(version);
    }
}

/// Resolves browser queries into lightningcss targets (the oldest version of
/// each browser wins). Errors name the query that failed.
pub fn resolve<S: AsRef<str>>(queries: &[S]) -> Result<Browsers, String> {
    let mut browsers = Browsers::default();
    let mut passed: Vec<&str> = Vec::new();
    for q in queries {
        for part in q.as_ref().split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match own_query(part) {
                Some(Ok(chromium)) => lower(&mut browsers.chrome, chromium << 16),
                Some(Err(e)) => return Err(e),
                None => passed.push(part),
            }
        }
    }
    if passed.is_empty() {
        return Ok(browsers);
    }
    let distribs = browserslist::resolve(&passed, &browserslist::Opts::default())
        .map_err(|e| format!("{e}"))?;
    for d in distribs {
        let Some(version) = encode(d.version()) else {
            continue;
        };
        let slot = match d.name() {
            "android" => &mut browsers.android,
            "chrome" | "and_chr" => &mut browsers.chrome,
            "edge" => &mut browsers.edge,
            "firefox" | "and_ff" => &mut browsers.firefox,
            "ie" => &mut browsers.ie,
            "ios_saf" => &mut browsers.ios_saf,
            "opera" | "op_mob" => &mut browsers.opera,
            "safari" => &mut browsers.safari,
            "samsung" => &mut browsers.samsung,
            name => match embedded(name) {
                Some(b) => {
                    let v = d.version().parse::<f64>().unwrap_or(0.0);
                    lower(&mut browsers.chrome, chromium_of(b, v) << 16);
                    continue;
                }
                None => continue, // Opera Mini, KaiOS…: no CSS engine lightningcss targets
            },
        };
        lower(slot, version);
    }
    Ok(browsers)
}

/// The targets of [`DEFAULT`].
pub fn default_targets() -> Browsers {
    resolve(DEFAULT).expect("the default browser queries resolve")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn major(v: Option<u32>) -> Option<u32> {
        v.map(|v| v >> 16)
    }

    #[test]
    fn chinese_browsers_count_as_their_chromium() {
        let b = resolve(&["wechat >= 8"]).unwrap();
        assert_eq!(major(b.chrome), Some(86));
        let b = resolve(&["uc >= 13", "chrome >= 100"]).unwrap();
        assert_eq!(major(b.chrome), Some(78));
        let b = resolve(&["qq 10.4"]).unwrap();
        assert_eq!(major(b.chrome), Some(66));
    }

    #[test]
    fn browserslist_names_of_chinese_browsers_are_kept() {
        let b = resolve(&["and_uc >= 15", "and_qq >= 14", "baidu>=13"]).unwrap();
        assert_eq!(major(b.chrome), Some(76));
        assert_eq!(b.safari, None);
        // lightningcss's own import drops what browserslist answers for these
        let b = resolve(&["last 1 UCAndroid versions"]).unwrap();
        assert_eq!(major(b.chrome), Some(78));
        let b = resolve(&["last 1 QQAndroid versions"]).unwrap();
        assert_eq!(major(b.chrome), Some(89));
    }

    #[test]
    fn ordinary_queries_pass_through() {
        let b = resolve(&["safari >= 13, firefox >= 100"]).unwrap();
        assert_eq!(major(b.safari), Some(13));
        assert_eq!(major(b.firefox), Some(100));
        assert_eq!(b.chrome, None);
    }

    #[test]
    fn the_default_covers_old_chromium_and_safari() {
        let b = default_targets();
        assert_eq!(major(b.chrome), Some(76));
        assert_eq!(major(b.safari), Some(13));
        assert!(b.firefox.is_some() && b.ios_saf.is_some());
    }

    #[test]
    fn bad_queries_are_errors() {
        assert!(resolve(&["netscape >= 4"]).is_err());
        assert!(resolve(&["wechat >= eight"]).unwrap_err().contains("eight"));
    }
}
