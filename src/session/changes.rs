//! Which part of a site a changed path belongs to.

use std::path::{Component, Path};

/// What a changed file is to the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `site.yaml`: everything may change.
    Config,
    /// A template of the site or of a theme.
    Template,
    /// A stylesheet of a theme (or the site's `styles/`).
    Style,
    /// A file of `static/` (the site's or a theme's).
    Static,
    /// Something under `content/`, by its path there (`/`-separated).
    Content(String),
    /// Not part of the site (the output, the cache, editor files…).
    Other,
}

/// Classifies `path` (absolute, or relative to `root`).
pub fn classify(root: &Path, path: &Path) -> Kind {
    let canonical;
    let relative = match path.strip_prefix(root) {
        Ok(r) => r,
        Err(_) => {
            // the watcher reports canonical paths; the root may not be one
            canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            match path.strip_prefix(&canonical) {
                Ok(r) => r,
                Err(_) if path.is_relative() => path,
                Err(_) => return Kind::Other,
            }
        }
    };
    let mut parts = Vec::new();
    for c in relative.components() {
        match c {
            Component::Normal(s) => match s.to_str() {
                Some(s) => parts.push(s),
                None => return Kind::Other,
            },
            Component::CurDir => {}
            _ => return Kind::Other,
        }
    }
    // hidden files and folders (editor swap files, .git…) are never part of a site
    if parts.iter().any(|p| p.starts_with('.')) || parts.is_empty() {
        return Kind::Other;
    }
    match parts.as_slice() {
        [crate::config::FILE_NAME] => Kind::Config,
        ["content", rest @ ..] if !rest.is_empty() => Kind::Content(rest.join("/")),
        ["content"] => Kind::Content(String::new()),
        ["templates", ..] => Kind::Template,
        ["static", ..] => Kind::Static,
        ["styles", ..] => Kind::Style,
        ["themes", _, "templates", ..] => Kind::Template,
        ["themes", _, "styles", ..] => Kind::Style,
        ["themes", _, "static", ..] => Kind::Static,
        // a whole theme folder appeared, went or was renamed
        ["themes", ..] => Kind::Template,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_into_their_parts() {
        let root = Path::new("/site");
        let k = |p: &str| classify(root, Path::new(p));
        assert_eq!(k("/site/site.yaml"), Kind::Config);
        assert_eq!(
            k("/site/content/青羊区/_index.md"),
            Kind::Content("青羊区/_index.md".into())
        );
        assert_eq!(k("/site/content"), Kind::Content(String::new()));
        assert_eq!(k("/site/templates/unit.html"), Kind::Template);
        assert_eq!(k("/site/themes/default/styles/main.css"), Kind::Style);
        assert_eq!(k("/site/themes/x/static/a.js"), Kind::Static);
        assert_eq!(k("/site/static/logo.png"), Kind::Static);
        assert_eq!(k("/site/content/.a.md.swp"), Kind::Other);
        assert_eq!(k("/site/public/index.html"), Kind::Other);
        assert_eq!(k("/elsewhere/site.yaml"), Kind::Other);
        assert_eq!(k("content/a.md"), Kind::Content("a.md".into()));
    }
}
