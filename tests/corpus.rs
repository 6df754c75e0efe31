//! The hidden `gen-corpus` command: its network is a valid SPEC site (no errors,
//! no warnings), the same every time, and builds the same every time.

mod support;

use assert_cmd::Command;
use std::path::Path;
use support::files_under;
use yunzhan::{BuildOptions, build};

fn generate(out: &Path, pages: usize) {
    Command::cargo_bin("yunzhan")
        .unwrap()
        .args([
            "gen-corpus",
            "--photos",
            "--pages",
            &pages.to_string(),
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn the_corpus_is_a_clean_site_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a, 150);
    generate(&b, 150);
    let site = files_under(&a);
    assert_eq!(site, files_under(&b), "two runs wrote different files");
    let markdown = site.keys().filter(|p| p.ends_with(".md")).count();
    assert_eq!(markdown, 150);
    assert!(site.keys().any(|p| p.ends_with("photo-1.jpg")));
    for kind in ["/events/", "/teams/", "/projects/", "云展馆/"] {
        assert!(site.keys().any(|p| p.contains(kind)), "no {kind}");
    }

    let outcome = build(&BuildOptions {
        root: a.clone(),
        write: true,
        ..BuildOptions::default()
    });
    let problems: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(outcome.pages > 150, "{} pages", outcome.pages);
    let first = files_under(&a.join("public"));
    let units: Vec<serde_json::Value> = serde_json::from_slice(&first["data/units.json"]).unwrap();
    for level in ["center", "institute", "station", "point"] {
        assert!(units.iter().any(|u| u["level"] == level), "no {level}");
    }
    // the hall's include zone picked up the generated 精品项目
    let zone = String::from_utf8_lossy(&first["yunzhanguan/jingpin-xiangmu/index.html"]);
    assert!(zone.contains("/projects/"), "the include zone is empty");

    // a second site from the same corpus builds to the same bytes
    let out_b = build(&BuildOptions {
        root: b.clone(),
        write: true,
        ..BuildOptions::default()
    });
    assert!(out_b.diagnostics.is_empty());
    assert_eq!(first, files_under(&b.join("public")), "two builds differ");
}

#[test]
fn too_small_or_taken_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("yunzhan")
        .unwrap()
        .args(["gen-corpus", "--pages", "5", "--out"])
        .arg(tmp.path())
        .assert()
        .failure();
    generate(tmp.path(), 40);
    Command::cargo_bin("yunzhan")
        .unwrap()
        .args(["gen-corpus", "--pages", "40", "--out"])
        .arg(tmp.path())
        .assert()
        .failure();
    let help = Command::cargo_bin("yunzhan")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("gen-corpus"));
}
