//! Charts drawn at build time: inline SVG that needs no script, with a summary
//! as its accessible name and the numbers as a table beside it.
//!
//! Colours come from the stylesheet (classes `bar`, `grid`, `axis`), so charts
//! follow the light and dark themes.

use crate::html::escape;
use crate::model::Tally;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width of every chart's viewBox; the stylesheet scales it to its column.
const WIDTH: f64 = 400.0;
/// How many months a month chart shows at most (the newest).
const MAX_MONTHS: usize = 36;

/// One bar: what it counts and how many.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: u64,
}

/// A round upper bound for an axis: 1, 2, 5 × 10ⁿ.
fn nice_max(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return (m * step).max(1);
            }
        }
        step *= 10;
    }
}

/// `2024-03` → (2024, 3).
fn parse_month(key: &str) -> Option<(i32, u32)> {
    let (y, m) = key.split_once('-')?;
    Some((y.parse().ok()?, m.parse().ok()?))
}

fn month_index(y: i32, m: u32) -> i64 {
    i64::from(y) * 12 + i64::from(m) - 1
}

/// `figure` around a chart: caption, SVG and the data table.
fn figure(
    class: &str,
    caption: &str,
    note: &str,
    svg: &str,
    head: (&str, &str),
    rows: &[(String, String)],
) -> String {
    let mut table = String::new();
    for (k, v) in rows {
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(k),
            escape(v)
        );
    }
    format!(
        "<figure class=\"chart {class}\"><figcaption>{caption}{note}</figcaption>{svg}\
         <details><summary>数据表</summary><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\
         <tbody>{table}</tbody></table></details></figure>",
        escape(head.0),
        escape(head.1),
        caption = escape(caption),
        note = if note.is_empty() {
            String::new()
        } else {
            format!("<span>{}</span>", escape(note))
        },
    )
}

/// Columns of events per month, the months without events included, at most
/// the newest [`MAX_MONTHS`]. `None` when there is nothing to draw.
pub fn months(by_month: &Tally, caption: &str) -> Option<String> {
    let parsed: Vec<((i32, u32), u64)> = by_month
        .iter()
        .filter_map(|(k, v)| parse_month(k).map(|ym| (ym, v)))
        .collect();
    let (&(last_ym, _), &(first_ym, _)) = (parsed.last()?, parsed.first()?);
    let last = month_index(last_ym.0, last_ym.1);
    let first = month_index(first_ym.0, first_ym.1).max(last - MAX_MONTHS as i64 + 1);
    let counts: BTreeMap<i64, u64> = parsed
        .iter()
        .map(|((y, m), v)| (month_index(*y, *m), *v))
        .collect();
    let months: Vec<(i32, u32, u64)> = (first..=last)
        .map(|i| {
            (
                (i / 12) as i32,
                (i % 12) as u32 + 1,
                counts.get(&i).copied().unwrap_or(0),
            )
        })
        .collect();
    let total: u64 = months.iter().map(|m| m.2).sum();
    let peak = months
        .iter()
        .max_by_key(|m| (m.2, -(month_index(m.0, m.1))))?;
    let top = nice_max(peak.2);

    let (left, right, top_pad, bottom) = (30.0, 6.0, 10.0, 26.0);
    let height = 170.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top_pad - bottom;
    let slot = plot_w / months.len() as f64;
    let bar_w = (slot * 0.72).max(1.0);
    let y_of = |v: u64| top_pad + plot_h - plot_h * v as f64 / top as f64;

    let mut svg = String::new();
    // grid lines and their labels: 0, half, top
    for v in [0, top / 2, top] {
        if v == top / 2 && (top % 2 == 1 || top < 2) {
            continue;
        }
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.0}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            WIDTH - right,
            left - 5.0,
            y + 4.0
        );
    }
    for (i, (y, m, v)) in months.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        if *v > 0 {
            let top_y = y_of(*v);
            let _ = write!(
                svg,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{top_y:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"><title>{y}年{m}月：{v} 场</title></rect>",
                top_pad + plot_h - top_y
            );
        }
        // a year label under its first month shown
        if i == 0 || *m == 1 {
            let text = if months.len() <= 12 {
                format!("{y}年{m}月")
            } else {
                y.to_string()
            };
            // near the right edge the label ends at its bar
            let (tx, anchor) = if x + 14.0 * text.chars().count() as f64 > WIDTH {
                (x + bar_w, " text-anchor=\"end\"")
            } else {
                (x, "")
            };
            let _ = write!(
                svg,
                "<text x=\"{tx:.1}\" y=\"{:.0}\"{anchor}>{text}</text>",
                height - 8.0
            );
        }
    }
    let (fy, fm, _) = months[0];
    let (ly, lm, _) = months[months.len() - 1];
    let summary = format!(
        "{caption}：{fy}年{fm}月至{ly}年{lm}月共 {total} 场，最多的是{}年{}月（{} 场）",
        peak.0, peak.1, peak.2
    );
    let svg = format!(
        "<svg viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">{svg}</svg>",
        escape(&summary)
    );
    let rows: Vec<(String, String)> = months
        .iter()
        .filter(|m| m.2 > 0)
        .map(|(y, m, v)| (format!("{y}年{m}月"), v.to_string()))
        .collect();
    let note = format!("{fy}年{fm}月—{ly}年{lm}月");
    Some(figure(
        "chart-months",
        caption,
        &note,
        &svg,
        ("月份", "活动（场）"),
        &rows,
    ))
}

