//! The cloud exhibition hall: `include:` queries, the walk-through across
//! zones, exhibit pages (images, video), QR codes, the printable boards, and
//! `--relative-urls` output whose every link resolves to a file.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use support::{Page, TestSite};

/// Two centers, an institute and a station, with projects, a team and events
/// on several platforms and tags; a hall of six zones.
fn hall_site() -> TestSite {
    let s = TestSite::new();
    s.page("_index.md", "title: 云州", "");
    s.page(
        "东湖区/_index.md",
        "title: 东湖区新时代文明实践中心\nlevel: center",
        "",
    );
    s.page(
        "东湖区/长安街道/_index.md",
        "title: 长安街道新时代文明实践所\nlevel: institute",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/_index.md",
        "title: 草堂路社区新时代文明实践站\nlevel: station",
        "",
    );
    s.page(
        "西山县/_index.md",
        "title: 西山县新时代文明实践中心\nlevel: center",
        "",
    );
    s.page(
        "东湖区/projects/法律服务.md",
        "title: 法律服务进万家\nplatform: education\ntags: [精品]\nweight: 1",
        "",
    );
    s.page(
        "东湖区/长安街道/projects/读书会.md",
        "title: 长安读书会\nplatform: culture\ntags: [精品]\nweight: 2",
        "",
    );
    s.page(
        "西山县/projects/健身.md",
        "title: 全民健身站\nplatform: fitness\ntags: [精品]",
        "",
    );
    s.page(
        "西山县/projects/剧团.md",
        "title: 乡村剧团\nplatform: culture",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/teams/宣讲团.md",
        "title: 老辈子宣讲团\nkind: lecture\nplatform: theory\ntags: [精品]",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/events/纳凉.md",
        "title: 夏夜纳凉晚会\ndate: 2024-06-01\nplatform: culture",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/events/灯谜.md",
        "title: 元宵灯谜会\ndate: 2024-02-24\nplatform: culture",
        "",
    );
    s.page(
        "西山县/events/社火.md",
        "title: 西山社火\ndate: 2024-07-01\nplatform: culture",
        "",
    );

    s.page(
        "云展馆/_index.md",
        "title: 云州云展馆\ntype: hall\nopens: 2024-01-01\ncloses: 2024-12-31",
        "",
    );
    // zone 1: own exhibits by weight, then undated by title
    s.page(
        "云展馆/成果/_index.md",
        "title: 工作成果展区\nweight: 1",
        "",
    );
    s.page(
        "云展馆/成果/乙.md",
        "title: 乙\nweight: 1\nmedium: 书法\nauthor: 张三\nyear: 2023",
        "",
    );
    s.page(
        "云展馆/成果/甲.md",
        "title: 甲\nweight: 2\nmedium: 剪纸",
        "",
    );
    s.page("云展馆/成果/丁.md", "title: 丁", "");
    s.page("云展馆/成果/丙.md", "title: 丙", "");
    // zone 2: tagged projects: by weight, then the unweighted
    s.page(
        "云展馆/项目/_index.md",
        "title: 精品项目展区\nweight: 2\ninclude:\n  kinds: [project]\n  tags: [精品]",
        "",
    );
    // zone 3: culture events under one center, newest first
    s.page(
        "云展馆/活动/_index.md",
        "title: 文化活动展区\nweight: 3\ninclude:\n  kinds: [event]\n  platforms: [culture]\n  under: 东湖区新时代文明实践中心",
        "",
    );
    // zone 4: the newest event anywhere
    s.page(
        "云展馆/最新/_index.md",
        "title: 最新活动展区\nweight: 4\ninclude:\n  kinds: [event]\n  limit: 1",
        "",
    );
    // zone 5: own exhibit with a weight before what a station includes
    s.page(
        "云展馆/阵地/_index.md",
        "title: 阵地展区\nweight: 5\ninclude:\n  kinds: [team, project]\n  under: 草堂路社区新时代文明实践站",
        "",
    );
    s.page("云展馆/阵地/戊.md", "title: 戊\nweight: 1", "");
    // zone 6: matches nothing: no exhibits, skipped by the walk
    s.page(
        "云展馆/空/_index.md",
        "title: 空展区\nweight: 6\ninclude:\n  tags: [没有这个标签]",
        "",
    );
    s
}

fn exhibit_titles(page: &Page) -> Vec<String> {
    page.texts(".exhibit-grid .tile-title")
}

