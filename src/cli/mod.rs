//! The command line: `init`, `build`, `serve`, `check`, `new` (SPEC §5).

pub mod corpus;
mod init;
mod new;

use crate::diagnostics::{Diagnostic, Severity};
use crate::{BuildOptions, Outcome, build};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// yunzhan (云展): static sites for New-Era Civilization Practice networks.
#[derive(Debug, Parser)]
#[command(name = "yunzhan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new site (the demo network) into DIR.
    Init {
        /// Where to write it; must be empty or not exist.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site into its output folder; on any error the previous output stays untouched.
    Build(BuildArgs),
    /// Build into memory, serve at http://127.0.0.1:1111/, rebuild on every save and reload the browser.
    ///
    /// Nothing is written to the output folder. Errors show over the page while
    /// the last good build stays served.
    Serve(ServeArgs),
    /// Check everything `build` checks, writing nothing; exit 1 on any error.
    Check {
        /// The site root (the folder of site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check drafts.
        #[arg(long)]
        drafts: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors (for CI).
        #[arg(long)]
        strict: bool,
    },
    /// Scaffold a unit, project, team, event or exhibit at PATH under content/.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: new::Kind,
        /// Its path under content/, e.g. 青羊区/草堂路社区/events/重阳节.
        path: String,
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a deterministic synthetic network of PAGES pages (benchmarks, scale tests).
    #[command(hide = true)]
    GenCorpus {
        /// How many Markdown pages to write (at least 40).
        #[arg(long)]
        pages: usize,
        /// The new site's root.
        #[arg(long)]
        out: PathBuf,
        /// Give a quarter of the events two small generated photos.
        #[arg(long)]
        photos: bool,
        /// Seed of every random choice.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Options of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site root (the folder of site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write (default: `output_dir` of site.yaml, under the root).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The published site's absolute URL (overrides `base_url`).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Publish drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Links relative to each page, so the output works from file:// (a USB stick).
    #[arg(long)]
    pub relative_urls: bool,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Print nothing but problems.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site root (the folder of site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; anything but loopback lets other computers in.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Show drafts too.
    #[arg(long)]
    pub drafts: bool,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs a parsed command line; the exit code follows SPEC §5.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Init { dir } => report_simple(init::run(&dir)),
        Command::New { kind, path, root } => report_simple(new::run(&root, kind, &path)),
        Command::GenCorpus {
            pages,
            out,
            photos,
            seed,
        } => report_simple(corpus::run(&corpus::Options {
            pages,
            out,
            photos,
            seed,
        })),
        Command::Build(args) => {
            let outcome = build(&BuildOptions {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
                write: true,
                progress: !args.quiet,
                relative_urls: args.relative_urls,
            });
            print_text(&outcome.diagnostics);
            if args.timings {
                for (i, (stage, t)) in outcome.timings.iter().enumerate() {
                    let peak = match outcome.peak_memory.get(i).copied().flatten() {
                        Some(bytes) => format!("  (peak memory {} MiB)", bytes >> 20),
                        None => String::new(),
                    };
                    eprintln!("{stage:>8}: {:>8.1} ms{peak}", t.as_secs_f64() * 1000.0);
                }
                if !outcome.minify_cpu.is_zero() {
                    eprintln!(
                        "  (minify: {:.1} ms of cpu time inside render)",
                        outcome.minify_cpu.as_secs_f64() * 1000.0
                    );
                }
            }
            if outcome.has_errors() {
                eprintln!(
                    "{}; the output was not changed",
                    summary(&outcome.diagnostics)
                );
                return ExitCode::from(1);
            }
            if !args.quiet {
                print_built(&outcome);
            }
            ExitCode::SUCCESS
        }
        Command::Serve(args) => {
            let options = crate::serve::ServeOptions {
                root: args.root,
                bind: args.bind,
                port: args.port,
                open: args.open,
                drafts: args.drafts,
            };
            match crate::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            root,
            drafts,
            format,
            strict,
        } => {
            let mut outcome = build(&BuildOptions {
                root,
                drafts,
                write: false,
                ..BuildOptions::default()
            });
            if strict {
                for d in &mut outcome.diagnostics {
                    d.severity = Severity::Error;
                }
            }
            match format {
                Format::Text => {
                    print_text(&outcome.diagnostics);
                    if outcome.diagnostics.is_empty() {
                        eprintln!("no problems found ({} pages)", outcome.pages);
                    } else {
                        eprintln!("{}", summary(&outcome.diagnostics));
                    }
                }
                Format::Json => {
                    let json = serde_json::json!({
                        "diagnostics": outcome.diagnostics,
                        "errors": outcome.diagnostics.iter().filter(|d| d.is_error()).count(),
                        "warnings": outcome.diagnostics.iter().filter(|d| !d.is_error()).count(),
                    });
                    let mut out = std::io::stdout().lock();
                    let _ = serde_json::to_writer_pretty(&mut out, &json);
                    let _ = writeln!(out);
                }
            }
            if outcome.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn report_simple(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(message) => {
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn print_text(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn print_built(outcome: &Outcome) {
    let total: f64 = outcome.timings.iter().map(|(_, t)| t.as_secs_f64()).sum();
    if let Some((dir, report)) = &outcome.output {
        let what = if report.written == 0 && report.removed == 0 {
            "nothing changed".to_string()
        } else {
            format!(
                "{} written, {} unchanged, {} removed",
                report.written, report.unchanged, report.removed
            )
        };
        eprintln!(
            "built {} pages ({} files) in {:.2} s into {}: {what}",
            outcome.pages,
            outcome.files,
            total,
            dir.display()
        );
    }
}
