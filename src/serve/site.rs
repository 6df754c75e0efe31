//! The site as the server holds it: every published file by its path, with
//! its content type and ETag, and how a request path finds one.

use crate::session::Served;
use std::collections::HashMap;
use std::path::Path;

/// One file the server can answer with.
#[derive(Debug, Clone)]
pub struct Entry {
    pub served: Served,
    /// A strong validator, quoted (`"…"`).
    pub etag: String,
    pub content_type: &'static str,
}

impl Entry {
    pub fn new(path: &str, served: Served) -> Entry {
        let digest = match &served {
            Served::Bytes(b) => blake3::hash(b),
            Served::File {
                path,
                len,
                modified,
            } => blake3::hash(format!("{}\0{len}\0{modified}", path.display()).as_bytes()),
        };
        Entry {
            etag: format!("\"{}\"", &digest.to_hex()[..20]),
            content_type: content_type(path),
            served,
        }
    }

    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// The published files, immutable once built (an update makes a new one).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    files: HashMap<String, Entry>,
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    Found(&'a str),
    /// A folder asked for without its trailing slash: where it lives.
    Redirect(String),
    NotFound,
}

impl Snapshot {
    /// A snapshot of every file of a session.
    pub fn of(files: &HashMap<String, Served>) -> Snapshot {
        Snapshot {
            files: files
                .iter()
                .map(|(p, s)| (p.clone(), Entry::new(p, s.clone())))
                .collect(),
        }
    }

    /// This snapshot with `changes` applied (`None` removes a file).
    pub fn with(&self, changes: &[(String, Option<Served>)]) -> Snapshot {
        let mut files = self.files.clone();
        for (path, served) in changes {
            match served {
                Some(s) => {
                    files.insert(path.clone(), Entry::new(path, s.clone()));
                }
                None => {
                    files.remove(path);
                }
            }
        }
        Snapshot { files }
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Finds the file a request path (as sent, percent-encoded) names.
    /// Anything that could step outside the site is not found: `..` or `.`
    /// segments (however encoded), encoded slashes and backslashes, NUL,
    /// empty segments and invalid UTF-8.
    pub fn lookup(&self, raw_path: &str) -> Lookup<'_> {
        let Some(decoded) = decode_path(raw_path) else {
            return Lookup::NotFound;
        };
        let rel = decoded.trim_start_matches('/');
        let index = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        if let Some((key, _)) = self.files.get_key_value(&index) {
            return Lookup::Found(key);
        }
        if !rel.is_empty()
            && !rel.ends_with('/')
            && self.files.contains_key(&format!("{rel}/index.html"))
        {
            return Lookup::Redirect(format!("{raw_path}/"));
        }
        Lookup::NotFound
    }
}

/// Decodes a request path, or `None` when it is not a plain path inside the site.
pub fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    // encoded `/`, `\` and NUL would hide segments from the checks below
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let (h, l) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            );
            match (h, l) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => return None,
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let inner = decoded[1..].strip_suffix('/').unwrap_or(&decoded[1..]);
    if !inner.is_empty()
        && inner
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return None;
    }
    Some(decoded)
}

/// The content type of a published file, by its extension (text with `charset=utf-8`).
pub fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => {
            if path.ends_with("atom.xml") {
                "application/atom+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        "glb" => "model/gltf-binary",
        "gltf" => "model/gltf+json",
        "stl" => "model/stl",
        "obj" => "model/obj",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn site() -> Snapshot {
        let mut files = HashMap::new();
        for p in ["index.html", "a/index.html", "a/b.css", "草堂/index.html"] {
            files.insert(p.to_string(), Served::Bytes(Bytes::from_static(b"x")));
        }
        Snapshot::of(&files)
    }

    #[test]
    fn finds_files_indexes_and_folders_without_slash() {
        let s = site();
        assert_eq!(s.lookup("/"), Lookup::Found("index.html"));
        assert_eq!(s.lookup("/a/"), Lookup::Found("a/index.html"));
        assert_eq!(s.lookup("/a/b.css"), Lookup::Found("a/b.css"));
        assert_eq!(s.lookup("/a"), Lookup::Redirect("/a/".into()));
        assert_eq!(
            s.lookup("/%E8%8D%89%E5%A0%82/"),
            Lookup::Found("草堂/index.html")
        );
        assert_eq!(s.lookup("/nope/"), Lookup::NotFound);
    }

    #[test]
    fn nothing_outside_the_site() {
        let s = site();
        for bad in [
            "/../etc/passwd",
            "/a/../index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a%2f..%2findex.html",
            "/a%5c..%5cindex.html",
            "/a\\..\\index.html",
            "/./index.html",
            "//etc/passwd",
            "/a//b.css",
            "/%00",
            "/%ff",
            "/%zz",
            "relative",
        ] {
            assert_eq!(s.lookup(bad), Lookup::NotFound, "{bad}");
        }
    }

    #[test]
    fn text_is_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("data/stats.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("x.JPG"), "image/jpeg");
    }
}