/// Follows `rel=next` from `start` (a site URL) and returns every page's title.
fn walk_forward(s: &TestSite, start: &str) -> Vec<(String, String)> {
    let mut url = start.to_string();
    let mut seen = Vec::new();
    loop {
        let page = s.html(&format!("{}index.html", url.trim_start_matches('/')));
        seen.push((url.clone(), page.text("h1")));
        let next = page.attrs("a[rel=next]", "href");
        assert!(next.len() <= 1);
        assert_eq!(
            next,
            page.attrs("link[rel=next]", "href"),
            "{url}: <link> and <a> agree"
        );
        match next.first() {
            Some(n) => url = n.clone(),
            None => break,
        }
        assert!(seen.len() < 50, "the walk loops");
    }
    seen
}

#[test]
fn include_queries_match_kinds_platforms_tags_units_and_limits() {
    let s = hall_site();
    let outcome = s.build_ok();
    let zone = |slug: &str| exhibit_titles(&s.html(&format!("yunzhanguan/{slug}/index.html")));
    assert_eq!(
        zone("chengguo"),
        ["乙", "甲", "丁", "丙"],
        "weight, then title (丁 U+4E01 before 丙 U+4E19)"
    );
    assert_eq!(
        zone("xiangmu"),
        ["法律服务进万家", "长安读书会", "全民健身站"],
        "tagged projects by weight"
    );
    assert_eq!(
        zone("huodong"),
        ["夏夜纳凉晚会", "元宵灯谜会"],
        "culture events under 东湖区, newest first"
    );
    assert_eq!(zone("zuixin"), ["西山社火"], "limit 1 keeps the newest");
    assert_eq!(
        zone("zhendi"),
        ["戊", "老辈子宣讲团"],
        "own weighted exhibit first, then the station's team"
    );
    assert!(zone("kong").is_empty());
    assert!(
        s.html("yunzhanguan/kong/index.html")
            .text(".empty")
            .contains("暂无展品")
    );
    // a query that matches nothing is worth a warning at its line
    let warnings: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("content/云展馆/空/_index.md:4:") && w.contains("matches nothing")),
        "{warnings:?}"
    );
    // counts on the entrance
    let hall = s.html("yunzhanguan/index.html");
    assert_eq!(
        hall.texts(".zone-count"),
        [
            "4 件展品",
            "3 件展品",
            "2 件展品",
            "1 件展品",
            "2 件展品",
            "0 件展品"
        ]
    );
    assert_eq!(hall.texts(".zone-number")[1], "第 2 展区");
    // an included exhibit shows its item and links its own page
    let included = s.html("yunzhanguan/zhendi/xuanjiangtuan/index.html");
    assert!(included.links_to("/donghuqu/changanjiedao/caotanglu-shequ/teams/xuanjiangtuan/"));
}

#[test]
fn tags_match_by_slug_and_bad_units_are_errors() {
    let s = hall_site();
    s.page(
        "云展馆/项目/_index.md",
        "title: 精品项目展区\nweight: 2\ninclude:\n  kinds: [project]\n  tags: [\"精品 \"]\n  limit: 2",
        "",
    );
    s.build_ok();
    assert_eq!(
        exhibit_titles(&s.html("yunzhanguan/xiangmu/index.html")),
        ["法律服务进万家", "长安读书会"]
    );
    s.page(
        "云展馆/活动/_index.md",
        "title: 活动\ninclude:\n  under: 不存在的实践站",
        "",
    );
    s.page(
        "云展馆/最新/_index.md",
        "title: 最新\ninclude:\n  kinds: [exhibition]",
        "",
    );
    let errors = s.errors();
    assert!(errors.iter().any(|e| e.contains("content/云展馆/活动/_index.md:4:") && e.contains("不存在的实践站")), "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("content/云展馆/最新/_index.md:") && e.contains("exhibition")),
        "{errors:?}"
    );
}

