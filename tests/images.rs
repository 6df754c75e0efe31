//! The image pipeline on real images: sizes, privacy, orientation, alpha,
//! markup, the cache, determinism and bad files. The test images are made
//! here, EXIF bytes included.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use support::{TestSite, files_under};

const EVENT: &str = "中心/events/重阳/index.md";
const EVENT_URL: &str = "zhongxin/events/chongyang/";

/// A site with one center and one event bundle whose photos are listed with
/// `photos`. Widths a tenth of the defaults keep the tests quick in debug builds.
fn site(photos: &str) -> TestSite {
    let s = TestSite::new();
    s.write("site.yaml", "title: 测试\nbase_url: https://example.org/\nminify: false\nimages:\n  widths: [40, 80, 160]\n");
    s.page("中心/_index.md", "title: 示范中心\nlevel: center", "");
    s.page(
        EVENT,
        &format!("title: 重阳敬老\ndate: 2024-10-11\nphotos:\n{photos}"),
        "",
    );
    s
}

fn content(s: &TestSite, path: &str) -> PathBuf {
    s.root().join("content").join(path)
}

// ---------- making test images ----------

/// A photo-like JPEG: smooth colour gradients, `quality` 90.
fn jpeg_bytes(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 140])
    });
    encode_jpeg(&img)
}

fn encode_jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .unwrap();
    out
}

/// A TIFF/EXIF block (little-endian) with Orientation and, if `gps`, GPS latitude and longitude.
fn exif_block(orientation: u16, gps: bool) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    // IFD0 at 8: 1 or 2 entries, then the next-IFD offset
    let n0: u16 = if gps { 2 } else { 1 };
    let gps_ifd = 8 + 2 + 12 * u32::from(n0) + 4;
    t.extend(n0.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation)); // Orientation, SHORT
    if gps {
        entry(&mut t, 0x8825, 4, 1, gps_ifd); // GPS IFD pointer
    }
    t.extend(0u32.to_le_bytes());
    if gps {
        // GPS IFD: 4 entries, then two arrays of 3 rationals
        let data = gps_ifd + 2 + 12 * 4 + 4;
        t.extend(4u16.to_le_bytes());
        entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")); // GPSLatitudeRef
        entry(&mut t, 0x0002, 5, 3, data); // GPSLatitude
        entry(&mut t, 0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0")); // GPSLongitudeRef
        entry(&mut t, 0x0004, 5, 3, data + 24); // GPSLongitude
        t.extend(0u32.to_le_bytes());
        for (num, den) in [(30, 1), (39, 1), (3600, 100), (104, 1), (3, 1), (4500, 100)] {
            t.extend((num as u32).to_le_bytes());
            t.extend((den as u32).to_le_bytes());
        }
    }
    t
}

/// Inserts APP segments right after a JPEG's SOI marker.
fn with_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for (marker, body) in segments {
        out.extend([0xFF, *marker]);
        out.extend(((body.len() + 2) as u16).to_be_bytes());
        out.extend(body);
    }
    out.extend(&jpeg[2..]);
    out
}

/// A JPEG stored 80×40 (left half red, right half blue) whose EXIF says
/// "turn a quarter clockwise" (6) and which holds GPS coordinates, an XMP
/// packet and an ICC profile: everything that must not be published.
fn turned_gps_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(80, 40, |x, _| {
        if x < 40 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    });
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_block(6, true));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend(b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description exif:GPSLatitude=\"30,39.6N\" xmp:CreatorTool=\"SecretPhone\"/></rdf:RDF></x:xmpmeta>");
    let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
    icc.extend(srgb_icc());
    with_segments(
        &encode_jpeg(&img),
        &[(0xE1, exif), (0xE1, xmp), (0xE2, icc)],
    )
}

/// An sRGB ICC profile, as cameras embed.
fn srgb_icc() -> Vec<u8> {
    moxcms::ColorProfile::new_srgb().encode().unwrap()
}

