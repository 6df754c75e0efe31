//! Stage 1, load: find the files of `content/`, read them, split and parse their
//! front matter, and decide what each file is (unit, event, zone…).
//!
//! Nothing here knows about URLs or other files' contents; that is the resolve
//! stage's work.

mod cache;
pub mod front_matter;
pub mod source;
pub(crate) mod walk;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Position, display_path};
use crate::yaml::{self, Segment};
use front_matter::*;
use rayon::prelude::*;
use source::Source;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cache::LoadCache;

/// The content folder's name.
pub const CONTENT_DIR: &str = "content";

/// What a Markdown file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Home,
    Unit,
    Section,
    Hall,
    Zone,
    Project,
    Team,
    Event,
    Exhibit,
    Page,
}

/// The kind-specific fields of a file.
#[derive(Debug, Clone)]
pub enum Fields {
    None,
    Unit(UnitFields),
    Hall(HallFields),
    Zone(ZoneFields),
    Project(ProjectFields),
    Team(TeamFields),
    Event(EventFields),
    Exhibit(ExhibitFields),
}

/// One Markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Index into [`Loaded::sources`].
    pub source: usize,
    pub role: Role,
    /// The folder this file speaks for: its own folder for `_index.md` and bundles
    /// (`index.md`), else the folder it lies in.
    pub dir: String,
    /// For leaves: `index.md` of a bundle (its images are beside it).
    pub bundle: bool,
    /// The file's name without `.md` (the bundle folder's name for bundles).
    pub name: String,
    /// For leaves: the folder with the `_index.md` they belong to (`""` = the home page).
    pub owner_dir: String,
    pub common: Common,
    pub fields: Fields,
}

/// A folder of `content/`.
#[derive(Debug, Default, Clone)]
pub struct Dir {
    /// The `_index.md` in it (index into sources).
    pub index: Option<usize>,
    /// The `index.md` in it (a bundle).
    pub bundle: Option<usize>,
    /// Image files directly in it, by file name.
    pub images: Vec<String>,
    /// Other files to publish as they are (PDF, video…), by file name.
    pub files: Vec<String>,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Arc<Source>>,
    pub docs: Vec<Doc>,
    /// Every folder, by path under `content/` (`""` is `content/` itself).
    pub dirs: BTreeMap<String, Dir>,
    /// Each Markdown file's share of the input fingerprint, by path under
    /// `content/`, when [`Options::file_parts`] asked for them.
    pub file_parts: HashMap<String, crate::fingerprint::Share>,
}

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];
/// Files that are data, not pages or assets: never published.
const DATA_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "geojson", "toml"];

/// Whether a file name is an image yunzhan publishes.
pub fn is_image(name: &str) -> bool {
    extension(name).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

fn extension(name: &str) -> Option<String> {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The folder part of a `/`-separated path (`""` at the top).
pub fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The last segment of a `/`-separated path.
pub fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// The Markdown a one-off build holds from the load stage to the resolve
/// stage, which renders it: 64 MiB is some 20,000 pages, whose HTML is then
/// held until their pages are made. A bigger site holds no body: the resolve
/// stage reads each file again to scan it, and its page to render it (twice the
/// parsing, a fraction of the memory).
pub const BODY_BUDGET: usize = 64 << 20;

/// A site of more Markdown files than this holds no body whatever their size:
/// bodies held until the budget runs out and then let go would leave their
/// memory in pieces for the rest of the build.
pub const MAX_FILES_HELD: usize = 20_000;

/// How a one-off build loads.
pub struct Options {
    /// Hold the Markdown bodies only while they add up to this many bytes or
    /// less ([`BODY_BUDGET`]).
    pub body_budget: usize,
    /// Take each Markdown file's share of the input fingerprint from the
    /// bytes read ([`Loaded::file_parts`]).
    pub file_parts: bool,
    /// `content/` as already listed (for the input fingerprint), rather than
    /// listed again.
    pub listing: Option<Listing>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            body_budget: BODY_BUDGET,
            file_parts: false,
            listing: None,
        }
    }
}

/// What the load stage finds in `content/`: every entry but the hidden ones
/// (a name starting with `.`) and what they hold, in walk order; symbolic
/// links are not followed. Listed once per build, for the load stage and the
/// input fingerprint alike.
pub struct Listing(Vec<Result<walk::Entry, walk::Error>>);

