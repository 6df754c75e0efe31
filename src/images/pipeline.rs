//! Turns one original into its published files: decode (JPEGs at a reduced
//! scale when every target is much smaller), convert to sRGB, resize with SIMD,
//! apply the EXIF orientation, encode as lossy WebP and JPEG. The encoders are
//! given bare pixels, so no metadata of the original can reach an output.

use super::limits::{self, MAX_ALLOC};
use super::probe::{Original, SourceFormat};
use crate::model::ImageVariant;
use fast_image_resize as fir;
use std::io::Cursor;

/// Bump when a change here alters the bytes of derived images: it is part of
/// every cache key, so old entries are not reused.
pub const VERSION: u32 = 1;

/// Decoded pixels, 8 bits a channel, RGB or RGBA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    /// 3 (RGB) or 4 (RGBA).
    pub channels: u8,
    pub data: Vec<u8>,
}

/// Decoded pixels and the ICC profile they are in, if any.
type Decoded = (Pixels, Option<Vec<u8>>);

/// The bytes of every file in `variants`, in that order, made from `bytes`.
pub fn make(
    bytes: &[u8],
    original: &Original,
    variants: &[&ImageVariant],
    quality: u8,
) -> Result<Vec<Vec<u8>>, String> {
    // the largest target, in the file's own orientation, bounds the decode scale
    let (mut want_w, mut want_h) = variants
        .iter()
        .map(|v| (v.width, v.height))
        .max()
        .unwrap_or((original.width, original.height));
    if original.swaps_axes() {
        (want_w, want_h) = (want_h, want_w);
    }
    let (pixels, icc) = decode(bytes, original.format, want_w, want_h)?;
    let mut pixels = pixels;
    if let Some(icc) = icc {
        to_srgb(&mut pixels, &icc);
    }
    let mut resizer = fir::Resizer::new();
    let mut out: Vec<Option<Vec<u8>>> = vec![None; variants.len()];
    for (i, v) in variants.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let (w, h) = if original.swaps_axes() {
            (v.height, v.width)
        } else {
            (v.width, v.height)
        };
        let sized = orient(resize(&mut resizer, &pixels, w, h)?, original.orientation);
        // every format wanted at this size, from the same resized pixels
        for (j, other) in variants.iter().enumerate().skip(i) {
            if (other.width, other.height) == (v.width, v.height) {
                out[j] = Some(encode(&sized, &other.format, quality)?);
            }
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

/// Decodes `bytes`, at a reduced scale for JPEGs where that still covers
/// `want_w`×`want_h`; returns the pixels and the ICC profile.
fn decode(bytes: &[u8], format: SourceFormat, want_w: u32, want_h: u32) -> Result<Decoded, String> {
    if format == SourceFormat::Jpeg
        && let Some(decoded) = decode_jpeg_scaled(bytes, want_w, want_h)?
    {
        return Ok(decoded);
    }
    decode_any(bytes, format)
}

/// JPEG decoding with IDCT scaling (1/2, 1/4, 1/8): a 12-megapixel photo
/// wanted 1600 wide is decoded at 2000×1500, at a fraction of the work.
/// `None` for colour models it does not handle (CMYK, 16-bit).
fn decode_jpeg_scaled(bytes: &[u8], want_w: u32, want_h: u32) -> Result<Option<Decoded>, String> {
    let fail = |e: jpeg_decoder::Error| format!("cannot decode the JPEG: {e}");
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(MAX_ALLOC as usize);
    decoder.read_info().map_err(fail)?;
    let info = decoder.info().ok_or("cannot decode the JPEG: no frame")?;
    limits::check_size(u32::from(info.width), u32::from(info.height))?;
    let gray = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => false,
        jpeg_decoder::PixelFormat::L8 => true,
        _ => return Ok(None),
    };
    let clamp = |v: u32| v.clamp(1, u32::from(u16::MAX)) as u16;
    decoder.scale(clamp(want_w), clamp(want_h)).map_err(fail)?;
    let data = decoder.decode().map_err(fail)?;
    let info = decoder.info().ok_or("cannot decode the JPEG: no frame")?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let data = if gray {
        data.iter().flat_map(|&l| [l, l, l]).collect()
    } else {
        data
    };
    if data.len() != width as usize * height as usize * 3 {
        return Err("cannot decode the JPEG: the decoder returned too few pixels".into());
    }
    let pixels = Pixels {
        width,
        height,
        channels: 3,
        data,
    };
    Ok(Some((pixels, decoder.icc_profile())))
}

/// Decoding with the `image` crate's decoders, held to [`limits`].
fn decode_any(bytes: &[u8], format: SourceFormat) -> Result<Decoded, String> {
    use image::ImageDecoder;
    let fail = |e: image::ImageError| format!("cannot decode the image: {e}");
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits::decoder_limits());
    let mut decoder = reader.into_decoder().map_err(fail)?;
    let (w, h) = decoder.dimensions();
    limits::check_size(w, h)?;
    let icc = decoder.icc_profile().ok().flatten();
    let image = image::DynamicImage::from_decoder(decoder).map_err(fail)?;
    let pixels = if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        let (width, height) = rgba.dimensions();
        let data = rgba.into_raw();
        if data.chunks_exact(4).all(|p| p[3] == 255) {
            Pixels {
                width,
                height,
                channels: 3,
                data: data
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect(),
            }
        } else {
            Pixels {
                width,
                height,
                channels: 4,
                data,
            }
        }
    } else {
        let rgb = image.into_rgb8();
        let (width, height) = rgb.dimensions();
        Pixels {
            width,
            height,
            channels: 3,
            data: rgb.into_raw(),
        }
    };
    Ok((pixels, icc))
}

