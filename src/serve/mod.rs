//! `yunzhan serve`: build the site into memory, serve it over HTTP, watch its
//! files, rebuild what changed and reload the browsers that show it.
//!
//! Three parts run side by side:
//! - the **builder** thread owns the [`Session`]: it takes the watcher's
//!   batches of changed paths, updates the site and publishes the result;
//! - the **server** (axum on tokio) answers from the last good [`Snapshot`]
//!   and streams live-reload events;
//! - the **watcher** (notify) feeds the builder.
//!
//! Nothing is written to disk: the output folder is left alone, so `serve`
//! and `build` can run side by side. A build with errors keeps the last good
//! site served and shows the errors over the page.

mod http;
pub mod live;
pub mod site;
pub mod watch;

use crate::diagnostics::Diagnostic;
use crate::render::StyleName;
use crate::session::{Mode, Session, SessionOptions, Update};
use http::Shared;
use live::LiveEvent;
use site::Snapshot;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use watch::{Batch, Watch};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root (the folder of `site.yaml`).
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Publish drafts too.
    pub drafts: bool,
}

/// Serves until interrupted. Errors are those that stop the server from
/// starting (the port is taken…); errors in the site never stop it.
pub fn run(options: ServeOptions) -> Result<(), String> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                " (another server uses port {}: try --port {}, or --port 0 for any free port)",
                options.port,
                options.port.wrapping_add(1)
            )
        } else {
            String::new()
        };
        format!("cannot listen on {address}: {e}{hint}")
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let url = site_url(local);
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {local}: every computer that can reach this one can see the site (and its drafts with --drafts); use --bind 127.0.0.1 to keep it on this computer"
        );
    }

    let root = if options.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.root.clone()
    };
    let mut session = Session::new(SessionOptions {
        root: options.root.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        style_name: StyleName::Stable,
    });
    eprintln!("building {} …", root.display());
    let first = session.build();
    let title = session
        .config()
        .map(|c| c.title.clone())
        .unwrap_or_else(|| "the site".to_string());

    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let mut allowed = vec![canonical_root.clone()];
    if let Some(cache) = session.config().map(|c| root.join(&c.cache_dir))
        && let Ok(c) = cache.canonicalize()
    {
        allowed.push(c);
    }
    let shared = Arc::new(Shared::new(allowed));
    report(&first, &[]);
    publish(&shared, &session, &first);

    let (sender, receiver) = mpsc::channel();
    let watch = match Watch::start(&canonical_root, sender) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "warning: cannot watch {} for changes ({e}); serving what was built",
                root.display()
            );
            None
        }
    };
    let builder_shared = shared.clone();
    std::thread::Builder::new()
        .name("yunzhan-builder".into())
        .spawn(move || builder(session, watch, receiver, builder_shared))
        .map_err(|e| format!("cannot start the builder: {e}"))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot listen on {local}: {e}"))?;
        eprintln!("serving {title} at {url} (Ctrl+C to stop)");
        if options.open
            && let Err(e) = open::that_detached(&url)
        {
            eprintln!("warning: cannot open a browser: {e}");
        }
        let server = axum::serve(listener, http::app(shared));
        tokio::select! {
            result = server => result.map_err(|e| format!("the server stopped: {e}")),
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopped");
                Ok(())
            }
        }
    })
}

/// The URL of the site at a listening address.
fn site_url(local: SocketAddr) -> String {
    let ip = local.ip();
    let host = if ip.is_unspecified() {
        // listening everywhere: this computer reaches it at loopback
        match ip {
            IpAddr::V4(_) => "127.0.0.1".to_string(),
            IpAddr::V6(_) => "[::1]".to_string(),
        }
    } else {
        match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        }
    };
    format!("http://{host}:{}/", local.port())
}

/// Rebuilds on every batch of changes until the watcher goes away.
fn builder(
    mut session: Session,
    mut watch: Option<Watch>,
    receiver: mpsc::Receiver<Batch>,
    shared: Arc<Shared>,
) {
    while let Ok(batch) = receiver.recv() {
        let mut batches = vec![batch];
        // whatever came in meanwhile is part of the same rebuild
        while let Ok(more) = receiver.try_recv() {
            batches.push(more);
        }
        let rescan = batches.iter().any(|b| matches!(b, Batch::Rescan));
        let paths: Vec<PathBuf> = batches
            .into_iter()
            .flat_map(|b| match b {
                Batch::Paths(p) => p,
                Batch::Rescan => Vec::new(),
            })
            .collect();
        // a bug must not take the server down: report it and carry on
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if rescan {
                session.build()
            } else {
                session.update(&paths)
            }
        }));
        let update = match result {
            Ok(u) => u,
            Err(_) => {
                eprintln!(
                    "error: yunzhan failed while rebuilding (a bug); building everything again"
                );
                session = Session::new(session_options(&session));
                session.build()
            }
        };
        if let Some(w) = watch.as_mut() {
            w.refresh(&paths);
        }
        report(&update, &paths);
        publish(&shared, &session, &update);
    }
}

/// A new session's options like those of `session` (after a failure).
fn session_options(session: &Session) -> SessionOptions {
    session.options().clone()
}

/// Puts an update's result before the browsers.
fn publish(shared: &Shared, session: &Session, update: &Update) {
    let errors: Vec<String> = update
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect();
    if !errors.is_empty() {
        *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(errors.clone());
        let _ = shared.events.send(LiveEvent::Errors(Arc::new(errors)));
        return;
    }
    let was_failing = {
        let mut current = shared.errors.write().unwrap_or_else(|e| e.into_inner());
        let was = !current.is_empty();
        *current = Arc::new(Vec::new());
        was
    };
    let old = shared.snapshot();
    if old.is_empty() {
        *shared.site.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Snapshot::of(session.files()));
    } else if !update.changes.is_empty() {
        let next = old.with(&update.changes);
        *shared.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }
    let info: Arc<str> = format!(
        "{{\"mode\":\"{:?}\",\"pages_rendered\":{},\"changed\":{},\"ms\":{:.1}}}",
        update.mode,
        update.pages_rendered,
        update.changes.len(),
        update.elapsed.as_secs_f64() * 1000.0
    )
    .into();
    if was_failing || (!update.changes.is_empty() && !update.styles_only()) {
        let _ = shared.events.send(LiveEvent::Reload(info));
    } else if update.styles_only() {
        let _ = shared.events.send(LiveEvent::Styles);
    }
}

/// Tells the terminal what a build found and did.
fn report(update: &Update, paths: &[PathBuf]) {
    let mut err = std::io::stderr().lock();
    use std::io::Write;
    for d in &update.diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let time = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
    let what = match paths {
        [] => String::new(),
        [one] => format!(
            "{}: ",
            one.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ),
        many => format!("{} files: ", many.len()),
    };
    let ms = update.elapsed.as_secs_f64() * 1000.0;
    let errors = update.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "[{time}] {what}{errors} error{}; still serving the last good build",
            if errors == 1 { "" } else { "s" }
        );
    } else if update.mode == Mode::Nothing || (update.changes.is_empty() && !paths.is_empty()) {
        let _ = writeln!(err, "[{time}] {what}nothing changed ({ms:.0} ms)");
    } else {
        let _ = writeln!(
            err,
            "[{time}] {what}{} of {} pages rendered, {} files changed ({:?}, {ms:.0} ms)",
            update.pages_rendered,
            update.pages,
            update.changes.len(),
            update.mode
        );
    }
}
