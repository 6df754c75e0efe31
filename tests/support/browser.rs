//! Browser tests: Debian's headless Chromium driven over the DevTools protocol
//! (chromiumoxide), and a tiny static HTTP server for a built site.
//!
//! Use it from a test file with
//!
//! ```ignore
//! #[path = "support/browser.rs"]
//! mod browser;
//! use browser::{chromium, StaticServer, PHONE, DESKTOP};
//!
//! #[test]
//! fn the_home_page_loads() {
//!     let server = StaticServer::start(site_output_folder);
//!     chromium().run(async {
//!         let tab = chromium().open(&server.url("/"), DESKTOP).await;
//!         assert_eq!(tab.eval::<String>("document.title").await, "…");
//!         assert!(tab.problems().is_empty(), "{:?}", tab.problems());
//!         tab.close().await;
//!     });
//! }
//! ```
//!
//! (Included by path rather than from `support/mod.rs`, so test binaries that
//! drive no browser don't compile it.)
//!
//! One Chromium serves every test of a test binary: it starts on first use and
//! is killed when the binary exits. Each [`Tab`] records what went wrong while
//! it was open: console errors, uncaught exceptions, failed requests and HTTP
//! error statuses ([`Tab::problems`]).
#![allow(dead_code)]

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
};
use chromiumoxide::cdp::browser_protocol::input::{DispatchKeyEventParams, DispatchKeyEventType};
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::{EventLoadingFailed, EventResponseReceived};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Where Debian installs Chromium (`apt-get install chromium`; `.ci/run` does).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A window size, and whether the page should be laid out as on a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub mobile: bool,
}

/// An iPhone 12-14 sized screen.
pub const PHONE: Viewport = Viewport {
    width: 390,
    height: 844,
    mobile: true,
};
/// A common laptop screen.
pub const DESKTOP: Viewport = Viewport {
    width: 1366,
    height: 900,
    mobile: false,
};

impl Viewport {
    /// `390x844`, for file names.
    pub fn name(&self) -> String {
        format!("{}x{}", self.width, self.height)
    }
}

/// The shared headless Chromium and the runtime its connection lives on.
pub struct Chromium {
    runtime: tokio::runtime::Runtime,
    browser: Browser,
}

static CHROMIUM_PID: AtomicI32 = AtomicI32::new(0);
static PROFILE: OnceLock<PathBuf> = OnceLock::new();

