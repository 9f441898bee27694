//! Finds where a key or value sits in block-style YAML, so that a diagnostic about
//! `legal_basis.0.law` points at that line and column of the officer's file.
//!
//! serde hands typed values without positions; rather than carry a span through every field,
//! validation asks this locator for the path it is complaining about. It understands the block
//! style officers write (mappings, `- ` sequences, nested `- key:` items); for anything it
//! cannot follow it returns `None` and the diagnostic falls back to the file.

use crate::diagnostics::Pos;
use crate::load::source::YamlPart;

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Parses a dotted path such as `legal_basis.0.law` or `legal_basis[0].law`.
pub fn parse_path(path: &str) -> Vec<Seg<'_>> {
    path.split(['.', '['])
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = s.trim_end_matches(']');
            match s.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(s),
            }
        })
        .collect()
}

struct Line<'a> {
    /// Column (in characters) where the content starts, after indentation and `- ` markers.
    indent: usize,
    /// Number of `- ` sequence markers before the content.
    dashes: Vec<usize>,
    content: &'a str,
}

fn scan(line: &str) -> Line<'_> {
    let mut indent = 0;
    let mut dashes = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        indent += rest.len() - trimmed.len();
        if trimmed == "-" || trimmed.starts_with("- ") {
            dashes.push(indent);
            indent += 1;
            rest = &trimmed[1..];
        } else {
            rest = trimmed;
            break;
        }
    }
    // Indentation is ASCII spaces, so byte and character counts agree up to here.
    Line {
        indent,
        dashes,
        content: rest,
    }
}

fn key_of(content: &str) -> Option<&str> {
    let content = content.trim_end();
    if content.starts_with('#') {
        return None;
    }
    let colon = find_key_colon(content)?;
    let key = content[..colon].trim();
    Some(key.trim_matches(|c| c == '"' || c == '\''))
}

fn find_key_colon(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => return Some(i),
            None if b == b'{' || b == b'[' => return None,
            None => {}
        }
    }
    None
}

/// The position of the key at `path` (the last segment), if it can be found.
pub fn locate_key(part: &YamlPart, path: &str) -> Option<Pos> {
    locate(part, path, false)
}

/// The position of the value at `path`; falls back to its key when the value is on later lines.
pub fn locate_value(part: &YamlPart, path: &str) -> Option<Pos> {
    locate(part, path, true)
}

fn locate(part: &YamlPart, path: &str, want_value: bool) -> Option<Pos> {
    let segs = parse_path(path);
    let lines: Vec<&str> = part.yaml.split('\n').collect();
    let (mut lo, mut hi) = (0usize, lines.len());
    // Column where entries of the current block start; None = any (the top level).
    let mut block_indent: Option<usize> = None;
    let mut found: Option<(usize, &str, usize)> = None; // (line index, key or "", column)
    for (si, seg) in segs.iter().enumerate() {
        let mut hit = None;
        match seg {
            Seg::Key(k) => {
                for i in lo..hi {
                    let l = scan(lines[i]);
                    if l.content.is_empty() || l.content.starts_with('#') {
                        continue;
                    }
                    if let Some(bi) = block_indent {
                        if l.indent != bi {
                            continue;
                        }
                    } else if l.indent != scan_first_indent(&lines[lo..hi]) {
                        continue;
                    }
                    if key_of(l.content) == Some(k) {
                        hit = Some((i, l.indent));
                        break;
                    }
                }
                let (i, indent) = hit?;
                let end = block_end(&lines, i, indent, hi);
                found = Some((i, k, indent));
                lo = i + 1;
                hi = end;
                // The value block (if the value is on the following lines) is more indented,
                // or at the same indent for a `- ` list directly under the key.
                block_indent = None;
                if si + 1 < segs.len() {
                    let content = scan(lines[i]).content;
                    let after = &content[find_key_colon(content)? + 1..];
                    if !after.trim().is_empty() && !after.trim().starts_with('#') {
                        // An inline value: descend into it if it is a flow collection,
                        // otherwise report its key.
                        let line = lines[i];
                        let after_start = line.len() - after.len();
                        if let Some(p) = flow_pos(line, after_start, &segs[si + 1..], want_value) {
                            return Some(Pos::new(i + 1 + part.line_offset, p.column, p.len));
                        }
                        let p = pos_of(&lines, i, indent, k, false);
                        return Some(Pos::new(p.line + part.line_offset, p.column, p.len));
                    }
                }
            }
            Seg::Index(n) => {
                let mut count = 0;
                let mut dash_col = None;
                for (i, line) in lines.iter().enumerate().take(hi).skip(lo) {
                    let l = scan(line);
                    if l.dashes.is_empty() {
                        continue;
                    }
                    let col = l.dashes[0];
                    let col_ok = match dash_col {
                        None => true,
                        Some(c) => col == c,
                    };
                    if !col_ok {
                        continue;
                    }
                    dash_col = Some(col);
                    if count == *n {
                        hit = Some((i, col));
                        break;
                    }
                    count += 1;
                }
                let (i, col) = hit?;
                if si + 1 < segs.len() {
                    // `- {name: 春节, from: ...}`: the item is a flow collection on the dash line.
                    let line = lines[i];
                    let content = scan(line).content;
                    let t = content.trim_start();
                    if t.starts_with('{') || t.starts_with('[') {
                        let start = line.len() - content.len();
                        if let Some(p) = flow_pos(line, start, &segs[si + 1..], want_value) {
                            return Some(Pos::new(i + 1 + part.line_offset, p.column, p.len));
                        }
                    }
                }
                let end = block_end_item(&lines, i, col, hi);
                found = Some((i, "", col + 2));
                // The first key of the item is on the dash line, the rest aligned with it.
                lo = i;
                hi = end;
                block_indent = Some(col + 2);
            }
        }
    }
    let (i, key, col) = found?;
    Some(pos_of(&lines, i, col, key, want_value))
        .map(|p| Pos::new(p.line + part.line_offset, p.column, p.len))
}

