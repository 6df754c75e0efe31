//! The map of `/map/`: units placed by `location` on an SVG drawn at build
//! time (no tile server), in an equirectangular projection of the units' own
//! bounding box, with an optional GeoJSON boundary drawn underneath.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::html::escape;
use std::fmt::Write;
use std::path::Path;

/// Width of the map's viewBox; its height follows the area's shape.
const WIDTH: f64 = 800.0;

/// A unit on the map.
#[derive(Debug, Clone)]
pub struct Marker {
    pub lat: f64,
    pub lon: f64,
    /// Full name (the link's accessible name).
    pub title: String,
    /// Short name drawn beside the marker.
    pub label: String,
    pub url: String,
    /// Rank of its level, 0 = top.
    pub rank: usize,
    /// The level's short name (中心, 所…).
    pub level: String,
}

/// Lines of a GeoJSON file, as `(lon, lat)` rings.
#[derive(Debug, Clone, Default)]
pub struct Boundary {
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl Boundary {
    /// Reads `map.boundary` of site.yaml; problems become errors naming the file.
    pub fn load(
        root: &Path,
        display_root: &Path,
        path: &Path,
        diagnostics: &Diagnostics,
    ) -> Option<Boundary> {
        let shown = crate::diagnostics::display_path(display_root, path);
        let text = match std::fs::read_to_string(root.join(path)) {
            Ok(t) => t,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "cannot read the map boundary (`map.boundary` in site.yaml): {e}"
                    ))
                    .in_file(shown),
                );
                return None;
            }
        };
        match Boundary::parse(&text) {
            Ok(b) => Some(b),
            Err(m) => {
                diagnostics.push(Diagnostic::error(m).in_file(shown));
                None
            }
        }
    }

    /// Polygons and lines of a GeoJSON document (a FeatureCollection, a
    /// Feature or a bare geometry); points are ignored.
    pub fn parse(text: &str) -> Result<Boundary, String> {
        let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("the map boundary is not valid JSON: {e}"))?;
        let mut boundary = Boundary::default();
        boundary.collect(&value)?;
        if boundary.rings.is_empty() {
            return Err(
                "the map boundary has no Polygon, MultiPolygon, LineString or MultiLineString"
                    .into(),
            );
        }
        Ok(boundary)
    }

    fn collect(&mut self, v: &serde_json::Value) -> Result<(), String> {
        let kind = v.get("type").and_then(|t| t.as_str()).unwrap_or("");
        let coords = v.get("coordinates");
        match kind {
            "FeatureCollection" => {
                for f in v
                    .get("features")
                    .and_then(|f| f.as_array())
                    .into_iter()
                    .flatten()
                {
                    self.collect(f)?;
                }
            }
            "Feature" => {
                if let Some(g) = v.get("geometry").filter(|g| !g.is_null()) {
                    self.collect(g)?;
                }
            }
            "GeometryCollection" => {
                for g in v
                    .get("geometries")
                    .and_then(|g| g.as_array())
                    .into_iter()
                    .flatten()
                {
                    self.collect(g)?;
                }
            }
            "LineString" => self.rings.push(ring(coords)?),
            "Polygon" | "MultiLineString" => {
                for r in coords.and_then(|c| c.as_array()).into_iter().flatten() {
                    self.rings.push(ring(Some(r))?);
                }
            }
            "MultiPolygon" => {
                for poly in coords.and_then(|c| c.as_array()).into_iter().flatten() {
                    for r in poly.as_array().into_iter().flatten() {
                        self.rings.push(ring(Some(r))?);
                    }
                }
            }
            "Point" | "MultiPoint" => {}
            other => {
                return Err(format!(
                    "the map boundary has a GeoJSON object of unknown type `{other}`"
                ));
            }
        }
        Ok(())
    }

    fn bounds(&self) -> Option<Bounds> {
        let mut b: Option<Bounds> = None;
        for &(lon, lat) in self.rings.iter().flatten() {
            b = Some(b.map_or(Bounds::point(lat, lon), |b| b.with(lat, lon)));
        }
        b
    }
}

