//! The images a site uses: registered once each, measured, and planned as the
//! files the output will hold; then made (or found in the cache) by the image
//! stage, [`process`].
//!
//! Planning happens when an image is registered, from its path, its facts and
//! the `images:` configuration only, so Markdown bodies and templates get their
//! final markup before any pixel is decoded. Originals are never published:
//! every published file is a derived size, re-encoded from bare pixels.

pub mod cache;
pub mod limits;
pub mod pipeline;
pub mod probe;
mod process;

pub use probe::{Memo, Original, SourceFormat};
pub use process::{Stats, process, prune};

use crate::config::{Config, ImageFormat, Images};
use crate::html::escape;
use crate::model::{Image, ImageId, ImageVariant};
use crate::slug::slugify;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// `sizes` of images in Markdown bodies: the width of the text column.
pub const BODY_SIZES: &str = "(max-width: 700px) 100vw, 700px";

/// Every image the site uses, by path under `content/`.
#[derive(Debug, Default)]
pub struct ImageSet {
    by_path: HashMap<String, ImageId>,
    pub images: Vec<Image>,
    memo: Arc<Memo>,
}

impl ImageSet {
    /// The set of images a site already holds (to render one body again).
    pub fn from_images(images: Vec<Image>) -> ImageSet {
        let by_path = images
            .iter()
            .enumerate()
            .map(|(i, img)| (img.path.clone(), i))
            .collect();
        ImageSet {
            by_path,
            images,
            ..ImageSet::default()
        }
    }

    /// An empty set that reads the facts of unchanged originals from the memo
    /// of the last build in `cache_dir`.
    pub fn new(cache_dir: &std::path::Path) -> Self {
        ImageSet {
            memo: Arc::new(Memo::load(cache_dir)),
            ..ImageSet::default()
        }
    }

    /// The memo of originals, for measuring images outside the set's lock.
    pub fn memo(&self) -> Arc<Memo> {
        self.memo.clone()
    }

    pub fn get(&self, path: &str) -> Option<ImageId> {
        self.by_path.get(path).copied()
    }

    /// Adds an image (or finds it): reads its facts and plans its files.
    pub fn register(
        &mut self,
        path: &str,
        file: PathBuf,
        folder_url: &str,
        config: &Config,
    ) -> Result<ImageId, String> {
        if let Some(id) = self.get(path) {
            return Ok(id);
        }
        let image = measure(path, file, folder_url, config, &self.memo)?;
        Ok(self.insert(image))
    }

    /// Adds a measured image (from [`measure`]), or finds it when another thread was first.
    pub fn insert(&mut self, image: Image) -> ImageId {
        if let Some(id) = self.get(&image.path) {
            return id;
        }
        let id = self.images.len();
        self.by_path.insert(image.path.clone(), id);
        self.images.push(image);
        id
    }
}

