//! The demo's search page in headless Chromium: typing Chinese, pinyin and
//! initials, filtering, deep links, the header box and the keyboard, served
//! over HTTP and opened from file://. The results must be what the Rust
//! reference ranking gives for the same index.

#[path = "support/chromium.rs"]
mod browser;
mod support;

use browser::{Chromium, StaticServer, Tab, file_url, js_string};
use std::path::Path;
use std::time::Duration;
use yunzhan::search::{self, query};

const WAIT: Duration = Duration::from_secs(20);

/// Builds the demo into a temporary folder.
fn build_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: support::repo(),
        output: Some(out.path().to_path_buf()),
        write: true,
        ..Default::default()
    });
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    out
}

/// Waits until the results for exactly `q` are on the page.
async fn wait_results(tab: &Tab, q: &str) {
    let cond = format!(
        "document.getElementById('search-results').getAttribute('data-query') === {}",
        js_string(q)
    );
    tab.wait_until(&cond, WAIT).await;
}

/// The links of the results shown, in order.
async fn result_links(tab: &Tab) -> Vec<String> {
    tab.eval("Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'))")
        .await
}

async fn type_query(tab: &Tab, q: &str) {
    tab.clear("#search-q").await;
    wait_results(tab, "").await;
    tab.type_text("#search-q", q).await;
    wait_results(tab, q).await;
}

/// The site-relative URL of a result link (`http://…/a/b/` or
/// `file:///…/a/b/index.html` → `a/b/`).
fn relative(root: &str, href: &str) -> String {
    href.strip_prefix(root)
        .unwrap_or(href)
        .trim_end_matches("index.html")
        .to_string()
}

/// Types queries with known answers and checks the first results.
async fn known_answers(tab: &Tab, root: &str) {
    tab.wait_for_selector("#search[data-ready]").await;
    let cases = [
        ("金盾宣讲团", "changjishi/teams/jindun-xuanjiangtuan/"),
        ("清徐县", "qingxuxian/"),
        ("qingxuxian", "qingxuxian/"),
        ("jdxjt", "changjishi/teams/jindun-xuanjiangtuan/"),
        ("榆树沟镇", "changjishi/yushu-gouzhen/"),
        (
            "蒲公英宣讲队",
            "chengzhongqu/teams/pugongying-xuanjiangdui/",
        ),
        ("pugongying", "chengzhongqu/teams/pugongying-xuanjiangdui/"),
        (
            "食品安全，快检！",
            "jinyuanqu/jincizhen/wangguocun/events/shipinanquan-kuaijianjin-jishi/",
        ),
    ];
    for (q, want) in cases {
        type_query(tab, q).await;
        let links = result_links(tab).await;
        let first = links.first().map(|h| relative(root, h));
        assert_eq!(first.as_deref(), Some(want), "{q}: {links:?}");
    }
    // results are highlighted, with kind and place
    type_query(tab, "金盾").await;
    let marks: Vec<String> = tab
        .eval(
            "Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)",
        )
        .await;
    assert!(marks.iter().any(|m| m == "金盾"), "{marks:?}");
    let kinds: Vec<String> = tab
        .eval(
            "Array.from(document.querySelectorAll('.search-result-kind')).map(m => m.textContent)",
        )
        .await;
    assert!(
        kinds.contains(&"队伍".to_string()) && kinds.contains(&"活动".to_string()),
        "{kinds:?}"
    );
    let status: String = tab
        .eval("document.getElementById('search-status').textContent")
        .await;
    assert!(status.starts_with("找到"), "{status}");

    // a filter: only events
    let _: bool = tab
        .eval("(() => { const s = document.getElementById('search-kind'); s.value = 'event'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()")
        .await;
    tab.wait_until(
        "document.querySelectorAll('#search-results .search-result').length === 1",
        WAIT,
    )
    .await;
    let links = result_links(tab).await;
    assert_eq!(
        relative(root, &links[0]),
        "changjishi/ningbianlu-jiedao/dongyuan-shequ/events/jindun-shuofajin-tingyuan/"
    );
    let option: String = tab
        .eval("document.querySelector('#search-kind option[value=event]').textContent")
        .await;
    assert_eq!(option, "活动（1）");
    // the URL is a deep link to what is shown
    let search: String = tab.eval("location.search").await;
    assert!(
        search.contains("kind=event") && search.contains("q=%E9%87%91%E7%9B%BE"),
        "{search}"
    );
    let _: bool = tab
        .eval("(() => { const s = document.getElementById('search-kind'); s.value = ''; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()")
        .await;

    // nothing found says so
    type_query(tab, "布达拉宫").await;
    let status: String = tab
        .eval("document.getElementById('search-status').textContent")
        .await;
    assert!(status.contains("没有找到"), "{status}");
    assert!(result_links(tab).await.is_empty());
}

