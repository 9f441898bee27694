//! The trend charts of an agency's reports: applications received, their outcomes, reviews
//! and lawsuits, year by year, each drawn as an SVG with the same numbers as a table.

use serde::Serialize;

use crate::derive::report_figures::{self as figures, Figures};
use crate::render::chart::{self, Chart, Layout, Series, PALETTE};

#[derive(Serialize)]
pub struct TrendChart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// The numbers of the chart: header cells, then one row per year.
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

fn trend(
    id: &str,
    agency: &str,
    title: &str,
    layout: Layout,
    years: &[String],
    series: Vec<Series>,
) -> TrendChart {
    let mut desc = format!("{agency}{title}，");
    let parts: Vec<String> = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let vals: Vec<String> = series
                .iter()
                .filter_map(|s| {
                    s.values[i].map(|v| {
                        if series.len() == 1 {
                            format!("{v}件")
                        } else {
                            format!("{}{v}件", s.label)
                        }
                    })
                })
                .collect();
            format!("{y}：{}", vals.join("，"))
        })
        .collect();
    desc.push_str(&parts.join("；"));
    desc.push('。');
    let full_title = format!("{agency}{title}");
    let svg = chart::render(&Chart {
        id,
        title: &full_title,
        desc: &desc,
        categories: years,
        series: &series,
        layout,
        unit: "件",
    });
    TrendChart {
        id: id.to_string(),
        title: title.to_string(),
        svg,
        columns: std::iter::once("年度".to_string())
            .chain(series.iter().map(|s| s.label.clone()))
            .collect(),
        rows: years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                (
                    y.clone(),
                    series
                        .iter()
                        .map(|s| s.values[i].map(|v| v.to_string()).unwrap_or_default())
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The three trend charts of an agency: applications received, outcomes, reviews and lawsuits.
pub fn trend_charts(agency: &str, data: &[(i32, Figures)]) -> Vec<TrendChart> {
    let mut out = Vec::new();
    let apps: Vec<(i32, figures::ApplicationFigures)> = data
        .iter()
        .filter_map(|(y, f)| f.applications.map(|a| (*y, a)))
        .collect();
    if !apps.is_empty() {
        let years: Vec<String> = apps.iter().map(|(y, _)| format!("{y}年")).collect();
        out.push(trend(
            "chart-new",
            agency,
            "本年新收政府信息公开申请数量",
            Layout::Grouped,
            &years,
            vec![Series {
                label: "新收申请".into(),
                color: PALETTE[0],
                values: apps.iter().map(|(_, a)| Some(a.new)).collect(),
            }],
        ));
        let outcome_series = (0..6)
            .map(|k| Series {
                label: apps[0].1.outcomes()[k].1.to_string(),
                color: PALETTE[k],
                values: apps.iter().map(|(_, a)| Some(a.outcomes()[k].2)).collect(),
            })
            .collect();
        out.push(trend(
            "chart-outcomes",
            agency,
            "申请办理结果",
            Layout::Stacked,
            &years,
            outcome_series,
        ));
    }
    let rev: Vec<(i32, figures::ReviewFigures)> = data
        .iter()
        .filter_map(|(y, f)| f.reviews.map(|r| (*y, r)))
        .collect();
    if !rev.is_empty() {
        let years: Vec<String> = rev.iter().map(|(y, _)| format!("{y}年")).collect();
        out.push(trend(
            "chart-reviews",
            agency,
            "政府信息公开行政复议、行政诉讼数量",
            Layout::Grouped,
            &years,
            vec![
                Series {
                    label: "行政复议".into(),
                    color: PALETTE[0],
                    values: rev.iter().map(|(_, r)| Some(r.reviews)).collect(),
                },
                Series {
                    label: "行政诉讼".into(),
                    color: PALETTE[5],
                    values: rev.iter().map(|(_, r)| Some(r.lawsuits())).collect(),
                },
            ],
        ));
    }
    out
}
