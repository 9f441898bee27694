//! Calendar behaviour through the public API, and a day-by-day cross-check of the shipped data
//! against the `chinese_holiday` crate (dev-dependency only).

use chrono::{Datelike, NaiveDate};
use gongkai::domain::calendar::{validate_year, Calendar, CalendarYear, Holiday};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 20 working days across the 2025 Spring Festival: 01-26 (Sun) is worked, 01-28…02-04 are off,
/// 02-08 (Sat) is worked.
#[test]
fn twenty_days_across_spring_festival_2025() {
    let cal = Calendar::official();
    let r = cal.add_working_days(d("2025-01-24"), 20);
    // 01-26 (Sun), 01-27: 2; 02-05…02-07: 5; 02-08 (Sat): 6; 02-10…02-14: 11;
    // 02-17…02-21: 16; 02-24…02-27: 20.
    assert_eq!(r.date, d("2025-02-27"));
    assert!(r.used_fallback_years.is_empty());
    // Without the make-up days it would be two days later.
    let weekdays_only = Calendar::from_years([(
        2025,
        CalendarYear {
            holidays: vec![Holiday {
                name: "春节".into(),
                from: d("2025-01-28"),
                to: d("2025-02-04"),
            }],
            workdays: vec![],
        },
    )]);
    assert_eq!(
        weekdays_only.add_working_days(d("2025-01-24"), 20).date,
        d("2025-03-03")
    );
}

/// 20 working days across 国庆/中秋 2025: 09-28 (Sun) and 10-11 (Sat) are worked.
#[test]
fn twenty_days_across_national_day_2025() {
    let cal = Calendar::official();
    let r = cal.add_working_days(d("2025-09-26"), 20);
    assert_eq!(r.date, d("2025-10-30"));
    assert!(cal.is_working_day(d("2025-09-28")));
    assert!(cal.is_working_day(d("2025-10-11")));
    // 09-27 (Sat) is a plain day off.
    assert!(!cal.is_working_day(d("2025-09-27")));
    assert_eq!(
        cal.add_working_days(d("2025-09-26"), 1).date,
        d("2025-09-28")
    );
    // After 09-28: 09-29, 09-30, then 10-09, 10-10, and the make-up Saturday 10-11.
    assert_eq!(
        cal.add_working_days(d("2025-09-28"), 3).date,
        d("2025-10-09")
    );
    assert_eq!(
        cal.add_working_days(d("2025-09-28"), 5).date,
        d("2025-10-11")
    );
}

#[test]
fn override_replaces_a_year_wholly() {
    // A portal adds a local two-day festival in 2025 and (wholly) drops the shipped 2025 data.
    let local = CalendarYear::from_yaml(
        "holidays:\n  - {name: 地方节日, from: 2025-03-03, to: 2025-03-04}\nworkdays: [2025-03-08]\n",
    )
    .unwrap();
    assert!(validate_year(2025, &local).is_empty());
    let cal = Calendar::official().with_overrides([(2025, local)]);
    assert!(cal.covers(2025));
    assert!(!cal.is_working_day(d("2025-03-03")));
    assert_eq!(cal.holiday_name(d("2025-03-04")), Some("地方节日"));
    assert!(cal.is_working_day(d("2025-03-08")));
    // The shipped 2025 blocks are gone: 2025-10-08 (Wed) is an ordinary working day now.
    assert!(cal.is_working_day(d("2025-10-08")));
    assert_eq!(cal.holiday_name(d("2025-10-08")), None);
    // Weekdays 261, minus 2 local days off, plus 1 Saturday.
    assert_eq!(cal.working_days_in_year(2025), 260);
    // Other years are untouched.
    assert!(!cal.is_working_day(d("2026-02-16")));
    assert_eq!(Calendar::official().working_days_in_year(2025), 248);
}