impl Listing {
    /// Lists the `content` folder.
    pub fn of(content: &Path) -> Listing {
        let hidden = |name: &std::ffi::OsStr| name.to_str().is_some_and(|n| n.starts_with('.'));
        Listing(walk::entries(content, &hidden))
    }

    /// The entries, and the folders that could not be listed.
    pub(crate) fn entries(&self) -> &[Result<walk::Entry, walk::Error>] {
        &self.0
    }
}

/// Reads `content/` under `root`.
pub fn load(
    root: &Path,
    display_root: &Path,
    config: &Config,
    diagnostics: &Diagnostics,
    options: Options,
) -> Loaded {
    load_listed(
        root,
        display_root,
        config,
        diagnostics,
        &mut LoadCache::one_off(options.body_budget, options.file_parts),
        options.listing,
    )
}

/// Reads `content/` like [`load`], taking from `cache` every file that is as it
/// was when last read (and what was parsed of it), and keeping what it reads.
pub fn load_cached(
    root: &Path,
    display_root: &Path,
    config: &Config,
    diagnostics: &Diagnostics,
    cache: &mut LoadCache,
) -> Loaded {
    load_listed(root, display_root, config, diagnostics, cache, None)
}

/// [`load_cached`], from `listing` when `content/` was listed already.
fn load_listed(
    root: &Path,
    display_root: &Path,
    config: &Config,
    diagnostics: &Diagnostics,
    cache: &mut LoadCache,
    listing: Option<Listing>,
) -> Loaded {
    let content = root.join(CONTENT_DIR);
    let mut loaded = Loaded::default();
    loaded.dirs.insert(String::new(), Dir::default());
    if !content.is_dir() {
        diagnostics.push(Diagnostic::warning(format!(
            "there is no `{CONTENT_DIR}/` folder in {}: the site has only its home page",
            display_root.display()
        )));
        cache.retain_only(&[]);
        return loaded;
    }
    let listing = listing.unwrap_or_else(|| Listing::of(&content));
    let markdown = discover(
        &content,
        listing,
        display_root,
        &mut loaded.dirs,
        diagnostics,
    );
    if markdown.len() > MAX_FILES_HELD {
        cache.hold_no_bodies();
    }

    // Read, split and parse the front matter of every Markdown file in parallel,
    // keeping only its head (see `Head`)
    let read: Vec<cache::ReadFile> = markdown
        .par_iter()
        .with_max_len(crate::PIECE)
        .map(|path| {
            let display = display_path(display_root, &Path::new(CONTENT_DIR).join(path));
            let read = cache.read(&content, path, display, read_front_matter);
            if let Some(source) = &read.source {
                crate::slug::warm_up(source.front_matter());
            }
            read
        })
        .collect();
    cache.retain_only(&markdown);
    let mut heads: Vec<Option<Head>> = Vec::new();
    for (path, r) in markdown.into_iter().zip(read) {
        if let Some(part) = r.part {
            loaded.file_parts.insert(path, part);
        }
        diagnostics.extend(r.diagnostics.iter().cloned());
        if let Some(source) = r.source {
            loaded.sources.push(source);
            heads.push(r.head);
        }
        cache.keep(r.entry);
    }
    if cache.over_budget() {
        drop_bodies(&mut loaded.sources);
    }
    // (the folder of every other file is in `dirs` already, from `discover`)
    for (i, s) in loaded.sources.iter().enumerate() {
        let name = file_name(&s.path);
        if name != "_index.md" && name != "index.md" {
            continue;
        }
        let entry = loaded
            .dirs
            .entry(parent_dir(&s.path).to_string())
            .or_default();
        if name == "_index.md" {
            entry.index = Some(i);
        } else {
            entry.bundle = Some(i);
        }
    }

    let folder_roles = folder_roles(&loaded, &heads, diagnostics);
    cache.set_config(config);
    let docs: Vec<Option<Doc>> = heads
        .into_par_iter()
        .with_max_len(4 * crate::PIECE) // a doc is little work
        .enumerate()
        .map(|(i, head)| {
            head?;
            let source = &loaded.sources[i];
            let (role, dir, owner_dir, bundle) =
                classify(source, &loaded.dirs, &folder_roles, diagnostics)?;
            let name = match file_name(&source.path) {
                "_index.md" | "index.md" => file_name(&dir).to_string(),
                other => other.trim_end_matches(".md").to_string(),
            };
            let (common, fields) = cache.fields(source, role, diagnostics, || {
                let local = Diagnostics::new();
                // (parsed once already, with its errors reported)
                let value = yaml::parse(source.front_matter()).unwrap_or_default();
                let parsed = parse_fields(source, &value, role, config, &local);
                (parsed, local.into_sorted())
            });
            Some(Doc {
                source: i,
                role,
                dir,
                bundle,
                name,
                owner_dir,
                common,
                fields,
            })
        })
        .collect();
    loaded.docs = docs.into_iter().flatten().collect();
    cache.keep_fields_of(&loaded.sources);
    loaded
}

