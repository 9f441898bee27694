//! Rules of the content format beyond types: allowed values, required non-empty values,
//! date order, decision procedure, calendar sanity, and site.toml paths.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::diagnostics::{codes, Pos};
use crate::domain::calendar::{weekday_zh, CalendarYear};
use crate::model::*;
use crate::text::url::{check_url, UrlProblem};

use super::{closest, did_you_mean, FileIssue, Issue};
use crate::zh_en;

/// `what` names the value, in the language of the message.
fn not_empty(out: &mut Vec<Issue>, value: &str, path: &str, what: &str) {
    if value.trim().is_empty() {
        out.push(
            Issue::error(
                codes::INVALID_VALUE,
                path,
                zh_en!(format!("{what}为空"), format!("{what} is empty")),
            )
            .hint(zh_en!(
                format!("请在 `{path}:` 后面写上{what}"),
                format!("write the {what} after `{path}:`")
            )),
        );
    }
}

fn category(out: &mut Vec<Issue>, value: &str, path: &str) {
    if CATEGORIES.contains(&value.trim()) {
        return;
    }
    let suggestion = closest(value.trim(), CATEGORIES.iter().copied())
        .map(did_you_mean)
        .unwrap_or_default();
    out.push(
        Issue::error(
            codes::NOT_ALLOWED,
            path,
            zh_en!(
                format!("`{value}` 不是 11 种事项类别之一"),
                format!("`{value}` is not one of the 11 item categories")
            ),
        )
        .hint(zh_en!(
            format!(
                "{suggestion}请从以下类别中选一个：{}",
                CATEGORIES.join("、")
            ),
            format!("{suggestion}use one of: {}", CATEGORIES.join(", "))
        )),
    );
}

fn legal_basis(out: &mut Vec<Issue>, basis: &[LegalBasis]) {
    if basis.is_empty() {
        out.push(
            Issue::error(
                codes::INVALID_VALUE,
                "legal_basis",
                zh_en!(
                    "设定依据一条也没有写",
                    "the legal basis (设定依据) lists nothing"
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请至少添加一条 `- law: 《…》`，并写上 `article:`",
                "add at least one entry: `- law: 《…》` with its `article:`"
            )),
        );
    }
    for (i, b) in basis.iter().enumerate() {
        not_empty(
            out,
            &b.law,
            &format!("legal_basis.{i}.law"),
            zh_en!("法律法规名称", "the law's name"),
        );
    }
}

/// What to write instead of a refused link, for fields that take a web address.
pub(crate) fn link_hint() -> &'static str {
    zh_en!(
        "请填写以 `http://` 或 `https://` 开头的网址，或站内相对路径（如 `/pages/guide/`）",
        "write a web address starting with http:// or https://, or a relative path within the site (e.g. /pages/guide/)"
    )
}

