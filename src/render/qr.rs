//! QR codes as inline SVG: one `<path>` whose subpaths are the horizontal runs
//! of dark modules. (The qrcode crate's own SVG renderer writes a subpath per
//! module, about four times the bytes for a unit's URL.)

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The light modules around the code that scanners need.
const QUIET_ZONE: usize = 4;

/// The QR code of `text` as an `<svg>` element labelled `label`, or `None`
/// when the text is too long for a QR code. Medium error correction: a poster
/// on a wall gets scuffed.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width / 3);
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    path,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{px}\" height=\"{px}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        px = size * 4,
        label = crate::html::escape(label),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the modules back from the path: every run becomes dark cells.
    fn modules(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut grid = vec![false; size * size];
        for sub in d.split('M').filter(|s| !s.is_empty()) {
            let (xy, rest) = sub.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let run: usize = rest.split('v').next().unwrap().parse().unwrap();
            for i in 0..run {
                grid[y * size + x + i] = true;
            }
        }
        (size, grid)
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let url = "https://example.org/chengzhongqu/renminjie-jiedao/shipojie-shequ/";
        let svg = svg(url, "本页二维码").unwrap();
        let code = QrCode::with_error_correction_level(url, EcLevel::M).unwrap();
        let w = code.width();
        let (size, grid) = modules(&svg);
        assert_eq!(size, w + 2 * QUIET_ZONE);
        let colors = code.to_colors();
        for y in 0..size {
            for x in 0..size {
                let inside = (QUIET_ZONE..QUIET_ZONE + w).contains(&x)
                    && (QUIET_ZONE..QUIET_ZONE + w).contains(&y);
                let dark = inside && colors[(y - QUIET_ZONE) * w + x - QUIET_ZONE] == Color::Dark;
                assert_eq!(grid[y * size + x], dark, "module {x},{y}");
            }
        }
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-label=\"本页二维码\""));
        assert!(svg.len() < 5500, "{} bytes", svg.len());
    }

    #[test]
    fn too_long_is_none() {
        assert!(svg(&"x".repeat(5000), "x").is_none());
    }
}
