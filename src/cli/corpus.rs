//! `yunzhan gen-corpus` (hidden): a deterministic synthetic practice network of
//! any size, for benchmarks and scale tests.
//!
//! The network follows SPEC: centers → institutes → stations → points, each with
//! projects, teams and events; Chinese text with headings, lists, bold, links and
//! `@/` links; tags and platforms; refs by title (inside a unit) and by path
//! (across units); a hall with zones, exhibits and `include:` zones; a news
//! section; optionally small generated photos in event bundles.
//!
//! The same `--pages`, `--seed` and `--photos` always give byte-identical files:
//! every item draws from its own random stream, seeded by the run's seed, its
//! kind and its number, so adding a kind never reshuffles the others.

use crate::slug::{SlugStyle, slugify};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Markdown files to write (every one becomes a page), at least [`MIN_PAGES`].
    pub pages: usize,
    /// The new site's root; must not hold a site already.
    pub out: PathBuf,
    /// Give a quarter of the events a bundle with two small generated photos.
    pub photos: bool,
    /// Seed of every random choice.
    pub seed: u64,
}

/// The smallest network that still has every kind of content.
pub const MIN_PAGES: usize = 40;

/// A small deterministic generator (SplitMix64). Hand-written on purpose: the
/// `rand` crates don't promise the same stream across versions, and a corpus
/// must stay byte-identical for years of benchmark history.
struct Rng(u64);

impl Rng {
    /// The stream of item `index` of `kind`.
    fn of(seed: u64, kind: &str, index: usize) -> Rng {
        let mut h = blake3::Hasher::new();
        h.update(&seed.to_le_bytes());
        h.update(kind.as_bytes());
        h.update(&(index as u64).to_le_bytes());
        let bytes = h.finalize();
        Rng(u64::from_le_bytes(
            bytes.as_bytes()[..8].try_into().unwrap_or([0; 8]),
        ))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    /// `n` distinct items, in the list's order.
    fn some<'a, T>(&mut self, items: &'a [T], n: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let i = (self.next() % items.len() as u64) as usize;
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn date(&mut self, first_year: u64, last_year: u64) -> String {
        format!(
            "{}-{:02}-{:02}",
            self.range(first_year, last_year),
            self.range(1, 12),
            self.range(1, 28)
        )
    }
}

// Characters of place names: each has one toneless pinyin and no two
// concatenations read alike, so sibling slugs rarely clash (clashes are retried).
const NAME_CHARS: &[&str] = &[
    "安", "白", "春", "东", "丰", "光", "和", "红", "华", "金", "康", "兰", "柳", "明", "南", "平",
    "青", "瑞", "盛", "泰", "文", "西", "新", "阳", "永", "云", "北", "福", "桂", "海", "江", "林",
    "梅", "秀", "竹", "德",
];

struct Level {
    key: &'static str,
    full: &'static str,
    suffixes: &'static [&'static str],
}

const LEVELS: [Level; 4] = [
    Level {
        key: "center",
        full: "新时代文明实践中心",
        suffixes: &["区", "县", "市"],
    },
    Level {
        key: "institute",
        full: "新时代文明实践所",
        suffixes: &["镇", "街道", "乡"],
    },
    Level {
        key: "station",
        full: "新时代文明实践站",
        suffixes: &["村", "社区"],
    },
    Level {
        key: "point",
        full: "新时代文明实践点",
        suffixes: &["小区", "院", "组"],
    },
];

/// The platforms of `site.yaml`'s default, which the corpus leaves unset.
const PLATFORMS: &[(&str, &str)] = crate::config::DEFAULT_PLATFORMS;

const TAGS: &[&str] = &[
    "志愿服务",
    "理论宣讲",
    "敬老助老",
    "关爱未成年人",
    "移风易俗",
    "乡村振兴",
    "文明新风",
    "党史学习",
    "法治宣传",
    "健康义诊",
    "垃圾分类",
    "非遗传承",
    "邻里互助",
    "全民阅读",
    "科普",
    "全民健身",
    "红色文化",
    "助残",
    "环境整治",
    "志愿服务精品项目",
];