/// A 64×32 PNG: left half fully transparent, right half opaque green.
fn alpha_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(64, 32, |x, _| {
        if x < 32 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([20, 200, 40, 255])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

// ---------- reading outputs ----------

/// Files of the output under `dir` (relative to it) whose name ends with `ext`.
fn outputs(s: &TestSite, dir: &str, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(s.output().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

fn decode(path: &Path) -> image::DynamicImage {
    image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The markers of a JPEG's segments before its image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
    }
    markers
}

/// The chunk names of a WebP file.
fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + size + size % 2;
    }
    chunks
}

/// Asserts a published file carries no metadata at all.
fn assert_bare(path: &Path) {
    let bytes = fs::read(path).unwrap();
    let name = path.display();
    if path.extension().unwrap() == "jpg" {
        // only JFIF, tables, frame and scan headers: no APP1 (EXIF, XMP), APP2 (ICC), APP13, COM
        for m in jpeg_markers(&bytes) {
            assert!(
                matches!(m, 0xE0 | 0xDB | 0xC4 | 0xC0 | 0xC1 | 0xC2 | 0xDD | 0xDA),
                "{name}: marker FF{m:02X} carries metadata"
            );
        }
    } else {
        for c in webp_chunks(&bytes) {
            assert!(
                ["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&c.as_str()),
                "{name}: chunk {c}"
            );
        }
    }
    for needle in [
        &b"Exif"[..],
        b"xmpmeta",
        b"GPS",
        b"SecretPhone",
        b"ICC_PROFILE",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{name} holds {:?}",
            String::from_utf8_lossy(needle)
        );
    }
}

fn cache_entries(s: &TestSite) -> Vec<PathBuf> {
    let dir = s.root().join(".yunzhan-cache/images/derived");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

// ---------- the tests ----------

#[test]
fn every_width_and_format_is_made_never_wider_than_the_original() {
    let s = site("  - {src: big.jpg, alt: 大图}\n  - {src: small.jpg, alt: 小图}");
    s.write_bytes(
        &format!("content/{}", EVENT.replace("index.md", "big.jpg")),
        &jpeg_bytes(200, 100),
    );
    s.write_bytes(
        &format!("content/{}", EVENT.replace("index.md", "small.jpg")),
        &jpeg_bytes(30, 20),
    );
    let outcome = s.build_ok();

    let widths = |prefix: &str, ext: &str| -> Vec<(u32, u32)> {
        outputs(&s, EVENT_URL, ext)
            .iter()
            .filter(|n| n.starts_with(prefix))
            .map(|n| {
                let img = decode(&s.output().join(EVENT_URL).join(n));
                (img.width(), img.height())
            })
            .collect()
    };
    // names sort as 160 < 40 < 80
    assert_eq!(widths("big-", ".webp"), [(160, 80), (40, 20), (80, 40)]);
    assert_eq!(widths("big-", ".jpg"), [(160, 80), (40, 20), (80, 40)]);
    // narrower than every width: its own width, once per format
    assert_eq!(widths("small-", ".webp"), [(30, 20)]);
    assert_eq!(widths("small-", ".jpg"), [(30, 20)]);
    assert_eq!(outcome.images.files, 8);
    assert_eq!(outcome.images.decoded, 2);
    // the originals are never published
    assert!(
        outputs(&s, EVENT_URL, "")
            .iter()
            .all(|n| n != "big.jpg" && n != "small.jpg")
    );
    let original = fs::read(content(&s, &EVENT.replace("index.md", "big.jpg"))).unwrap();
    assert!(files_under(&s.output()).values().all(|b| *b != original));
    // the WebP is lossy (VP8, not the lossless VP8L)
    let webp = fs::read(
        s.output()
            .join(EVENT_URL)
            .join(&outputs(&s, EVENT_URL, ".webp")[0]),
    )
    .unwrap();
    assert!(webp_chunks(&webp).contains(&"VP8 ".to_string()));
}

#[test]
fn metadata_is_stripped_and_the_orientation_applied() {
    let s = site("  - {src: turned.jpg, alt: 转过的照片}");
    s.write_bytes("content/中心/events/重阳/turned.jpg", &turned_gps_jpeg());
    s.build_ok();
    let files: Vec<String> = outputs(&s, EVENT_URL, "")
        .into_iter()
        .filter(|n| !n.ends_with(".html"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    for name in &files {
        let path = s.output().join(EVENT_URL).join(name);
        assert_bare(&path);
        // stored 80×40, seen 40×80: left (red) half on top after a quarter turn clockwise
        let img = decode(&path).to_rgb8();
        assert_eq!(img.dimensions(), (40, 80), "{name}");
        let top = img.get_pixel(20, 10);
        let bottom = img.get_pixel(20, 70);
        assert!(top[0] > 180 && top[2] < 80, "{name}: top is {top:?}");
        assert!(
            bottom[2] > 180 && bottom[0] < 80,
            "{name}: bottom is {bottom:?}"
        );
    }
    let page = s.html(&format!("{EVENT_URL}index.html"));
    assert_eq!(page.attr(".gallery img", "width"), "40");
    assert_eq!(page.attr(".gallery img", "height"), "80");
}

#[test]
fn alpha_is_kept_in_webp_and_flattened_on_white_in_jpeg() {
    let s = site("  - {src: logo.png, alt: 标志}");
    s.write_bytes("content/中心/events/重阳/logo.png", &alpha_png());
    s.build_ok();
    let dir = s.output().join(EVENT_URL);
    // its own width, 64 (besides 40)
    let webp = decode(&dir.join(&outputs(&s, EVENT_URL, ".webp")[1])).to_rgba8();
    assert_eq!(webp.dimensions(), (64, 32));
    assert!(
        webp.get_pixel(8, 16)[3] < 10,
        "transparent side: {:?}",
        webp.get_pixel(8, 16)
    );
    let green = webp.get_pixel(56, 16);
    assert!(green[3] > 245 && green[1] > 150, "opaque side: {green:?}");
    let jpeg = decode(&dir.join(&outputs(&s, EVENT_URL, ".jpg")[1])).to_rgb8();
    let white = jpeg.get_pixel(8, 16);
    assert!(
        white.0.iter().all(|&c| c > 240),
        "flattened on white: {white:?}"
    );
}

#[test]
fn markup_has_srcset_sizes_dimensions_and_a_webp_source() {
    let s = site("  - {src: big.jpg, alt: 志愿者为老人理发}");
    s.write_bytes("content/中心/events/重阳/big.jpg", &jpeg_bytes(200, 150));
    s.build_ok();
    let page = s.html(&format!("{EVENT_URL}index.html"));
    let srcset = page.attr(".gallery picture img", "srcset");
    let entries: Vec<&str> = srcset.split(", ").collect();
    assert_eq!(entries.len(), 3, "{srcset}");
    for (entry, w) in entries.iter().zip([40, 80, 160]) {
        let (url, descriptor) = entry.split_once(' ').unwrap();
        assert_eq!(descriptor, format!("{w}w"));
        assert!(
            url.starts_with(&format!("/{EVENT_URL}big-{w}.")) && url.ends_with(".jpg"),
            "{url}"
        );
        assert!(
            s.output().join(url.trim_start_matches('/')).is_file(),
            "{url} is published"
        );
    }
    assert!(!page.attr(".gallery picture img", "sizes").is_empty());
    assert_eq!(page.attr(".gallery picture img", "width"), "160");
    assert_eq!(page.attr(".gallery picture img", "height"), "120");
    assert_eq!(page.attr(".gallery picture img", "loading"), "lazy");
    assert_eq!(page.attr(".gallery picture img", "alt"), "志愿者为老人理发");
    assert_eq!(page.attr(".gallery picture source", "type"), "image/webp");
    assert!(
        page.attr(".gallery picture source", "srcset")
            .contains(".webp 160w")
    );
}

#[test]
fn markdown_images_get_a_picture_element() {
    let set = {
        let s = TestSite::new();
        s.write_bytes("content/a.jpg", &jpeg_bytes(1000, 500));
        s
    };
    let config = yunzhan::config::Config::default();
    let memo = yunzhan::images::Memo::default();
    let image = yunzhan::images::measure(
        "a.jpg",
        set.root().join("content/a.jpg"),
        "/p/",
        &config,
        &memo,
    )
    .unwrap();
    let html = yunzhan::images::img_html(&image, "图 <1>", "");
    let doc = scraper::Html::parse_fragment(&html);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    let img = doc
        .select(&sel("picture > img"))
        .next()
        .expect("an img in a picture");
    assert_eq!(img.value().attr("alt"), Some("图 <1>"));
    assert_eq!(img.value().attr("loading"), Some("lazy"));
    assert_eq!(img.value().attr("width"), Some("1000"));
    assert!(img.value().attr("srcset").unwrap().ends_with(" 1000w"));
    assert!(img.value().attr("sizes").is_some());
    let source = doc
        .select(&sel("picture > source"))
        .next()
        .expect("a WebP source");
    assert_eq!(source.value().attr("type"), Some("image/webp"));
}

#[test]
fn rebuilds_are_byte_identical_and_reuse_the_cache_without_decoding() {
    let s = site(
        "  - {src: a.jpg, alt: 甲}\n  - {src: turned.jpg, alt: 乙}\n  - {src: logo.png, alt: 丙}",
    );
    s.write_bytes("content/中心/events/重阳/a.jpg", &jpeg_bytes(120, 90));
    s.write_bytes("content/中心/events/重阳/turned.jpg", &turned_gps_jpeg());
    s.write_bytes("content/中心/events/重阳/logo.png", &alpha_png());
    let first = s.build_ok();
    assert_eq!(first.images.decoded, 3);
    assert_eq!(first.images.reused, 0);
    let built = files_under(&s.output());

    // a rebuild decodes nothing
    let second = s.build_ok();
    assert_eq!(second.images.decoded, 0);
    assert_eq!(second.images.encoded, 0);
    assert_eq!(second.images.reused, second.images.files);
    assert_eq!(built, files_under(&s.output()));

    // from nothing again (no output, no cache): the same bytes
    fs::remove_dir_all(s.output()).unwrap();
    fs::remove_dir_all(s.root().join(".yunzhan-cache")).unwrap();
    let third = s.build_ok();
    assert_eq!(third.images.decoded, 3);
    assert_eq!(built, files_under(&s.output()));
}

#[test]
fn a_damaged_cache_entry_is_found_and_made_again() {
    let s = site("  - {src: a.jpg, alt: 甲}");
    s.write_bytes("content/中心/events/重阳/a.jpg", &jpeg_bytes(120, 90));
    s.build_ok();
    let built = files_under(&s.output());
    let entries = cache_entries(&s);
    let victim = entries
        .iter()
        .find(|p| p.extension().unwrap() == "webp")
        .unwrap();
    let mut bytes = fs::read(victim).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(victim, &bytes).unwrap();

    let outcome = s.build_ok();
    assert_eq!(outcome.images.redone, 1);
    assert_eq!(outcome.images.decoded, 1);
    assert_eq!(outcome.images.encoded, 1);
    assert_eq!(outcome.images.reused, outcome.images.files - 1);
    assert_eq!(built, files_under(&s.output()));
}

#[test]
fn unused_cache_entries_are_pruned_and_a_failed_build_keeps_them() {
    let s = site("  - {src: a.jpg, alt: 甲}\n  - {src: b.jpg, alt: 乙}");
    s.write_bytes("content/中心/events/重阳/a.jpg", &jpeg_bytes(60, 40));
    s.write_bytes("content/中心/events/重阳/b.jpg", &jpeg_bytes(70, 40));
    s.build_ok();
    // each: 480 and its own width, in WebP and JPEG
    assert_eq!(cache_entries(&s).len(), 8);

    // a failed build (a broken page elsewhere; b.jpg not listed any more) prunes nothing
    s.page(
        EVENT,
        "title: 重阳敬老\ndate: 2024-10-11\nphotos:\n  - {src: a.jpg, alt: 甲}",
        "",
    );
    s.page("中心/events/坏.md", "title: [", "");
    assert!(s.build().has_errors());
    assert_eq!(cache_entries(&s).len(), 8);

    fs::remove_file(content(&s, "中心/events/坏.md")).unwrap();
    let outcome = s.build_ok();
    assert_eq!(outcome.images.decoded, 0);
    assert_eq!(cache_entries(&s).len(), 4);
}

#[test]
fn check_warns_about_gps_and_missing_alt_text() {
    let s = site("  - {src: turned.jpg}\n  - {src: ok.jpg, alt: 有说明}");
    s.write_bytes("content/中心/events/重阳/turned.jpg", &turned_gps_jpeg());
    s.write_bytes("content/中心/events/重阳/ok.jpg", &jpeg_bytes(64, 48));
    // a bundle without `photos:`: every photo lacks alt text
    s.page(
        "中心/events/植树/index.md",
        "title: 植树\ndate: 2024-03-12",
        "",
    );
    s.write_bytes("content/中心/events/植树/tree.jpg", &jpeg_bytes(64, 48));
    let outcome = s.check();
    let warnings: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(!outcome.has_errors(), "{warnings:#?}");
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    let has = |place: &str, text: &str| {
        warnings
            .iter()
            .any(|w| w.contains(place) && w.contains(text))
    };
    // the entry of the photo without alt is on line 5 of the file
    assert!(
        has(
            "content/中心/events/重阳/index.md:5:5: warning: photo `turned.jpg` has no alt text",
            ""
        ),
        "{warnings:#?}"
    );
    assert!(
        has(
            "content/中心/events/植树/index.md:1:1: warning: photo `tree.jpg`",
            "no alt text"
        ),
        "{warnings:#?}"
    );
    assert!(
        has(
            "content/中心/events/重阳/turned.jpg:1:1: warning:",
            "GPS coordinates"
        ),
        "{warnings:#?}"
    );
    // the coordinates themselves are never printed
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("30") && w.contains("104"))
    );
}

#[test]
fn bad_images_are_errors_at_their_file() {
    let s = site(
        "  - {src: empty.jpg, alt: a}\n  - {src: cut.jpg, alt: b}\n  - {src: noise.jpg, alt: c}\n  - {src: bomb.jpg, alt: d}\n  - {src: scan.png, alt: e}",
    );
    let dir = "content/中心/events/重阳";
    s.write_bytes(&format!("{dir}/empty.jpg"), b"");
    let whole = jpeg_bytes(640, 480);
    s.write_bytes(&format!("{dir}/cut.jpg"), &whole[..whole.len() / 2]);
    // valid headers, then noise where the compressed pixels should be
    let sos = whole.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let scan = sos + 2 + u16::from_be_bytes([whole[sos + 2], whole[sos + 3]]) as usize;
    let mut noise = whole[..scan].to_vec();
    noise.extend((0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    s.write_bytes(&format!("{dir}/noise.jpg"), &noise);
    s.write_bytes(&format!("{dir}/bomb.jpg"), &bomb_jpeg());
    // a TIFF (as scanners write) named .png: unsupported
    let mut tiff = exif_block(1, false);
    tiff.extend([0; 64]);
    s.write_bytes(&format!("{dir}/scan.png"), &tiff);

    let outcome = s.build();
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    let at = |file: &str, text: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("{dir}/{file}:1:1: error: ")) && e.contains(text)),
            "no error for {file} saying {text}: {errors:#?}"
        )
    };
    at("empty.jpg", "empty");
    at("cut.jpg", "cannot decode");
    at("noise.jpg", "cannot decode");
    at("bomb.jpg", "megapixels");
    at("scan.png", "TIFF images are not supported");
    assert!(!s.output().exists(), "a failed build writes nothing");
}