/// Kills Chromium and removes its profile when the test binary exits (statics
/// are never dropped, so `Browser`'s own clean-up would not run).
extern "C" fn kill_chromium() {
    let pid = CHROMIUM_PID.load(Ordering::SeqCst);
    if pid > 0 {
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    if let Some(dir) = PROFILE.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The Chromium of this test binary, launched on first use. Panics with what
/// to install when Chromium is missing.
pub fn chromium() -> &'static Chromium {
    static SHARED: OnceLock<Chromium> = OnceLock::new();
    SHARED.get_or_init(|| {
        assert!(
            Path::new(CHROMIUM).exists(),
            "browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium (see .ci/run)"
        );
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-profile-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).expect("a profile folder");
        let _ = PROFILE.set(profile.clone());
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .disable_default_args()
            .no_sandbox()
            .user_data_dir(&profile)
            .viewport(None)
            .request_timeout(Duration::from_secs(30))
            .args([
                "--headless",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--mute-audio",
                "--font-render-hinting=none",
            ])
            .build()
            .expect("a browser configuration");
        let browser = runtime.block_on(async {
            let (mut browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
            tokio::spawn(async move { while handler.next().await.is_some() {} });
            if let Some(child) = browser.get_mut_child()
                && let Some(pid) = child.as_mut_inner().id() {
                    CHROMIUM_PID.store(pid as i32, Ordering::SeqCst);
                }
            browser
        });
        unsafe {
            libc::atexit(kill_chromium);
        }
        Chromium { runtime, browser }
    })
}

impl Chromium {
    /// Runs async test code on the browser's runtime (tests are plain `#[test]`s).
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// A new tab at `viewport`, listening for problems, showing `url`.
    pub async fn open(&self, url: &str, viewport: Viewport) -> Tab {
        let page = self
            .browser
            .new_page("about:blank")
            .await
            .expect("a new tab");
        let tab = Tab::new(page, viewport).await;
        tab.goto(url).await;
        tab
    }
}

/// What went wrong in a tab, as readable lines.
#[derive(Default)]
struct Problems {
    lines: Vec<String>,
}

/// One browser tab.
pub struct Tab {
    pub page: Page,
    problems: Arc<Mutex<Problems>>,
    listeners: Vec<tokio::task::JoinHandle<()>>,
}

impl Tab {
    async fn new(page: Page, viewport: Viewport) -> Tab {
        let problems = Arc::new(Mutex::new(Problems::default()));
        let mut listeners = Vec::new();
        let note = |p: &Arc<Mutex<Problems>>, line: String| p.lock().unwrap().lines.push(line);

        let mut console = page
            .event_listener::<EventConsoleApiCalled>()
            .await
            .expect("console events");
        let p = problems.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(e) = console.next().await {
                if matches!(
                    e.r#type,
                    ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert
                ) {
                    let text: Vec<String> = e
                        .args
                        .iter()
                        .map(|a| {
                            a.value.as_ref().map_or_else(
                                || a.description.clone().unwrap_or_default(),
                                |v| v.to_string(),
                            )
                        })
                        .collect();
                    note(&p, format!("console error: {}", text.join(" ")));
                }
            }
        }));
        let mut exceptions = page
            .event_listener::<EventExceptionThrown>()
            .await
            .expect("exception events");
        let p = problems.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(e) = exceptions.next().await {
                let d = &e.exception_details;
                let what = d
                    .exception
                    .as_ref()
                    .and_then(|x| x.description.clone())
                    .unwrap_or_else(|| d.text.clone());
                note(&p, format!("uncaught exception: {what}"));
            }
        }));
        let mut log = page
            .event_listener::<EventEntryAdded>()
            .await
            .expect("log events");
        let p = problems.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(e) = log.next().await {
                if e.entry.level == LogEntryLevel::Error {
                    let url = e.entry.url.clone().unwrap_or_default();
                    note(&p, format!("log error: {} {url}", e.entry.text));
                }
            }
        }));
        let mut failed = page
            .event_listener::<EventLoadingFailed>()
            .await
            .expect("network events");
        let p = problems.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(e) = failed.next().await {
                if e.canceled != Some(true) {
                    note(
                        &p,
                        format!(
                            "request failed: {} ({})",
                            e.request_id.inner(),
                            e.error_text
                        ),
                    );
                }
            }
        }));
        let mut responses = page
            .event_listener::<EventResponseReceived>()
            .await
            .expect("network events");
        let p = problems.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(e) = responses.next().await {
                if e.response.status >= 400 {
                    note(
                        &p,
                        format!("HTTP {}: {}", e.response.status, e.response.url),
                    );
                }
            }
        }));
        let _ = page.enable_log().await;

        let tab = Tab {
            page,
            problems,
            listeners,
        };
        tab.resize(viewport).await;
        tab
    }

    /// Lays the page out at `viewport` (device metrics override).
    pub async fn resize(&self, viewport: Viewport) {
        self.page
            .execute(
                SetDeviceMetricsOverrideParams::builder()
                    .width(viewport.width)
                    .height(viewport.height)
                    .device_scale_factor(1.0)
                    .mobile(viewport.mobile)
                    .build()
                    .expect("device metrics"),
            )
            .await
            .expect("the viewport is set");
    }

    /// Emulates `prefers-color-scheme: dark` (or light again).
    pub async fn dark(&self, on: bool) {
        let feature = MediaFeature::new("prefers-color-scheme", if on { "dark" } else { "light" });
        self.page
            .execute(
                SetEmulatedMediaParams::builder()
                    .features(vec![feature])
                    .build(),
            )
            .await
            .expect("media emulation");
    }

    /// Navigates and waits for the load event (and the deferred scripts).
    pub async fn goto(&self, url: &str) {
        self.page
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        // `load` has fired; let deferred work and late requests settle (no
        // requestAnimationFrame: a tab in the background never runs it)
        let _: bool = self
            .eval("new Promise(r => setTimeout(() => r(true), 30))")
            .await;
    }

    /// Evaluates a JavaScript expression (promises are awaited) and returns its value.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        let result = self
            .page
            .evaluate(js)
            .await
            .unwrap_or_else(|e| panic!("`{}` failed: {e}", short(js)));
        result
            .into_value()
            .unwrap_or_else(|e| panic!("`{}` returned something else: {e}", short(js)))
    }

    /// Presses and releases a key (`Enter`, `ArrowRight`, `Escape`, `Tab`…) in
    /// the focused element.
    pub async fn press(&self, key: &str) {
        let def = chromiumoxide::keys::get_key_definition(key)
            .unwrap_or_else(|| panic!("unknown key {key}"));
        let mut down = DispatchKeyEventParams::builder()
            .key(def.key)
            .code(def.code)
            .windows_virtual_key_code(def.key_code)
            .native_virtual_key_code(def.key_code);
        let kind = match def.text {
            Some(text) => {
                down = down.text(text);
                DispatchKeyEventType::KeyDown
            }
            None => DispatchKeyEventType::RawKeyDown,
        };
        let up = down
            .clone()
            .r#type(DispatchKeyEventType::KeyUp)
            .build()
            .expect("a key event");
        self.page
            .execute(down.r#type(kind).build().expect("a key event"))
            .await
            .expect("key down");
        self.page.execute(up).await.expect("key up");
    }

    /// A PNG of the whole page, saved at `path` (folders made as needed).
    pub async fn screenshot(&self, path: &Path) {
        let png = self
            .page
            .screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(true)
                    .capture_beyond_viewport(true)
                    .build(),
            )
            .await
            .expect("a screenshot");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the screenshot folder");
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// Everything that went wrong since the tab opened.
    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().lines.clone()
    }

    /// Forgets the problems seen so far (before visiting the next page).
    pub fn clear_problems(&self) {
        self.problems.lock().unwrap().lines.clear();
    }

    pub async fn close(self) {
        for l in &self.listeners {
            l.abort();
        }
        let _ = self.page.close().await;
    }
}

