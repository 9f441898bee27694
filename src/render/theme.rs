//! The theme: Tera templates and static assets. The default theme is embedded in the binary, so
//! a portal without a themes/ folder builds; a portal's own `themes/<name>/templates/X.html`
//! replaces the built-in `X.html`, and its `themes/<name>/static/` files are added on top.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use tera::{Kwargs, State, StringInput, Tera, Value};
use walkdir::WalkDir;

use crate::diagnostics::{codes, Diagnostic};
use crate::text::url;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A static asset to copy into the site: its path in the output and its bytes.
pub struct Asset {
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
}

pub struct Theme {
    pub tera: Tera,
    pub assets: Vec<Asset>,
    /// Templates the portal overrides, for the build summary and tests.
    pub overridden: Vec<String>,
    /// A hash of every template's text and every asset's bytes: a page rendered with a
    /// theme of another fingerprint is rendered again (`render::memo`).
    pub fingerprint: u64,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut assets = Vec::new();
        for file in DefaultTheme::iter() {
            let data = DefaultTheme::get(&file).expect("embedded file listed by iter");
            if let Some(t) = file.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&data.data).into_owned();
                templates.push((t.to_string(), text));
            } else if let Some(s) = file.strip_prefix("static/") {
                assets.push(Asset {
                    path: s.to_string(),
                    bytes: data.data,
                });
            }
        }
        let dir = root.join("themes").join(name);
        let mut overridden = Vec::new();
        if dir.is_dir() {
            for (rel, abs) in files_under(&dir.join("templates")) {
                let text = std::fs::read_to_string(&abs).map_err(|e| theme_error(&abs, root, e))?;
                match templates.iter_mut().find(|(n, _)| *n == rel) {
                    Some(slot) => slot.1 = text,
                    None => templates.push((rel.clone(), text)),
                }
                overridden.push(rel);
            }
            for (rel, abs) in files_under(&dir.join("static")) {
                let bytes = std::fs::read(&abs).map_err(|e| theme_error(&abs, root, e))?;
                assets.retain(|a| a.path != rel);
                assets.push(Asset {
                    path: rel,
                    bytes: Cow::Owned(bytes),
                });
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                codes::SITE_CONFIG,
                "site.toml",
                crate::zh_en!(
                    format!("找不到主题 `{name}`：没有文件夹 themes/{name}/"),
                    format!("theme `{name}` not found: no folder themes/{name}/")
                ),
            )
            .hint(crate::zh_en!(
                "请在 site.toml 中写 `theme = \"default\"`，或建立这个主题文件夹",
                "set `theme = \"default\"` or create the theme folder"
            )));
        }
        templates.sort();
        let mut fp = crate::fingerprint::Fingerprint::new("theme");
        for (name, text) in &templates {
            fp.add_str(name);
            fp.add_str(text);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Before the templates: Tera refuses a template that names an unknown filter.
        tera.register_filter("url", url_filter);
        tera.register_filter("keep_dates", keep_dates_filter);
        tera.add_raw_templates(templates).map_err(|e| {
            Diagnostic::error(
                codes::SITE_CONFIG,
                "themes",
                crate::zh_en!(format!("模板有错：{e}"), format!("template error: {e}")),
            )
        })?;
        overridden.sort();
        assets.sort_by(|a, b| a.path.cmp(&b.path));
        for a in &assets {
            fp.add_str(&a.path);
            fp.add_bytes(&a.bytes);
        }
        Ok(Theme {
            tera,
            assets,
            overridden,
            fingerprint: fp.finish(),
        })
    }
}

/// `{{ x | url }}`, which every URL-valued attribute of a template (`href`, `src`, `action`,
/// …) goes through: the URL escaped for the attribute, or `#` when `url::check_url`
/// refuses it, so a theme or a value that escaped validation cannot make a `javascript:`
/// link. The output is marked safe because the filter escaped it; a value that was already
/// marked safe was escaped by whoever marked it and is not escaped twice.
pub fn url_filter(value: StringInput, _: Kwargs, _: &State) -> Value {
    if !url::url_is_allowed(value.as_str()) {
        return Value::safe_string("#");
    }
    if value.is_safe() {
        return value.into_value();
    }
    Value::safe_string(&crate::text::escape::escape(value.as_str()))
}