const ACTIVITIES: &[&str] = &[
    "重阳敬老",
    "学雷锋义诊",
    "快板说党史",
    "文明家风讲堂",
    "垃圾分类进万家",
    "四点半课堂",
    "非遗剪纸体验",
    "广场舞展演",
    "科普大篷车",
    "法律咨询",
    "邻里百家宴",
    "读书分享会",
    "防诈骗宣讲",
    "环境卫生大扫除",
    "农技培训",
    "红色电影放映",
];

const TEAM_KINDS: &[(&str, &str)] = &[
    ("lecture", "理论宣讲团"),
    ("volunteer", "红马甲志愿服务队"),
    ("expert", "医疗卫生专家团"),
    ("volunteer", "巾帼志愿服务队"),
    ("lecture", "百姓宣讲队"),
    ("volunteer", "青年志愿服务队"),
    ("expert", "法律服务专家团"),
    ("volunteer", "文艺志愿服务队"),
];

const PROJECTS: &[&str] = &[
    "微心愿认领",
    "暖心食堂",
    "文明积分超市",
    "乡村大舞台",
    "银龄互助",
    "护苗行动",
    "法律明白人",
    "书香邻里",
    "健康守护",
    "清洁家园",
];

const SENTENCES: &[&str] = &[
    "实践站把群众的需求清单和志愿服务的资源清单放在一起比对，能当下办的马上办，需要协调的限期办。",
    "志愿者们提前一周走访入户，摸清老人、儿童和困难家庭的实际需要，活动当天分组服务、各有专人负责。",
    "宣讲员用拉家常的方式讲政策，把大道理变成身边事，群众听得懂、记得住、用得上。",
    "活动结束后，居民纷纷留下联系方式，报名加入志愿服务队，队伍又壮大了一批新面孔。",
    "村里把文化广场、农家书屋和党群服务中心连成一片，平时有人管、常年有活动、群众愿意来。",
    "所站联动、上下贯通，中心统筹资源，站点就近服务，让文明实践的阵地真正活起来。",
    "孩子们在志愿者的带领下动手实践，把课堂上学到的知识用在生活里，家长们也跟着一起参与。",
    "通过积分兑换的方式，居民参加志愿服务、保持庭院整洁都能攒下积分，换取生活用品。",
    "医护志愿者为老人测量血压、血糖，讲解慢性病的日常护理，并为行动不便的老人送医上门。",
    "活动以群众点单、中心派单、志愿者接单、群众评单的方式开展，服务更加精准。",
    "老党员讲述亲身经历的变迁故事，从土坯房到新楼房，从泥泞路到柏油路，台下听众深受触动。",
    "非遗传承人手把手教大家剪纸、刺绣，一张红纸在剪刀下变成了寓意吉祥的团花。",
];

const PLACES: &[&str] = &[
    "党群服务中心",
    "文化广场",
    "农家书屋",
    "多功能活动室",
    "新时代文明实践站",
    "社区会议室",
    "村史馆",
    "老年活动中心",
];

const MEDIA: &[&str] = &["书法", "绘画", "剪纸", "刺绣", "摄影", "明信片"];

/// A unit of the network being generated.
struct Unit {
    level: usize,
    /// Folder under `content/`.
    dir: String,
    name: String,
    parent: Option<usize>,
    /// Titles of its teams, and their paths from `content/`.
    teams: Vec<(String, String)>,
    /// Paths of its projects from `content/`.
    projects: Vec<String>,
    /// Names used by its children and its items, by slug (for unique URLs).
    taken: HashSet<String>,
}

impl Unit {
    fn title(&self) -> String {
        format!("{}{}", self.name, LEVELS[self.level].full)
    }
}

/// How many of each kind `pages` Markdown files hold.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    levels: [usize; 4],
    projects: usize,
    teams: usize,
    events: usize,
    news: usize,
    exhibits: usize,
}

/// Home, hall, its four zones, and the news section's index.
const FIXED_PAGES: usize = 7;

impl Plan {
    fn new(pages: usize) -> Plan {
        let pages = pages.max(MIN_PAGES);
        let exhibits = (pages / 200).clamp(3, 40);
        let news = (pages / 500).clamp(2, 50);
        let rest = pages - FIXED_PAGES - exhibits - news;
        let units = (rest * 36 / 100).max(4);
        let projects = (rest * 6 / 100).max(2);
        let teams = (rest * 8 / 100).max(2);
        let events = rest - units - projects - teams;
        let centers = units.div_ceil(700);
        let institutes = (units / 12).max(centers);
        let stations = ((units - centers - institutes) * 2 / 5).max(institutes);
        let points = units - centers - institutes - stations;
        Plan {
            levels: [centers, institutes, stations, points],
            projects,
            teams,
            events,
            news,
            exhibits,
        }
    }

