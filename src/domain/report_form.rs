//! The national annual-report form (政府信息公开工作年度报告格式) as data: sections, table rows
//! with their exact Chinese labels, column headers, and the differences of the 2019 trial form.
//!
//! Validation uses it to name rows and columns in its messages; the report renderer uses it to
//! draw the tables in the official shape. Keys are the YAML paths of the content format,
//! relative to `applications` (section 3), `reviews_and_litigation` (section 4) or `proactive`
//! (section 2).
//!
//! Sources: 国办公开办函〔2021〕30号 (2021 form) and 国办公开办函〔2019〕60号 (2019 trial form).

use crate::model::{Applications, OtherOutcome, ReportFormat, ReviewsAndLitigation, Row};

/// One of the six sections of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub number: u8,
    /// The exact heading, e.g. `三、收到和处理政府信息公开申请情况`.
    pub heading: &'static str,
    /// The top-level YAML key that holds it.
    pub key: &'static str,
    /// Whether it is Markdown prose (sections 1, 5, 6) rather than a table.
    pub prose: bool,
}

pub const SECTIONS: [Section; 6] = [
    Section {
        number: 1,
        heading: "一、总体情况",
        key: "overview",
        prose: true,
    },
    Section {
        number: 2,
        heading: "二、主动公开政府信息情况",
        key: "proactive",
        prose: false,
    },
    Section {
        number: 3,
        heading: "三、收到和处理政府信息公开申请情况",
        key: "applications",
        prose: false,
    },
    Section {
        number: 4,
        heading: "四、政府信息公开行政复议、行政诉讼情况",
        key: "reviews_and_litigation",
        prose: false,
    },
    Section {
        number: 5,
        heading: "五、存在的主要问题及改进情况",
        key: "problems",
        prose: true,
    },
    Section {
        number: 6,
        heading: "六、其他需要报告的事项",
        key: "other",
        prose: true,
    },
];

// ---------------------------------------------------------------------------------------------
// Section 3: the applications table

/// A column header of the applications table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub label: &'static str,
    /// The merged header above it, if any (法人或其他组织 over columns 2–6).
    pub group: Option<&'static str>,
}

/// The header spanning all seven columns.
pub const APPLICANT_HEADER: &str = "申请人情况";

/// The note in the top-left header cell of the table.
pub const BALANCE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The seven columns, in the form's order. The last one is the row total.
pub const APPLICANT_COLUMNS: [Column; 7] = [
    Column {
        label: "自然人",
        group: None,
    },
    Column {
        label: "商业企业",
        group: Some("法人或其他组织"),
    },
    Column {
        label: "科研机构",
        group: Some("法人或其他组织"),
    },
    Column {
        label: "社会公益组织",
        group: Some("法人或其他组织"),
    },
    Column {
        label: "法律服务机构",
        group: Some("法人或其他组织"),
    },
    Column {
        label: "其他",
        group: Some("法人或其他组织"),
    },
    Column {
        label: "总计",
        group: None,
    },
];

/// Index of the 总计 column in a section-3 row.
pub const APPLICANT_TOTAL: usize = 6;

/// What a row of the applications table is, for the arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    /// 一、本年新收
    New,
    /// 二、上年结转
    CarriedOver,
    /// An outcome row counted in （七）总计.
    Outcome,
    /// （七）总计
    ResultsTotal,
    /// 四、结转下年度继续办理
    CarriedForward,
}

/// One data row of the applications table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowDef {
    /// Path under `applications`, e.g. `results.withheld.state_secret`.
    pub key: &'static str,
    /// The row's own label, exactly as in the form, e.g. `1.属于国家秘密`.
    pub label: &'static str,
    /// The merged label cell of its group, e.g. `（三）不予公开`.
    pub group: Option<&'static str>,
    /// The merged label cell spanning all outcome rows: `三、本年度办理结果`.
    pub section: Option<&'static str>,
    pub role: RowRole,
}

