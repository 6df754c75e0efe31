//! The demo hall in headless Chromium, walked as a visitor would: by keyboard
//! from the first exhibit to the last and back, the zoom viewer, the guided
//! tour, and the `--relative-urls` build opened from `file://`.
//!
//! Needs `/usr/bin/chromium` (`.ci/run` installs it).

#[path = "support/browser.rs"]
mod browser;
mod support;

use browser::{DESKTOP, PHONE, StaticServer, Tab, chromium};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// One exhibit of the walk as the resolved site has it.
#[derive(Debug, Clone)]
struct Stop {
    /// Site URL (`/yunzhanguan/…/`).
    url: String,
    /// `第 N 展区 · i / n`
    position: String,
    /// The zone's URL.
    zone: String,
}

/// The demo's walk-through, straight from the resolver (not from the HTML).
fn expected_walk() -> &'static [Stop] {
    static WALK: OnceLock<Vec<Stop>> = OnceLock::new();
    WALK.get_or_init(|| {
        let site = support::resolve(&support::repo());
        let hall = &site.halls[0];
        hall.tour
            .iter()
            .map(|&x| {
                let e = &site.exhibits[x];
                let zone = &site.zones[e.zone];
                Stop {
                    url: e.meta.url.clone(),
                    position: format!(
                        "第 {} 展区 · {} / {}",
                        zone.number,
                        e.position + 1,
                        zone.exhibits.len()
                    ),
                    zone: zone.meta.url.clone(),
                }
            })
            .collect()
    })
}

fn build(dir: &str, relative: bool) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(dir);
    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: support::repo(),
        output: Some(out.clone()),
        write: true,
        relative_urls: relative,
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
    out
}

/// The demo built with site URLs and served over HTTP.
fn served() -> &'static StaticServer {
    static SERVER: OnceLock<StaticServer> = OnceLock::new();
    SERVER.get_or_init(|| StaticServer::start(build("hall-demo", false)))
}

