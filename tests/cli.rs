//! The command line: init, new, build and check as SPEC §5 says.

mod support;

use assert_cmd::Command;
use support::TestSite;

fn yunzhan() -> Command {
    Command::cargo_bin("yunzhan").unwrap()
}

#[test]
fn init_writes_the_demo_and_it_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("新站点");
    yunzhan().arg("init").arg(&site).assert().success();
    assert!(site.join("site.yaml").is_file());
    assert!(site.join("content/_index.md").is_file());
    yunzhan()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/data/units.json").is_file());
    // a second init refuses to overwrite
    yunzhan().arg("init").arg(&site).assert().code(1);
}

#[test]
fn new_scaffolds_files_that_build() {
    let s = TestSite::new();
    s.page("东湖区/_index.md", "title: 东湖区中心\nlevel: center", "");
    let run = |args: &[&str]| yunzhan().args(args).arg("--root").arg(s.root()).assert();
    run(&["new", "unit", "东湖区/长安街道"]).success();
    run(&["new", "event", "东湖区/长安街道/重阳节"]).success();
    run(&["new", "project", "东湖区/长安街道/projects/邻里节"]).success();
    run(&["new", "team", "东湖区/宣讲团"]).success();
    run(&["new", "unit", "东湖区/长安街道/草堂路"]).success();
    assert!(
        s.root()
            .join("content/东湖区/长安街道/events/重阳节/index.md")
            .is_file()
    );
    assert!(s.root().join("content/东湖区/teams/宣讲团.md").is_file());
    let unit = std::fs::read_to_string(s.root().join("content/东湖区/长安街道/_index.md")).unwrap();
    assert!(unit.contains("level: institute"), "{unit}");
    let station =
        std::fs::read_to_string(s.root().join("content/东湖区/长安街道/草堂路/_index.md")).unwrap();
    assert!(station.contains("level: station"), "{station}");
    // refuses to overwrite, and needs a unit for kind items
    run(&["new", "event", "东湖区/长安街道/重阳节"]).code(1);
    run(&["new", "event", "没有/活动"]).code(1);
    s.build_ok();
}

#[test]
fn build_exit_codes() {
    let s = TestSite::new();
    s.page("a.md", "title: 页面", "");
    yunzhan()
        .args(["build", "-q", "--root"])
        .arg(s.root())
        .assert()
        .success();
    s.page("b.md", "titel: 页面", "");
    yunzhan()
        .args(["build", "--root"])
        .arg(s.root())
        .assert()
        .code(1);
    yunzhan().args(["build", "--no-such-flag"]).assert().code(2);
    yunzhan().args(["frobnicate"]).assert().code(2);
}

#[test]
fn build_refuses_dangerous_output_folders() {
    let s = TestSite::new();
    s.page("a.md", "title: 页面", "");
    for out in [".", "content", "content/x", ".."] {
        let assert = yunzhan()
            .args(["build", "--root"])
            .arg(s.root())
            .arg("--output")
            .arg(s.root().join(out))
            .assert()
            .code(1);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("output folder"), "{out}: {stderr}");
    }
    assert!(!s.root().join("content/index.html").exists());
    assert!(!s.root().join("index.html").exists());
}

#[test]
fn base_url_and_drafts_flags() {
    let s = TestSite::new();
    s.page("a.md", "title: 页面\ndraft: true", "");
    yunzhan()
        .args([
            "build",
            "-q",
            "--drafts",
            "--base-url",
            "https://example.net/sub/",
            "--root",
        ])
        .arg(s.root())
        .assert()
        .success();
    assert!(s.exists("a/index.html"));
    assert!(s.read("sitemap.xml").contains("https://example.net/sub/a/"));
}

#[test]
fn every_command_has_help() {
    for cmd in ["init", "build", "check", "new"] {
        yunzhan().args([cmd, "--help"]).assert().success();
    }
}

#[test]
fn the_examples_and_the_demo_check_clean() {
    for site in ["examples/minimal", "examples/changji-unicode", "."] {
        let out = yunzhan()
            .args(["check", "--root"])
            .arg(support::repo().join(site))
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{site}: {stderr}");
        assert!(!stderr.contains("error:"), "{site}: {stderr}");
    }
}

#[test]
fn timings_show_each_stage_with_its_memory() {
    let s = TestSite::new();
    s.page("a.md", "title: 页面", "正文");
    let out = yunzhan()
        .args(["build", "-q", "--timings", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    for stage in ["load", "resolve", "images", "render", "write"] {
        let line = stderr
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{stage}:")))
            .unwrap_or_else(|| panic!("no {stage} line in {stderr}"));
        assert!(line.contains(" ms"), "{line}");
        if cfg!(target_os = "linux") {
            assert!(line.contains("peak memory"), "{line}");
        }
    }
}

#[test]
fn a_build_reading_the_cuts_of_the_last_builds_the_same_bytes() {
    let s = TestSite::new();
    s.page(
        "东湖区/_index.md",
        "title: 东湖区新时代文明实践中心\nlevel: center",
        "",
    );
    s.page(
        "东湖区/events/重阳敬老.md",
        "title: 重阳节敬老志愿服务活动\ndate: 2024-10-11\ntags: [志愿服务, 敬老爱老]",
        "## 活动开展情况\n\n志愿者为老人理发。",
    );
    let build = |out: &str| {
        yunzhan()
            .args(["build", "--quiet", "--root"])
            .arg(s.root())
            .arg("--output")
            .arg(s.root().join(out))
            .assert()
            .success();
        support::files_under(&s.root().join(out))
    };
    let first = build("first");
    let pages: Vec<&String> = first.keys().collect();
    assert!(
        pages.iter().any(|p| p.starts_with("tags/jinglao-ailao/")),
        "{pages:?}"
    );
    let file = s.root().join(".yunzhan-cache/cuts");
    let cuts = std::fs::read_to_string(&file).unwrap();
    assert!(cuts.lines().any(|l| l == "敬老爱老\t6,12"), "{cuts}");
    // the second process cuts nothing itself: its slugs come from the file
    assert_eq!(first, build("second"));
    // (as a file that says 敬老爱老 is one word shows)
    std::fs::write(&file, cuts.replace("敬老爱老\t6,12", "敬老爱老\t12")).unwrap();
    let third = build("third");
    assert!(third.keys().any(|p| p.starts_with("tags/jinglaoailao/")));
}