    fn total(&self) -> usize {
        FIXED_PAGES
            + self.levels.iter().sum::<usize>()
            + self.projects
            + self.teams
            + self.events
            + self.news
            + self.exhibits
    }
}

/// The files of the site, by path under its root.
type Files = Vec<(String, Vec<u8>)>;

/// Writes the network into `options.out`.
pub fn run(options: &Options) -> Result<String, String> {
    if options.pages < MIN_PAGES {
        return Err(format!(
            "--pages must be at least {MIN_PAGES} (one of every kind of content)"
        ));
    }
    let out = &options.out;
    if out.join(crate::config::FILE_NAME).exists() || out.join(crate::load::CONTENT_DIR).exists() {
        return Err(format!(
            "{} already holds a site; nothing was written",
            out.display()
        ));
    }
    let files = generate(options);
    let fail = |e: std::io::Error| format!("cannot write into {}: {e}", out.display());
    let dirs: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|(p, _)| p.rfind('/').map(|i| &p[..i]))
        .collect();
    std::fs::create_dir_all(out).map_err(fail)?;
    for dir in dirs {
        std::fs::create_dir_all(out.join(dir)).map_err(fail)?;
    }
    files
        .par_iter()
        .try_for_each(|(path, bytes)| std::fs::write(out.join(path), bytes))
        .map_err(fail)?;
    let markdown = files.iter().filter(|(p, _)| p.ends_with(".md")).count();
    Ok(format!(
        "wrote a network of {markdown} pages ({} files) into {}",
        files.len(),
        out.display()
    ))
}

/// Every file of the network, in a fixed order.
fn generate(options: &Options) -> Files {
    let plan = Plan::new(options.pages);
    let seed = options.seed;
    let mut units = tree(&plan, seed);
    let mut files: Files = vec![(
        crate::config::FILE_NAME.to_string(),
        "title: 新时代文明实践云展（合成网络）\nbase_url: https://example.org/\n".into(),
    )];
    let md = |path: String, text: String| (format!("content/{path}"), text.into_bytes());

    // Teams go to centers, institutes and stations; projects to centers and institutes.
    let hosts: Vec<usize> = (0..units.len()).filter(|&u| units[u].level < 3).collect();
    for t in 0..plan.teams {
        let u = hosts[t % hosts.len()];
        let (path, title, text) = team(&mut units[u], t, seed);
        units[u].teams.push((title, path.clone()));
        files.push(md(path, text));
    }
    let upper: Vec<usize> = (0..units.len()).filter(|&u| units[u].level < 2).collect();
    for p in 0..plan.projects {
        let u = upper[p % upper.len()];
        let (path, text) = project(&units, u, p, seed);
        units[u].projects.push(path.clone());
        files.push(md(path, text));
    }
    // Events: most at stations and points, every tenth higher up.
    let lower: Vec<usize> = (0..units.len()).filter(|&u| units[u].level >= 2).collect();
    let mut photos = Vec::new();
    for e in 0..plan.events {
        let u = if e % 10 == 9 || lower.is_empty() {
            upper[(e / 10) % upper.len()]
        } else {
            lower[e % lower.len()]
        };
        let bundle = options.photos && e % 4 == 0;
        let (path, text) = event(&mut units, u, e, bundle, seed);
        if bundle {
            let dir = crate::load::parent_dir(&path).to_string();
            photos.push((dir, e));
        }
        files.push(md(path, text));
    }
    files.extend(
        photos
            .par_iter()
            .flat_map_iter(|(dir, e)| {
                (1..=2).map(move |k| {
                    (
                        format!("content/{dir}/photo-{k}.jpg"),
                        photo(seed, *e * 2 + k),
                    )
                })
            })
            .collect::<Vec<_>>(),
    );
    for u in 0..units.len() {
        files.push(md(
            format!("{}/_index.md", units[u].dir),
            unit(&units, u, seed),
        ));
    }
    files.push(md("_index.md".into(), home(&units)));
    files.extend(hall(&units, &plan, seed).into_iter().map(|(p, t)| md(p, t)));
    files.extend(news(&units, &plan, seed).into_iter().map(|(p, t)| md(p, t)));
    debug_assert_eq!(
        files.iter().filter(|(p, _)| p.ends_with(".md")).count(),
        plan.total()
    );
    files
}

