//! The images a site uses: registered once each, measured, and planned as the
//! files the output will hold.

use crate::config::Config;
use crate::html::escape;
use crate::model::{Image, ImageId, ImageVariant};
use crate::slug::slugify;
use std::collections::HashMap;
use std::path::PathBuf;

/// Every image the site uses, by path under `content/`.
#[derive(Debug, Default)]
pub struct ImageSet {
    by_path: HashMap<String, ImageId>,
    pub images: Vec<Image>,
}

impl ImageSet {
    /// The set of images a site already holds.
    pub fn from_images(images: Vec<Image>) -> ImageSet {
        let by_path = images
            .iter()
            .enumerate()
            .map(|(i, img)| (img.path.clone(), i))
            .collect();
        ImageSet { by_path, images }
    }

    pub fn get(&self, path: &str) -> Option<ImageId> {
        self.by_path.get(path).copied()
    }

    /// Adds an image (or finds it): reads its size from the file's header.
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
        let image = measure(path, file, folder_url, config)?;
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

/// Reads an image's dimensions and plans its published files.
pub fn measure(
    path: &str,
    file: PathBuf,
    folder_url: &str,
    config: &Config,
) -> Result<Image, String> {
    let (width, height) = image::ImageReader::open(&file)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| format!("cannot read the image: {e}"))?
        .into_dimensions()
        .map_err(|e| format!("cannot read the image: {e}"))?;
    let name = crate::load::file_name(path);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut slug = slugify(stem, config.slugs);
    if slug.is_empty() {
        slug = format!("image-{}", short_hash(name));
    }
    let mut image = Image {
        path: path.to_string(),
        file,
        folder_url: folder_url.to_string(),
        stem: slug,
        width,
        height,
        variants: Vec::new(),
    };
    let ext = ext.to_ascii_lowercase();
    let format = if ext == "jpg" {
        "jpeg".to_string()
    } else {
        ext.clone()
    };
    image.variants.push(ImageVariant {
        url: format!("{}{}.{}", image.folder_url, image.stem, ext),
        width,
        height,
        format,
    });
    Ok(image)
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

/// The `<img>` markup of an image with its alt text, for Markdown bodies.
pub fn img_html(image: &Image, alt: &str, title: &str) -> String {
    let best = image
        .variants
        .last()
        .expect("an image has at least one file");
    let mut html = format!(
        "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"",
        escape(&best.url),
        best.width,
        best.height,
        escape(alt)
    );
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    html.push('>');
    html
}
