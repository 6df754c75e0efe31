//! `yunzhan new`: scaffold a unit, project, team, event or exhibit.

use crate::config::Config;
use crate::load::{CONTENT_DIR, file_name, parent_dir};
use clap::ValueEnum;
use std::path::Path;

/// What `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Unit,
    Project,
    Team,
    Event,
    Exhibit,
}

/// Creates the file and says where it went.
pub fn run(root: &Path, kind: Kind, path: &str) -> Result<String, String> {
    let config = Config::load(root, &root.join(crate::config::FILE_NAME)).map_err(|e| {
        e.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let content = root.join(CONTENT_DIR);
    let path = path
        .trim()
        .trim_matches('/')
        .trim_end_matches(".md")
        .replace('\\', "/");
    let path = path.strip_prefix("content/").unwrap_or(&path).to_string();
    if path.is_empty()
        || path
            .split('/')
            .any(|s| s == ".." || s == "." || s.is_empty())
    {
        return Err(format!("`{path}` is not a path under content/"));
    }
    let title = file_name(&path).to_string();
    let (file, front) = match kind {
        Kind::Unit => {
            let level = level_below(&config, &content, parent_dir(&path));
            let f = format!("{path}/_index.md");
            let text = format!(
                "level: {level}\nestablished: {}\naddress: \"\"\nplatforms: []\nstats:\n  volunteers: 0\n  teams: 0\n  activities: 0\n  served: 0\n",
                today().get(..4).unwrap_or("2025")
            );
            (f, text)
        }
        Kind::Project | Kind::Team | Kind::Event => {
            let folder = match kind {
                Kind::Project => "projects",
                Kind::Team => "teams",
                _ => "events",
            };
            let (unit, name) = match path.rsplit_once(&format!("/{folder}/")) {
                Some((u, n)) => (u.to_string(), n.to_string()),
                None => (parent_dir(&path).to_string(), title.clone()),
            };
            if !is_unit(&content, &unit) {
                return Err(format!(
                    "there is no unit at content/{unit} (a folder whose _index.md has `level:`); create it with `yunzhan new unit {unit}`"
                ));
            }
            let base = format!("{unit}/{folder}/{name}");
            match kind {
                Kind::Project => (
                    format!("{base}.md"),
                    "platform: \nsince: \nteams: []\n".to_string(),
                ),
                Kind::Team => (
                    format!("{base}.md"),
                    "kind: volunteer\nmembers: 0\nplatform: \n".to_string(),
                ),
                _ => (
                    format!("{base}/index.md"),
                    format!(
                        "date: {}\nplatform: \nparticipants: 0\nplace: \"\"\n# photos: put the pictures beside this file; list them to give alt text:\n# photos:\n#   - {{src: photo-1.jpg, alt: 描述照片内容, caption: 图片说明}}\n",
                        today()
                    ),
                ),
            }
        }
        Kind::Exhibit => {
            let zone = parent_dir(&path);
            if !content.join(zone).join("_index.md").is_file() {
                return Err(format!(
                    "there is no zone at content/{zone}: exhibits go into a zone folder of a hall"
                ));
            }
            (
                format!("{path}/index.md"),
                "medium: \nauthor: \nyear: \nunit: \n# images: put the pictures beside this file\n"
                    .to_string(),
            )
        }
    };
    let target = content.join(&file);
    if target.exists() {
        return Err(format!("content/{file} already exists"));
    }
    let text = format!("---\ntitle: {title}\n{front}---\n\n在这里写正文。\n");
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(&target, text).map_err(|e| e.to_string())?;
    Ok(format!("created content/{file}"))
}

fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

fn is_unit(content: &Path, dir: &str) -> bool {
    read_level(content, dir).is_some()
}

fn read_level(content: &Path, dir: &str) -> Option<String> {
    let text = std::fs::read_to_string(content.join(dir).join("_index.md")).ok()?;
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| {
            l.strip_prefix("level:")
                .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        })
}

/// The level one below the nearest unit above `dir` (or the top level).
fn level_below(config: &Config, content: &Path, mut dir: &str) -> String {
    loop {
        if let Some(level) = read_level(content, dir) {
            let rank = config.level(&level).map_or(0, |(r, _)| r + 1);
            return config.levels[rank.min(config.levels.len() - 1)].key.clone();
        }
        if dir.is_empty() {
            return config.levels[0].key.clone();
        }
        dir = parent_dir(dir);
    }
}
