//! Rebuilds: a build that changes nothing is skipped by the input fingerprint and
//! says so; any change to an input or to the output makes a real build; the
//! streamed write gives the same bytes as rendering in memory.

mod support;

use std::path::Path;
use support::TestSite;
use yunzhan::cli::corpus;
use yunzhan::{BuildOptions, Outcome, build};

fn network(root: &Path) {
    corpus::run(&corpus::Options {
        pages: 60,
        out: root.to_path_buf(),
        photos: false,
        seed: 1,
    })
    .unwrap();
}

fn build_into(root: &Path) -> Outcome {
    let outcome = build(&BuildOptions {
        root: root.to_path_buf(),
        write: true,
        ..BuildOptions::default()
    });
    let problems: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    outcome
}

fn skipped(outcome: &Outcome) -> bool {
    outcome.timings.iter().map(|t| t.0).collect::<Vec<_>>() == ["unchanged"]
}

#[test]
fn a_rebuild_without_changes_writes_nothing_and_any_change_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    network(root);
    let first = build_into(root);
    assert!(!skipped(&first));
    let (_, report) = first.output.as_ref().unwrap();
    assert!(report.written > 100);

    let again = build_into(root);
    assert!(skipped(&again), "{:?}", again.timings);
    let (_, report) = again.output.as_ref().unwrap();
    assert_eq!((report.written, report.removed), (0, 0));
    assert_eq!((again.pages, again.files), (first.pages, first.files));

    // an edited page: a real build, which writes that page (and what lists it)
    let news = root.join("content/新闻/消息1.md");
    let text = std::fs::read_to_string(&news).unwrap();
    std::fs::write(&news, text.replace("## 下一步", "## 下一步安排")).unwrap();
    let edited = build_into(root);
    assert!(!skipped(&edited));
    let (_, report) = edited.output.as_ref().unwrap();
    assert!(
        report.written >= 1 && report.written < first.files / 2,
        "{report:?}"
    );
    assert!(skipped(&build_into(root)));

    // a file of the output deleted by hand comes back
    std::fs::remove_file(root.join("public/index.html")).unwrap();
    let restored = build_into(root);
    assert!(!skipped(&restored));
    assert!(root.join("public/index.html").exists());

    // other options are other inputs
    let drafts = build(&BuildOptions {
        root: root.to_path_buf(),
        write: true,
        drafts: true,
        ..BuildOptions::default()
    });
    assert!(!skipped(&drafts));

    // a template override is an input
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/robots.txt"), "User-agent: *\n").unwrap();
    assert!(!skipped(&build_into(root)));
    assert_eq!(
        std::fs::read_to_string(root.join("public/robots.txt")).unwrap(),
        "User-agent: *\n"
    );
}

#[test]
fn warnings_are_shown_on_every_build() {
    let s = TestSite::new();
    s.page("_index.md", "title: 首页", "联系电话 13812345678\n");
    let first = s.build();
    assert!(
        first
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains("mobile"))
    );
    let second = s.build();
    assert!(!skipped(&second));
    assert_eq!(first.diagnostics, second.diagnostics);
}

#[test]
fn streamed_output_is_what_rendering_in_memory_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    network(root);
    build_into(root);
    let site = support::resolve(root);
    let diagnostics = yunzhan::diagnostics::Diagnostics::new();
    let theme = yunzhan::theme::Theme::load(root, root, &site.config, &diagnostics);
    let mut files = yunzhan::render::render(&site, &theme, &diagnostics);
    yunzhan::render::assets::minify_pages(&mut files);
    let mut compared = 0;
    for f in &files {
        if let yunzhan::render::Contents::Bytes(bytes) = &f.contents {
            let written = std::fs::read(root.join("public").join(&f.path)).unwrap();
            assert!(written == *bytes, "{} differs", f.path);
            compared += 1;
        }
    }
    assert!(compared > 100);
}
