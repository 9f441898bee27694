//! Machine-readable downloads of a report: CSV (UTF-8 with BOM, Chinese headers, one row per
//! table row) and JSON (the keys and nesting of the report file, blanks as `null`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::domain::report_form::{
    self, APPLICANT_COLUMNS, APPLICANT_TOTAL, REVIEW_BLOCKS, REVIEW_COLUMNS, REVIEW_TOTAL,
};
use crate::domain::report_math::Finding;
use crate::model::{Applications, OtherOutcome, Report, ReportFormat, ReviewsAndLitigation, Row};

/// The byte-order mark that makes spreadsheet programs read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The fixed leading columns of a report CSV.
pub const CSV_LEAD: [&str; 3] = ["部分", "项目", "键"];

/// The value columns of a report CSV for `format`: the six applicant columns of section 3,
/// the four result columns of section 4, one 总计 shared by both, then section 2's columns.
pub fn csv_value_columns(format: ReportFormat) -> Vec<&'static str> {
    let mut cols: Vec<&'static str> = APPLICANT_COLUMNS[..APPLICANT_TOTAL]
        .iter()
        .map(|c| c.label)
        .collect();
    cols.extend(&REVIEW_COLUMNS[..REVIEW_TOTAL]);
    cols.push("总计");
    for t in report_form::proactive_tables(format) {
        for c in t.columns {
            if !cols.contains(&c.label) {
                cols.push(c.label);
            }
        }
    }
    cols
}

