//! Reading one source file: size limit, UTF-8, BOM and CRLF, and the split of a Markdown file
//! into its YAML front matter and its body. Nothing here knows about record types.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Pos};
use crate::text::lang::Lang;

/// A source file's text, normalised: no BOM, `\n` line endings.
///
/// Line and column numbers computed on the normalised text are those an editor shows for the
/// original file, because removing a BOM and the `\r` before a `\n` moves no character to
/// another line or column.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
}

/// The YAML part of a file and where it starts in the file.
#[derive(Debug, Clone, Copy)]
pub struct YamlPart<'a> {
    pub yaml: &'a str,
    /// Number of file lines before the YAML's first line (1 for front matter after `---`).
    pub line_offset: usize,
}

/// A Markdown file split at its front matter.
#[derive(Debug)]
pub struct FrontMatter<'a> {
    pub yaml: YamlPart<'a>,
    /// Byte offset of the body in the normalised text.
    pub body_start: usize,
}

/// Reads a file, refusing files over `max_bytes` without reading them whole, and reporting
/// bytes that are not UTF-8 with their offset.
pub fn read_source(abs: &Path, rel: &Path, max_bytes: u64) -> Result<SourceText, Box<Diagnostic>> {
    decode(read_bytes(abs, rel, max_bytes)?, rel).map_err(Box::new)
}

