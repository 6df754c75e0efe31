//! `site.yaml`: the site's configuration (SPEC §2), with its defaults.

use crate::diagnostics::{Diagnostic, Position};
use crate::slug::SlugStyle;
use crate::yaml::{self, Segment, YamlError};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration file's name; its folder is the site root.
pub const FILE_NAME: &str = "site.yaml";

/// A level of the practice network (中心, 所, 站, 点…), top first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub key: String,
    pub name: String,
    pub short: String,
}

/// A service platform (理论宣讲, 教育服务…).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub key: String,
    pub name: String,
}

/// An output format of derived images.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Webp,
    Jpeg,
}

/// Derived image sizes (`images:`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Images {
    pub widths: Vec<u32>,
    pub formats: Vec<ImageFormat>,
    pub quality: u8,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            widths: vec![480, 960, 1600],
            formats: vec![ImageFormat::Webp, ImageFormat::Jpeg],
            quality: 82,
        }
    }
}

/// The raw file, as written; every key optional but `title`.
#[derive(Debug, Deserialize)]
struct Raw {
    title: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    output_dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    slugs: Option<SlugStyleName>,
    levels: Option<Vec<Level>>,
    platforms: Option<Vec<Platform>>,
    images: Option<Images>,
    minify: Option<bool>,
    search: Option<bool>,
    per_page: Option<usize>,
    unsafe_html: Option<bool>,
    relative_urls: Option<bool>,
    browsers: Option<Vec<String>>,
    map: Option<MapConfig>,
    extra: Option<yaml::Value>,
}

/// The `/map/` page (`map:`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MapConfig {
    /// A GeoJSON file, relative to the site root, drawn under the markers
    /// (boundaries of the county, towns…).
    pub boundary: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SlugStyleName {
    Pinyin,
    Unicode,
}

/// The site's configuration with defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    /// Where derived files and build records are kept between builds.
    pub cache_dir: PathBuf,
    pub slugs: SlugStyle,
    pub levels: Vec<Level>,
    pub platforms: Vec<Platform>,
    pub images: Images,
    pub minify: bool,
    pub search: bool,
    pub per_page: usize,
    pub unsafe_html: bool,
    /// Page-relative links for `file://` (`build --relative-urls`).
    pub relative_urls: bool,
    /// Browser queries the CSS is prefixed and lowered for ([`crate::browsers`]).
    pub browsers: Vec<String>,
    /// `browsers`, resolved.
    pub targets: lightningcss::targets::Browsers,
    pub map: MapConfig,
    pub extra: yaml::Value,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: "/".into(),
            language: "zh-CN".into(),
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            cache_dir: PathBuf::from(".yunzhan-cache"),
            slugs: SlugStyle::Pinyin,
            levels: default_levels(),
            platforms: default_platforms(),
            images: Images::default(),
            minify: true,
            search: true,
            per_page: 24,
            unsafe_html: false,
            relative_urls: false,
            browsers: crate::browsers::DEFAULT
                .iter()
                .map(|s| s.to_string())
                .collect(),
            targets: crate::browsers::default_targets(),
            map: MapConfig::default(),
            extra: yaml::Value::Mapping(Default::default()),
        }
    }
}

/// 中心, 所, 站, 点.
pub fn default_levels() -> Vec<Level> {
    [
        ("center", "新时代文明实践中心", "中心"),
        ("institute", "新时代文明实践所", "所"),
        ("station", "新时代文明实践站", "站"),
        ("point", "新时代文明实践点", "点"),
    ]
    .into_iter()
    .map(|(key, name, short)| Level {
        key: key.into(),
        name: name.into(),
        short: short.into(),
    })
    .collect()
}

/// The six service platforms: (key, name).
pub const DEFAULT_PLATFORMS: &[(&str, &str)] = &[
    ("theory", "理论宣讲"),
    ("education", "教育服务"),
    ("culture", "文化服务"),
    ("science", "科技科普"),
    ("fitness", "健身体育"),
    ("community", "社区便民"),
];

/// The six service platforms.
pub fn default_platforms() -> Vec<Platform> {
    DEFAULT_PLATFORMS
        .iter()
        .map(|&(key, name)| Platform {
            key: key.into(),
            name: name.into(),
        })
        .collect()
}

