//! How deeply a YAML text nests its collections, found by one pass over the text before the
//! parser sees it.
//!
//! libyaml, under the YAML crate, keeps a list of possible simple keys per flow level and walks
//! that list for every token, so a flow collection nested N deep costs N² steps: a 600 KB
//! front matter of `[[[[…]]]]` took over a minute to parse (and, under a key the record type
//! ignores, was then accepted). The crate parses a whole document before deserialising and
//! offers no event stream to stop earlier; this pass is linear and stops at the first
//! collection deeper than the limit.
//!
//! It follows what opens a level: `[` and `{` outside quotes and comments, block sequence
//! entries (`- `), and block mapping keys (`key: `, `? `), whose nesting it tracks by
//! indentation. It skips quoted scalars, block scalars (`|`, `>`) and comments, and counts
//! brackets inside a plain block value (`title: a[1]`) as text, as YAML does. On malformed
//! YAML it may be off by a level, which matters only at the limit; the parser reports the
//! malformation itself.

/// The deepest nesting a record may have. The deepest record type (an annual report's
/// withheld-application rows) nests 5 levels; YAML written by hand rarely passes 10.
pub const MAX_DEPTH: usize = 64;

/// Where a YAML text first nests deeper than `max`: the 0-based line and byte offset in that
/// line of the indicator (`[`, `{`, `-`, `?` or the key) that opens the level `max + 1`.
pub fn too_deep(yaml: &str, max: usize) -> Option<(usize, usize)> {
    let mut s = Scanner::new(max);
    for (n, line) in yaml.split('\n').enumerate() {
        s.n = n;
        if let Err(col) = s.line(line.as_bytes()) {
            return Some((n, col));
        }
    }
    None
}

/// Where a quoted scalar opens that the text never closes: the 0-based line and byte offset
/// of its opening quote. The parser reports such a quote at the end of the text, which is
/// not where an officer must look.
pub fn unclosed_quote(yaml: &str) -> Option<(usize, usize)> {
    let mut s = Scanner::new(usize::MAX);
    for (n, line) in yaml.split('\n').enumerate() {
        s.n = n;
        let _ = s.line(line.as_bytes());
    }
    s.quote.map(|q| (q.line, q.col))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
}

/// An open quoted scalar: its quote character and the line and column it opened at.
#[derive(Clone, Copy)]
struct Quote {
    ch: u8,
    line: usize,
    col: usize,
}

struct Scanner {
    max: usize,
    /// The line being scanned (0-based).
    n: usize,
    /// Open block collections: (column of their indicator or first key, kind).
    block: Vec<(usize, Kind)>,
    /// Open flow collections.
    flow: usize,
    /// Column of the outermost open flow collection on its line: a key when `: ` follows it.
    flow_col: usize,
    /// The deepest flow nesting since the outermost flow collection opened: a key's depth
    /// counts once its mapping is known to be there.
    flow_peak: usize,
    /// In a flow collection: whether the next token starts a node, where a quote opens a
    /// quoted scalar (`[it's]` is one plain scalar, `['a', "b"]` two quoted ones).
    node: bool,
    quote: Option<Quote>,
    /// In a block scalar: lines indented more than this column (or blank) are its text.
    block_scalar: Option<isize>,
    /// Column of the innermost block entry on the current line, the indentation a block
    /// scalar starting on it must exceed; -1 at the top level.
    owner: isize,
}

fn blank(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t'))
}

/// Result of scanning: `Err(column)` where the nesting went too deep.
type Step = Result<(), usize>;

impl Scanner {
    fn new(max: usize) -> Scanner {
        Scanner {
            max,
            n: 0,
            block: Vec::new(),
            flow: 0,
            flow_col: 0,
            flow_peak: 0,
            node: false,
            quote: None,
            block_scalar: None,
            owner: -1,
        }
    }

