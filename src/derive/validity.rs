//! A document's validity on a day: whether it is in force, and until when.

use chrono::NaiveDate;

use crate::model::config::SiteConfig;
use crate::model::Document;

/// A document's status as the public should read it today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    pub valid_until: Option<NaiveDate>,
    /// 长期有效: in force until repealed, with no end date to show.
    pub long_term: bool,
    pub status: crate::model::DocStatus,
}

/// The date a normative document stops being valid. The rule (暂行/试行 two years, others five,
/// configurable in `[documents]`) lives once, in [`crate::derive::deadlines::normative_valid_until`], so
/// the page's 有效期 and the notice board's 即将失效 can never disagree.
pub fn valid_until(doc: &Document, cfg: &SiteConfig) -> Option<NaiveDate> {
    crate::derive::deadlines::normative_valid_until(doc, cfg)
}

/// The status the public should read today ([`crate::derive::deadlines::effective_status`]) and the
/// last valid day.
pub fn validity(doc: &Document, cfg: &SiteConfig, today: NaiveDate) -> Validity {
    let valid_until = valid_until(doc, cfg);
    Validity {
        valid_until,
        long_term: doc.long_term && valid_until.is_none(),
        status: crate::derive::deadlines::effective_status(doc, cfg, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocStatus;

    fn doc(title: &str, published: &str) -> Document {
        serde_yaml::from_str(&format!(
            "title: {title}\nagency: a\nindex_no: x\nwritten: {published}\npublished: {published}\nnormative: true\n"
        ))
        .unwrap()
    }

    #[test]
    fn provisional_documents_last_two_years() {
        let cfg = SiteConfig::default();
        let d = doc("示例市某某管理暂行办法", "2025-03-01");
        assert_eq!(valid_until(&d, &cfg), NaiveDate::from_ymd_opt(2027, 2, 28));
        let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(validity(&d, &cfg, today).status, DocStatus::Expired);
        let before = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
        assert_eq!(validity(&d, &cfg, before).status, DocStatus::Effective);
    }

    #[test]
    fn other_normative_documents_last_five_years() {
        let cfg = SiteConfig::default();
        let d = doc("示例市某某管理办法", "2024-02-29");
        assert_eq!(valid_until(&d, &cfg), NaiveDate::from_ymd_opt(2029, 2, 27));
    }

    #[test]
    fn the_periods_come_from_site_toml() {
        let mut cfg = SiteConfig::default();
        cfg.documents.provisional_valid_years = 3;
        cfg.documents.valid_years = 10;
        let provisional = doc("示例市某某管理试行办法", "2025-03-01");
        assert_eq!(
            valid_until(&provisional, &cfg),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        let other = doc("示例市某某管理办法", "2025-03-01");
        assert_eq!(
            valid_until(&other, &cfg),
            NaiveDate::from_ymd_opt(2035, 2, 28)
        );
    }

    #[test]
    fn long_term_documents_never_expire_by_date() {
        let cfg = SiteConfig::default();
        let mut d = doc("示例市某某管理暂行办法", "2010-01-01");
        d.long_term = true;
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let v = validity(&d, &cfg, today);
        assert_eq!(v.valid_until, None);
        assert!(v.long_term);
        assert_eq!(v.status, DocStatus::Effective);
        // Repealed all the same when the officer says so.
        d.status = Some(DocStatus::Repealed);
        assert_eq!(validity(&d, &cfg, today).status, DocStatus::Repealed);
        // An explicit end date wins (validation reports the contradiction).
        d.status = None;
        d.valid_until = NaiveDate::from_ymd_opt(2020, 12, 31);
        let v = validity(&d, &cfg, today);
        assert_eq!((v.long_term, v.status), (false, DocStatus::Expired));
    }

    #[test]
    fn a_declared_repeal_outlives_the_period() {
        let cfg = SiteConfig::default();
        let mut d = doc("示例市某某管理暂行办法", "2020-01-01");
        d.status = Some(DocStatus::Repealed);
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        assert_eq!(validity(&d, &cfg, today).status, DocStatus::Repealed);
    }
}