/// A name of `chars` characters from the name list, then one of `suffixes`,
/// whose slug no sibling has taken yet.
fn fresh_name(rng: &mut Rng, taken: &mut HashSet<String>, suffixes: &[&str]) -> String {
    let mut attempt = 0;
    loop {
        // longer names once the short ones run out (a unit with hundreds of children)
        let chars = 2 + attempt / 20;
        let mut name: String = (0..chars).map(|_| *rng.pick(NAME_CHARS)).collect();
        let suffix: &&str = rng.pick(suffixes);
        name.push_str(suffix);
        if taken.insert(slugify(&name, SlugStyle::Pinyin)) {
            return name;
        }
        attempt += 1;
    }
}

/// The units, parents first; children spread evenly over the level above.
fn tree(plan: &Plan, seed: u64) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut top_taken = HashSet::new();
    for c in ["云展馆", "新闻"] {
        top_taken.insert(slugify(c, SlugStyle::Pinyin));
    }
    let mut previous: Vec<usize> = Vec::new();
    for (level, &count) in plan.levels.iter().enumerate() {
        let mut current = Vec::new();
        for i in 0..count {
            let mut rng = Rng::of(seed, LEVELS[level].key, i);
            let parent = (!previous.is_empty()).then(|| previous[i % previous.len()]);
            let taken = match parent {
                Some(p) => &mut units[p].taken,
                None => &mut top_taken,
            };
            let name = fresh_name(&mut rng, taken, LEVELS[level].suffixes);
            let dir = match parent {
                Some(p) => format!("{}/{name}", units[p].dir),
                None => name.clone(),
            };
            let mut taken = HashSet::new();
            for fixed in ["events", "teams", "projects"] {
                taken.insert(fixed.to_string());
            }
            current.push(units.len());
            units.push(Unit {
                level,
                dir,
                name,
                parent,
                teams: Vec::new(),
                projects: Vec::new(),
                taken,
            });
        }
        if !current.is_empty() {
            previous = current;
        }
    }
    units
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| *rng.pick(SENTENCES)).collect()
}

fn tags(rng: &mut Rng, n: usize) -> String {
    let chosen: Vec<&str> = rng.some(TAGS, n).into_iter().copied().collect();
    format!("[{}]", chosen.join(", "))
}

fn unit(units: &[Unit], u: usize, seed: u64) -> String {
    let unit = &units[u];
    let mut rng = Rng::of(seed, "unit-text", u);
    let scale = [40, 12, 4, 1][unit.level];
    let how_many = rng.range(2, 6) as usize;
    let platforms: Vec<&str> = rng
        .some(PLATFORMS, how_many)
        .into_iter()
        .map(|p| p.0)
        .collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "---\ntitle: {}\nlevel: {}",
        unit.title(),
        LEVELS[unit.level].key
    );
    let _ = writeln!(
        s,
        "established: {}-{:02}",
        rng.range(2018, 2023),
        rng.range(1, 12)
    );
    let _ = writeln!(s, "address: {}{}", unit.name, rng.pick(PLACES));
    let _ = writeln!(
        s,
        "location: [{:.4}, {:.4}]",
        30.0 + rng.range(0, 100_000) as f64 / 10_000.0,
        100.0 + rng.range(0, 150_000) as f64 / 10_000.0
    );
    let _ = writeln!(s, "area_m2: {}", rng.range(80, 600) * scale);
    let _ = writeln!(s, "rating: {}", rng.range(3, 5));
    let _ = writeln!(s, "platforms: [{}]", platforms.join(", "));
    let _ = writeln!(
        s,
        "stats:\n  volunteers: {}\n  teams: {}\n  activities: {}\n  served: {}",
        rng.range(20, 120) * scale,
        rng.range(1, 6) * scale,
        rng.range(12, 90) * scale,
        rng.range(500, 5000) * scale
    );
    let _ = writeln!(
        s,
        "contact:\n  phone: \"0{}-{}\"\n  hours: \"周一至周五 9:00—17:30\"",
        rng.range(100, 999),
        rng.range(2_000_000, 8_999_999)
    );
    if unit.level == 0 {
        let _ = writeln!(
            s,
            "honors:\n  - {{year: {}, title: 全国新时代文明实践中心建设试点}}",
            rng.range(2018, 2021)
        );
    }
    let _ = writeln!(s, "tags: {}\n---\n", tags(&mut rng, 2));
    let _ = writeln!(s, "{}\n", paragraph(&mut rng, 3));
    let _ = writeln!(s, "## 阵地建设\n\n{}\n", paragraph(&mut rng, 2));
    s.push_str("- **服务平台**：");
    let names: Vec<&str> = PLATFORMS
        .iter()
        .filter(|p| platforms.contains(&p.0))
        .map(|p| p.1)
        .collect();
    let _ = writeln!(s, "{}", names.join("、"));
    let _ = writeln!(s, "- **开放时间**：周一至周五 9:00—17:30");
    if let Some(p) = unit.parent {
        let _ = writeln!(
            s,
            "- **上级阵地**：[{}](@/{}/_index.md)",
            units[p].title(),
            units[p].dir
        );
    }
    let _ = writeln!(s, "\n## 特色做法\n\n{}", paragraph(&mut rng, 2));
    s
}