impl RowDef {
    /// The label with its group, for messages: `（三）不予公开 1.属于国家秘密`.
    pub fn full_label(&self) -> String {
        match self.group {
            Some(g) => format!("{g} {}", self.label),
            None => self.label.to_string(),
        }
    }

    /// The path of the row in a report file, e.g. `applications.results.total`.
    pub fn yaml_path(&self) -> String {
        format!("applications.{}", self.key)
    }
}

const RESULTS: Option<&str> = Some("三、本年度办理结果");
const WITHHELD: Option<&str> = Some("（三）不予公开");
const UNABLE: Option<&str> = Some("（四）无法提供");
const NOT_PROCESSED: Option<&str> = Some("（五）不予处理");
const OTHER: Option<&str> = Some("（六）其他处理");

const fn row(
    key: &'static str,
    label: &'static str,
    group: Option<&'static str>,
    section: Option<&'static str>,
    role: RowRole,
) -> RowDef {
    RowDef {
        key,
        label,
        group,
        section,
        role,
    }
}

const HEAD_ROWS: [RowDef; 4] = [
    row(
        "new",
        "一、本年新收政府信息公开申请数量",
        None,
        None,
        RowRole::New,
    ),
    row(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        None,
        None,
        RowRole::CarriedOver,
    ),
    row(
        "results.disclosed",
        "（一）予以公开",
        None,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.partially_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
        RESULTS,
        RowRole::Outcome,
    ),
];

const MIDDLE_ROWS: [RowDef; 16] = [
    row(
        "results.withheld.state_secret",
        "1.属于国家秘密",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.law_prohibited",
        "2.其他法律行政法规禁止公开",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.three_safeties",
        "3.危及“三安全一稳定”",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.third_party",
        "4.保护第三方合法权益",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.internal_affairs",
        "5.属于三类内部事务信息",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.process_info",
        "6.属于四类过程性信息",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.enforcement_files",
        "7.属于行政执法案卷",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.withheld.query_matters",
        "8.属于行政查询事项",
        WITHHELD,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.unable.not_held",
        "1.本机关不掌握相关政府信息",
        UNABLE,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.unable.needs_creation",
        "2.没有现成信息需要另行制作",
        UNABLE,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.unable.unclear",
        "3.补正后申请内容仍不明确",
        UNABLE,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.not_processed.petition",
        "1.信访举报投诉类申请",
        NOT_PROCESSED,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.not_processed.repeated",
        "2.重复申请",
        NOT_PROCESSED,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.not_processed.publications",
        "3.要求提供公开出版物",
        NOT_PROCESSED,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.not_processed.mass_repeated",
        "4.无正当理由大量反复申请",
        NOT_PROCESSED,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.not_processed.confirm_or_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        NOT_PROCESSED,
        RESULTS,
        RowRole::Outcome,
    ),
];

const OTHER_ROWS_2021: [RowDef; 3] = [
    row(
        "results.other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        OTHER,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        OTHER,
        RESULTS,
        RowRole::Outcome,
    ),
    row(
        "results.other.other",
        "3.其他",
        OTHER,
        RESULTS,
        RowRole::Outcome,
    ),
];

const OTHER_ROW_TRIAL: RowDef = row(
    "results.other",
    "（六）其他处理",
    None,
    RESULTS,
    RowRole::Outcome,
);

const TAIL_ROWS: [RowDef; 2] = [
    row(
        "results.total",
        "（七）总计",
        None,
        RESULTS,
        RowRole::ResultsTotal,
    ),
    row(
        "carried_forward",
        "四、结转下年度继续办理",
        None,
        None,
        RowRole::CarriedForward,
    ),
];