/// Converts pixels in the colour space of `icc` to sRGB, so that the profile
/// can be dropped. Profiles with sRGB's primaries (most cameras) are left alone;
/// a profile that cannot be read leaves the pixels as they are.
fn to_srgb(pixels: &mut Pixels, icc: &[u8]) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    let srgb = ColorProfile::new_srgb();
    if profile.color_space != DataColorSpace::Rgb {
        return;
    }
    let close = |a: moxcms::Xyzd, b: moxcms::Xyzd| {
        (a.x - b.x).abs() < 0.003 && (a.y - b.y).abs() < 0.003 && (a.z - b.z).abs() < 0.003
    };
    if profile.is_matrix_shaper()
        && close(profile.red_colorant, srgb.red_colorant)
        && close(profile.green_colorant, srgb.green_colorant)
        && close(profile.blue_colorant, srgb.blue_colorant)
    {
        return;
    }
    let layout = if pixels.channels == 4 {
        Layout::Rgba
    } else {
        Layout::Rgb
    };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let mut out = vec![0; pixels.data.len()];
    if transform.transform(&pixels.data, &mut out).is_ok() {
        pixels.data = out;
    }
}

/// Resizes to `width`×`height` with a Lanczos3 filter (alpha-aware for RGBA).
fn resize(
    resizer: &mut fir::Resizer,
    pixels: &Pixels,
    width: u32,
    height: u32,
) -> Result<Pixels, String> {
    if (width, height) == (pixels.width, pixels.height) {
        return Ok(pixels.clone());
    }
    let kind = if pixels.channels == 4 {
        fir::PixelType::U8x4
    } else {
        fir::PixelType::U8x3
    };
    let fail = |e: &dyn std::fmt::Display| format!("cannot resize the image: {e}");
    let src = fir::images::ImageRef::new(pixels.width, pixels.height, &pixels.data, kind)
        .map_err(|e| fail(&e))?;
    let mut dst = fir::images::Image::new(width, height, kind);
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|e| fail(&e))?;
    Ok(Pixels {
        width,
        height,
        channels: pixels.channels,
        data: dst.into_vec(),
    })
}

