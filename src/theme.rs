//! Themes: the embedded default theme, a site's `themes/NAME/`, and its own
//! `templates/` and `static/`, layered file by file (later layers win).
//!
//! A theme folder holds `templates/` (Tera), `styles/` (CSS, bundled into one
//! hashed file), `scripts/` (JavaScript, each file published under a hashed
//! name) and `static/` (copied as it is).

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default theme, compiled into the binary.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file's bytes come from.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded(&'static [u8]),
    File(PathBuf),
}

impl Origin {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Origin::Embedded(b) => Ok(b.to_vec()),
            Origin::File(p) => std::fs::read(p),
        }
    }
}

/// One file of the theme, with how messages name it.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub origin: Origin,
    pub display: PathBuf,
}

/// The theme as the render stage sees it.
#[derive(Debug, Default, Clone)]
pub struct Theme {
    /// Templates by name (`unit.html`, `partials/card.html`).
    pub templates: BTreeMap<String, ThemeFile>,
    /// Stylesheets by name, bundled in name order.
    pub styles: BTreeMap<String, ThemeFile>,
    /// Scripts by name (`lightbox.js`), each published under a hashed name.
    pub scripts: BTreeMap<String, ThemeFile>,
    /// Files copied to the output as they are, by output path.
    pub static_files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Layers the embedded theme, `themes/NAME/`, `templates/` and `static/` of the site.
    pub fn load(
        root: &Path,
        display_root: &Path,
        config: &Config,
        diagnostics: &Diagnostics,
    ) -> Theme {
        let mut theme = Theme::default();
        theme.add_embedded(&DEFAULT_THEME);
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            let display = display_path(display_root, &Path::new("themes").join(&config.theme));
            theme.add_dir(
                &theme_dir.join("templates"),
                &display.join("templates"),
                Layer::Templates,
                diagnostics,
            );
            theme.add_dir(
                &theme_dir.join("styles"),
                &display.join("styles"),
                Layer::Styles,
                diagnostics,
            );
            theme.add_dir(
                &theme_dir.join("scripts"),
                &display.join("scripts"),
                Layer::Scripts,
                diagnostics,
            );
            theme.add_dir(
                &theme_dir.join("static"),
                &display.join("static"),
                Layer::Static,
                diagnostics,
            );
        } else if config.theme != "default" {
            let known: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    rd.flatten()
                        .filter_map(|e| e.file_name().to_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::error(format!(
                    "theme `{}` not found: there is no folder themes/{}",
                    config.theme, config.theme
                ))
                .in_file(display_path(
                    display_root,
                    Path::new(crate::config::FILE_NAME),
                ))
                .suggest(
                    &config.theme,
                    known.iter().map(String::as_str).chain(["default"]),
                ),
            );
        }
        theme.add_dir(
            &root.join("templates"),
            &display_path(display_root, Path::new("templates")),
            Layer::Templates,
            diagnostics,
        );
        theme.add_dir(
            &root.join("static"),
            &display_path(display_root, Path::new("static")),
            Layer::Static,
            diagnostics,
        );
        theme
    }

    fn add_embedded(&mut self, dir: &'static Dir<'static>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => self.add_embedded(d),
                include_dir::DirEntry::File(f) => {
                    let path = f.path().to_string_lossy().replace('\\', "/");
                    let display = Path::new("<embedded theme>").join(&path);
                    let file = ThemeFile {
                        origin: Origin::Embedded(f.contents()),
                        display,
                    };
                    if let Some(name) = path.strip_prefix("templates/") {
                        self.templates.insert(name.to_string(), file);
                    } else if let Some(name) = path.strip_prefix("styles/") {
                        self.styles.insert(name.to_string(), file);
                    } else if let Some(name) = path.strip_prefix("scripts/") {
                        self.scripts.insert(name.to_string(), file);
                    } else if let Some(name) = path.strip_prefix("static/") {
                        self.static_files.insert(name.to_string(), file);
                    }
                }
            }
        }
    }

    fn add_dir(&mut self, dir: &Path, display: &Path, layer: Layer, diagnostics: &Diagnostics) {
        if !dir.is_dir() {
            return;
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(format!(
                        "cannot read {}: {e}",
                        display.display()
                    )));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.split('/').any(|s| s.starts_with('.')) {
                continue;
            }
            let file = ThemeFile {
                origin: Origin::File(entry.path().to_path_buf()),
                display: display.join(rel),
            };
            let map = match layer {
                Layer::Templates => &mut self.templates,
                Layer::Styles => &mut self.styles,
                Layer::Scripts => &mut self.scripts,
                Layer::Static => &mut self.static_files,
            };
            map.insert(name, file);
        }
    }
}

#[derive(Clone, Copy)]
enum Layer {
    Templates,
    Styles,
    Scripts,
    Static,
}
