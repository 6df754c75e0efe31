//! The theme's assets: stylesheets bundled, prefixed for the configured
//! browsers and minified with lightningcss; scripts minified; both published
//! under names that carry a hash of their content (cacheable forever). And the
//! HTML minifier the pages go through when `minify: true`.

use super::{Contents, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Site;
use crate::theme::{Theme, ThemeFile};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::Targets;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A short content hash for file names.
fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..10].to_string()
}

fn read_text(file: &ThemeFile, what: &str, diagnostics: &Diagnostics) -> Option<String> {
    match file.origin.read().map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        _ => {
            diagnostics.push(
                Diagnostic::error(format!("cannot read the {what} as UTF-8 text"))
                    .in_file(file.display.clone()),
            );
            None
        }
    }
}

/// One stylesheet through lightningcss: parsed (errors at their line), lowered
/// and prefixed for `targets`, minified or pretty.
pub fn compile_css(
    text: &str,
    file: &ThemeFile,
    targets: Targets,
    minify: bool,
    diagnostics: &Diagnostics,
) -> Option<String> {
    let options = ParserOptions {
        filename: file.display.display().to_string(),
        ..ParserOptions::default()
    };
    let mut sheet = match StyleSheet::parse(text, options) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::error(format!("CSS: {}", e.kind)).in_file(file.display.clone());
            diagnostics.push(match e.loc {
                Some(loc) => d.at(Position::new(loc.line as usize + 1, loc.column as usize)),
                None => d,
            });
            return None;
        }
    };
    if let Err(e) = sheet.minify(MinifyOptions {
        targets,
        ..MinifyOptions::default()
    }) {
        diagnostics.push(Diagnostic::error(format!("CSS: {e}")).in_file(file.display.clone()));
        return None;
    }
    match sheet.to_css(PrinterOptions {
        minify,
        targets,
        ..PrinterOptions::default()
    }) {
        Ok(out) => Some(out.code),
        Err(e) => {
            diagnostics.push(Diagnostic::error(format!("CSS: {e}")).in_file(file.display.clone()));
            None
        }
    }
}

/// The theme's stylesheets as bundles, each file in name order: the files of
/// `styles/` make `assets/style.HASH.css`, those of a sub-folder `styles/NAME/`
/// make `assets/NAME.HASH.css` for the pages that link it (the poster, the map).
/// Returns bundle name → URL (`style` is the main one).
pub fn styles(
    site: &Site,
    theme: &Theme,
    diagnostics: &Diagnostics,
    files: &mut Vec<OutputFile>,
) -> BTreeMap<String, String> {
    let targets = Targets::from(site.config.targets);
    let mut bundles: BTreeMap<String, Vec<&ThemeFile>> = BTreeMap::new();
    for (name, file) in &theme.styles {
        if !name.ends_with(".css") {
            continue;
        }
        let bundle = match name.split_once('/') {
            Some((folder, _)) => folder.to_string(),
            None => "style".to_string(),
        };
        bundles.entry(bundle).or_default().push(file);
    }
    let mut urls = BTreeMap::new();
    for (bundle, members) in bundles {
        let parts: Vec<Option<String>> = members
            .par_iter()
            .map(|file| {
                let text = read_text(file, "stylesheet", diagnostics)?;
                compile_css(&text, file, targets, site.config.minify, diagnostics)
            })
            .collect();
        let css: String = parts
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(if site.config.minify { "" } else { "\n" });
        if css.is_empty() {
            continue;
        }
        let name = format!("assets/{bundle}.{}.css", hash(css.as_bytes()));
        urls.insert(bundle, format!("{}{name}", site.config.base_path()));
        files.push(OutputFile {
            path: name,
            contents: Contents::Bytes(css.into_bytes()),
        });
    }
    urls
}

/// The theme's scripts, each as `assets/NAME.HASH.js` (minified when
/// `minify: true`). Returns name stem → URL (`lightbox` → `/assets/lightbox.1a2b….js`).
pub fn scripts(
    site: &Site,
    theme: &Theme,
    diagnostics: &Diagnostics,
    files: &mut Vec<OutputFile>,
) -> BTreeMap<String, String> {
    let mut urls = BTreeMap::new();
    for (name, file) in &theme.scripts {
        let Some(stem) = name.strip_suffix(".js") else {
            continue;
        };
        let Some(text) = read_text(file, "script", diagnostics) else {
            continue;
        };
        let code = if site.config.minify {
            minify_js(&text)
        } else {
            text
        };
        let path = format!("assets/{stem}.{}.js", hash(code.as_bytes()));
        urls.insert(
            stem.replace(['/', '-', '.'], "_"),
            format!("{}{path}", site.config.base_path()),
        );
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(code.into_bytes()),
        });
    }
    urls
}

/// JavaScript minified by minify-html's JS minifier (wrapped in a `<script>`,
/// which is the door minify-html opens to it). Comments and spacing go; the
/// code stays as written when the minifier can't parse it.
fn minify_js(code: &str) -> String {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    // oxc directly rather than through minify-html, whose printer keeps comments
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, code, SourceType::cjs()).parse();
    if !parsed.errors.is_empty() {
        return code.to_string();
    }
    let mut program = parsed.program;
    Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions::default()),
        compress: Some(CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let min = Codegen::new()
        .with_options(CodegenOptions::minify())
        .build(&program)
        .code;
    if min.len() < code.len() {
        min
    } else {
        code.to_string()
    }
}

