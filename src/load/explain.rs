//! The YAML parser's and serde's messages in an officer's words.
//!
//! The parser (libyaml), serde and chrono speak English and programming terms ("invalid
//! type: string \"x\", expected a sequence"). Each pattern they produce is given a Chinese
//! form here; the English is kept as it is, and a message of a pattern not foreseen is shown
//! raw, after a Chinese lead, rather than lost.

/// The Chinese of a serde or libyaml message, its location already taken off.
pub fn yaml_message_zh(raw: &str) -> String {
    let (path, msg) = split_path(raw);
    let field = |p: &str| format!("字段 `{p}` ");
    let subject = path.map(field).unwrap_or_default();
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return match path {
            Some(p) => format!("`{p}` 缺少字段 `{key}`"),
            None => format!("缺少字段 `{key}`"),
        };
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        let key = rest.split('`').next().unwrap_or("");
        return format!("字段 `{key}` 重复出现");
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        return format!("不认识的字段 `{key}`");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed_values(allowed);
        let who = path.map(|p| format!("字段 `{p}` 的")).unwrap_or_default();
        return if allowed.is_empty() {
            format!("{who}值 `{value}` 不是允许的值")
        } else {
            format!("{who}值 `{value}` 不是允许的值：只能是 {allowed} 之一")
        };
    }
    if let Some(date) = date_problem(msg) {
        let who = path
            .map(|p| format!("字段 `{p}` 的日期"))
            .unwrap_or_else(|| "日期".into());
        return format!("{who}{date}");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            if let (Some(found), Some(expected)) = (unexpected(found), expected_zh(expected)) {
                if expected == RECORD && path.is_none() {
                    return format!("文件的内容应为一行行的 `字段: 值`，实际是{found}");
                }
                return format!("{subject}应为{expected}，实际是{found}");
            }
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            if let (Some(found), Some(expected)) = (unexpected(found), expected_zh(expected)) {
                return format!("{subject}的值不对：应为{expected}，实际是{found}");
            }
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            let expected = expected_zh(expected).unwrap_or_else(|| format!("`{expected}`"));
            return format!("{subject}的项数不对：应为{expected}，实际有 {n} 项");
        }
    }
    if let Some(name) = msg.strip_prefix("data did not match any variant of untagged enum ") {
        return match (name, path) {
            ("ProcessStep", _) => {
                "办理流程（`process`）的每一步应为一段文字，或含 `name` 字段的一组字段".into()
            }
            ("Fees", _) => "收费（`fees`）应写成 `free: true`（不收费），或收费项目的列表".into(),
            ("OtherOutcome", _) => {
                "“其他处理”（`other`）的写法不对：应为一行数字，或三行分项".into()
            }
            (_, Some(p)) => format!("字段 `{p}` 的写法不符合要求"),
            (_, None) => "这里的写法不符合要求".into(),
        };
    }
    if let Some(syntax) = syntax_zh(msg) {
        return syntax.into();
    }
    match path {
        Some(_) => format!("{subject}有误：{raw}"),
        None => format!("内容有误：{raw}"),
    }
}

/// The top-level key of a record whose value is the untagged enum a message names, when
/// serde gives neither the key nor its place (it points at the record's first line).
pub fn untagged_key(raw: &str) -> Option<&'static str> {
    match raw.strip_prefix("data did not match any variant of untagged enum ")? {
        "Fees" => Some("fees"),
        _ => None,
    }
}

/// What a record's YAML is expected to be, for a whole file that is not one.
const RECORD: &str = "一组字段";

/// `attachments[0].file: invalid type…` → the path and the rest. Only a serde path counts:
/// libyaml's messages hold `:` too (`could not find expected ':'`).
fn split_path(raw: &str) -> (Option<&str>, &str) {
    if let Some((path, rest)) = raw.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
            && !matches!(path, "invalid type" | "invalid value");
        if is_path {
            return (Some(path), rest);
        }
    }
    (None, raw)
}