fn ring(v: Option<&serde_json::Value>) -> Result<Vec<(f64, f64)>, String> {
    let bad =
        || "the map boundary has coordinates that are not [longitude, latitude] pairs".to_string();
    let points = v.and_then(|v| v.as_array()).ok_or_else(bad)?;
    points
        .iter()
        .map(|p| {
            let lon = p.get(0).and_then(|x| x.as_f64()).ok_or_else(bad)?;
            let lat = p.get(1).and_then(|x| x.as_f64()).ok_or_else(bad)?;
            if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
                Ok((lon, lat))
            } else {
                Err(bad())
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct Bounds {
    south: f64,
    north: f64,
    west: f64,
    east: f64,
}

impl Bounds {
    fn point(lat: f64, lon: f64) -> Bounds {
        Bounds {
            south: lat,
            north: lat,
            west: lon,
            east: lon,
        }
    }

    fn with(self, lat: f64, lon: f64) -> Bounds {
        Bounds {
            south: self.south.min(lat),
            north: self.north.max(lat),
            west: self.west.min(lon),
            east: self.east.max(lon),
        }
    }

    fn union(self, o: Bounds) -> Bounds {
        self.with(o.south, o.west).with(o.north, o.east)
    }
}

/// The projection: degrees to viewBox units.
struct Projection {
    west: f64,
    north: f64,
    /// Units per degree of latitude; longitude is shrunk by cos(mid latitude).
    scale: f64,
    cos: f64,
    height: f64,
}

impl Projection {
    fn fit(b: Bounds) -> Projection {
        let cos = ((b.south + b.north) / 2.0).to_radians().cos().max(0.05);
        // at least about a kilometre either way, and a margin for markers and labels
        let (mut w, mut h) = (
            ((b.east - b.west) * cos).max(0.01),
            (b.north - b.south).max(0.01),
        );
        let (cx, cy) = ((b.west + b.east) / 2.0, (b.south + b.north) / 2.0);
        // keep the shape between wide and tall
        if h / w < 0.5 {
            h = w * 0.5;
        } else if h / w > 1.1 {
            w = h / 1.1;
        }
        let (w, h) = (w * 1.16, h * 1.2);
        let scale = WIDTH / w;
        Projection {
            west: cx - w / cos / 2.0,
            north: cy + h / 2.0,
            scale,
            cos,
            height: (h * scale).round(),
        }
    }

    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.cos * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// Marker radius by level rank.
fn radius(rank: usize) -> f64 {
    [10.0, 8.0, 6.5, 5.5][rank.min(3)]
}

/// The map of `markers` as an `<svg>` with a link per marker, or `None` when
/// there are none. `fit_boundary` widens the area to the whole boundary.
pub fn svg(
    markers: &[Marker],
    boundary: Option<&Boundary>,
    label: &str,
    fit_boundary: bool,
) -> Option<String> {
    let mut bounds = markers
        .iter()
        .map(|m| Bounds::point(m.lat, m.lon))
        .reduce(Bounds::union)?;
    if let (true, Some(b)) = (fit_boundary, boundary.and_then(Boundary::bounds)) {
        bounds = bounds.union(b);
    }
    let p = Projection::fit(bounds);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"map-svg\" viewBox=\"0 0 {WIDTH:.0} {:.0}\" aria-label=\"{}\">\
         <rect class=\"map-bg\" width=\"{WIDTH:.0}\" height=\"{:.0}\"/>",
        p.height,
        escape(label),
        p.height
    );
    if let Some(b) = boundary {
        let mut d = String::new();
        for r in &b.rings {
            let mut last: Option<(f64, f64)> = None;
            for (i, &(lon, lat)) in r.iter().enumerate() {
                let (x, y) = p.xy(lat, lon);
                // points closer than half a unit add bytes, not shape
                if let Some((lx, ly)) = last
                    && (x - lx).abs() < 0.5
                    && (y - ly).abs() < 0.5
                    && i + 1 < r.len()
                {
                    continue;
                }
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' });
                last = Some((x, y));
            }
            if r.len() > 2 && r.first() == r.last() {
                d.push('Z');
            }
        }
        let _ = write!(out, "<path class=\"boundary\" d=\"{d}\"/>");
    }
    // lower levels first, so centers stay on top
    let mut order: Vec<&Marker> = markers.iter().collect();
    order.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.url.cmp(&b.url)));
    for m in &order {
        let (x, y) = p.xy(m.lat, m.lon);
        let _ = write!(
            out,
            "<a href=\"{}\" aria-label=\"{}（{}）\"><circle class=\"mk l{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"/></a>",
            escape(&m.url),
            escape(&m.title),
            escape(&m.level),
            m.rank.min(3),
            radius(m.rank)
        );
    }
    // labels, top levels first, skipping any that would overlap one placed
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut by_rank: Vec<&Marker> = markers.iter().collect();
    by_rank.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.url.cmp(&b.url)));
    for m in by_rank {
        if m.label.is_empty() {
            continue;
        }
        let (x, y) = p.xy(m.lat, m.lon);
        let size = if m.rank == 0 { 17.0 } else { 14.0 };
        let w = size * m.label.chars().count() as f64;
        let (mut lx, ly) = (x + radius(m.rank) + 3.0, y + size * 0.35);
        let mut anchor = "";
        if lx + w > WIDTH - 4.0 {
            lx = x - radius(m.rank) - 3.0;
            anchor = " text-anchor=\"end\"";
        }
        let left = if anchor.is_empty() { lx } else { lx - w };
        let rect = (left, ly - size, left + w, ly + 4.0);
        if placed
            .iter()
            .any(|r| rect.0 < r.2 && r.0 < rect.2 && rect.1 < r.3 && r.1 < rect.3)
        {
            continue;
        }
        placed.push(rect);
        let _ = write!(
            out,
            "<text class=\"lbl t{}\" x=\"{lx:.1}\" y=\"{ly:.1}\"{anchor} aria-hidden=\"true\">{}</text>",
            m.rank.min(3),
            escape(&m.label)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(lat: f64, lon: f64, rank: usize, name: &str) -> Marker {
        Marker {
            lat,
            lon,
            title: format!("{name}新时代文明实践站"),
            label: name.into(),
            url: format!("/{name}/"),
            rank,
            level: "站".into(),
        }
    }

    /// `(cx, cy)` of every marker, in document order.
    fn points(svg: &str) -> Vec<(f64, f64)> {
        svg.split("<circle ")
            .skip(1)
            .map(|c| {
                let num = |k: &str| -> f64 {
                    c.split(k)
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap()
                };
                (num("cx=\""), num("cy=\""))
            })
            .collect()
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let svg = svg(
            &[
                marker(36.60, 101.70, 2, "西南"),
                marker(36.70, 101.80, 2, "东北"),
            ],
            None,
            "地图",
            false,
        )
        .unwrap();
        let pts = points(&svg);
        // markers are drawn in URL order: /东北/ before /西南/
        let (ne, sw) = (pts[0], pts[1]);
        assert!(ne.0 > sw.0 && ne.1 < sw.1, "{pts:?}");
        // both inside the viewBox
        let height: f64 = svg
            .split("viewBox=\"0 0 800 ")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        for (x, y) in pts {
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=height).contains(&y));
        }
        assert!(svg.contains("<a href=\"/东北/\" aria-label=\"东北新时代文明实践站（站）\">"));
    }

    #[test]
    fn one_unit_alone_is_centered() {
        let svg = svg(&[marker(30.0, 104.0, 0, "中心")], None, "地图", false).unwrap();
        let (x, _) = points(&svg)[0];
        assert!((x - WIDTH / 2.0).abs() < 1.0);
        assert!(svg.contains(">中心</text>"));
        assert!(super::svg(&[], None, "地图", false).is_none());
    }

    #[test]
    fn geojson_boundaries_are_read_and_drawn() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[101.6,36.5],[101.9,36.5],[101.9,36.8],[101.6,36.5]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[101.7,36.6]}}]}"#;
        let b = Boundary::parse(text).unwrap();
        assert_eq!(b.rings.len(), 1);
        let svg = svg(&[marker(36.62, 101.78, 1, "城中")], Some(&b), "地图", true).unwrap();
        let d = svg
            .split("class=\"boundary\" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        assert!(Boundary::parse("{\"type\":\"Point\",\"coordinates\":[1,2]}").is_err());
        assert!(Boundary::parse("{\"type\":\"Polygon\",\"coordinates\":[[[500,2]]]}").is_err());
        assert!(
            Boundary::parse("not json")
                .unwrap_err()
                .contains("not valid JSON")
        );
    }
}
