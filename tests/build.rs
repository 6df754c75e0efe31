//! Building whole sites: the content model, every page kind, feeds, data files,
//! determinism and the all-or-nothing output.

mod support;

use support::{TestSite, files_under};

/// Two centers, an institute, stations, a point under an institute (a skipped level),
/// projects, teams, events with photos, a news section and a hall.
fn network() -> TestSite {
    let s = TestSite::new();
    s.page("_index.md", "title: 云州文明实践", "欢迎来到云州。");
    s.page(
        "东湖区/_index.md",
        "title: 东湖区新时代文明实践中心\nlevel: center\nstats:\n  volunteers: 100\n  teams: 3",
        "东湖区的中心。",
    );
    s.page(
        "东湖区/长安街道/_index.md",
        "title: 长安街道新时代文明实践所\nlevel: institute\nplatforms: [theory, culture]\nstats:\n  volunteers: 40",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/_index.md",
        "title: 草堂路社区新时代文明实践站\nlevel: station\nlocation: [30.66, 104.03]\nstats:\n  volunteers: 25\n  served: 1200",
        "草堂路社区位于东湖区。",
    );
    s.page(
        "东湖区/长安街道/书香小院/_index.md",
        "title: 书香小院实践点\nlevel: point\nstats:\n  volunteers: 5",
        "",
    );
    s.page(
        "西山县/_index.md",
        "title: 西山县新时代文明实践中心\nlevel: center\nstats:\n  volunteers: 60",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/teams/老辈子宣讲团.md",
        "title: 老辈子宣讲团\nkind: lecture\nmembers: 12\nplatform: theory",
        "老党员讲身边事。",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/projects/邻里节.md",
        "title: 邻里节\nplatform: culture\nsince: 2019\nteams: [老辈子宣讲团]\npartners: [西山县新时代文明实践中心]\ntags: [邻里互助]",
        "一年一度的邻里节。",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/events/重阳敬老/index.md",
        "title: 重阳敬老活动\ndate: 2024-10-11\nplatform: culture\nparticipants: 80\nteams: [老辈子宣讲团]\nprojects: [邻里节]\ntags: [关爱老人]\nphotos:\n  - {src: a.jpg, alt: 志愿者为老人理发, caption: 理发}",
        "志愿者为老人服务。",
    );
    s.jpeg("东湖区/长安街道/草堂路社区/events/重阳敬老/a.jpg", 64, 48);
    s.page(
        "西山县/events/春耕.md",
        "title: 春耕志愿服务\ndate: 2024-03-05\nplatform: science",
        "田间课堂。",
    );
    s.page(
        "西山县/events/夏夜.md",
        "title: 夏夜纳凉晚会\ndate: 2023-07-20\nplatform: culture",
        "晚会。",
    );
    s.page("新闻/_index.md", "title: 新闻", "");
    s.page(
        "新闻/通知.md",
        "title: 关于开展志愿服务月的通知\ndate: 2024-09-01",
        "请见 [邻里节](@/东湖区/长安街道/草堂路社区/projects/邻里节.md)。",
    );
    s
}

/// A one-off build of a site whose Markdown is more than it holds keeps no
/// body's HTML through the render stage: each page makes it again from its
/// file, with the links resolved in the resolve stage, and a file whose body
/// changed in between is an error, not a stale page.
#[test]
fn bodies_are_made_again_from_their_files() {
    use yunzhan::model::ItemRef;
    let s = network();
    let site = support::resolve_within(s.root(), 20);
    let find = |title: &str| {
        site.items()
            .find(|&i| site.meta(i).title == title)
            .unwrap_or_else(|| panic!("no item {title}"))
    };
    let notice = find("关于开展志愿服务月的通知");
    let project = find("邻里节");
    assert!(site.meta(notice).body.html.is_empty());
    assert!(site.meta(notice).body.later.is_some());
    assert_eq!(
        site.body_html(notice),
        format!(
            "<p>请见 <a href=\"{}\">邻里节</a>。</p>\n",
            site.meta(project).url
        )
    );
    let spring = find("春耕志愿服务");
    assert!(matches!(spring, ItemRef::Event(_)));
    assert_eq!(site.body_html(spring), "<p>田间课堂。</p>\n");
    assert!(site.late_problems.lock().unwrap().is_empty());

    s.page(
        "西山县/events/春耕.md",
        "title: 春耕志愿服务\ndate: 2024-03-05\nplatform: science",
        "改过的正文。",
    );
    assert_eq!(site.body_html(spring), "");
    std::fs::remove_file(s.root().join("content/新闻/通知.md")).unwrap();
    assert_eq!(site.body_html(notice), "");
    let late = site.late_problems.lock().unwrap();
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(
        late[0]
            .message
            .contains("changed while the site was being built")
    );
    assert!(late[1].message.contains("cannot read the file again"));
    assert!(
        late[1]
            .file
            .as_ref()
            .unwrap()
            .ends_with("content/新闻/通知.md")
    );
}

