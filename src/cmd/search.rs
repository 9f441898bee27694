//! `gongkai search`: query the tantivy index a build wrote and print the hits for people
//! (text) or scripts (JSON).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use super::colored;
use crate::model::config::SiteConfig;
use crate::search::{Answer, Hit, SearchError, SearchIndex, SearchQuery};

/// What `gongkai search` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    /// Hits, the number of matches and the matches per category, for people.
    Text,
    /// The hits alone, as a JSON array (`--json`, which scripts read from before the counts).
    Hits,
    /// One JSON object: the number of matches, the matches per category and the hits.
    Json,
}

/// Runs `gongkai search`: the hits on stdout, as text or as JSON.
pub fn run(root: &Path, q: &SearchQuery, print: Print) -> ExitCode {
    let answer = match find(root, q) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}", super::error_line(&e));
            return ExitCode::FAILURE;
        }
    };
    let stdout = io::stdout();
    let color = colored(&stdout);
    let written = match print {
        Print::Hits => write_json(&answer.hits, &mut stdout.lock()),
        Print::Json => write_answer_json(q, &answer, &mut stdout.lock()),
        Print::Text => write_text(q, &answer, color, &mut stdout.lock()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", super::error_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The tantivy index folder of the portal at `root`, from its site.toml.
pub fn index_dir_of(root: &Path) -> Result<PathBuf, String> {
    let (config, _) = SiteConfig::load(root).map_err(|d| d.message.clone())?;
    Ok(root.join(config.search_index_dir))
}

/// Runs `q` against the portal at `root`: its hits and counts.
pub fn find(root: &Path, q: &SearchQuery) -> Result<Answer, String> {
    let dir = index_dir_of(root)?;
    if !dir.join("meta.json").exists() {
        let dir = dir.display();
        return Err(crate::zh_en!(
            format!("没有找到搜索索引 {dir}：请先运行 gongkai build"),
            format!("no search index at {dir}: run gongkai build first")
        ));
    }
    SearchIndex::open(&dir)
        .and_then(|index| index.answer(q))
        .map_err(|e: SearchError| e.to_string())
}

fn hit_json(h: &Hit) -> serde_json::Value {
    json!({
        "slug": h.slug,
        "type": h.kind,
        "url": h.url,
        "title": h.title,
        "score": h.score,
        "snippet": h.snippet,
        "tier": h.tier,
        "agency": h.agency_name,
        "date": h.date,
    })
}

/// Hits as JSON: an array with one object per hit (`slug`, `type`, `url`, `title`, `score`,
/// `snippet`, plus `tier`, `agency`, `date`), one object per line.
pub fn write_json(hits: &[Hit], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "[")?;
    write_hit_lines(hits, out)?;
    writeln!(out, "]")
}

fn write_hit_lines(hits: &[Hit], out: &mut impl Write) -> io::Result<()> {
    for (i, h) in hits.iter().enumerate() {
        let sep = if i + 1 < hits.len() { "," } else { "" };
        writeln!(out, "{}{sep}", hit_json(h))?;
    }
    Ok(())
}

/// The whole answer as one JSON object: `query`, `category` (the filter, or null), `total`
/// (matches passing the filters), `categories` (`[name, count]` of all the query's matches,
/// most first) and `hits` (as [`write_json`] gives them, one per line).
pub fn write_answer_json(q: &SearchQuery, a: &Answer, out: &mut impl Write) -> io::Result<()> {
    let head = json!({
        "query": q.text,
        "category": q.category,
        "total": a.total,
        "categories": a.categories,
    })
    .to_string();
    // The head's closing brace opens the hits instead, so each hit keeps its own line.
    writeln!(out, "{},\"hits\": [", &head[..head.len() - 1])?;
    write_hit_lines(&a.hits, out)?;
    writeln!(out, "]}}")
}

/// Hits for people: rank and title, URL, type · agency · date, and the snippet with the
/// matches in 【】 (or bold when `color`); then the number of matches and the matches per
/// category.
pub fn write_text(
    q: &SearchQuery,
    answer: &Answer,
    color: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let hits = &answer.hits;
    if hits.is_empty() {
        let query = &q.text;
        match &q.category {
            Some(c) => writeln!(out, "在分类“{c}”中没有找到与“{query}”相关的内容。")?,
            None => writeln!(out, "没有找到与“{query}”相关的内容。")?,
        }
    }
    for (i, h) in hits.iter().enumerate() {
        let title = if color {
            format!("\x1b[1m{}\x1b[0m", h.title)
        } else {
            h.title.clone()
        };
        writeln!(out, "{:>2}. {title}", i + 1)?;
        writeln!(out, "    {}", h.url)?;
        let mut meta = vec![kind_label(&h.kind).to_string()];
        if !h.agency_name.is_empty() {
            meta.push(h.agency_name.clone());
        }
        if let Some(d) = &h.date {
            meta.push(d.clone());
        }
        writeln!(out, "    {}", meta.join(" · "))?;
        let (open, close) = if color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("【", "】")
        };
        writeln!(out, "    {}", snippet_text(&h.snippet, open, close))?;
    }
    if !hits.is_empty() {
        writeln!(out)?;
        writeln!(out, "共 {} 条结果", answer.total)?;
    }
    if !answer.categories.is_empty() {
        let counts: Vec<String> = answer
            .categories
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        writeln!(out, "按分类（全部结果）：{}", counts.join("、"))?;
    }
    Ok(())
}

/// The Chinese name of one record of a type (`document`: 政府文件).
pub fn kind_label(kind: &str) -> &str {
    crate::model::Kind::from_name(kind).map_or(kind, |k| k.info().noun)
}

/// A snippet's HTML (escaped text and `<mark>`) as plain text, marks replaced by `open` and
/// `close`.
pub fn snippet_text(html: &str, open: &str, close: &str) -> String {
    html.replace("<mark>", "\u{1}")
        .replace("</mark>", "\u{2}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\u{1}', open)
        .replace('\u{2}', close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_text_with_brackets() {
        assert_eq!(
            snippet_text("a &lt;b&gt; <mark>吉林</mark>&amp;c", "【", "】"),
            "a <b> 【吉林】&c"
        );
        assert_eq!(snippet_text("&amp;lt;", "[", "]"), "&lt;");
    }
}
