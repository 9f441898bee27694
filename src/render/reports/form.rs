//! The tables of a report in the national form's shape (sections 2, 3 and 4), with the merged
//! header cells the form draws, header ids that every data cell names, and the notes that
//! findings put on their cells.
//!
//! The form's rows, labels and columns come from `report_form`; the findings from derive.

use serde::Serialize;

use super::notes::{note_class, note_text, Notes};
use crate::domain::report_form::{
    self, APPLICANT_COLUMNS, APPLICANT_HEADER, BALANCE_NOTE, REVIEW_BLOCKS, REVIEW_COLUMNS,
};
use crate::domain::report_math::Finding;
use crate::model::*;
use crate::render::export;

/// A header or data cell. Header cells carry an `id`; data cells name their headers in
/// `headers`, so a screen reader reads every number with its row and column labels even across
/// the merged cells.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TCell {
    pub th: bool,
    pub text: String,
    pub id: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub scope: &'static str,
    pub headers: String,
    pub class: String,
    pub notes: Vec<String>,
}

fn th(text: &str, id: String, scope: &'static str) -> TCell {
    TCell {
        th: true,
        text: text.to_string(),
        id,
        colspan: 1,
        rowspan: 1,
        scope,
        ..TCell::default()
    }
}

impl TCell {
    fn span(mut self, colspan: usize, rowspan: usize) -> TCell {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TRow {
    pub cells: Vec<TCell>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TBody {
    pub rows: Vec<TRow>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FormTable {
    pub id: String,
    pub caption: String,
    pub class: String,
    /// Spans of the `<colgroup>` elements, so that `scope="colgroup"` headers have column
    /// groups to refer to: the label columns, then one group per grouped header.
    pub colgroups: Vec<usize>,
    pub head: Vec<TRow>,
    pub bodies: Vec<TBody>,
}

/// A data cell with its value (blank stays blank) and the notes that concern it.
fn data_cell(value: Option<i64>, headers: String, notes: &[&Finding]) -> TCell {
    let mut c = TCell {
        text: value.map(|v| v.to_string()).unwrap_or_default(),
        headers,
        colspan: 1,
        rowspan: 1,
        ..TCell::default()
    };
    if value.is_none() {
        c.class.push_str("blank");
    }
    for f in notes {
        if !c.class.contains(note_class(f)) {
            if !c.class.is_empty() {
                c.class.push(' ');
            }
            c.class.push_str(note_class(f));
        }
        c.notes.push(note_text(f, value.is_none()));
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Section 3

/// The applications table exactly as the national form draws it: three label columns (三、本年度
/// 办理结果 / （三）不予公开 / 1.属于国家秘密), the balance note in the corner, 申请人情况 over all
/// seven columns and 法人或其他组织 over five.
pub fn applications_table(format: ReportFormat, a: &Applications, notes: &Notes) -> FormTable {
    let p = "s3";
    let (head, col_headers) = applicant_head(p);
    FormTable {
        id: "table-applications".into(),
        caption: "收到和处理政府信息公开申请情况".into(),
        class: "report-form form-applications".into(),
        colgroups: applicant_colgroups(),
        head,
        bodies: vec![application_rows(p, format, a, notes, &col_headers)],
    }
}

/// The three header rows of the applications table (ids prefixed with `p`), and for each
/// applicant column the ids of the headers over it.
fn applicant_head(p: &str) -> (Vec<TRow>, Vec<String>) {
    let mut r1 = TRow::default();
    r1.cells.push(TCell {
        text: BALANCE_NOTE.into(),
        class: "corner".into(),
        colspan: 3,
        rowspan: 3,
        ..TCell::default()
    });
    r1.cells.push(
        th(APPLICANT_HEADER, format!("{p}-applicants"), "colgroup")
            .span(APPLICANT_COLUMNS.len(), 1),
    );
    let (mut r2, mut r3) = (TRow::default(), TRow::default());
    let mut col_headers = Vec::new();
    for (i, c) in APPLICANT_COLUMNS.iter().enumerate() {
        let mut hs = vec![format!("{p}-applicants")];
        match c.group {
            None => r2
                .cells
                .push(th(c.label, format!("{p}-c{i}"), "col").span(1, 2)),
            Some(g) => {
                let first = APPLICANT_COLUMNS
                    .iter()
                    .position(|x| x.group == Some(g))
                    .unwrap_or(i);
                if first == i {
                    let n = APPLICANT_COLUMNS[i..]
                        .iter()
                        .take_while(|x| x.group == Some(g))
                        .count();
                    r2.cells
                        .push(th(g, format!("{p}-g{i}"), "colgroup").span(n, 1));
                }
                hs.push(format!("{p}-g{first}"));
                r3.cells.push(th(c.label, format!("{p}-c{i}"), "col"));
            }
        }
        hs.push(format!("{p}-c{i}"));
        col_headers.push(hs.join(" "));
    }
    (vec![r1, r2, r3], col_headers)
}

/// The rows of the applications table: the row labels (the form's section and group headers
/// span the rows they cover), then a data cell under each of `col_headers`.
fn application_rows(
    p: &str,
    format: ReportFormat,
    a: &Applications,
    notes: &Notes,
    col_headers: &[String],
) -> TBody {
    let rows = report_form::rows(format);
    let mut body = TBody::default();
    for (n, def) in rows.iter().enumerate() {
        let mut row = TRow::default();
        let mut row_headers = Vec::new();
        let mut label_cols = 3;
        if let Some(sec) = def.section {
            let first = rows
                .iter()
                .position(|r| r.section == Some(sec))
                .unwrap_or(n);
            if first == n {
                let span = rows[n..]
                    .iter()
                    .take_while(|r| r.section == Some(sec))
                    .count();
                row.cells
                    .push(th(sec, format!("{p}-s{n}"), "rowgroup").span(1, span));
            }
            row_headers.push(format!("{p}-s{first}"));
            label_cols -= 1;
        }
        if let Some(g) = def.group {
            let first = rows.iter().position(|r| r.group == Some(g)).unwrap_or(n);
            if first == n {
                let span = rows[n..].iter().take_while(|r| r.group == Some(g)).count();
                row.cells
                    .push(th(g, format!("{p}-g-r{n}"), "rowgroup").span(1, span));
            }
            row_headers.push(format!("{p}-g-r{first}"));
            label_cols -= 1;
        }
        let cells = report_form::cells(a, def.key);
        let mut label = th(def.label, format!("{p}-r{n}"), "row").span(label_cols, 1);
        for f in notes.get(&(def.key, None)).into_iter().flatten() {
            label.class = "inconsistent".into();
            label.notes.push(note_text(f, false));
        }
        row.cells.push(label);
        row_headers.push(format!("{p}-r{n}"));
        for (c, col_h) in col_headers.iter().enumerate() {
            let value = cells.and_then(|r| r.get(c)).copied().flatten();
            let here = notes
                .get(&(def.key, Some(c)))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            row.cells.push(data_cell(
                value,
                format!("{} {col_h}", row_headers.join(" ")),
                here,
            ));
        }
        body.rows.push(row);
    }
    body
}

/// The label columns, then runs of applicant columns that share a group (ungrouped columns
/// alone): 3, 1, 5, 1 for the 2021 form.
fn applicant_colgroups() -> Vec<usize> {
    let mut spans = vec![3];
    let mut last: Option<Option<&str>> = None;
    for c in APPLICANT_COLUMNS.iter() {
        match (last, c.group) {
            (Some(Some(prev)), Some(g)) if prev == g => *spans.last_mut().unwrap_or(&mut 0) += 1,
            _ => spans.push(1),
        }
        last = Some(c.group);
    }
    spans
}

// ---------------------------------------------------------------------------------------------
// Section 4

/// The reconsideration and litigation table: 行政复议 over five columns, 行政诉讼 over ten, split
/// into 未经复议直接起诉 and 复议后起诉; one row of fifteen numbers.
pub fn reviews_table(rl: &ReviewsAndLitigation, notes: &Notes) -> FormTable {
    let p = "s4";
    let (mut r1, mut r2, mut r3) = (TRow::default(), TRow::default(), TRow::default());
    let mut data = TRow::default();
    let w = REVIEW_COLUMNS.len();
    for (b, block) in REVIEW_BLOCKS.iter().enumerate() {
        let mut hs = Vec::new();
        match block.group {
            None => r1
                .cells
                .push(th(block.label, format!("{p}-b{b}"), "colgroup").span(w, 2)),
            Some(g) => {
                let first = REVIEW_BLOCKS
                    .iter()
                    .position(|x| x.group == Some(g))
                    .unwrap_or(b);
                if first == b {
                    let n = REVIEW_BLOCKS[b..]
                        .iter()
                        .take_while(|x| x.group == Some(g))
                        .count();
                    r1.cells
                        .push(th(g, format!("{p}-g{b}"), "colgroup").span(w * n, 1));
                }
                hs.push(format!("{p}-g{first}"));
                r2.cells
                    .push(th(block.label, format!("{p}-b{b}"), "colgroup").span(w, 1));
            }
        }
        hs.push(format!("{p}-b{b}"));
        let cells = report_form::block_cells(rl, block.key);
        let shape: Vec<&Finding> = notes
            .get(&(block.key, None))
            .map(|v| v.to_vec())
            .unwrap_or_default();
        for (c, label) in REVIEW_COLUMNS.iter().enumerate() {
            let id = format!("{p}-b{b}-c{c}");
            r3.cells.push(th(label, id.clone(), "col"));
            let mut here: Vec<&Finding> = notes
                .get(&(block.key, Some(c)))
                .map(|v| v.to_vec())
                .unwrap_or_default();
            if c == 0 {
                here.extend(shape.iter().copied());
            }
            let value = cells.and_then(|r| r.get(c)).copied().flatten();
            data.cells
                .push(data_cell(value, format!("{} {id}", hs.join(" ")), &here));
        }
    }
    FormTable {
        id: "table-reviews".into(),
        caption: "政府信息公开行政复议、行政诉讼情况".into(),
        class: "report-form form-reviews".into(),
        colgroups: vec![w; REVIEW_BLOCKS.len()],
        head: vec![r1, r2, r3],
        bodies: vec![TBody { rows: vec![data] }],
    }
}

// ---------------------------------------------------------------------------------------------
// Section 2

/// The proactive-disclosure tables of the format, drawn as the form draws them: one table, a
/// block per item of Regulation Art. 20, each with its own header row.
pub fn proactive_table(format: ReportFormat, p: &serde_yaml::Value) -> FormTable {
    let tables = report_form::proactive_tables(format);
    let width = tables.iter().map(|t| t.columns.len()).max().unwrap_or(1);
    let mut bodies = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        let tid = format!("s2-t{t}");
        let mut body = TBody::default();
        body.rows.push(TRow {
            cells: vec![th(table.caption, tid.clone(), "colgroup").span(width + 1, 1)],
        });
        let k = table.columns.len();
        let span = |c: usize| if c + 1 == k { width - k + 1 } else { 1 };
        let mut head = TRow {
            cells: vec![th(table.label_header, format!("{tid}-h"), "col")],
        };
        for (c, col) in table.columns.iter().enumerate() {
            head.cells
                .push(th(col.label, format!("{tid}-c{c}"), "col").span(span(c), 1));
        }
        for cell in &mut head.cells {
            cell.headers = tid.clone();
        }
        body.rows.push(head);
        for (r, row) in table.rows.iter().enumerate() {
            let rid = format!("{tid}-r{r}");
            let mut label = th(row.label, rid.clone(), "row");
            label.headers = format!("{tid} {tid}-h");
            let mut tr = TRow { cells: vec![label] };
            let data = p.get(row.key);
            for (c, col) in table.columns.iter().enumerate() {
                let text = export::yaml_text(data.and_then(|d| d.get(col.key)));
                tr.cells.push(TCell {
                    class: if text.is_empty() {
                        "blank".into()
                    } else {
                        String::new()
                    },
                    text,
                    headers: format!("{tid} {rid} {tid}-c{c}"),
                    colspan: span(c),
                    rowspan: 1,
                    ..TCell::default()
                });
            }
            body.rows.push(tr);
        }
        bodies.push(body);
    }
    FormTable {
        id: "table-proactive".into(),
        caption: "主动公开政府信息情况".into(),
        class: "report-form form-proactive".into(),
        colgroups: Vec::new(),
        head: Vec::new(),
        bodies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicant_column_groups_follow_the_form() {
        assert_eq!(applicant_colgroups(), vec![3, 1, 5, 1]);
    }
}
