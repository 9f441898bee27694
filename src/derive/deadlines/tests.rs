use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn month_days() {
    assert_eq!(parse_month_day("01-31"), Some((1, 31)));
    assert_eq!(parse_month_day(" 2-20 "), Some((2, 20)));
    assert_eq!(parse_month_day("02-29"), Some((2, 29)));
    assert_eq!(parse_month_day("02-30"), None);
    assert_eq!(parse_month_day("13-01"), None);
    assert_eq!(parse_month_day("0131"), None);
    assert_eq!(month_day(2025, 2, 29), d("2025-02-28"));
    assert_eq!(month_day(2024, 2, 29), d("2024-02-29"));
}

#[test]
fn timeliness_labels_and_replayed_days() {
    let due = d("2025-01-31");
    let today = d("2025-06-01");
    let t = Timeliness::of(Some(Some(d("2025-01-31"))), due, today);
    assert_eq!(t.label(), "按时");
    let t = Timeliness::of(Some(Some(d("2025-02-03"))), due, today);
    assert_eq!(t.label(), "逾期3天");
    assert_eq!(Timeliness::of(None, due, today).label(), "未发布");
    assert_eq!(
        Timeliness::of(None, due, d("2025-01-10")),
        Timeliness::NotYetDue { days_left: 21 }
    );
    // Published after the build day: not published yet.
    assert_eq!(
        Timeliness::of(Some(Some(d("2025-07-01"))), due, today),
        Timeliness::Missing { overdue_days: 121 }
    );
    assert_eq!(Timeliness::of(Some(None), due, today), Timeliness::Undated);
}
