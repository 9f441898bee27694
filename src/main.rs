//! The `gongkai` command: parses the arguments and hands them to the command layer
//! (`gongkai::cmd`), which runs the stages and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use gongkai::build::BuildOptions;
use gongkai::cmd;
use gongkai::derive::deadlines::Severity;
use gongkai::domain::calendar::today_utc8;
use gongkai::text::lang::{set_lang, Lang};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option, by its place in mimalloc 3's `mi_option_t`
/// (libmimalloc-sys does not name it): how many milliseconds freed memory is kept before it
/// is handed back to the kernel; -1 for never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Lets a command that exits after one run keep the memory it frees for what it allocates
/// next. Handed back a second after it was freed (mimalloc's default), it was taken again
/// later in the run as fresh pages, which the kernel zeroes one by one: at 100,000 records
/// a build after one edit spent a tenth of a second on that and on the handing back.
/// `serve` runs for hours and hands its memory back.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores the value, which mimalloc reads when it would
    // hand memory back.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "gongkai：政府信息公开网站生成器",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// 提示信息的语言：zh（默认）或 en；不写时看环境变量 GONGKAI_LANG 和系统语言（LANG）
    #[arg(long, global = true, value_parser = |s: &str| Lang::parse(s).ok_or("zh 或 en"))]
    lang: Option<Lang>,
    /// 显示帮助
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

/// clap's help layout with Chinese headings (clap itself only speaks English).
const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";
const HELP_EN: &str = "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}";

/// The portal a command works on.
#[derive(Args)]
struct Portal {
    /// 门户文件夹（含 site.toml 和 content/）
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// The day deadlines and document validity are computed for.
#[derive(Args)]
struct Day {
    /// 按哪一天计算期限和文件效力，格式 YYYY-MM-DD（默认：北京时间今天）
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
    /// 输出格式：text 给人看，json 给脚本读
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

/// What `gongkai export` writes.
#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// 每行一条记录的 JSON
    Ndjson,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站，写到 output_dir（默认 public/）
    Build {
        #[command(flatten)]
        portal: Portal,
        /// 把网站写到这个文件夹，而不是 site.toml 的 output_dir
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        day: Day,
    },
    /// 检查整个门户，列出全部问题（有错误时退出码为 1）
    Check {
        #[command(flatten)]
        portal: Portal,
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        day: Day,
    },
    /// 生成网站并在本机预览，保存文件后自动重新生成、页面自动刷新
    Serve {
        #[command(flatten)]
        portal: Portal,
        /// 监听的地址
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// 监听的端口
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[command(flatten)]
        day: Day,
    },
    /// 在生成网站时写出的搜索索引中搜索：按相关度列出结果，或输出 JSON
    Search {
        /// 要找的内容：词语、短语或编码（索引号、事项编码、发文字号）
        query: String,
        #[command(flatten)]
        portal: Portal,
        /// 只找这一类记录
        #[arg(long = "type", value_parser = clap::builder::PossibleValuesParser::new(gongkai::model::kinds::searchable_names()))]
        kind: Option<String>,
        /// 只找这个机关的（机关代号）
        #[arg(long)]
        agency: Option<String>,
        /// 只找这一年的
        #[arg(long)]
        year: Option<i32>,
        /// 只找这个分类（主题分类或体裁，与文件中写的完全一致）的政府文件
        #[arg(long)]
        category: Option<String>,
        /// 最多列出几条
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// 只输出结果：一个数组，每条结果一个 JSON 对象：slug、type、url、title、score、snippet
        #[arg(long, conflicts_with = "format")]
        json: bool,
        #[command(flatten)]
        output: Output,
    },
    /// 列出期限提醒：年报到期或逾期、逾期公开、征求意见、即将到期的规范性文件
    Deadlines {
        #[command(flatten)]
        portal: Portal,
        #[command(flatten)]
        day: Day,
        #[command(flatten)]
        output: Output,
        /// 有这一级或更严重的提醒时退出码为 1：overdue（已逾期）、warning（预警）或 info（提示）
        #[arg(long, value_parser = |s: &str| s.parse::<Severity>())]
        fail_on: Option<Severity>,
    },
    /// 依申请公开登记（仅供工作人员）：列出未答复的申请及答复期限，或按机关和年度统计年报第三部分
    Requests {
        #[command(flatten)]
        portal: Portal,
        #[command(flatten)]
        day: Day,
        #[command(flatten)]
        output: Output,
        /// 只看这个机关的申请（机关代号）；与 --year 一起时输出该机关该年度年报第三部分的统计表
        #[arg(long)]
        agency: Option<String>,
        /// 输出 --agency 所指机关这一年度的年报第三部分（收到和处理政府信息公开申请情况）
        #[arg(long, requires = "agency")]
        year: Option<i32>,
    },
    /// 把全部记录导出为数据，每条记录一行 JSON（ndjson），可导入 Quickwit、OpenSearch 等检索系统
    Export {
        #[command(flatten)]
        portal: Portal,
        /// 导出格式：ndjson（每行一条记录）
        #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
        format: ExportFormat,
        /// 写到这个文件，而不是标准输出
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        day: Day,
    },
    /// 新建门户：站点设置、内容文件夹、一个待填写的机关、首页、公开指南、CI 配置和说明
    Init {
        /// 新门户的文件夹，须不存在或为空（默认：当前文件夹）
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// 按模板新建一条带注释的记录：agency、power、service、decision、document、report、page、calendar
    New {
        /// 记录的种类
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(cmd::new::types()))]
        kind: String,
        /// 记录文件的位置，如 content/documents/2026/my-notice.md
        path: PathBuf,
        #[command(flatten)]
        portal: Portal,
        /// 文件或决策所属机关的代号：填入 `agency`，政府文件还填入下一个空闲的索引号
        #[arg(long)]
        agency: Option<String>,
    },
}

