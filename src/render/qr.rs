//! QR codes as inline SVG: one `<path>` whose subpaths are the horizontal runs
//! of dark modules. (The qrcode crate's own SVG renderer writes a subpath per
//! module, about four times the bytes for a unit's URL.)

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, Version, bits, ec};
use std::sync::OnceLock;

/// The light modules around the code that scanners need.
const QUIET_ZONE: usize = 4;

/// The QR code of `text` as an `<svg>` element labelled `label`, or `None`
/// when the text is too long for a QR code. Medium error correction: a poster
/// on a wall gets scuffed.
///
/// Each row's runs of dark modules are strokes one module wide along the
/// row's middle (`M4 4.5h7m3 0h1`: a run, then the gap to the next and its
/// length), half the bytes of a rectangle per run; with butt caps and
/// `crispEdges` a stroke covers exactly its modules.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = code_modules(text.as_bytes(), EcLevel::M)?;
    let size = code.width() + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(code.width() * code.width() / 6);
    let (mut row, mut end) = (usize::MAX, 0);
    code.dark_runs(|x, y, run| {
        // without `write!`: formatting took a third of the time of a code
        let mut n = itoa::Buffer::new();
        if y == row {
            path.push('m');
            path.push_str(n.format(x - end));
            path.push_str(" 0h");
        } else {
            path.push('M');
            path.push_str(n.format(x + QUIET_ZONE));
            path.push(' ');
            path.push_str(n.format(y + QUIET_ZONE));
            path.push_str(".5h");
            row = y;
        }
        path.push_str(n.format(run));
        end = x + run;
    });
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{px}\" height=\"{px}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>",
        px = size * 4,
        label = crate::html::escape(label),
    ))
}

/// The modules of a code: rows of bits for a code up to 64 wide (see
/// [`Frame`]), else the qrcode crate's grid.
// one per code, on the stack: boxing the rows would cost an allocation
#[allow(clippy::large_enum_variant)]
enum Modules {
    Rows { width: usize, rows: [u64; 64] },
    Grid { width: usize, colors: Vec<Color> },
}

impl Modules {
    fn width(&self) -> usize {
        match self {
            Modules::Rows { width, .. } | Modules::Grid { width, .. } => *width,
        }
    }

    /// Calls `f(x, y, run)` for each horizontal run of dark modules, row by row.
    fn dark_runs(&self, mut f: impl FnMut(usize, usize, usize)) {
        match self {
            Modules::Rows { width, rows } => {
                for (y, &row) in rows[..*width].iter().enumerate() {
                    let mut rest = row;
                    let mut x = 0;
                    while rest != 0 {
                        let skip = rest.trailing_zeros();
                        rest >>= skip;
                        let run = (!rest).trailing_zeros();
                        x += skip as usize;
                        f(x, y, run as usize);
                        x += run as usize;
                        rest = rest.checked_shr(run).unwrap_or(0);
                    }
                }
            }
            Modules::Grid { width, colors } => {
                for (y, row) in colors.chunks_exact(*width).enumerate() {
                    let mut x = 0;
                    while x < *width {
                        let start = x;
                        while x < *width && row[x] == Color::Dark {
                            x += 1;
                        }
                        if x > start {
                            f(start, y, x - start);
                        }
                        x += 1;
                    }
                }
            }
        }
    }

    /// The modules as the qrcode crate's `to_colors` gives them.
    #[cfg(test)]
    fn colors(&self) -> Vec<Color> {
        match self {
            Modules::Rows { width, rows } => rows[..*width]
                .iter()
                .flat_map(|&row| {
                    (0..*width).map(move |x| [Color::Light, Color::Dark][(row >> x & 1) as usize])
                })
                .collect(),
            Modules::Grid { colors, .. } => colors.clone(),
        }
    }
}