/// A site whose Markdown fits the budget is rendered once, in the resolve
/// stage: its pages take the HTML as kept, and the sources let go of their
/// bodies once rendered, so a file changed afterwards changes nothing.
#[test]
fn a_small_site_renders_its_bodies_once() {
    let s = network();
    let held = support::resolve(s.root());
    let lean = support::resolve_within(s.root(), 0);
    assert!(
        held.sources
            .iter()
            .all(|s| s.body_dropped && s.body().is_empty())
    );
    let mut bodies = 0;
    for item in held.items().filter(|&i| held.source(i).is_some()) {
        let meta = held.meta(item);
        assert!(meta.body.later.is_none(), "{}", meta.title);
        let twin = lean
            .items()
            .find(|&i| lean.meta(i).url == meta.url)
            .expect("the same items");
        assert_eq!(held.body_html(item), lean.body_html(twin), "{}", meta.title);
        bodies += usize::from(!meta.body.html.is_empty());
    }
    assert!(bodies >= 3, "{bodies}");
    let notice = held
        .items()
        .find(|&i| held.meta(i).title == "关于开展志愿服务月的通知")
        .unwrap();
    let html = held.body_html(notice).into_owned();
    std::fs::remove_file(s.root().join("content/新闻/通知.md")).unwrap();
    assert_eq!(held.body_html(notice), html);
    assert!(held.late_problems.lock().unwrap().is_empty());
}

#[test]
fn units_roll_up_their_figures() {
    let s = network();
    s.build_ok();
    let units: serde_json::Value = serde_json::from_str(&s.read("data/units.json")).unwrap();
    let units = units.as_array().unwrap();
    let find = |path: &str| {
        units
            .iter()
            .find(|u| u["path"] == path)
            .unwrap_or_else(|| panic!("{path}"))
            .clone()
    };
    let center = find("东湖区");
    assert_eq!(center["level"], "center");
    assert_eq!(center["parent"], serde_json::Value::Null);
    assert_eq!(center["stats"]["volunteers"], 100);
    assert_eq!(center["totals"]["volunteers"], 100 + 40 + 25 + 5);
    assert_eq!(center["totals"]["served"], 1200);
    assert_eq!(
        center["counts"],
        serde_json::json!({"center": 1, "institute": 1, "station": 1, "point": 1})
    );
    assert_eq!(center["events_count"], 1);
    let point = find("东湖区/长安街道/书香小院");
    assert_eq!(point["parent"], "东湖区/长安街道");
    assert_eq!(point["level"], "point");
    let west = find("西山县");
    assert_eq!(west["events_count"], 2);
    assert_eq!(west["url"], "/xishanxian/");
    let csv = s.read("data/stats.csv");
    assert!(csv.starts_with("path,url,level,title,parent,events_count,count_center,count_institute,count_station,count_point"));
    assert_eq!(csv.lines().count(), 1 + 5);
}

#[test]
fn unit_pages_show_breadcrumb_children_and_figures() {
    let s = network();
    s.build_ok();
    let page = s.html("donghuqu/changanjiedao/index.html");
    assert_eq!(page.count("h1"), 1);
    assert_eq!(page.text("h1"), "长安街道新时代文明实践所");
    assert_eq!(page.attr("html", "lang"), "zh-CN");
    let crumbs = page.texts(".breadcrumb li");
    assert_eq!(
        crumbs,
        vec![
            "首页",
            "东湖区新时代文明实践中心",
            "长安街道新时代文明实践所"
        ]
    );
    assert!(page.links_to("/donghuqu/changanjiedao/caotanglu-shequ/"));
    assert!(page.links_to("/donghuqu/changanjiedao/shuxiang-xiaoyuan/"));
    // children are grouped under a heading per level
    let headings = page.texts("h2, h3");
    assert!(
        headings.iter().any(|h| h.contains("新时代文明实践站")),
        "{headings:?}"
    );
    assert!(
        headings.iter().any(|h| h.contains("新时代文明实践点")),
        "{headings:?}"
    );
}

