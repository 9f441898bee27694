//! References between records and to files: agencies, power items, documents, and files
//! under content/static/.

use std::path::Path;

use crate::diagnostics::codes;
use crate::model::slug::slug_is_valid;
use crate::model::*;

use super::rules::unsafe_link;
use super::{closest, did_you_mean, is_url, slash_path, Ctx, FileIssue, Issue};
use crate::zh_en;

pub(crate) fn agency(ctx: &Ctx, r: &Record<Agency>) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(parent) = &r.data.parent else {
        return out;
    };
    if *parent == r.meta.slug {
        out.push(
            Issue::error(
                codes::PARENT_CYCLE,
                "parent",
                zh_en!(
                    "机关不能是自己的上级机关",
                    "an agency cannot be its own parent"
                ),
            )
            .hint(zh_en!(
                "请删除 `parent:`，或写上本机关所属的上级机关",
                "remove `parent:` or name the agency this one belongs to"
            )),
        );
        return out;
    }
    if ctx.agency_missing(parent) {
        out.push(
            Issue::error(
                codes::UNKNOWN_AGENCY,
                "parent",
                zh_en!(
                    format!("上级机关 `{parent}` 不存在"),
                    format!("parent agency `{parent}` does not exist")
                ),
            )
            .hint(ctx.suggest_agency(parent)),
        );
        return out;
    }
    // Follow the chain; a loop back to this agency is an error (reported on each member).
    let mut seen = vec![r.meta.slug.as_str()];
    let mut cur = parent.as_str();
    while let Some(a) = ctx.portal.agency(cur) {
        if cur == r.meta.slug {
            out.push(
                Issue::error(
                    codes::PARENT_CYCLE,
                    "parent",
                    zh_en!(
                        format!("上级机关绕成了一个圈：{} → {}", seen.join(" → "), cur),
                        format!("the parent chain loops: {} → {}", seen.join(" → "), cur)
                    ),
                )
                .hint(zh_en!(
                    "请让圈中的一个机关不写 `parent:`，或把它的上级改为圈外的机关",
                    "one agency in the loop must have no parent, or a parent outside it"
                )),
            );
            break;
        }
        if seen.contains(&cur) {
            break; // a loop that does not include this agency: reported on its members
        }
        seen.push(cur);
        match &a.data.parent {
            Some(p) => cur = p.as_str(),
            None => break,
        }
    }
    out
}

/// `what` names the kind of record, in the language of the message.
fn folder_agency(ctx: &Ctx, meta: &Meta, what: &str) -> Option<Issue> {
    let a = meta.folder_agency.as_deref()?;
    if !ctx.agency_missing(a) {
        return None;
    }
    let near = closest(a, ctx.agency_slugs());
    Some(
        Issue::error(
            codes::UNKNOWN_AGENCY,
            "",
            zh_en!(
                format!("这条{what}放在文件夹 `{a}/` 中，但没有机关 `{a}`"),
                format!("the {what} is in folder `{a}/`, but there is no agency `{a}`")
            ),
        )
        .hint(zh_en!(
            format!(
                "请新建 `content/agencies/{a}.yaml`，或把文件移到已有机关的文件夹中{}",
                near.map(|s| format!("（是不是要写 `{s}`？）"))
                    .unwrap_or_default()
            ),
            format!(
                "create content/agencies/{a}.yaml, or move the file into the folder of an existing agency{}",
                near.map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default()
            )
        )),
    )
}

fn agency_field(ctx: &Ctx, slug: &str) -> Option<Issue> {
    if !ctx.agency_missing(slug) {
        return None;
    }
    Some(
        Issue::error(
            codes::UNKNOWN_AGENCY,
            "agency",
            zh_en!(
                format!("机关 `{slug}` 不存在"),
                format!("agency `{slug}` does not exist")
            ),
        )
        .hint(ctx.suggest_agency(slug)),
    )
}