/// The masks in the order the qrcode crate tries them (its first best wins).
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The width and the modules (row by row) of the QR code of `data`: the same
/// code as `QrCode::with_error_correction_level`, whose mask choice allocates
/// in its innermost loop and took half the time of a build; here the same
/// penalty rules run over a plain grid, or over rows of bits (see [`Frame`]).
fn code_modules(data: &[u8], ec_level: EcLevel) -> Option<Modules> {
    let bits = bits::encode_auto(data, ec_level).ok()?;
    let version = bits.version();
    let (data, ec) = ec::construct_codewords(&bits.into_bytes(), version, ec_level).ok()?;
    let w = version.width() as usize;
    if let Some(frame) = Frame::of(version, ec_level) {
        let mut unmasked = [0u64; 64];
        let bits = data
            .iter()
            .chain(&ec)
            .flat_map(|&b| (0..8).rev().map(move |j| b >> j & 1));
        for (&(x, y), bit) in frame.order.iter().zip(bits) {
            unmasked[y as usize] |= u64::from(bit) << x;
        }
        // masking is bitwise, so the columns are masked the same way
        let unmasked_columns = columns(&unmasked[..w], w);
        let mut best: Option<(u16, [u64; 64])> = None;
        for (masked, masked_columns) in frame.masked.iter().zip(&frame.masked_columns) {
            let (mut code, mut code_columns) = ([0u64; 64], [0u64; 64]);
            for i in 0..w {
                code[i] = masked[i] ^ (unmasked[i] & frame.data[i]);
                code_columns[i] = masked_columns[i] ^ (unmasked_columns[i] & frame.data_columns[i]);
            }
            let score = penalty_lines(&code[..w], &code_columns[..w], w);
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, code));
            }
        }
        let (_, rows) = best?;
        return Some(Modules::Rows { width: w, rows });
    }
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let mut best: Option<(u16, Vec<Color>)> = None;
    for mask in MASKS {
        let mut c = canvas.clone();
        c.apply_mask(mask);
        let colors = c.into_colors();
        let score = penalty(&colors, w);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, colors));
        }
    }
    best.map(|(_, colors)| Modules::Grid { width: w, colors })
}

/// What every code of one version and error correction level shares, for
/// codes up to 64 modules wide (version 11, URLs of up to about 250 bytes),
/// as rows of bits (bit `x` of row `y` is the module at `x, y`): which modules
/// hold data, and per mask (in [`MASKS`] order) the function patterns with
/// that mask's format information, and the mask itself on the data modules.
/// A code masked with mask `m` is then `masked[m] ^ (unmasked & data)`,
/// a few operations per row instead of a canvas copied and masked per module;
/// and `unmasked` is the codewords' bits put at the data modules in `order`.
struct Frame {
    data: [u64; 64],
    masked: [[u64; 64]; 8],
    /// `data` and `masked` by columns.
    data_columns: [u64; 64],
    masked_columns: [[u64; 64]; 8],
    /// The data modules (`x`, `y`) in the order the codewords' bits fill
    /// them (ISO/IEC 18004 §7.7.3): two columns at a time from the right,
    /// upwards then downwards, the right one first, skipping the vertical
    /// timing pattern.
    order: Vec<(u8, u8)>,
}

impl Frame {
    /// The frame of `version` at `ec_level`, made once per process; `None`
    /// for a code wider than 64 modules.
    fn of(version: Version, ec_level: EcLevel) -> Option<&'static Frame> {
        static FRAMES: [[OnceLock<Frame>; 4]; 11] = [const { [const { OnceLock::new() }; 4] }; 11];
        let Version::Normal(v @ 1..=11) = version else {
            return None;
        };
        Some(
            FRAMES[v as usize - 1][ec_level as usize].get_or_init(|| Frame::new(version, ec_level)),
        )
    }

    fn new(version: Version, ec_level: EcLevel) -> Frame {
        let w = version.width();
        let mut canvas = Canvas::new(version, ec_level);
        canvas.draw_all_functional_patterns();
        let mut data = [0u64; 64];
        for (y, row) in data.iter_mut().enumerate().take(w as usize) {
            for x in 0..w {
                *row |= u64::from(canvas.get(x, y as i16) == Module::Empty) << x;
            }
        }
        let masked = MASKS.map(|mask| {
            let mut c = canvas.clone();
            c.apply_mask(mask);
            rows(&c.into_colors(), w as usize)
        });
        let mut order = Vec::new();
        let mut right = w - 1;
        let mut upward = true;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for i in 0..w {
                let y = if upward { w - 1 - i } else { i };
                for x in [right, right - 1] {
                    if data[y as usize] >> x & 1 == 1 {
                        order.push((x as u8, y as u8));
                    }
                }
            }
            upward = !upward;
            right -= 2;
        }
        let w = w as usize;
        Frame {
            data_columns: columns(&data[..w], w),
            masked_columns: masked.map(|m| columns(&m[..w], w)),
            data,
            masked,
            order,
        }
    }
}