/// Finds the element at `segs` inside a flow collection (`[a, b]`, `{k: v}`) that starts at
/// byte `start` of `line` (after optional spaces). Only single-line collections are followed.
/// The returned position has line 0; the caller sets it.
fn flow_pos(line: &str, start: usize, segs: &[Seg], want_value: bool) -> Option<Pos> {
    let rest = &line[start..];
    let lead = rest.len() - rest.trim_start().len();
    let (s, e) = flow_find(line, start + lead, segs, want_value)?;
    let column = line[..s].chars().count() + 1;
    Some(Pos::new(0, column, line[s..e].chars().count().max(1)))
}

/// Byte ranges of the top-level items of the flow collection opening at `open` in `line`.
fn flow_items(line: &str, open: usize) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut item_start = open + 1;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        items.push((item_start, i));
                        break;
                    }
                }
                b',' if depth == 1 => {
                    items.push((item_start, i));
                    item_start = i + 1;
                }
                b'#' if i > 0 && bytes[i - 1] == b' ' => {
                    items.push((item_start, i));
                    break;
                }
                _ => {}
            },
        }
        i += 1;
    }
    if i >= bytes.len() && depth > 0 {
        items.push((item_start, bytes.len()));
    }
    items
        .into_iter()
        .map(|(s, e)| trim_range(line, s, e))
        .filter(|(s, e)| s < e)
        .collect()
}

fn trim_range(line: &str, s: usize, e: usize) -> (usize, usize) {
    let sub = &line[s..e];
    let lead = sub.len() - sub.trim_start().len();
    let trail = sub.len() - sub.trim_end().len();
    (s + lead, e - trail)
}

fn flow_find(line: &str, open: usize, segs: &[Seg], want_value: bool) -> Option<(usize, usize)> {
    let first = *line.as_bytes().get(open)?;
    let (seg, rest) = segs.split_first()?;
    // (start, end) of what a key lookup points at, and (start, end) of the value.
    let (s, e, value) = match (first, seg) {
        (b'[', Seg::Index(n)) => {
            let (s, e) = *flow_items(line, open).get(*n)?;
            (s, e, (s, e))
        }
        (b'{', Seg::Key(k)) => flow_items(line, open).into_iter().find_map(|(s, e)| {
            let item = &line[s..e];
            let colon = find_flow_colon(item)?;
            let key = item[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
            if key != *k {
                return None;
            }
            let key_end = s + item[..colon].trim_end().len();
            Some((s, key_end, trim_range(line, s + colon + 1, e)))
        })?,
        _ => return None,
    };
    if rest.is_empty() {
        if want_value && value.0 < value.1 {
            return Some(value);
        }
        return Some((s, e));
    }
    match line.as_bytes().get(value.0) {
        Some(b'[') | Some(b'{') => flow_find(line, value.0, rest, want_value),
        _ => None,
    }
}

fn find_flow_colon(item: &str) -> Option<usize> {
    let bytes = item.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b':' => return Some(i),
            None if b == b'[' || b == b'{' => return None,
            None => {}
        }
    }
    None
}

