//! The `yunzhan` command line.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = yunzhan::cli::Cli::parse();
    yunzhan::cli::run(cli)
}
