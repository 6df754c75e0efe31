//! The `yunzhan` command line.

use clap::Parser;
use std::process::ExitCode;

// small allocations by the million: see Cargo.toml
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = yunzhan::cli::Cli::parse();
    yunzhan::cli::run(cli)
}
