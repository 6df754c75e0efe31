//! Every class of content error is reported as `FILE:LINE:COL: error: message`,
//! all at once, and `check` exits 1.

mod support;

use support::TestSite;

/// A small valid site to break one file of.
fn site() -> TestSite {
    let s = TestSite::new();
    s.page("中心/_index.md", "title: 示范中心\nlevel: center", "");
    s.page("中心/街道/_index.md", "title: 示范所\nlevel: institute", "");
    s.page(
        "中心/街道/社区/_index.md",
        "title: 示范站\nlevel: station",
        "",
    );
    s.page(
        "中心/街道/社区/teams/宣讲团.md",
        "title: 红色宣讲团\nkind: lecture",
        "",
    );
    s
}

/// The single error of a check, which must start with `prefix` (file:line:col).
fn only_error(s: &TestSite) -> String {
    let errors = s.errors();
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {errors:#?}"
    );
    errors.into_iter().next().unwrap()
}

fn starts(error: &str, prefix: &str) {
    let path = prefix.split(':').next().unwrap();
    let rest = &prefix[path.len()..];
    let error_path = error.split(':').next().unwrap();
    assert!(error_path.ends_with(path), "`{error}` should name {path}");
    assert!(
        error[error_path.len()..].starts_with(rest),
        "`{error}` should start with …{prefix}"
    );
}

#[test]
fn yaml_syntax() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\ntags: [a, b",
        "",
    );
    let e = only_error(&s);
    starts(&e, "content/中心/events/a.md:4:");
}

#[test]
fn unknown_field_with_a_suggestion() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\nparticpants: 30",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:4:1: error: unknown field `particpants`",
    );
    assert!(e.contains("did you mean `participants`?"), "{e}");
}

#[test]
fn unknown_nested_field() {
    let s = site();
    s.page(
        "中心/街道/社区/_index.md",
        "title: 示范站\nlevel: station\ncontact:\n  phone: 0994-1234567\n  emial: a@b.cn",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/街道/社区/_index.md:6:3: error: unknown field `emial`",
    );
    assert!(e.contains("did you mean `email`?"), "{e}");
}

#[test]
fn wrong_type() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\nparticipants: 很多",
        "",
    );
    let e = only_error(&s);
    starts(&e, "content/中心/events/a.md:4:1: error: `participants`");
}

#[test]
fn negative_figure() {
    let s = site();
    s.page(
        "中心/街道/_index.md",
        "title: 示范所\nlevel: institute\nstats:\n  volunteers: 12\n  served: -40",
        "",
    );
    let e = only_error(&s);
    starts(&e, "content/中心/街道/_index.md:6:3: error: `stats.served`");
    assert!(e.contains("-40"), "{e}");
}

#[test]
fn bad_date() {
    let s = site();
    s.page("中心/events/a.md", "title: 活动\ndate: 2024-02-30", "");
    let e = only_error(&s);
    starts(&e, "content/中心/events/a.md:3:1: error: `date`");
    assert!(e.contains("2024-02-30"), "{e}");
}

#[test]
fn unknown_level() {
    let s = site();
    s.page(
        "中心/街道/社区/_index.md",
        "title: 示范站\nlevel: statoin",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/街道/社区/_index.md:3:1: error: unknown level `statoin`",
    );
    assert!(e.contains("did you mean `station`?"), "{e}");
}

#[test]
fn unknown_platform() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\nplatform: culturee",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:4:1: error: unknown platform `culturee`",
    );
    assert!(e.contains("did you mean `culture`?"), "{e}");
}

#[test]
fn inverted_levels() {
    let s = site();
    s.page(
        "中心/街道/社区/楼院/_index.md",
        "title: 楼院\nlevel: institute",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/街道/社区/楼院/_index.md:3:1: error: a institute",
    );
}

#[test]
fn skipped_levels_are_fine() {
    let s = site();
    s.page("中心/街道/小点/_index.md", "title: 小点\nlevel: point", "");
    assert!(s.errors().is_empty());
}

#[test]
fn missing_title() {
    let s = site();
    s.page("中心/events/a.md", "date: 2024-01-01", "");
    let e = only_error(&s);
    starts(&e, "content/中心/events/a.md:1:1: error: missing `title`");
}

#[test]
fn missing_event_date() {
    let s = site();
    s.page("中心/events/a.md", "title: 活动", "");
    let e = only_error(&s);
    starts(&e, "content/中心/events/a.md:1:1: error: missing `date`");
}

#[test]
fn missing_front_matter() {
    let s = site();
    s.write("content/中心/events/a.md", "# 没有前言\n");
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:1:1: error: missing front matter",
    );
}

#[test]
fn unclosed_front_matter() {
    let s = site();
    s.write(
        "content/中心/events/a.md",
        "---\ntitle: 活动\ndate: 2024-01-01\n",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:1:1: error: the front matter is never closed",
    );
}

#[test]
fn not_utf8() {
    let s = site();
    s.write_bytes(
        "content/中心/events/a.md",
        b"---\ntitle: \xbb\xee\xb6\xaf\ndate: 2024-01-01\n---\n",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:2:8: error: the file is not UTF-8",
    );
}

#[test]
fn ref_to_nothing() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\nteams:\n  - 红色宣讲团\n  - 蓝色宣讲团",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:6:5: error: no team named `蓝色宣讲团`",
    );
    assert!(e.contains("did you mean `红色宣讲团`?"), "{e}");
}