/// Checks a path relative to content/static/: hostile shapes are errors, missing files too.
/// `what` names the file, in the language of the message.
fn static_file(ctx: &Ctx, value: &str, path: &str, what: &str) -> Option<Issue> {
    let link_hint = zh_en!(
        "请写相对于 `content/static/` 的路径（如 `attachments/list.csv`），或以 `https://` 开头的网址",
        "write a path relative to content/static/ (e.g. attachments/list.csv), or a web address starting with https://"
    );
    let v = value.trim();
    if is_url(v) {
        return unsafe_link(v, path, link_hint);
    }
    if v.is_empty() {
        return Some(
            Issue::error(
                codes::INVALID_VALUE,
                path,
                zh_en!(
                    format!("{what}路径为空"),
                    format!("the {what} path is empty")
                ),
            )
            .hint(zh_en!(
                "请写相对于 `content/static/` 的路径，如 `attachments/list.csv`",
                "write a path relative to content/static/, e.g. `attachments/list.csv`"
            )),
        );
    }
    let parts: Vec<&str> = v.split(['/', '\\']).collect();
    // A drive letter (`C:\…`) and a leading slash name places on the officer's computer or
    // the server, not links: they are refused as paths. `//host` is a link, refused below.
    let protocol_relative = v.starts_with("//");
    let absolute = (v.starts_with('/') && !protocol_relative)
        || v.starts_with('\\')
        || (v.as_bytes().get(1) == Some(&b':')
            && v.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && matches!(v.as_bytes().get(2), None | Some(b'/' | b'\\')));
    if absolute || parts.contains(&"..") {
        return Some(
            Issue::error(
                codes::UNSAFE_PATH,
                path,
                zh_en!(
                    format!("{what}路径 `{v}` 指向 `content/static/` 以外，不能使用"),
                    format!("the {what} path `{v}` leaves content/static/ and is refused")
                ),
            )
            .hint(zh_en!(
                "请把文件复制到 `content/static/` 中，写相对于该文件夹的路径，不用 `..`，也不以 `/` 开头",
                "copy the file into content/static/ and give its path relative to that folder, without `..` or a leading `/`"
            )),
        );
    }
    if let Some(issue) = unsafe_link(v, path, link_hint) {
        return Some(issue);
    }
    let normal = parts
        .iter()
        .filter(|p| !p.is_empty() && **p != ".")
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    if ctx.statics.contains(normal.as_str()) {
        return None;
    }
    let mut hint = zh_en!(
        format!("请把文件放到 `content/static/{normal}`"),
        format!("put the file at content/static/{normal}")
    );
    if v.contains('\\') {
        hint.push_str(zh_en!(
            "，文件夹之间用 `/` 分隔",
            " and separate folders with `/`"
        ));
    }
    if let Some(s) = closest(&normal, ctx.statics.iter().copied()) {
        hint = zh_en!(
            format!("是不是要写 `{s}`？否则{hint}"),
            format!("did you mean `{s}`? otherwise {hint}")
        );
    }
    Some(
        Issue::error(
            codes::MISSING_STATIC_FILE,
            path,
            zh_en!(
                format!("{what} `{v}` 在 `content/static/` 中不存在"),
                format!("the {what} `{v}` does not exist under content/static/")
            ),
        )
        .hint(hint),
    )
}

pub(crate) fn power(ctx: &Ctx, r: &Record<PowerItem>) -> Vec<Issue> {
    folder_agency(ctx, &r.meta, zh_en!("权责事项", "power item"))
        .into_iter()
        .collect()
}

