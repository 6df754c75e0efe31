//! The incremental path: after every kind of edit, a session kept between
//! builds publishes exactly the bytes a fresh full build publishes, and does
//! no more work than the edit calls for.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use yunzhan::render::StyleName;
use yunzhan::session::{Mode, Served, Session, SessionOptions, Update};

/// A copy of the demo site (the repository root) in a temporary folder.
/// Its derived images go to one cache shared by these tests (sessions never
/// prune it), so the 88 photos are resized once, not once per session.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = support::repo();
    let config = fs::read_to_string(repo.join("site.yaml")).unwrap();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("session-image-cache");
    fs::write(
        dir.path().join("site.yaml"),
        format!("{config}\ncache_dir: {}\n", cache.display()),
    )
    .unwrap();
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn options(root: &Path, style_name: StyleName) -> SessionOptions {
    SessionOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        style_name,
    }
}

fn errors(update: &Update) -> Vec<String> {
    update
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect()
}

/// A session that built `root` from nothing.
fn fresh(root: &Path) -> Session {
    let mut s = Session::new(options(root, StyleName::Stable));
    let u = s.build();
    assert!(errors(&u).is_empty(), "{:?}", errors(&u));
    s
}

/// Every published file: bytes, or the source file for copies.
fn contents(session: &Session) -> BTreeMap<String, Vec<u8>> {
    session
        .files()
        .iter()
        .map(|(p, s)| {
            let bytes = match s {
                Served::Bytes(b) => b.to_vec(),
                Served::File { path, .. } => path.to_string_lossy().into_owned().into_bytes(),
            };
            (p.clone(), bytes)
        })
        .collect()
}

fn assert_same_as_full(live: &Session, root: &Path, what: &str) {
    let (a, b) = (contents(live), contents(&fresh(root)));
    let only_live: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_full: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_live.is_empty() && only_full.is_empty(),
        "{what}: files differ: only incremental {only_live:?}, only full {only_full:?}"
    );
    let differ: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    if let Some(first) = differ.first() {
        let (x, y) = (&a[*first], &b[*first]);
        let at = x.iter().zip(y.iter()).take_while(|(p, q)| p == q).count();
        let around = |v: &[u8]| {
            String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())]).into_owned()
        };
        panic!(
            "{what}: contents differ in {differ:?}; {first} at byte {at}:\nincremental: {}\nfull:        {}",
            around(x),
            around(y)
        );
    }
}

struct Edits {
    dir: tempfile::TempDir,
    live: Session,
}

impl Edits {
    fn new() -> Edits {
        let dir = demo();
        let live = fresh(dir.path());
        Edits { dir, live }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Tells the session about `paths`, checks it against a full build.
    fn update(&mut self, paths: &[&str], what: &str) -> Update {
        let paths: Vec<PathBuf> = paths.iter().map(|p| self.path(p)).collect();
        let update = self.live.update(&paths);
        assert!(errors(&update).is_empty(), "{what}: {:?}", errors(&update));
        assert_same_as_full(&self.live, self.dir.path(), what);
        update
    }

    fn page(&self, path: &str) -> String {
        match self.live.files().get(path) {
            Some(Served::Bytes(b)) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("no page {path}: {other:?}"),
        }
    }

    fn changed(update: &Update) -> Vec<&str> {
        update.changes.iter().map(|(p, _)| p.as_str()).collect()
    }

    /// The changed pages other than the search page and its index, which a
    /// change of any text renews.
    fn changed_pages(update: &Update) -> Vec<&str> {
        Self::changed(update)
            .into_iter()
            .filter(|p| !p.starts_with("search/"))
            .collect()
    }

    /// Whether the search page was rendered again (its index changed name).
    fn search_page_renewed(update: &Update) -> usize {
        Self::changed(update).contains(&"search/index.html") as usize
    }
}

const EVENT: &str = "content/清徐县/events/宪法日法律咨询.md";
const PROJECT: &str = "content/清徐县/projects/法律援助进村居.md";

#[test]
fn a_body_edit_renders_only_the_pages_that_show_the_body() {
    let mut e = Edits::new();
    let text = e.read(EVENT);
    e.write(EVENT, &format!("{text}\n志愿者最后合影留念。\n"));
    let u = e.update(&[EVENT], "event body");
    assert_eq!(u.mode, Mode::Bodies);
    let renewed = Edits::search_page_renewed(&u);
    assert_eq!(u.pages_rendered, 1 + renewed, "only the event's own page");
    let changed = Edits::changed_pages(&u);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        Edits::changed(&u)
            .iter()
            .any(|p| p.starts_with("search/") && p.ends_with(".js"))
    );
    assert!(e.page(changed[0]).contains("志愿者最后合影留念"));

