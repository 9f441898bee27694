//! Paginated lists: how many items go on which page, and the pager under each page's list.

use serde::Serialize;

use crate::model::urls;

#[derive(Serialize)]
pub(super) struct Pager {
    current: usize,
    total: usize,
    prev: String,
    next: String,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    n: usize,
    url: String,
    current: bool,
    gap: bool,
}

pub(super) fn pager(base: &str, current: usize, total: usize) -> Pager {
    let mut pages = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        let near = n == 1 || n == total || n.abs_diff(current) <= 2;
        if !near {
            continue;
        }
        if n > last + 1 {
            pages.push(PagerLink {
                n: 0,
                url: String::new(),
                current: false,
                gap: true,
            });
        }
        pages.push(PagerLink {
            n,
            url: urls::paged(base, n),
            current: n == current,
            gap: false,
        });
        last = n;
    }
    Pager {
        current,
        total,
        prev: if current > 1 {
            urls::paged(base, current - 1)
        } else {
            String::new()
        },
        next: if current < total {
            urls::paged(base, current + 1)
        } else {
            String::new()
        },
        pages,
    }
}

/// Splits `len` items into pages of `per` (at least one page, even when empty).
pub(super) fn pages(len: usize, per: usize) -> Vec<std::ops::Range<usize>> {
    let per = per.max(1);
    (0..len.div_ceil(per).max(1))
        .map(|i| i * per..((i + 1) * per).min(len))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_evenly() {
        assert_eq!(pages(0, 50).len(), 1);
        assert!(pages(0, 50)[0].is_empty());
        assert_eq!(pages(101, 50), vec![0..50, 50..100, 100..101]);
    }

    #[test]
    fn pager_windows() {
        let p = pager("/d/", 10, 20);
        let ns: Vec<usize> = p.pages.iter().map(|l| l.n).collect();
        assert_eq!(ns, vec![1, 0, 8, 9, 10, 11, 12, 0, 20]);
        assert_eq!(p.prev, "/d/page/9/");
        assert_eq!(p.next, "/d/page/11/");
    }
}
