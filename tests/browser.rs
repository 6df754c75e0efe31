//! The default theme in a real browser: the demo site built once, served on
//! 127.0.0.1 and opened in headless Chromium. Screenshots of the key pages go
//! to `target/screenshots/`; every page must load without console errors or
//! failed requests; axe-core must find no serious or critical violation; the
//! lightbox must work by keyboard; the Nu HTML Checker must find no error.
//!
//! Needs `/usr/bin/chromium`, Java and npm (`.ci/run` installs them); axe-core
//! and vnu-jar are installed from `tests/browser/package-lock.json` on first use.

#[path = "support/browser.rs"]
mod browser;

use browser::{DESKTOP, PHONE, StaticServer, Tab, Viewport, chromium, node_module, screenshot_dir};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The demo site, built and served.
struct Demo {
    out: PathBuf,
    server: StaticServer,
    /// Site path of every HTML page (`/`, `/map/`, `/404.html`…), sorted.
    pages: Vec<String>,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-demo");
        let outcome = yunzhan::build(&yunzhan::BuildOptions {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            output: Some(out.clone()),
            write: true,
            ..Default::default()
        });
        let errors: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "the demo does not build:\n{}",
            errors.join("\n")
        );
        let mut pages: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                match rel.strip_suffix("index.html") {
                    Some(dir) => format!("/{dir}"),
                    None => format!("/{rel}"),
                }
            })
            .collect();
        pages.sort();
        let server = StaticServer::start(&out);
        Demo { out, server, pages }
    })
}

impl Demo {
    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    fn html(&self, path: &str) -> String {
        let file = if path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        std::fs::read_to_string(self.out.join(file.trim_start_matches('/'))).unwrap_or_default()
    }

    /// A root unit with child units.
    fn unit(&self) -> String {
        self.pages
            .iter()
            .find(|p| {
                self.html(p).contains("page-unit")
                    && self.html(p).contains("children-title")
                    && p.matches('/').count() == 2
            })
            .expect("a center with children")
            .clone()
    }

    /// An event with three photos or more.
    fn event(&self) -> String {
        self.pages
            .iter()
            .find(|p| p.contains("/events/") && self.html(p).matches("lightbox-link").count() >= 3)
            .expect("an event with photos")
            .clone()
    }
}

/// Opens a page, waits, and returns the tab with its problems so far.
async fn visit(path: &str, viewport: Viewport) -> Tab {
    chromium().open(&demo().url(path), viewport).await
}

#[test]
fn screenshots_of_the_key_pages_at_phone_and_desktop_sizes() {
    let d = demo();
    let pages = [
        ("home", "/".to_string()),
        ("unit", d.unit()),
        ("event", d.event()),
        ("map", "/map/".to_string()),
    ];
    chromium().run(async {
        for viewport in [PHONE, DESKTOP] {
            for (name, path) in &pages {
                let tab = visit(path, viewport).await;
                let file = screenshot_dir().join(format!("{name}-{}.png", viewport.name()));
                tab.screenshot(&file).await;
                assert!(std::fs::metadata(&file).unwrap().len() > 10_000, "{} is empty", file.display());
                // nothing wider than the screen
                let overflow: f64 = tab.eval("document.documentElement.scrollWidth - window.innerWidth").await;
                assert!(overflow <= 0.0, "{path} at {} scrolls sideways by {overflow}px", viewport.name());
                // no layout shift once loaded (images carry their size)
                let shift: f64 = tab
                    .eval(
                        "new Promise(r => { let s = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) s += e.value; })
                          .observe({type: 'layout-shift', buffered: true}); setTimeout(() => r(s), 200); })",
                    )
                    .await;
                assert!(shift < 0.02, "{path} at {}: cumulative layout shift {shift}", viewport.name());
                assert!(tab.problems().is_empty(), "{path}: {:?}", tab.problems());
                tab.close().await;
            }
        }
        // the dark theme, to look at
        for (name, path) in &pages[..2] {
            let tab = visit(path, PHONE).await;
            tab.dark(true).await;
            tab.screenshot(&screenshot_dir().join(format!("{name}-dark-{}.png", PHONE.name()))).await;
            tab.close().await;
        }
    });
}

