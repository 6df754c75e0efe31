//! `yunzhan init`: a new site, copied from the demo network compiled into the binary.

use include_dir::{Dir, DirEntry, include_dir};
use std::path::Path;

static DEMO_CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
const DEMO_CONFIG: &str = include_str!("../../site.yaml");
const GITIGNORE: &str = "/public/\n/.yunzhan-cache/\n";

/// Writes the demo site into `dir`, which must not hold a site already.
pub fn run(dir: &Path) -> Result<String, String> {
    if dir.join(crate::config::FILE_NAME).exists() {
        return Err(format!(
            "{} already holds a site (site.yaml exists); nothing was written",
            dir.display()
        ));
    }
    if dir.join(crate::load::CONTENT_DIR).exists() {
        return Err(format!(
            "{} already has a content/ folder; nothing was written",
            dir.display()
        ));
    }
    let fail = |e: std::io::Error| format!("cannot write into {}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(fail)?;
    std::fs::write(dir.join(crate::config::FILE_NAME), DEMO_CONFIG).map_err(fail)?;
    if !dir.join(".gitignore").exists() {
        std::fs::write(dir.join(".gitignore"), GITIGNORE).map_err(fail)?;
    }
    let mut count = 0;
    write_dir(
        &DEMO_CONTENT,
        &dir.join(crate::load::CONTENT_DIR),
        &mut count,
    )
    .map_err(fail)?;
    Ok(format!(
        "wrote a new site with {count} content files into {}\nnext: cd {} && yunzhan build (or yunzhan serve)",
        dir.display(),
        dir.display()
    ))
}

fn write_dir(dir: &Dir<'static>, to: &Path, count: &mut usize) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => {
                write_dir(d, &to.join(d.path().file_name().unwrap_or_default()), count)?
            }
            DirEntry::File(f) => {
                std::fs::write(
                    to.join(f.path().file_name().unwrap_or_default()),
                    f.contents(),
                )?;
                *count += 1;
            }
        }
    }
    Ok(())
}