/// Horizontal bars, largest first, labelled with their values. `unit` names
/// what is counted (`场`, `人`). `None` when every value is zero.
pub fn bars(items: &[Bar], caption: &str, head: &str, unit: &str) -> Option<String> {
    let mut items: Vec<&Bar> = items.iter().filter(|b| b.value > 0).collect();
    if items.is_empty() {
        return None;
    }
    items.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    let max = items[0].value;
    let (label_w, value_w, row_h, bar_h) = (112.0, 52.0, 24.0, 15.0);
    let plot_w = WIDTH - label_w - value_w;
    let height = row_h * items.len() as f64 + 4.0;
    let mut svg = String::new();
    for (i, b) in items.iter().enumerate() {
        let y = 2.0 + row_h * i as f64;
        let w = (plot_w * b.value as f64 / max as f64).max(1.5);
        let label = short(&b.label, 8);
        let _ = write!(
            svg,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{label_w:.0}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{bar_h}\"><title>{}：{} {unit}</title></rect>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + bar_h - 2.5,
            escape(&label),
            y + (row_h - bar_h) / 2.0,
            escape(&b.label),
            b.value,
            label_w + w + 5.0,
            y + bar_h - 2.5,
            super::group_digits(b.value as i64),
        );
    }
    let total: u64 = items.iter().map(|b| b.value).sum();
    let summary = format!(
        "{caption}：共 {} {unit}，最多的是{}（{} {unit}）",
        super::group_digits(total as i64),
        items[0].label,
        super::group_digits(max as i64)
    );
    let svg = format!(
        "<svg viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">{svg}</svg>",
        escape(&summary)
    );
    let rows: Vec<(String, String)> = items
        .iter()
        .map(|b| (b.label.clone(), super::group_digits(b.value as i64)))
        .collect();
    Some(figure("chart-bars", caption, "", &svg, (head, unit), &rows))
}

/// At most `n` characters, with `…` when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_fill_the_gaps_and_summarize() {
        let by: Tally = [("2024-11", 2), ("2025-02", 1)].into_iter().collect();
        let html = months(&by, "活动月度分布").unwrap();
        // four months shown, two with a bar
        assert_eq!(html.matches("<rect class=\"bar\"").count(), 2);
        assert!(html.contains(
            "aria-label=\"活动月度分布：2024年11月至2025年2月共 3 场，最多的是2024年11月（2 场）\""
        ));
        assert!(html.contains("<th scope=\"row\">2025年2月</th><td>1</td>"));
        assert!(html.contains(">2024年11月</text>") && html.contains(">2025年1月</text>"));
        assert!(months(&Tally::default(), "x").is_none());
    }

    #[test]
    fn months_keep_the_newest_three_years() {
        let months_ = (2015..=2025).map(|y| format!("{y}-06")).collect::<Vec<_>>();
        let by: Tally = months_.iter().map(|m| (m.as_str(), 1)).collect();
        let html = months(&by, "活动").unwrap();
        assert_eq!(html.matches("<rect class=\"bar\"").count(), 3);
        assert!(html.contains("2022年7月至2025年6月"));
    }

    #[test]
    fn bars_sort_and_scale() {
        let items = vec![
            Bar {
                label: "东苑社区".into(),
                value: 40,
            },
            Bar {
                label: "文化路社区新时代文明实践站".into(),
                value: 80,
            },
            Bar {
                label: "空".into(),
                value: 0,
            },
        ];
        let html = bars(&items, "志愿者人数", "阵地", "人").unwrap();
        let first = html.find("文化路社区新时…").unwrap();
        assert!(first < html.find("东苑社区").unwrap());
        assert!(!html.contains(">空<"));
        assert!(html.contains("最多的是文化路社区新时代文明实践站（80 人）"));
        assert!(bars(&items[2..], "x", "y", "人").is_none());
    }

    #[test]
    fn round_axis_tops() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(120), 200);
    }
}