impl Config {
    /// Reads `site.yaml` in `root`. `display` is how messages name the file.
    pub fn load(root: &Path, display: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![Diagnostic::error(format!("cannot read {FILE_NAME}: {e}")).in_file(display)]
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| vec![Diagnostic::error("the file is not UTF-8 text").in_file(display)])?;
        Config::parse(text.trim_start_matches('\u{feff}'), display)
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
        let to_diag = |e: YamlError| {
            let d = Diagnostic::error(e.message).in_file(display).at(e.position);
            match e.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        };
        let value = yaml::parse(text).map_err(|e| vec![to_diag(e)])?;
        if !matches!(value, yaml::Value::Mapping(_) | yaml::Value::Null) {
            return Err(vec![
                Diagnostic::error(format!("{FILE_NAME} must be a mapping of keys to values"))
                    .in_file(display)
                    .at(Position::new(1, 1)),
            ]);
        }
        let mut errors: Vec<Diagnostic> =
            yaml::unknown_keys(&value, text, &[yaml::fields_of::<Raw>()], FILE_NAME)
                .into_iter()
                .map(to_diag)
                .collect();
        let (raw, type_errors) = yaml::typed::<Raw>(&value, text);
        errors.extend(type_errors.into_iter().map(to_diag));
        let raw = raw.unwrap_or_else(|| {
            yaml::typed::<Raw>(&yaml::Value::Null, "")
                .0
                .expect("empty config parses")
        });
        let at = |path: &[Segment]| yaml::locate(text, path);
        let key = |k: &str| Segment::Key(k.into());

        let mut config = Config::default();
        match raw.title {
            Some(t) if !t.trim().is_empty() => config.title = t,
            _ => errors.push(
                Diagnostic::error("`title` is required")
                    .in_file(display)
                    .at(at(&[key("title")])),
            ),
        }
        if let Some(url) = raw.base_url {
            match normalize_base_url(&url) {
                Ok(u) => config.base_url = u,
                Err(m) => errors.push(
                    Diagnostic::error(m)
                        .in_file(display)
                        .at(at(&[key("base_url")])),
                ),
            }
        }
        if let Some(l) = raw.language {
            config.language = l;
        }
        if let Some(t) = raw.theme {
            config.theme = t;
        }
        if let Some(o) = raw.output_dir {
            config.output_dir = o;
        }
        if let Some(c) = raw.cache_dir {
            config.cache_dir = c;
        }
        if let Some(s) = raw.slugs {
            config.slugs = match s {
                SlugStyleName::Pinyin => SlugStyle::Pinyin,
                SlugStyleName::Unicode => SlugStyle::Unicode,
            };
        }
        if let Some(levels) = raw.levels {
            if levels.is_empty() {
                errors.push(
                    Diagnostic::error("`levels` needs at least one level")
                        .in_file(display)
                        .at(at(&[key("levels")])),
                );
            } else {
                config.levels = levels;
            }
        }
        if let Some(p) = raw.platforms {
            config.platforms = p;
        }
        for (list, keys) in [
            (
                "levels",
                config
                    .levels
                    .iter()
                    .map(|l| l.key.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                "platforms",
                config.platforms.iter().map(|p| p.key.as_str()).collect(),
            ),
        ] {
            for (i, k) in keys.iter().enumerate() {
                let path = [key(list), Segment::Index(i), key("key")];
                if keys[..i].contains(k) {
                    errors.push(
                        Diagnostic::error(format!("`{list}` has the key `{k}` twice"))
                            .in_file(display)
                            .at(at(&path)),
                    );
                } else if k.is_empty()
                    || !k
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    errors.push(
                        Diagnostic::error(format!(
                            "`{list}` key `{k}` must be ASCII letters, digits, `-` or `_`"
                        ))
                        .in_file(display)
                        .at(at(&path)),
                    );
                }
            }
        }
        if let Some(images) = raw.images {
            if images.widths.is_empty() || images.widths.contains(&0) {
                errors.push(
                    Diagnostic::error("`images.widths` needs at least one width, all above 0")
                        .in_file(display)
                        .at(at(&[key("images"), key("widths")])),
                );
            }
            if images.formats.is_empty() {
                errors.push(
                    Diagnostic::error("`images.formats` needs at least one format")
                        .in_file(display)
                        .at(at(&[key("images"), key("formats")])),
                );
            }
            if !(1..=100).contains(&images.quality) {
                errors.push(
                    Diagnostic::error("`images.quality` must be between 1 and 100")
                        .in_file(display)
                        .at(at(&[key("images"), key("quality")])),
                );
            }
            config.images = images;
        }
        if let Some(m) = raw.minify {
            config.minify = m;
        }
        if let Some(s) = raw.search {
            config.search = s;
        }
        if let Some(p) = raw.per_page {
            if p == 0 {
                errors.push(
                    Diagnostic::error("`per_page` must be at least 1")
                        .in_file(display)
                        .at(at(&[key("per_page")])),
                );
            } else {
                config.per_page = p;
            }
        }
        if let Some(u) = raw.unsafe_html {
            config.unsafe_html = u;
        }
        if let Some(r) = raw.relative_urls {
            config.relative_urls = r;
        }
        if let Some(browsers) = raw.browsers {
            match crate::browsers::resolve(&browsers) {
                Ok(targets) => {
                    config.targets = targets;
                    config.browsers = browsers;
                }
                Err(m) => errors.push(
                    Diagnostic::error(format!("`browsers`: {m}"))
                        .in_file(display)
                        .at(at(&[key("browsers")])),
                ),
            }
        }
        if let Some(map) = raw.map {
            config.map = map;
        }
        if let Some(e) = raw.extra {
            config.extra = e;
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The level with this key and its rank (0 = top).
    pub fn level(&self, key: &str) -> Option<(usize, &Level)> {
        self.levels.iter().enumerate().find(|(_, l)| l.key == key)
    }

    pub fn platform(&self, key: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.key == key)
    }