/// Lets go of the Markdown bodies the sources still hold (a one-off build's).
pub fn drop_bodies(sources: &mut [Arc<Source>]) {
    sources
        .par_iter_mut()
        .filter(|s| !s.body_dropped)
        .for_each(|s| Arc::make_mut(s).drop_body());
}

/// Reads one Markdown file of `content/` again into `cache`, when the caller
/// knows only it changed: its new source (if it can be read and split) and the
/// problems found in its text and front matter.
pub fn reread(
    root: &Path,
    display_root: &Path,
    cache: &mut LoadCache,
    path: &str,
) -> (Option<Arc<Source>>, Vec<Diagnostic>) {
    let display = display_path(display_root, &Path::new(CONTENT_DIR).join(path));
    let read = cache.reread(&root.join(CONTENT_DIR), path, display, read_front_matter);
    (read.source, read.diagnostics)
}

/// What the load stage keeps of a front matter until it knows what each file
/// is: whether it has the keys that make a folder a unit (`level:`) or a hall
/// (`type:`). Each file's YAML is then parsed again with its fields and let
/// go, so the YAML of the whole site is never in memory at once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head {
    level: bool,
    hall_type: bool,
}

impl Head {
    fn of(value: &yaml::Value) -> Head {
        let has = |k: &str| value.get(k).is_some_and(|v| !v.is_null());
        Head {
            level: has("level"),
            hall_type: has("type"),
        }
    }
}

/// Splits a file and parses its front matter: the source, the front matter's
/// head (`None` if it is not a mapping) and the problems.
fn read_front_matter(
    path: &str,
    display: PathBuf,
    bytes: Vec<u8>,
) -> (Option<Source>, Option<Head>, Vec<Diagnostic>) {
    let source = match Source::new(path.to_string(), display, bytes) {
        Ok(s) => s,
        Err(d) => return (None, None, vec![d]),
    };
    let (head, problems) = match yaml::parse(source.front_matter()) {
        Ok(v @ (yaml::Value::Mapping(_) | yaml::Value::Null)) => (Some(Head::of(&v)), vec![]),
        Ok(_) => (
            None,
            vec![source.error_at(
                Position::new(1, 1),
                "the front matter must be `key: value` lines (a YAML mapping)",
            )],
        ),
        Err(e) => (None, vec![source.yaml_error(e)]),
    };
    let mut problems = problems;
    problems.extend(crate::privacy::scan(&source));
    (Some(source), head, problems)
}

/// Goes through the listing of `content/`, filling `dirs` with images and
/// other files; returns the Markdown paths.
fn discover(
    content: &Path,
    listing: Listing,
    display_root: &Path,
    dirs: &mut BTreeMap<String, Dir>,
    diagnostics: &Diagnostics,
) -> Vec<String> {
    let mut markdown = Vec::new();
    let canonical_content = content
        .canonicalize()
        .unwrap_or_else(|_| content.to_path_buf());
    for entry in listing.0 {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!(
                    "cannot read {}: {}",
                    e.path.display(),
                    e.error
                )));
                continue;
            }
        };
        let Ok(relative) = entry.path.strip_prefix(content) else {
            continue;
        };
        let Some(rel) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::warning("the file name is not valid Unicode; it is skipped")
                    .in_file(display_root.join(CONTENT_DIR).join(relative)),
            );
            continue;
        };
        let display = || display_path(display_root, &Path::new(CONTENT_DIR).join(&rel));
        let mut file_type = entry.file_type;
        if file_type.is_symlink() {
            match std::fs::canonicalize(&entry.path) {
                Ok(target) if target.starts_with(&canonical_content) && target.is_file() => {
                    file_type = std::fs::metadata(&target)
                        .map(|m| m.file_type())
                        .unwrap_or(file_type);
                }
                Ok(target) if target.starts_with(&canonical_content) => {
                    diagnostics.push(
                        Diagnostic::warning("symbolic links to folders are not followed")
                            .in_file(display()),
                    );
                    continue;
                }
                Ok(_) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            "this symbolic link points outside `content/`; it is not followed",
                        )
                        .in_file(display()),
                    );
                    continue;
                }
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            "this symbolic link is broken (or loops); it is skipped",
                        )
                        .in_file(display()),
                    );
                    continue;
                }
            }
        }
        if file_type.is_dir() {
            dirs.entry(rel).or_default();
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let name = file_name(&rel).to_string();
        let dir = dirs.entry(parent_dir(&rel).to_string()).or_default();
        match extension(&name).as_deref() {
            Some("md") => markdown.push(rel),
            Some(e) if IMAGE_EXTENSIONS.contains(&e) => dir.images.push(name),
            Some(e) if DATA_EXTENSIONS.contains(&e) => {}
            _ => dir.files.push(name),
        }
    }
    markdown
}