#[test]
fn refs_link_items_both_ways() {
    let s = network();
    s.build_ok();
    let event =
        s.html("donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/index.html");
    assert!(
        event.links_to("/donghuqu/changanjiedao/caotanglu-shequ/teams/laobeizi-xuanjiangtuan/")
    );
    assert!(event.links_to("/donghuqu/changanjiedao/caotanglu-shequ/projects/linlijie/"));
    assert!(event.links_to("/donghuqu/changanjiedao/caotanglu-shequ/"));
    let team =
        s.html("donghuqu/changanjiedao/caotanglu-shequ/teams/laobeizi-xuanjiangtuan/index.html");
    assert!(
        team.links_to("/donghuqu/changanjiedao/caotanglu-shequ/projects/linlijie/"),
        "a team lists the projects that name it"
    );
    assert!(team.links_to("/donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/"));
    let project = s.html("donghuqu/changanjiedao/caotanglu-shequ/projects/linlijie/index.html");
    assert!(project.links_to("/xishanxian/"), "partners are linked");
    let news = s.html("xinwen/tongzhi/index.html");
    assert!(
        news.links_to("/donghuqu/changanjiedao/caotanglu-shequ/projects/linlijie/"),
        "@/ links resolve"
    );
}

#[test]
fn refs_by_path_and_local_names_win() {
    let s = TestSite::new();
    s.page("a/_index.md", "title: 甲中心\nlevel: center", "");
    s.page("b/_index.md", "title: 乙中心\nlevel: center", "");
    s.page("a/teams/t.md", "title: 宣讲团", "");
    s.page("b/teams/t.md", "title: 宣讲团", "");
    s.page(
        "a/events/e.md",
        "title: 活动一\ndate: 2024-01-01\nteams: [宣讲团]",
        "",
    );
    s.page(
        "b/events/e.md",
        "title: 活动二\ndate: 2024-01-01\nteams: [a/teams/t.md]",
        "",
    );
    s.build_ok();
    assert!(
        s.html("a/events/e/index.html").links_to("/a/teams/t/"),
        "the current unit's team is preferred"
    );
    assert!(
        s.html("b/events/e/index.html").links_to("/a/teams/t/"),
        "a path names exactly one file"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let s = network();
    s.page(
        "东湖区/草稿站/_index.md",
        "title: 草稿站\nlevel: station\ndraft: true",
        "",
    );
    s.page(
        "东湖区/草稿站/events/e.md",
        "title: 草稿活动\ndate: 2024-05-01",
        "",
    );
    s.page(
        "新闻/草稿.md",
        "title: 未发布新闻\ndate: 2024-05-01\ndraft: true",
        "",
    );
    s.build_ok();
    assert!(!s.exists("donghuqu/caogaozhan/index.html"));
    assert!(
        !s.exists("donghuqu/caogaozhan/events/e/index.html"),
        "a draft unit hides what is under it"
    );
    assert!(!s.exists("xinwen/caogao/index.html"));
    assert!(!s.read("sitemap.xml").contains("caogao"));
    let with = yunzhan::build(&yunzhan::BuildOptions {
        root: s.root().into(),
        write: true,
        drafts: true,
        ..Default::default()
    });
    assert!(!with.has_errors());
    assert!(s.exists("donghuqu/caogaozhan/index.html"));
    assert!(s.exists("xinwen/caogao/index.html"));
}

#[test]
fn raw_html_is_sanitized_unless_allowed() {
    let s = TestSite::new();
    s.page(
        "a.md",
        "title: 页面",
        "<script>alert(1)</script>\n\n<p onclick=\"steal()\">点我</p>\n\n<img src=x onerror=\"steal()\">\n\n[坏链接](javascript:alert(1))\n\n<b>粗体</b>\n",
    );
    s.build_ok();
    let html = s.read("a/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        !html.contains("onclick") && !html.contains("onerror"),
        "{html}"
    );
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains("<b>粗体</b>"));
    s.write("site.yaml", "title: t\nunsafe_html: true\n");
    s.build_ok();
    assert!(s.read("a/index.html").contains("<script>alert(1)</script>"));
}

#[test]
fn markdown_extensions_and_chinese_heading_ids() {
    let s = TestSite::new();
    s.page("a.md", "title: 页面", "## 活动介绍\n\n|甲|乙|\n|-|-|\n|1|2|\n\n~~删除~~ 和脚注[^1]\n\n- [x] 已完成\n\n[^1]: 注释。\n");
    s.build_ok();
    let page = s.html("a/index.html");
    assert_eq!(page.attr("h2[id]", "id"), "活动介绍");
    assert_eq!(page.count("table"), 1);
    assert_eq!(page.count("del"), 1);
    assert_eq!(page.count("input[type=checkbox]"), 1);
    assert!(
        page.count(".footnote-definition, section.footnotes, [id^=fn], div.footnote-definition")
            >= 1
    );
}