fn team(unit: &mut Unit, t: usize, seed: u64) -> (String, String, String) {
    let mut rng = Rng::of(seed, "team", t);
    let (kind, noun) = TEAM_KINDS[unit.teams.len() % TEAM_KINDS.len()];
    let mut title = format!("{}{noun}", unit.name);
    if unit.teams.len() >= TEAM_KINDS.len() {
        title = format!("{title}{}", unit.teams.len() / TEAM_KINDS.len() + 1);
    }
    let file = title.clone();
    unit.taken
        .insert(format!("teams/{}", slugify(&file, SlugStyle::Pinyin)));
    let platform = rng.pick(PLATFORMS).0;
    let text = format!(
        "---\ntitle: {title}\nkind: {kind}\nmembers: {}\nfounded: {}-{:02}\n\
         topics: [党的创新理论, 文明新风, 惠民政策]\nplatform: {platform}\ntags: {}\n---\n\n\
         {}\n\n## 队伍构成\n\n- 退休干部和老党员\n- 社区工作者\n- 青年志愿者\n\n{}\n",
        rng.range(8, 120),
        rng.range(2018, 2024),
        rng.range(1, 12),
        tags(&mut rng, 2),
        paragraph(&mut rng, 2),
        paragraph(&mut rng, 2),
    );
    (format!("{}/teams/{file}.md", unit.dir), title, text)
}

fn project(units: &[Unit], u: usize, p: usize, seed: u64) -> (String, String) {
    let unit = &units[u];
    let mut rng = Rng::of(seed, "project", p);
    let own = unit.projects.len();
    let mut title = format!("{}{}", unit.name, PROJECTS[own % PROJECTS.len()]);
    if own >= PROJECTS.len() {
        title = format!("{title}{}", own / PROJECTS.len() + 1);
    }
    let mut fm = format!(
        "---\ntitle: {title}\nplatform: {}\nsince: {}\n",
        rng.pick(PLATFORMS).0,
        rng.range(2018, 2024)
    );
    if rng.chance(40) {
        let _ = writeln!(
            fm,
            "awards:\n  - {{year: {}, title: 志愿服务优秀项目, level: 省级}}",
            rng.range(2020, 2024)
        );
    }
    if let Some((team, _)) = unit.teams.first() {
        let _ = writeln!(fm, "teams: [{team}]");
    }
    if let Some(p) = unit.parent {
        let _ = writeln!(fm, "partners: [{}]", units[p].dir);
    }
    // every third project is a "精品项目", shown in the hall's include zone
    let tag_list = if p.is_multiple_of(3) {
        "[志愿服务精品项目, 志愿服务]".to_string()
    } else {
        tags(&mut rng, 2)
    };
    let _ = write!(fm, "tags: {tag_list}\n---\n\n");
    let text = format!(
        "{fm}{}\n\n## 项目做法\n\n1. 摸清需求，建立清单\n2. 组建队伍，认领任务\n3. 定期回访，评估成效\n\n\
         {}\n\n详见[{}](@/{}/_index.md)的介绍。\n",
        paragraph(&mut rng, 2),
        paragraph(&mut rng, 2),
        unit.title(),
        unit.dir
    );
    (format!("{}/projects/{title}.md", unit.dir), text)
}

