//! What the pipeline must know about an original before it plans the published
//! sizes: format, stored dimensions, EXIF orientation, whether it carries GPS
//! coordinates, and the hash of its bytes. One read of the file gives all of it;
//! a memo in the cache folder, keyed by the file's size and times, lets a rebuild
//! skip even that read.

use crate::images::limits;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The decoders yunzhan reads originals with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl SourceFormat {
    pub fn image_format(self) -> image::ImageFormat {
        match self {
            SourceFormat::Jpeg => image::ImageFormat::Jpeg,
            SourceFormat::Png => image::ImageFormat::Png,
            SourceFormat::Gif => image::ImageFormat::Gif,
            SourceFormat::Webp => image::ImageFormat::WebP,
        }
    }
}

/// How a file looked on disk when it was probed: if it still looks the same,
/// the memo's facts still hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified: u128,
    /// Inode and change time on Unix (0 elsewhere): a file replaced by another
    /// of the same size and modification time still changes these.
    pub inode: u64,
    pub changed: i128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ino(),
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            )
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, 0);
        Stamp {
            size: meta.len(),
            modified,
            inode,
            changed,
        }
    }
}

/// The facts of an original image file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    pub format: SourceFormat,
    /// As stored, before the orientation is applied.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation, 1–8 (1 when absent).
    pub orientation: u8,
    /// Whether the file's EXIF or XMP holds GPS coordinates.
    pub gps: bool,
    pub stamp: Stamp,
}

impl Original {
    /// Whether the orientation turns the picture by a quarter (width and height swap).
    pub fn swaps_axes(&self) -> bool {
        self.orientation >= 5
    }

    /// Width and height as the picture is seen, orientation applied.
    pub fn display_size(&self) -> (u32, u32) {
        if self.swaps_axes() {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Reads a file's facts. Errors are messages for the file's diagnostic.
pub fn probe(file: &Path, stamp: Stamp) -> Result<Original, String> {
    let bytes = fs::read(file).map_err(|e| format!("cannot read the image: {e}"))?;
    facts(&bytes, stamp)
}

/// The facts of an image's bytes.
pub fn facts(bytes: &[u8], stamp: Stamp) -> Result<Original, String> {
    if bytes.is_empty() {
        return Err("cannot read the image: the file is empty (0 bytes)".into());
    }
    let format = match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => SourceFormat::Jpeg,
        Ok(image::ImageFormat::Png) => SourceFormat::Png,
        Ok(image::ImageFormat::Gif) => SourceFormat::Gif,
        Ok(image::ImageFormat::WebP) => SourceFormat::Webp,
        Ok(other) => {
            return Err(format!(
                "cannot read the image: {} images are not supported; use JPEG, PNG, GIF or WebP",
                other
                    .extensions_str()
                    .first()
                    .unwrap_or(&"these")
                    .to_uppercase()
            ));
        }
        Err(_) => {
            return Err(
                "cannot read the image: the file is not a JPEG, PNG, GIF or WebP image".into(),
            );
        }
    };
    let (width, height) =
        image::ImageReader::with_format(Cursor::new(bytes), format.image_format())
            .into_dimensions()
            .map_err(|e| format!("cannot read the image: {e}"))?;
    limits::check_size(width, height)?;
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok();
    let orientation = exif
        .as_ref()
        .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8);
    let exif_gps = exif.as_ref().is_some_and(|e| {
        [exif::Tag::GPSLatitude, exif::Tag::GPSLongitude]
            .iter()
            .all(|t| e.get_field(*t, exif::In::PRIMARY).is_some())
    });
    Ok(Original {
        hash: blake3::hash(bytes).to_hex().to_string(),
        format,
        width,
        height,
        orientation,
        gps: exif_gps || xmp_has_gps(bytes),
        stamp,
    })
}

/// Whether an XMP packet of the file names GPS coordinates (`exif:GPSLatitude`).
fn xmp_has_gps(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(start) = memchr::memmem::find(rest, b"<x:xmpmeta") {
        let packet = &rest[start..];
        let end = memchr::memmem::find(packet, b"</x:xmpmeta>").unwrap_or(packet.len());
        if memchr::memmem::find(&packet[..end], b"GPSLatitude").is_some() {
            return true;
        }
        rest = &packet[end..];
    }
    false
}

/// The facts of the originals of the last build, by file: what a rebuild reads
/// instead of the files whose stamp did not change.
#[derive(Debug, Default)]
pub struct Memo {
    known: HashMap<PathBuf, Original>,
}

impl Memo {
    /// The memo file under the cache folder.
    pub fn file(cache_dir: &Path) -> PathBuf {
        cache_dir.join("images").join("originals.json")
    }

    /// Loads the memo kept in `cache_dir` (empty when missing or unreadable).
    pub fn load(cache_dir: &Path) -> Memo {
        let known = fs::read(Self::file(cache_dir))
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<(PathBuf, Original)>>(&b).ok())
            .map(|list| list.into_iter().collect())
            .unwrap_or_default();
        Memo { known }
    }

    /// The facts of `file`, from the memo when the file did not change.
    pub fn original(&self, file: &Path) -> Result<Original, String> {
        let meta = fs::metadata(file).map_err(|e| format!("cannot read the image: {e}"))?;
        let stamp = Stamp::of(&meta);
        match self.known.get(file) {
            Some(o) if o.stamp == stamp => Ok(o.clone()),
            _ => probe(file, stamp),
        }
    }

    /// Writes the facts of `originals` (and nothing else) as the new memo.
    pub fn save<'a>(
        cache_dir: &Path,
        originals: impl Iterator<Item = (&'a Path, &'a Original)>,
    ) -> std::io::Result<()> {
        let mut list: Vec<(&Path, &Original)> = originals.collect();
        list.sort_by(|a, b| a.0.cmp(b.0));
        let file = Self::file(cache_dir);
        crate::images::cache::write_atomically(
            &file,
            &serde_json::to_vec(&list).map_err(std::io::Error::other)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_gps_in_xmp_packets_only() {
        assert!(xmp_has_gps(
            b"..<x:xmpmeta><rdf:Description exif:GPSLatitude=\"30,39.6N\"/></x:xmpmeta>"
        ));
        assert!(!xmp_has_gps(
            b"<x:xmpmeta><dc:title/></x:xmpmeta> GPSLatitude"
        ));
        assert!(!xmp_has_gps(b"no packet"));
    }

    #[test]
    fn rejects_empty_and_unknown_files() {
        let e = facts(b"", Stamp::default()).unwrap_err();
        assert!(e.contains("empty"), "{e}");
        let e = facts(b"hello, not an image", Stamp::default()).unwrap_err();
        assert!(e.contains("not a JPEG, PNG, GIF or WebP"), "{e}");
    }
}
