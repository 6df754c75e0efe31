//! Search: the index files of built sites (present, bounded, deterministic,
//! absent with `search: false`) and ranking, queried exactly as the browser
//! gets the index (read back from the built files).

mod support;

use support::TestSite;
use yunzhan::search::{self, index::Index, query};

/// A small network with names that test segmentation, pinyin and ranking.
fn network() -> TestSite {
    let s = TestSite::new();
    s.page("_index.md", "title: 云州文明实践", "欢迎。");
    s.page(
        "东湖区/_index.md",
        "title: 东湖区新时代文明实践中心\nlevel: center",
        "东湖区的中心。",
    );
    s.page(
        "东湖区/长安街道/_index.md",
        "title: 长安街道新时代文明实践所\nlevel: institute",
        "",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/_index.md",
        "title: 草堂路社区新时代文明实践站\nlevel: station\nplatforms: [theory, culture]",
        "位于长安街道，服务居民三千余人。",
    );
    s.page(
        "东湖区/长安街道/草堂村/_index.md",
        "title: 草堂村新时代文明实践站\nlevel: station\nplatforms: [science]",
        "村里有一片果园。",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/teams/老辈子宣讲团.md",
        "title: 老辈子宣讲团\nkind: lecture\nplatform: theory",
        "老党员讲身边事。",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/projects/邻里节.md",
        "title: 邻里节\nplatform: culture",
        "一年一度的邻里节，街坊共度。",
    );
    s.page(
        "东湖区/长安街道/草堂路社区/events/重阳敬老.md",
        "title: 重阳敬老活动\ndate: 2024-10-11\nplatform: culture",
        "志愿者为老人理发、测血压。",
    );
    s.page(
        "东湖区/events/峰会.md",
        "title: G20峰会志愿者培训\ndate: 2016-08-01\nplatform: education",
        "为G20杭州峰会培训城市志愿者。",
    );
    s.page(
        "东湖区/events/蒲公英.md",
        "title: 蒲公英快板队进校园\ndate: 2024-05-01\nplatform: theory",
        "快板说新风。",
    );
    s.page("新闻/_index.md", "title: 新闻", "");
    s.page(
        "新闻/走访.md",
        "title: 记者走访见闻\ndate: 2024-09-01",
        "草堂路社区的志愿者很多。草堂路社区的活动很多。草堂路社区的居民很满意。我们在草堂路社区看到了变化。",
    );
    s.page(
        "新闻/指南.md",
        "title: 社区APP使用指南\ndate: 2024-09-02",
        "下载APP，预约服务。",
    );
    s
}

fn built_index(s: &TestSite) -> Index {
    s.build_ok();
    search::read_index(&s.output().join("search")).expect("the index reads back")
}

/// URLs of the results of `q`, best first.
fn urls(index: &Index, q: &str, filters: query::Filters) -> Vec<String> {
    query::search(index, q, filters)
        .into_iter()
        .map(|h| index.docs[h.doc as usize].url.clone())
        .collect()
}

fn top(index: &Index, q: &str) -> String {
    urls(index, q, query::Filters::default())
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no results for {q}"))
}

const STATION: &str = "donghuqu/changanjiedao/caotanglu-shequ/";

#[test]
fn chinese_names_find_their_page() {
    let s = network();
    let index = built_index(&s);
    assert_eq!(top(&index, "草堂路"), STATION);
    assert_eq!(top(&index, "草堂路社区"), STATION);
    assert_eq!(top(&index, "草堂路社区新时代文明实践站"), STATION);
    assert_eq!(top(&index, "草堂村"), "donghuqu/changanjiedao/caotangcun/");
    assert_eq!(
        top(&index, "老辈子宣讲团"),
        "donghuqu/changanjiedao/caotanglu-shequ/teams/laobeizi-xuanjiangtuan/"
    );
    // a word of the body finds its page
    assert_eq!(
        top(&index, "理发"),
        "donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/"
    );
    // 草堂 alone finds both, and not the unrelated
    let both = urls(&index, "草堂", query::Filters::default());
    assert!(both.iter().take(2).any(|u| u == STATION), "{both:?}");
    assert!(!both.iter().any(|u| u.contains("jinyuan")));
}

