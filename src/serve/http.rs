//! The HTTP side: GET and HEAD of the site in memory, ETags, the site's 404
//! page, and the live-reload endpoints.

use super::live::{self, LiveEvent};
use super::site::{Entry, Lookup, Snapshot};
use crate::session::Served;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::{Semaphore, broadcast};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeFile;

/// How often an idle live-reload stream sends a comment: a browser that went
/// away is noticed (and its permit released) by the next one.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(2);

/// What the server and the builder share.
pub struct Shared {
    /// The last good site.
    pub site: RwLock<Arc<Snapshot>>,
    /// The errors of the last build (empty when it was good).
    pub errors: RwLock<Arc<Vec<String>>>,
    pub events: broadcast::Sender<LiveEvent>,
    /// Permits for live-reload listeners.
    pub clients: Arc<Semaphore>,
    /// Changes with every start, so browsers notice a restarted server.
    pub id: String,
    /// Folders that published files may come from (canonical): the site root
    /// and the cache; a file that resolves elsewhere (a symlink out) is not served.
    pub allowed: Vec<PathBuf>,
}

impl Shared {
    pub fn new(allowed: Vec<PathBuf>) -> Shared {
        let (events, _) = broadcast::channel(64);
        let id = blake3::hash(
            format!("{:?}{}", std::time::SystemTime::now(), std::process::id()).as_bytes(),
        )
        .to_hex()[..12]
            .to_string();
        Shared {
            site: RwLock::new(Arc::new(Snapshot::default())),
            errors: RwLock::new(Arc::new(Vec::new())),
            events,
            clients: Arc::new(Semaphore::new(live::MAX_CLIENTS)),
            id,
            allowed,
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn current_errors(&self) -> Arc<Vec<String>> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The application: every path goes to [`handle`]; a panic becomes a 500, never a crash.
pub fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(shared)
        .layer(CatchPanicLayer::new())
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD\n",
            &[(header::ALLOW, "GET, HEAD")],
        );
    }
    let path = request.uri().path().to_string();
    if path == live::EVENTS_PATH {
        return events(&shared);
    }
    if path == live::SCRIPT_PATH {
        let etag = format!(
            "\"{}\"",
            &blake3::hash(live::SCRIPT.as_bytes()).to_hex()[..20]
        );
        return respond(
            request.headers(),
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            &etag,
            Body::from(live::SCRIPT),
        );
    }
    let site = shared.snapshot();
    match site.lookup(&path) {
        Lookup::Found(key) => {
            let entry = site.get(key).expect("looked up").clone();
            serve(&shared, entry, request, StatusCode::OK).await
        }
        Lookup::Redirect(to) => {
            let location = match request.uri().query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut r = plain(StatusCode::PERMANENT_REDIRECT, "", &[]);
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::NotFound => not_found(&shared, &site, request).await,
    }
}

/// A published file, with the live-reload script when it is a page.
async fn serve(shared: &Shared, entry: Entry, request: Request, status: StatusCode) -> Response {
    let html = entry.is_html();
    // the served bytes carry the script: a validator of their own
    let etag = if html {
        format!("{}-live\"", entry.etag.trim_end_matches('"'))
    } else {
        entry.etag.clone()
    };
    match &entry.served {
        Served::Bytes(bytes) => {
            let body = if html {
                Body::from(live::inject(bytes))
            } else {
                Body::from(bytes.clone())
            };
            respond_with_status(request.headers(), status, entry.content_type, &etag, body)
        }
        Served::File { path, .. } => {
            if !allowed(shared, path) {
                return not_found(shared, &shared.snapshot(), request).await;
            }
            if status == StatusCode::OK && matches(request.headers(), &etag) {
                return not_modified(&etag);
            }
            let (parts, _) = request.into_parts();
            let request = Request::from_parts(parts, Body::empty());
            let mut response = match ServeFile::new(path).oneshot(request).await {
                Ok(r) => r.map(Body::new),
                Err(never) => match never {},
            };
            if response.status().is_success() {
                let h = response.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(entry.content_type),
                );
                if let Ok(v) = HeaderValue::from_str(&etag) {
                    h.insert(header::ETAG, v);
                }
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                h.insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
            }
            response
        }
    }
}

/// Whether a file published as it is lies inside the site (or the cache) once symlinks are followed.
fn allowed(shared: &Shared, path: &std::path::Path) -> bool {
    match path.canonicalize() {
        Ok(real) => shared.allowed.iter().any(|a| real.starts_with(a)),
        Err(_) => false,
    }
}

/// The site's own 404 page (with status 404), or a plain one.
async fn not_found(shared: &Shared, site: &Snapshot, request: Request) -> Response {
    if site.is_empty() {
        // no good build yet: a page that shows the errors and waits
        let mut r = Response::new(Body::from(live::waiting_page()));
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        set_common(r.headers_mut(), "text/html; charset=utf-8");
        return r;
    }
    match site.get("404.html") {
        Some(entry) => Box::pin(serve(shared, entry.clone(), request, StatusCode::NOT_FOUND)).await,
        None => {
            let mut r = Response::new(Body::from(live::plain_not_found()));
            *r.status_mut() = StatusCode::NOT_FOUND;
            set_common(r.headers_mut(), "text/html; charset=utf-8");
            r
        }
    }
}

/// The live-reload stream: `hello`, the current errors if any, then every event.
fn events(shared: &Shared) -> Response {
    let Ok(permit) = shared.clients.clone().try_acquire_owned() else {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live-reload clients\n",
            &[],
        );
    };
    let receiver = shared.events.subscribe();
    let mut first = vec![Event::default().event("hello").data(shared.id.clone())];
    let errors = shared.current_errors();
    if !errors.is_empty() {
        let (name, data) = LiveEvent::Errors(errors).parts();
        first.push(Event::default().event(name).data(data));
    }
    let updates = BroadcastStream::new(receiver).map(move |e| {
        let _held = &permit; // released when the browser goes away
        let event = e.unwrap_or_else(|_lagged| LiveEvent::Reload("{}".into()));
        let (name, data) = event.parts();
        Event::default().event(name).data(data)
    });
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .map(Ok::<Event, Infallible>);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == bare)
}

fn not_modified(etag: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NOT_MODIFIED;
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn respond(
    headers: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    etag: &str,
    body: Body,
) -> Response {
    respond_with_status(headers, status, content_type, etag, body)
}

/// A response with validators; `304` when the browser has it already (for `200`s).
fn respond_with_status(
    headers: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    etag: &str,
    body: Body,
) -> Response {
    if status == StatusCode::OK && matches(headers, etag) {
        return not_modified(etag);
    }
    let mut r = Response::new(body);
    *r.status_mut() = status;
    set_common(r.headers_mut(), content_type);
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

fn set_common(h: &mut HeaderMap, content_type: &'static str) {
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // always ask again: the ETag makes asking cheap, and edits show at once
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn plain(
    status: StatusCode,
    text: &'static str,
    extra: &[(header::HeaderName, &'static str)],
) -> Response {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    set_common(r.headers_mut(), "text/plain; charset=utf-8");
    for (k, v) in extra {
        r.headers_mut()
            .insert(k.clone(), HeaderValue::from_static(v));
    }
    r
}
