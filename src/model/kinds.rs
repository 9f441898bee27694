//! The record kinds, in one table: where each kind's files live and how they are laid out,
//! its URLs, what it is called in Chinese (as a catalog, in the navigation, and one record
//! of it), its template and whether it is searchable. Every list of kinds in gongkai is read
//! from [`KINDS`]; adding a kind starts with a row here (docs/architecture.md).

use serde::Serialize;

/// A kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Agency,
    Power,
    Service,
    Decision,
    Document,
    Report,
    Calendar,
}

/// How a kind's files are arranged under its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `<folder>/<stem>.<ext>`
    Flat,
    /// `<folder>/<agency>/<stem>.<ext>`: power and service items, by implementing agency.
    ByAgency,
    /// `<folder>/<year>/<stem>.<ext>`: dated records, by year.
    ByYear,
}

/// Everything that differs between kinds.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// In JSON, the search index, the command line and templates: `document`.
    pub name: &'static str,
    /// Under content/, and the first part of its pages' URLs: `documents`.
    pub folder: &'static str,
    pub layout: Layout,
    /// What a file is named after: `<slug>`, or `<agency>` (reports), `<year>` (calendars).
    pub stem: &'static str,
    /// Markdown with front matter (`md`) or YAML (`yaml`).
    pub extension: &'static str,
    /// The catalog, as page titles and breadcrumbs name it: 公开目录.
    pub title: &'static str,
    /// Its entry in the site's navigation, if it has one.
    pub nav: Option<&'static str>,
    /// One record of it, in counts and search results: 政府文件.
    pub noun: &'static str,
    /// Whether its records go into the search indexes.
    pub searchable: bool,
}

impl KindInfo {
    /// The file layout under content/, as officers are told it: `documents/<年份>/<文件名>.md`
    /// (`documents/<year>/<slug>.md` in English).
    pub fn layout_text(&self) -> String {
        let placeholder = |p: &str| {
            match p {
                "<slug>" => crate::zh_en!("<文件名>", p),
                "<agency>" => crate::zh_en!("<机关文件名>", p),
                "<year>" => crate::zh_en!("<年份>", p),
                _ => p,
            }
            .to_string()
        };
        let group = match self.layout {
            Layout::Flat => String::new(),
            Layout::ByAgency => placeholder("<agency>") + "/",
            Layout::ByYear => placeholder("<year>") + "/",
        };
        let stem = placeholder(self.stem);
        format!("{}/{group}{stem}.{}", self.folder, self.extension)
    }
}

/// The kinds, in the order the site lists them.
pub const KINDS: [KindInfo; 8] = [
    KindInfo {
        kind: Kind::Document,
        name: "document",
        folder: "documents",
        layout: Layout::ByYear,
        stem: "<slug>",
        extension: "md",
        title: "公开目录",
        nav: Some("公开目录"),
        noun: "政府文件",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Power,
        name: "power",
        folder: "power",
        layout: Layout::ByAgency,
        stem: "<slug>",
        extension: "yaml",
        title: "权责清单",
        nav: Some("权责清单"),
        noun: "权责事项",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Service,
        name: "service",
        folder: "services",
        layout: Layout::ByAgency,
        stem: "<slug>",
        extension: "yaml",
        title: "政务服务事项",
        nav: Some("政务服务"),
        noun: "服务事项",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Decision,
        name: "decision",
        folder: "decisions",
        layout: Layout::ByYear,
        stem: "<slug>",
        extension: "md",
        title: "重大行政决策",
        nav: Some("重大决策"),
        noun: "重大决策",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Report,
        name: "report",
        folder: "reports",
        layout: Layout::ByYear,
        stem: "<agency>",
        extension: "yaml",
        title: "年度报告",
        nav: Some("公开年报"),
        noun: "年度报告",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Agency,
        name: "agency",
        folder: "agencies",
        layout: Layout::Flat,
        stem: "<slug>",
        extension: "yaml",
        title: "机关",
        nav: Some("机构"),
        noun: "机构",
        searchable: false,
    },
    KindInfo {
        kind: Kind::Page,
        name: "page",
        folder: "pages",
        layout: Layout::Flat,
        stem: "<slug>",
        extension: "md",
        title: "页面",
        nav: None,
        noun: "页面",
        searchable: true,
    },
    KindInfo {
        kind: Kind::Calendar,
        name: "calendar",
        folder: "calendar",
        layout: Layout::Flat,
        stem: "<year>",
        extension: "yaml",
        title: "工作日历",
        nav: None,
        noun: "工作日历",
        searchable: false,
    },
];

impl Kind {
    /// This kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .expect("every kind has a row in KINDS")
    }

    pub fn folder(self) -> &'static str {
        self.info().folder
    }

    pub fn label(self) -> &'static str {
        self.info().title
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// One record of it: 政府文件.
    pub fn noun(self) -> &'static str {
        self.info().noun
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.folder == folder).map(|k| k.kind)
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
    }
}

/// The kinds with a catalog page of their own, the ones the navigation lists.
pub fn sections() -> impl Iterator<Item = Kind> {
    KINDS.iter().filter(|k| k.nav.is_some()).map(|k| k.kind)
}

/// The names of the searchable kinds (the search index's record types, `search --type`).
pub fn searchable_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().filter(|k| k.searchable).map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_and_unique_names() {
        for (i, a) in KINDS.iter().enumerate() {
            assert_eq!(a.kind.info().name, a.name);
            for b in &KINDS[i + 1..] {
                assert_ne!(a.kind, b.kind);
                assert_ne!(a.name, b.name);
                assert_ne!(a.folder, b.folder);
            }
        }
        assert_eq!(
            Kind::Document.info().layout_text(),
            "documents/<年份>/<文件名>.md"
        );
        assert_eq!(
            Kind::Report.info().layout_text(),
            "reports/<年份>/<机关文件名>.yaml"
        );
        assert_eq!(Kind::from_folder("services"), Some(Kind::Service));
        assert_eq!(Kind::from_name("decision"), Some(Kind::Decision));
    }

    /// The search page's script names record types itself (it runs in the browser); its
    /// names must be this table's.
    #[test]
    fn the_search_page_names_the_kinds_as_the_table_does() {
        let js = include_str!("../../themes/default/static/search.js");
        let start = js
            .find("export const KIND_LABELS = {")
            .expect("KIND_LABELS");
        let body = &js[start..start + js[start..].find("};").expect("end of KIND_LABELS")];
        let labels: Vec<(&str, &str)> = body
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (k, v) = l.trim().trim_end_matches(',').split_once(": ")?;
                Some((k, v.trim_matches('"')))
            })
            .collect();
        let want: Vec<(&str, &str)> = KINDS
            .iter()
            .filter(|k| k.searchable)
            .map(|k| (k.name, k.noun))
            .collect();
        assert_eq!(labels, want);
    }
}
