//! Open data: `data/units.json` and `data/stats.csv`, every unit with its own
//! and rolled-up figures.

use super::{Contents, OutputFile};
use crate::model::{Site, Tally};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
struct UnitRecord<'a> {
    path: &'a str,
    url: &'a str,
    level: &'a str,
    title: &'a str,
    parent: Option<&'a str>,
    stats: &'a BTreeMap<String, u64>,
    totals: &'a Tally,
    counts: &'a Tally,
    events_count: u64,
}

pub fn render(site: &Site, out: &mut dyn FnMut(OutputFile)) {
    let mut order: Vec<usize> = (0..site.units.len()).collect();
    order.sort_by(|&a, &b| site.units[a].path.cmp(&site.units[b].path));
    let records: Vec<UnitRecord> = order
        .iter()
        .map(|&u| {
            let unit = &site.units[u];
            UnitRecord {
                path: &unit.path,
                url: &unit.meta.url,
                level: &site.config.levels[unit.level].key,
                title: &unit.meta.title,
                parent: unit.parent.map(|p| site.units[p].path.as_str()),
                stats: &unit.stats,
                totals: &unit.rollup.totals,
                counts: &unit.rollup.counts,
                events_count: unit.rollup.events_count,
            }
        })
        .collect();
    let json = serde_json::to_vec_pretty(&records).expect("plain data serializes");
    out(OutputFile {
        path: "data/units.json".into(),
        contents: Contents::Bytes(json),
    });

    let stat_keys: BTreeSet<&str> = records.iter().flat_map(|r| r.totals.names()).collect();
    let mut csv = String::from("path,url,level,title,parent,events_count");
    for l in &site.config.levels {
        csv.push_str(&format!(",count_{}", l.key));
    }
    for k in &stat_keys {
        csv.push_str(&format!(",{}", field(k)));
    }
    for k in &stat_keys {
        csv.push_str(&format!(",total_{}", field(k)));
    }
    csv.push('\n');
    for r in &records {
        let cells = [r.path, r.url, r.level, r.title, r.parent.unwrap_or("")];
        csv.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        csv.push_str(&format!(",{}", r.events_count));
        for l in &site.config.levels {
            csv.push_str(&format!(",{}", r.counts.get(&l.key).unwrap_or(0)));
        }
        for k in &stat_keys {
            csv.push(',');
            if let Some(v) = r.stats.get(*k) {
                csv.push_str(&v.to_string());
            }
        }
        for k in &stat_keys {
            csv.push_str(&format!(",{}", r.totals.get(k).unwrap_or(0)));
        }
        csv.push('\n');
    }
    out(OutputFile {
        path: "data/stats.csv".into(),
        contents: Contents::Bytes(csv.into_bytes()),
    });
}

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
