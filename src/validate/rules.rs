//! Rules of the content format beyond types: allowed values, required non-empty values,
//! date order, decision procedure, calendar sanity, and site.toml paths.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::diagnostics::{codes, Pos};
use crate::domain::calendar::CalendarYear;
use crate::model::*;
use crate::text::url::{check_url, UrlProblem};

use super::{closest, FileIssue, Issue};

fn not_empty(out: &mut Vec<Issue>, value: &str, path: &str, what: &str) {
    if value.trim().is_empty() {
        out.push(
            Issue::error(codes::INVALID_VALUE, path, format!("{what} is empty"))
                .hint(format!("write the {what} after `{path}:`")),
        );
    }
}

fn category(out: &mut Vec<Issue>, value: &str, path: &str) {
    if CATEGORIES.contains(&value.trim()) {
        return;
    }
    let suggestion = closest(value.trim(), CATEGORIES.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    out.push(
        Issue::error(
            codes::NOT_ALLOWED,
            path,
            format!("`{value}` is not one of the 11 item categories"),
        )
        .hint(format!("{suggestion}use one of: {}", CATEGORIES.join(", "))),
    );
}

fn legal_basis(out: &mut Vec<Issue>, basis: &[LegalBasis]) {
    if basis.is_empty() {
        out.push(
            Issue::error(
                codes::INVALID_VALUE,
                "legal_basis",
                "the legal basis (设定依据) lists nothing",
            )
            .at_key()
            .hint("add at least one entry: `- law: 《…》` with its `article:`"),
        );
    }
    for (i, b) in basis.iter().enumerate() {
        not_empty(
            out,
            &b.law,
            &format!("legal_basis.{i}.law"),
            "the law's name",
        );
    }
}

/// What to write instead of a refused link, for fields that take a web address.
pub(crate) const LINK_HINT: &str =
    "只能填写以 http:// 或 https:// 开头的网址，或站内相对路径（如 /pages/guide/）";

/// A link an officer wrote, at `path`: an error E027 unless `url::check_url` allows it.
/// `hint` says what the field takes; protocol-relative links get their own.
pub(crate) fn unsafe_link(value: &str, path: &str, hint: &str) -> Option<Issue> {
    let problem = check_url(value).err()?;
    let shown = printable(value.trim());
    let (message, hint) = match problem {
        UrlProblem::Scheme(scheme) => (
            format!(
                "`{path}` 的网址 `{shown}` 以 `{scheme}:` 开头，网站只允许 http、https、mailto、tel 链接和站内相对路径"
            ),
            hint.to_string(),
        ),
        UrlProblem::ProtocolRelative => (
            format!("`{path}` 的网址 `{shown}` 以 `//` 开头，没有写明 http 或 https"),
            format!(
                "写完整的网址，在前面加上 https:，即 `https://{}`",
                printable(value.trim().trim_start_matches(['/', '\\']))
            ),
        ),
        UrlProblem::Disguised => (
            format!(
                "`{path}` 的网址 `{shown}` 含有不可见的控制字符或 `&#58;` 一类的字符引用，浏览器解读后可能成为不安全的链接"
            ),
            format!("直接写出网址本身，不用字符引用或不可见字符。{hint}"),
        ),
    };
    Some(Issue::error(codes::UNSAFE_URL, path, message).hint(hint))
}

/// `s` with control characters written out (`\t`, `\u{1}`), so a message shows what the
/// terminal would otherwise hide.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => "\\t".to_string(),
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

pub(crate) fn agency(_ctx: &super::Ctx, r: &Record<Agency>) -> Vec<Issue> {
    let website = r.data.website.as_deref();
    website
        .and_then(|w| unsafe_link(w, "website", LINK_HINT))
        .into_iter()
        .collect()
}

pub(crate) fn power(_ctx: &super::Ctx, r: &Record<PowerItem>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.code, "code", "the item code");
    not_empty(&mut out, &d.name, "name", "the item name");
    category(&mut out, &d.category, "category");
    legal_basis(&mut out, &d.legal_basis);
    out
}

pub(crate) fn service(_ctx: &super::Ctx, r: &Record<ServiceItem>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.code, "code", "the item code");
    not_empty(&mut out, &d.name, "name", "the item name");
    category(&mut out, &d.kind, "type");
    legal_basis(&mut out, &d.legal_basis);
    let t = &d.time_limit;
    if t.promised_days > t.statutory_days {
        out.push(
            Issue::error(
                codes::PROMISED_OVER_STATUTORY,
                "time_limit.promised_days",
                format!(
                    "the promised time limit ({} working days) is longer than the statutory one ({})",
                    t.promised_days, t.statutory_days
                ),
            )
            .hint(format!(
                "承诺办结时限 may not exceed 法定办结时限: promise {} days or fewer",
                t.statutory_days
            )),
        );
    }
    if let Some(url) = &d.online_url {
        out.extend(unsafe_link(url, "online_url", LINK_HINT));
    }
    if let Some(level) = d.online_level {
        if level > 4 {
            out.push(
                Issue::error(
                    codes::INVALID_VALUE,
                    "online_level",
                    format!("online level {level} is out of range"),
                )
                .hint("网办深度 is 0 (not online) to 4 (fully online)"),
            );
        }
    }
    out
}