/// One row of a report table, flattened for the CSV: its section, label, YAML path and its
/// values by column label.
pub struct FlatRow {
    pub section: &'static str,
    pub label: String,
    pub key: String,
    pub values: Vec<(&'static str, String)>,
}

fn cell_text(c: &Option<i64>) -> String {
    c.map(|v| v.to_string()).unwrap_or_default()
}

/// A section-2 value as published: numbers as written, text as it is, blank as "".
pub fn yaml_text(v: Option<&serde_yaml::Value>) -> String {
    use serde_yaml::Value;
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Every table row of a report, in the form's order: section 2, 3, then 4.
pub fn flat_rows(r: &Report) -> Vec<FlatRow> {
    let mut out = Vec::new();
    if r.format == ReportFormat::Free {
        return out;
    }
    let heading = |n: u8| report_form::SECTIONS[n as usize - 1].heading;
    if let Some(p) = &r.proactive {
        for t in report_form::proactive_tables(r.format) {
            for row in t.rows {
                let data = p.get(row.key);
                out.push(FlatRow {
                    section: heading(2),
                    label: format!("{} {}", t.caption, row.label),
                    key: format!("proactive.{}", row.key),
                    values: t
                        .columns
                        .iter()
                        .map(|c| (c.label, yaml_text(data.and_then(|d| d.get(c.key)))))
                        .collect(),
                });
            }
        }
    }
    if let Some(a) = &r.applications {
        for def in report_form::rows(r.format) {
            let row = report_form::cells(a, def.key);
            let values = APPLICANT_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.label,
                        row.and_then(|r| r.get(i))
                            .map(cell_text)
                            .unwrap_or_default(),
                    )
                })
                .collect();
            out.push(FlatRow {
                section: heading(3),
                label: def.full_label(),
                key: def.yaml_path(),
                values,
            });
        }
    }
    if let Some(rl) = &r.reviews_and_litigation {
        for b in &REVIEW_BLOCKS {
            let row = report_form::block_cells(rl, b.key);
            out.push(FlatRow {
                section: heading(4),
                label: b.full_label(),
                key: b.yaml_path(),
                values: REVIEW_COLUMNS
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        (
                            *c,
                            row.and_then(|r| r.get(i))
                                .map(cell_text)
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

/// The report as CSV bytes (with BOM).
pub fn report_csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let cols = csv_value_columns(r.format);
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    w.write_record(CSV_LEAD.iter().chain(cols.iter()))?;
    for row in flat_rows(r) {
        let mut rec = vec![row.section.to_string(), row.label, row.key];
        rec.extend(cols.iter().map(|c| {
            row.values
                .iter()
                .find(|(l, _)| l == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        }));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

// ---------------------------------------------------------------------------------------------
// JSON

/// A group of sub-rows in the form's order (unknown keys after, alphabetically).
struct Group<'a> {
    format: ReportFormat,
    name: &'static str,
    rows: &'a BTreeMap<String, Row>,
}

impl Serialize for Group<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let order = report_form::group_members(self.format, self.name);
        let mut m = s.serialize_map(Some(self.rows.len()))?;
        for k in &order {
            if let Some(row) = self.rows.get(*k) {
                m.serialize_entry(k, row)?;
            }
        }
        for (k, row) in self.rows {
            if !order.contains(&k.as_str()) {
                m.serialize_entry(k, row)?;
            }
        }
        m.end()
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum OtherJson<'a> {
    Single(&'a Row),
    Split(Group<'a>),
}

#[derive(Serialize)]
struct ResultsJson<'a> {
    disclosed: &'a Row,
    partially_disclosed: &'a Row,
    withheld: Group<'a>,
    unable: Group<'a>,
    not_processed: Group<'a>,
    other: OtherJson<'a>,
    total: &'a Row,
}

#[derive(Serialize)]
struct ApplicationsJson<'a> {
    new: &'a Row,
    carried_over: &'a Row,
    results: ResultsJson<'a>,
    carried_forward: &'a Row,
}

fn applications_json(format: ReportFormat, a: &Applications) -> ApplicationsJson<'_> {
    let r = &a.results;
    let group = |name, rows| Group { format, name, rows };
    ApplicationsJson {
        new: &a.new,
        carried_over: &a.carried_over,
        results: ResultsJson {
            disclosed: &r.disclosed,
            partially_disclosed: &r.partially_disclosed,
            withheld: group("withheld", &r.withheld),
            unable: group("unable", &r.unable),
            not_processed: group("not_processed", &r.not_processed),
            other: match &r.other {
                OtherOutcome::Single(row) => OtherJson::Single(row),
                OtherOutcome::Split(m) => OtherJson::Split(group("other", m)),
            },
            total: &r.total,
        },
        carried_forward: &a.carried_forward,
    }
}

/// An inconsistency the page marks, in the JSON download.
#[derive(Serialize)]
pub struct InconsistencyJson {
    pub rule: String,
    /// YAML path of the cell, e.g. `applications.results.total.6`.
    pub cell: String,
    pub row: String,
    pub column: Option<&'static str>,
    pub expected: i64,
    pub found: i64,
}

impl From<&Finding> for InconsistencyJson {
    fn from(f: &Finding) -> Self {
        InconsistencyJson {
            rule: format!("{:?}", f.rule),
            cell: f.cell_path(),
            row: f.row_label.clone(),
            column: f.column_label,
            expected: f.expected,
            found: f.found,
        }
    }
}

/// What the JSON download of a report holds: who and when, then the report file's own keys.
#[derive(Serialize)]
pub struct ReportJson<'a> {
    pub agency: &'a str,
    pub agency_name: &'a str,
    pub year: i32,
    pub url: String,
    pub due: NaiveDate,
    /// `on_time`, `late`, `missing`, `not_yet_due` or `undated`, as of the build day.
    pub timeliness: crate::derive::deadlines::Timeliness,
    pub format: ReportFormat,
    pub published: Option<NaiveDate>,
    pub overview: Option<&'a str>,
    pub proactive: Option<&'a serde_yaml::Value>,
    applications: Option<ApplicationsJson<'a>>,
    pub reviews_and_litigation: Option<&'a ReviewsAndLitigation>,
    pub problems: Option<&'a str>,
    pub other: Option<&'a str>,
    /// Cells that disagree with the form's arithmetic (the page marks them).
    pub inconsistencies: Vec<InconsistencyJson>,
}

/// Who published a report and when it was due: the parts of the JSON that are not in the file.
pub struct ReportMeta<'a> {
    pub agency: &'a str,
    pub agency_name: &'a str,
    pub year: i32,
    pub url: String,
    pub due: NaiveDate,
    pub timeliness: crate::derive::deadlines::Timeliness,
}

pub fn report_json<'a>(
    r: &'a Report,
    meta: ReportMeta<'a>,
    findings: &[Finding],
) -> ReportJson<'a> {
    let tables = r.format != ReportFormat::Free;
    ReportJson {
        agency: meta.agency,
        agency_name: meta.agency_name,
        year: meta.year,
        url: meta.url,
        due: meta.due,
        timeliness: meta.timeliness,
        format: r.format,
        published: r.published,
        overview: r.overview.as_deref(),
        proactive: r.proactive.as_ref().filter(|_| tables),
        applications: r
            .applications
            .as_ref()
            .filter(|_| tables)
            .map(|a| applications_json(r.format, a)),
        reviews_and_litigation: r.reviews_and_litigation.as_ref().filter(|_| tables),
        problems: r.problems.as_deref(),
        other: r.other.as_deref(),
        inconsistencies: findings.iter().map(InconsistencyJson::from).collect(),
    }
}