/// Keys that appear twice in the same block mapping: (key, position of the second
/// occurrence, line of the first). serde reports a duplicate struct field at the start of the
/// mapping and silently keeps the last entry of a map (e.g. the rows of a report group), so
/// the loader asks this scan instead. Block scalars (`|`, `>`) are skipped; flow mappings are
/// left to the parser.
pub fn duplicate_keys(part: &YamlPart) -> Vec<(String, Pos, usize)> {
    struct Frame<'a> {
        indent: usize,
        keys: Vec<(&'a str, usize)>,
    }
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut block_scalar_above: Option<usize> = None;
    for (i, line) in part.yaml.split('\n').enumerate() {
        let l = scan(line);
        if l.content.is_empty() && block_scalar_above.is_none() {
            // A bare `-` starts an item whose mapping follows on the next lines.
            if let Some(&dash) = l.dashes.first() {
                while stack.last().is_some_and(|f| f.indent > dash) {
                    stack.pop();
                }
            }
            continue;
        }
        if l.content.is_empty() || l.content.starts_with('#') {
            continue;
        }
        let start = l.dashes.first().copied().unwrap_or(l.indent);
        if let Some(key_indent) = block_scalar_above {
            if start > key_indent {
                continue;
            }
            block_scalar_above = None;
        }
        if line.starts_with("---") || line.starts_with("...") {
            stack.clear();
            continue;
        }
        // A new sequence item ends the mappings at or right of its dash.
        let keep = |f: &Frame| {
            if l.dashes.is_empty() {
                f.indent <= l.indent
            } else {
                f.indent <= start
            }
        };
        while stack.last().is_some_and(|f| !keep(f)) {
            stack.pop();
        }
        let Some(key) = key_of(l.content) else {
            continue;
        };
        let after = l.content[find_key_colon(l.content).unwrap_or(0) + 1..].trim();
        if after.starts_with('|') || after.starts_with('>') {
            block_scalar_above = Some(l.indent);
        }
        match stack.last_mut() {
            Some(f) if f.indent == l.indent => {
                if let Some(&(_, first)) = f.keys.iter().find(|(k, _)| *k == key) {
                    out.push((
                        key.to_string(),
                        Pos::new(
                            i + 1 + part.line_offset,
                            l.indent + 1,
                            key.chars().count().max(1),
                        ),
                        first + part.line_offset,
                    ));
                } else {
                    f.keys.push((key, i + 1));
                }
            }
            _ => stack.push(Frame {
                indent: l.indent,
                keys: vec![(key, i + 1)],
            }),
        }
    }
    out
}

fn scan_first_indent(lines: &[&str]) -> usize {
    lines
        .iter()
        .map(|l| scan(l))
        .find(|l| !l.content.is_empty() && !l.content.starts_with('#'))
        .map_or(0, |l| l.indent)
}

fn block_end(lines: &[&str], start: usize, indent: usize, hi: usize) -> usize {
    for (i, line) in lines.iter().enumerate().take(hi).skip(start + 1) {
        let l = scan(line);
        if l.content.is_empty() || l.content.starts_with('#') {
            continue;
        }
        let first = l.dashes.first().copied().unwrap_or(l.indent);
        if first < indent || (first == indent && l.dashes.is_empty()) {
            return i;
        }
    }
    hi
}

fn block_end_item(lines: &[&str], start: usize, dash_col: usize, hi: usize) -> usize {
    for (i, line) in lines.iter().enumerate().take(hi).skip(start + 1) {
        let l = scan(line);
        if l.content.is_empty() || l.content.starts_with('#') {
            continue;
        }
        let first = l.dashes.first().copied().unwrap_or(l.indent);
        if first <= dash_col {
            return i;
        }
    }
    hi
}