#[test]
fn ref_to_two_things() {
    let s = site();
    s.page("中心/街道/teams/宣讲团.md", "title: 红色宣讲团", "");
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\nteams: [红色宣讲团]",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:4:9: error: `红色宣讲团` names 2 teams",
    );
    assert!(
        e.contains("中心/街道/teams/宣讲团.md") && e.contains("中心/街道/社区/teams/宣讲团.md"),
        "{e}"
    );
}

#[test]
fn link_to_nothing() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01",
        "第一段。\n\n见[宣讲团](@/中心/teams/没有.md)。\n",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:7:2: error: `@/中心/teams/没有.md` links to nothing",
    );
}

#[test]
fn missing_image() {
    let s = site();
    s.page(
        "中心/events/a/index.md",
        "title: 活动\ndate: 2024-01-01\nphotos:\n  - {src: photo.jpg, alt: 照片}",
        "",
    );
    s.jpeg("中心/events/a/phot0.jpg", 8, 8);
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a/index.md:5:5: error: image `photo.jpg` not found",
    );
    assert!(e.contains("did you mean `phot0.jpg`?"), "{e}");
}

#[test]
fn unreadable_image() {
    let s = site();
    s.page(
        "中心/events/a/index.md",
        "title: 活动\ndate: 2024-01-01",
        "",
    );
    s.write("content/中心/events/a/broken.jpg", "this is not a jpeg");
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a/broken.jpg:1:1: error: cannot read the image",
    );
}

#[test]
fn path_escaping_the_site() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01\ncover: ../../../../etc/passwd.jpg",
        "",
    );
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/events/a.md:4:1: error: `../../../../etc/passwd.jpg` leads outside `content/`",
    );
}

#[test]
fn duplicate_urls() {
    let s = site();
    s.page("中心/events/a.md", "title: 活动甲\ndate: 2024-01-01", "");
    s.page(
        "中心/events/b.md",
        "title: 活动乙\ndate: 2024-01-01\nslug: a",
        "",
    );
    let e = only_error(&s);
    assert!(
        e.contains("two pages have the URL /zhongxin/events/a/"),
        "{e}"
    );
    assert!(
        e.contains("content/中心/events/a.md") && e.contains("content/中心/events/b.md"),
        "{e}"
    );
}

#[test]
fn urls_that_differ_only_by_case() {
    let s = site();
    s.write("site.yaml", "title: t\nslugs: unicode\n");
    s.page(
        "中心/events/Éclat.md",
        "title: 活动甲\ndate: 2024-01-01",
        "",
    );
    s.page(
        "中心/events/b.md",
        "title: 活动乙\ndate: 2024-01-01\nslug: éclat",
        "",
    );
    let errors = s.errors();
    assert!(
        errors.iter().any(|e| e.contains("differ only by case")),
        "{errors:#?}"
    );
}

#[test]
fn unknown_site_yaml_key() {
    let s = site();
    s.write("site.yaml", "title: t\nbase_ulr: https://example.org/\n");
    let e = only_error(&s);
    starts(&e, "site.yaml:2:1: error: unknown field `base_ulr`");
    assert!(e.contains("did you mean `base_url`?"), "{e}");
}

#[test]
fn every_error_of_a_run_at_once() {
    let s = site();
    s.page("中心/events/a.md", "title: 活动\ndate: 2024-13-01", "");
    s.page("中心/events/b.md", "date: 2024-01-01\nplatfrom: theory", "");
    s.page(
        "中心/events/c.md",
        "title: 活动丙\ndate: 2024-01-01\nteams: [不存在]",
        "",
    );
    let errors = s.errors();
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

#[test]
fn check_exits_1_and_speaks_json() {
    let s = site();
    s.page("中心/events/a.md", "title: 活动\ndate: 2024-13-01", "");
    let out = assert_cmd::Command::cargo_bin("yunzhan")
        .unwrap()
        .args(["check", "--format", "json", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], 1);
    assert!(
        d["file"]
            .as_str()
            .unwrap()
            .ends_with("content/中心/events/a.md")
    );
    let text = assert_cmd::Command::cargo_bin("yunzhan")
        .unwrap()
        .args(["check", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(1));
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert!(
        stderr.contains("content/中心/events/a.md:3:1: error:"),
        "{stderr}"
    );
}

#[test]
fn a_broken_template_is_an_error_at_its_line() {
    let s = site();
    s.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ nothing.here }}\n{% endblock main %}",
    );
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("templates/404.html:3:"), "{}", errors[0]);
}

#[test]
fn a_field_in_the_wrong_kind_of_file_says_where_it_belongs() {
    let s = site();
    s.page("中心/新闻.md", "title: 新闻\nphotos: [a.jpg]", "");
    let e = only_error(&s);
    starts(
        &e,
        "content/中心/新闻.md:3:1: error: unknown field `photos` in a page",
    );
    assert!(e.contains("belongs in an event"), "{e}");
}

#[test]
fn personal_data_is_a_warning_and_strict_makes_it_an_error() {
    let s = site();
    s.page(
        "中心/events/a.md",
        "title: 活动\ndate: 2024-01-01",
        "报名请联系王老师 13812345678。\n",
    );
    let outcome = s.check();
    assert!(!outcome.has_errors());
    let warnings: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    starts(&warnings[0], "content/中心/events/a.md:5:");
    assert!(
        warnings[0].contains("warning: a mobile phone number (138****5678)"),
        "{}",
        warnings[0]
    );
    let run = |strict: bool| {
        let mut cmd = assert_cmd::Command::cargo_bin("yunzhan").unwrap();
        cmd.arg("check").arg("--root").arg(s.root());
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(run(false), Some(0));
    assert_eq!(run(true), Some(1));
}