/// The minifier's settings: spec-compliant output only (the HTML checker
/// passes it), inline SVG kept as XML-style foreign content.
fn html_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    }
}

/// The largest page that is minified: minify-html parses a whole page into a
/// tree some 15 times its size, and the map of a province's 36,000 units is a
/// 20 MB page (a 300 MB tree). Bigger pages are written as rendered.
pub const MINIFY_MAX: usize = 4 << 20;

/// Minifies one HTML page (unless it is bigger than [`MINIFY_MAX`]).
pub fn minify_page(html: &mut Vec<u8>) {
    minify_with(html, &html_cfg());
}

/// Minifies every HTML page of `files` in place.
pub fn minify_pages(files: &mut [OutputFile]) {
    let cfg = html_cfg();
    files.par_iter_mut().for_each(|f| {
        if f.path.ends_with(".html")
            && let Contents::Bytes(bytes) = &mut f.contents
        {
            minify_with(bytes, &cfg);
        }
    });
}

fn minify_with(html: &mut Vec<u8>, cfg: &minify_html::Cfg) {
    if html.len() <= MINIFY_MAX {
        *html = minify_html::minify(html, cfg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Origin;
    use std::path::PathBuf;

    fn file() -> ThemeFile {
        ThemeFile {
            origin: Origin::Embedded(b""),
            display: PathBuf::from("themes/t/styles/main.css"),
        }
    }

    #[test]
    fn css_is_prefixed_for_old_targets_and_minified() {
        let d = Diagnostics::new();
        let css = ".a { user-select: none; }\n.b { inset: 0; color: #ff0000; }\n";
        let old = crate::browsers::resolve(&["safari >= 13", "chrome >= 80"]).unwrap();
        let out = compile_css(css, &file(), Targets::from(old), true, &d).unwrap();
        assert!(out.contains("-webkit-user-select:none"), "{out}");
        assert!(
            out.contains("top:0"),
            "inset is lowered for Safari 13: {out}"
        );
        assert!(out.contains("color:red"));
        assert!(!out.contains('\n'));
        let new = crate::browsers::resolve(&["chrome >= 120"]).unwrap();
        let out = compile_css(css, &file(), Targets::from(new), true, &d).unwrap();
        assert!(
            out.contains("inset:0") && !out.contains("-webkit-"),
            "{out}"
        );
        assert!(!d.has_errors());
    }

    #[test]
    fn css_errors_name_the_line() {
        let d = Diagnostics::new();
        assert!(
            compile_css(
                ".a { color: red }\n@media ( {\n",
                &file(),
                Targets::default(),
                true,
                &d
            )
            .is_none()
        );
        let errors = d.into_sorted();
        assert!(
            errors[0]
                .to_string()
                .starts_with("themes/t/styles/main.css:2:"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn scripts_lose_comments_and_spacing() {
        let js = "// a comment\nfunction add(first, second) {\n  return first + second;\n}\nwindow.add = add;\n";
        let min = minify_js(js);
        assert!(!min.contains("comment") && min.len() < js.len(), "{min}");
        assert!(min.contains("window.add"));
    }

    #[test]
    fn pages_over_the_limit_are_written_as_rendered() {
        let page = |items: usize| {
            let mut html = String::from("<!DOCTYPE html>\n<html>\n<body>\n<ul>\n");
            for i in 0..items {
                html.push_str(&format!("  <li class=\"unit\">  阵地 {i}  </li>\n"));
            }
            html.push_str("</ul>\n</body>\n</html>\n");
            html.into_bytes()
        };
        let small = page(10);
        let mut minified = small.clone();
        minify_page(&mut minified);
        assert!(minified.len() < small.len());
        let big = page(MINIFY_MAX / 30);
        assert!(big.len() > MINIFY_MAX);
        let mut kept = big.clone();
        minify_page(&mut kept);
        assert!(kept == big, "a page over the limit is left as it is");
    }

    #[test]
    fn minified_html_keeps_svg_and_attributes() {
        let mut files = vec![OutputFile {
            path: "index.html".into(),
            contents: Contents::Bytes(
                b"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><title>t</title></head>\n<body>\n  <p class=\"x\">  \xe4\xbd\xa0\xe5\xa5\xbd  </p>\n  <svg viewBox=\"0 0 10 10\"><path d=\"M0 0h1v1h-1z\"/></svg>\n</body>\n</html>\n"
                    .to_vec(),
            ),
        }];
        minify_pages(&mut files);
        let Contents::Bytes(out) = &files[0].contents else {
            unreachable!()
        };
        let out = String::from_utf8(out.clone()).unwrap();
        assert!(
            out.to_ascii_lowercase()
                .starts_with("<!doctype html><html lang=zh-cn>"),
            "{out}"
        );
        assert!(
            out.contains("<path d=\"M0 0h1v1h-1z\"/>")
                || out.contains("<path d=\"M0 0h1v1h-1z\"></path>"),
            "{out}"
        );
        assert!(!out.contains("\n  "));
    }
}