const fn concat_2021() -> [RowDef; 25] {
    let mut out = [HEAD_ROWS[0]; 25];
    let mut i = 0;
    while i < 4 {
        out[i] = HEAD_ROWS[i];
        i += 1;
    }
    let mut j = 0;
    while j < 16 {
        out[4 + j] = MIDDLE_ROWS[j];
        j += 1;
    }
    let mut k = 0;
    while k < 3 {
        out[20 + k] = OTHER_ROWS_2021[k];
        k += 1;
    }
    out[23] = TAIL_ROWS[0];
    out[24] = TAIL_ROWS[1];
    out
}

const fn concat_trial() -> [RowDef; 23] {
    let mut out = [HEAD_ROWS[0]; 23];
    let mut i = 0;
    while i < 4 {
        out[i] = HEAD_ROWS[i];
        i += 1;
    }
    let mut j = 0;
    while j < 16 {
        out[4 + j] = MIDDLE_ROWS[j];
        j += 1;
    }
    out[20] = OTHER_ROW_TRIAL;
    out[21] = TAIL_ROWS[0];
    out[22] = TAIL_ROWS[1];
    out
}

/// The 25 data rows of the 2021 form, in order.
pub const ROWS_2021: [RowDef; 25] = concat_2021();

/// The 23 data rows of the 2019 trial form: （六）其他处理 is one row.
pub const ROWS_2019_TRIAL: [RowDef; 23] = concat_trial();

/// The rows of a format's applications table (none for `free`).
pub fn rows(format: ReportFormat) -> &'static [RowDef] {
    match format {
        ReportFormat::F2021 => &ROWS_2021,
        ReportFormat::Trial2019 => &ROWS_2019_TRIAL,
        ReportFormat::Free => &[],
    }
}

/// The row definition of `key` in `format`.
pub fn find_row(format: ReportFormat, key: &str) -> Option<&'static RowDef> {
    rows(format).iter().find(|r| r.key == key)
}

/// The sub-row names a format allows under a group (`withheld`, `unable`, `not_processed`,
/// `other`), e.g. `["state_secret", ...]`. Empty when the group is a single row.
pub fn group_members(format: ReportFormat, group: &str) -> Vec<&'static str> {
    let prefix = format!("results.{group}.");
    rows(format)
        .iter()
        .filter_map(|r| r.key.strip_prefix(prefix.as_str()))
        .collect()
}

/// The cells of a row in a report's applications table, by the row's key; `None` when the
/// report has no such row (a sub-row left out, or a （六） shape that does not match).
pub fn cells<'a>(apps: &'a Applications, key: &str) -> Option<&'a Row> {
    let r = &apps.results;
    let mut parts = key.split('.');
    match (parts.next()?, parts.next(), parts.next()) {
        ("new", None, None) => Some(&apps.new),
        ("carried_over", None, None) => Some(&apps.carried_over),
        ("carried_forward", None, None) => Some(&apps.carried_forward),
        ("results", Some("disclosed"), None) => Some(&r.disclosed),
        ("results", Some("partially_disclosed"), None) => Some(&r.partially_disclosed),
        ("results", Some("total"), None) => Some(&r.total),
        ("results", Some("withheld"), Some(k)) => r.withheld.get(k),
        ("results", Some("unable"), Some(k)) => r.unable.get(k),
        ("results", Some("not_processed"), Some(k)) => r.not_processed.get(k),
        ("results", Some("other"), None) => match &r.other {
            OtherOutcome::Single(row) => Some(row),
            OtherOutcome::Split(_) => None,
        },
        ("results", Some("other"), Some(k)) => match &r.other {
            OtherOutcome::Split(m) => m.get(k),
            OtherOutcome::Single(_) => None,
        },
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Section 4: reconsideration and litigation

/// The five columns of each block; the last one is the block total.
pub const REVIEW_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Index of the 总计 column in a section-4 block.
pub const REVIEW_TOTAL: usize = 4;

/// One block of five cells in the section-4 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockDef {
    /// Key under `reviews_and_litigation`.
    pub key: &'static str,
    pub label: &'static str,
    /// The merged header above it (行政诉讼 over the two litigation blocks).
    pub group: Option<&'static str>,
}

