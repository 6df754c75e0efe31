//! Hostile input: every case gets a clear error or a correct site, in bounded time
//! and (for the bombs) bounded memory. The sites live in `tests/hostile/`; the ones
//! too big or too odd for git (100 MB of Markdown, symlinks) are made here.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a limited run of the binary did.
struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
}

/// Runs `yunzhan ARGS` with an address-space limit (MiB), killing it after `limit`.
fn run(args: &[&str], root: &Path, limit: Duration, memory_mib: u64) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("yunzhan");
    let mut script = format!("ulimit -v {} && exec \"$0\"", memory_mib * 1024);
    for (i, _) in args.iter().enumerate() {
        script.push_str(&format!(" \"${}\"", i + 1));
    }
    script.push_str(" --root \"$ROOT\"");
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(&bin)
        .args(args)
        .env("ROOT", root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("`yunzhan {}` took longer than {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code,
        stderr: reader.join().unwrap(),
        took: start.elapsed(),
    }
}

fn corpus(name: &str) -> PathBuf {
    // built in a copy, so the repository stays clean
    let dir = tempfile::tempdir().unwrap().keep();
    copy(&support::repo().join("tests/hostile").join(name), &dir);
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const QUICK: Duration = Duration::from_secs(20);

#[test]
fn yaml_alias_bomb() {
    let site = corpus("bomb");
    let r = run(&["check"], &site, QUICK, 256);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/a.md:2:1: error: too many aliases (a YAML alias bomb?)"),
        "{}",
        r.stderr
    );
}

#[test]
fn deeply_nested_yaml() {
    let site = corpus("deep");
    let r = run(&["check"], &site, QUICK, 256);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/a.md:3:") && r.stderr.contains("error: YAML nested too deeply"),
        "{}",
        r.stderr
    );
}

#[test]
fn deeply_nested_markdown() {
    let s = support::TestSite::new();
    let body = format!(
        "{}引用\n\n{}列表\n\n{}\n",
        "> ".repeat(20_000),
        "- ".repeat(20_000),
        "<div>".repeat(50_000)
    );
    s.page("a.md", "title: 深", &body);
    let r = run(&["build", "-q"], s.root(), QUICK, 1024);
    // raw HTML nested too deeply to sanitize is refused with its place
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/a.md:4:")
            && r.stderr.contains("error: raw HTML nested too deeply"),
        "{}",
        r.stderr
    );
    s.page("a.md", "title: 深", &body.replace("<div>", ""));
    let r = run(&["build", "-q"], s.root(), QUICK, 1024);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(s.exists("a/index.html"));
}

#[test]
fn a_hundred_megabytes_of_markdown() {
    let s = support::TestSite::new();
    let paragraph = "新时代文明实践站组织志愿者开展邻里互助活动，服务群众。".repeat(8) + "\n\n";
    let body = paragraph.repeat(100_000_000 / paragraph.len());
    s.page("big.md", "title: 大文件", &body);
    let r = run(&["build", "-q"], s.root(), Duration::from_secs(180), 4096);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        std::fs::metadata(s.output().join("big/index.html"))
            .unwrap()
            .len()
            > 100_000_000
    );
    eprintln!("100 MB built in {:?}", r.took);
}

#[test]
fn front_matter_without_its_closing_line() {
    let site = corpus("unclosed");
    let r = run(&["check"], &site, QUICK, 512);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("content/a.md:1:1: error: the front matter is never closed"),
        "{}",
        r.stderr
    );
}

#[test]
fn bom_and_crlf_just_work() {
    let site = corpus("bomcrlf");
    let r = run(&["build", "-q"], &site, QUICK, 512);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = std::fs::read_to_string(site.join("public/a/index.html")).unwrap();
    assert!(html.contains("<h1>标题</h1>"));
    assert!(!html.contains('\r'));
}

