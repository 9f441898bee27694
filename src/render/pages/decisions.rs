//! The directory of major administrative decisions (重大行政决策事项目录): all years, one year,
//! and the page of one decision with its stages and consultation.

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::deadlines;
use crate::render::views::{decision_item, decision_view, DecisionItem};

impl Ctx<'_> {
    pub(super) fn decisions_index(&self) -> ToRender {
        let p = self.portal;
        let url = urls::section(Kind::Decision);
        let mut c = self.base(
            "重大行政决策事项目录",
            &url,
            &[("重大行政决策", url.clone())],
        );
        let years: Vec<(i32, Vec<DecisionItem>)> = self
            .portal
            .lookup
            .decisions_by_year
            .iter()
            .rev()
            .map(|(y, idx)| {
                (
                    *y,
                    idx.iter()
                        .map(|&i| decision_item(&p.decisions[i], &self.ix))
                        .collect(),
                )
            })
            .collect();
        c.insert("years", &years);
        c.insert(
            "downloads",
            &crate::render::catalogs::downloads(Kind::Decision, None),
        );
        (url, "decisions_index.html", c)
    }

    pub(super) fn decisions_year(&self, year: i32) -> ToRender {
        let p = self.portal;
        let url = urls::year(Kind::Decision, year);
        let title = format!("{year}年度重大行政决策事项目录");
        let mut c = self.base(
            &title,
            &url,
            &[
                ("重大行政决策", urls::section(Kind::Decision)),
                (&format!("{year}年度"), url.clone()),
            ],
        );
        let list: Vec<_> = self.portal.lookup.decisions_by_year[&year]
            .iter()
            .map(|&i| decision_item(&p.decisions[i], &self.ix))
            .collect();
        c.insert("heading", &title);
        c.insert("year", &year);
        c.insert("decisions", &list);
        (url, "decisions_year.html", c)
    }

    pub(super) fn decision(&self, i: usize) -> Result<ToRender, Diagnostic> {
        let r = &self.portal.decisions[i];
        let v = decision_view(
            r,
            &self.ix,
            &self.derived.decisions[i],
            self.body_html(&r.meta)?,
        );
        let url = v.item.url.clone();
        let year = v.item.year;
        let mut c = self.base(
            &r.data.title,
            &url,
            &[
                ("重大行政决策", urls::section(Kind::Decision)),
                (&format!("{year}年度"), urls::year(Kind::Decision, year)),
                (&r.data.title, url.clone()),
            ],
        );
        c.insert("decision", &v);
        deadlines::decision_context(&mut c, self.notices_for(Kind::Decision, &r.meta));
        Ok((url, "decision.html", c))
    }
}