/// chrono's reasons a date could not be read.
fn date_problem(msg: &str) -> Option<&'static str> {
    Some(match msg {
        "input is out of range" => "不存在（月份在 1–12 之间，日不超过当月天数）",
        "premature end of input" => "不完整或为空",
        "input contains invalid characters" => "不是 `年-月-日` 的写法",
        "trailing input" => "后面多了字符",
        "no possible date and time matching input" => "不存在",
        "input is not enough for unique date and time" => "不完整",
        _ => return None,
    })
}

/// `` `a`, `b`, `c` `` and the like from serde's "expected one of …" / "expected `a` or `b`".
fn allowed_values(s: &str) -> String {
    let values: Vec<&str> = s.split('`').skip(1).step_by(2).collect();
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// serde's `Unexpected`, as `string "x"`, ``integer `3` ``, `sequence`.
fn unexpected(s: &str) -> Option<String> {
    let ticked = |prefix: &str| {
        s.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('`'))
            .and_then(|r| r.split('`').next())
    };
    if let Some(r) = s.strip_prefix("string \"") {
        let value = r.strip_suffix('"').unwrap_or(r);
        return Some(format!("文字 `{value}`"));
    }
    if let Some(v) = ticked("integer ") {
        return Some(format!("整数 `{v}`"));
    }
    if let Some(v) = ticked("floating point ") {
        return Some(format!("小数 `{v}`"));
    }
    if let Some(v) = ticked("boolean ") {
        return Some(format!("是/否 `{v}`"));
    }
    if let Some(v) = ticked("character ") {
        return Some(format!("文字 `{v}`"));
    }
    Some(
        match s {
            "sequence" => "列表",
            "map" => "一组字段（键值对）",
            "unit value" | "null" => "空值",
            "Option value" => "空值",
            _ => return None,
        }
        .into(),
    )
}

/// serde's "expected …" in words: `a string`, `u32`, `struct Document`.
fn expected_zh(s: &str) -> Option<String> {
    let s = s.trim();
    if s.starts_with("struct ") {
        return Some(RECORD.into());
    }
    Some(
        match s {
            "a string" | "a borrowed string" | "a character" => "文字",
            "a boolean" => "是/否（`true` 或 `false`）",
            "a sequence" => "列表（每项一行，以 `- ` 开头）",
            "a map" => "一组字段（键值对）",
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "整数",
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "不小于 0 的整数",
            "f32" | "f64" => "数字",
            "a formatted date string" | "a date" => "日期（如 `2025-03-31`）",
            "a tuple of size 2" => "两项的列表",
            _ => return None,
        }
        .into(),
    )
}

