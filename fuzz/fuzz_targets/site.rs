//! A whole site from fuzz input: up to four files, split at NUL bytes, checked end to end.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 4] = [
    "content/中心/_index.md",
    "content/中心/站/_index.md",
    "content/中心/站/events/活动.md",
    "content/云展馆/展区/展品.md",
];

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        "title: t\nsearch: false\nminify: false\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/云展馆/展区")).unwrap();
    std::fs::write(
        dir.path().join("content/云展馆/_index.md"),
        "---\ntitle: 馆\ntype: hall\n---\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/云展馆/展区/_index.md"),
        "---\ntitle: 区\n---\n",
    )
    .unwrap();
    for (path, part) in PATHS.iter().zip(data.split(|b| *b == 0)) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, part).unwrap();
    }
    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: dir.path().into(),
        write: false,
        ..Default::default()
    });
    for d in &outcome.diagnostics {
        assert!(!d.message.is_empty());
    }
});