#[test]
fn odd_file_and_folder_names_get_clean_urls() {
    for (name, urls) in [
        (
            "names",
            vec![
                "a-b/",
                "a-b/p-a-b/",
                "c-d/p-c-d/",
                "e-20f/",
                "it-s/",
                "q/p-q/",
                "biaoqing/p-biaoqing/",
            ],
        ),
        (
            "names-unicode",
            vec![
                "a-b/",
                "c-d/",
                "e-20f/p-e-20f/",
                "it-s/",
                "q/",
                "表情/",
                "表情/p-表情/",
            ],
        ),
    ] {
        let site = corpus(name);
        let r = run(&["build", "-q"], &site, QUICK, 512);
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        for url in urls {
            assert!(
                site.join("public").join(url).join("index.html").is_file(),
                "{name}: {url}"
            );
        }
        let home = std::fs::read_to_string(site.join("public/units/index.html")).unwrap();
        assert!(
            !home.contains("href=\"/a b/"),
            "{name}: links use the clean URLs"
        );
    }
}

#[test]
fn slugs_colliding_by_case_are_an_error() {
    let site = corpus("case");
    let r = run(&["check"], &site, QUICK, 512);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("content/abc.md:1:1: error: two pages have the URL /abc/: content/Abc.md and content/abc.md"), "{}", r.stderr);
}

#[test]
fn symlink_loops_and_links_out_of_the_site() {
    let s = support::TestSite::new();
    s.page("a.md", "title: 页面", "");
    let content = s.root().join("content");
    std::os::unix::fs::symlink("/etc", content.join("etc")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", content.join("host.md")).unwrap();
    std::os::unix::fs::symlink(&content, content.join("loop")).unwrap();
    std::os::unix::fs::symlink("missing", content.join("dangling.md")).unwrap();
    let r = run(&["build", "-q"], s.root(), QUICK, 512);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("content/etc:1:1: warning: this symbolic link points outside `content/`; it is not followed"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/host.md:1:1: warning: this symbolic link points outside"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/loop:1:1: warning: symbolic links to folders are not followed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/dangling.md:1:1: warning: this symbolic link is broken"),
        "{}",
        r.stderr
    );
    assert!(!s.exists("etc") && !s.exists("host/index.html"));
}

#[test]
fn an_empty_content_folder() {
    let site = corpus("empty");
    let r = run(&["build", "-q"], &site, QUICK, 512);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        std::fs::read_to_string(site.join("public/index.html"))
            .unwrap()
            .contains(">空站点</h1>")
    );
}

/// Every input a fuzz target failed on (`fuzz/regressions/`), as the body of a
/// page and as the refs of an event: the build ends with a verdict (a site or
/// located errors), never a crash.
#[test]
fn fuzz_findings_end_with_a_verdict() {
    let findings = support::repo().join("fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&findings).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text =
            String::from_utf8_lossy(&bytes).replace(|c: char| c.is_control() && c != '\n', " ");
        let mut half = text.len() / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let (a, b) = text.split_at(half);
        let quoted = |s: &str| format!("'{}'", s.replace('\n', " ").replace('\'', "''"));
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, body: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        };
        write("site.yaml", "title: t\n");
        write(
            "content/甲/_index.md",
            "---\ntitle: 甲中心\nlevel: center\n---\n",
        );
        write("content/甲/teams/t.md", "---\ntitle: 宣讲团\n---\n");
        write(
            "content/甲/page.md",
            &format!("---\ntitle: 页\n---\n{text}"),
        );
        write(
            "content/甲/events/e.md",
            &format!(
                "---\ntitle: 活动\ndate: 2024-01-01\nteams: [{}]\nprojects: [{}]\n---\n[x](@/{a})\n",
                quoted(a),
                quoted(b)
            ),
        );
        let r = run(&["build", "-q"], dir.path(), QUICK, 1024);
        assert!(matches!(r.code, Some(0 | 1)), "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        for line in r.stderr.lines().filter(|l| l.contains("error:")) {
            assert!(
                line.starts_with("content/") || line.contains("/content/"),
                "{line}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 2, "the findings are in {}", findings.display());
}