/// What kind of folder each `_index.md` makes its folder.
fn folder_roles(
    loaded: &Loaded,
    heads: &[Option<Head>],
    diagnostics: &Diagnostics,
) -> BTreeMap<String, Role> {
    let mut roles = BTreeMap::new();
    // parents before children: BTreeMap order puts "a" before "a/b"
    for (path, dir) in &loaded.dirs {
        let Some(index) = dir.index else { continue };
        let Some(head) = heads[index] else {
            // unparsable front matter: treat as a plain section so children still place
            roles.insert(path.clone(), Role::Section);
            continue;
        };
        let source = &loaded.sources[index];
        let role = if path.is_empty() {
            Role::Home
        } else if head.level {
            if head.hall_type {
                diagnostics.push(source.error_at(
                    yaml::locate(source.front_matter(), &[Segment::Key("type".into())]),
                    "a folder is either a unit (`level:`) or a hall (`type: hall`), not both",
                ));
            }
            Role::Unit
        } else if head.hall_type {
            Role::Hall
        } else if roles.get(parent_dir(path)) == Some(&Role::Hall) {
            Role::Zone
        } else {
            Role::Section
        };
        if is_kind_folder(path, &roles) && role != Role::Unit {
            diagnostics.push(source.error_at(
                Position::new(1, 1),
                format!(
                    "`{}/` of a unit holds its {} and needs no `_index.md`; remove this file",
                    file_name(path),
                    file_name(path)
                ),
            ));
        }
        roles.insert(path.clone(), role);
    }
    roles
}

const KIND_FOLDERS: &[(&str, Role)] = &[
    ("projects", Role::Project),
    ("teams", Role::Team),
    ("events", Role::Event),
];

/// `UNIT/projects`, `UNIT/teams`, `UNIT/events`.
fn is_kind_folder(dir: &str, roles: &BTreeMap<String, Role>) -> bool {
    !dir.is_empty()
        && KIND_FOLDERS.iter().any(|(n, _)| *n == file_name(dir))
        && roles.get(parent_dir(dir)) == Some(&Role::Unit)
}

/// Decides a file's role: `(role, dir, owner_dir, bundle)`.
fn classify(
    source: &Source,
    dirs: &BTreeMap<String, Dir>,
    roles: &BTreeMap<String, Role>,
    diagnostics: &Diagnostics,
) -> Option<(Role, String, String, bool)> {
    let dir = parent_dir(&source.path).to_string();
    let name = file_name(&source.path);
    if name == "_index.md" {
        let role = roles.get(&dir).copied().unwrap_or(Role::Section);
        return Some((role, dir.clone(), dir, false));
    }
    let bundle = name == "index.md";
    if bundle {
        if dir.is_empty() {
            diagnostics.push(
                Diagnostic::error("`content/index.md` would be a bundle without a folder; the home page is `content/_index.md`")
                    .in_file(source.display.clone())
                    .at(Position::new(1, 1)),
            );
            return None;
        }
        if dirs.get(&dir).is_some_and(|d| d.index.is_some()) {
            diagnostics.push(
                Diagnostic::error("a folder has either `_index.md` (a section or unit) or `index.md` (a page bundle), not both")
                    .in_file(source.display.clone())
                    .at(Position::new(1, 1)),
            );
            return None;
        }
    }
    // the folder that holds the leaf (for a bundle: the folder around the bundle)
    let container = if bundle {
        parent_dir(&dir).to_string()
    } else {
        dir.clone()
    };
    // climb to the nearest folder with an `_index.md`, remembering the step below it
    let mut at = container.as_str();
    let mut below: Option<&str> = None;
    loop {
        if roles.contains_key(at) || at.is_empty() {
            break;
        }
        below = Some(at);
        at = parent_dir(at);
    }
    let owner = at.to_string();
    let owner_role = roles.get(at).copied().unwrap_or(Role::Home);
    let role = match owner_role {
        Role::Zone => Role::Exhibit,
        Role::Unit => below
            .and_then(|b| KIND_FOLDERS.iter().find(|(n, _)| *n == file_name(b)))
            .map_or(Role::Page, |(_, r)| *r),
        _ => Role::Page,
    };
    let own_dir = if bundle { dir } else { container };
    Some((role, own_dir, owner, bundle))
}