fn event(units: &mut [Unit], u: usize, e: usize, bundle: bool, seed: u64) -> (String, String) {
    let mut rng = Rng::of(seed, "event", e);
    let date = rng.date(2019, 2025);
    let activity = *rng.pick(ACTIVITIES);
    let mut name = format!("{date}-{activity}");
    let mut n = 2;
    while !units[u]
        .taken
        .insert(format!("events/{}", slugify(&name, SlugStyle::Pinyin)))
    {
        name = format!("{date}-{activity}{n}");
        n += 1;
    }
    let unit = &units[u];
    let participants = rng.range(20, 400);
    let place = format!("{}{}", unit.name, rng.pick(PLACES));
    let mut fm = format!(
        "---\ntitle: {}{activity}活动\ndate: {date}\nplatform: {}\nparticipants: {participants}\nplace: {place}\n",
        unit.name,
        rng.pick(PLATFORMS).0
    );
    // a team of the unit by its title, else one of an ancestor by its path
    let mut ancestor = unit.parent;
    if let Some((title, _)) = unit.teams.first() {
        let _ = writeln!(fm, "teams: [{title}]");
    } else {
        while let Some(a) = ancestor {
            if let Some((_, path)) = units[a].teams.first() {
                let _ = writeln!(fm, "teams: [{path}]");
                break;
            }
            ancestor = units[a].parent;
        }
    }
    let mut owner = Some(u);
    while let Some(a) = owner {
        if let Some(path) = units[a].projects.first() {
            let _ = writeln!(fm, "projects: [{path}]");
            break;
        }
        owner = units[a].parent;
    }
    let _ = writeln!(fm, "tags: {}", tags(&mut rng, 2));
    if bundle {
        fm.push_str("photos:\n");
        for k in 1..=2 {
            let _ = writeln!(
                fm,
                "  - src: photo-{k}.jpg\n    alt: 志愿者在{place}开展{activity}活动（第{k}张）\n    caption: {activity}现场。"
            );
        }
    }
    fm.push_str("---\n\n");
    let (year, month, day) = (&date[..4], &date[5..7], &date[8..]);
    let text = format!(
        "{fm}{}\n\n## 活动概况\n\n- **时间**：{year}年{}月{}日\n- **地点**：{place}\n- **参与**：{participants}人\n\n\
         {}\n\n## 活动成效\n\n{}活动由[{}](@/{}/_index.md)组织开展。\n",
        paragraph(&mut rng, 2),
        month.trim_start_matches('0'),
        day.trim_start_matches('0'),
        paragraph(&mut rng, 3),
        paragraph(&mut rng, 1),
        unit.title(),
        unit.dir
    );
    let path = if bundle {
        format!("{}/events/{name}/index.md", unit.dir)
    } else {
        format!("{}/events/{name}.md", unit.dir)
    };
    (path, text)
}

/// A small photo-like JPEG: a gradient with a few bands, different per photo.
fn photo(seed: u64, k: usize) -> Vec<u8> {
    let mut rng = Rng::of(seed, "photo", k);
    let (w, h) = (640u32, 480u32);
    let (r0, g0, b0) = (rng.range(0, 255), rng.range(0, 255), rng.range(0, 255));
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let band = ((x / 80 + y / 60) % 3) as u64 * 30;
        image::Rgb([
            ((r0 + u64::from(x) * 255 / u64::from(w) + band) % 256) as u8,
            ((g0 + u64::from(y) * 255 / u64::from(h)) % 256) as u8,
            ((b0 + band) % 256) as u8,
        ])
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80);
    // writing into memory cannot fail for a valid RGB image
    let _ = img.write_with_encoder(encoder);
    bytes
}

fn home(units: &[Unit]) -> String {
    let roots: Vec<&Unit> = units.iter().filter(|u| u.parent.is_none()).collect();
    let mut s = String::from(
        "---\ntitle: 新时代文明实践云展\n---\n\n本站汇集合成网络中各新时代文明实践中心（所、站、点）的阵地、品牌项目、志愿队伍与活动。\n\n## 各地中心\n\n",
    );
    for u in roots.iter().take(20) {
        let _ = writeln!(s, "- [{}](@/{}/_index.md)", u.title(), u.dir);
    }
    s
}