pub(crate) fn service(ctx: &Ctx, r: &Record<ServiceItem>) -> Vec<Issue> {
    let mut out: Vec<Issue> = folder_agency(ctx, &r.meta, zh_en!("政务服务事项", "service item"))
        .into_iter()
        .collect();
    if let Some(code) = &r.data.power_item {
        if !ctx.portal.lookup.power.contains_key(code.as_str()) {
            let mut hint = String::from(zh_en!(
                "请填写 `content/power/` 中某个权责事项的 `code:`，或删除 `power_item:`",
                "give the `code:` of a power item in content/power/, or remove `power_item:`"
            ));
            if ctx.portal.lookup.power.len() <= 5000 {
                if let Some(s) = closest(code, ctx.portal.lookup.power.keys().map(String::as_str)) {
                    hint = format!("{}{hint}", did_you_mean(s));
                }
            }
            out.push(
                Issue::error(
                    codes::UNKNOWN_POWER_ITEM,
                    "power_item",
                    zh_en!(
                        format!("没有事项编码为 `{code}` 的权责事项"),
                        format!("no power item has the code `{code}`")
                    ),
                )
                .hint(hint),
            );
        }
    }
    for (i, m) in r.data.materials.iter().enumerate() {
        if let Some(t) = &m.template {
            out.extend(static_file(
                ctx,
                t,
                &format!("materials.{i}.template"),
                zh_en!("模板", "template"),
            ));
        }
    }
    out
}

pub(crate) fn decision(ctx: &Ctx, r: &Record<Decision>) -> Vec<Issue> {
    let mut out: Vec<Issue> = agency_field(ctx, &r.data.agency).into_iter().collect();
    if let Some(p) = &r.data.publication {
        if let Some(doc) = p.document.as_deref().map(str::trim) {
            if slug_is_valid(doc) {
                if ctx.document_missing(doc) {
                    out.push(document_missing(ctx, doc, "publication.document"));
                }
            } else if !doc.is_empty() {
                out.extend(super::identifiers::doc_number(
                    doc,
                    "publication.document",
                    None,
                ));
            }
        }
    }
    out
}

fn document_missing(ctx: &Ctx, slug: &str, path: &str) -> Issue {
    let mut hint = String::from(zh_en!(
        "请填写 `content/documents/<年份>/` 中某份政府文件的文件名（不含 `.md`）",
        "give the slug of a document in content/documents/<year>/ (its file name without .md)"
    ));
    if ctx.portal.lookup.document.len() <= 5000 {
        if let Some(s) = closest(slug, ctx.portal.lookup.document.keys().map(String::as_str)) {
            hint = format!("{}{hint}", did_you_mean(s));
        }
    }
    Issue::error(
        codes::UNKNOWN_DOCUMENT,
        path,
        zh_en!(
            format!("政府文件 `{slug}` 不存在"),
            format!("there is no document `{slug}`")
        ),
    )
    .hint(hint)
}

pub(crate) fn document(ctx: &Ctx, r: &Record<Document>) -> Vec<Issue> {
    let d = &r.data;
    let mut out: Vec<Issue> = agency_field(ctx, &d.agency).into_iter().collect();
    let me = r.meta.slug.as_str();
    for (field, back, target) in [
        ("replaces", "replaced_by", &d.replaces),
        ("replaced_by", "replaces", &d.replaced_by),
    ] {
        let Some(target) = target.as_deref().map(str::trim) else {
            continue;
        };
        if target == me {
            out.push(
                Issue::error(
                    codes::UNKNOWN_DOCUMENT,
                    field,
                    zh_en!(
                        format!("这份政府文件的 `{field}` 写的是它自己"),
                        format!("the document names itself in `{field}`")
                    ),
                )
                .hint(zh_en!(
                    format!("请在 `{field}` 中写另一份政府文件的文件名"),
                    format!("`{field}` takes the slug of another document")
                )),
            );
            continue;
        }
        match ctx.portal.document(target) {
            None if !ctx.document_missing(target) => {}
            None => out.push(document_missing(ctx, target, field)),
            Some(other) => {
                let answer = match back {
                    "replaced_by" => other.data.replaced_by.as_deref(),
                    _ => other.data.replaces.as_deref(),
                };
                if answer.map(str::trim) != Some(me) {
                    let other = slash_path(&other.meta.path);
                    out.push(
                        Issue::warning(
                            codes::NOT_RECIPROCAL,
                            field,
                            zh_en!(
                                format!("这份政府文件写了 `{field}: {target}`，但 `{other}` 没有写 `{back}: {me}`"),
                                format!("this document says `{field}: {target}`, but {other} does not say `{back}: {me}`")
                            ),
                        )
                        .hint(zh_en!(
                            format!("请在 `{other}` 中添加 `{back}: {me}`，让两个页面互相链接"),
                            format!("add `{back}: {me}` to {other} so both pages link to each other")
                        )),
                    );
                }
            }
        }
    }
    out.extend(interpretation(ctx, r));
    for (i, a) in d.attachments.iter().enumerate() {
        out.extend(static_file(
            ctx,
            &a.file,
            &format!("attachments.{i}.file"),
            zh_en!("附件", "attachment"),
        ));
    }
    out
}

