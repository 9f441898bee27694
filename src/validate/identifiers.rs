//! Identifiers: credit codes, index numbers, document numbers, and their uniqueness.

use rayon::prelude::*;
use std::path::Path;

use crate::diagnostics::codes;
use crate::domain::identifiers::{self as id, CreditCodeError};
use crate::model::*;

use super::{Ctx, FileIssue, Issue};
use crate::zh_en;

pub(crate) fn agency(_ctx: &Ctx, r: &Record<Agency>) -> Vec<Issue> {
    let mut out = Vec::new();
    let code = id::normalize(&r.data.credit_code);
    if r.data.credit_code.trim().contains(char::is_whitespace) {
        out.push(
            Issue::warning(
                codes::CODE_WITH_SPACES,
                "credit_code",
                zh_en!(
                    format!("统一社会信用代码中间有空格，已按 `{code}` 读取"),
                    format!("the credit code has spaces in it; it was read as `{code}`")
                ),
            )
            .hint(zh_en!(
                format!("请去掉空格，写成 `{code}`"),
                format!("remove the spaces: `{code}`")
            )),
        );
    }
    match id::check_credit_code(&code) {
        Err(e) => {
            let mut msg = e.message();
            if code != r.data.credit_code.trim() && !matches!(e, CreditCodeError::Length { .. }) {
                msg.push_str(&zh_en!(
                    format!("（已按 `{code}` 读取）"),
                    format!(" (read as `{code}`)")
                ));
            }
            out.push(Issue::error(codes::CREDIT_CODE, "credit_code", msg).hint(e.hint()));
        }
        Ok(()) if id::is_placeholder_credit_code(&code) => {
            out.push(
                Issue::warning(
                    codes::PLACEHOLDER_CREDIT_CODE,
                    "credit_code",
                    zh_en!(
                        format!("统一社会信用代码 `{code}` 是占位代码（第3—17位全为0），不是本机关的真实代码"),
                        format!("the credit code `{code}` is a placeholder (characters 3–17 are all 0), not the agency's real code")
                    ),
                )
                .hint(zh_en!(
                    "请照《统一社会信用代码证书》填写本机关的代码；索引号以信用代码开头，已按占位代码写的索引号也要一并改正",
                    "copy the agency's code from its registration certificate; index numbers start with the credit code, so correct those written with the placeholder too"
                )),
            );
        }
        Ok(()) => {
            if let Err(e) = id::check_embedded_org_code(&code) {
                out.push(
                    Issue::warning(
                        codes::ORG_CODE,
                        "credit_code",
                        zh_en!(
                            format!(
                                "统一社会信用代码第9—17位（组织机构代码 `{}`）没有通过组织机构代码本身的校验（GB 11714）：最后一位是 `{}`",
                                e.code, e.found
                            ),
                            format!(
                                "characters 9–17 of the credit code (the organisation code `{}`) fail their own check (GB 11714): the last one is `{}`",
                                e.code, e.found
                            )
                        ),
                    )
                    .hint(match e.expected {
                        Some(x) => zh_en!(
                            format!("请对照证书核对代码：组织机构代码的校验码应为 `{x}`（少数早年的代码本就如此，可以不改）"),
                            format!("the organisation code's check character should be `{x}`; compare the code with the certificate (a few legacy codes are like this and can stay)")
                        ),
                        None => zh_en!("请对照证书核对代码", "compare the code with the certificate").into(),
                    }),
                );
            }
            if !code.starts_with("11") && !code.starts_with("12") {
                out.push(
                    Issue::warning(
                        codes::CREDIT_CODE_CATEGORY,
                        "credit_code",
                        zh_en!(
                            format!(
                                "统一社会信用代码以 `{}` 开头，不是 `11`（机关）或 `12`（事业单位）",
                                &code[..2]
                            ),
                            format!(
                                "the credit code starts with `{}`, not `11` (机关) or `12` (事业单位)",
                                &code[..2]
                            )
                        ),
                    )
                    .hint(zh_en!(
                        "请核对这是本机关自己的代码，而不是企业或社会团体的代码",
                        "check that this is the agency's own code and not that of a company or association"
                    )),
                );
            }
        }
    }
    out
}