/// Applies an EXIF orientation (1–8) to the pixels.
pub fn orient(pixels: Pixels, orientation: u8) -> Pixels {
    let Some(o) = image::metadata::Orientation::from_exif(orientation)
        .filter(|o| *o != image::metadata::Orientation::NoTransforms)
    else {
        return pixels;
    };
    let Pixels {
        width,
        height,
        channels,
        data,
    } = pixels;
    let mut image = if channels == 4 {
        image::DynamicImage::ImageRgba8(
            image::RgbaImage::from_raw(width, height, data).expect("sized buffer"),
        )
    } else {
        image::DynamicImage::ImageRgb8(
            image::RgbImage::from_raw(width, height, data).expect("sized buffer"),
        )
    };
    image.apply_orientation(o);
    Pixels {
        width: image.width(),
        height: image.height(),
        channels,
        data: image.into_bytes(),
    }
}

/// Encodes as `webp` (lossy, alpha kept) or `jpeg` (alpha flattened on white).
fn encode(pixels: &Pixels, format: &str, quality: u8) -> Result<Vec<u8>, String> {
    match format {
        "webp" => encode_webp(pixels, quality),
        "jpeg" => encode_jpeg(pixels, quality),
        other => Err(format!("cannot write {other} images")),
    }
}

fn encode_webp(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, String> {
    if pixels.width > 16_383 || pixels.height > 16_383 {
        return Err("cannot write a WebP wider or taller than 16383 pixels".into());
    }
    let encoder = if pixels.channels == 4 {
        webp::Encoder::from_rgba(&pixels.data, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(&pixels.data, pixels.width, pixels.height)
    };
    let mut config =
        webp::WebPConfig::new().map_err(|_| "cannot set up the WebP encoder".to_string())?;
    config.lossless = 0;
    config.quality = f32::from(quality);
    config.method = 4;
    config.alpha_compression = 1;
    config.thread_level = 0;
    let webp = encoder
        .encode_advanced(&config)
        .map_err(|e| format!("cannot encode WebP: {e:?}"))?;
    Ok(webp.to_vec())
}

fn encode_jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, String> {
    let flat;
    let rgb = if pixels.channels == 4 {
        flat = flatten_on_white(&pixels.data);
        &flat
    } else {
        &pixels.data
    };
    let (Ok(w), Ok(h)) = (u16::try_from(pixels.width), u16::try_from(pixels.height)) else {
        return Err("cannot write a JPEG wider or taller than 65535 pixels".into());
    };
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.set_optimized_huffman_tables(true);
    encoder.set_progressive(true);
    encoder
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("cannot encode JPEG: {e}"))?;
    Ok(out)
}

/// RGBA → RGB over a white background.
fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let a = u32::from(p[3]);
            let mix = move |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [mix(p[0]), mix(p[1]), mix(p[2])]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 90, 200]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn jpegs_decode_at_the_smallest_scale_that_covers_the_target() {
        let bytes = jpeg(400, 300);
        let (p, _) = decode(&bytes, SourceFormat::Jpeg, 100, 75).unwrap();
        assert_eq!((p.width, p.height), (100, 75));
        let (p, _) = decode(&bytes, SourceFormat::Jpeg, 120, 90).unwrap();
        assert_eq!((p.width, p.height), (200, 150));
        let (p, _) = decode(&bytes, SourceFormat::Jpeg, 300, 225).unwrap();
        assert_eq!((p.width, p.height), (400, 300));
        assert_eq!(p.data.len(), 400 * 300 * 3);
    }

    #[test]
    fn flattens_transparency_on_white() {
        assert_eq!(
            flatten_on_white(&[0, 0, 0, 0, 10, 20, 30, 255, 0, 0, 0, 128]),
            vec![255, 255, 255, 10, 20, 30, 127, 127, 127]
        );
    }

    #[test]
    fn orientation_six_turns_clockwise() {
        // 2×1: red, blue → turned a quarter clockwise: 1×2, red on top
        let p = Pixels {
            width: 2,
            height: 1,
            channels: 3,
            data: vec![255, 0, 0, 0, 0, 255],
        };
        let turned = orient(p, 6);
        assert_eq!((turned.width, turned.height), (1, 2));
        assert_eq!(turned.data, vec![255, 0, 0, 0, 0, 255]);
    }
}