fn pos_of(lines: &[&str], i: usize, col: usize, key: &str, want_value: bool) -> Pos {
    let line = lines[i];
    let content = scan(line).content;
    let line_no = i + 1;
    if key.is_empty() {
        return Pos::new(line_no, col + 1, content.chars().count().max(1));
    }
    if want_value {
        if let Some(colon) = find_key_colon(content) {
            let after = &content[colon + 1..];
            let value = after.trim_start();
            let value = value.split(" #").next().unwrap_or("").trim_end();
            if !value.is_empty() {
                let skipped = after.len() - after.trim_start().len();
                let col_chars = col + content[..colon + 1].chars().count() + skipped;
                return Pos::new(line_no, col_chars + 1, value.chars().count().max(1));
            }
        }
    }
    Pos::new(line_no, col + 1, key.chars().count().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: &str = "code: P-1\nname: 对某某的处罚\nlegal_basis:\n  - law: 《中华人民共和国行政处罚法》\n    article: 第十条\n  - law: 《某条例》\n    lw: 第二条\nprocess:\n- 受理\n- name: 审查\n  days: 5\ntime_limit: {statutory_days: 20, promised_days: 10}\n";

    fn part(y: &str) -> YamlPart<'_> {
        YamlPart {
            yaml: y,
            line_offset: 0,
        }
    }

    #[test]
    fn top_level_keys_and_values() {
        assert_eq!(locate_key(&part(Y), "name"), Some(Pos::new(2, 1, 4)));
        assert_eq!(locate_value(&part(Y), "name"), Some(Pos::new(2, 7, 6)));
    }

    #[test]
    fn nested_in_sequences() {
        assert_eq!(
            locate_key(&part(Y), "legal_basis.1.lw"),
            Some(Pos::new(7, 5, 2))
        );
        assert_eq!(
            locate_value(&part(Y), "legal_basis[0].article"),
            Some(Pos::new(5, 14, 3))
        );
        assert_eq!(
            locate_key(&part(Y), "process.1.days").map(|p| p.line),
            Some(11)
        );
        assert_eq!(locate_value(&part(Y), "process.0").map(|p| p.line), Some(9));
    }

    #[test]
    fn flow_values_point_at_the_key() {
        assert_eq!(
            locate_key(&part(Y), "time_limit.promised_days").map(|p| p.line),
            Some(12)
        );
    }

    #[test]
    fn flow_collections_are_followed() {
        let y = "time_limit: {statutory_days: 20, promised_days: 30}\nnew: [1, 2, 政府, 4]\nholidays:\n  - {name: 春节, from: 2025-01-28, to: 2025-02-04}\nnested: {a: [1, {b: 2}]}\n";
        assert_eq!(
            locate_value(&part(y), "time_limit.promised_days"),
            Some(Pos::new(1, 49, 2))
        );
        assert_eq!(
            locate_key(&part(y), "time_limit.promised_days"),
            Some(Pos::new(1, 34, 13))
        );
        assert_eq!(locate_value(&part(y), "new.3"), Some(Pos::new(2, 17, 1)));
        assert_eq!(locate_value(&part(y), "new.2"), Some(Pos::new(2, 13, 2)));
        assert_eq!(
            locate_value(&part(y), "holidays.0.to"),
            Some(Pos::new(4, 38, 10))
        );
        assert_eq!(
            locate_value(&part(y), "nested.a.1.b"),
            Some(Pos::new(5, 21, 1))
        );
        // Out of range: fall back to the key.
        assert_eq!(locate_value(&part(y), "new.9"), Some(Pos::new(2, 1, 3)));
    }

    #[test]
    fn duplicate_keys_in_block_mappings() {
        let y = "name: a\nlist:\n  - name: x\n    law: y\n  - name: z\n    law: w\ntext: |\n  name: in a block scalar\n  name: again\nmap:\n  k: 1\n  k: 2\nname: b\nitems:\n-\n  n: 1\n-\n  n: 2\n";
        let d = duplicate_keys(&YamlPart {
            yaml: y,
            line_offset: 1,
        });
        assert_eq!(
            d,
            vec![
                ("k".to_string(), Pos::new(13, 3, 1), 12),
                ("name".to_string(), Pos::new(14, 1, 4), 2),
            ]
        );
    }

    #[test]
    fn offset_applies() {
        let p = YamlPart {
            yaml: "title: x\nagency: y\n",
            line_offset: 1,
        };
        assert_eq!(locate_value(&p, "agency"), Some(Pos::new(3, 9, 1)));
        assert_eq!(locate_key(&p, "missing"), None);
    }
}