    fn line(&mut self, l: &[u8]) -> Step {
        let indent = l.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if let Some(owner) = self.block_scalar {
            if indent == l.len() || indent as isize > owner {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if self.quote.is_some() {
            return self.quoted(l, 0);
        }
        if self.flow > 0 {
            return self.flow_from(l, 0);
        }
        if indent == l.len() || l[indent] == b'#' {
            return Ok(());
        }
        if indent == 0 && l.starts_with(b"%") {
            return Ok(());
        }
        if indent == 0 && (l.starts_with(b"---") || l.starts_with(b"...")) && blank(l.get(3)) {
            self.block.clear();
            self.owner = -1;
            return if l[0] == b'-' {
                self.block_node(l, 3)
            } else {
                Ok(())
            };
        }
        while self.block.last().is_some_and(|&(c, _)| c > indent) {
            self.block.pop();
        }
        // A list at its key's indentation ends at the first line there that is not an entry.
        let entry = l[indent] == b'-' && blank(l.get(indent + 1));
        if !entry && self.block.last() == Some(&(indent, Kind::Seq)) {
            self.block.pop();
        }
        self.owner = self.block.last().map_or(-1, |&(c, _)| c as isize);
        self.block_node(l, indent)
    }

    /// Opens (or continues, for a sibling entry) a block collection at `col`.
    fn open(&mut self, col: usize, kind: Kind) -> Step {
        self.owner = col as isize;
        while let Some(&(c, k)) = self.block.last() {
            if c == col && k == kind {
                return Ok(());
            }
            // A list may sit at its key's indentation (`key:\n- a`); the next key ends it.
            if c > col || (c == col && k == Kind::Seq) {
                self.block.pop();
                continue;
            }
            break;
        }
        self.block.push((col, kind));
        self.check(col)
    }

    fn check(&self, col: usize) -> Step {
        if self.block.len() + self.flow > self.max {
            Err(col)
        } else {
            Ok(())
        }
    }

    /// Scans from `i`, where a block node may start: indicators, then one scalar or flow
    /// collection.
    fn block_node(&mut self, l: &[u8], mut i: usize) -> Step {
        loop {
            while i < l.len() && (l[i] == b' ' || l[i] == b'\t') {
                i += 1;
            }
            let Some(&c) = l.get(i) else {
                return Ok(());
            };
            match c {
                b'#' => return Ok(()),
                b'-' | b'?' | b':' if blank(l.get(i + 1)) => {
                    match c {
                        b'-' => self.open(i, Kind::Seq)?,
                        b'?' => self.open(i, Kind::Map)?,
                        _ => {}
                    }
                    i += 1;
                }
                b'[' | b'{' => {
                    self.flow_col = i;
                    self.flow_peak = 0;
                    return self.flow_from(l, i);
                }
                b'"' | b'\'' => {
                    self.quote = Some(Quote {
                        ch: c,
                        line: self.n,
                        col: i,
                    });
                    return self.quoted(l, i + 1);
                }
                b'|' | b'>' => {
                    self.block_scalar = Some(self.owner);
                    return Ok(());
                }
                // An anchor or a tag, then the node it belongs to.
                b'&' | b'!' => {
                    while i < l.len() && !blank(l.get(i)) {
                        i += 1;
                    }
                }
                _ => match plain_key_colon(l, i) {
                    Some(colon) => {
                        self.open(i, Kind::Map)?;
                        i = colon + 1;
                    }
                    None => return Ok(()),
                },
            }
        }
    }

    /// After a key-shaped node (a quoted scalar, or a flow collection `peak` deep) ends at `i`
    /// in block context: `: ` makes it a key of a mapping at `col`, and its value follows.
    fn after_block_node(&mut self, l: &[u8], mut i: usize, col: usize, peak: usize) -> Step {
        while i < l.len() && (l[i] == b' ' || l[i] == b'\t') {
            i += 1;
        }
        if l.get(i) == Some(&b':') && blank(l.get(i + 1)) {
            self.open(col, Kind::Map)?;
            if self.block.len() + peak > self.max {
                return Err(col);
            }
            return self.block_node(l, i + 1);
        }
        Ok(())
    }

    /// Continues the open quoted scalar from `i`, and what follows it on the line.
    fn quoted(&mut self, l: &[u8], i: usize) -> Step {
        let Some(q) = self.quote else {
            return Ok(());
        };
        let Some(end) = quote_end(l, i, q.ch) else {
            return Ok(());
        };
        self.quote = None;
        if self.flow > 0 {
            self.node = false;
            return self.flow_from(l, end);
        }
        self.after_block_node(l, end, q.col, 0)
    }

    fn flow_from(&mut self, l: &[u8], mut i: usize) -> Step {
        while i < l.len() {
            let c = l[i];
            match c {
                b'[' | b'{' => {
                    self.flow += 1;
                    self.flow_peak = self.flow_peak.max(self.flow);
                    self.check(i)?;
                    self.node = true;
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.node = false;
                    if self.flow == 0 {
                        return self.after_block_node(l, i + 1, self.flow_col, self.flow_peak);
                    }
                }
                b',' => self.node = true,
                b'#' if i == 0 || blank(l.get(i - 1)) => return Ok(()),
                // Skipped here rather than by `quoted`: a line of many quoted scalars must not
                // nest a call per scalar.
                b'"' | b'\'' if self.node => match quote_end(l, i + 1, c) {
                    Some(end) => {
                        self.node = false;
                        i = end;
                        continue;
                    }
                    None => {
                        self.quote = Some(Quote {
                            ch: c,
                            line: self.n,
                            col: i,
                        });
                        return Ok(());
                    }
                },
                // `{"a":"b"}`: JSON's adjacent value indicator also starts a node.
                b':' | b'?'
                    if blank(l.get(i + 1))
                        || matches!(
                            l.get(i + 1),
                            Some(b',' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'')
                        ) =>
                {
                    self.node = true
                }
                b' ' | b'\t' => {}
                b'&' | b'!' if self.node => {
                    while i + 1 < l.len()
                        && !blank(l.get(i + 1))
                        && !matches!(l[i + 1], b',' | b'[' | b']' | b'{' | b'}')
                    {
                        i += 1;
                    }
                }
                _ => self.node = false,
            }
            i += 1;
        }
        Ok(())
    }
}

/// The offset just past the quote `ch` that closes a quoted scalar, scanning from `i`; `None`
/// when it is not closed on this line.
fn quote_end(l: &[u8], mut i: usize, ch: u8) -> Option<usize> {
    while i < l.len() {
        match l[i] {
            b'\\' if ch == b'"' => i += 2,
            // `''` is a quote inside a single-quoted scalar.
            c if c == ch && ch == b'\'' && l.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == ch => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The `:` ending a plain block key that starts at `i` (`key: value`, `key:`), if the plain
/// scalar there is a key.
fn plain_key_colon(l: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < l.len() {
        match l[j] {
            b':' if blank(l.get(j + 1)) => return Some(j),
            b' ' | b'\t' if l.get(j + 1) == Some(&b'#') => return None,
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The greatest depth the scanner sees in `yaml`: the smallest limit it accepts.
    fn depth(yaml: &str) -> usize {
        (0..100).find(|&max| too_deep(yaml, max).is_none()).unwrap()
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(
            unclosed_quote("title: \"没有写完\norder: 3\n"),
            Some((0, 7))
        );
        assert_eq!(unclosed_quote("a: 1\nb: ['x', 'y\nc: 2\n"), Some((1, 9)));
        assert_eq!(unclosed_quote("a: \"two\n  lines\"\nb: 'it''s'\n"), None);
        assert_eq!(
            unclosed_quote("a: it's plain\nb: |\n  \"in a block\n"),
            None
        );
        assert_eq!(unclosed_quote("# \"comment\na: 1\n"), None);
    }

    #[test]
    fn block_nesting_follows_indentation() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("# only a comment\n"), 0);
        assert_eq!(depth("title: x\nagency: y\n"), 1);
        assert_eq!(depth("a:\n  b:\n    c: 1\nd: 2\n"), 3);
        assert_eq!(depth("- a\n- b\n"), 1);
        assert_eq!(depth("- - - x\n"), 3);
        assert_eq!(depth("- a: 1\n  b:\n  - x\n  - y\n  c: 2\n- d\n"), 3);
        // A list at its key's indentation, then the next key: still two levels.
        assert_eq!(depth("a:\n- x\n- y\nb:\n- z\n"), 2);
        assert_eq!(depth("a:\n- x\n[b]: c\n"), 2);
        assert_eq!(depth("? - a\n: b\n"), 2);
    }

    #[test]
    fn flow_nesting_counts_brackets_outside_quotes_and_comments() {
        assert_eq!(depth("a: [1, [2, {b: [3]}]]\n"), 5);
        assert_eq!(depth("a: ['[[[', \"{{\\\"[\", it's]\n"), 2);
        assert_eq!(depth("a: [1, 2]  # [[[[\n"), 2);
        assert_eq!(depth("a: [\n  [1],\n  # [[[[\n  {b: 'x'}\n]\n"), 3);
        assert_eq!(depth("a: ['it''s [', b]\n"), 2);
        assert_eq!(depth("{\"a\":\"[[\",\"b\":[1]}\n"), 2);
        // Brackets inside a plain block value or a URL are text.
        assert_eq!(depth("title: 第[1]号 {草案}\nurl: http://x/[a]\n"), 1);
        // A flow collection as a key, then a flow value of its mapping.
        assert_eq!(depth("[a, b]: [c]\n"), 2);
        assert_eq!(depth("- [[a]]: b\n"), 4);
    }

    #[test]
    fn block_scalars_and_multi_line_quotes_are_text() {
        let y = "overview: |\n  [[[[[[\n  - - - -\n\n  a: b: c\nnext:\n  k: v\n";
        assert_eq!(depth(y), 2);
        assert_eq!(depth("- >-\n  [[[\n- x\n"), 1);
        assert_eq!(depth("a: \"one [[\n  two ]]\"\nb: 'x\n  [[['\n"), 1);
        assert_eq!(depth("\"quoted key\":\n  inner: 1\n"), 2);
    }

    #[test]
    fn long_lines_of_quoted_scalars_and_keys_take_no_stack() {
        let y = format!("a: [{}]\n", "'x', \"y\", ".repeat(200_000));
        assert_eq!(depth(&y), 2);
        let y = format!("{}x\n", "\"k\": ".repeat(200_000));
        assert_eq!(too_deep(&y, MAX_DEPTH), Some((0, 5 * MAX_DEPTH)));
        // Each `[k]` is a level deeper than the mapping it is a key of.
        let y = format!("{}x\n", "[k]: ".repeat(200_000));
        assert_eq!(too_deep(&y, MAX_DEPTH), Some((0, 5 * (MAX_DEPTH - 1))));
    }

    #[test]
    fn the_first_level_past_the_limit_is_located() {
        assert_eq!(too_deep("a: [[[x]]]\n", 3), Some((0, 5)));
        assert_eq!(too_deep("a: [[[x]]]\n", 4), None);
        assert_eq!(too_deep("a:\n  b:\n    c: 1\n", 2), Some((2, 4)));
        assert_eq!(too_deep("x: 1\n- - - y\n", 2), Some((1, 2)));
        let y = format!("a:\n{}x\n", "- ".repeat(MAX_DEPTH));
        assert_eq!(too_deep(&y, MAX_DEPTH), Some((1, 2 * (MAX_DEPTH - 1))));
        let y = format!("a:\n{}x\n", "- ".repeat(MAX_DEPTH - 1));
        assert_eq!(too_deep(&y, MAX_DEPTH), None);
    }
}
