//! Headless Chromium for tests, over the DevTools protocol (chromiumoxide):
//! a tiny static HTTP server for a built site, a browser with a fresh
//! profile, and tabs that record console errors, failed requests and bytes
//! received while a test types and waits.
//!
//! Needs Debian's `/usr/bin/chromium` (or `CHROMIUM=path`); `.ci/run`
//! installs it.
#![allow(dead_code)]

use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventResponseReceived,
};
use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// A static file server

/// Serves a folder on `127.0.0.1` (a free port) until dropped: `GET` only,
/// `/dir/` → `dir/index.html`, `/dir` → redirect to `/dir/`, 404 otherwise,
/// like a plain static host.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || serve(stream, &root));
                }
            }
        });
        StaticServer {
            url: format!("http://{addr}/"),
            stop,
            addr,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wake the accept loop
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "wasm" => "application/wasm",
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

fn serve(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file: PathBuf = root.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != "..") {
        file.push(part);
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            let _ = write!(
                stream,
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {path}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return;
        }
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            );
            let _ = stream.write_all(&body);
        }
        Err(_) => {
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The browser

/// A headless Chromium with its own throw-away profile.
pub struct Chromium {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

/// The Chromium binary: `$CHROMIUM`, else Debian's.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

impl Chromium {
    /// Starts Chromium headless with quiet, offline-friendly flags.
    pub async fn launch() -> Chromium {
        let profile = tempfile::tempdir().expect("profile dir");
        let config = BrowserConfig::builder()
            .chrome_executable(chromium_path())
            .disable_default_args()
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1200, 900)
            .args([
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ])
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config)
            .await
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium_path().display()));
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    continue;
                }
            }
        });
        Chromium {
            browser,
            handler,
            _profile: profile,
        }
    }

    /// Opens `url` in a new tab that records what goes wrong.
    pub async fn open(&self, url: &str) -> Tab {
        let page = self.browser.new_page("about:blank").await.expect("new tab");
        let log = Arc::new(Mutex::new(Log::default()));
        listen(&page, &log).await;
        page.goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        Tab { page, log }
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// What a tab saw.
#[derive(Debug, Default)]
pub struct Log {
    pub console_errors: Vec<String>,
    pub failed_requests: Vec<String>,
    /// URL and bytes received of every finished request, in order.
    pub received: Vec<(String, f64)>,
    urls: HashMap<String, String>,
}

async fn listen(page: &Page, log: &Arc<Mutex<Log>>) {
    let mut console = page
        .event_listener::<EventConsoleApiCalled>()
        .await
        .expect("console events");
    let mut exceptions = page
        .event_listener::<EventExceptionThrown>()
        .await
        .expect("exception events");
    let mut responses = page
        .event_listener::<EventResponseReceived>()
        .await
        .expect("response events");
    let mut finished = page
        .event_listener::<EventLoadingFinished>()
        .await
        .expect("loading events");
    let mut failed = page
        .event_listener::<EventLoadingFailed>()
        .await
        .expect("failure events");
    let l = log.clone();
    tokio::spawn(async move {
        while let Some(e) = console.next().await {
            if format!("{:?}", e.r#type).to_lowercase().contains("error") {
                let text: Vec<String> = e
                    .args
                    .iter()
                    .map(|a| {
                        a.value
                            .as_ref()
                            .map(|v| v.to_string())
                            .or(a.description.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                l.lock().unwrap().console_errors.push(text.join(" "));
            }
        }
    });
    let l = log.clone();
    tokio::spawn(async move {
        while let Some(e) = exceptions.next().await {
            let d = &e.exception_details;
            let text = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            l.lock().unwrap().console_errors.push(text);
        }
    });
    let l = log.clone();
    tokio::spawn(async move {
        while let Some(e) = responses.next().await {
            let mut log = l.lock().unwrap();
            let url = e.response.url.clone();
            if e.response.status >= 400 && !url.ends_with("/favicon.ico") {
                log.failed_requests
                    .push(format!("{url}: HTTP {}", e.response.status));
            }
            log.urls.insert(e.request_id.inner().clone(), url);
        }
    });
    let l = log.clone();
    tokio::spawn(async move {
        while let Some(e) = finished.next().await {
            let mut log = l.lock().unwrap();
            let url = log
                .urls
                .get(e.request_id.inner())
                .cloned()
                .unwrap_or_default();
            log.received.push((url, e.encoded_data_length));
        }
    });
    let l = log.clone();
    tokio::spawn(async move {
        while let Some(e) = failed.next().await {
            let mut log = l.lock().unwrap();
            let url = log
                .urls
                .get(e.request_id.inner())
                .cloned()
                .unwrap_or_else(|| e.request_id.inner().clone());
            if !url.ends_with("/favicon.ico") {
                log.failed_requests.push(format!("{url}: {}", e.error_text));
            }
        }
    });
}

/// A tab of [`Chromium`].
pub struct Tab {
    pub page: Page,
    pub log: Arc<Mutex<Log>>,
}

impl Tab {
    /// Evaluates a JavaScript expression and returns its (JSON) value.
    pub async fn eval<T: serde::de::DeserializeOwned>(&self, js: &str) -> T {
        self.page
            .evaluate(js)
            .await
            .unwrap_or_else(|e| panic!("evaluating `{js}`: {e}"))
            .into_value()
            .unwrap_or_else(|e| panic!("value of `{js}`: {e}"))
    }

    /// Waits until the JavaScript expression `condition` is true.
    pub async fn wait_until(&self, condition: &str, timeout: Duration) {
        let start = Instant::now();
        loop {
            let js = format!("!!({condition})");
            let ok = match self.page.evaluate(js.as_str()).await {
                Ok(v) => v.into_value::<bool>().unwrap_or(false),
                Err(_) => false, // navigating
            };
            if ok {
                return;
            }
            if start.elapsed() > timeout {
                let url = self.page.url().await.ok().flatten().unwrap_or_default();
                panic!(
                    "timed out after {timeout:?} waiting for `{condition}` on {url}\nconsole errors: {:?}\nfailed requests: {:?}",
                    self.console_errors(),
                    self.failed_requests()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until an element matches `css`.
    pub async fn wait_for_selector(&self, css: &str) {
        let js = format!("document.querySelector({})", js_string(css));
        self.wait_until(&js, Duration::from_secs(20)).await;
    }

    /// Focuses the element matching `css` and types `text` as a person
    /// would: ASCII key by key, anything else (Chinese) committed at once as
    /// an input method does.
    pub async fn type_text(&self, css: &str, text: &str) {
        let element = self
            .page
            .find_element(css)
            .await
            .unwrap_or_else(|e| panic!("no `{css}`: {e}"));
        element.focus().await.expect("focus");
        let mut pending = String::new();
        for c in text.chars() {
            if c.is_ascii_graphic() || c == ' ' {
                if !pending.is_empty() {
                    self.insert_text(&std::mem::take(&mut pending)).await;
                }
                element
                    .type_str(c.to_string())
                    .await
                    .unwrap_or_else(|e| panic!("typing {c:?}: {e}"));
            } else {
                pending.push(c);
            }
        }
        if !pending.is_empty() {
            self.insert_text(&pending).await;
        }
    }

    async fn insert_text(&self, text: &str) {
        self.page
            .execute(InsertTextParams::new(text))
            .await
            .unwrap_or_else(|e| panic!("inserting {text:?}: {e}"));
    }

    /// Presses a named key (`Enter`, `ArrowDown`…) in the focused element.
    pub async fn press(&self, css: &str, key: &str) {
        let element = self
            .page
            .find_element(css)
            .await
            .unwrap_or_else(|e| panic!("no `{css}`: {e}"));
        element
            .press_key(key)
            .await
            .unwrap_or_else(|e| panic!("pressing {key}: {e}"));
    }

    /// Empties an input (as select-all + delete would).
    pub async fn clear(&self, css: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); e.value = ''; e.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()",
            js_string(css)
        );
        let _: bool = self.eval(&js).await;
    }

    pub fn console_errors(&self) -> Vec<String> {
        self.log.lock().unwrap().console_errors.clone()
    }

    pub fn failed_requests(&self) -> Vec<String> {
        self.log.lock().unwrap().failed_requests.clone()
    }

    /// Everything received so far: (URL, bytes).
    pub fn received(&self) -> Vec<(String, f64)> {
        self.log.lock().unwrap().received.clone()
    }

    /// Forgets what was received so far (to measure one step).
    pub fn reset_received(&self) {
        self.log.lock().unwrap().received.clear();
    }

    /// Fails the test if the page logged errors or a request failed.
    pub fn assert_clean(&self) {
        let (errors, failed) = (self.console_errors(), self.failed_requests());
        assert!(
            errors.is_empty() && failed.is_empty(),
            "console errors: {errors:?}\nfailed requests: {failed:?}"
        );
    }
}

/// A JavaScript string literal.
pub fn js_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `file://` URL of a path.
pub fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).expect("absolute path");
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}