#[test]
fn the_walk_goes_through_every_zone_in_order_and_shows_the_position() {
    let s = hall_site();
    s.build_ok();
    let hall = s.html("yunzhanguan/index.html");
    let first = hall.attr("a.button", "href");
    assert_eq!(hall.text("a.button"), "开始参观");
    let walk = walk_forward(&s, &first);
    let titles: Vec<&str> = walk.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "乙",
            "甲",
            "丁",
            "丙",
            "法律服务进万家",
            "长安读书会",
            "全民健身站",
            "夏夜纳凉晚会",
            "元宵灯谜会",
            "西山社火",
            "戊",
            "老辈子宣讲团"
        ]
    );
    // each exhibit is reached once
    let urls: BTreeSet<&str> = walk.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(urls.len(), walk.len());
    // and back: rel=prev retraces the same path
    for pair in walk.windows(2) {
        let page = s.html(&format!("{}index.html", pair[1].0.trim_start_matches('/')));
        assert_eq!(page.attrs("a[rel=prev]", "href"), [pair[0].0.clone()]);
        assert_eq!(page.attrs("link[rel=prev]", "href"), [pair[0].0.clone()]);
    }
    let first_page = s.html(&format!("{}index.html", walk[0].0.trim_start_matches('/')));
    assert!(first_page.attrs("a[rel=prev]", "href").is_empty());
    assert_eq!(
        first_page.text(".walk-position"),
        "第 1 展区 · 1 / 4（全馆第 1 / 12 件）"
    );
    let seventh = s.html(&format!("{}index.html", walk[6].0.trim_start_matches('/')));
    assert_eq!(
        seventh.text(".walk-position"),
        "第 2 展区 · 3 / 3（全馆第 7 / 12 件）"
    );
    assert_eq!(seventh.attr("a.walk-zone", "href"), "/yunzhanguan/xiangmu/");
    // medium, author, year
    assert_eq!(
        first_page.texts(".exhibit-info dd"),
        ["书法", "张三", "2023"]
    );
}

#[test]
fn exhibits_show_images_with_captions_and_videos() {
    let s = hall_site();
    s.jpeg("云展馆/成果/乙/a.jpg", 640, 480);
    s.jpeg("云展馆/成果/乙/b.jpg", 480, 640);
    std::fs::remove_file(s.root().join("content/云展馆/成果/乙.md")).unwrap();
    s.page(
        "云展馆/成果/乙/index.md",
        "title: 乙\nweight: 1\nmedium: 书法\nimages:\n  - src: a.jpg\n    alt: 一幅书法\n    caption: 局部\n  - src: b.jpg\n    alt: 另一幅",
        "",
    );
    s.jpeg("云展馆/成果/甲/cover.jpg", 640, 360);
    s.write_bytes("content/云展馆/成果/甲/clip.mp4", b"\0\0\0\x18ftypmp42");
    std::fs::remove_file(s.root().join("content/云展馆/成果/甲.md")).unwrap();
    s.page(
        "云展馆/成果/甲/index.md",
        "title: 甲\nweight: 2\nmedium: 视频\nvideo: clip.mp4\nposter: cover.jpg",
        "",
    );
    s.page(
        "云展馆/成果/丙.md",
        "title: 丙\nmedium: 视频\nvideo: https://video.example.org/v/1",
        "",
    );
    s.build_ok();
    let yi = s.html("yunzhanguan/chengguo/yi/index.html");
    assert_eq!(yi.count("figure.artwork a.zoom-link img"), 2);
    assert!(yi.text("figure.artwork figcaption").contains("局部"));
    let zoom = yi.attrs("a.zoom-link", "href");
    assert!(zoom.iter().all(|h| h.ends_with(".jpg")), "{zoom:?}");
    assert!(yi.attr("a.zoom-link", "aria-label").contains("一幅书法"));
    let jia = s.html("yunzhanguan/chengguo/jia/index.html");
    assert!(jia.attr("video", "poster").ends_with(".jpg"));
    assert_eq!(jia.attr("video source", "type"), "video/mp4");
    assert!(s.exists(jia.attr("video source", "src").trim_start_matches('/')));
    let bing = s.html("yunzhanguan/chengguo/bing/index.html");
    assert_eq!(
        bing.attr("a.video-card", "href"),
        "https://video.example.org/v/1"
    );
    // the zone grid marks videos
    assert_eq!(
        s.html("yunzhanguan/chengguo/index.html")
            .count(".tile-video"),
        2
    );
}

