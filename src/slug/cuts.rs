//! jieba's cuts of the Han runs that slugs met in earlier builds, kept in the
//! site's cache folder: a build whose runs were all cut before never loads
//! the dictionary, which costs some 100 ms of CPU per process (as much as the
//! whole rest of a small site's build).
//!
//! A cut is a pure function of the run and of the segmenter, so the memory is
//! shared by every site a process builds; its file is tied to the executable
//! (path, size and time), so a new yunzhan never reads an older one's cuts.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, RwLock};

/// The file in the cache folder.
pub const FILE_NAME: &str = "cuts";

/// The tokens of a run, as byte ranges `(start, end)`.
pub type Tokens = Vec<(usize, usize)>;

struct Memory {
    cuts: RwLock<HashMap<Box<str>, Box<[u32]>>>,
    /// A cut was added since the file was last read or written.
    added: AtomicBool,
}

static MEMORY: LazyLock<Memory> = LazyLock::new(|| Memory {
    cuts: RwLock::new(HashMap::new()),
    added: AtomicBool::new(false),
});

/// The tokens of `run` as remembered, or `None`.
pub(super) fn get(run: &str) -> Option<Tokens> {
    let cuts = MEMORY.cuts.read().unwrap_or_else(|e| e.into_inner());
    let ends = cuts.get(run)?;
    let mut start = 0;
    Some(
        ends.iter()
            .map(|&end| {
                let token = (start, end as usize);
                start = end as usize;
                token
            })
            .collect(),
    )
}

/// Remembers the tokens of `run` (contiguous, covering it).
pub(super) fn add(run: &str, tokens: &Tokens) {
    let ends: Box<[u32]> = tokens.iter().map(|&(_, end)| end as u32).collect();
    let mut cuts = MEMORY.cuts.write().unwrap_or_else(|e| e.into_inner());
    cuts.insert(run.into(), ends);
    MEMORY.added.store(true, Ordering::Relaxed);
}

/// Whether some cut is remembered (then the dictionary is not loaded ahead:
/// the runs of this build were most likely cut before).
pub(super) fn any() -> bool {
    !MEMORY
        .cuts
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .is_empty()
}

/// What ties a file of cuts to this executable.
fn header() -> Option<String> {
    Some(format!(
        "yunzhan {} cuts\t{}",
        env!("CARGO_PKG_VERSION"),
        crate::fingerprint::executable()?
    ))
}

/// Adds the cuts kept in `cache_dir` to the process's memory. A missing,
/// foreign or damaged file adds nothing.
pub fn load(cache_dir: &Path) {
    let Ok(text) = std::fs::read_to_string(cache_dir.join(FILE_NAME)) else {
        return;
    };
    let mut lines = text.lines();
    if lines.next().is_none() || lines.next().map(str::to_owned) != header() {
        return;
    }
    let mut read = Vec::new();
    for line in lines {
        let Some((run, ends)) = line.split_once('\t') else {
            return;
        };
        let Ok(ends) = ends
            .split(',')
            .map(str::parse::<u32>)
            .collect::<Result<Box<[u32]>, _>>()
        else {
            return;
        };
        let whole = ends.windows(2).all(|w| w[0] < w[1])
            && ends.last() == Some(&(run.len() as u32))
            && ends.iter().all(|&e| run.is_char_boundary(e as usize));
        if !whole {
            return;
        }
        read.push((Box::<str>::from(run), ends));
    }
    let mut cuts = MEMORY.cuts.write().unwrap_or_else(|e| e.into_inner());
    for (run, ends) in read {
        cuts.entry(run).or_insert(ends);
    }
}

/// Writes the remembered cuts into `cache_dir` when some were added since
/// the last [`load`] or [`save`] (sorted: the same cuts make the same file).
pub fn save(cache_dir: &Path) -> std::io::Result<()> {
    if !MEMORY.added.swap(false, Ordering::Relaxed) {
        return Ok(());
    }
    let Some(header) = header() else {
        return Ok(());
    };
    let mut text = String::new();
    {
        let cuts = MEMORY.cuts.read().unwrap_or_else(|e| e.into_inner());
        let mut sorted: Vec<_> = cuts.iter().collect();
        sorted.sort_unstable();
        text.push_str("# jieba's cuts of the Han runs of slugs; safe to delete\n");
        text.push_str(&header);
        for (run, ends) in sorted {
            text.push('\n');
            text.push_str(run);
            text.push('\t');
            for (i, end) in ends.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(itoa::Buffer::new().format(*end));
            }
        }
        text.push('\n');
    }
    std::fs::create_dir_all(cache_dir)?;
    let tmp = cache_dir.join(format!("{FILE_NAME}.{}.tmp", std::process::id()));
    std::fs::File::create(&tmp)?.write_all(text.as_bytes())?;
    std::fs::rename(&tmp, cache_dir.join(FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache folder holding `runs` (run, ends) under `header`.
    fn cache_with(header: &str, runs: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut text = format!("# comment\n{header}\n");
        for (run, ends) in runs {
            text.push_str(&format!("{run}\t{ends}\n"));
        }
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        dir
    }

    #[test]
    fn cuts_saved_by_a_build_are_read_by_the_next() {
        // (the memory is the process's: each test uses runs of its own)
        let run = "甲乙丙丁戊己";
        add(run, &vec![(0, 6), (6, 18)]);
        let dir = tempfile::tempdir().unwrap();
        save(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(text.lines().any(|l| l == "甲乙丙丁戊己\t6,18"), "{text}");
        assert_eq!(text.lines().nth(1), header().as_deref());

        let copy = cache_with(&header().unwrap(), &[("庚辛壬癸子丑", "9,18")]);
        load(copy.path());
        assert_eq!(get("庚辛壬癸子丑"), Some(vec![(0, 9), (9, 18)]));
    }

    #[test]
    fn another_executables_or_a_damaged_file_is_not_read() {
        let foreign = cache_with(
            "yunzhan 0.0.1 cuts\t/elsewhere\t1\t2",
            &[("寅卯辰巳午未", "6,18")],
        );
        load(foreign.path());
        assert_eq!(get("寅卯辰巳午未"), None);
        let header = header().unwrap();
        for ends in ["6,17", "7,18", "9,6,18", "x", ""] {
            let damaged = cache_with(&header, &[("申酉戌亥甲子", ends)]);
            load(damaged.path());
            assert_eq!(get("申酉戌亥甲子"), None, "{ends}");
        }
        // a damaged line drops the whole file
        let damaged = cache_with(&header, &[("乙丑丙寅丁卯", "9,18"), ("戊辰", "5")]);
        load(damaged.path());
        assert_eq!(get("乙丑丙寅丁卯"), None);
    }
}