/// The modules of a code `w` ≤ 64 wide as rows of bits, dark set.
fn rows(colors: &[Color], w: usize) -> [u64; 64] {
    let mut rows = [0u64; 64];
    // branch-free: a module is as likely dark as light
    for (row, modules) in rows.iter_mut().zip(colors.chunks_exact(w)) {
        for (x, &c) in modules.iter().enumerate() {
            *row |= u64::from(c == Color::Dark) << x;
        }
    }
    rows
}

/// [`penalty`] for a code up to 64 modules wide, as rows of bits: every row
/// and column is one `u64`, and each rule is a few shifts and popcounts per
/// line instead of a pass per module.
#[cfg(test)]
fn penalty_rows(rows: &[u64], w: usize) -> u16 {
    penalty_lines(rows, &columns(rows, w)[..w], w)
}

/// The columns of a code given as rows of bits, as rows of bits.
fn columns(rows: &[u64], w: usize) -> [u64; 64] {
    let mut columns = [0u64; 64];
    for (x, column) in columns.iter_mut().enumerate().take(w) {
        for (y, &row) in rows.iter().enumerate() {
            *column |= (row >> x & 1) << y;
        }
    }
    columns
}

/// [`penalty`] of a code given as its rows and its columns of bits.
fn penalty_lines(rows: &[u64], columns: &[u64], w: usize) -> u16 {
    let full = if w == 64 { u64::MAX } else { (1 << w) - 1 };
    let mut score: u32 = 0;
    // runs of five or more of one color: 3 + (run − 5) = (run − 4) + 2
    for &line in rows.iter().chain(columns) {
        for same in [line, !line & full] {
            let five = same & same >> 1 & same >> 2 & same >> 3 & same >> 4;
            score += five.count_ones() + 2 * (five & !(five << 1)).count_ones();
        }
    }
    // 2×2 blocks of one color
    let pairs = full >> 1;
    for two in rows.windows(2) {
        let vertical = !(two[0] ^ two[1]);
        let block = vertical & vertical >> 1 & !(two[0] ^ two[0] >> 1) & pairs;
        score += 3 * block.count_ones();
    }
    // finder-like 1:1:3:1:1 patterns, flagged unless dark modules lie within
    // four on both sides
    let starts = if w >= 7 { full >> 6 } else { 0 };
    let mut finder: u16 = 0;
    for lines in [rows, columns] {
        let mut found: u32 = 0;
        for &d in lines {
            let pattern = d & !(d >> 1) & d >> 2 & d >> 3 & d >> 4 & !(d >> 5) & d >> 6 & starts;
            let before = d << 1 | d << 2 | d << 3 | d << 4;
            let after = d >> 7 | d >> 8 | d >> 9 | d >> 10;
            found += 40 * (pattern & !(before & after)).count_ones();
        }
        finder = finder.wrapping_add((found as u16).wrapping_sub(360));
    }
    let dark: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    let balance = (dark * 200 / (w * w)).abs_diff(100) as u16;
    (score as u16).wrapping_add(finder).wrapping_add(balance)
}

