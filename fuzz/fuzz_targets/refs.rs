//! Ref resolution: any ref or path written in a file, against a small real site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// A site whose refs are the fuzz input; built once, its files rewritten per input.
static SITE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let w = |p: &str, s: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    w("site.yaml", "title: t\nsearch: false\nminify: false\n");
    w(
        "content/甲/_index.md",
        "---\ntitle: 甲中心\nlevel: center\n---\n",
    );
    w(
        "content/甲/乙/_index.md",
        "---\ntitle: 乙站\nlevel: station\n---\n",
    );
    w("content/甲/teams/t.md", "---\ntitle: 宣讲团\n---\n");
    w("content/甲/乙/teams/t.md", "---\ntitle: 宣讲团\n---\n");
    w("content/甲/projects/p.md", "---\ntitle: 项目\n---\n");
    dir
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    let (a, b) = text.split_at(half);
    let (a, b) = (
        a.replace(['\n', '\r', '"', '\\'], " "),
        b.replace(['\n', '\r', '"', '\\'], " "),
    );
    let event = format!(
        "---\ntitle: 活动\ndate: 2024-01-01\nteams: [\"{a}\"]\nprojects: [\"{b}\"]\ncover: \"{b}\"\n---\n[x](@/{a}) [y]({b}) ![z]({a})\n"
    );
    let root = SITE.path();
    std::fs::write(root.join("content/甲/乙/e.md"), event).unwrap();
    std::fs::create_dir_all(root.join("content/甲/乙/events")).unwrap();
    std::fs::rename(
        root.join("content/甲/乙/e.md"),
        root.join("content/甲/乙/events/e.md"),
    )
    .unwrap();
    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: root.into(),
        write: false,
        ..Default::default()
    });
    for d in &outcome.diagnostics {
        assert!(d.file.is_some(), "every problem names its file: {d}");
    }
});
