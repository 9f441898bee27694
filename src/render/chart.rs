//! Bar charts drawn at build time as inline SVG: no script, no external request. Each chart is
//! an image with a title and a text description (`role="img"`, `<title>`, `<desc>`); the page
//! shows the same numbers as a table beside it.

use std::fmt::Write;

use crate::text::escape::escape;

/// One series of a chart: a label, a colour and one value per category (None: no data).
pub struct Series {
    pub label: String,
    pub color: &'static str,
    pub values: Vec<Option<i64>>,
}

pub enum Layout {
    /// Series side by side within a category.
    Grouped,
    /// Series stacked on each other.
    Stacked,
}

pub struct Chart<'a> {
    /// Unique within the page, used for `aria-labelledby`.
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub categories: &'a [String],
    pub series: &'a [Series],
    pub layout: Layout,
    pub unit: &'a str,
}

/// Okabe–Ito hues darkened where needed so that every bar has 3:1 contrast with the white
/// background (WCAG 1.4.11); neighbours in a stack are also split by a white stroke.
pub const PALETTE: [&str; 6] = [
    "#0072B2", "#8C6D00", "#007A5E", "#A8447F", "#5E4FA2", "#D55E00",
];

/// The smallest "nice" axis maximum ≥ `max` (1, 2 or 5 times a power of ten) and its step.
pub fn nice_scale(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (1, 1);
    }
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            if s * 5 >= max {
                return (s * ((max + s - 1) / s), s);
            }
        }
        step *= 10;
    }
}

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 36.0;
/// The labels' size in the chart's own units, set on the `<svg>`: the legend and the axis are
/// laid out for it. Inherited from the page instead, the reader's larger font setting ran the
/// legend's entries into each other; the numbers grow with that setting in the table beside.
const FONT: f64 = 16.0;

pub fn render(c: &Chart) -> String {
    let (top, step) = nice_scale(highest_bar(c));
    let plot = Plot {
        top,
        h: H - TOP - BOTTOM,
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {W} {H}" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        id = c.id,
        title = escape(c.title),
        desc = escape(c.desc),
    );
    legend(&mut s, c);
    grid(&mut s, &plot, step);
    let _ = write!(
        s,
        r#"<text x="8" y="{}" class="unit">{}</text>"#,
        TOP - 8.0,
        escape(c.unit)
    );
    bars(&mut s, c, &plot);
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#333"/></svg>"##,
        W - RIGHT,
        TOP + plot.h,
        TOP + plot.h
    );
    s
}

/// The vertical scale: values from 0 to `top` over a plot `h` high.
struct Plot {
    top: i64,
    h: f64,
}

impl Plot {
    fn y(&self, v: i64) -> f64 {
        TOP + self.h - (v as f64 / self.top as f64) * self.h
    }
}

/// The value of the highest bar (or stack of bars).
fn highest_bar(c: &Chart) -> i64 {
    (0..c.categories.len())
        .map(|i| match c.layout {
            Layout::Stacked => c
                .series
                .iter()
                .map(|s| s.values.get(i).copied().flatten().unwrap_or(0).max(0))
                .sum(),
            Layout::Grouped => c
                .series
                .iter()
                .map(|s| s.values.get(i).copied().flatten().unwrap_or(0))
                .max()
                .unwrap_or(0),
        })
        .max()
        .unwrap_or(0)
}

fn legend(s: &mut String, c: &Chart) {
    let mut lx = LEFT;
    for sr in c.series {
        let _ = write!(
            s,
            r#"<rect x="{lx}" y="10" width="12" height="12" fill="{}"/><text x="{}" y="21" class="legend">{}</text>"#,
            sr.color,
            lx + 16.0,
            escape(&sr.label)
        );
        // The swatch, the label at one em a character (Chinese), and a gap of one em.
        lx += 16.0 + FONT * (sr.label.chars().count() + 1) as f64;
    }
}

/// The axis's ticks and their grid lines, every `step`.
fn grid(s: &mut String, plot: &Plot, step: i64) {
    let mut v = 0;
    while v <= plot.top {
        let yy = plot.y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" class="grid" stroke="#d0d4da"/><text x="{}" y="{:.1}" text-anchor="end" class="tick">{v}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
        v += step;
    }
}

