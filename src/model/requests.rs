//! The disclosure-request register (依申请公开登记): one file per application for government
//! information, `<year>/<id>.yaml` under site.toml's `[requests] dir`.
//!
//! The register is private. It is deliberately not part of [`super::Portal`]: render, search
//! and the sitemap only ever receive a `Portal` and what derive makes of it, so no page, term
//! or feed can carry a request. What leaves the register is the section-3 table of a report
//! (`applications: register`), aggregates by construction, which loading writes into the
//! report ([`crate::load::requests::fill_reports`]).

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Applications, Record};

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

/// The value of `applications:` in a report: its table, or the word `register`, which asks
/// for the table to be counted from the register. The latter reads as an empty table marked
/// [`Applications::from_register`] until loading fills it in.
pub(crate) fn applications_or_register<'de, D>(d: D) -> Result<Option<Applications>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Either;

    impl<'de> Visitor<'de> for Either {
        type Value = Option<Applications>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(
                "the section-3 table (new, carried_over, results, carried_forward) or `register`",
            )
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            if s == REGISTER_WORD {
                Ok(Some(Applications::register_placeholder()))
            } else {
                Err(E::invalid_value(de::Unexpected::Str(s), &self))
            }
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
            Applications::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }

    d.deserialize_any(Either)
}

/// What a report writes as `applications:` to have section 3 counted from the register.
pub const REGISTER_WORD: &str = "register";

impl Applications {
    fn register_placeholder() -> Applications {
        Applications {
            new: Vec::new(),
            carried_over: Vec::new(),
            results: super::Results {
                disclosed: Vec::new(),
                partially_disclosed: Vec::new(),
                withheld: Default::default(),
                unable: Default::default(),
                not_processed: Default::default(),
                other: super::OtherOutcome::Split(Default::default()),
                total: Vec::new(),
            },
            carried_forward: Vec::new(),
            from_register: true,
        }
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