#[test]
fn unknown_names_match_by_bigrams() {
    let s = network();
    let index = built_index(&s);
    // part of a name jieba cuts differently (蒲公英 / 快板队)
    assert_eq!(top(&index, "公英快板"), "donghuqu/events/pugongying/");
    assert_eq!(top(&index, "快板队"), "donghuqu/events/pugongying/");
}

#[test]
fn title_matches_rank_above_mentions() {
    let s = network();
    let index = built_index(&s);
    let results = urls(&index, "草堂路社区", query::Filters::default());
    let station = results.iter().position(|u| u == STATION).unwrap();
    let news = results
        .iter()
        .position(|u| u == "xinwen/zoufang/")
        .expect("the news page mentions it");
    assert!(station < news, "{results:?}");
    // pages under the station (their names include it) are found too
    assert!(
        results.iter().any(|u| u.contains("chongyang-jinglao")),
        "{results:?}"
    );
}

#[test]
fn pinyin_and_initials_find_chinese_titles() {
    let s = network();
    let index = built_index(&s);
    for q in [
        "caotanglu",
        "ctl",
        "CaoTangLu",
        "caotanglushequ",
        "ctlsq",
        "caotangl",
    ] {
        assert_eq!(top(&index, q), STATION, "{q}");
    }
    assert_eq!(
        top(&index, "caotangcun"),
        "donghuqu/changanjiedao/caotangcun/"
    );
    assert_eq!(
        top(&index, "lbzxjt"),
        "donghuqu/changanjiedao/caotanglu-shequ/teams/laobeizi-xuanjiangtuan/"
    );
    assert_eq!(
        top(&index, "linlijie"),
        "donghuqu/changanjiedao/caotanglu-shequ/projects/linlijie/"
    );
}

#[test]
fn full_width_punctuation_and_letters_are_normalised() {
    let s = network();
    let index = built_index(&s);
    assert_eq!(top(&index, "草堂路，社区！"), STATION);
    assert_eq!(top(&index, "（草堂路）"), STATION);
    assert_eq!(top(&index, "ＣＴＬ"), STATION);
    assert_eq!(top(&index, "Ｇ２０峰会"), "donghuqu/events/fenghui/");
}

#[test]
fn mixed_chinese_and_ascii_queries() {
    let s = network();
    let index = built_index(&s);
    assert_eq!(top(&index, "G20峰会"), "donghuqu/events/fenghui/");
    assert_eq!(top(&index, "g20 志愿者"), "donghuqu/events/fenghui/");
    assert_eq!(top(&index, "APP指南"), "xinwen/zhinan/");
    assert_eq!(top(&index, "app 使用"), "xinwen/zhinan/");
}