impl BlockDef {
    pub fn full_label(&self) -> String {
        match self.group {
            Some(g) => format!("{g} {}", self.label),
            None => self.label.to_string(),
        }
    }

    pub fn yaml_path(&self) -> String {
        format!("reviews_and_litigation.{}", self.key)
    }
}

pub const REVIEW_BLOCKS: [BlockDef; 3] = [
    BlockDef {
        key: "review",
        label: "行政复议",
        group: None,
    },
    BlockDef {
        key: "litigation_direct",
        label: "未经复议直接起诉",
        group: Some("行政诉讼"),
    },
    BlockDef {
        key: "litigation_after_review",
        label: "复议后起诉",
        group: Some("行政诉讼"),
    },
];

/// The cells of a section-4 block by its key.
pub fn block_cells<'a>(r: &'a ReviewsAndLitigation, key: &str) -> Option<&'a Row> {
    match key {
        "review" => Some(&r.review),
        "litigation_direct" => Some(&r.litigation_direct),
        "litigation_after_review" => Some(&r.litigation_after_review),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Section 2: proactive disclosure

/// A value column of a section-2 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveColumn {
    /// Key inside the row's mapping, e.g. `issued`.
    pub key: &'static str,
    pub label: &'static str,
    /// Decimals allowed (amounts in 万元 or 元).
    pub decimal: bool,
    /// Negative values allowed (本年增/减 in the trial form).
    pub signed: bool,
}

/// A row of a section-2 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveRow {
    /// Key under `proactive`, e.g. `normative_documents`.
    pub key: &'static str,
    /// The row label (信息内容), e.g. `行政规范性文件`.
    pub label: &'static str,
}

/// One of the small section-2 tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveTable {
    /// e.g. `第二十条第（一）项`.
    pub caption: &'static str,
    /// The first header cell (the label column).
    pub label_header: &'static str,
    pub columns: &'static [ProactiveColumn],
    pub rows: &'static [ProactiveRow],
}

const fn col(
    key: &'static str,
    label: &'static str,
    decimal: bool,
    signed: bool,
) -> ProactiveColumn {
    ProactiveColumn {
        key,
        label,
        decimal,
        signed,
    }
}

const fn prow(key: &'static str, label: &'static str) -> ProactiveRow {
    ProactiveRow { key, label }
}

const DECISIONS_2021: [ProactiveColumn; 1] = [col("decisions", "本年处理决定数量", false, false)];

/// Section 2 of the 2021 form.
pub const PROACTIVE_2021: [ProactiveTable; 4] = [
    ProactiveTable {
        caption: "第二十条第（一）项",
        label_header: "信息内容",
        columns: &[
            col("issued", "本年制发件数", false, false),
            col("repealed", "本年废止件数", false, false),
            col("in_force", "现行有效件数", false, false),
        ],
        rows: &[
            prow("rules", "规章"),
            prow("normative_documents", "行政规范性文件"),
        ],
    },
    ProactiveTable {
        caption: "第二十条第（五）项",
        label_header: "信息内容",
        columns: &DECISIONS_2021,
        rows: &[prow("licensing", "行政许可")],
    },
    ProactiveTable {
        caption: "第二十条第（六）项",
        label_header: "信息内容",
        columns: &DECISIONS_2021,
        rows: &[
            prow("penalties", "行政处罚"),
            prow("enforcement", "行政强制"),
        ],
    },
    ProactiveTable {
        caption: "第二十条第（八）项",
        label_header: "信息内容",
        columns: &[col("amount", "本年收费金额（单位：万元）", true, false)],
        rows: &[prow("fees", "行政事业性收费")],
    },
];

const ITEMS_TRIAL: [ProactiveColumn; 3] = [
    col("previous", "上一年项目数量", false, false),
    col("change", "本年增/减", false, true),
    col("decisions", "处理决定数量", false, false),
];

