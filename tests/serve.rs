//! `yunzhan serve` over real sockets: the binary serves a site in a temporary
//! folder on a free port; requests are written by hand (so that `..` and
//! encoded slashes reach the server as sent), live-reload events are read from
//! the SSE stream, and files are edited while it runs.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};
use support::TestSite;

/// How long a rebuild may take before a test gives up (debug build, busy CI).
const PATIENCE: Duration = Duration::from_secs(20);

/// A small network with URLs fixed by `slug:`.
fn network() -> TestSite {
    let site = TestSite::new();
    site.page("_index.md", "title: 首页", "欢迎来到测试站点。\n")
        .page(
            "qingyang/_index.md",
            "title: 青羊区新时代文明实践中心\nlevel: center\nstats:\n  volunteers: 100",
            "青羊区的介绍。\n",
        )
        .page(
            "qingyang/caotang/_index.md",
            "title: 草堂路社区新时代文明实践站\nlevel: station\nstats:\n  volunteers: 20",
            "草堂路社区的介绍。\n",
        )
        .page(
            "qingyang/caotang/events/chongyang.md",
            "title: 重阳节敬老活动\ndate: 2024-10-11\nplatform: culture\nparticipants: 80",
            "志愿者为老人理发。\n",
        )
        .page(
            "qingyang/caotang/teams/laobeizi.md",
            "title: 老辈子宣讲团\nkind: lecture",
            "老党员宣讲。\n",
        )
        .page("news/_index.md", "title: 新闻", "")
        .page(
            "news/notice.md",
            "title: 通知\ndate: 2024-09-01",
            "通知正文。\n",
        );
    site
}

/// A running `yunzhan serve` (killed when dropped).
struct Server {
    child: Child,
    port: u16,
    log: Receiver<String>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yunzhan"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start yunzhan serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + PATIENCE * 3;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = log.recv_timeout(left).unwrap_or_else(|_| {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server never said where it serves:\n{}",
                    seen.join("\n")
                )
            });
            if let Some(at) = line
                .find("http://127.0.0.1:")
                .or_else(|| line.find("http://[::1]:"))
            {
                let rest = &line[at..];
                let port = rest
                    .split(':')
                    .nth(2)
                    .and_then(|p| {
                        p.trim_end_matches(|c: char| !c.is_ascii_digit())
                            .split('/')
                            .next()
                    })
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| panic!("no port in {line}"));
                seen.push(line);
                return Server { child, port, log };
            }
            seen.push(line);
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[])
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        request(self.port, method, path, headers)
    }

    /// Listens for live-reload events.
    fn listen(&self) -> Events {
        Events::connect(self.port)
    }

    /// Lines the server printed so far.
    fn printed(&self) -> Vec<String> {
        self.log.try_iter().collect()
    }

    /// GETs `path` until `ok` holds for the response (the rebuild is done).
    fn wait_for(&self, path: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never became as expected: {} {}",
                r.status,
                r.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request with the path exactly as given.
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A live-reload listener: SSE events as `(name, data)`.
struct Events {
    rx: Receiver<(String, String)>,
    _stream: TcpStream,
}

impl Events {
    fn connect(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head = format!(
            "GET /__yunzhan/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let reader = stream.try_clone().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(reader).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.strip_prefix(' ').unwrap_or(d));
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    break;
                }
            }
        });
        let events = Events {
            rx,
            _stream: stream,
        };
        let (name, _) = events.next();
        assert_eq!(name, "hello");
        events
    }

    fn next(&self) -> (String, String) {
        self.rx.recv_timeout(PATIENCE).expect("a live-reload event")
    }
}

impl Drop for Events {
    /// Closes the connection (the reader thread holds a clone of the socket).
    fn drop(&mut self) {
        let _ = self._stream.shutdown(std::net::Shutdown::Both);
    }
}

impl Events {
    /// The next event other than keep-alives, which must be `name`.
    fn expect(&self, name: &str) -> String {
        let (got, data) = self.next();
        assert_eq!(got, name, "expected `{name}`, got `{got}`: {data}");
        data
    }
}