#[test]
fn fallback_years_are_reported() {
    let cal = Calendar::official();
    assert!(!cal.covers(2027));
    // 2026-12-31 (Thu) + 20 WD on weekdays alone in 2027: 01-01 is a Friday.
    let r = cal.add_working_days(d("2026-12-31"), 20);
    assert_eq!(r.date, d("2027-01-28"));
    assert_eq!(r.used_fallback_years, vec![2027]);
    assert!(!r.is_exact());
    assert_eq!(
        cal.fallback_years_between(d("2026-12-31"), r.date),
        vec![2027]
    );
    assert_eq!(cal.working_days_between(d("2026-12-31"), r.date), 20);
    // Ending exactly on 12-31 does not touch 2027.
    assert!(cal
        .fallback_years_between(d("2026-12-01"), d("2026-12-31"))
        .is_empty());
    let r = cal.add_working_days(d("2026-12-30"), 1);
    assert_eq!(r.date, d("2026-12-31"));
    assert!(r.used_fallback_years.is_empty());
    // Before the shipped range, and across several uncovered years.
    let r = cal.add_working_days(d("2006-06-01"), 600);
    assert_eq!(r.used_fallback_years, vec![2006, 2007]);
    let empty = Calendar::empty();
    assert_eq!(
        empty
            .add_working_days(d("2025-01-01"), 1)
            .used_fallback_years,
        vec![2025]
    );
    assert_eq!(
        empty.add_working_days(d("2025-01-01"), 1).date,
        d("2025-01-02")
    );
}

#[test]
fn working_days_between_signs() {
    let cal = Calendar::official();
    // After 2026-03-13 (Fri) up to 2026-03-16 (Mon): one working day.
    assert_eq!(
        cal.working_days_between(d("2026-03-13"), d("2026-03-16")),
        1
    );
    assert_eq!(
        cal.working_days_between(d("2026-03-16"), d("2026-03-13")),
        -1
    );
    assert_eq!(
        cal.working_days_between(d("2026-03-16"), d("2026-03-16")),
        0
    );
    // Whole years.
    for year in 2008..=2026 {
        let n = cal.working_days_between(
            NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
        );
        assert_eq!(n, i64::from(cal.working_days_in_year(year)), "{year}");
    }
}

/// Every day of 2008–2026 against `chinese_holiday` 2026.0.1 (whose data stops at 2026-12-25;
/// it panics after that). Both include the 2020 Spring Festival extension (2020-02-01 off), the
/// 2022-12-31 holiday, the 2015 Victory Day exchange (09-03 and 09-04 off, Sunday 09-06
/// worked) and the 2019 lengthened May Day (05-01…05-04 off, Sundays 04-28 and 05-05 worked).
///
/// They disagree on two days, where the crate's data contradicts the notice it quotes beside
/// them, so the shipped files follow the notice:
/// - 2016-10-09 (Sunday): "10月8日（星期六）、10月9日（星期日）上班" — a working day; the crate
///   lists 10-08 alone.
/// - 2016-12-30 (Friday): "元旦：1月1日放假，1月2日（星期一）补休" (the 2017 notice) — the block
///   is Saturday 12-31 to Monday 01-02, so the Friday was worked; the crate has 12-30 off.
#[test]
fn agrees_with_chinese_holiday_crate() {
    let cal = Calendar::official();
    let last = d("2026-12-25");
    let mut disagreements = Vec::new();
    let mut day = d("2008-01-01");
    while day <= last {
        let theirs = chinese_holiday::chinese_holiday(chinese_holiday::Ymd::new(
            day.year() as u16,
            day.month() as u8,
            day.day() as u8,
        ))
        .is_workday();
        if theirs != cal.is_working_day(day) {
            disagreements.push(day);
        }
        day = day.succ_opt().unwrap();
    }
    assert_eq!(disagreements, [d("2016-10-09"), d("2016-12-30")]);
    assert!(cal.is_working_day(d("2016-10-09")));
    assert!(cal.is_working_day(d("2016-12-30")));
}

#[test]
fn yaml_format_is_strict() {
    // A typo in a key is an error, not a silently empty list.
    assert!(CalendarYear::from_yaml("workday: [2025-01-26]\n").is_err());
    assert!(CalendarYear::from_yaml(
        "holidays:\n  - {name: x, from: 2025-13-01, to: 2025-01-01}\n"
    )
    .is_err());
    // Both lists are optional.
    assert_eq!(
        CalendarYear::from_yaml("holidays: []\n").unwrap(),
        CalendarYear::default()
    );
}