    // a project a zone includes: its page and the exhibit that shows it
    let text = e.read(PROJECT);
    e.write(PROJECT, &format!("{text}\n项目第二阶段启动。\n"));
    let u = e.update(&[PROJECT], "included project body");
    assert_eq!(u.mode, Mode::Bodies);
    let renewed = Edits::search_page_renewed(&u);
    assert_eq!(
        u.pages_rendered,
        2 + renewed,
        "the project page and its exhibit"
    );

    // saving without a change changes nothing
    let u = e.update(&[PROJECT], "saved unchanged");
    assert!(u.changes.is_empty());

    // a unit's body, twice: its poster (which shows no body) is not rendered,
    // and the value the unit page once made for it must not come back
    let unit = "content/清徐县/徐沟镇/_index.md";
    for line in ["第一次补充的段落。", "第二次补充的段落。"] {
        let text = e.read(unit);
        e.write(unit, &format!("{text}\n{line}\n"));
        let u = e.update(&[unit], line);
        assert_eq!(u.mode, Mode::Bodies);
        let changed = Edits::changed_pages(&u);
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(e.page(changed[0]).contains(line));
    }
}

#[test]
fn an_atomic_save_counts_as_one_edit() {
    let mut e = Edits::new();
    let text = e.read(EVENT);
    let tmp = format!("{EVENT}.tmp~");
    e.write(&tmp, &format!("{text}\n原子保存的新段落。\n"));
    fs::rename(e.path(&tmp), e.path(EVENT)).unwrap();
    let u = e.update(&[&tmp, EVENT], "write temp + rename");
    assert_eq!(u.mode, Mode::Bodies);
    assert_eq!(Edits::changed_pages(&u).len(), 1);
}

#[test]
fn edits_that_change_cards_structure_or_templates_still_match_a_full_build() {
    let mut e = Edits::new();

    // a new first paragraph: the summary (on every card of the event) changes
    let text = e.read(EVENT);
    let (front, body) = text.split_at(text.find("\n---\n").unwrap() + 5);
    e.write(EVENT, &format!("{front}\n新的导语段落。\n\n{body}"));
    let u = e.update(&[EVENT], "summary");
    assert_eq!(u.mode, Mode::Full);
    assert!(
        u.pages_rendered > 1 && u.pages_rendered < u.pages,
        "{} of {}",
        u.pages_rendered,
        u.pages
    );

    // front matter: figures roll up into every ancestor
    let unit = "content/清徐县/徐沟镇/_index.md";
    let text = e.read(unit);
    e.write(unit, &text.replacen("---\n", "---\nweight: 3\n", 1));
    e.update(&[unit], "front matter");

    // a new event, then its removal
    let new = "content/清徐县/徐沟镇/events/新春慰问.md";
    e.write(
        new,
        "---\ntitle: 新春慰问孤寡老人\ndate: 2025-01-20\nplatform: community\nparticipants: 30\n---\n志愿者上门送去年货。\n",
    );
    let u = e.update(&[new], "created");
    assert!(
        Edits::changed(&u)
            .iter()
            .any(|p| p.contains("xinchun-weiwen")),
        "{:?}",
        Edits::changed(&u)
    );
    fs::remove_file(e.path(new)).unwrap();
    e.update(&[new], "deleted");

    // a renamed file and a unit folder moved under another unit
    let renamed = "content/清徐县/events/国家宪法日.md";
    fs::rename(e.path(EVENT), e.path(renamed)).unwrap();
    e.update(&[EVENT, renamed], "renamed");
    let from = "content/清徐县/清源镇/东湖社区";
    let to = "content/清徐县/徐沟镇/东湖社区";
    fs::rename(e.path(from), e.path(to)).unwrap();
    e.update(&[from, to], "unit folder moved");

    // a template override renders only the pages of that template
    e.write("templates/team.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ title }}</h1><p>队伍页</p>{% endblock main %}");
    let u = e.update(&["templates/team.html"], "template");
    assert_eq!(u.mode, Mode::Render);
    let teams = e
        .live
        .files()
        .keys()
        .filter(|p| p.contains("/teams/") && !p.starts_with("teams/") && p.ends_with("index.html"))
        .count();
    assert_eq!(u.pages_rendered, teams, "team pages only");

    // configuration: everything
    let config = e.read("site.yaml");
    e.write(
        "site.yaml",
        &config.replace("title: 新时代文明实践云展", "title: 文明实践云展"),
    );
    let u = e.update(&["site.yaml"], "config");
    assert_eq!(u.pages_rendered, u.pages);
}

