//! References between items (SPEC §3.4): by slug, file name or title, looked up
//! in the current unit first and then in the whole site, or by path from
//! `content/`. Also the `@/path.md` links of Markdown bodies.

use crate::diagnostics::did_you_mean;
use crate::model::{ItemRef, Site, UnitId};
use std::collections::HashMap;

/// What a ref may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Unit,
    Project,
    Team,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::Unit => "unit",
            Target::Project => "project",
            Target::Team => "team",
        }
    }

    fn matches(self, item: ItemRef) -> bool {
        matches!(
            (self, item),
            (Target::Unit, ItemRef::Unit(_))
                | (Target::Project, ItemRef::Project(_))
                | (Target::Team, ItemRef::Team(_))
        )
    }
}

/// Lookup tables over every published item.
#[derive(Debug, Default)]
pub struct RefIndex {
    /// `a/b/c.md`, `a/b` (folders of units, sections, bundles), `a/b/_index.md`…
    by_path: HashMap<String, ItemRef>,
    /// (target, name) → items: names are the slug, the file or folder name and the title.
    by_name: HashMap<(Target, String), Vec<ItemRef>>,
}

impl RefIndex {
    /// Indexes `site`. `paths` gives each item's source path and folder (for `_index.md`/bundles).
    pub fn build(site: &Site, names: &[(ItemRef, String, Option<String>)]) -> RefIndex {
        let mut index = RefIndex::default();
        for (item, path, dir) in names {
            index.by_path.insert(path.clone(), *item);
            if let Some(dir) = dir {
                index.by_path.insert(dir.clone(), *item);
            }
            let target = match item {
                ItemRef::Unit(_) => Target::Unit,
                ItemRef::Project(_) => Target::Project,
                ItemRef::Team(_) => Target::Team,
                _ => continue,
            };
            let meta = site.meta(*item);
            let file_name = dir.as_deref().unwrap_or(path.trim_end_matches(".md"));
            let file_name = crate::load::file_name(file_name).to_string();
            let mut keys = vec![meta.slug.clone(), meta.title.clone(), file_name];
            keys.sort();
            keys.dedup();
            for k in keys {
                index.by_name.entry((target, k)).or_default().push(*item);
            }
        }
        index
    }

    /// The item at a path from `content/` (`@/` and a leading `/` allowed).
    pub fn by_path(&self, path: &str) -> Option<ItemRef> {
        let p = normalize(path);
        self.by_path
            .get(p)
            .or_else(|| self.by_path.get(&format!("{p}.md")))
            .copied()
    }

    /// Resolves a ref written in an item of `current` unit.
    pub fn lookup(
        &self,
        site: &Site,
        target: Target,
        name: &str,
        current: Option<UnitId>,
    ) -> Result<ItemRef, String> {
        let name = name.trim();
        if looks_like_path(name) {
            return match self.by_path(name) {
                Some(item) if target.matches(item) => Ok(item),
                Some(item) => Err(format!(
                    "`{name}` is a {}, not a {}",
                    item.kind(),
                    target.noun()
                )),
                None => Err(format!("no file at `{name}` under content/")),
            };
        }
        let found = self
            .by_name
            .get(&(target, name.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        match found {
            [one] => return Ok(*one),
            [] => {
                let titles = self
                    .by_name
                    .keys()
                    .filter(|(t, _)| *t == target)
                    .map(|(_, n)| n.as_str());
                let mut message = format!("no {} named `{name}`", target.noun());
                if let Some(best) = did_you_mean(name, titles) {
                    message.push_str(&format!(" (did you mean `{best}`?)"));
                }
                return Err(message);
            }
            _ => {}
        }
        // several: prefer the ones of the current unit (or under it, for units)
        if let Some(current) = current {
            let local: Vec<ItemRef> = found
                .iter()
                .copied()
                .filter(|item| match item {
                    ItemRef::Unit(u) => site.is_under(*u, current),
                    other => site.owner_unit(*other) == Some(current),
                })
                .collect();
            if let [one] = local.as_slice() {
                return Ok(*one);
            }
        }
        let mut places: Vec<String> = found
            .iter()
            .filter_map(|item| site.source(*item).map(|s| s.path.clone()))
            .collect();
        places.sort();
        Err(format!(
            "`{name}` names {} {}s ({}); write the path of the one you mean",
            found.len(),
            target.noun(),
            places.join(", ")
        ))
    }
}

/// Whether a ref is a path rather than a name.
pub fn looks_like_path(name: &str) -> bool {
    name.contains('/') || name.ends_with(".md")
}

fn normalize(path: &str) -> &str {
    let p = path.trim();
    let p = p.strip_prefix("@/").unwrap_or(p);
    let p = p.trim_start_matches('/');
    let p = p.strip_prefix("content/").unwrap_or(p);
    let p = p.trim_end_matches('/');
    p.strip_suffix("/_index.md")
        .or_else(|| p.strip_suffix("/index.md"))
        .unwrap_or(p)
}

/// Joins a relative path onto a folder of `content/`, refusing to climb out of it.
pub fn join(dir: &str, relative: &str) -> Result<String, String> {
    let relative = relative.trim();
    let (start, rest) = match relative
        .strip_prefix('/')
        .or_else(|| relative.strip_prefix("@/"))
    {
        Some(r) => ("", r),
        None => (dir, relative),
    };
    let mut parts: Vec<&str> = start.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rest.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{relative}` leads outside `content/`"));
                }
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join("a/b", "c.jpg").unwrap(), "a/b/c.jpg");
        assert_eq!(join("a/b", "../c.jpg").unwrap(), "a/c.jpg");
        assert_eq!(join("a/b", "/x/y.jpg").unwrap(), "x/y.jpg");
        assert!(join("a", "../../etc/passwd").is_err());
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("@/a/b/_index.md"), "a/b");
        assert_eq!(normalize("/content/a/b/"), "a/b");
        assert_eq!(normalize("a/x/index.md"), "a/x");
    }
}