fn short(js: &str) -> String {
    js.chars().take(80).collect()
}

/// Screenshots kept as test artifacts: `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .join("screenshots")
}

/// A file of an npm package of `tests/browser/package.json` (axe-core, vnu-jar).
/// The first call installs them from the lock file (`npm ci`), so a fresh
/// clone needs nothing more than `cargo test`.
pub fn node_module(path: &str) -> PathBuf {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    INSTALLED.get_or_init(|| {
        if folder.join("node_modules/.package-lock.json").exists() {
            return;
        }
        // --ignore-scripts: vnu-jar's install script would fetch a Java runtime
        let status = std::process::Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(&folder)
            .status()
            .expect("npm runs (Debian: apt-get install npm)");
        assert!(status.success(), "npm ci --prefix tests/browser failed");
    });
    let file = folder.join("node_modules").join(path);
    assert!(file.exists(), "{} is missing after npm ci", file.display());
    file
}

/// A static HTTP server for one folder on 127.0.0.1, on a free port; it stops
/// when dropped. `/x/` serves `x/index.html`, a missing file `404.html` with
/// status 404.
pub struct StaticServer {
    pub origin: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: impl Into<PathBuf>) -> StaticServer {
        let root = root.into();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        std::thread::spawn(move || {
                            let _ = serve(stream, &root);
                        });
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        StaticServer {
            origin,
            stop,
            thread: Some(thread),
        }
    }

    /// The absolute URL of a site path (`/map/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "mp4" => "video/mp4",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers one request (`Connection: close`).
fn serve(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // skip the headers
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file = root.join(path.trim_start_matches('/'));
    let safe = !path.split('/').any(|s| s == "..");
    if safe && file.is_dir() {
        if !path.ends_with('/') {
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {target}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
        file = file.join("index.html");
    }
    let (status, file) = if safe && file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let mut body = Vec::new();
    if let Ok(mut f) = std::fs::File::open(&file) {
        f.read_to_end(&mut body)?;
    }
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
