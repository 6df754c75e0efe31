//! `yunzhan serve` in a real browser: Debian's headless Chromium driven over
//! the DevTools protocol (chromiumoxide) sees edits without a manual reload,
//! keeps the scroll position, shows an overlay for a broken file with its
//! FILE:LINE:COL and drops it once the file is fixed.

mod support;

use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::TestSite;

/// Where Debian installs Chromium (`apt-get install chromium`; `.ci/run` does).
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long a rebuild and reload may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(20);

const EVENT: &str = "content/qingyang/caotang/events/chongyang.md";
const EVENT_URL: &str = "qingyang/caotang/events/chongyang/";
const FRONT: &str =
    "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nplatform: culture\nparticipants: 80\n---\n";

/// A long body, so that there is somewhere to scroll to.
fn body(first: &str) -> String {
    let mut text = format!("{first}\n\n");
    for i in 0..60 {
        text.push_str(&format!(
            "第{i}段：志愿者为社区老人理发、测血压、读报。\n\n"
        ));
    }
    text
}

/// `yunzhan serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yunzhan"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start yunzhan serve");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE * 3;
        loop {
            let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server never said where it serves");
            };
            if let Some(at) = line.find("http://127.0.0.1:") {
                let url = line[at..].split_whitespace().next().unwrap().to_string();
                return Server { child, url };
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Evaluates `js` until it gives `true` (errors while the page reloads count as not yet).
async fn until(page: &Page, js: &str, what: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(r) = page.evaluate(js).await
            && r.into_value::<bool>().unwrap_or(false)
        {
            return;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn eval<T: serde::de::DeserializeOwned>(page: &Page, js: &str) -> T {
    page.evaluate(js)
        .await
        .expect("evaluates")
        .into_value()
        .expect("of the expected type")
}

#[test]
fn a_browser_sees_edits_errors_and_fixes_without_a_manual_reload() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "this test needs Debian's chromium at {CHROMIUM}: apt-get install chromium (see .ci/run)"
    );
    let site = TestSite::new();
    site.page("_index.md", "title: 首页", "欢迎。\n")
        .page(
            "qingyang/_index.md",
            "title: 青羊区新时代文明实践中心\nlevel: center",
            "",
        )
        .page(
            "qingyang/caotang/_index.md",
            "title: 草堂路社区新时代文明实践站\nlevel: station",
            "",
        )
        .write(EVENT, &format!("{FRONT}{}", body("志愿者为老人理发。")));
    let server = Server::start(site.root());
    let profile = tempfile::tempdir().unwrap();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1000, 700)
            .arg("--disable-gpu")
            .arg("--disable-dev-shm-usage")
            .build()
            .unwrap();
        let (mut browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });

        let page = browser
            .new_page(format!("{}{EVENT_URL}", server.url))
            .await
            .expect("the page opens");
        until(
            &page,
            "document.documentElement.getAttribute('data-yunzhan-live') === 'connected'",
            "the live-reload connection",
        )
        .await;
        page.evaluate("window.scrollTo(0, 600)").await.unwrap();
        until(&page, "window.scrollY === 600", "the scroll").await;

        // an edit shows up by itself, at the same scroll position
        site.write(EVENT, &format!("{FRONT}{}", body("志愿者还为老人包了饺子。")));
        until(
            &page,
            "document.body.innerText.includes('包了饺子')",
            "the edited text",
        )
        .await;
        until(&page, "window.scrollY === 600", "the scroll position kept").await;

        // broken YAML: the last good page stays, under an overlay naming file and line
        site.write(
            EVENT,
            "---\ntitle: 重阳节敬老活动\ndate: 2024-10-11\nparticipants: [80\n---\n坏了。\n",
        );
        until(
            &page,
            "!!document.getElementById('yunzhan-overlay')",
            "the error overlay",
        )
        .await;
        let overlay: String = eval(
            &page,
            "document.getElementById('yunzhan-overlay').innerText",
        )
        .await;
        let located = overlay.lines().any(|l| {
            l.split(": error:").next().is_some_and(|place| {
                let mut parts = place.rsplitn(3, ':');
                let (col, line, file) = (parts.next(), parts.next(), parts.next());
                file.is_some_and(|f| f.ends_with("content/qingyang/caotang/events/chongyang.md"))
                    && line.and_then(|l| l.parse::<u32>().ok()).is_some_and(|l| l >= 2)
                    && col.and_then(|c| c.parse::<u32>().ok()).is_some()
            })
        });
        assert!(located, "no FILE:LINE:COL in the overlay:\n{overlay}");
        assert!(eval::<bool>(&page, "document.body.innerText.includes('包了饺子')").await);

        // fixed: the overlay goes and the page shows the fix
        site.write(EVENT, &format!("{FRONT}{}", body("修好了，活动照常。")));
        until(
            &page,
            "!document.getElementById('yunzhan-overlay') && document.body.innerText.includes('修好了')",
            "the fixed page without the overlay",
        )
        .await;

        browser.close().await.ok();
        browser.wait().await.ok();
        events.abort();
    });
}
