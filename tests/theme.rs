//! The default theme's build-time parts: QR codes, posters, charts, the map, the
//! assets pipeline and HTML minification (the browser tests are in browser.rs).

mod support;

use support::TestSite;

/// A center with two located stations, events on two platforms and photos.
fn network(site_yaml: &str) -> TestSite {
    let s = TestSite::new();
    s.write("site.yaml", site_yaml);
    s.page("_index.md", "title: 云州文明实践", "欢迎。");
    s.page(
        "东湖区/_index.md",
        "title: 东湖区新时代文明实践中心\nlevel: center\nlocation: [30.60, 104.00]\nstats:\n  volunteers: 100\ncontact:\n  phone: \"028-1234\"\n  hours: 每日 9:00—18:00",
        "东湖区的中心。",
    );
    s.page(
        "东湖区/草堂路社区/_index.md",
        "title: 草堂路社区新时代文明实践站\nlevel: station\nlocation: [30.66, 104.03]\nstats:\n  volunteers: 25",
        "",
    );
    s.page(
        "东湖区/书香社区/_index.md",
        "title: 书香社区新时代文明实践站\nlevel: station\nlocation: [30.62, 104.08]\nstats:\n  volunteers: 40",
        "",
    );
    s.page(
        "东湖区/projects/邻里节.md",
        "title: 邻里节\nplatform: culture",
        "一年一度。",
    );
    s.page(
        "东湖区/草堂路社区/events/重阳/index.md",
        "title: 重阳敬老\ndate: 2024-10-11\nplatform: culture\nphotos:\n  - {src: a.jpg, alt: 志愿者为老人理发}\n  - {src: b.jpg, alt: 合影}",
        "志愿者为老人服务。",
    );
    s.jpeg("东湖区/草堂路社区/events/重阳/a.jpg", 64, 48);
    s.jpeg("东湖区/草堂路社区/events/重阳/b.jpg", 64, 48);
    s.page(
        "东湖区/events/春耕.md",
        "title: 春耕\ndate: 2024-03-05\nplatform: science",
        "田间课堂。",
    );
    s
}

const ABSOLUTE: &str = "title: 测试站点\nbase_url: https://example.org/\nminify: false\n";

#[test]
fn unit_pages_carry_a_qr_code_of_their_address_and_a_poster() {
    let s = network(ABSOLUTE);
    s.build_ok();
    let unit = s.html("donghuqu/index.html");
    assert_eq!(unit.count("svg.qr"), 1);
    assert_eq!(
        unit.attr("svg.qr", "aria-label"),
        "东湖区新时代文明实践中心网页二维码"
    );
    assert!(unit.links_to("/donghuqu/poster/"));

    let poster = s.html("donghuqu/poster/index.html");
    assert_eq!(poster.text("h1"), "东湖区新时代文明实践中心");
    assert_eq!(poster.count("svg.qr"), 1);
    assert_eq!(poster.attr("meta[name=robots]", "content"), "noindex");
    assert!(
        poster
            .texts(".poster-projects li")
            .iter()
            .any(|p| p.contains("邻里节"))
    );
    assert!(
        poster
            .texts(".poster-figures dd")
            .contains(&"165".to_string()),
        "rolled-up volunteers"
    );
    assert!(
        !s.read("sitemap.xml").contains("/poster/"),
        "posters stay out of the sitemap"
    );

    // a site without an absolute base_url has no address to encode
    let s = network("title: 测试站点\nminify: false\n");
    s.build_ok();
    assert_eq!(s.html("donghuqu/index.html").count("svg.qr"), 0);
}

#[test]
fn charts_are_drawn_with_text_alternatives() {
    let s = network(ABSOLUTE);
    s.build_ok();
    let unit = s.html("donghuqu/index.html");
    let labels = unit.attrs(".chart svg[role=img]", "aria-label");
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("活动月度分布：2024年3月至2024年10月共 2 场")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("各服务平台活动：共 2 场")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("最多的是书香社区（40 人）")),
        "{labels:?}"
    );
    // every number is also in a table
    let rows = unit.texts(".chart-months tbody tr");
    assert_eq!(rows, vec!["2024年3月1", "2024年10月1"]);
    // a station without events or children draws nothing
    assert_eq!(
        s.html("donghuqu/shuxiang-shequ/index.html").count(".chart"),
        0
    );
}