/// libyaml's problems (the first clause of its message) in words.
fn syntax_zh(msg: &str) -> Option<&'static str> {
    let problem = msg.split(" at line ").next().unwrap_or(msg);
    let problem = problem.split(", while ").next().unwrap_or(problem).trim();
    Some(match problem {
        "did not find expected key" => {
            "这一行的缩进或写法不对：这里应是 `字段: 值`，与上一个字段左端对齐"
        }
        "mapping values are not allowed in this context" => {
            "这里多了一个 `: `，或者这一行的缩进不对：值里含有 `: ` 时，请用引号把整个值括起来"
        }
        "found unexpected end of stream" | "EOF while parsing a value" => {
            "文件在没写完的地方结束了：可能有引号或括号没有闭合"
        }
        "could not find expected ':'" => "这一行缺少 `:`，应写成 `字段: 值`",
        "found a tab character that violates indentation"
        | "found a tab character where an indentation space is expected" => {
            "缩进里有制表符（Tab）：只能用空格缩进"
        }
        "found character that cannot start any token" => {
            "值不能以这个字符开头（如 `@`、`` ` ``、`%`）：请用引号把整个值括起来"
        }
        "did not find expected ',' or ']'" => "方括号 `[` 没有闭合，或列表的各项之间缺少 `,`",
        "did not find expected ',' or '}'" => "花括号 `{` 没有闭合，或各项之间缺少 `,`",
        "did not find expected '-' indicator" => "列表的每一项都应以 `- ` 开头，且缩进一致",
        "block sequence entries are not allowed in this context" => {
            "这里不能出现列表项（`- `）：请检查缩进"
        }
        "did not find expected node content" => "这里缺少值",
        "found unexpected ':'" => "这里多了一个 `:`：值里含有 `:` 时，请用引号把整个值括起来",
        "found undefined tag handle" | "did not find expected tag URI" => {
            "以 `!` 开头的值须加引号：请用引号把整个值括起来"
        }
        "found unknown escape character" => {
            "双引号里的 `\\` 后面跟了不认识的字符：请写成 `\\\\`，或改用单引号"
        }
        "unknown anchor" => "以 `*` 开头的值须加引号：请用引号把整个值括起来",
        "did not find expected alphabetic or numeric character" => {
            "以 `&` 或 `*` 开头的值须加引号：请用引号把整个值括起来"
        }
        "did not find expected comment or line break" => {
            "值的后面多了内容：值里本身含有引号时，请改用另一种引号把整个值括起来"
        }
        "found unexpected document indicator" => "`---` 或 `...` 不能出现在这里",
        "deserializing from YAML containing more than one document is not supported" => {
            "文件里有被 `---` 分开的多段内容，只能有一段"
        }
        "recursion limit exceeded" => "嵌套的层数太多",
        "repetition limit exceeded" => "以 `*` 引用的内容展开后太多",
        "mapping keys are not allowed in this context" => "这里不能出现 `? `：请检查缩进",
        "control characters are not allowed" => "文件中有控制字符",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_in_chinese() {
        let cases = [
            (
                "normative: invalid type: string \"maybe\", expected a boolean",
                "字段 `normative` 应为是/否（`true` 或 `false`），实际是文字 `maybe`",
            ),
            (
                "categories: invalid type: string \"规划\", expected a sequence",
                "字段 `categories` 应为列表（每项一行，以 `- ` 开头），实际是文字 `规划`",
            ),
            (
                "time_limit.statutory_days: invalid type: integer `-3`, expected u32",
                "字段 `time_limit.statutory_days` 应为不小于 0 的整数，实际是整数 `-3`",
            ),
            (
                "order: invalid type: floating point `1.5`, expected i64",
                "字段 `order` 应为整数，实际是小数 `1.5`",
            ),
            (
                "invalid type: string \"just text\", expected struct Document",
                "文件的内容应为一行行的 `字段: 值`，实际是文字 `just text`",
            ),
            ("missing field `agency`", "缺少字段 `agency`"),
            (
                "attachments[0]: missing field `file`",
                "`attachments[0]` 缺少字段 `file`",
            ),
            (
                "status: unknown variant `foo`, expected one of `effective`, `expired`",
                "字段 `status` 的值 `foo` 不是允许的值：只能是 `effective`、`expired` 之一",
            ),
            (
                "kind: unknown variant `x`, expected `government` or `department`",
                "字段 `kind` 的值 `x` 不是允许的值：只能是 `government`、`department` 之一",
            ),
            (
                "written: input is out of range",
                "字段 `written` 的日期不存在（月份在 1–12 之间，日不超过当月天数）",
            ),
            (
                "published: premature end of input",
                "字段 `published` 的日期不完整或为空",
            ),
            (
                "written: input contains invalid characters",
                "字段 `written` 的日期不是 `年-月-日` 的写法",
            ),
            (
                "written: trailing input",
                "字段 `written` 的日期后面多了字符",
            ),
            ("duplicate field `name`", "字段 `name` 重复出现"),
        ];
        for (raw, zh) in cases {
            assert_eq!(yaml_message_zh(raw), zh, "{raw}");
        }
    }

    #[test]
    fn parser_messages_in_chinese() {
        assert!(yaml_message_zh("did not find expected key").starts_with("这一行的缩进"));
        assert!(yaml_message_zh(
            "could not find expected ':' at line 3 column 1, while scanning a simple key"
        )
        .contains("缺少 `:`"));
        assert!(yaml_message_zh(
            "found a tab character that violates indentation at line 2 column 1, while scanning a plain scalar"
        )
        .contains("制表符"));
    }

    #[test]
    fn an_unforeseen_message_is_kept_after_a_chinese_lead() {
        assert_eq!(
            yaml_message_zh("x: something new"),
            "字段 `x` 有误：x: something new"
        );
        assert_eq!(yaml_message_zh("odd thing"), "内容有误：odd thing");
    }
}