#[test]
fn a_style_edit_changes_only_the_stylesheet() {
    let mut e = Edits::new();
    e.write(
        "themes/default/styles/zz-extra.css",
        ".zz-extra-marker { color: red; }\n",
    );
    let u = e.update(&["themes/default/styles/zz-extra.css"], "style");
    assert_eq!(u.mode, Mode::Styles);
    assert_eq!(Edits::changed(&u), vec!["assets/style.css"]);
    assert!(u.styles_only());
    match e.live.files().get("assets/style.css") {
        Some(Served::Bytes(b)) => assert!(String::from_utf8_lossy(b).contains("zz-extra-marker")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_publish_nothing_and_the_fix_publishes_again() {
    let mut e = Edits::new();
    let before = contents(&e.live);
    let text = e.read(EVENT);
    e.write(
        EVENT,
        &text.replacen("participants: 130", "participants: [130", 1),
    );
    let u = e.live.update(&[e.path(EVENT)]);
    let errs = errors(&u);
    assert!(!errs.is_empty());
    assert!(
        errs.iter().any(|m| m.contains("宪法日法律咨询.md:")),
        "{errs:?}"
    );
    assert!(u.changes.is_empty());
    assert_eq!(contents(&e.live), before, "the last good site stays");

    // a body edit elsewhere while broken: still reported, still nothing published
    let u = e.live.update(&[e.path(PROJECT)]);
    assert!(!errors(&u).is_empty());

    e.write(EVENT, &format!("{text}\n修好了。\n"));
    let u = e.update(&[EVENT], "fixed");
    assert!(!u.changes.is_empty());
}

#[test]
fn a_session_builds_what_build_writes() {
    let dir = demo();
    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: dir.path().to_path_buf(),
        write: true,
        ..Default::default()
    });
    assert!(!outcome.has_errors());
    let mut session = Session::new(SessionOptions {
        root: dir.path().to_path_buf(),
        base_url: None,
        drafts: false,
        style_name: StyleName::Hashed,
    });
    assert!(errors(&session.build()).is_empty());
    let public = dir.path().join("public");
    let mut on_disk = BTreeMap::new();
    for entry in walk(&public) {
        let rel = entry
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        on_disk.insert(rel, fs::read(&entry).unwrap());
    }
    let mut served = BTreeMap::new();
    for (p, s) in session.files() {
        let bytes = match s {
            Served::Bytes(b) => b.to_vec(),
            Served::File { path, .. } => fs::read(path).unwrap(),
        };
        served.insert(p.clone(), bytes);
    }
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        served.keys().collect::<Vec<_>>()
    );
    for (p, bytes) in &on_disk {
        assert!(served[p] == *bytes, "{p} differs");
        assert!(
            !String::from_utf8_lossy(bytes).contains("__yunzhan"),
            "{p}: no live reload in build output"
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}