fn date_order(out: &mut Vec<Issue>, earlier: (&str, NaiveDate), later: (&str, NaiveDate)) {
    if later.1 < earlier.1 {
        out.push(
            Issue::error(
                codes::DATE_ORDER,
                later.0,
                format!(
                    "`{}` ({}) is before `{}` ({})",
                    later.0, later.1, earlier.0, earlier.1
                ),
            )
            .hint(format!("check both dates: `{}` cannot come first", later.0))
            .involving(earlier.0),
        );
    }
}

pub(crate) fn decision(ctx: &super::Ctx, r: &Record<Decision>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.title, "title", "the title");
    if let Some(c) = &d.consultation {
        if let Some(url) = &c.url {
            out.extend(unsafe_link(url, "consultation.url", LINK_HINT));
        }
        if c.end < c.start {
            date_order(
                &mut out,
                ("consultation.start", c.start),
                ("consultation.end", c.end),
            );
        } else {
            let days = (c.end - c.start).num_days() + 1;
            let min = i64::from(ctx.portal.config.deadlines.decision_consultation_min_days);
            if days < min {
                out.push(
                    Issue::warning(
                        codes::SHORT_CONSULTATION,
                        "consultation.end",
                        format!(
                            "the public consultation ran {days} days ({} to {}), less than the minimum of {min}",
                            c.start, c.end
                        ),
                    )
                    .hint("major decisions are put to public comment for at least 30 days (重大行政决策程序暂行条例 Art. 15); if it was shortened, state the reason in `consultation.summary`"),
                );
            }
        }
    }
    // Statutory order of the stages that are present.
    let stages: [(&str, &str, Option<NaiveDate>); 5] = [
        (
            "consultation.end",
            "公众参与",
            d.consultation.as_ref().map(|c| c.end),
        ),
        (
            "legality_review.date",
            "合法性审查",
            d.legality_review.as_ref().map(|x| x.date),
        ),
        (
            "collective_decision.date",
            "集体讨论决定",
            d.collective_decision.as_ref().map(|x| x.date),
        ),
        (
            "publication.date",
            "决策公布",
            d.publication.as_ref().map(|x| x.date),
        ),
        (
            "evaluation.date",
            "决策后评估",
            d.evaluation.as_ref().map(|x| x.date),
        ),
    ];
    let mut latest: Option<(&str, &str, NaiveDate)> = None;
    for (path, label, date) in stages {
        let Some(date) = date else { continue };
        if let Some((prev_path, prev_label, prev)) = latest {
            if date < prev {
                out.push(
                    Issue::error(
                        codes::STAGE_ORDER,
                        path,
                        format!(
                            "{label} (`{path}`, {date}) is dated before {prev_label} (`{prev_path}`, {prev})"
                        ),
                    )
                    .hint("the stages go in statutory order: consultation end ≤ legality review ≤ collective decision ≤ publication ≤ evaluation; correct the date that is wrong")
                    .involving(prev_path),
                );
                continue;
            }
        }
        latest = Some((path, label, date));
    }
    if d.collective_decision.is_some() && d.legality_review.is_none() {
        out.push(
            Issue::error(
                codes::NO_LEGALITY_REVIEW,
                "collective_decision",
                "the decision went to collective discussion without a legality review",
            )
            .at_key()
            .hint("未经合法性审查不得提交讨论 (Order 713 Art. 25): add `legality_review: {date: …, result: …}`")
            .involving("legality_review"),
        );
    }
    if let Some(risk) = &d.risk_assessment {
        if !["低", "中", "高"].contains(&risk.level.trim()) {
            out.push(
                Issue::error(
                    codes::NOT_ALLOWED,
                    "risk_assessment.level",
                    format!("risk level `{}` is not allowed", risk.level),
                )
                .hint("use one of: 低, 中, 高"),
            );
        }
    }
    out
}

pub(crate) fn document(_ctx: &super::Ctx, r: &Record<Document>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.title, "title", "the title");
    date_order(&mut out, ("written", d.written), ("published", d.published));
    if let (Some(from), Some(until)) = (d.valid_from, d.valid_until) {
        date_order(&mut out, ("valid_from", from), ("valid_until", until));
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_zh(d: NaiveDate) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][d.weekday().num_days_from_monday() as usize]
}