/// Parses the common and the role's own fields, reporting unknown keys once.
fn parse_fields(
    source: &Source,
    value: &yaml::Value,
    role: Role,
    config: &Config,
    diagnostics: &Diagnostics,
) -> (Common, Fields) {
    let text = source.front_matter();
    let common_fields = yaml::fields_of::<Common>();
    let own: &[&str] = match role {
        Role::Unit => yaml::fields_of::<UnitFields>(),
        Role::Hall => yaml::fields_of::<HallFields>(),
        Role::Zone => yaml::fields_of::<ZoneFields>(),
        Role::Project => yaml::fields_of::<ProjectFields>(),
        Role::Team => yaml::fields_of::<TeamFields>(),
        Role::Event => yaml::fields_of::<EventFields>(),
        Role::Exhibit => yaml::fields_of::<ExhibitFields>(),
        Role::Home | Role::Section | Role::Page => &[],
    };
    let what = match role {
        Role::Home => "the home page",
        Role::Unit => "a unit",
        Role::Section => "a section",
        Role::Hall => "a hall",
        Role::Zone => "a zone",
        Role::Project => "a project",
        Role::Team => "a team",
        Role::Event => "an event",
        Role::Exhibit => "an exhibit",
        Role::Page => "a page",
    };
    for mut e in yaml::unknown_keys(value, text, &[common_fields, own], what) {
        if e.help.is_none() {
            e.help = belongs_elsewhere(&e.message);
        }
        diagnostics.push(source.yaml_error(e));
    }
    fn typed<T: serde::de::DeserializeOwned + Default>(
        source: &Source,
        value: &yaml::Value,
        diagnostics: &Diagnostics,
    ) -> T {
        let (t, errors) = yaml::typed::<T>(value, source.front_matter());
        for e in errors {
            diagnostics.push(source.yaml_error(e));
        }
        t.unwrap_or_default()
    }
    let common: Common = typed(source, value, diagnostics);
    let fields = match role {
        Role::Unit => Fields::Unit(typed(source, value, diagnostics)),
        Role::Hall => Fields::Hall(typed(source, value, diagnostics)),
        Role::Zone => Fields::Zone(typed(source, value, diagnostics)),
        Role::Project => Fields::Project(typed(source, value, diagnostics)),
        Role::Team => Fields::Team(typed(source, value, diagnostics)),
        Role::Event => Fields::Event(typed(source, value, diagnostics)),
        Role::Exhibit => Fields::Exhibit(typed(source, value, diagnostics)),
        Role::Home | Role::Section | Role::Page => Fields::None,
    };
    check_fields(source, &common, &fields, config, diagnostics);
    (common, fields)
}

/// For a field that is valid elsewhere, where it belongs (a writer's most common slip).
fn belongs_elsewhere(message: &str) -> Option<String> {
    let field = message.split('`').nth(1)?;
    let place = if yaml::fields_of::<UnitFields>().contains(&field) {
        "in a unit's `_index.md` (a folder's `_index.md` with `level:`)"
    } else if yaml::fields_of::<EventFields>().contains(&field) {
        "in an event: a file in a unit's `events/` folder"
    } else if yaml::fields_of::<ProjectFields>().contains(&field) {
        "in a project: a file in a unit's `projects/` folder"
    } else if yaml::fields_of::<TeamFields>().contains(&field) {
        "in a team: a file in a unit's `teams/` folder"
    } else if yaml::fields_of::<ExhibitFields>().contains(&field) {
        "in an exhibit: a file in a zone of the hall"
    } else if yaml::fields_of::<HallFields>().contains(&field) {
        "in a hall's `_index.md`"
    } else if yaml::fields_of::<ZoneFields>().contains(&field) {
        "in a zone's `_index.md` (a sub-folder of the hall)"
    } else {
        return None;
    };
    Some(format!("`{field}` belongs {place}"))
}

