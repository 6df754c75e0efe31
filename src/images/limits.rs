//! How big an original may be. A few hundred bytes of header can claim a picture
//! of billions of pixels (a decompression bomb); such files are refused before
//! anything is allocated, and the decoders are held to the same bounds.

/// Largest side accepted, in pixels.
pub const MAX_SIDE: u32 = 32_768;
/// Largest picture accepted, in pixels (100 megapixels: every phone and most cameras).
pub const MAX_PIXELS: u64 = 100_000_000;
/// Most memory one decoder may allocate.
pub const MAX_ALLOC: u64 = 1 << 30;

/// Refuses dimensions beyond the limits, with a message for the file's diagnostic.
pub fn check_size(width: u32, height: u32) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(format!(
            "cannot read the image: it claims to be {width}×{height} pixels"
        ));
    }
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(format!(
            "the image claims to be {width}×{height} pixels ({:.0} megapixels), more than the \
             {} megapixels (and {MAX_SIDE} pixels a side) yunzhan decodes; scale it down first",
            pixels as f64 / 1e6,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// The limits for the `image` crate's decoders.
pub fn decoder_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bombs_and_empty_sizes() {
        assert!(check_size(4000, 3000).is_ok());
        assert!(check_size(0, 10).is_err());
        let e = check_size(60_000, 60_000).unwrap_err();
        assert!(e.contains("60000×60000"), "{e}");
        assert!(check_size(20_000, 20_000).is_err());
    }
}