#[test]
fn every_page_loads_without_console_errors_or_failed_requests() {
    let d = demo();
    assert!(d.pages.len() > 100, "only {} pages", d.pages.len());
    let half = d.pages.len() / 2;
    let (a, b) = d.pages.split_at(half);
    let failures: Vec<String> = chromium().run(async {
        // two tabs in parallel, each walking half of the site
        let walk = |paths: &'static [String]| async move {
            let tab = visit("/404.html", DESKTOP).await;
            let mut failures = Vec::new();
            for path in paths {
                tab.clear_problems();
                tab.goto(&demo().url(path)).await;
                let without_size: u32 = tab
                    .eval("[...document.images].filter(i => !i.getAttribute('width') || !i.getAttribute('height')).length")
                    .await;
                let mut problems = tab.problems();
                if path.ends_with("404.html") {
                    problems.retain(|p| !p.contains("404"));
                }
                if without_size > 0 {
                    problems.push(format!("{without_size} images without width and height"));
                }
                failures.extend(problems.into_iter().map(|p| format!("{path}: {p}")));
            }
            tab.close().await;
            failures
        };
        let (x, y) = futures::join!(walk(a), walk(b));
        x.into_iter().chain(y).collect()
    });
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One page of each kind: listings, items at every level, the hall, the poster.
fn one_page_of_each_kind() -> Vec<String> {
    let d = demo();
    let mut pages: Vec<String> = [
        "/",
        "/units/",
        "/projects/",
        "/teams/",
        "/events/",
        "/platforms/",
        "/tags/",
        "/map/",
        "/search/",
        "/404.html",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    pages.push(d.unit());
    pages.push(d.event());
    pages.push(format!("{}poster/", d.unit()));
    let mut seen_classes = std::collections::BTreeSet::new();
    for p in &d.pages {
        let html = d.html(p);
        let class = html
            .split("<body class=")
            .nth(1)
            .and_then(|s| s.split('>').next())
            .unwrap_or("")
            .to_string();
        let shape: Vec<&str> = p
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.chars().all(|c| c.is_ascii_digit()) {
                    "N"
                } else {
                    "x"
                }
            })
            .collect();
        let key = format!(
            "{class} {}",
            if class.contains("page-") {
                String::new()
            } else {
                shape.join("/")
            }
        );
        if seen_classes.insert(key) && !pages.contains(p) {
            pages.push(p.clone());
        }
    }
    pages
}

#[test]
fn axe_finds_no_serious_or_critical_violations() {
    let axe = std::fs::read_to_string(node_module("axe-core/axe.min.js")).expect("axe-core");
    let pages = one_page_of_each_kind();
    let runs: Vec<(String, Viewport, bool)> = pages
        .iter()
        .map(|p| (p.clone(), DESKTOP, false))
        .chain(
            ["/".to_string(), demo().unit(), demo().event()]
                .into_iter()
                .flat_map(|p| [(p.clone(), PHONE, false), (p, PHONE, true)]),
        )
        .collect();
    let report: Vec<String> = chromium().run(async {
        let mut report = Vec::new();
        let tab = visit("/", DESKTOP).await;
        for (path, viewport, dark) in &runs {
            tab.resize(*viewport).await;
            tab.dark(*dark).await;
            tab.goto(&demo().url(path)).await;
            let _: bool = tab.eval(&format!("{axe};\ntrue")).await;
            let found: Vec<serde_json::Value> = tab
                .eval(
                    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
                )
                .await;
            for v in found {
                report.push(format!("{path} ({}{}): {v}", viewport.name(), if *dark { ", dark" } else { "" }));
            }
        }
        tab.close().await;
        report
    });
    assert!(pages.len() >= 15, "only {} kinds of page", pages.len());
    assert!(report.is_empty(), "axe-core found:\n{}", report.join("\n"));
}