/// The index-number shape the portal expects, for hints.
fn index_shape(ctx: &Ctx, example_code: &str, year: Option<i32>) -> String {
    match &ctx.index_re {
        Some(re) => zh_en!(
            format!(
                "请按本站规定的格式 `{}` 填写（见 `site.toml` 的 `[catalog] index_no_pattern`）",
                re.as_str()
            ),
            format!(
                "write it to match this portal's pattern `{}` (site.toml [catalog] index_no_pattern)",
                re.as_str()
            )
        ),
        None => {
            let year = year.map_or("2025".to_string(), |y| y.to_string());
            zh_en!(
                format!(
                    "请写成“统一社会信用代码/年份-流水号（至少4位数字）”，如 `{example_code}/{year}-00001`"
                ),
                format!(
                    "write it as <credit code>/<year>-<serial of 4 or more digits>, e.g. `{example_code}/{year}-00001`"
                )
            )
        }
    }
}

pub(crate) fn document(ctx: &Ctx, r: &Record<Document>) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &r.data;
    // An agency whose own code is invalid is reported in its file; comparing against the
    // bad code would only repeat that on every document.
    let agency_code: Option<&str> = ctx.agency_codes.get(d.agency.as_str()).map(|c| c.as_str());
    let example = agency_code.unwrap_or("11220200795219742W");

    // 索引号
    if d.index_no.trim().is_empty() {
        out.push(
            Issue::error(
                codes::INVALID_VALUE,
                "index_no",
                zh_en!("索引号为空", "the index number (索引号) is empty"),
            )
            .hint(index_shape(ctx, example, r.meta.year)),
        );
    } else if !ctx.index_re_broken {
        match id::parse_index_no(&d.index_no, ctx.index_re.as_ref()) {
            None => out.push(
                Issue::error(
                    codes::INDEX_NO_SHAPE,
                    "index_no",
                    zh_en!(
                        format!("索引号 `{}` 的格式不对", d.index_no),
                        format!(
                            "the index number `{}` does not have the expected shape",
                            d.index_no
                        )
                    ),
                )
                .hint(index_shape(ctx, example, r.meta.year)),
            ),
            Some(parsed) => {
                if let (Some(code), Some(agency_code)) = (&parsed.code, &agency_code) {
                    let code = id::normalize(code);
                    let plain: String = code.chars().filter(|&c| c != '-').collect();
                    let org = id::embedded_org_code(agency_code);
                    let matches = plain == **agency_code || Some(plain.as_str()) == org;
                    if !matches {
                        let mut msg = zh_en!(
                            format!(
                                "索引号中的代码 `{code}` 不是机关 `{}` 的统一社会信用代码（`{agency_code}`）",
                                d.agency
                            ),
                            format!(
                                "the index number's code `{code}` is not the credit code of agency `{}` ({agency_code})",
                                d.agency
                            )
                        );
                        if plain.len() == 18 {
                            if let Err(e) = id::check_credit_code(&plain) {
                                msg.push_str(&zh_en!(
                                    format!(
                                        "；它本身也不是有效的统一社会信用代码：{}",
                                        e.message()
                                    ),
                                    format!(
                                        "; it is not a valid credit code either: {}",
                                        e.message()
                                    )
                                ));
                            }
                        } else if plain.len() == 9 && id::check_org_code(&plain).is_err() {
                            msg.push_str(zh_en!(
                                "；它本身也不是有效的组织机构代码",
                                "; it is not a valid organisation code either"
                            ));
                        }
                        let hint = zh_en!(
                            format!(
                                "请让索引号以 `{agency_code}/` 开头{}，或改正 `agency:`",
                                org.map(|o| format!("（也可用组织机构代码 `{o}`）")).unwrap_or_default()
                            ),
                            format!(
                                "start the index number with `{agency_code}/`{}, or correct `agency:`",
                                org.map(|o| format!(" (or the organisation code `{o}`)")).unwrap_or_default()
                            )
                        );
                        out.push(
                            Issue::error(codes::INDEX_NO_AGENCY, "index_no", msg)
                                .hint(hint)
                                .involving("agency"),
                        );
                    }
                }
                if let (Some(year), Some(folder)) = (&parsed.year, r.meta.year) {
                    let y4: String = year.chars().take(4).collect();
                    if y4 != folder.to_string() {
                        out.push(
                            Issue::error(
                                codes::INDEX_NO_YEAR,
                                "index_no",
                                zh_en!(
                                    format!(
                                        "索引号中的年份 `{y4}` 与所在文件夹的年份 `{folder}` 不一致"
                                    ),
                                    format!(
                                        "the index number's year {y4} is not the folder's year {folder}"
                                    )
                                ),
                            )
                            .hint(zh_en!(
                                format!(
                                    "请把索引号中的年份改为 `{folder}`，或把文件移到 `content/documents/{y4}/`"
                                ),
                                format!(
                                    "use {folder} in the index number, or move the file to content/documents/{y4}/"
                                )
                            )),
                        );
                    }
                }
            }
        }
    }

    // 发文字号
    if let Some(number) = &d.doc_number {
        if !number.trim().is_empty() {
            out.extend(doc_number(number, "doc_number", Some(d.written)));
        }
    }
    out
}