/// The bars of each category, with the category's name under them.
fn bars(s: &mut String, c: &Chart, plot: &Plot) {
    let band = (W - LEFT - RIGHT) / c.categories.len().max(1) as f64;
    let k = c.series.len().max(1);
    for (i, cat) in c.categories.iter().enumerate() {
        let x0 = LEFT + band * i as f64;
        let inner = band * 0.7;
        let start = x0 + (band - inner) / 2.0;
        let mut base = 0i64;
        for (j, sr) in c.series.iter().enumerate() {
            let Some(val) = sr.values.get(i).copied().flatten() else {
                continue;
            };
            let val = val.max(0);
            let (bx, bw, from, to) = match c.layout {
                Layout::Stacked => (start, inner, base, base + val),
                Layout::Grouped => {
                    let w = inner / k as f64;
                    (start + w * j as f64, w, 0, val)
                }
            };
            if let Layout::Stacked = c.layout {
                base += val;
            }
            let (y1, y2) = (plot.y(to), plot.y(from));
            let _ = write!(
                s,
                r##"<rect x="{bx:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="#fff" stroke-width="1"><title>{} {} {}{}</title></rect>"##,
                (bw - 1.0).max(1.0),
                (y2 - y1).max(0.0),
                sr.color,
                escape(cat),
                escape(&sr.label),
                val,
                escape(c.unit)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" class="cat">{}</text>"#,
            x0 + band / 2.0,
            H - BOTTOM + 20.0,
            escape(cat)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 1.4.11: every bar colour stands out from the white background by at least 3:1.
    #[test]
    fn palette_contrasts_with_white() {
        fn luminance(hex: &str) -> f64 {
            let c = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
        }
        for p in PALETTE {
            let ratio = 1.05 / (luminance(p) + 0.05);
            assert!(ratio >= 3.0, "{p}: {ratio:.2}");
        }
    }

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(4), (4, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(859), (1000, 200));
        assert_eq!(nice_scale(14069), (15000, 5000));
    }

    #[test]
    fn an_accessible_svg() {
        let cats = vec!["2023年".to_string(), "2024年".to_string()];
        let series = [Series {
            label: "新收申请".into(),
            color: PALETTE[0],
            values: vec![Some(10), None],
        }];
        let svg = render(&Chart {
            id: "c1",
            title: "新收申请 <趋势>",
            desc: "2023年 10件",
            categories: &cats,
            series: &series,
            layout: Layout::Grouped,
            unit: "件",
        });
        assert!(svg
            .starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("<title id=\"c1-title\">新收申请 &lt;趋势&gt;</title>"));
        assert_eq!(svg.matches("<rect").count(), 2); // legend + one bar
    }

    /// The x of every legend swatch and text, in order.
    fn legend_xs(svg: &str) -> Vec<f64> {
        let end = svg.find("<line").unwrap();
        svg[..end]
            .split(" x=\"")
            .skip(1)
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect()
    }

    #[test]
    fn the_legend_of_six_outcomes_fits_without_overlap() {
        let labels = [
            "予以公开",
            "部分公开",
            "不予公开",
            "无法提供",
            "不予处理",
            "其他处理",
        ];
        let series: Vec<Series> = labels
            .iter()
            .zip(PALETTE)
            .map(|(l, color)| Series {
                label: l.to_string(),
                color,
                values: vec![Some(1)],
            })
            .collect();
        let svg = render(&Chart {
            id: "c",
            title: "申请办理结果",
            desc: "",
            categories: &["2024年".to_string()],
            series: &series,
            layout: Layout::Stacked,
            unit: "件",
        });
        assert!(svg.contains(r#"font-size="16""#), "{svg}");
        let xs = legend_xs(&svg);
        assert_eq!(xs.len(), 12, "{svg}");
        for (i, pair) in xs.chunks(2).enumerate() {
            let text_end = pair[1] + FONT * labels[i].chars().count() as f64;
            let next = xs.get(2 * i + 2).copied().unwrap_or(W - RIGHT);
            assert!(
                text_end <= next,
                "{} runs into what follows: {svg}",
                labels[i]
            );
        }
    }
}
