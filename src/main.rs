//! The `gongkai` command: a thin shell over the library's stages.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use gongkai::build::{self, BuildOptions};
use gongkai::diagnostics;
use gongkai::domain::calendar::today_utc8;
use gongkai::progress::Progress;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府信息公开网站生成器 · a static site generator for government information-disclosure portals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into output_dir (default public/)
    Build {
        /// The portal folder, holding site.toml and content/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of site.toml's output_dir
        #[arg(long)]
        output: Option<PathBuf>,
        /// The date deadlines and validity are computed for (default: today in China, UTC+8)
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Check the whole portal and report every problem (exit 1 on any error)
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Accepted for symmetry with build; validation does not depend on the date
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build, serve on loopback, and rebuild on every change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Search the portal's index (written by build): ranked results, or JSON for scripts
    Search {
        /// What to look for: words, a phrase, or a code (索引号, 事项编码, 发文字号)
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this record type
        #[arg(long = "type", value_parser = clap::builder::PossibleValuesParser::new(gongkai::search::site::KINDS))]
        kind: Option<String>,
        /// Only this agency (its slug)
        #[arg(long)]
        agency: Option<String>,
        /// Only this year
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// One JSON object per result: slug, type, url, title, score, snippet
        #[arg(long)]
        json: bool,
    },
    /// Print the deadline notices: reports due or late, late disclosures, consultations, expiring documents
    Deadlines {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The date the notices are computed for (default: today in China, UTC+8)
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when a notice this severe or worse exists: overdue, warning or info
        #[arg(long, value_parser = |s: &str| s.parse::<gongkai::derive::deadlines::Severity>())]
        fail_on: Option<gongkai::derive::deadlines::Severity>,
    },
    /// Write a commented template record: agency, power, service, decision, document, report, page, calendar
    New {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(gongkai::scaffold::TYPES))]
        kind: String,
        path: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

/// Prints diagnostics for people on stderr, in colour when stderr is a terminal.
fn print_diagnostics(diags: &[gongkai::diagnostics::Diagnostic], root: &std::path::Path) {
    use std::io::IsTerminal;
    let stderr = std::io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if let Err(e) = gongkai::check::print_diagnostics(diags, root, &mut stderr.lock(), color) {
        eprintln!("error: {e}");
    }
}

fn check(root: PathBuf, format: Format) -> ExitCode {
    use std::io::IsTerminal;
    let outcome = match gongkai::check::check(&root) {
        Ok(o) => o,
        Err(d) => {
            let diags = std::slice::from_ref(&d);
            match format {
                Format::Text => print_diagnostics(diags, &root),
                // Scripts parse stdout: the problem that stopped the check is its one entry.
                Format::Json => {
                    if let Err(e) = gongkai::check::print_json(diags, &mut std::io::stdout()) {
                        eprintln!("error: {e}");
                    }
                }
            }
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    let written = match format {
        Format::Text => gongkai::check::print_text(
            &outcome.diagnostics,
            &root,
            &mut out,
            color,
            outcome.checked,
        ),
        Format::Json => gongkai::check::print_json(&outcome.diagnostics, &mut out),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    if outcome.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn search(root: &std::path::Path, q: gongkai::search::SearchQuery, json: bool) -> ExitCode {
    use gongkai::search::cli;
    use std::io::IsTerminal;
    let hits = match cli::run(root, &q) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let written = if json {
        cli::write_json(&hits, &mut stdout.lock())
    } else {
        cli::write_text(&q.text, &hits, color, &mut stdout.lock())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn deadlines(
    root: PathBuf,
    today: Option<NaiveDate>,
    format: Format,
    fail_on: Option<gongkai::derive::deadlines::Severity>,
) -> ExitCode {
    use gongkai::derive::deadlines::cli;
    use std::io::IsTerminal;
    let stderr = std::io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let format = match format {
        Format::Text => cli::Format::Text,
        Format::Json => cli::Format::Json,
    };
    let today = today.unwrap_or_else(today_utc8);
    let (mut out, mut err) = (std::io::stdout().lock(), stderr.lock());
    match cli::run(&root, today, format, fail_on, &mut out, &mut err, color) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(cli::EXIT_BROKEN)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            root,
            today: _,
            format,
        } => check(root, format),
        Command::Build {
            root,
            output,
            today,
        } => {
            let opts = BuildOptions {
                root: root.clone(),
                output,
                today: today.unwrap_or_else(today_utc8),
                progress: Progress::auto(),
            };
            match build::build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, &root);
                    println!("{}", report.summary());
                    ExitCode::SUCCESS
                }
                Err(fail) => {
                    print_diagnostics(&fail.diagnostics, &root);
                    eprintln!(
                        "构建失败：{} 个错误，未写出任何文件",
                        diagnostics::count_errors(&fail.diagnostics)
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            today,
        } => {
            let opts = gongkai::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    output: None,
                    today: today.unwrap_or_else(today_utc8),
                    progress: Progress::auto(),
                },
                bind,
                port,
            };
            match gongkai::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Search {
            query,
            root,
            kind,
            agency,
            year,
            limit,
            json,
        } => search(
            &root,
            gongkai::search::SearchQuery {
                text: query,
                kind,
                agency,
                year,
                limit,
            },
            json,
        ),
        Command::Deadlines {
            root,
            today,
            format,
            fail_on,
        } => deadlines(root, today, format, fail_on),
        Command::New { kind, path } => match gongkai::scaffold::new_record(&kind, &path) {
            Ok(()) => {
                println!(
                    "已写出 {}：请按注释填写后运行 gongkai check",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