/// Document slugs are referenced without their year, so two documents in different year
/// folders must not share one.
pub(crate) fn duplicate_document_slugs(ctx: &Ctx) -> Vec<FileIssue> {
    // Sorted by slug, then path: a list per slug cost an allocation per document.
    let mut all: Vec<(&str, &Path)> = ctx
        .portal
        .documents
        .iter()
        .map(|d| (d.meta.slug.as_str(), d.meta.path.as_path()))
        .collect();
    all.sort_unstable();
    let mut out = Vec::new();
    for group in all.chunk_by(|a, b| a.0 == b.0) {
        let ((slug, first), others) = (group[0], &group[1..]);
        for (_, p) in others {
            out.push((
                p.to_path_buf(),
                Issue::error(
                    codes::SLUG_COLLISION,
                    "",
                    zh_en!(
                        format!(
                            "另一份政府文件也叫 `{slug}`（另见 `{}`）",
                            slash_path(first)
                        ),
                        format!(
                            "another document is also named `{slug}` (also in {})",
                            slash_path(first)
                        )
                    ),
                )
                .hint(zh_en!(
                    "请给其中一份改名：政府文件只按文件名引用",
                    "documents are referred to by file name alone: rename one of them"
                )),
            ));
        }
    }
    out
}

/// `interprets` names existing documents other than this one; `interpretation` is one of the
/// national rules' forms, and only on a document that explains something.
fn interpretation(ctx: &Ctx, r: &Record<Document>) -> Vec<Issue> {
    let d = &r.data;
    let mut out = Vec::new();
    for (slug, path) in d.interprets.iter().flat_map(|s| s.each("interprets")) {
        if slug == r.meta.slug {
            out.push(
                Issue::error(
                    codes::UNKNOWN_DOCUMENT,
                    &path,
                    crate::zh_en!(
                        "`interprets` 写了本文件自己".to_string(),
                        "the document names itself in `interprets`".to_string()
                    ),
                )
                .hint(crate::zh_en!(
                    "`interprets` 填写被解读文件的文件名（不含 .md）",
                    "`interprets` takes the slug of the document this one explains"
                )),
            );
        } else if ctx.portal.document(&slug).is_none() && ctx.document_missing(&slug) {
            out.push(document_missing(ctx, &slug, &path));
        }
    }
    if let Some(form) = d.interpretation.as_deref().map(str::trim) {
        let forms = crate::model::INTERPRETATION_FORMS.join("、");
        if !crate::model::INTERPRETATION_FORMS.contains(&form) {
            out.push(
                Issue::error(
                    codes::INTERPRETATION_FORM,
                    "interpretation",
                    crate::zh_en!(
                        format!("解读形式“{form}”不是规定的形式"),
                        format!("“{form}” is not a form of interpretation")
                    ),
                )
                .hint(crate::zh_en!(
                    format!("填写其中之一：{forms}"),
                    format!("write one of: {forms}")
                )),
            );
        }
        if d.interprets.is_none() {
            out.push(
                Issue::warning(
                    codes::INTERPRETATION_WITHOUT_TARGET,
                    "interpretation",
                    crate::zh_en!(
                        "填写了解读形式 `interpretation`，但没有用 `interprets` 写明解读的是哪个文件",
                        "`interpretation` gives a form, but `interprets` does not say which document this explains"
                    ),
                )
                .hint(crate::zh_en!(
                    "加上 `interprets: 被解读文件的文件名`，两个文件的页面就会互相链接",
                    "add `interprets: <slug of the document>` so both pages link to each other"
                )),
            );
        }
    }
    out
}