/// Checks the shape of a 发文字号 at `path`; `written` is compared with its year.
pub(crate) fn doc_number(
    number: &str,
    path: &str,
    written: Option<chrono::NaiveDate>,
) -> Vec<Issue> {
    use chrono::Datelike;
    let mut out = Vec::new();
    match id::parse_doc_number(number) {
        None => out.push(
            Issue::error(
                codes::DOC_NUMBER_SHAPE,
                path,
                zh_en!(
                    format!("`{number}` 不是发文字号"),
                    format!("`{number}` is not a document number (发文字号)")
                ),
            )
            .hint(zh_en!(
                "请按“机关代字〔年份〕序号号”书写，如 `吉市政发〔2015〕6号`（序号前不加 0，也不加“第”字）",
                "write it as the agency designator, the year in 〔〕 and the serial followed by 号, e.g. 吉市政发〔2015〕6号 (no leading zeros, no 第)"
            )),
        ),
        Some(parsed) => {
            if !parsed.is_canonical {
                out.push(
                    Issue::warning(
                        codes::DOC_NUMBER_VARIANT,
                        path,
                        zh_en!(
                            format!("发文字号 `{number}` 的写法不规范"),
                            format!("the document number `{number}` is not written in the standard form")
                        ),
                    )
                    .hint(zh_en!(
                        format!(
                            "请写成 `{}`：年份用六角括号〔〕括入，数字用半角阿拉伯数字（GB/T 9704-2012 第7.2.5条）",
                            parsed.canonical
                        ),
                        format!(
                            "write `{}`: the year goes in 〔〕 (U+3014/U+3015) with ASCII digits (GB/T 9704-2012 §7.2.5)",
                            parsed.canonical
                        )
                    )),
                );
            }
            if let (Some(y), Some(w)) = (parsed.year, written) {
                if y != w.year() {
                    out.push(
                        Issue::warning(
                            codes::DOC_NUMBER_YEAR,
                            path,
                            zh_en!(
                                format!(
                                    "发文字号中的年份 `{y}` 与成文日期 `written`（`{w}`）的年份不同"
                                ),
                                format!(
                                    "the document number's year {y} differs from the year of `written` ({w})"
                                )
                            ),
                        )
                        .hint(zh_en!(
                            "请核对两者：发文字号中的年份是发文年份，一般与成文日期同年",
                            "the year in the number is the issuing year and normally that of 成文日期: check both"
                        ))
                        .involving("written"),
                    );
                }
            }
        }
    }
    out
}

