//! A document's `categories` mix two classifications the catalogs of disclosure portals use
//! side by side: 主题分类 (the subject, 综合政务, 市场监管…) and 体裁 (the kind of text: the
//! fifteen kinds of official document of the 党政机关公文处理工作条例, plus the kinds a
//! disclosure catalog adds). A category is a 体裁 when it is one of those; any other is a
//! subject, since subject lists differ between provinces.

use serde::Serialize;

/// The 体裁 a category can name: 公文种类 (条例第八条), then the catalogs' own.
pub const GENRES: [&str; 24] = [
    "决议",
    "决定",
    "命令",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "规范性文件",
    "政策解读",
    "解读",
    "规划",
    "计划",
    "方案",
    "办法",
    "规定",
    "细则",
];

/// Which classification a category belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// 主题分类
    Theme,
    /// 体裁
    Genre,
}

impl Facet {
    pub fn of(category: &str) -> Facet {
        if GENRES.contains(&category) {
            Facet::Genre
        } else {
            Facet::Theme
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Facet::Theme => "主题分类",
            Facet::Genre => "体裁",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_text_are_genres_and_anything_else_a_subject() {
        assert_eq!(Facet::of("通知"), Facet::Genre);
        assert_eq!(Facet::of("规范性文件"), Facet::Genre);
        assert_eq!(Facet::of("综合政务"), Facet::Theme);
        assert_eq!(Facet::of("城乡建设、环境保护"), Facet::Theme);
    }
}