pub(crate) fn calendar(_ctx: &super::Ctx, r: &Record<CalendarYear>) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(year) = r.meta.year else {
        return out;
    };
    let near = (year - 1)..=(year + 1);
    for (i, h) in r.data.holidays.iter().enumerate() {
        if h.from > h.to {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    format!("holidays.{i}.to"),
                    format!(
                        "holiday {} ends ({}) before it starts ({})",
                        h.name, h.to, h.from
                    ),
                )
                .hint("`from` is the first day off and `to` the last, both inclusive"),
            );
        } else if !near.contains(&h.from.year()) || !near.contains(&h.to.year()) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    format!("holidays.{i}.from"),
                    format!("holiday {} ({} to {}) is not near {year}", h.name, h.from, h.to),
                )
                .hint(format!("content/calendar/{year}.yaml holds the days of {year}: check the year of the dates")),
            );
        }
    }
    for (i, &d) in r.data.workdays.iter().enumerate() {
        let path = format!("workdays.{i}");
        if !is_weekend(d) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    &path,
                    format!("workday {d} is a {}, not a Saturday or Sunday", weekday_zh(d)),
                )
                .hint("`workdays` lists only the weekend days worked (调休上班); check the date against the State Council notice"),
            );
        } else if !near.contains(&d.year()) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    &path,
                    format!("workday {d} is not near {year}"),
                )
                .hint(format!(
                    "content/calendar/{year}.yaml holds the days of {year}: check the year"
                )),
            );
        } else if let Some(h) = r.data.holidays.iter().find(|h| h.from <= d && d <= h.to) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    &path,
                    format!(
                        "workday {d} lies inside holiday {} ({} to {})",
                        h.name, h.from, h.to
                    ),
                )
                .hint("a day is either a day off or a working day: correct one of the two"),
            );
        }
    }
    out
}

/// Files of `content/static/` are copied to the site's root after the pages: one inside a
/// generated folder would mix with (or replace) the generator's pages, one named like a
/// generated file would replace it (the home page) or be replaced by it (robots.txt).
pub(crate) fn static_files(portal: &Portal) -> Vec<FileIssue> {
    let mut out = Vec::new();
    for rel in &portal.static_files {
        // The first part decides: `search` as a file is in the way of the folder as much as
        // `search/x` is inside it, and `index.html/x` of the file.
        let first = rel.split('/').next().unwrap_or("");
        let what = if crate::model::urls::GENERATED_FOLDERS.contains(&first) {
            format!("`{first}/` folder")
        } else if crate::model::urls::GENERATED_FILES.contains(&first) {
            format!("`{first}`")
        } else {
            continue;
        };
        let message = format!(
            "content/static/{rel} would be copied into or over the site's {what}, which gongkai writes itself"
        );
        out.push((
            std::path::PathBuf::from("content/static").join(rel),
            Issue::error(codes::STATIC_SHADOWS_SITE, "", message).hint(format!(
                "move it to a folder of its own, e.g. content/static/attachments/{}, and link it from there",
                rel.rsplit('/').next().unwrap_or(rel)
            )),
        ));
    }
    out
}

/// site.toml paths that a build may not replace (write::paths decides), the two outputs
/// lying one inside the other, and a `base_url` the link rule refuses.
pub(crate) fn site(portal: &Portal, root: &Path) -> Vec<FileIssue> {
    use crate::write::paths::{check_apart, decide, Origin, Purpose};
    let cfg = &portal.config;
    let mut out = Vec::new();
    if let Some(issue) = unsafe_link(
        &cfg.base_url,
        "base_url",
        "写本站的正式网址，如 `base_url = \"https://www.example.gov.cn\"`",
    ) {
        out.push(("site.toml".into(), issue));
    }
    let mut decided = Vec::new();
    for (key, value, purpose) in [
        ("output_dir", &cfg.output_dir, Purpose::Site),
        (
            "search_index_dir",
            &cfg.search_index_dir,
            Purpose::SearchIndex,
        ),
    ] {
        match decide(root, Path::new(value.trim()), Origin::Setting, purpose) {
            Ok(d) => decided.push(d.path),
            Err(r) => out.push((
                "site.toml".into(),
                Issue::error(codes::UNSAFE_PATH, key, r.message).hint(r.hint),
            )),
        }
    }
    if let [site, index] = &decided[..] {
        if let Err(r) = check_apart(site, index) {
            out.push((
                "site.toml".into(),
                Issue::error(codes::UNSAFE_PATH, "search_index_dir", r.message).hint(r.hint),
            ));
        }
    }
    out
}

/// The position of the value of `key = ` in site.toml text (TOML, which the YAML locator
/// cannot read). Only the last segment of a dotted key is searched.
pub(crate) fn toml_value_pos(text: &str, key: &str) -> Option<Pos> {
    let key = key.rsplit('.').next()?;
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim_start();
        let rest = t.strip_prefix(key)?.trim_start();
        let value = rest.strip_prefix('=')?.trim_start();
        let start = line.len() - value.len();
        let value = value.trim_end();
        Some(Pos::new(
            i + 1,
            line[..start].chars().count() + 1,
            value.chars().count().max(1),
        ))
    })
}