/// A file's bytes as they are, refusing files over `max_bytes` without reading them whole.
pub fn read_bytes(abs: &Path, rel: &Path, max_bytes: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let file = fs::File::open(abs).map_err(|e| {
        Box::new(Diagnostic::error(
            codes::READ_FAILED,
            rel,
            crate::zh_en!(
                format!("无法读取文件：{}", crate::text::lang::io_reason(&e)),
                format!("cannot read the file: {e}")
            ),
        ))
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max_bytes {
        return Err(Box::new(
            Diagnostic::error(
                codes::TOO_LARGE,
                rel,
                crate::zh_en!(
                    format!("文件有 {len} 字节，超过了 {max_bytes} 字节的上限"),
                    format!("the file is {len} bytes, over the limit of {max_bytes} bytes")
                ),
            )
            .hint(crate::zh_en!(
                "请把它拆成几个文件，或把大的数据文件移到 content/static/，或在 site.toml 中调大 `max_file_bytes`",
                "split it, move large data to content/static/, or raise `max_file_bytes` in site.toml"
            )),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` guards against a file that grows between the size check and the read.
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Box::new(Diagnostic::error(
                codes::READ_FAILED,
                rel,
                crate::zh_en!(
                    format!("无法读取文件：{}", crate::text::lang::io_reason(&e)),
                    format!("cannot read the file: {e}")
                ),
            ))
        })?;
    Ok(bytes)
}

/// Decodes bytes as UTF-8 and normalises BOM and line endings.
pub fn decode(bytes: Vec<u8>, rel: &Path) -> Result<SourceText, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let offset = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..offset]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Diagnostic::error(
                codes::NOT_UTF8,
                rel,
                {
                    let byte = bytes[offset];
                    crate::zh_en!(
                        format!("文件不是 UTF-8 编码：第 {offset} 字节处是 0x{byte:02X}"),
                        format!("the file is not valid UTF-8: byte 0x{byte:02X} at byte offset {offset}")
                    )
                },
            )
            .at(Some(Pos::new(line, column, 1)))
            .hint(crate::zh_en!(
                "请用“UTF-8”编码另存这个文件（记事本：另存为 → 编码选 UTF-8）；用 GBK/GB2312 保存的文件常有这个问题",
                "re-save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8; GBK/GB2312 files are the usual cause)"
            )));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    if let Some(byte) = first_control(&text) {
        let c = text[byte..].chars().next().unwrap_or_default();
        let count = text.chars().filter(|&c| is_control(c)).count();
        let (line, column) = line_col(&text, byte);
        let c = u32::from(c);
        let message = match (count, crate::text::lang::lang()) {
            (1, Lang::Zh) => format!("文件中有一个控制字符 U+{c:04X}"),
            (_, Lang::Zh) => format!("文件中有 {count} 个控制字符，第一个是这里的 U+{c:04X}"),
            (1, Lang::En) => format!("the file holds a control character, U+{c:04X}"),
            (_, Lang::En) => {
                format!("the file holds {count} control characters, the first here, U+{c:04X}")
            }
        };
        return Err(Diagnostic::error(codes::CONTROL_CHARACTER, rel, message)
            .at(Some(Pos::new(line, column, 1)))
            .hint(crate::zh_en!(
                "控制字符是看不见的特殊字符，通常是从其他软件复制粘贴带入的，请删除（制表符和换行不受影响）",
                "control characters are invisible, usually pasted in from other software: delete them (tabs and line breaks are fine)"
            )));
    }
    Ok(SourceText { text })
}

/// Whether `c` is a control character no source file may hold: C0 controls other than tab,
/// line feed and carriage return, DEL, and the C1 controls.
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Byte offset of the first [`is_control`] character. On bytes, as it runs over every file
/// read: C0 and DEL are single bytes, C1 are 0xC2 followed by 0x80–0x9F.
fn first_control(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    b.iter().enumerate().position(|(i, &x)| {
        (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))
            || x == 0x7F
            || (x == 0xC2 && matches!(b.get(i + 1), Some(0x80..=0x9F)))
    })
}

/// Splits `---` front matter from a Markdown body.
pub fn split_front_matter<'a>(text: &'a str, rel: &Path) -> Result<FrontMatter<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            codes::FRONT_MATTER,
            rel,
            crate::zh_en!(
                "文件没有以文件头开始（第一行应为 `---`）",
                "the file does not start with front matter (a line `---`)"
            ),
        )
        .at(Some(Pos::new(
            1,
            1,
            text[..first_line_end].chars().count().max(1),
        )))
        .hint(crate::zh_en!(
            "请在文件开头写一行 `---`，接着写字段，再写一行 `---`，然后才是正文",
            "start the file with `---`, the YAML keys, and another `---` line before the text"
        )));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            return Ok(FrontMatter {
                yaml: YamlPart {
                    yaml,
                    line_offset: 1,
                },
                body_start,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        codes::FRONT_MATTER,
        rel,
        crate::zh_en!(
            "文件头没有结束：缺少第二行 `---`",
            "the front matter is not closed: no second `---` line"
        ),
    )
    .at(Some(Pos::new(1, 1, 3)))
    .hint(crate::zh_en!(
        "请在文件头最后一个字段之后加一行 `---`",
        "add a line `---` after the last front-matter key"
    )))
}

/// Converts a byte offset in `text` to a 1-based line and character column.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let src = decode(
            b"\xEF\xBB\xBFtitle: x\r\nname: y\r\n".to_vec(),
            Path::new("a"),
        )
        .unwrap();
        assert_eq!(src.text, "title: x\nname: y\n");
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let d = decode(b"name: \xD6\xD0\n".to_vec(), Path::new("a.yaml")).unwrap_err();
        assert_eq!(d.code, codes::NOT_UTF8);
        assert!(d.message.contains("第 6 字节"), "{}", d.message);
        assert_eq!((d.line, d.column), (1, 7));
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        let d = decode(
            "\u{feff}title: 标题\r\n正文\u{0}尾\r\n".into(),
            Path::new("a.md"),
        )
        .unwrap_err();
        assert_eq!(d.code, codes::CONTROL_CHARACTER);
        assert_eq!((d.line, d.column), (2, 3));
        assert!(d.message.contains("U+0000"), "{}", d.message);
        let d = decode("a\u{7f}b\u{1b}\nc\u{85}\u{c}\n".into(), Path::new("a")).unwrap_err();
        assert_eq!((d.line, d.column), (1, 2));
        assert!(d.message.contains("4 个控制字符"), "{}", d.message);
        assert!(d.message.contains("U+007F"), "{}", d.message);
        // The C1 control NEL, after a two-byte character whose second byte is 0x85 too.
        let d = decode("ą\u{85}".into(), Path::new("a")).unwrap_err();
        assert_eq!((d.line, d.column), (1, 2));
        assert!(d.message.contains("U+0085"), "{}", d.message);
        // Tab, CR and LF are text; so are the characters right outside the ranges.
        assert!(decode("a\tb\rc\r\n\u{a0}\u{2028}~\n".into(), Path::new("a")).is_ok());
    }

    #[test]
    fn front_matter_split() {
        let text = "---\ntitle: 标题\n---\n正文\n";
        let fm = split_front_matter(text, &PathBuf::from("x.md")).unwrap();
        assert_eq!(fm.yaml.yaml, "title: 标题\n");
        assert_eq!(&text[fm.body_start..], "正文\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split_front_matter("---\ntitle: x\n正文", Path::new("x.md")).unwrap_err();
        assert_eq!(d.code, codes::FRONT_MATTER);
        assert!(d.message.contains("没有结束"), "{}", d.message);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n政府x", 9), (2, 3));
    }
}