#[test]
fn the_lightbox_works_by_keyboard_and_swipe() {
    let event = demo().event();
    chromium().run(async {
        let tab = visit(&event, DESKTOP).await;
        let photos: u32 = tab.eval("document.querySelectorAll('.gallery a.lightbox-link').length").await;
        assert!(photos >= 3);
        // without script every photo is a link to its large image
        let hrefs: Vec<String> = tab.eval("[...document.querySelectorAll('.gallery a')].map(a => a.getAttribute('href'))").await;
        assert!(hrefs.iter().all(|h| h.ends_with(".jpg") || h.ends_with(".jpeg") || h.ends_with(".webp") || h.ends_with(".png")), "{hrefs:?}");

        let _: bool = tab.eval("document.querySelector('.gallery a').focus(), true").await;
        tab.press("Enter").await;
        let state = "(() => { const d = document.querySelector('dialog.lightbox'); return [String(d && d.open), d ? d.querySelector('.lb-count').textContent : '', d ? d.querySelector('img').getAttribute('src') : '', document.activeElement.className]; })()";
        let s: Vec<String> = tab.eval(state).await;
        assert_eq!(s[0], "true", "Enter on a photo opens the lightbox: {s:?}");
        assert_eq!(s[1], format!("1 / {photos}"));
        assert_eq!(s[2], hrefs[0]);
        assert_eq!(s[3], "lb-close", "focus moves into the dialog");

        tab.press("ArrowRight").await;
        let s: Vec<String> = tab.eval(state).await;
        assert_eq!((s[1].as_str(), s[2].as_str()), (format!("2 / {photos}").as_str(), hrefs[1].as_str()));
        tab.press("ArrowLeft").await;
        tab.press("ArrowLeft").await;
        let s: Vec<String> = tab.eval(state).await;
        assert_eq!(s[1], format!("{photos} / {photos}"), "← wraps around");
        tab.press("ArrowRight").await;
        tab.press("ArrowRight").await;

        // a swipe to the left shows the next photo
        let _: bool = tab
            .eval(
                "(() => { const d = document.querySelector('dialog.lightbox');
                   const t = x => new Touch({identifier: 1, target: d, clientX: x, clientY: 300});
                   d.dispatchEvent(new TouchEvent('touchstart', {changedTouches: [t(300)], bubbles: true}));
                   d.dispatchEvent(new TouchEvent('touchend', {changedTouches: [t(120)], bubbles: true}));
                   return true; })()",
            )
            .await;
        let s: Vec<String> = tab.eval(state).await;
        assert_eq!(s[1], format!("3 / {photos}"), "swipe left moves on");

        tab.press("Escape").await;
        let s: Vec<String> = tab.eval(state).await;
        assert_eq!(s[0], "false", "Esc closes");
        let focused: String = tab.eval("document.activeElement.getAttribute('href') || ''").await;
        assert_eq!(focused, hrefs[2], "focus returns to the photo shown last");
        assert!(tab.problems().is_empty(), "{:?}", tab.problems());
        tab.close().await;
    });
}

#[test]
fn the_html_checker_finds_no_errors() {
    let d = demo();
    let vnu = node_module("vnu-jar/build/dist/vnu.jar");
    let out = std::process::Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(&vnu)
        .args([
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            "--exit-zero-always",
        ])
        .arg(&d.out)
        .output()
        .expect("java runs (install a JRE: apt-get install default-jre-headless)");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .or_else(|_| serde_json::from_slice(&out.stdout))
        .unwrap_or_else(|e| {
            panic!(
                "vnu's report is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"]
                .as_str()
                .unwrap_or("")
                .replace(&format!("file:{}", d.out.display()), "");
            format!(
                "{file}:{}: {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let checked = walkdir::WalkDir::new(&d.out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(checked == d.pages.len() && checked > 100);
    assert!(
        errors.is_empty(),
        "{} HTML errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// HTML + CSS + JS of a unit page, in bytes (images excluded).
fn page_weight(d: &Demo, path: &str) -> usize {
    let html = d.html(path);
    let assets: usize = html
        .split(['"', '=', ' ', '>'])
        .filter(|s| s.starts_with("/assets/") && (s.ends_with(".css") || s.ends_with(".js")))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|a| {
            std::fs::metadata(d.out.join(a.trim_start_matches('/')))
                .map(|m| m.len() as usize)
                .unwrap_or(0)
        })
        .sum();
    html.len() + assets
}

#[test]
fn unit_pages_fit_the_budget_of_60_kb() {
    let d = demo();
    let units: Vec<&String> = d
        .pages
        .iter()
        .filter(|p| d.html(p).contains("page-unit"))
        .collect();
    assert!(units.len() > 20);
    let mut heaviest = units
        .iter()
        .map(|p| (page_weight(d, p), p.as_str()))
        .collect::<Vec<_>>();
    heaviest.sort();
    let (weight, path) = heaviest.last().unwrap();
    eprintln!("heaviest unit page: {path}: {weight} bytes (HTML+CSS+JS)");
    assert!(*weight <= 60 * 1024, "{path} weighs {weight} bytes");
    assert!(Path::new(&d.out).join("favicon.svg").exists());
}
