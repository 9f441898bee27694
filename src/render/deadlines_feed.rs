//! The notices as an Atom 1.0 feed (RFC 4287), for journalists and for offices' feed readers.

use chrono::{Datelike, NaiveDate};

use crate::derive::deadlines::Notice;
use crate::text::escape::escape;

/// An Atom 1.0 feed of `notices`: one entry per notice, newest first.
///
/// - Links are absolute: `base_url` (with or without a trailing slash) + the record's URL.
/// - Entry ids are `tag:` URIs (RFC 4151) made of the site's host, the due date's year and
///   [`Notice::id`] (kind, record, due date), so they stay the same from build to build; when a
///   notice changes kind (a report due becomes a report missing) it is a new entry.
/// - An entry's `updated` is [`Notice::since`], the day the notice began to apply (never later
///   than `updated`); the feed's `updated` is `updated`, the build date. Times are midnight
///   China Standard Time.
/// - Summaries of notices that still change with the date carry the date they were computed on.
pub fn atom_feed(
    notices: &[Notice],
    site_title: &str,
    base_url: &str,
    updated: NaiveDate,
) -> String {
    let base = base_url.trim_end_matches('/');
    let host = host_of(base);
    let mut entries: Vec<&Notice> = notices.iter().collect();
    entries.sort_by_cached_key(|n| (std::cmp::Reverse(n.since.min(updated)), n.id()));

    let mut x = String::with_capacity(1024 + 700 * entries.len());
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    x.push_str(&format!(
        "  <title>{} · 期限提醒</title>\n",
        escape(site_title)
    ));
    x.push_str(
        "  <subtitle>年度报告、逾期公开、公开征求意见、规范性文件有效期和重大行政决策的期限提醒</subtitle>\n",
    );
    x.push_str(&format!(
        "  <id>{}</id>\n",
        escape(&format!("{base}/deadlines/"))
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{base}/deadlines/atom.xml"))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{base}/deadlines/"))
    ));
    x.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(site_title)
    ));
    x.push_str("  <generator>gongkai</generator>\n");
    for n in entries {
        let object = match (n.record.kind, n.record.year) {
            (crate::model::Kind::Agency, Some(y)) => format!("{}（{y}年度）", n.record.title),
            _ => n.record.title.clone(),
        };
        let mut summary = format!("{}。截止日期：{}。", n.message, n.due);
        if n.is_live() {
            summary.push_str(&format!("（截至 {updated}）"));
        }
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <id>{}</id>\n",
            escape(&format!("tag:{host},{}:deadlines/{}", n.due.year(), n.id()))
        ));
        x.push_str(&format!(
            "    <title type=\"text\">[{}] {}：{}</title>\n",
            escape(n.severity.label()),
            escape(n.kind.label()),
            escape(&object)
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&format!("{base}{}", n.record.url))
        ));
        x.push_str(&format!(
            "    <updated>{}</updated>\n",
            timestamp(n.since.min(updated))
        ));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            n.severity.name(),
            escape(n.severity.label())
        ));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            n.kind.name(),
            escape(n.kind.label())
        ));
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&summary)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

fn timestamp(d: NaiveDate) -> String {
    format!("{d}T00:00:00+08:00")
}

/// The host of `https://host[:port]/path`, lower-cased, for `tag:` ids; `localhost` when there
/// is none.
pub(crate) fn host_of(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.strip_prefix('[') {
        // An IPv6 literal is no DNS name; keep the id valid.
        Some(_) => "",
        None => authority.split(':').next().unwrap_or(""),
    };
    let host: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect::<String>()
        .to_ascii_lowercase();
    if host.is_empty() {
        "localhost".to_string()
    } else {
        host
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://www.Example.gov.cn"), "www.example.gov.cn");
        assert_eq!(host_of("http://localhost:1111/sub"), "localhost");
        assert_eq!(host_of("https://u@h.cn/x"), "h.cn");
        assert_eq!(host_of("http://[::1]:80"), "localhost");
        assert_eq!(host_of(""), "localhost");
    }
}