/// Codes and numbers that must be unique across files: power codes, service codes, index
/// numbers, agencies' credit codes; 发文字号 within an agency (a warning).
pub(crate) fn duplicates(ctx: &Ctx) -> Vec<FileIssue> {
    let mut out = Vec::new();
    let p = ctx.portal;
    dup(
        &mut out,
        p.power
            .par_iter()
            .map(|r| (&r.meta.path, r.data.code.trim().to_string())),
        "code",
        |first| {
            Issue::error(
                codes::DUPLICATE_CODE,
                "code",
                zh_en!(
                    format!("事项编码 `{first}` 已被另一个权责事项使用"),
                    format!("power item code `{first}` is used by another power item")
                ),
            )
            .hint(zh_en!(
                "请改正其中一个：全站的事项编码不能重复",
                "every 事项编码 must be unique across the portal: correct one of the two"
            ))
        },
    );
    dup(
        &mut out,
        p.services
            .par_iter()
            .map(|r| (&r.meta.path, r.data.code.trim().to_string())),
        "code",
        |first| {
            Issue::error(
                codes::DUPLICATE_CODE,
                "code",
                zh_en!(
                    format!("实施编码 `{first}` 已被另一个政务服务事项使用"),
                    format!("service item code `{first}` is used by another service item")
                ),
            )
            .hint(zh_en!(
                "请改正其中一个：全站的实施编码不能重复",
                "every 实施编码 must be unique across the portal: correct one of the two"
            ))
        },
    );
    dup(
        &mut out,
        p.documents
            .par_iter()
            .map(|r| (&r.meta.path, r.data.index_no.trim().to_string())),
        "index_no",
        |first| {
            Issue::error(
                codes::DUPLICATE_INDEX_NO,
                "index_no",
                zh_en!(
                    format!("索引号 `{first}` 已被另一份政府文件使用"),
                    format!("index number `{first}` is used by another document")
                ),
            )
            .hint(zh_en!(
                "请给这份政府文件改用下一个未用的流水号：索引号不能重复",
                "every 索引号 must be unique: give this document the next free serial"
            ))
        },
    );
    dup(
        &mut out,
        // Agencies still on the placeholder share it: each is told to replace it (W073),
        // which is all a duplicate error would say.
        p.agencies
            .par_iter()
            .map(|r| (&r.meta.path, id::normalize(&r.data.credit_code)))
            .filter(|(_, code)| !id::is_placeholder_credit_code(code)),
        "credit_code",
        |first| {
            Issue::error(
                codes::DUPLICATE_CREDIT_CODE,
                "credit_code",
                zh_en!(
                    format!("统一社会信用代码 `{first}` 也是另一个机关的代码"),
                    format!("credit code `{first}` belongs to another agency as well")
                ),
            )
            .hint(zh_en!(
                "请照证书填写正确的代码，或把两个机关文件合并：每个机关有自己的统一社会信用代码",
                "each agency has its own credit code: copy the right one from its certificate, or merge the two agency files"
            ))
        },
    );
    dup(
        &mut out,
        p.documents.par_iter().filter_map(|r| {
            let n = r.data.doc_number.as_deref()?.trim();
            if n.is_empty() {
                return None;
            }
            let canonical = id::parse_doc_number(n)
                .map(|d| d.canonical)
                .unwrap_or_else(|| n.to_string());
            Some((&r.meta.path, format!("{}\u{0}{canonical}", r.data.agency)))
        }),
        "doc_number",
        |key| {
            let number = key.split('\u{0}').nth(1).unwrap_or(key);
            Issue::warning(
                codes::DUPLICATE_DOC_NUMBER,
                "doc_number",
                zh_en!(
                    format!("同一机关的另一份政府文件也用了发文字号 `{number}`"),
                    format!("document number `{number}` of the same agency is on another document")
                ),
            )
            .hint(zh_en!(
                "请核对序号，或把第二份作为第一份的附件：一个发文字号通常只对应一份文件",
                "one 发文字号 normally identifies one document: check the serial, or add the second text as an attachment of the first"
            ))
        },
    );
    out
}

/// Reports every value seen before (in path order) at `path` of the later file.
fn dup<'a>(
    out: &mut Vec<FileIssue>,
    // Made in parallel: parsing 100,000 document numbers took a tenth of a second.
    items: impl ParallelIterator<Item = (&'a std::path::PathBuf, String)>,
    path: &str,
    make: impl Fn(&str) -> Issue,
) {
    let mut items: Vec<(&Path, String)> = items
        .filter(|(_, v)| !v.is_empty())
        .map(|(p, v)| (p.as_path(), v))
        .collect();
    // By value first: comparing paths goes component by component, and sorting 100,000
    // of them took a fifth of the validation.
    items.sort_unstable_by(|(pa, va), (pb, vb)| va.cmp(vb).then_with(|| pa.cmp(pb)));
    let mut first: Option<(&str, &Path)> = None;
    let mut found = Vec::new();
    for (file, value) in &items {
        match first {
            Some((seen, prev)) if seen == value => {
                found.push((file.to_path_buf(), make(value).also(prev, path)))
            }
            _ => first = Some((value, file)),
        }
    }
    // In path order, as the files are.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(found);
}