/// The qrcode crate's penalty score of a masked code (ISO/IEC 18004 §7.8.3,
/// with its unrounded balance rule), computed without allocating.
fn penalty(colors: &[Color], w: usize) -> u16 {
    let dark: Vec<bool> = colors.iter().map(|&c| c == Color::Dark).collect();
    let at = |x: usize, y: usize| dark[y * w + x];
    let mut score: u32 = 0;
    // runs of five or more of one color: 3 + (run − 5)
    for horizontal in [true, false] {
        let get = |i: usize, j: usize| if horizontal { at(j, i) } else { at(i, j) };
        for i in 0..w {
            let mut run = 1;
            for j in 1..=w {
                if j < w && get(i, j) == get(i, j - 1) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += run - 2;
                    }
                    run = 1;
                }
            }
        }
    }
    // 2×2 blocks of one color
    for y in 0..w - 1 {
        for x in 0..w - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    // finder-like 1:1:3:1:1 patterns with four light modules on a side
    // (outside the code counts as light); the three real finders are discounted
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut finder: u16 = 0;
    for horizontal in [true, false] {
        let get = |i: usize, k: usize| if horizontal { at(k, i) } else { at(i, k) };
        let mut found: u16 = 0;
        for i in 0..w {
            for j in 0..w - 6 {
                if (0..7).any(|k| get(i, j + k) != PATTERN[k]) {
                    continue;
                }
                let before = (j.saturating_sub(4)..j).any(|k| get(i, k));
                let after = (j + 7..(j + 11).min(w)).any(|k| get(i, k));
                if !before || !after {
                    found = found.wrapping_add(40);
                }
            }
        }
        finder = finder.wrapping_add(found.wrapping_sub(360));
    }
    // balance of dark and light
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
    let balance = ratio.abs_diff(100) as u16;
    (score as u16).wrapping_add(finder).wrapping_add(balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    #[test]
    fn the_same_code_as_the_qrcode_crate() {
        let mut urls = vec![
            "https://example.org/".to_string(),
            "https://example.org/chengzhongqu/renminjie-jiedao/shipojie-shequ/".to_string(),
        ];
        for i in 0..300 {
            urls.push(format!(
                "https://example.org/{}/zhan-{i}/%E4%B8%AD{}/",
                "ab".repeat(i % 40),
                i * 7919
            ));
        }
        // every width up to version 17, on both sides of the 64-module line
        for i in 0..60 {
            urls.push(format!("https://example.org/{}/", "长".repeat(3 * i)));
        }
        for url in urls {
            let code = QrCode::with_error_correction_level(&url, EcLevel::M).unwrap();
            let modules = code_modules(url.as_bytes(), EcLevel::M).unwrap();
            assert_eq!(modules.width(), code.width(), "{url}");
            assert_eq!(modules.colors(), code.to_colors(), "{url}");
        }
    }

    #[test]
    fn both_penalty_rules_score_alike() {
        for i in 0..40 {
            let url = format!("https://example.org/{}/", "站".repeat(2 * i));
            let bits = bits::encode_auto(url.as_bytes(), EcLevel::M).unwrap();
            let version = bits.version();
            let w = version.width() as usize;
            let (data, ec) =
                ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).unwrap();
            let mut canvas = Canvas::new(version, EcLevel::M);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&data, &ec);
            for mask in MASKS {
                let mut c = canvas.clone();
                c.apply_mask(mask);
                let colors = c.into_colors();
                if w <= 64 {
                    let rows = rows(&colors, w);
                    assert_eq!(penalty_rows(&rows[..w], w), penalty(&colors, w), "{url}");
                }
            }
        }
    }

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
        // `M x y.5 h run` starts a row, `m gap 0 h run` goes on along it
        let (mut x, mut y) = (0, 0);
        let mut rest = d;
        while let Some(command) = rest.chars().next() {
            let end = rest[1..].find(['M', 'm']).map_or(rest.len(), |i| i + 1);
            let (at, run) = rest[1..end].split_once('h').unwrap();
            let (a, b): (usize, &str) = {
                let (a, b) = at.split_once(' ').unwrap();
                (a.parse().unwrap(), b)
            };
            if command == 'M' {
                (x, y) = (a, b.strip_suffix(".5").unwrap().parse().unwrap());
            } else {
                assert_eq!((command, b), ('m', "0"), "a move along the row");
                x += a;
            }
            let run: usize = run.parse().unwrap();
            for i in 0..run {
                grid[y * size + x + i] = true;
            }
            x += run;
            rest = &rest[end..];
        }
        (size, grid)
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let unit = "https://example.org/chengzhongqu/renminjie-jiedao/shipojie-shequ/";
        // rows of bits up to 64 modules wide, the crate's grid beyond
        let wide = format!("https://example.org/{}/", "长".repeat(100));
        for url in [unit, wide.as_str()] {
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
                    let dark =
                        inside && colors[(y - QUIET_ZONE) * w + x - QUIET_ZONE] == Color::Dark;
                    assert_eq!(grid[y * size + x], dark, "{url}: module {x},{y}");
                }
            }
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("aria-label=\"本页二维码\""));
        }
        let size = svg(unit, "本页二维码").unwrap().len();
        assert!(size < 3000, "{size} bytes");
        assert!(QrCode::new(&wide).unwrap().width() > 64);
    }

    #[test]
    fn too_long_is_none() {
        assert!(svg(&"x".repeat(5000), "x").is_none());
    }
}
