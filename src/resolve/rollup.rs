//! Roll-ups: every unit's figures summed over itself and all its descendants.

use crate::model::{Names, Rollup, Site, Tally};

/// Fills [`crate::model::Unit::rollup`] for every unit and the site's own rollup.
pub fn compute(site: &mut Site) {
    // deepest first, so children are done before their parents
    let mut order: Vec<usize> = (0..site.units.len()).collect();
    order.sort_by_key(|&u| std::cmp::Reverse(site.units[u].depth));
    let mut names = Names::default();
    for u in order {
        let unit = &site.units[u];
        let mut totals = Tally::default();
        for (k, v) in &unit.stats {
            totals.add(&names.get(k), *v);
        }
        let mut r = Rollup {
            totals,
            ..Rollup::default()
        };
        let level_key = (site.config.levels.get(unit.level)).map_or("", |l| l.key.as_str());
        r.counts.add(&names.get(level_key), 1);
        for &e in &unit.events {
            let event = &site.events[e];
            r.events_count += 1;
            r.participants += event.participants.unwrap_or(0);
            if let Some(p) = &event.platform {
                r.events_by_platform.add(&names.get(p), 1);
            }
            r.events_by_month
                .add(&names.get(&event.date().month_key()), 1);
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
        for tally in [
            &mut r.totals,
            &mut r.counts,
            &mut r.events_by_platform,
            &mut r.events_by_month,
        ] {
            tally.shrink_to_fit();
        }
        r.recent.shrink_to_fit();
        site.units[u].rollup = r;
    }
    let mut total = Rollup::default();
    for &root in &site.roots {
        add(&mut total, &site.units[root].rollup);
    }
    site.rollup = total;
}

fn add(into: &mut Rollup, from: &Rollup) {
    into.totals.add_all(&from.totals);
    into.counts.add_all(&from.counts);
    into.events_count += from.events_count;
    into.participants += from.participants;
    into.events_by_platform.add_all(&from.events_by_platform);
    into.events_by_month.add_all(&from.events_by_month);
}