#[test]
fn the_hall_walks_through_every_exhibit_in_order() {
    let s = network();
    s.page(
        "云展馆/_index.md",
        "title: 云展馆\ntype: hall\nopens: 2024-01-01\ncloses: 2024-12-31",
        "",
    );
    s.page(
        "云展馆/成果/_index.md",
        "title: 工作成果展区\nweight: 1",
        "",
    );
    s.page(
        "云展馆/成果/乙.md",
        "title: 乙\nweight: 2\nmedium: 书法",
        "",
    );
    s.page(
        "云展馆/成果/甲.md",
        "title: 甲\nweight: 1\nmedium: 剪纸\nunit: 草堂路社区新时代文明实践站",
        "",
    );
    s.page("云展馆/项目/_index.md", "title: 志愿服务项目展区\nweight: 2\ninclude:\n  kinds: [project, event]\n  platforms: [culture]\n  limit: 2", "");
    s.page(
        "云展馆/文创/_index.md",
        "title: 文创作品展区\nweight: 3",
        "",
    );
    s.page("云展馆/文创/丙.md", "title: 丙", "");
    s.build_ok();
    // walk forward from the hall's first exhibit
    let hall = s.html("yunzhanguan/index.html");
    let mut url = hall.attr("a.button", "href");
    let mut seen = Vec::new();
    loop {
        let page = s.html(&format!("{}index.html", url.trim_start_matches('/')));
        seen.push(page.text("h1"));
        let next = page.attrs("a[rel=next]", "href");
        match next.first() {
            Some(n) => url = n.clone(),
            None => break,
        }
        assert!(seen.len() < 20, "the walk loops");
    }
    // own exhibits by weight; the include zone: culture projects and events, newest first (undated last), at most 2
    assert_eq!(seen, vec!["甲", "乙", "重阳敬老活动", "夏夜纳凉晚会", "丙"]);
    let included = s.html("yunzhanguan/xiangmu/chongyang-jinglao/index.html");
    assert!(
        included.links_to("/donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/"),
        "an included exhibit links its own page"
    );
    let first = s.html("yunzhanguan/chengguo/jia/index.html");
    assert!(first.attrs("a[rel=prev]", "href").is_empty());
    assert!(first.links_to("/donghuqu/changanjiedao/caotanglu-shequ/"));
}

#[test]
fn listings_taxonomies_and_pagination() {
    let s = network();
    s.write("site.yaml", "title: t\nper_page: 2\n");
    s.build_ok();
    let events = s.html("events/index.html");
    assert_eq!(
        events.texts(".card-title"),
        vec!["重阳敬老活动", "春耕志愿服务"]
    );
    assert!(events.links_to("/events/page/2/"));
    assert_eq!(
        s.html("events/page/2/index.html").texts(".card-title"),
        vec!["夏夜纳凉晚会"]
    );
    assert_eq!(
        s.html("events/2024/index.html").texts(".card-title"),
        vec!["重阳敬老活动", "春耕志愿服务"]
    );
    assert!(s.exists("events/2023/index.html"));
    assert!(
        s.exists("projects/index.html")
            && s.exists("teams/index.html")
            && s.exists("units/index.html")
    );
    let culture = s.html("platforms/culture/index.html");
    assert!(
        culture
            .texts(".card-title")
            .contains(&"长安街道新时代文明实践所".to_string())
    );
    assert!(s.exists("platforms/index.html"));
    assert!(s.html("tags/index.html").links_to("/tags/guanai-laoren/"));
    assert_eq!(
        s.html("tags/guanai-laoren/index.html").texts(".card-title"),
        vec!["重阳敬老活动"]
    );
    assert!(s.exists("map/index.html") && s.exists("search/index.html") && s.exists("404.html"));
}