#[test]
fn zones_and_exhibits_carry_a_qr_code_of_their_absolute_url_and_zones_a_board() {
    let s = hall_site();
    s.build_ok();
    let qr_path = |url: &str| {
        let svg = yunzhan::render::qr::svg(&yunzhan::render::percent_encode(url), "x").unwrap();
        svg.split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let zone = s.read("yunzhanguan/xiangmu/index.html");
    assert!(
        zone.contains(&qr_path("https://example.org/yunzhanguan/xiangmu/")),
        "the zone's QR code encodes its URL"
    );
    let exhibit = s.read("yunzhanguan/chengguo/jia/index.html");
    assert!(exhibit.contains(&qr_path("https://example.org/yunzhanguan/chengguo/jia/")));
    // the board: printable, not indexed, every exhibit and the QR code
    let board = s.html("yunzhanguan/xiangmu/board/index.html");
    assert_eq!(board.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(board.text("h1"), "精品项目展区");
    assert_eq!(board.count(".board-exhibits li"), 3);
    assert!(
        s.read("yunzhanguan/xiangmu/board/index.html")
            .contains(&qr_path("https://example.org/yunzhanguan/xiangmu/"))
    );
    assert!(
        s.html("yunzhanguan/xiangmu/index.html")
            .links_to("/yunzhanguan/xiangmu/board/")
    );
    assert!(!s.read("sitemap.xml").contains("/board/"));
    // without an absolute base_url there is nothing to encode
    s.write("site.yaml", "title: t\nminify: false\n");
    s.build_ok();
    assert_eq!(
        s.html("yunzhanguan/xiangmu/index.html")
            .count(".qr-box svg"),
        0
    );
}

#[test]
fn the_entrance_status_is_left_to_the_browser() {
    let s = hall_site();
    s.build_ok();
    let hall = s.html("yunzhanguan/index.html");
    assert_eq!(hall.attr("[data-opens]", "data-opens"), "2024-01-01");
    assert_eq!(hall.attr("[data-closes]", "data-closes"), "2024-12-31");
    // empty and hidden until the script fills it: nothing false without script
    assert_eq!(hall.text("[data-hall-status]"), "");
    assert_eq!(
        hall.attrs("[data-hall-status][hidden]", "data-hall-status")
            .len(),
        1
    );
    assert_eq!(
        hall.attrs("[data-tour-link][hidden]", "href"),
        ["/yunzhanguan/chengguo/yi/?tour=1"]
    );
}

/// Every file a page of `out` links or embeds, resolved as a browser would
/// from `file://`; returns the links that lead nowhere.
fn broken_links(out: &Path) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = Page(scraper::Html::parse_document(
            &std::fs::read_to_string(path).unwrap(),
        ));
        let mut urls = Vec::new();
        for (css, attr) in [
            ("[href]", "href"),
            ("[src]", "src"),
            ("[poster]", "poster"),
            ("form[action]", "action"),
        ] {
            urls.extend(page.attrs(css, attr));
        }
        for srcset in page
            .attrs("[srcset]", "srcset")
            .into_iter()
            .chain(page.attrs("[data-srcset]", "data-srcset"))
        {
            urls.extend(
                srcset
                    .split(',')
                    .map(|c| c.split_whitespace().next().unwrap_or("").to_string()),
            );
        }
        let rel = path.strip_prefix(out).unwrap().display().to_string();
        for url in urls {
            if url.is_empty() || url.starts_with('#') || url.contains(':') {
                continue; // same page, or external (https:, mailto:, data:)
            }
            checked += 1;
            if url.starts_with('/') {
                broken.push(format!("{rel}: {url} is absolute"));
                continue;
            }
            let file = url.split(['?', '#']).next().unwrap();
            let target = path.parent().unwrap().join(percent_decode(file));
            if file.ends_with('/') || !target.is_file() {
                broken.push(format!("{rel}: {url}"));
            }
        }
    }
    (checked, broken)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn relative_urls_make_every_link_a_file_that_exists() {
    let s = hall_site();
    s.jpeg("云展馆/成果/甲/work.jpg", 800, 600);
    std::fs::remove_file(s.root().join("content/云展馆/成果/甲.md")).unwrap();
    s.page(
        "云展馆/成果/甲/index.md",
        "title: 甲\nweight: 2\nimages:\n  - src: work.jpg\n    alt: 作品",
        "",
    );
    s.build_ok();
    let absolute = s.read("yunzhanguan/chengguo/jia/index.html");
    assert!(
        absolute.contains("href=\"/yunzhanguan/chengguo/\""),
        "normal builds keep site URLs"
    );

    let outcome = yunzhan::build(&yunzhan::BuildOptions {
        root: s.root().to_path_buf(),
        write: true,
        relative_urls: true,
        ..Default::default()
    });
    assert!(!outcome.has_errors());
    let (checked, broken) = broken_links(&s.output());
    assert!(checked > 500, "only {checked} links");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    let jia = s.html("yunzhanguan/chengguo/jia/index.html");
    assert_eq!(jia.attr("a.walk-zone", "href"), "../index.html");
    assert_eq!(jia.attr("link[rel=next]", "href"), "../ding/index.html");
    assert!(
        !jia.attr("a.zoom-link", "href").starts_with('/'),
        "pictures are relative too"
    );
    assert_eq!(
        jia.attr("link[rel=canonical]", "href"),
        "https://example.org/yunzhanguan/chengguo/jia/",
        "the canonical URL stays absolute"
    );
    // the same through site.yaml
    s.write(
        "site.yaml",
        "title: 测试站点\nbase_url: https://example.org/\nminify: true\nrelative_urls: true\n",
    );
    s.build_ok();
    let (_, broken) = broken_links(&s.output());
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
