//! The `gongkai` command: parses the arguments and hands them to the command layer
//! (`gongkai::cmd`), which runs the stages and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use gongkai::build::BuildOptions;
use gongkai::cmd;
use gongkai::derive::deadlines::Severity;
use gongkai::domain::calendar::today_utc8;
use gongkai::text::lang::{set_lang, Lang};

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
    /// The language of messages: zh (the default) or en; without it, GONGKAI_LANG or the
    /// locale (LANG) decides
    #[arg(long, global = true, value_parser = |s: &str| Lang::parse(s).ok_or("zh or en"))]
    lang: Option<Lang>,
}

/// The portal a command works on.
#[derive(Args)]
struct Portal {
    /// The portal folder, holding site.toml and content/
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// The day deadlines and document validity are computed for.
#[derive(Args)]
struct Day {
    /// The date deadlines and validity are computed for (default: today in China, UTC+8)
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
}

impl Day {
    fn date(&self) -> NaiveDate {
        self.today.unwrap_or_else(today_utc8)
    }
}

/// How findings are printed.
#[derive(Args)]
struct Output {
    /// text for people, json for scripts
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

impl From<Format> for cmd::Format {
    fn from(f: Format) -> cmd::Format {
        match f {
            Format::Text => cmd::Format::Text,
            Format::Json => cmd::Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into output_dir (default public/)
    Build {
        #[command(flatten)]
        portal: Portal,
        /// Write the site here instead of site.toml's output_dir
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        day: Day,
    },
    /// Check the whole portal and report every problem (exit 1 on any error)
    Check {
        #[command(flatten)]
        portal: Portal,
        #[command(flatten)]
        output: Output,
    },
    /// Build, serve on loopback, and rebuild on every change
    Serve {
        #[command(flatten)]
        portal: Portal,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[command(flatten)]
        day: Day,
    },
    /// Search the portal's index (written by build): ranked results, or JSON for scripts
    Search {
        /// What to look for: words, a phrase, or a code (索引号, 事项编码, 发文字号)
        query: String,
        #[command(flatten)]
        portal: Portal,
        /// Only this record type
        #[arg(long = "type", value_parser = clap::builder::PossibleValuesParser::new(gongkai::model::kinds::searchable_names()))]
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
        #[command(flatten)]
        portal: Portal,
        #[command(flatten)]
        day: Day,
        #[command(flatten)]
        output: Output,
        /// Exit 1 when a notice this severe or worse exists: overdue, warning or info
        #[arg(long, value_parser = |s: &str| s.parse::<Severity>())]
        fail_on: Option<Severity>,
    },
    /// 新建门户：站点设置、内容文件夹、一个待填写的机关、首页、公开指南、CI 配置和说明
    Init {
        /// 新门户的文件夹，须不存在或为空（默认：当前文件夹）
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write a commented template record: agency, power, service, decision, document, report, page, calendar
    New {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(cmd::new::types()))]
        kind: String,
        /// Where the record goes, e.g. content/documents/2026/my-notice.md
        path: PathBuf,
        #[command(flatten)]
        portal: Portal,
        /// The agency whose document or decision it is (its slug): fills in `agency` and,
        /// for a document, the next free 索引号
        #[arg(long)]
        agency: Option<String>,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

fn build_options(portal: Portal, output: Option<PathBuf>, day: &Day) -> BuildOptions {
    BuildOptions {
        root: portal.root,
        output,
        today: day.date(),
        progress: Box::new(cmd::progress::Bars::auto()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    set_lang(cli.lang.unwrap_or_else(Lang::from_env));
    match cli.command {
        Command::Build {
            portal,
            output,
            day,
        } => cmd::build::run(&build_options(portal, output, &day)),
        Command::Check { portal, output } => cmd::check::run(&portal.root, output.format.into()),
        Command::Serve {
            portal,
            bind,
            port,
            day,
        } => cmd::serve::run(cmd::serve::ServeOptions {
            build: build_options(portal, None, &day),
            bind,
            port,
        }),
        Command::Search {
            query,
            portal,
            kind,
            agency,
            year,
            limit,
            json,
        } => cmd::search::run(
            &portal.root,
            &gongkai::search::SearchQuery {
                text: query,
                kind,
                agency,
                year,
                limit,
            },
            json,
        ),
        Command::Deadlines {
            portal,
            day,
            output,
            fail_on,
        } => cmd::deadlines::run(&portal.root, day.date(), output.format.into(), fail_on),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::New {
            kind,
            path,
            portal,
            agency,
        } => cmd::new::run(&cmd::new::NewRecord {
            kind: &kind,
            path: &path,
            root: &portal.root,
            agency: agency.as_deref(),
        }),
    }
}