#[test]
fn tags_group_by_slug_with_their_items_newest_first() {
    let s = TestSite::new();
    s.page("_index.md", "title: 云州", "");
    s.page("站/_index.md", "title: 一号站\nlevel: station", "");
    for (file, title, date, tags) in [
        (
            "a.md",
            "春节慰问",
            "2024-02-01",
            "[关爱老人, Reading, 关爱老人]",
        ),
        ("b.md", "重阳敬老", "2024-10-11", "[关爱 老人]"),
        ("c.md", "读书会", "2023-05-04", "[reading]"),
        ("d.md", "同日活动", "2024-10-11", "[关爱老人]"),
    ] {
        s.page(
            &format!("站/events/{file}"),
            &format!("title: {title}\ndate: {date}\ntags: {tags}"),
            "",
        );
    }
    s.build_ok();
    // two spellings with one slug make one tag
    assert_eq!(
        s.html("tags/guanai-laoren/index.html").texts(".card-title"),
        vec!["同日活动", "重阳敬老", "春节慰问"],
        "newest first, then by title; an item tagged twice is listed once"
    );
    assert_eq!(
        s.html("tags/reading/index.html").texts(".card-title"),
        vec!["春节慰问", "读书会"]
    );
    let index = s.html("tags/index.html");
    assert!(index.links_to("/tags/guanai-laoren/") && index.links_to("/tags/reading/"));
    assert!(!s.exists("tags/guanai-laoren-2/index.html"));
}

#[test]
fn feeds_sitemap_and_robots() {
    let s = network();
    s.build_ok();
    let atom = s.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(
        titles,
        vec![
            "重阳敬老活动",
            "关于开展志愿服务月的通知",
            "春耕志愿服务",
            "夏夜纳凉晚会"
        ]
    );
    let sitemap = s.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/donghuqu/"));
    assert!(locs.contains(&"https://example.org/xinwen/tongzhi/"));
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    assert!(
        s.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn images_are_published_with_their_size() {
    let s = network();
    s.build_ok();
    let event =
        s.html("donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/index.html");
    assert_eq!(event.attr(".gallery img", "alt"), "志愿者为老人理发");
    assert!(!event.attr(".gallery img", "width").is_empty());
    assert!(!event.attr(".gallery img", "srcset").is_empty());
}

#[test]
fn two_builds_are_identical() {
    let s = network();
    s.build_ok();
    let first = files_under(&s.output());
    std::fs::remove_dir_all(s.output()).unwrap();
    s.build_ok();
    assert_eq!(first, files_under(&s.output()));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let s = network();
    s.build_ok();
    let before = files_under(&s.output());
    s.page("西山县/events/坏.md", "title: 坏活动\ndate: 2024-13-45", "");
    s.page(
        "新闻/通知.md",
        "title: 改过的通知\ndate: 2024-09-01",
        "正文改了",
    );
    let outcome = s.build();
    assert!(outcome.has_errors());
    assert_eq!(before, files_under(&s.output()));
}

#[test]
fn a_rebuild_that_changes_nothing_writes_nothing() {
    let s = network();
    s.build_ok();
    let outcome = s.build_ok();
    let (_, report) = outcome.output.unwrap();
    assert_eq!(report.written, 0);
    assert_eq!(report.removed, 0);
}

#[test]
fn an_empty_site_builds() {
    let s = TestSite::new();
    s.build_ok();
    assert_eq!(s.html("index.html").text("h1"), "测试站点");
}

#[test]
fn base_url_with_a_sub_path() {
    let s = network();
    s.write(
        "site.yaml",
        "title: t\nbase_url: https://example.org/changji/\n",
    );
    s.build_ok();
    let home = s.html("index.html");
    assert!(home.links_to("/changji/events/"));
    assert!(
        s.read("sitemap.xml")
            .contains("https://example.org/changji/donghuqu/")
    );
    assert!(
        s.exists("donghuqu/index.html"),
        "files stay at the top of the output"
    );
}

#[test]
fn unicode_slugs_keep_the_names() {
    let s = network();
    s.write("site.yaml", "title: t\nslugs: unicode\n");
    s.build_ok();
    assert!(s.exists("东湖区/长安街道/index.html"));
}

#[test]
fn site_templates_override_the_theme() {
    let s = network();
    s.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>走丢了</h1>{% endblock main %}",
    );
    s.build_ok();
    assert_eq!(s.html("404.html").text("h1"), "走丢了");
}

#[test]
fn nothing_is_written_beside_the_output_folder() {
    let s = network();
    let outside = tempfile::tempdir().unwrap();
    let out = outside.path().join("site-out");
    let build = |out: &std::path::Path| {
        let o = yunzhan::build(&yunzhan::BuildOptions {
            root: s.root().into(),
            output: Some(out.into()),
            write: true,
            ..Default::default()
        });
        assert!(!o.has_errors(), "{:?}", o.diagnostics);
    };
    build(&out);
    s.page("新闻/新.md", "title: 新消息\ndate: 2024-10-01", "");
    build(&out);
    let beside: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("site-out")]);
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}
