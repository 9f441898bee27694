//! The site's URL scheme, in one place. Every URL is root-relative with a trailing slash, so a
//! built site works on any host; `base_url` is only prefixed where an absolute URL is required.

use crate::model::kinds::Layout;
use crate::model::{Kind, Meta};

/// The top-level folders and files of every built site. A file of `content/static/`, which is
/// copied to the site's root, may not land in or on one of them (see
/// `validate::rules::static_files`); tests/site/site.rs checks the list against a built site.
pub const GENERATED_FOLDERS: [&str; 12] = [
    "agencies",
    "assets",
    "data",
    "deadlines",
    "decisions",
    "documents",
    "pages",
    "power",
    "reports",
    "schemas",
    "search",
    "services",
];
/// The file that marks a folder as gongkai's output (write::paths): every site has it.
pub const OUTPUT_MARK: &str = ".gongkai-output";

pub const GENERATED_FILES: [&str; 6] = [
    "404.html",
    "data.json",
    "index.html",
    "robots.txt",
    "sitemap.xml",
    OUTPUT_MARK,
];

pub fn home() -> String {
    "/".into()
}

pub fn section(kind: Kind) -> String {
    format!("/{}/", kind.folder())
}

pub fn agency(slug: &str) -> String {
    format!("/agencies/{slug}/")
}

pub fn agency_documents(slug: &str) -> String {
    format!("/agencies/{slug}/documents/")
}

pub fn agency_reports(slug: &str) -> String {
    format!("/agencies/{slug}/reports/")
}

/// A download beside a page, e.g. `report.csv` of `/reports/2024/fgw/`.
pub fn download(page: &str, file: &str) -> String {
    format!("{page}{file}")
}

/// A pre-rendered sort order of the year's comparison table of annual reports:
/// `/reports/2024/sort/applications/` (the column's default direction) or
/// `/reports/2024/sort/applications/asc/` (the other one).
pub fn reports_sorted(year: i32, key: &str, dir: Option<&str>) -> String {
    match dir {
        Some(d) => format!("/reports/{year}/sort/{key}/{d}/"),
        None => format!("/reports/{year}/sort/{key}/"),
    }
}

/// The catalog of a kind as data (`ext`: `csv`, `json`, `xml` for its Atom feed): the whole
/// portal's beside the catalog's own pages (`/power/catalog.csv`), one agency's beside the
/// agency's page (`/agencies/fgw/power.csv`), so a journalist can guess either.
pub fn catalog(kind: Kind, agency: Option<&str>, ext: &str) -> String {
    match agency {
        None => format!("/{}/catalog.{ext}", kind.folder()),
        Some(a) => format!("/agencies/{a}/{}.{ext}", kind.folder()),
    }
}

/// A record's data beside its page: `index.json` in the page's folder
/// (`/power/fgw/x/` → `/power/fgw/x/index.json`), the one rule for every kind.
pub fn record_json(page: &str) -> String {
    format!("{page}index.json")
}

/// The data catalog, for people (数据下载) and for programs (DCAT, as data.gov's data.json).
pub fn data_page() -> String {
    "/data/".into()
}

pub fn data_catalog() -> String {
    "/data.json".into()
}

/// The JSON Schema of a kind's data: `/schemas/power.schema.json`.
pub fn schema(name: &str) -> String {
    format!("/schemas/{name}.schema.json")
}

/// The Atom feed of a catalog's changes: `/power/atom.xml`.
pub fn feed(kind: Kind) -> String {
    format!("/{}/atom.xml", kind.folder())
}

/// The Atom feed of everything one agency publishes.
pub fn agency_feed(slug: &str) -> String {
    format!("/agencies/{slug}/atom.xml")
}

/// The documents' categories (主题分类 and 体裁), and the documents of one.
pub fn document_categories() -> String {
    "/documents/category/".into()
}

pub fn document_category(slug: &str) -> String {
    format!("/documents/category/{slug}/")
}

pub fn items_of_agency(kind: Kind, agency: &str) -> String {
    format!("/{}/{agency}/", kind.folder())
}

/// The notice board of deadlines.
pub fn deadlines() -> String {
    "/deadlines/".into()
}

/// The Atom feed of deadline notices.
pub fn deadlines_feed() -> String {
    "/deadlines/atom.xml".into()
}

/// The catalog filtered to policy interpretations (政策解读). Beside the year folders, which
/// are digits, so no year or document can take its place.
pub fn interpretations() -> String {
    "/documents/interpretations/".into()
}

pub fn year(kind: Kind, year: i32) -> String {
    format!("/{}/{year}/", kind.folder())
}

/// The URL of a record's own page: its folder, then its agency or year as its files are
/// laid out, then its slug.
pub fn record(kind: Kind, meta: &Meta) -> String {
    let info = kind.info();
    if kind == Kind::Calendar {
        // Calendars have no page of their own.
        return "/".into();
    }
    match info.layout {
        Layout::Flat => format!("/{}/{}/", info.folder, meta.slug),
        Layout::ByAgency => format!(
            "/{}/{}/{}/",
            info.folder,
            meta.folder_agency.as_deref().unwrap_or("_"),
            meta.slug
        ),
        Layout::ByYear => format!("/{}/{}/{}/", info.folder, meta.year.unwrap_or(0), meta.slug),
    }
}

/// Page `n` (1-based) of a paginated list at `base`.
pub fn paged(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Maps a root-relative URL to the file that serves it, relative to the output directory.
pub fn file_for(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_for_urls() {
        assert_eq!(file_for("/"), "index.html");
        assert_eq!(
            file_for("/documents/2025/a/"),
            "documents/2025/a/index.html"
        );
        assert_eq!(file_for("/404.html"), "404.html");
        assert_eq!(paged("/documents/2025/", 1), "/documents/2025/");
        assert_eq!(paged("/documents/2025/", 3), "/documents/2025/page/3/");
    }
}
