//! Roll-ups: every unit's figures summed over itself and all its descendants.

use crate::model::{Rollup, Site};

/// Fills [`crate::model::Unit::rollup`] for every unit and the site's own rollup.
pub fn compute(site: &mut Site) {
    // deepest first, so children are done before their parents
    let mut order: Vec<usize> = (0..site.units.len()).collect();
    order.sort_by_key(|&u| std::cmp::Reverse(site.units[u].depth));
    for u in order {
        let unit = &site.units[u];
        let mut r = Rollup {
            totals: unit.stats.clone(),
            ..Rollup::default()
        };
        let level_key = site
            .config
            .levels
            .get(unit.level)
            .map(|l| l.key.clone())
            .unwrap_or_default();
        *r.counts.entry(level_key).or_default() += 1;
        for &e in &unit.events {
            let event = &site.events[e];
            r.events_count += 1;
            r.participants += event.participants.unwrap_or(0);
            if let Some(p) = &event.platform {
                *r.events_by_platform.entry(p.clone()).or_default() += 1;
            }
            *r.events_by_month
                .entry(event.date().month_key())
                .or_default() += 1;
        }
        r.recent = unit.events.iter().take(Rollup::RECENT).copied().collect();
        for &c in &unit.children {
            add(&mut r, &site.units[c].rollup);
            r.recent.extend(site.units[c].rollup.recent.iter().copied());
        }
        if !unit.children.is_empty() {
            r.recent.sort_by(|&a, &b| site.newest_first(a, b));
            r.recent.truncate(Rollup::RECENT);
        }
        site.units[u].rollup = r;
    }
    let mut total = Rollup::default();
    for &root in &site.roots {
        add(&mut total, &site.units[root].rollup);
    }
    site.rollup = total;
}

fn add(into: &mut Rollup, from: &Rollup) {
    for (k, v) in &from.totals {
        *into.totals.entry(k.clone()).or_default() += v;
    }
    for (k, v) in &from.counts {
        *into.counts.entry(k.clone()).or_default() += v;
    }
    into.events_count += from.events_count;
    into.participants += from.participants;
    for (k, v) in &from.events_by_platform {
        *into.events_by_platform.entry(k.clone()).or_default() += v;
    }
    for (k, v) in &from.events_by_month {
        *into.events_by_month.entry(k.clone()).or_default() += v;
    }
}
