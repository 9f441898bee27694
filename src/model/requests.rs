//! The disclosure-request register (依申请公开登记): one file per application for government
//! information, `<year>/<id>.yaml` under site.toml's `[requests] dir`.
//!
//! The register is private. It is deliberately not part of [`super::Portal`]: render, search
//! and the sitemap only ever receive a `Portal` and what derive makes of it, so no page, term
//! or feed can carry a request.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::Record;

/// The register as loaded.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// The folder as the diagnostics name it: relative to the portal root when it is inside.
    pub dir: PathBuf,
    /// Whether the folder exists. A portal without a register has none; only a report that
    /// asks for it, or `complete_since`, makes that a problem.
    pub present: bool,
    /// Every request that loaded, by received year then id. `meta.slug` is the id (the file
    /// name), `meta.year` the year folder.
    pub requests: Vec<Record<Request>>,
}

/// One application (申请).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The slug of the agency that received it (受理机关).
    pub agency: String,
    /// 收到申请之日 (Regulation Art. 31).
    pub received: NaiveDate,
    pub channel: Channel,
    pub applicant: Applicant,
    /// 申请内容: personal data, never shown anywhere but the officer's own file.
    pub subject: String,
    pub correction: Option<Correction>,
    pub third_party: Option<ThirdParty>,
    pub extension: Option<Extension>,
    /// 答复之日; `None` while the request is open.
    pub answered: Option<NaiveDate>,
    /// The report's result row, e.g. `withheld.state_secret` (see
    /// [`crate::domain::requests::OUTCOMES`]).
    pub outcome: Option<&'static str>,
}

/// 补正 (Art. 30): the applicant was asked to correct the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correction {
    pub requested: NaiveDate,
    /// When the corrected application arrived; `None`: still waiting on the applicant.
    pub received: Option<NaiveDate>,
}

/// 征求第三方意见 (Art. 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThirdParty {
    pub asked: NaiveDate,
    /// `None`: no answer yet.
    pub answered: Option<NaiveDate>,
}

/// 延长答复期限 (Art. 33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension {
    pub decided: NaiveDate,
}

/// How the application came in (申请方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    InPerson,
    Post,
    Fax,
    Online,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::InPerson,
        Channel::Post,
        Channel::Fax,
        Channel::Online,
        Channel::Other,
    ];

    /// The word officers write, which is also the label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面",
            Channel::Post => "邮寄",
            Channel::Fax => "传真",
            Channel::Online => "网络",
            Channel::Other => "其他",
        }
    }

    pub fn from_label(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.label() == s)
    }
}

/// Who applied: the first six columns of the report's section-3 table, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicant {
    NaturalPerson,
    Business,
    Research,
    Nonprofit,
    LegalServices,
    Other,
}

impl Applicant {
    pub const ALL: [Applicant; 6] = [
        Applicant::NaturalPerson,
        Applicant::Business,
        Applicant::Research,
        Applicant::Nonprofit,
        Applicant::LegalServices,
        Applicant::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Applicant::NaturalPerson => "natural_person",
            Applicant::Business => "business",
            Applicant::Research => "research",
            Applicant::Nonprofit => "nonprofit",
            Applicant::LegalServices => "legal_services",
            Applicant::Other => "other",
        }
    }

    pub fn from_key(s: &str) -> Option<Applicant> {
        Applicant::ALL.into_iter().find(|a| a.key() == s)
    }

    /// The 0-based column of the report's section-3 table.
    pub fn column(self) -> usize {
        self as usize
    }

    /// The column's label in the national form, e.g. `自然人`.
    pub fn label(self) -> &'static str {
        crate::domain::report_form::APPLICANT_COLUMNS[self.column()].label
    }
}

impl Register {
    /// The requests of one agency.
    pub fn of_agency<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a Record<Request>> {
        self.requests
            .iter()
            .filter(move |r| r.data.agency == agency)
    }

    /// The register's folder for messages, with `/` separators.
    pub fn dir_text(&self) -> String {
        crate::validate::slash_path(&self.dir)
    }
}