#[test]
fn serves_pages_with_types_validators_head_and_the_404_page() {
    let site = network();
    let server = Server::start(site.root(), &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("欢迎来到测试站点"));
    assert!(
        home.text()
            .contains("<script src=\"/__yunzhan/live.js\"></script></body>"),
        "the live-reload script is injected"
    );
    let unit = server.get("/qingyang/caotang/");
    assert_eq!(unit.status, 200);
    assert!(unit.text().contains("草堂路社区新时代文明实践站"));

    for (path, ty) in [
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/data/units.json", "application/json; charset=utf-8"),
        ("/data/stats.csv", "text/csv; charset=utf-8"),
        ("/__yunzhan/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert!(
            !r.text().contains("__yunzhan/live.js\"></script>"),
            "{path}: only pages get the script"
        );
    }
    let css = server.get("/assets/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    // a folder without its slash is redirected to it
    let r = server.get("/qingyang/caotang");
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/qingyang/caotang/"));

    // HEAD: the same headers, no body
    let head = server.request("HEAD", "/qingyang/caotang/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(unit.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), unit.header("etag"));

    // ETag and If-None-Match
    let etag = unit.header("etag").expect("an ETag").to_string();
    let again = server.request("GET", "/qingyang/caotang/", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = server.request(
        "GET",
        "/qingyang/caotang/",
        &[("If-None-Match", "\"nope\"")],
    );
    assert_eq!(other.status, 200);
    let css_etag = css.header("etag").unwrap().to_string();
    let r = server.request(
        "GET",
        "/assets/style.css",
        &[("If-None-Match", &format!("\"x\", {css_etag}"))],
    );
    assert_eq!(r.status, 304);

    // the site's own 404 page, with status 404
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("页面未找到"), "{}", missing.text());
    assert!(missing.text().contains("/__yunzhan/live.js"));
}

#[test]
fn nothing_outside_the_site_and_only_get_and_head() {
    let site = network();
    site.write("static/hello.txt", "你好\n");
    std::fs::write(site.root().join("secret.txt"), "the site root's own file\n").unwrap();
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap().keep();
        std::fs::write(outside.join("passwd"), "root:x:0:0\n").unwrap();
        std::os::unix::fs::symlink(outside.join("passwd"), site.root().join("static/leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(&outside, site.root().join("static/outside")).unwrap();
        std::os::unix::fs::symlink(
            outside.join("passwd"),
            site.root().join("content/news/leak.txt"),
        )
        .unwrap();
    }
    let server = Server::start(site.root(), &[]);
    assert_eq!(server.get("/hello.txt").status, 200);
    assert_eq!(server.get("/hello.txt").text(), "你好\n");
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/news/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2E/etc/passwd",
        "/news/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/news%2f..%2f..%2fsecret.txt",
        "/%2fetc%2fpasswd",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/news/..%c0%af..%c0%afsecret.txt",
        "//etc/passwd",
        "/./index.html",
        "/%00",
        "/secret.txt",
        "/site.yaml",
        "/content/news/notice.md",
        "/leak.txt",
        "/outside/passwd",
        "/news/leak.txt",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path} must not be served");
        assert!(!r.text().contains("root:x:0:0"), "{path}");
        assert!(!r.text().contains("the site root's own file"), "{path}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let r = server.request(method, "/", &[("Content-Length", "0")]);
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
}

#[test]
fn live_reload_listeners_are_bounded() {
    let site = network();
    let server = Server::start(site.root(), &[]);
    let listeners: Vec<Events> = (0..64).map(|_| server.listen()).collect();
    let refused = server.get("/__yunzhan/live");
    assert_eq!(refused.status, 503);
    drop(listeners);
    // the permits come back once the browsers are gone
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.write_all(b"GET /__yunzhan/live HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut line = String::new();
        BufReader::new(&s).read_line(&mut line).unwrap();
        if line.contains(" 200 ") {
            break;
        }
        assert!(Instant::now() < deadline, "permits never came back: {line}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn other_addresses_than_loopback_are_announced() {
    let site = network();
    let server = Server::start(site.root(), &["--bind", "0.0.0.0"]);
    assert_eq!(server.get("/").status, 200);
    drop(server);
    let mut child = Command::new(env!("CARGO_BIN_EXE_yunzhan"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0", "--root"])
        .arg(site.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("warning: listening on 0.0.0.0:"),
        "{first}"
    );
}

const EVENT: &str = "content/qingyang/caotang/events/chongyang.md";
const EVENT_URL: &str = "/qingyang/caotang/events/chongyang/";

#[test]
fn edits_creations_deletions_renames_and_moves_show_up() {
    let site = network();
    let server = Server::start(site.root(), &[]);
    let events = server.listen();

    // edit a body
    site.write(
        EVENT,
        "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nplatform: culture\nparticipants: 80\n---\n志愿者为老人理发，还包了饺子。\n",
    );
    events.expect("reload");
    assert!(server.get(EVENT_URL).text().contains("还包了饺子"));

    // an editor's atomic save: a temporary file renamed over the original
    let tmp = site
        .root()
        .join("content/qingyang/caotang/events/.chongyang.md.swp");
    std::fs::write(
        &tmp,
        "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nplatform: culture\nparticipants: 80\n---\n原子保存的正文。\n",
    )
    .unwrap();
    std::fs::rename(&tmp, site.root().join(EVENT)).unwrap();
    events.expect("reload");
    assert!(server.get(EVENT_URL).text().contains("原子保存的正文"));

    // create an event: its page, the unit's and the listing show it
    site.page(
        "qingyang/caotang/events/laba.md",
        "title: 腊八施粥\ndate: 2025-01-07\nplatform: community",
        "社区志愿者熬粥。\n",
    );
    events.expect("reload");
    assert_eq!(server.get("/qingyang/caotang/events/laba/").status, 200);
    assert!(server.get("/qingyang/caotang/").text().contains("腊八施粥"));
    assert!(server.get("/events/").text().contains("腊八施粥"));

    // rename it
    std::fs::rename(
        site.root().join("content/qingyang/caotang/events/laba.md"),
        site.root()
            .join("content/qingyang/caotang/events/labajie.md"),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(server.get("/qingyang/caotang/events/laba/").status, 404);
    assert_eq!(server.get("/qingyang/caotang/events/labajie/").status, 200);

    // delete it
    std::fs::remove_file(
        site.root()
            .join("content/qingyang/caotang/events/labajie.md"),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(server.get("/qingyang/caotang/events/labajie/").status, 404);
    assert!(!server.get("/events/").text().contains("腊八施粥"));

    // move the whole unit folder somewhere else (a new center)
    site.page(
        "jinjiang/_index.md",
        "title: 锦江区新时代文明实践中心\nlevel: center",
        "",
    );
    events.expect("reload");
    std::fs::rename(
        site.root().join("content/qingyang/caotang"),
        site.root().join("content/jinjiang/caotang"),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(server.get("/qingyang/caotang/").status, 404);
    let moved = server.get("/jinjiang/caotang/events/chongyang/");
    assert_eq!(moved.status, 200);
    assert!(moved.text().contains("原子保存的正文"));
    assert!(server.get("/jinjiang/").text().contains("草堂路社区"));

    // a new folder of templates appears and is watched
    site.write(
        "templates/event.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ title }}</h1><p>自定义活动页</p>{% endblock main %}",
    );
    events.expect("reload");
    server.wait_for("/jinjiang/caotang/events/chongyang/", |r| {
        r.text().contains("自定义活动页")
    });
    site.write(
        "templates/event.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ title }}</h1><p>改过的活动页</p>{% endblock main %}",
    );
    events.expect("reload");
    assert!(
        server
            .get("/jinjiang/caotang/events/chongyang/")
            .text()
            .contains("改过的活动页")
    );
}

#[test]
fn mistakes_show_over_the_last_good_site_until_fixed() {
    let site = network();
    let server = Server::start(site.root(), &[]);
    let events = server.listen();
    let good = server.get(EVENT_URL).text();

    // broken YAML in the front matter
    site.write(
        EVENT,
        "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nparticipants: [80\n---\n坏了。\n",
    );
    let data = events.expect("errors");
    assert!(
        data.contains("chongyang.md:") && data.contains("error"),
        "FILE:LINE:COL: message: {data}"
    );
    assert!(
        regex_like_position(&data),
        "a line and column follow the file: {data}"
    );
    let still = server.get(EVENT_URL);
    assert_eq!(still.status, 200);
    assert_eq!(still.text(), good, "the last good page stays served");
    // a browser that connects now is told at once
    let late = server.listen();
    late.expect("errors");

    // a broken template too: both files are named
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ oops( }}{% endblock main %}",
    );
    let data = events.expect("errors");
    assert!(data.contains("page.html:"), "{data}");
    assert!(data.contains("chongyang.md:"), "{data}");

    // fix both: reload, and the new text is there
    std::fs::remove_file(site.root().join("templates/page.html")).unwrap();
    site.write(
        EVENT,
        "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nparticipants: 80\n---\n修好了。\n",
    );
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (name, _) = events.next();
        if name == "reload" {
            break;
        }
        assert!(Instant::now() < deadline);
    }
    assert!(server.get(EVENT_URL).text().contains("修好了"));
    let printed = server.printed().join("\n");
    assert!(
        printed.contains("still serving the last good build"),
        "{printed}"
    );
}

/// Whether `data` has `.md:LINE:COL:`.
fn regex_like_position(data: &str) -> bool {
    data.split(".md:").skip(1).any(|rest| {
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let col = parts.next().unwrap_or("");
        !line.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && !col.is_empty()
            && col.chars().all(|c| c.is_ascii_digit())
    })
}

#[test]
fn a_style_edit_swaps_the_stylesheet_without_a_reload() {
    let site = network();
    site.write(
        "themes/default/styles/zz.css",
        ".brand { margin-left: 13px; }\n",
    );
    let server = Server::start(site.root(), &[]);
    let events = server.listen();
    let page_before = server.get("/").text();
    site.write(
        "themes/default/styles/zz.css",
        ".brand { margin-left: 17px; }\n",
    );
    events.expect("css");
    // (the theme's pipeline rewrites colours, so the test edits a length)
    let css = server.get("/assets/style.css").text();
    assert!(css.contains("17px") && !css.contains("13px"), "{css}");
    assert_eq!(server.get("/").text(), page_before, "pages are untouched");
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let site = network();
    site.build_ok();
    let home = site.read("index.html");
    assert!(!home.contains("__yunzhan"));
}