#[test]
fn the_map_places_located_units_and_draws_a_boundary() {
    let s = network(&format!("{ABSOLUTE}map:\n  boundary: boundary.geojson\n"));
    s.write(
        "boundary.geojson",
        r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[103.9,30.5],[104.2,30.5],[104.2,30.8],[103.9,30.5]]]}}"#,
    );
    s.build_ok();
    let map = s.html("map/index.html");
    let figures = map.count("figure.map svg");
    assert_eq!(figures, 2, "the overview and the center's own map");
    for url in [
        "/donghuqu/",
        "/donghuqu/caotanglu-shequ/",
        "/donghuqu/shuxiang-shequ/",
    ] {
        assert!(
            map.attrs("svg a", "href")
                .iter()
                .filter(|h| *h == url)
                .count()
                == 2,
            "{url}"
        );
        assert!(
            map.attrs(".map-list a", "href").contains(&url.to_string()),
            "the list names {url}"
        );
    }
    assert_eq!(map.count("svg path.boundary"), 2);

    let s = network(&format!("{ABSOLUTE}map:\n  boundary: missing.geojson\n"));
    let errors = s.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing.geojson:1:1: error: cannot read the map boundary")),
        "{errors:?}"
    );
}

#[test]
fn assets_are_hashed_prefixed_and_minified() {
    let s = network("title: 测试站点\nbase_url: https://example.org/\nbrowsers: [safari >= 12]\n");
    s.write(
        "themes/mine/styles/extra.css",
        ".x { user-select: none; }\n",
    );
    s.write(
        "themes/mine/scripts/hello.js",
        "// greets\nconsole.log( 'hello' );\n",
    );
    s.write(
        "site.yaml",
        "title: 测试站点\nbase_url: https://example.org/\nbrowsers: [safari >= 12]\ntheme: mine\n",
    );
    s.build_ok();
    let home = s.read("index.html");
    assert!(!home.contains("\n  "), "the HTML is minified");
    let css_url = home
        .split("href=")
        .find_map(|s| {
            s.strip_prefix("/assets/style.")
                .map(|r| r.split(['>', ' ']).next().unwrap().to_string())
        })
        .expect("a stylesheet");
    let css = s.read(&format!("assets/style.{css_url}"));
    assert!(
        css.contains("-webkit-user-select:none"),
        "prefixed for Safari 12"
    );
    assert!(!css.contains("\n\n") && css.len() > 5000);
    // the event page loads the lightbox, deferred, under a hashed name
    let event = s.read("donghuqu/caotanglu-shequ/events/chongyang/index.html");
    let page = scraper::Html::parse_document(&event);
    let script = page
        .select(&scraper::Selector::parse("script[src]").unwrap())
        .next()
        .unwrap_or_else(|| panic!("a script in {event}"));
    let js = script.attr("src").unwrap();
    assert!(
        js.starts_with("/assets/lightbox.") && js.ends_with(".js"),
        "{js}"
    );
    assert!(script.attr("defer").is_some());
    let files: Vec<String> = std::fs::read_dir(s.output().join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let hello = files
        .iter()
        .find(|f| f.starts_with("hello."))
        .expect("the theme's own script");
    assert!(
        !s.read(&format!("assets/{hello}")).contains("greets"),
        "scripts are minified"
    );
}

#[test]
fn unminified_builds_keep_the_markup_readable() {
    let s = network(ABSOLUTE);
    s.build_ok();
    assert!(s.read("index.html").contains("\n"));
    let css = std::fs::read_dir(s.output().join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "css"))
        .unwrap();
    assert!(std::fs::read_to_string(css).unwrap().contains("\n"));
}

#[test]
fn browser_targets_are_checked() {
    let s = network("title: 测试站点\nbrowsers: [wechat >= 8, navigator 4]\n");
    let errors = s.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("site.yaml:2:1: error: `browsers`:")),
        "{errors:?}"
    );
}

#[test]
fn pages_have_landmarks_one_h1_and_a_skip_link() {
    let s = network(ABSOLUTE);
    s.build_ok();
    for page in [
        "index.html",
        "donghuqu/index.html",
        "units/index.html",
        "map/index.html",
        "donghuqu/poster/index.html",
        "events/index.html",
        "platforms/culture/index.html",
    ] {
        let p = s.html(page);
        assert_eq!(p.count("h1"), 1, "{page}");
        assert_eq!(p.count("main#main"), 1, "{page}");
        assert_eq!(p.count("header.site-header"), 1, "{page}");
        assert_eq!(
            p.count("footer"),
            p.count("footer.site-footer") + p.count(".poster-foot"),
            "{page}"
        );
        assert_eq!(p.attr("a.skip-link", "href"), "#main", "{page}");
        assert!(p.count("nav[aria-label]") >= 1, "{page}");
        for img in p.attrs("img", "width") {
            assert!(!img.is_empty(), "{page}: an image without width");
        }
    }
    // the units tree is indented by depth
    let units = s.html("units/index.html");
    assert_eq!(units.count(".unit-tree tr.d0"), 1);
    assert_eq!(units.count(".unit-tree tr.d1"), 2);
}