/// The browser shows what the Rust reference ranks, for the same files.
async fn agrees_with_reference(tab: &Tab, root: &str, out: &Path) {
    let index = search::read_index(&out.join("search")).unwrap();
    for q in [
        "文明实践",
        "志愿服务队",
        "changji",
        "宣讲",
        "sq",
        "党史 校园",
        "2024",
    ] {
        type_query(tab, q).await;
        let shown: Vec<String> = result_links(tab)
            .await
            .iter()
            .map(|h| relative(root, h))
            .collect();
        let want: Vec<String> = query::search(&index, q, query::Filters::default())
            .into_iter()
            .take(10)
            .map(|h| index.docs[h.doc as usize].url.clone())
            .collect();
        assert_eq!(shown, want, "{q}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_page_over_http() {
    let out = build_demo();
    let server = StaticServer::start(out.path());
    let chromium = Chromium::launch().await;

    let tab = chromium.open(&format!("{}search/", server.url)).await;
    known_answers(&tab, &server.url).await;
    agrees_with_reference(&tab, &server.url, out.path()).await;

    // keyboard: ArrowDown goes from the box to the first result, and on
    type_query(&tab, "宣讲团").await;
    tab.press("#search-q", "ArrowDown").await;
    let focused: String = tab.eval("document.activeElement.className").await;
    assert_eq!(focused, "search-result-title");
    tab.press(".search-result-title", "ArrowDown").await;
    let second: bool = tab
        .eval("document.activeElement === document.querySelectorAll('.search-result-title')[1]")
        .await;
    assert!(second);
    tab.assert_clean();

    // a deep link with a filter
    let deep = chromium
        .open(&format!(
            "{}search/?q={}&kind=team",
            server.url, "%E5%AE%A3%E8%AE%B2"
        ))
        .await;
    wait_results(&deep, "宣讲").await;
    let kinds: Vec<String> = deep
        .eval(
            "Array.from(document.querySelectorAll('.search-result-kind')).map(m => m.textContent)",
        )
        .await;
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| k == "队伍"),
        "{kinds:?}"
    );
    let selected: String = deep
        .eval("document.getElementById('search-kind').value")
        .await;
    assert_eq!(selected, "team");
    deep.assert_clean();

    // the header box of any page submits to the search page
    let home = chromium.open(&server.url).await;
    home.wait_for_selector("#site-search-q").await;
    home.type_text("#site-search-q", "晋祠").await;
    home.press("#site-search-q", "Enter").await;
    home.wait_until("location.pathname === '/search/'", WAIT)
        .await;
    wait_results(&home, "晋祠").await;
    assert!(!result_links(&home).await.is_empty());
    home.assert_clean();

    chromium.close().await;
}

/// From file://, the theme's site-absolute URLs (the stylesheet) do not
/// resolve, which is not search's business; everything search loads must.
fn search_files_loaded(tab: &Tab) {
    assert!(
        tab.console_errors().is_empty(),
        "{:?}",
        tab.console_errors()
    );
    let failed: Vec<String> = tab
        .failed_requests()
        .into_iter()
        .filter(|f| f.contains("/search/") || f.contains("search.js"))
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    let loaded = tab.received();
    assert!(
        loaded.iter().any(|(u, _)| u.contains("/search/index.")),
        "{loaded:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_page_from_file_url() {
    let out = build_demo();
    let chromium = Chromium::launch().await;
    let page = out.path().join("search/index.html");
    let tab = chromium.open(&file_url(&page)).await;
    let root = file_url(out.path()) + "/";
    known_answers(&tab, &root).await;
    search_files_loaded(&tab);

    // results open their page from disk
    type_query(&tab, "qingxuxian").await;
    let first = result_links(&tab).await.remove(0);
    assert!(first.ends_with("/qingxuxian/index.html"), "{first}");
    let _: bool = tab
        .eval("(() => { document.querySelector('.search-result-title').click(); return true; })()")
        .await;
    tab.wait_until(
        "location.pathname.endsWith('/qingxuxian/index.html') && document.querySelector('h1')",
        WAIT,
    )
    .await;

    // a deep link works from disk too
    let deep = chromium
        .open(&format!("{}?q={}", file_url(&page), "jdxjt"))
        .await;
    wait_results(&deep, "jdxjt").await;
    let links = result_links(&deep).await;
    assert_eq!(
        relative(&root, &links[0]),
        "changjishi/teams/jindun-xuanjiangtuan/"
    );
    search_files_loaded(&deep);
    chromium.close().await;
}
