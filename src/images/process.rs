//! The image stage: every planned file is found in the cache or made, images
//! in parallel (rayon), each decoded once for all its sizes, with the memory of
//! the images being worked on held under a budget.

use super::cache::{Cache, Lookup};
use super::pipeline;
use super::probe::{Memo, SourceFormat};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Image, Site};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

/// What the image stage did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Images the site uses.
    pub images: usize,
    /// Files they publish.
    pub files: usize,
    /// Images decoded (none when every file was in the cache).
    pub decoded: usize,
    /// Files encoded.
    pub encoded: usize,
    /// Files found in the cache.
    pub reused: usize,
    /// Damaged cache entries found and made again.
    pub redone: usize,
}

/// The files made for an image: (index into its variants, cache file).
type Made = Result<Vec<(usize, PathBuf)>, String>;

/// Memory the images being worked on may hold at once. An image needing more
/// than this still runs, alone.
const MEMORY_BUDGET: u64 = 1 << 30;

/// Above this many images to make, a progress bar is shown (on a terminal).
const PROGRESS_FROM: usize = 30;

/// Finds or makes every planned file of `site`'s images, setting each
/// variant's `file`. Warns about originals with GPS coordinates; bad images are
/// errors at their file. Shows a progress bar on stderr when `progress` is set,
/// stderr is a terminal and there is much to do.
pub fn process(
    site: &mut Site,
    cache_dir: &Path,
    progress: bool,
    diagnostics: &Diagnostics,
) -> Stats {
    let mut stats = Stats {
        images: site.images.len(),
        files: site.images.iter().map(|i| i.variants.len()).sum(),
        ..Stats::default()
    };
    let display = |image: &Image| crate::load::content_display(&site.display_root, &image.path);
    for image in site.images.iter().filter(|i| i.original.gps) {
        diagnostics.push(
            Diagnostic::warning(
                "the photo's metadata holds GPS coordinates (where it was taken); they are \
                 never published, but the original still carries them",
            )
            .in_file(display(image))
            .with_help(
                "remove them from the original before sharing it, e.g. `exiftool -gps:all= FILE`",
            ),
        );
    }

    let cache = Cache::open(cache_dir);
    let found: Vec<Vec<Lookup>> = site
        .images
        .par_iter()
        .map(|image| {
            image
                .variants
                .iter()
                .map(|v| cache.lookup(&v.key))
                .collect()
        })
        .collect();
    let todo: Vec<usize> = (0..site.images.len())
        .filter(|&i| found[i].iter().any(|l| !matches!(l, Lookup::Hit(_))))
        .collect();
    for lookups in &found {
        for l in lookups {
            match l {
                Lookup::Hit(_) => stats.reused += 1,
                Lookup::Corrupt => stats.redone += 1,
                Lookup::Miss => {}
            }
        }
    }

    let bar = progress_bar(progress, todo.len());
    let budget = Budget::new(MEMORY_BUDGET);
    let quality = site.config.images.quality;
    let made: Vec<(usize, Made)> = todo
        .par_iter()
        .map(|&i| {
            let image = &site.images[i];
            let missing: Vec<usize> = (0..image.variants.len())
                .filter(|&j| !matches!(found[i][j], Lookup::Hit(_)))
                .collect();
            let _grant = budget.take(memory_estimate(image));
            let result = make(image, &missing, quality, &cache);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            (i, result)
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    for (i, lookups) in found.into_iter().enumerate() {
        for (j, l) in lookups.into_iter().enumerate() {
            if let Lookup::Hit(path) = l {
                site.images[i].variants[j].file = Some(path);
            }
        }
    }
    for (i, result) in made {
        match result {
            Ok(files) => {
                stats.decoded += 1;
                stats.encoded += files.len();
                for (j, path) in files {
                    site.images[i].variants[j].file = Some(path);
                }
            }
            Err(message) => {
                diagnostics.push(Diagnostic::error(message).in_file(display(&site.images[i])))
            }
        }
    }

    let used = used_keys(site);
    let _ = cache.finish(&used);
    let _ = Memo::save(
        cache_dir,
        site.images.iter().map(|i| (i.file.as_path(), &i.original)),
    );
    stats
}

/// Deletes cache entries no image of `site` uses (after a successful build).
pub fn prune(site: &Site, cache_dir: &Path) -> usize {
    Cache::prune(cache_dir, &used_keys(site))
}

fn used_keys(site: &Site) -> HashSet<&str> {
    site.images
        .iter()
        .flat_map(|i| i.variants.iter().map(|v| v.key.as_str()))
        .collect()
}

/// Makes the files `missing` (indexes into the image's variants) and stores them.
fn make(image: &Image, missing: &[usize], quality: u8, cache: &Cache) -> Made {
    let bytes = std::fs::read(&image.file).map_err(|e| format!("cannot read the image: {e}"))?;
    if blake3::hash(&bytes).to_hex().as_str() != image.original.hash {
        return Err("the image changed while the site was being built; build again".into());
    }
    let variants: Vec<_> = missing.iter().map(|&j| &image.variants[j]).collect();
    // the decoders are fuzzed, but a panic in one must still be one image's error
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pipeline::make(&bytes, &image.original, &variants, quality)
    }))
    .unwrap_or_else(|_| Err("cannot decode the image: the decoder failed".into()))?;
    drop(bytes);
    missing
        .iter()
        .zip(made)
        .map(|(&j, data)| {
            let v = &image.variants[j];
            let ext = if v.format == "jpeg" { "jpg" } else { &v.format };
            cache
                .store(&v.key, ext, &data)
                .map(|path| (j, path))
                .map_err(|e| format!("cannot write to the image cache: {e}"))
        })
        .collect()
}

/// About how much memory making an image's files takes: the file, the decoded
/// pixels (JPEGs decode at the smallest scale that covers the largest size)
/// and working copies.
fn memory_estimate(image: &Image) -> u64 {
    let o = &image.original;
    let (want_w, want_h) = image
        .variants
        .iter()
        .map(|v| (v.width, v.height))
        .max()
        .map(|(w, h)| if o.swaps_axes() { (h, w) } else { (w, h) })
        .unwrap_or((o.width, o.height));
    let mut scale = 1;
    if o.format == SourceFormat::Jpeg {
        for d in [8, 4, 2] {
            if o.width.div_ceil(d) >= want_w && o.height.div_ceil(d) >= want_h {
                scale = d;
                break;
            }
        }
    }
    let pixels = u64::from(o.width.div_ceil(scale)) * u64::from(o.height.div_ceil(scale));
    o.stamp.size + pixels * 4 * 3
}

fn progress_bar(wanted: bool, count: usize) -> Option<indicatif::ProgressBar> {
    if !wanted || count <= PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(count as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "images {bar:32} {pos}/{len} ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// A budget of bytes that tasks take from and give back, waiting while it is
/// spent (but never when nothing is taken, so a task above it still runs).
struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

struct Grant<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    fn take(&self, bytes: u64) -> Grant<'_> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Grant {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Grant<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn the_budget_bounds_what_runs_at_once() {
        let budget = Budget::new(100);
        let (now, peak) = (AtomicU64::new(0), AtomicU64::new(0));
        (0..16).into_par_iter().for_each(|_| {
            let _g = budget.take(60);
            let n = now.fetch_add(60, Ordering::SeqCst) + 60;
            peak.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            now.fetch_sub(60, Ordering::SeqCst);
        });
        assert_eq!(peak.load(Ordering::SeqCst), 60);
        // larger than the whole budget: runs alone rather than never
        drop(budget.take(500));
    }
}