fn hall(units: &[Unit], plan: &Plan, seed: u64) -> Vec<(String, String)> {
    let mut files = vec![(
        "云展馆/_index.md".to_string(),
        "---\ntitle: 新时代文明实践云展馆\ntype: hall\nopens: 2023-11-30\nsummary: 三个展区，一条线上参观路线。\n---\n\n\
         参观时可从第一展区开始，依次点击“下一件”浏览全部展品。\n"
            .to_string(),
    )];
    let zones = [
        ("工作成果", "新时代文明实践工作成果展示区", 1),
        ("文创作品", "新时代文明实践文创作品展示区", 3),
    ];
    for (dir, title, weight) in zones {
        files.push((
            format!("云展馆/{dir}/_index.md"),
            format!(
                "---\ntitle: {title}\nweight: {weight}\n---\n\n本展区展示各地的典型经验和作品。\n"
            ),
        ));
    }
    files.push((
        "云展馆/精品项目/_index.md".to_string(),
        "---\ntitle: 志愿服务精品项目展示区\nweight: 2\ninclude:\n  kinds: [project]\n  tags: [志愿服务精品项目]\n  limit: 24\n---\n\n\
         展品由各实践单位的品牌项目自动生成。\n"
            .to_string(),
    ));
    files.push((
        "云展馆/理论宣讲/_index.md".to_string(),
        format!(
            "---\ntitle: 理论宣讲活动展示区\nweight: 4\ninclude:\n  kinds: [event]\n  platforms: [theory]\n  under: {}\n  limit: 30\n---\n\n\
             取自第一个中心及其下属阵地的理论宣讲活动。\n",
            units[0].dir
        ),
    ));
    for x in 0..plan.exhibits {
        let mut rng = Rng::of(seed, "exhibit", x);
        let medium = *rng.pick(MEDIA);
        let zone = zones[x % zones.len()].0;
        let maker = &units[(x * 7) % units.len()];
        let title = format!("{medium}作品《{}》第{}号", rng.pick(TAGS), x + 1);
        files.push((
            format!("云展馆/{zone}/展品{}.md", x + 1),
            format!(
                "---\ntitle: {title}\nmedium: {medium}\nauthor: {}志愿者\nyear: {}\nunit: {}\nweight: {x}\n---\n\n{}\n",
                maker.name,
                rng.range(2019, 2025),
                maker.dir,
                paragraph(&mut rng, 2)
            ),
        ));
    }
    files
}

fn news(units: &[Unit], plan: &Plan, seed: u64) -> Vec<(String, String)> {
    let mut files = vec![(
        "新闻/_index.md".to_string(),
        "---\ntitle: 新闻动态\n---\n\n文明实践工作的最新消息。\n".to_string(),
    )];
    for n in 0..plan.news {
        let mut rng = Rng::of(seed, "news", n);
        let unit = &units[(n * 13) % units.len()];
        files.push((
            format!("新闻/消息{}.md", n + 1),
            format!(
                "---\ntitle: {}开展{}志愿服务\ndate: {}\ntags: {}\n---\n\n{}\n\n## 下一步\n\n{}\n\n相关阵地：[{}](@/{}/_index.md)。\n",
                unit.name,
                rng.pick(ACTIVITIES),
                rng.date(2022, 2025),
                tags(&mut rng, 2),
                paragraph(&mut rng, 3),
                paragraph(&mut rng, 2),
                unit.title(),
                unit.dir
            ),
        ));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_adds_up_to_the_pages_asked_for() {
        for pages in [MIN_PAGES, 100, 1000, 10_000, 100_000] {
            let plan = Plan::new(pages);
            assert_eq!(plan.total(), pages, "{plan:?}");
            assert!(plan.levels.iter().all(|&n| n > 0), "{plan:?}");
        }
    }

    #[test]
    fn the_same_options_give_the_same_files() {
        let options = Options {
            pages: 120,
            out: PathBuf::new(),
            photos: true,
            seed: 7,
        };
        let a = generate(&options);
        assert_eq!(a, generate(&options));
        let other = generate(&Options { seed: 8, ..options });
        assert_ne!(a, other);
        assert!(a.iter().any(|(p, _)| p.ends_with(".jpg")));
    }
}