    /// The path part of `base_url` (`/` or `/changji/`): every site URL starts with it.
    pub fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(i) => match self.base_url[i + 3..].find('/') {
                Some(j) => &self.base_url[i + 3 + j..],
                None => "/",
            },
            None => &self.base_url,
        }
    }

    /// The absolute URL for a site path produced with [`Config::base_path`].
    pub fn permalink(&self, url: &str) -> String {
        match self.base_url.find("://") {
            Some(i) => {
                let origin_end = self.base_url[i + 3..]
                    .find('/')
                    .map_or(self.base_url.len(), |j| i + 3 + j);
                format!("{}{}", &self.base_url[..origin_end], url)
            }
            None => url.to_string(),
        }
    }
}

fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let ok_scheme = url.starts_with("http://") || url.starts_with("https://");
    if !(ok_scheme || url.starts_with('/')) {
        return Err(format!(
            "`base_url` must be an absolute URL (https://…) or start with `/`, found `{url}`"
        ));
    }
    if url.contains(char::is_whitespace) || url.contains(['?', '#']) {
        return Err(format!(
            "`base_url` must not contain spaces, `?` or `#`: `{url}`"
        ));
    }
    let mut url = url.to_string();
    if ok_scheme && !url[url.find("://").unwrap_or(0) + 3..].contains('/') {
        url.push('/');
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn defaults() {
        let c = parse("title: 示例").unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.levels.len(), 4);
        assert_eq!(c.platforms[0].key, "theory");
        assert_eq!(c.per_page, 24);
        assert!(c.minify && c.search && !c.unsafe_html);
    }

    #[test]
    fn base_url_path_and_permalinks() {
        let c = parse("title: t\nbase_url: https://example.org/changji").unwrap();
        assert_eq!(c.base_url, "https://example.org/changji/");
        assert_eq!(c.base_path(), "/changji/");
        assert_eq!(c.permalink("/changji/a/"), "https://example.org/changji/a/");
        let c = parse("title: t\nbase_url: https://example.org").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn unknown_keys_suggest() {
        let errors = parse("title: t\nper_pgae: 3\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "site.yaml:2:1: error: unknown field `per_pgae` in site.yaml (did you mean `per_page`?)"
        );
    }

    #[test]
    fn browsers_and_map() {
        let c = parse("title: t\nbrowsers: [wechat >= 8, safari >= 15]\nmap:\n  boundary: map/county.geojson\n").unwrap();
        assert_eq!(c.targets.chrome, Some(86 << 16));
        assert_eq!(c.targets.safari, Some(15 << 16));
        assert_eq!(
            c.map.boundary.as_deref(),
            Some(Path::new("map/county.geojson"))
        );
        let errors = parse("title: t\nbrowsers: [mosaic >= 1]\n").unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("site.yaml:2:1: error: `browsers`:"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn every_error_at_once() {
        let errors = parse("per_page: x\nslugs: pinyn\nimages:\n  quality: 300\n").unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:#?}");
    }
}