/// A link an officer wrote, at `path`: an error E027 unless `url::check_url` allows it.
/// `hint` says what the field takes; protocol-relative links get their own.
pub(crate) fn unsafe_link(value: &str, path: &str, hint: &str) -> Option<Issue> {
    let problem = check_url(value).err()?;
    let shown = printable(value.trim());
    let (message, hint) = match problem {
        UrlProblem::Scheme(scheme) => (
            zh_en!(
                format!(
                    "`{path}` 的网址 `{shown}` 以 `{scheme}:` 开头，网站只允许 http、https、mailto、tel 链接和站内相对路径"
                ),
                format!(
                    "the address `{shown}` of `{path}` starts with `{scheme}:`; the site allows only http, https, mailto and tel links and relative paths within the site"
                )
            ),
            hint.to_string(),
        ),
        UrlProblem::ProtocolRelative => {
            let rest = printable(value.trim().trim_start_matches(['/', '\\']));
            (
                zh_en!(
                    format!("`{path}` 的网址 `{shown}` 以 `//` 开头，没有写明 http 或 https"),
                    format!("the address `{shown}` of `{path}` starts with `//` and does not say http or https")
                ),
                zh_en!(
                    format!("请写完整的网址，在前面加上 `https:`，即 `https://{rest}`"),
                    format!("write the full address with https: in front: `https://{rest}`")
                ),
            )
        }
        UrlProblem::Disguised => (
            zh_en!(
                format!(
                    "`{path}` 的网址 `{shown}` 含有不可见的控制字符或 `&#58;` 一类的字符引用，浏览器解读后可能成为不安全的链接"
                ),
                format!(
                    "the address `{shown}` of `{path}` contains invisible control characters or character references such as `&#58;`, which a browser may turn into an unsafe link"
                )
            ),
            zh_en!(
                format!("写出网址本身，不用字符引用或不可见字符；{hint}"),
                format!("write the address itself, without character references or invisible characters; {hint}")
            ),
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
        .and_then(|w| unsafe_link(w, "website", link_hint()))
        .into_iter()
        .collect()
}

pub(crate) fn power(_ctx: &super::Ctx, r: &Record<PowerItem>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(
        &mut out,
        &d.code,
        "code",
        zh_en!("事项编码", "the item code"),
    );
    not_empty(
        &mut out,
        &d.name,
        "name",
        zh_en!("事项名称", "the item name"),
    );
    category(&mut out, &d.category, "category");
    legal_basis(&mut out, &d.legal_basis);
    out
}

pub(crate) fn service(_ctx: &super::Ctx, r: &Record<ServiceItem>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(
        &mut out,
        &d.code,
        "code",
        zh_en!("实施编码", "the item code"),
    );
    not_empty(
        &mut out,
        &d.name,
        "name",
        zh_en!("事项名称", "the item name"),
    );
    category(&mut out, &d.kind, "type");
    legal_basis(&mut out, &d.legal_basis);
    let t = &d.time_limit;
    if t.promised_days > t.statutory_days {
        out.push(
            Issue::error(
                codes::PROMISED_OVER_STATUTORY,
                "time_limit.promised_days",
                zh_en!(
                    format!(
                        "承诺办结时限（{} 个工作日）比法定办结时限（{} 个工作日）还长",
                        t.promised_days, t.statutory_days
                    ),
                    format!(
                        "the promised time limit ({} working days) is longer than the statutory one ({})",
                        t.promised_days, t.statutory_days
                    )
                ),
            )
            .hint(zh_en!(
                format!(
                    "请把承诺办结时限改为不超过 {} 个工作日：承诺时限不能超过法定时限",
                    t.statutory_days
                ),
                format!(
                    "承诺办结时限 may not exceed 法定办结时限: promise {} days or fewer",
                    t.statutory_days
                )
            )),
        );
    }
    if let Some(url) = &d.online_url {
        out.extend(unsafe_link(url, "online_url", link_hint()));
    }
    if let Some(level) = d.online_level {
        if level > 4 {
            out.push(
                Issue::error(
                    codes::INVALID_VALUE,
                    "online_level",
                    zh_en!(
                        format!("网办深度 `{level}` 超出范围"),
                        format!("online level {level} is out of range")
                    ),
                )
                .hint(zh_en!(
                    "请写 `0`（不能网上办理）到 `4`（全程网办）之间的整数",
                    "网办深度 is 0 (not online) to 4 (fully online)"
                )),
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
                zh_en!(
                    format!(
                        "`{}`（`{}`）早于 `{}`（`{}`）",
                        later.0, later.1, earlier.0, earlier.1
                    ),
                    format!(
                        "`{}` ({}) is before `{}` ({})",
                        later.0, later.1, earlier.0, earlier.1
                    )
                ),
            )
            .hint(zh_en!(
                format!("请核对这两个日期：`{}` 不能早于 `{}`", later.0, earlier.0),
                format!("check both dates: `{}` cannot come first", later.0)
            ))
            .involving(earlier.0),
        );
    }
}

pub(crate) fn decision(ctx: &super::Ctx, r: &Record<Decision>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.title, "title", zh_en!("标题", "the title"));
    if let Some(c) = &d.consultation {
        if let Some(url) = &c.url {
            out.extend(unsafe_link(url, "consultation.url", link_hint()));
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
                        zh_en!(
                            format!(
                                "公众征求意见只有 {days} 天（`{}` 至 `{}`），少于最短的 {min} 天",
                                c.start, c.end
                            ),
                            format!(
                                "the public consultation ran {days} days ({} to {}), less than the minimum of {min}",
                                c.start, c.end
                            )
                        ),
                    )
                    .hint(zh_en!(
                        "请核对起止日期；如确有缩短，请在 `consultation.summary` 中说明理由：重大行政决策征求公众意见的时间一般不少于 30 日（《重大行政决策程序暂行条例》第十五条）",
                        "major decisions are put to public comment for at least 30 days (重大行政决策程序暂行条例 Art. 15); if it was shortened, state the reason in `consultation.summary`"
                    )),
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
                        zh_en!(
                            format!(
                                "{label}（`{path}`，`{date}`）早于{prev_label}（`{prev_path}`，`{prev}`）"
                            ),
                            format!(
                                "{label} (`{path}`, {date}) is dated before {prev_label} (`{prev_path}`, {prev})"
                            )
                        ),
                    )
                    .hint(zh_en!(
                        "请改正有误的日期：各环节须按法定顺序，公众参与 ≤ 合法性审查 ≤ 集体讨论决定 ≤ 决策公布 ≤ 决策后评估",
                        "the stages go in statutory order: consultation end ≤ legality review ≤ collective decision ≤ publication ≤ evaluation; correct the date that is wrong"
                    ))
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
                zh_en!(
                    "该决策未经合法性审查就提交了集体讨论",
                    "the decision went to collective discussion without a legality review"
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请添加 `legality_review: {date: …, result: …}`：未经合法性审查不得提交讨论（《重大行政决策程序暂行条例》第二十五条）",
                "未经合法性审查不得提交讨论 (Order 713 Art. 25): add `legality_review: {date: …, result: …}`"
            ))
            .involving("legality_review"),
        );
    }
    if let Some(risk) = &d.risk_assessment {
        if !["低", "中", "高"].contains(&risk.level.trim()) {
            out.push(
                Issue::error(
                    codes::NOT_ALLOWED,
                    "risk_assessment.level",
                    zh_en!(
                        format!("风险等级 `{}` 不是可选的值", risk.level),
                        format!("risk level `{}` is not allowed", risk.level)
                    ),
                )
                .hint(zh_en!("请写 `低`、`中` 或 `高`", "use one of: 低, 中, 高")),
            );
        }
    }
    out
}

