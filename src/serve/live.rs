//! Live reload: what the server tells browsers, the Server-Sent Events
//! stream it tells them over, and the script it adds to every page it serves
//! (and to nothing `build` writes).

use std::sync::Arc;

/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__yunzhan/live.js";
/// Where browsers listen for events.
pub const EVENTS_PATH: &str = "/__yunzhan/live";
/// The script: reloads at the same scroll position, swaps stylesheets, shows errors.
pub const SCRIPT: &str = include_str!("live.js");
/// At most this many browsers listen at once (each holds a connection).
pub const MAX_CLIENTS: usize = 64;

/// The tag added before `</body>` of every HTML page served.
const TAG: &[u8] = b"<script src=\"/__yunzhan/live.js\"></script>";

/// What browsers are told.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// The pages changed: reload (data: what the rebuild did, for tools).
    Reload(Arc<str>),
    /// Only stylesheets changed: swap them.
    Styles,
    /// The site has errors (`FILE:LINE:COL: error: message` each): show them.
    Errors(Arc<Vec<String>>),
}

impl LiveEvent {
    /// The SSE event name and data.
    pub fn parts(&self) -> (&'static str, String) {
        match self {
            LiveEvent::Reload(info) => ("reload", info.to_string()),
            LiveEvent::Styles => ("css", String::new()),
            LiveEvent::Errors(list) => (
                "errors",
                serde_json::to_string(list.as_ref()).unwrap_or_else(|_| "[]".into()),
            ),
        }
    }
}

/// `html` with the live-reload script added before its last `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(6)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG);
    out.extend_from_slice(&html[at..]);
    out
}

/// The page served while the site has never built without errors.
pub fn waiting_page() -> Vec<u8> {
    inject(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>yunzhan</title></head>\
         <body><h1>站点还有错误</h1><p>The site has errors: fix them and this page reloads by itself.</p></body></html>\n"
            .as_bytes(),
    )
}

/// The 404 page of a site without `404.html`.
pub fn plain_not_found() -> Vec<u8> {
    inject(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>404</title></head>\
         <body><h1>页面未找到</h1><p>404: not found</p></body></html>\n"
            .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>a</p></BODY></html>");
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "<html><body><p>a</p><script src=\"/__yunzhan/live.js\"></script></BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>no body end</p>")).unwrap();
        assert!(out.ends_with("</p><script src=\"/__yunzhan/live.js\"></script>"));
    }

    #[test]
    fn errors_travel_as_json() {
        let e = LiveEvent::Errors(Arc::new(vec!["content/a.md:2:1: error: x".into()]));
        assert_eq!(
            e.parts(),
            ("errors", "[\"content/a.md:2:1: error: x\"]".into())
        );
    }
}
