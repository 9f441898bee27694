//! The home page: the portal's introduction, the newest documents, the agencies, the column of
//! guide pages, the counts of every catalogue, open consultations and the deadline summary.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Crumb, Ctx, ToRender};
use crate::render::deadlines;
use crate::render::views::{agency_view, decision_item, DecisionItem};

impl Ctx<'_> {
    pub(super) fn home(&self) -> Result<ToRender, Diagnostic> {
        let p = self.portal;
        let url = urls::home();
        let mut c = self.base(&p.config.title, &url, &[]);
        c.insert("crumbs", &Vec::<Crumb>::new());
        let intro = match &p.home {
            Some(h) => self.body_html(&h.meta)?,
            None => String::new(),
        };
        c.insert("intro_html", &intro);
        let newest: Vec<usize> = (0..p.documents.len().min(10)).collect();
        self.insert_doc_items(&mut c, "newest", &newest);
        let agencies: Vec<_> = p
            .agencies
            .iter()
            .map(|a| agency_view(a, &self.ix))
            .collect();
        c.insert("agencies", &agencies);
        let column: Vec<Crumb> = [
            ("guide", "公开指南"),
            ("rules", "公开制度"),
            ("proactive", "法定主动公开内容"),
        ]
        .iter()
        .filter(|(slug, _)| p.pages.iter().any(|pg| pg.meta.slug == *slug))
        .map(|(slug, t)| Crumb {
            title: t.to_string(),
            url: format!("/pages/{slug}/"),
        })
        .chain(std::iter::once(Crumb {
            title: "公开年报".into(),
            url: urls::section(Kind::Report),
        }))
        .collect();
        c.insert("column", &column);
        c.insert(
            "counts",
            &BTreeMap::from([
                ("documents", p.documents.len()),
                ("power", p.power.len()),
                ("services", p.services.len()),
                ("decisions", p.decisions.len()),
                ("reports", p.reports.len()),
                ("agencies", p.agencies.len()),
            ]),
        );
        let open: Vec<DecisionItem> = p
            .decisions
            .iter()
            .zip(&self.derived.decisions)
            .filter(|(_, state)| state.consultation_open)
            .map(|(d, _)| decision_item(d, &self.ix))
            .collect();
        c.insert("open_consultations", &open);
        c.insert("deadline_counts", &deadlines::counts(&self.derived.notices));
        Ok((url, "index.html", c))
    }
}