pub(crate) fn document(_ctx: &super::Ctx, r: &Record<Document>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    not_empty(&mut out, &d.title, "title", zh_en!("标题", "the title"));
    date_order(&mut out, ("written", d.written), ("published", d.published));
    if let (Some(from), Some(until)) = (d.valid_from, d.valid_until) {
        date_order(&mut out, ("valid_from", from), ("valid_until", until));
    }
    if d.long_term {
        if d.valid_until.is_some() {
            out.push(
                Issue::error(
                    codes::LONG_TERM_WITH_END,
                    "long_term",
                    crate::zh_en!(
                        "`long_term: true` 表示长期有效、废止前一直有效，但本文件同时填写了有效期截止日 `valid_until`",
                        "`long_term: true` means in force until repealed, but this document also gives `valid_until`"
                    ),
                )
                .hint(crate::zh_en!(
                    "长期有效的文件删去 `valid_until`；有明确有效期的文件删去 `long_term`",
                    "remove `valid_until` from a document of long-term effect, or `long_term` from one with an end date"
                )),
            );
        } else if !d.normative {
            out.push(
                Issue::warning(
                    codes::LONG_TERM_NOT_NORMATIVE,
                    "long_term",
                    crate::zh_en!(
                        "`long_term` 只用于行政规范性文件，本文件没有填写 `normative: true`",
                        "`long_term` is for normative documents, and this one has no `normative: true`"
                    ),
                )
                .hint(crate::zh_en!(
                    "本文件是规范性文件的，加上 `normative: true`；不是的，删去 `long_term`",
                    "add `normative: true` if it is one; otherwise remove `long_term`"
                )),
            );
        }
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
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
                    zh_en!(
                        format!(
                            "假期 `{}` 的结束日期（`{}`）早于开始日期（`{}`）",
                            h.name, h.to, h.from
                        ),
                        format!(
                            "holiday {} ends ({}) before it starts ({})",
                            h.name, h.to, h.from
                        )
                    ),
                )
                .hint(zh_en!(
                    "请核对日期：`from` 是放假第一天，`to` 是放假最后一天，两天都算在内",
                    "`from` is the first day off and `to` the last, both inclusive"
                )),
            );
        } else if !near.contains(&h.from.year()) || !near.contains(&h.to.year()) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    format!("holidays.{i}.from"),
                    zh_en!(
                        format!(
                            "假期 `{}`（`{}` 至 `{}`）不在 {year} 年前后",
                            h.name, h.from, h.to
                        ),
                        format!("holiday {} ({} to {}) is not near {year}", h.name, h.from, h.to)
                    ),
                )
                .hint(zh_en!(
                    format!("请核对日期中的年份：`content/calendar/{year}.yaml` 只写 {year} 年的安排"),
                    format!("content/calendar/{year}.yaml holds the days of {year}: check the year of the dates")
                )),
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
                    zh_en!(
                        format!(
                            "调休上班日 `{d}` 是{}，不是星期六或星期日",
                            weekday_zh(d.weekday())
                        ),
                        format!(
                            "workday {d} is a {}, not a Saturday or Sunday",
                            weekday_zh(d.weekday())
                        )
                    ),
                )
                .hint(zh_en!(
                    "请对照国务院办公厅的放假通知核对日期：`workdays` 只列调休上班的星期六、星期日",
                    "`workdays` lists only the weekend days worked (调休上班); check the date against the State Council notice"
                )),
            );
        } else if !near.contains(&d.year()) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    &path,
                    zh_en!(
                        format!("调休上班日 `{d}` 不在 {year} 年前后"),
                        format!("workday {d} is not near {year}")
                    ),
                )
                .hint(zh_en!(
                    format!("请核对年份：`content/calendar/{year}.yaml` 只写 {year} 年的安排"),
                    format!(
                        "content/calendar/{year}.yaml holds the days of {year}: check the year"
                    )
                )),
            );
        } else if let Some(h) = r.data.holidays.iter().find(|h| h.from <= d && d <= h.to) {
            out.push(
                Issue::error(
                    codes::CALENDAR,
                    &path,
                    zh_en!(
                        format!(
                            "调休上班日 `{d}` 落在假期 `{}`（`{}` 至 `{}`）之内",
                            h.name, h.from, h.to
                        ),
                        format!(
                            "workday {d} lies inside holiday {} ({} to {})",
                            h.name, h.from, h.to
                        )
                    ),
                )
                .hint(zh_en!(
                    "请改正其中一处：一天要么放假，要么上班",
                    "a day is either a day off or a working day: correct one of the two"
                )),
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
            zh_en!(format!("文件夹 `{first}/`"), format!("`{first}/` folder"))
        } else if crate::model::urls::GENERATED_FILES.contains(&first) {
            zh_en!(format!("文件 `{first}`"), format!("`{first}`"))
        } else {
            continue;
        };
        let message = zh_en!(
            format!(
                "`content/static/{rel}` 会放进或覆盖网站的{what}，而这是 gongkai 自己生成的"
            ),
            format!(
                "content/static/{rel} would be copied into or over the site's {what}, which gongkai writes itself"
            )
        );
        let name = rel.rsplit('/').next().unwrap_or(rel);
        out.push((
            std::path::PathBuf::from("content/static").join(rel),
            Issue::error(codes::STATIC_SHADOWS_SITE, "", message).hint(zh_en!(
                format!(
                    "请把它移到单独的文件夹，如 `content/static/attachments/{name}`，再从那里链接"
                ),
                format!(
                    "move it to a folder of its own, e.g. content/static/attachments/{name}, and link it from there"
                )
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
        zh_en!(
            "请写本站的正式网址，如 `base_url = \"https://www.example.gov.cn\"`",
            "write the site's official address, e.g. `base_url = \"https://www.example.gov.cn\"`"
        ),
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::testing::{doc, portal};

    fn codes(yaml: &str) -> Vec<&'static str> {
        let p = portal(vec![doc(
            "a",
            &format!("title: 示例市某某管理办法\nagency: fgw\nindex_no: x\nwritten: 2025-02-28\npublished: 2025-03-03\n{yaml}"),
        )]);
        crate::validate::validate(&p, Path::new("/nonexistent-portal"))
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .filter(|c| super::super::tests::CONCERNED.contains(c))
            .collect()
    }

    #[test]
    fn long_term_is_for_normative_documents_without_an_end_date() {
        assert_eq!(
            codes("normative: true\nlong_term: true\n"),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("normative: true\nlong_term: true\nvalid_until: 2030-12-31\n"),
            ["E091"]
        );
        assert_eq!(codes("long_term: true\n"), ["W096"]);
        assert_eq!(
            codes("long_term: false\nvalid_until: 2030-12-31\n"),
            Vec::<&str>::new()
        );
    }
}
