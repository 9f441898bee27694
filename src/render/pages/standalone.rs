//! The pages outside the catalogues: a content page (公开指南, 关于本站…), the search page, the
//! deadline board and the 404 page.

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::deadlines;

impl Ctx<'_> {
    pub(super) fn content_page(&self, i: usize) -> Result<ToRender, Diagnostic> {
        let r = &self.portal.pages[i];
        let url = urls::record(Kind::Page, &r.meta);
        let mut c = self.base(&r.data.title, &url, &[(&r.data.title, url.clone())]);
        c.insert("page", &r.data);
        c.insert("body_html", &self.body_html(&r.meta)?);
        Ok((url, "page.html", c))
    }

    /// The search page; the renderer adds the hint about the static index once it is built.
    pub(super) fn search(&self) -> ToRender {
        let url = "/search/".to_string();
        let c = self.base("站内搜索", &url, &[("站内搜索", url.clone())]);
        (url, "search.html", c)
    }

    pub(super) fn deadlines(&self) -> ToRender {
        let url = urls::deadlines();
        let mut c = self.base("期限提醒", &url, &[("期限提醒", url.clone())]);
        deadlines::board_context(&mut c, self.portal, &self.derived.notices);
        (url, "deadlines.html", c)
    }

    pub(super) fn not_found(&self) -> ToRender {
        let url = "/404.html".to_string();
        let c = self.base("页面未找到", &url, &[]);
        (url, "404.html", c)
    }
}