/// `{{ x | keep_dates }}`, for a sentence the generator writes around dates ("应于 2025-03-31
/// 前发布"): the text escaped, each date in it (2025-03-31, 2025年3月31日) in a
/// `<span class="keep">` that style.css keeps on one line. Broken after its hyphen or its 月, a
/// date on a phone reads as two values. A value already marked safe is HTML and passes as it is.
pub fn keep_dates_filter(value: StringInput, _: Kwargs, _: &State) -> Value {
    if value.is_safe() {
        return value.into_value();
    }
    Value::safe_string(&keep_dates(value.as_str()))
}

fn keep_dates(text: &str) -> String {
    use crate::text::escape::escape;
    static DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let date = DATE.get_or_init(|| {
        regex::Regex::new(r"\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?").unwrap()
    });
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for m in date.find_iter(text) {
        out.push_str(&escape(&text[last..m.start()]));
        out.push_str("<span class=\"keep\">");
        out.push_str(&escape(m.as_str()));
        out.push_str("</span>");
        last = m.end();
    }
    out.push_str(&escape(&text[last..]));
    out
}

fn theme_error(abs: &Path, root: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::READ_FAILED,
        abs.strip_prefix(root).unwrap_or(abs),
        crate::zh_en!(
            format!("无法读取主题文件：{}", crate::text::lang::io_reason(&e)),
            format!("cannot read theme file: {e}")
        ),
    )
}

fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            Some((rel.join("/"), e.path().to_path_buf()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    /// Renders `template` with the theme's Tera (filters included) and `u` in the context.
    fn render(template: &str, u: &str) -> String {
        let root = tempfile::tempdir().unwrap();
        let mut theme = Theme::load(root.path(), "default").unwrap();
        theme.tera.add_raw_template("t.html", template).unwrap();
        let mut cx = Context::new();
        cx.insert("u", u);
        cx.insert("y", &2024);
        theme.tera.render("t.html", &cx).unwrap()
    }

    #[test]
    fn the_url_filter_escapes_once() {
        assert_eq!(
            render(r#"<a href="{{ u | url }}">"#, "/search/?q=\"a\"&b=<c>"),
            r#"<a href="/search/?q=&quot;a&quot;&amp;b=&lt;c&gt;">"#
        );
        // A value marked safe is already HTML: its entities stay as they are.
        assert_eq!(
            render(r#"<a href="{{ u | safe | url }}">"#, "/a/?x=1&amp;y=2"),
            r#"<a href="/a/?x=1&amp;y=2">"#
        );
        assert_eq!(
            render(r#"<a href="{{ ('/reports/' ~ y ~ '/') | url }}">"#, ""),
            r#"<a href="/reports/2024/">"#
        );
    }

    #[test]
    fn keep_dates_wraps_each_date_and_escapes_the_rest() {
        assert_eq!(
            render("{{ u | keep_dates }}", "应于 2025-03-31 前发布 <b>，即2025年3月31日"),
            "应于 <span class=\"keep\">2025-03-31</span> 前发布 &lt;b&gt;，即<span class=\"keep\">2025年3月31日</span>"
        );
        assert_eq!(
            render("{{ u | keep_dates }}", "2024年12月底前"),
            "<span class=\"keep\">2024年12月</span>底前"
        );
        assert_eq!(render("{{ u | keep_dates }}", "按时"), "按时");
    }

    #[test]
    fn the_url_filter_puts_a_hash_for_a_refused_link() {
        for u in [
            "javascript:alert(1)",
            " JaVa\tScRiPt:alert(1)",
            "//evil.example/",
            "data:text/html,x",
        ] {
            assert_eq!(
                render(r#"<a href="{{ u | url }}">"#, u),
                r##"<a href="#">"##,
                "{u:?}"
            );
        }
        // Marking it safe does not let it through, nor does spelling the colon as an entity.
        assert_eq!(
            render(
                r#"<a href="{{ u | safe | url }}">"#,
                "javascript&#58;alert(1)"
            ),
            r##"<a href="#">"##
        );
    }
}