/// The English help: (subcommand or "" for the top level, argument id or "" for the
/// command itself, text).
const ENGLISH_HELP: &[(&str, &str, &str)] = &[
    ("", "", "gongkai: a static site generator for government information-disclosure portals"),
    ("", "lang", "The language of messages: zh (the default) or en; without it, GONGKAI_LANG or the locale (LANG) decides"),
    ("", "help", "Print help"),
    ("", "version", "Print version"),
    ("*", "root", "The portal folder, holding site.toml and content/"),
    ("*", "today", "The day deadlines and validity are computed for, YYYY-MM-DD (default: today in China, UTC+8)"),
    ("*", "format", "text for people, json for scripts"),
    ("build", "", "Build the site into output_dir (default public/)"),
    ("build", "output", "Write the site here instead of site.toml's output_dir"),
    ("check", "", "Check the whole portal and report every problem (exit 1 on any error)"),
    ("serve", "", "Build, serve on loopback, rebuild on every change and reload the open pages"),
    ("serve", "bind", "The address to listen on"),
    ("serve", "port", "The port to listen on"),
    ("search", "", "Search the portal's index (written by build): ranked results, or JSON for scripts"),
    ("search", "query", "What to look for: words, a phrase, or a code (索引号, 事项编码, 发文字号)"),
    ("search", "kind", "Only this record type"),
    ("search", "agency", "Only this agency (its slug)"),
    ("search", "year", "Only this year"),
    ("search", "category", "Only documents of this category (a 主题分类 or 体裁, exactly as the documents write it)"),
    ("search", "limit", "How many results at most"),
    ("search", "json", "The results alone: an array with one JSON object per result: slug, type, url, title, score, snippet"),
    ("search", "format", "text for people; json for scripts: the number of matches, the matches per category and the results"),
    ("deadlines", "", "Print the deadline notices: reports due or late, late disclosures, consultations, expiring documents"),
    ("deadlines", "fail_on", "Exit 1 when a notice this severe or worse exists: overdue, warning or info"),
    ("requests", "", "The disclosure-request register, for officers only: open requests and their time limits, or an agency's section 3 of the annual report for a year"),
    ("requests", "agency", "Only this agency's requests (its slug); with --year, its section-3 table for that year"),
    ("requests", "year", "Print section 3 of the annual report (applications received and handled) of --agency for this year"),
    ("export", "", "Export every record as data, one JSON object per line (ndjson), for Quickwit, OpenSearch and other search engines"),
    ("export", "format", "The export format: ndjson (one record per line)"),
    ("export", "output", "Write to this file instead of stdout"),
    ("init", "", "Create a portal: settings, content folders, an agency to fill in, home page, disclosure guide, CI files and a README"),
    ("init", "dir", "The new portal's folder, which must not exist or be empty (default: the current folder)"),
    ("new", "", "Write a commented template record: agency, power, service, decision, document, report, page, calendar"),
    ("new", "kind", "The kind of record"),
    ("new", "path", "Where the record goes, e.g. content/documents/2026/my-notice.md"),
    ("new", "agency", "The agency whose document or decision it is (its slug): fills in `agency` and, for a document, the next free 索引号"),
];

/// The command line with its help in `lang`: the texts (English from [`ENGLISH_HELP`]),
/// and clap's headings, which clap only has in English.
fn localized(c: clap::Command, lang: Lang) -> clap::Command {
    fn one(mut c: clap::Command, sub: &str, lang: Lang) -> clap::Command {
        let en = lang == Lang::En;
        let (template, options, arguments, commands) = if en {
            (HELP_EN, "Options", "Arguments", "Commands")
        } else {
            (HELP, "选项", "参数", "命令")
        };
        let ids: Vec<(String, bool)> = c
            .get_arguments()
            .map(|a| (a.get_id().to_string(), a.is_positional()))
            .collect();
        for (id, positional) in ids {
            // A subcommand's own text before the one shared by all (export's --format).
            let english = ENGLISH_HELP
                .iter()
                .find(|(s, i, _)| *i == id && *s == sub)
                .or_else(|| ENGLISH_HELP.iter().find(|(s, i, _)| *i == id && *s == "*"))
                .map(|e| e.2);
            c = c.mut_arg(&id, |a| {
                let a = a.help_heading(if positional { arguments } else { options });
                match english {
                    Some(text) if en => a.help(text),
                    _ => a,
                }
            });
        }
        if en {
            if let Some(about) = ENGLISH_HELP
                .iter()
                .find(|(s, i, _)| *s == sub && i.is_empty())
            {
                c = c.about(about.2);
            }
        }
        c.help_template(template).subcommand_help_heading(commands)
    }
    let mut c = one(c, "", lang);
    let subs: Vec<String> = c
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for sub in subs {
        c = c.mut_subcommand(&sub, |s| one(s, &sub, lang));
    }
    c
}