#[test]
fn filters_restrict_results() {
    let s = network();
    let index = built_index(&s);
    let kind = |k: &str| search::index::KINDS.iter().position(|x| x.0 == k);
    let events = urls(
        &index,
        "草堂路",
        query::Filters {
            kind: kind("event"),
            ..Default::default()
        },
    );
    assert_eq!(
        events,
        ["donghuqu/changanjiedao/caotanglu-shequ/events/chongyang-jinglao/"]
    );
    let platform = |k: &str| index.platforms.iter().position(|p| p.0 == k);
    let science = urls(
        &index,
        "草堂",
        query::Filters {
            platform: platform("science"),
            ..Default::default()
        },
    );
    assert_eq!(science, ["donghuqu/changanjiedao/caotangcun/"]);
    let stations = urls(
        &index,
        "草堂",
        query::Filters {
            kind: kind("unit"),
            level: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(stations.len(), 2, "{stations:?}");
}

#[test]
fn no_match_gives_nothing() {
    let s = network();
    let index = built_index(&s);
    assert!(urls(&index, "布达拉宫", query::Filters::default()).is_empty());
    assert!(urls(&index, "，。！", query::Filters::default()).is_empty());
    assert!(urls(&index, "", query::Filters::default()).is_empty());
}

#[test]
fn the_index_reads_back_as_built() {
    let s = network();
    s.build_ok();
    let read = search::read_index(&s.output().join("search")).unwrap();
    let built = search::index::build(&support::resolve(s.root()));
    assert_eq!(read.docs, built.docs);
    assert_eq!(read.lengths, built.lengths);
    assert_eq!(read.title_lengths, built.title_lengths);
    assert_eq!(read.terms, built.terms);
    assert!(read.terms.len() > 100);
}

#[test]
fn texts_taken_out_of_the_site_give_the_same_index() {
    let s = network();
    let mut site = support::resolve(s.root());
    let built = search::index::build(&site);
    let texts = site.take_body_texts();
    assert!(texts.len() > 5, "{}", texts.len());
    assert!(site.items().all(|i| site.meta(i).body.text.is_empty()));
    let taken = search::index::build_taking(&site, texts);
    assert_eq!(taken.docs, built.docs);
    assert_eq!(taken.lengths, built.lengths);
    assert_eq!(taken.terms, built.terms);
}

#[test]
fn search_false_writes_no_index_page_or_box() {
    let s = network();
    s.write(
        "site.yaml",
        "title: 测试站点\nminify: false\nsearch: false\n",
    );
    s.build_ok();
    assert!(!s.exists("search"));
    assert!(!s.html("index.html").links_to("/search/"));
    assert_eq!(s.html("index.html").count("form[role=search]"), 0);
}

#[test]
fn the_search_page_and_header_box() {
    let s = network();
    s.build_ok();
    let page = s.html("search/index.html");
    let entry = page.attr("#search", "data-index");
    assert!(
        entry.starts_with("index.") && entry.ends_with(".js"),
        "{entry}"
    );
    assert!(s.exists(&format!("search/{entry}")));
    assert_eq!(page.attr("#search-q", "type"), "search");
    assert_eq!(page.attr("label[for=search-q]", "for"), "search-q");
    for select in ["kind", "level", "platform"] {
        assert_eq!(
            page.count(&format!("label[for=search-{select}]")),
            1,
            "{select}"
        );
    }
    assert_eq!(page.attr("#search-status", "aria-live"), "polite");
    // relative, so that the page works from file:// too
    assert_eq!(
        page.attr("script[src$='search.js']", "src"),
        "../assets/search.js"
    );
    // every page has the header box, which submits q to /search/
    let home = s.html("index.html");
    assert_eq!(home.attr("form[role=search]", "action"), "/search/");
    assert_eq!(
        home.attr("form[role=search] input[type=search]", "name"),
        "q"
    );
}

#[test]
fn demo_index_is_small_and_deterministic() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    for out in [&first, &second] {
        let outcome = yunzhan::build(&yunzhan::BuildOptions {
            root: support::repo(),
            output: Some(out.path().to_path_buf()),
            write: true,
            ..Default::default()
        });
        assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    }
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("search"))
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files(first.path()), files(second.path()));
    assert_eq!(a, b, "two builds wrote different index files");
    let index_bytes: usize = a
        .iter()
        .filter(|(n, _)| n.ends_with(".js"))
        .map(|(_, c)| c.len())
        .sum();
    assert!(
        index_bytes < 150 * 1024,
        "demo index is {index_bytes} bytes"
    );
    let entry = a
        .iter()
        .find(|(n, _)| n.starts_with("index.") && n.ends_with(".js"))
        .unwrap();
    assert!(entry.1.len() < 8 * 1024, "entry is {} bytes", entry.1.len());
    for (name, contents) in &a {
        if name.starts_with('t') {
            assert!(
                contents.len() <= search::SHARD_BYTES + 4 * 1024,
                "{name} is {} bytes",
                contents.len()
            );
        }
    }
    let js = std::fs::metadata(first.path().join("assets/search.js"))
        .unwrap()
        .len();
    assert!(js < 15 * 1024, "search.js is {js} bytes");
}