/// Rules a single file can be checked against: required fields, known keys of
/// levels and platforms.
fn check_fields(
    source: &Source,
    common: &Common,
    fields: &Fields,
    config: &Config,
    diagnostics: &Diagnostics,
) {
    let text = source.front_matter();
    let at = |path: &[Segment]| yaml::locate(text, path);
    let key = |k: &str| Segment::Key(k.to_string());
    match &common.title {
        Some(t) if !t.0.trim().is_empty() => {}
        Some(_) => diagnostics.push(source.error_at(at(&[key("title")]), "`title` is empty")),
        None => diagnostics.push(source.error_at_start("missing `title`: every page needs one")),
    }
    let platform_keys = || config.platforms.iter().map(|p| p.key.as_str());
    let check_platform = |p: &str, path: &[Segment]| {
        if config.platform(p).is_none() {
            let d = source
                .error_at(at(path), format!("unknown platform `{p}`"))
                .suggest(p, platform_keys())
                .with_help_if_none(|| {
                    format!(
                        "platforms are {}",
                        platform_keys().collect::<Vec<_>>().join(", ")
                    )
                });
            diagnostics.push(d);
        }
    };
    match fields {
        Fields::Unit(u) => match &u.level {
            Some(l) if config.level(l).is_none() => {
                let keys = || config.levels.iter().map(|l| l.key.as_str());
                diagnostics.push(
                    source
                        .error_at(at(&[key("level")]), format!("unknown level `{l}`"))
                        .suggest(l, keys())
                        .with_help_if_none(|| {
                            format!("levels are {}", keys().collect::<Vec<_>>().join(", "))
                        }),
                );
            }
            _ => {
                for (i, p) in u.platforms.iter().flatten().enumerate() {
                    check_platform(p, &[key("platforms"), Segment::Index(i)]);
                }
            }
        },
        Fields::Hall(h) => {
            if let Some(kind) = &h.kind
                && kind != "hall"
            {
                diagnostics.push(
                    source
                        .error_at(
                            at(&[key("type")]),
                            format!("unknown type `{kind}`; the only type is `hall`"),
                        )
                        .suggest(kind, ["hall"]),
                );
            }
            if let (Some(o), Some(c)) = (&h.opens, &h.closes)
                && c.0 < o.0
            {
                diagnostics
                    .push(source.error_at(at(&[key("closes")]), "the hall closes before it opens"));
            }
        }
        Fields::Project(p) => {
            if let Some(pl) = &p.platform {
                check_platform(pl, &[key("platform")]);
            }
        }
        Fields::Team(t) => {
            if let Some(pl) = &t.platform {
                check_platform(pl, &[key("platform")]);
            }
        }
        Fields::Event(e) => {
            if common.date.is_none() && value_missing(source, "date") {
                diagnostics.push(
                    source.error_at_start("missing `date`: every event needs one (YYYY-MM-DD)"),
                );
            }
            if let Some(pl) = &e.platform {
                check_platform(pl, &[key("platform")]);
            }
            if let (Some(start), Some(end)) = (&common.date, &e.end_date)
                && end.0 < start.0
            {
                diagnostics
                    .push(source.error_at(at(&[key("end_date")]), "`end_date` is before `date`"));
            }
        }
        Fields::Zone(z) => {
            for (i, p) in z
                .include
                .iter()
                .flat_map(|inc| inc.platforms.iter().flatten())
                .enumerate()
            {
                check_platform(p, &[key("include"), key("platforms"), Segment::Index(i)]);
            }
        }
        Fields::Exhibit(_) | Fields::None => {}
    }
}

/// Whether the front matter has no `key` at all (a bad value is reported elsewhere).
fn value_missing(source: &Source, key: &str) -> bool {
    !source
        .front_matter()
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{key}:")))
}

trait HelpIfNone {
    fn with_help_if_none(self, help: impl FnOnce() -> String) -> Self;
}

impl HelpIfNone for Diagnostic {
    fn with_help_if_none(self, help: impl FnOnce() -> String) -> Self {
        if self.help.is_some() {
            self
        } else {
            self.with_help(help())
        }
    }
}

/// The path of a file under `content/` for display.
pub fn content_display(display_root: &Path, path: &str) -> PathBuf {
    display_path(display_root, &Path::new(CONTENT_DIR).join(path))
}