/// The language asked for on the command line (`--lang en`, `--lang=en`), read before
/// clap so that its help and errors come in that language.
fn lang_in_args() -> Option<Lang> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
            Some(v) => v.strip_prefix('=').and_then(Lang::parse),
            None => None,
        })
}

/// A command-line error in Chinese, as clap only has English: what was wrong, what was
/// meant if it can tell, the usage line, and where to read more. `None` for help and
/// version, which are not errors, and in English.
fn in_chinese(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return None;
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let (what, meant) = match e.kind() {
        ErrorKind::UnknownArgument => (
            format!("不认识的参数 `{arg}`"),
            text(ContextKind::SuggestedArg),
        ),
        ErrorKind::InvalidSubcommand => (
            format!(
                "没有 `{}` 这个命令",
                text(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            text(ContextKind::SuggestedSubcommand),
        ),
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue)
                .map(|v| format!("；可以写：{v}"))
                .unwrap_or_default();
            match value.is_empty() {
                true => (format!("{arg} 后面要写一个值{valid}"), None),
                false => (format!("{arg} 不能取 `{value}`{valid}"), None),
            }
        }
        ErrorKind::ValueValidation => {
            // gongkai's own parsers explain in Chinese; the standard library's (a port that
            // is not a number) in English, which is left out.
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .filter(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            (format!("{arg} 的值 `{value}` 不对{why}"), None)
        }
        ErrorKind::MissingRequiredArgument => (format!("缺少必须写的参数：{arg}"), None),
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            Some(other) if other != arg => (format!("{arg} 不能和 {other} 一起用"), None),
            _ => (format!("{arg} 只能写一次"), None),
        },
        ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues => {
            (format!("{arg} 的值的个数不对"), None)
        }
        // Anything rarer keeps clap's own words, behind a Chinese lead.
        _ => {
            let clap = e.render().to_string();
            let first = clap.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            (format!("命令行参数有误：{first}"), None)
        }
    };
    let mut message = format!("错误：{what}\n");
    if let Some(meant) = meant {
        message.push_str(&format!("  提示：是不是要写 `{meant}`？\n"));
    }
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        message.push_str(&format!("\n用法：{usage}\n"));
    }
    message.push_str("\n更多说明请看 `--help`。\n");
    Some(message)
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        gongkai::zh_en!(
            "应为 YYYY-MM-DD 格式的、存在的日期，如 2026-03-31".to_string(),
            format!("expected YYYY-MM-DD: {e}")
        )
    })
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
    let lang = lang_in_args().unwrap_or_else(Lang::from_env);
    set_lang(lang);
    let command = localized(Cli::command(), lang);
    let matches = command
        .try_get_matches()
        .unwrap_or_else(|e| match in_chinese(&e, lang) {
            Some(message) => {
                eprint!("{message}");
                std::process::exit(2)
            }
            None => e.exit(),
        });
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    match cli.command {
        Command::Build {
            portal,
            output,
            day,
        } => cmd::build::run(&build_options(portal, output, &day)),
        Command::Check {
            portal,
            output,
            day,
        } => cmd::check::run(&portal.root, output.format.into(), day.date()),
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
            category,
            limit,
            json,
            output,
        } => cmd::search::run(
            &portal.root,
            &gongkai::search::SearchQuery {
                text: query,
                kind,
                agency,
                year,
                category,
                limit,
            },
            match (json, output.format) {
                (true, _) => cmd::search::Print::Hits,
                (false, Format::Json) => cmd::search::Print::Json,
                (false, Format::Text) => cmd::search::Print::Text,
            },
        ),
        Command::Deadlines {
            portal,
            day,
            output,
            fail_on,
        } => cmd::deadlines::run(&portal.root, day.date(), output.format.into(), fail_on),
        Command::Requests {
            portal,
            day,
            output,
            agency,
            year,
        } => cmd::requests::run(
            &portal.root,
            day.date(),
            output.format.into(),
            agency.as_deref(),
            year,
        ),
        Command::Export {
            portal,
            format: ExportFormat::Ndjson,
            output,
            day,
        } => cmd::export::run(&portal.root, day.date(), output.as_deref()),
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

#[cfg(test)]
mod tests {
    /// `purge_delay` is the one option whose default is 1000 ms: read through
    /// [`super::PURGE_DELAY`], it says that place is its place in the mimalloc built in.
    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: mi_option_get only reads the value.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