/// A deterministic network of about `pages` pages with Chinese names and
/// text, like the synthetic benchmark corpus.
fn synthetic(pages: usize) -> TestSite {
    const PLACES: &[&str] = &[
        "金", "宁", "坪", "青", "羊", "草", "堂", "长", "安", "东", "湖", "西", "山", "南", "河",
        "柳", "桥", "石", "林", "云",
    ];
    const WORDS: &[&str] = &[
        "志愿", "服务", "宣讲", "理论", "文明", "实践", "社区", "居民", "老人", "儿童", "健身",
        "科普", "文化", "环境", "整治", "帮扶", "义诊", "培训", "邻里", "互助", "传承", "非遗",
        "阅读", "书屋", "广场", "舞蹈", "合唱", "法治", "安全", "卫生", "垃圾", "分类", "敬老",
        "重阳", "春节", "元宵", "读书", "讲座", "展览", "巡演",
    ];
    let s = TestSite::new();
    s.write("site.yaml", "title: 合成站点\nminify: false\n");
    s.page("_index.md", "title: 合成站点", "首页。");
    let mut seed: u64 = 42;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let name = |next: &mut dyn FnMut(usize) -> usize| {
        (0..3)
            .map(|_| PLACES[next(PLACES.len())])
            .collect::<String>()
    };
    let text = |next: &mut dyn FnMut(usize) -> usize, n: usize| {
        (0..n)
            .map(|i| WORDS[next(WORDS.len())].to_string() + if i % 7 == 6 { "。" } else { "" })
            .collect::<String>()
    };
    let mut written = 1;
    let mut c = 0;
    while written < pages {
        let center = format!("c{c}");
        s.page(
            &format!("{center}/_index.md"),
            &format!(
                "title: {}区新时代文明实践中心\nlevel: center",
                name(&mut next)
            ),
            &text(&mut next, 60),
        );
        written += 1;
        for i in 0..5 {
            let inst = format!("{center}/i{i}");
            s.page(
                &format!("{inst}/_index.md"),
                &format!(
                    "title: {}街道新时代文明实践所\nlevel: institute",
                    name(&mut next)
                ),
                &text(&mut next, 60),
            );
            written += 1;
            for st in 0..4 {
                let station = format!("{inst}/s{st}");
                let n = name(&mut next);
                s.page(
                    &format!("{station}/_index.md"),
                    &format!(
                        "title: {n}社区新时代文明实践站\nlevel: station\nplatforms: [culture]"
                    ),
                    &text(&mut next, 80),
                );
                written += 1;
                for e in 0..8 {
                    let topic = WORDS[next(WORDS.len())];
                    s.page(
                        &format!("{station}/events/e{e}.md"),
                        &format!(
                            "title: {n}社区{topic}活动\ndate: 2024-0{}-1{}\nplatform: culture",
                            1 + e % 9,
                            e % 9
                        ),
                        &text(&mut next, 120),
                    );
                    written += 1;
                }
            }
        }
        c += 1;
    }
    s
}

#[test]
fn a_thousand_page_site_has_a_small_whole_index() {
    let s = synthetic(1000);
    s.build_ok();
    let dir = s.output().join("search");
    let total: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".js"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    let index = search::read_index(&dir).unwrap();
    assert!(index.docs.len() >= 1000, "{} documents", index.docs.len());
    assert!(
        total <= 300 * 1024,
        "whole index of {} pages is {total} bytes",
        index.docs.len()
    );
}
