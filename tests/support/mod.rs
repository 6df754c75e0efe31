//! Helpers for integration tests: sites written into temporary folders, built
//! in-process or with the real binary, and their output parsed.
#![allow(dead_code)]

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yunzhan::{BuildOptions, Outcome, build};

/// A site in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with a minimal `site.yaml`.
    pub fn new() -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "site.yaml",
            "title: 测试站点\nbase_url: https://example.org/\nminify: false\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the site root (folders made as needed).
    pub fn write(&self, path: &str, contents: &str) -> &Self {
        self.write_bytes(path, contents.as_bytes())
    }

    pub fn write_bytes(&self, path: &str, contents: &[u8]) -> &Self {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    /// Writes `content/PATH` with front matter and a body.
    pub fn page(&self, path: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{path}"),
            &format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    /// Writes a small real JPEG at `content/PATH`.
    pub fn jpeg(&self, path: &str, width: u32, height: u32) -> &Self {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
        });
        let p = self.dir.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        img.save(&p).unwrap();
        self
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Builds into `public/`.
    pub fn build(&self) -> Outcome {
        build(&BuildOptions {
            root: self.root().to_path_buf(),
            write: true,
            ..BuildOptions::default()
        })
    }

    /// Checks without writing.
    pub fn check(&self) -> Outcome {
        build(&BuildOptions {
            root: self.root().to_path_buf(),
            write: false,
            ..BuildOptions::default()
        })
    }

    /// Builds and fails the test on any error.
    pub fn build_ok(&self) -> Outcome {
        let outcome = self.build();
        let errors: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "build failed:\n{}", errors.join("\n"));
        outcome
    }

    /// Every error message of a check, as printed.
    pub fn errors(&self) -> Vec<String> {
        self.check()
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect()
    }

    /// A file of the output.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.output().join(path))
            .unwrap_or_else(|e| panic!("cannot read public/{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output().join(path).exists()
    }

    /// A page of the output, parsed.
    pub fn html(&self, path: &str) -> Page {
        Page(Html::parse_document(&self.read(path)))
    }
}

/// A parsed HTML page.
pub struct Page(pub Html);

impl Page {
    /// The text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.0
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches `{css}`"))
    }

    /// The values of attribute `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.attrs(css, attr)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no `{css}` with `{attr}`"))
    }

    pub fn count(&self, css: &str) -> usize {
        let sel = Selector::parse(css).unwrap();
        self.0.select(&sel).count()
    }

    /// Whether the page links to `url` anywhere.
    pub fn links_to(&self, url: &str) -> bool {
        self.attrs("a[href]", "href").iter().any(|h| h == url)
    }
}

/// The repository root (the demo site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads and resolves the site at `root` (what `build` renders), failing the
/// test on errors.
pub fn resolve(root: &Path) -> yunzhan::model::Site {
    resolve_within(root, yunzhan::load::BODY_BUDGET)
}

/// [`resolve`], the load stage holding the Markdown bodies only while they
/// add up to `body_budget` bytes or less.
pub fn resolve_within(root: &Path, body_budget: usize) -> yunzhan::model::Site {
    let diagnostics = yunzhan::diagnostics::Diagnostics::new();
    let config = yunzhan::config::Config::load(root, Path::new(yunzhan::config::FILE_NAME))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let options = yunzhan::load::Options {
        body_budget,
        ..yunzhan::load::Options::default()
    };
    let loaded = yunzhan::load::load(root, root, &config, &diagnostics, options);
    let site = yunzhan::resolve::resolve(
        config,
        root.to_path_buf(),
        root.to_path_buf(),
        loaded,
        yunzhan::resolve::Options { drafts: false },
        &diagnostics,
    );
    let errors = diagnostics.into_sorted();
    assert!(!errors.iter().any(|d| d.is_error()), "{errors:?}");
    site
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap();
            let path = path.to_string_lossy().replace('\\', "/");
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}