/// Section 2 of the 2019 trial form. The column keys are this project's naming (the content
/// spec fixes only the 2021 keys).
pub const PROACTIVE_2019_TRIAL: [ProactiveTable; 5] = [
    ProactiveTable {
        caption: "第二十条第（一）项",
        label_header: "信息内容",
        columns: &[
            col("made", "本年新制作数量", false, false),
            col("published", "本年新公开数量", false, false),
            col("total", "对外公开总数量", false, false),
        ],
        rows: &[
            prow("rules", "规章"),
            prow("normative_documents", "规范性文件"),
        ],
    },
    ProactiveTable {
        caption: "第二十条第（五）项",
        label_header: "信息内容",
        columns: &ITEMS_TRIAL,
        rows: &[
            prow("licensing", "行政许可"),
            prow("other_services", "其他对外管理服务事项"),
        ],
    },
    ProactiveTable {
        caption: "第二十条第（六）项",
        label_header: "信息内容",
        columns: &ITEMS_TRIAL,
        rows: &[
            prow("penalties", "行政处罚"),
            prow("enforcement", "行政强制"),
        ],
    },
    ProactiveTable {
        caption: "第二十条第（八）项",
        label_header: "信息内容",
        columns: &[
            col("previous", "上一年项目数量", false, false),
            col("change", "本年增/减", false, true),
        ],
        rows: &[prow("fees", "行政事业性收费")],
    },
    ProactiveTable {
        caption: "第二十条第（九）项",
        label_header: "信息内容",
        columns: &[
            col("projects", "采购项目数量", false, false),
            col("amount", "采购总金额", true, false),
        ],
        rows: &[prow("procurement", "政府集中采购")],
    },
];

/// The section-2 tables of a format (none for `free`).
pub fn proactive_tables(format: ReportFormat) -> &'static [ProactiveTable] {
    match format {
        ReportFormat::F2021 => &PROACTIVE_2021,
        ReportFormat::Trial2019 => &PROACTIVE_2019_TRIAL,
        ReportFormat::Free => &[],
    }
}

/// The section-2 row `key` of a format with its table.
pub fn find_proactive_row(
    format: ReportFormat,
    key: &str,
) -> Option<(&'static ProactiveTable, &'static ProactiveRow)> {
    proactive_tables(format)
        .iter()
        .find_map(|t| t.rows.iter().find(|r| r.key == key).map(|r| (t, r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_and_order() {
        assert_eq!(ROWS_2021.len(), 25);
        assert_eq!(ROWS_2021[0].key, "new");
        assert_eq!(ROWS_2021[4].full_label(), "（三）不予公开 1.属于国家秘密");
        assert_eq!(ROWS_2021[22].key, "results.other.other");
        assert_eq!(ROWS_2021[24].label, "四、结转下年度继续办理");
        assert_eq!(ROWS_2019_TRIAL[20].key, "results.other");
        let outcomes = ROWS_2021
            .iter()
            .filter(|r| r.role == RowRole::Outcome)
            .count();
        assert_eq!(outcomes, 21);
        let keys: std::collections::HashSet<_> = ROWS_2021.iter().map(|r| r.key).collect();
        assert_eq!(keys.len(), 25);
    }

    #[test]
    fn groups() {
        assert_eq!(group_members(ReportFormat::F2021, "withheld").len(), 8);
        assert_eq!(group_members(ReportFormat::F2021, "unable").len(), 3);
        assert_eq!(group_members(ReportFormat::F2021, "not_processed").len(), 5);
        assert_eq!(group_members(ReportFormat::F2021, "other").len(), 3);
        assert!(group_members(ReportFormat::Trial2019, "other").is_empty());
        assert_eq!(
            find_proactive_row(ReportFormat::F2021, "fees")
                .unwrap()
                .0
                .columns[0]
                .label,
            "本年收费金额（单位：万元）"
        );
    }
}