/// Reads an image's facts (from `memo` when the file is unchanged) and plans
/// its published files.
pub fn measure(
    path: &str,
    file: PathBuf,
    folder_url: &str,
    config: &Config,
    memo: &Memo,
) -> Result<Image, String> {
    let original = memo.original(&file)?;
    let name = crate::load::file_name(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut slug = slugify(stem, config.slugs);
    if slug.is_empty() {
        slug = format!("image-{}", short_hash(name));
    }
    let (width, height) = original.display_size();
    let variants = plan(&original, &slug, folder_url, &config.images);
    Ok(Image {
        path: path.to_string(),
        file,
        folder_url: folder_url.to_string(),
        stem: slug,
        width,
        height,
        original,
        variants,
    })
}

/// The published files of an original: each configured format at each
/// configured width, never wider than the picture itself (an image narrower
/// than a width gives its own width, once). Named `STEM-WIDTH.HASH.EXT`
/// beside the owner's page, `HASH` from the content and the parameters, so a
/// changed photo gets a new URL and browsers may cache every URL forever.
pub fn plan(
    original: &Original,
    stem: &str,
    folder_url: &str,
    config: &Images,
) -> Vec<ImageVariant> {
    let (width, height) = original.display_size();
    let mut widths: Vec<u32> = config.widths.iter().map(|&w| w.min(width)).collect();
    widths.sort_unstable();
    widths.dedup();
    let mut formats: Vec<ImageFormat> = Vec::new();
    for f in &config.formats {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    let mut variants = Vec::new();
    for format in formats {
        let (name, ext) = match format {
            ImageFormat::Webp => ("webp", "webp"),
            ImageFormat::Jpeg => ("jpeg", "jpg"),
        };
        for &w in &widths {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
                .max(1) as u32;
            let key = variant_key(original, name, w, h, config.quality);
            variants.push(ImageVariant {
                url: format!("{folder_url}{stem}-{w}.{}.{ext}", &key[..8]),
                width: w,
                height: h,
                format: name.to_string(),
                key,
                file: None,
            });
        }
    }
    variants
}

/// The cache key of a derived file: everything that shapes its bytes.
fn variant_key(original: &Original, format: &str, width: u32, height: u32, quality: u8) -> String {
    let text = format!(
        "yunzhan-image-{}\0{}\0{format}\0{width}x{height}\0q{quality}",
        pipeline::VERSION,
        original.hash
    );
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

/// A short, stable hex digest of some text (FNV-1a), for names that need one.
pub fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

/// The file a link to the image points at: its largest JPEG (or largest file).
pub fn largest(image: &Image) -> &ImageVariant {
    image
        .variants
        .iter()
        .rfind(|v| v.format != "webp")
        .or(image.variants.last())
        .expect("an image has at least one file")
}

/// The `srcset` of one format of an image.
pub fn srcset(image: &Image, format: &str) -> String {
    image
        .variants
        .iter()
        .filter(|v| v.format == format)
        .map(|v| format!("{} {}w", v.url, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The markup of an image in a Markdown body: a `<picture>` with a WebP
/// `<source>`, an `<img>` with `srcset`, `sizes`, its size and alt text, lazily
/// loaded.
pub fn img_html(image: &Image, alt: &str, title: &str) -> String {
    let best = largest(image);
    let mut html = String::from("<picture>");
    let mut formats: Vec<&str> = image.variants.iter().map(|v| v.format.as_str()).collect();
    formats.dedup();
    for f in formats.into_iter().filter(|f| *f != best.format) {
        html.push_str(&format!(
            "<source type=\"image/{f}\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">",
            escape(&srcset(image, f))
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{BODY_SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"",
        escape(&best.url),
        escape(&srcset(image, &best.format)),
        best.width,
        best.height,
        escape(alt)
    ));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    html.push_str("></picture>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original(width: u32, height: u32, orientation: u8) -> Original {
        Original {
            hash: "ab".repeat(32),
            format: SourceFormat::Jpeg,
            width,
            height,
            orientation,
            gps: false,
            stamp: Default::default(),
        }
    }

    #[test]
    fn plans_each_format_at_each_width_without_upscaling() {
        let config = Images::default(); // 480, 960, 1600 × webp, jpeg
        let v = plan(&original(1000, 500, 1), "hua", "/a/", &config);
        let sizes: Vec<(String, u32, u32)> = v
            .iter()
            .map(|v| (v.format.clone(), v.width, v.height))
            .collect();
        assert_eq!(
            sizes,
            [
                ("webp".into(), 480, 240),
                ("webp".into(), 960, 480),
                ("webp".into(), 1000, 500),
                ("jpeg".into(), 480, 240),
                ("jpeg".into(), 960, 480),
                ("jpeg".into(), 1000, 500),
            ]
        );
        assert!(v[0].url.starts_with("/a/hua-480.") && v[0].url.ends_with(".webp"));
        assert!(v[5].url.ends_with(".jpg"));
        // a small picture gives its own width, once per format
        let v = plan(&original(300, 200, 1), "x", "/", &config);
        assert_eq!(v.iter().map(|v| v.width).collect::<Vec<_>>(), [300, 300]);
    }

    #[test]
    fn plans_turned_photos_by_their_seen_size() {
        let config = Images {
            widths: vec![480],
            formats: vec![ImageFormat::Jpeg],
            quality: 80,
        };
        let v = plan(&original(4000, 3000, 6), "x", "/", &config);
        assert_eq!((v[0].width, v[0].height), (480, 640));
    }

    #[test]
    fn names_change_with_content_and_parameters() {
        let config = Images::default();
        let a = plan(&original(1000, 500, 1), "x", "/", &config);
        let mut other = original(1000, 500, 1);
        other.hash = "cd".repeat(32);
        let b = plan(&other, "x", "/", &config);
        let c = plan(
            &original(1000, 500, 1),
            "x",
            "/",
            &Images {
                quality: 60,
                ..Images::default()
            },
        );
        assert_ne!(a[0].url, b[0].url);
        assert_ne!(a[0].url, c[0].url);
        assert_eq!(a, plan(&original(1000, 500, 1), "x", "/", &config));
    }
}