/// The demo built with `--relative-urls` (opened from file://).
fn relative_build() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build("hall-demo-relative", true))
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// One test at a time: each walks many pages, and a busy machine makes
/// parallel tabs starve each other.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Polls `js` until it returns a non-empty string (the page may be between
/// two documents meanwhile).
async fn wait_for(tab: &Tab, js: &str, what: &str) -> String {
    for _ in 0..1000 {
        if let Ok(result) = tab.page.evaluate(js).await
            && let Ok(value) = result.into_value::<String>()
            && !value.is_empty()
        {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until a page other than `old` has loaded; returns its URL.
async fn next_page(tab: &Tab, old: &str) -> String {
    let js = format!(
        "(document.readyState === 'complete' && location.href !== {old:?} && document.querySelector('h1')) ? location.href : ''"
    );
    wait_for(tab, &js, &format!("a page after {old}")).await
}

async fn href(tab: &Tab) -> String {
    tab.eval("location.href").await
}

/// Walks the whole hall by keyboard, forward then back, from the first exhibit
/// at `first`; `path_of` turns a page's `location.href` into its site URL.
async fn walk_by_keyboard(tab: &Tab, path_of: &dyn Fn(&str) -> String) {
    let walk = expected_walk();
    let mut visited = vec![path_of(&href(tab).await)];
    for i in 0..walk.len() {
        let here = href(tab).await;
        assert_eq!(path_of(&here), walk[i].url, "exhibit {} of the walk", i + 1);
        let position: String = tab
            .eval("document.querySelector('.walk-position').firstChild.textContent")
            .await;
        assert_eq!(position.trim(), walk[i].position, "{here}");
        if i + 1 < walk.len() {
            tab.press("ArrowRight").await;
            visited.push(path_of(&next_page(tab, &here).await));
        }
    }
    let expected: Vec<&str> = walk.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(visited, expected, "→ reaches every exhibit once, in order");
    // → on the last exhibit goes nowhere
    let last = href(tab).await;
    tab.press("ArrowRight").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(href(tab).await, last);
    // and ← all the way back
    let mut back = vec![path_of(&last)];
    for _ in 1..walk.len() {
        let here = href(tab).await;
        tab.press("ArrowLeft").await;
        back.push(path_of(&next_page(tab, &here).await));
    }
    back.reverse();
    assert_eq!(back, expected, "← retraces the walk");
}

#[test]
fn the_demo_hall_is_walked_by_keyboard_from_the_first_exhibit_to_the_last_and_back() {
    let _serial = serial();
    let server = served();
    let walk = expected_walk();
    assert!(
        walk.len() >= 10,
        "the demo hall has {} exhibits",
        walk.len()
    );
    chromium().run(async {
        // the entrance: its status comes from the dates, its first link starts the walk
        let tab = chromium().open(&server.url("/yunzhanguan/"), DESKTOP).await;
        let status: Vec<String> = tab
            .eval("(() => { const s = document.querySelector('[data-hall-status]'); return [String(s.hidden), s.dataset.state || '', s.textContent]; })()")
            .await;
        assert_eq!(status[0], "false", "the status shows with script");
        assert!(["open", "upcoming", "closed"].contains(&status[1].as_str()), "{status:?}");
        let start: String = tab.eval("document.querySelector('.hall-actions a.button').getAttribute('href')").await;
        assert_eq!(start, walk[0].url);
        let _: bool = tab.eval("document.querySelector('.hall-actions a.button').focus(), true").await;
        let here = href(&tab).await;
        tab.press("Enter").await;
        next_page(&tab, &here).await;
        let origin = server.url("");
        walk_by_keyboard(&tab, &|h: &str| h.strip_prefix(&origin).unwrap_or(h).to_string()).await;
        // Esc goes back to the zone
        let here = href(&tab).await;
        tab.press("Escape").await;
        let zone = next_page(&tab, &here).await;
        assert_eq!(zone, server.url(&walk[0].zone));
        assert!(tab.problems().is_empty(), "{:?}", tab.problems());
        tab.close().await;
    });
}

#[test]
fn swipes_walk_on_a_phone() {
    let _serial = serial();
    let server = served();
    let walk = expected_walk();
    chromium().run(async {
        let tab = chromium().open(&server.url(&walk[1].url), PHONE).await;
        let swipe = |from: i32, to: i32| {
            format!(
                "(() => {{ const a = document.querySelector('[data-walk]');
                   const t = x => new Touch({{identifier: 1, target: a, clientX: x, clientY: 400}});
                   a.dispatchEvent(new TouchEvent('touchstart', {{touches: [t({from})], changedTouches: [t({from})], bubbles: true}}));
                   a.dispatchEvent(new TouchEvent('touchend', {{touches: [], changedTouches: [t({to})], bubbles: true}}));
                   return true; }})()"
            )
        };
        let here = href(&tab).await;
        let _: bool = tab.eval(&swipe(320, 80)).await;
        assert_eq!(next_page(&tab, &here).await, server.url(&walk[2].url), "a swipe to the left shows the next exhibit");
        let here = href(&tab).await;
        let _: bool = tab.eval(&swipe(80, 320)).await;
        assert_eq!(next_page(&tab, &here).await, server.url(&walk[1].url), "a swipe to the right the previous");
        assert!(tab.problems().is_empty(), "{:?}", tab.problems());
        tab.close().await;
    });
}

/// The zoom viewer's state: open, scale relative to fitting, transform, focus.
const VIEWER: &str = "(() => { const d = document.querySelector('dialog.zoom-viewer');
  return [String(!!(d && d.open)), d ? d.dataset.scale || '' : '', d ? d.querySelector('img').style.transform : '',
          document.activeElement ? document.activeElement.className : '', d ? String(d.querySelector('img').naturalWidth > 0) : '']; })()";