/// A real small JPEG whose frame header claims 65000×65000 pixels.
fn bomb_jpeg() -> Vec<u8> {
    let mut bytes = jpeg_bytes(16, 16);
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bytes[sof + 5..sof + 7].copy_from_slice(&65000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&65000u16.to_be_bytes());
    bytes
}

#[test]
fn the_binary_reports_a_truncated_photo_and_exits_1_without_panicking() {
    let s = site("  - {src: cut.jpg, alt: 半张}");
    let whole = jpeg_bytes(640, 480);
    s.write_bytes(
        "content/中心/events/重阳/cut.jpg",
        &whole[..whole.len() / 3],
    );
    let out = assert_cmd::Command::cargo_bin("yunzhan")
        .unwrap()
        .args(["build", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/中心/events/重阳/cut.jpg:1:1: error: cannot decode"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_cache_may_not_live_in_the_output() {
    let s = site("  - {src: a.jpg, alt: 甲}");
    s.write_bytes("content/中心/events/重阳/a.jpg", &jpeg_bytes(64, 48));
    s.write(
        "site.yaml",
        "title: 测试\nbase_url: https://example.org/\ncache_dir: public/.cache\n",
    );
    let errors: Vec<String> = s
        .build()
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("lies inside the output folder"),
        "{errors:#?}"
    );
}