#[test]
fn the_zoom_viewer_zooms_and_pans_and_esc_closes_it_before_leaving() {
    let _serial = serial();
    let server = served();
    chromium().run(async {
        // an exhibit with several pictures
        let walk = expected_walk();
        let tab = chromium().open(&server.url(&walk[0].url), DESKTOP).await;
        let mut found = false;
        for stop in walk {
            tab.goto(&server.url(&stop.url)).await;
            let n: u32 = tab.eval("document.querySelectorAll('a.zoom-link').length").await;
            if n >= 2 {
                found = true;
                break;
            }
        }
        assert!(found, "an exhibit with two pictures or more");
        let page = href(&tab).await;
        let _: bool = tab.eval("document.querySelector('a.zoom-link').focus(), true").await;
        tab.press("Enter").await;
        let s: Vec<String> = tab.eval(VIEWER).await;
        assert_eq!((s[0].as_str(), s[1].as_str(), s[3].as_str()), ("true", "1.00", "zv-close"), "Enter opens the viewer, fitted, focus inside: {s:?}");
        let loaded = wait_for(&tab, "document.querySelector('dialog.zoom-viewer img').naturalWidth > 0 ? 'yes' : ''", "the large picture").await;
        assert_eq!(loaded, "yes");

        // keyboard: + zooms in, 0 fits again
        tab.press("+").await;
        let s: Vec<String> = tab.eval(VIEWER).await;
        assert_eq!(s[1], "1.50", "{s:?}");
        tab.press("0").await;
        let s: Vec<String> = tab.eval(VIEWER).await;
        assert_eq!(s[1], "1.00");
        // → shows the next picture while not zoomed
        tab.press("ArrowRight").await;
        let count: String = tab.eval("document.querySelector('.zv-count').textContent").await;
        assert!(count.starts_with("2 / "), "{count}");
        assert_eq!(href(&tab).await, page, "arrows inside the viewer do not leave the exhibit");

        // the wheel zooms about the pointer, a drag pans
        let _: bool = tab
            .eval("(() => { const s = document.querySelector('.zv-stage');
                     s.dispatchEvent(new WheelEvent('wheel', {deltaY: -400, clientX: 300, clientY: 300, bubbles: true, cancelable: true}));
                     return true; })()")
            .await;
        let zoomed: Vec<String> = tab.eval(VIEWER).await;
        assert!(zoomed[1].parse::<f64>().unwrap() > 1.5, "{zoomed:?}");
        let _: bool = tab
            .eval("(() => { const s = document.querySelector('.zv-stage');
                     const p = (type, x, y) => s.dispatchEvent(new PointerEvent(type, {pointerId: 7, clientX: x, clientY: y, bubbles: true}));
                     p('pointerdown', 400, 300); p('pointermove', 300, 250); p('pointerup', 300, 250); return true; })()")
            .await;
        let panned: Vec<String> = tab.eval(VIEWER).await;
        assert_ne!(panned[2], zoomed[2], "a drag moves the picture");
        // a double tap fits it again
        let _: bool = tab
            .eval("(() => { const s = document.querySelector('.zv-stage');
                     const p = (type) => s.dispatchEvent(new PointerEvent(type, {pointerId: 8, clientX: 500, clientY: 300, bubbles: true}));
                     p('pointerdown'); p('pointerup'); p('pointerdown'); p('pointerup'); return true; })()")
            .await;
        let s: Vec<String> = tab.eval(VIEWER).await;
        assert_eq!(s[1], "1.00", "double tap toggles back to fitting");

        // Esc closes the viewer first, focus returns to the picture's link …
        tab.press("Escape").await;
        let s: Vec<String> = tab.eval(VIEWER).await;
        assert_eq!(s[0], "false");
        assert_eq!(s[3], "zoom-link");
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(href(&tab).await, page, "the first Esc only closes the viewer");
        // … and the next Esc goes back to the zone
        tab.press("Escape").await;
        let zone = next_page(&tab, &page).await;
        assert!(page.starts_with(&zone), "{zone} is the zone of {page}");
        assert!(tab.problems().is_empty(), "{:?}", tab.problems());
        tab.close().await;
    });
}

#[test]
fn the_guided_tour_advances_across_pages_and_pauses() {
    let _serial = serial();
    let server = served();
    let walk = expected_walk();
    chromium().run(async {
        let tab = chromium().open(&server.url(&walk[0].url), DESKTOP).await;
        let visible: bool = tab.eval("!document.querySelector('[data-tour]').hidden").await;
        assert!(visible, "the tour's controls show with script");
        // a short step, then start
        let _: bool = tab
            .eval("document.querySelector('[data-walk]').dataset.tourSeconds = '0.3', document.querySelector('[data-tour-start]').click(), true")
            .await;
        let touring: bool = tab.eval("document.documentElement.classList.contains('touring')").await;
        assert!(touring);
        let here = href(&tab).await;
        let next = next_page(&tab, &here).await;
        let expected = server.url(&format!("{}?tour=1", walk[1].url));
        assert_eq!(next, expected, "the tour moves on by itself and says so in the URL");
        let state = "[document.documentElement.classList.contains('touring'), document.documentElement.classList.contains('tour-paused'), !document.querySelector('[data-tour-pause]').hidden]";
        let s: Vec<bool> = tab.eval(state).await;
        assert_eq!(s, [true, false, true], "the next page keeps touring");
        // Space pauses: nothing moves
        let _: bool = tab.eval("document.activeElement && document.activeElement.blur(), true").await;
        tab.press(" ").await;
        let s: Vec<bool> = tab.eval(state).await;
        assert_eq!(s, [true, true, true]);
        let status: String = tab.eval("document.querySelector('.tour-status').textContent").await;
        assert_eq!(status, "导览已暂停");
        // Esc ends the tour and stays on the exhibit
        tab.press("Escape").await;
        let s: Vec<bool> = tab.eval(state).await;
        assert_eq!(s, [false, false, false]);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(href(&tab).await, server.url(&walk[1].url), "the tour's mark leaves the URL");
        assert!(tab.problems().is_empty(), "{:?}", tab.problems());
        tab.close().await;
    });
}

#[test]
fn the_relative_build_works_from_file_urls_with_no_failed_request() {
    let _serial = serial();
    let out = relative_build();
    let walk = expected_walk();
    let root = file_url(out);
    // file:///…/yunzhanguan/x/index.html → /yunzhanguan/x/
    let path_of = |h: &str| -> String {
        let rest = h.strip_prefix(&root).unwrap_or(h);
        rest.strip_suffix("index.html").unwrap_or(rest).to_string()
    };
    chromium().run(async {
        let tab = chromium().open(&format!("{root}/index.html"), DESKTOP).await;
        // the home page links the hall; the hall starts the walk
        let hall: String = tab.eval("[...document.querySelectorAll('a')].find(a => a.textContent.includes('走进云展馆')).href").await;
        assert!(hall.starts_with("file://") && hall.ends_with("/index.html"), "{hall}");
        tab.goto(&hall).await;
        let styled: String = tab.eval("getComputedStyle(document.querySelector('.hall-hero')).backgroundImage").await;
        assert!(styled.contains("gradient"), "the hall's stylesheet loads from disk: {styled}");
        let here = href(&tab).await;
        let _: bool = tab.eval("document.querySelector('.hall-actions a.button').click(), true").await;
        next_page(&tab, &here).await;
        walk_by_keyboard(&tab, &path_of).await;
        // the zoom viewer loads its picture from disk
        let with_picture = walk.iter().find(|s| std::fs::read_to_string(out.join(s.url.trim_start_matches('/')).join("index.html")).unwrap().contains("zoom-link")).unwrap();
        tab.goto(&format!("{root}{}index.html", with_picture.url)).await;
        let _: bool = tab.eval("document.querySelector('a.zoom-link').click(), true").await;
        wait_for(&tab, "document.querySelector('dialog.zoom-viewer img').naturalWidth > 0 ? 'yes' : ''", "the large picture").await;
        tab.press("Escape").await;
        // the tour continues from disk
        let _: bool = tab
            .eval("document.querySelector('[data-walk]').dataset.tourSeconds = '0.2', document.querySelector('[data-tour-start]').click(), true")
            .await;
        let here = href(&tab).await;
        let next = next_page(&tab, &here).await;
        assert!(next.ends_with("/index.html?tour=1"), "{next}");
        tab.press("Escape").await;
        // a zone, its board, an event's lightbox, the search page
        tab.goto(&format!("{root}{}index.html", walk[0].zone)).await;
        let board: String = tab.eval("document.querySelector('.zone-side a[href$=\"board/index.html\"]').href").await;
        assert!(board.ends_with("/board/index.html"), "{board}");
        tab.goto(&board).await;
        tab.goto(&format!("{root}/index.html")).await;
        let photos: String = tab
            .eval("(() => { const a = [...document.querySelectorAll('a')].find(a => /\\/events\\/[^/]+\\/index\\.html$/.test(a.href)); return a ? a.href : ''; })()")
            .await;
        assert!(!photos.is_empty(), "the home page links an event");
        tab.goto(&photos).await;
        let has_gallery: bool = tab.eval("!!document.querySelector('.gallery a.lightbox-link')").await;
        if has_gallery {
            let _: bool = tab.eval("document.querySelector('.gallery a.lightbox-link').click(), true").await;
            wait_for(&tab, "document.querySelector('dialog.lightbox img').naturalWidth > 0 ? 'yes' : ''", "the lightbox picture").await;
            tab.press("Escape").await;
        }
        tab.goto(&format!("{root}/search/index.html?q=%E4%BA%91%E5%B1%95%E9%A6%86")).await;
        let first = wait_for(&tab, "(() => { const a = document.querySelector('#search-results a'); return a ? a.href : ''; })()", "search results").await;
        assert!(first.starts_with("file://") && first.ends_with(".html"), "{first}");
        assert!(tab.problems().is_empty(), "{:#?}", tab.problems());
        tab.close().await;
    });
}
