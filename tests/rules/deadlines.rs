//! Deadlines and notices through the public API, on the real (shipped) working-day calendars.

use std::path::PathBuf;

use chrono::NaiveDate;
use gongkai::cmd::deadlines::{print_text, to_json};
use gongkai::derive::deadlines::{
    self, effective_status, normative_valid_until, portal_calendar, report_due, report_timeliness,
    should_fail, DayUnit, Notice, NoticeKind, Section, Severity, Timeliness,
};
use gongkai::domain::calendar::{Calendar, CalendarYear, Holiday};
use gongkai::model::*;
use gongkai::render::deadlines_feed::atom_feed;

/// The notices of `p`, built as the loader builds a portal: with its lookups.
fn notices(p: &Portal, cal: &Calendar, today: NaiveDate) -> Vec<Notice> {
    let mut p = p.clone();
    p.reindex();
    deadlines::notices(&p, cal, today)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn meta(slug: &str, year: Option<i32>, folder_agency: Option<&str>) -> Meta {
    Meta {
        slug: slug.into(),
        path: PathBuf::from(format!("content/{slug}")),
        year,
        folder_agency: folder_agency.map(Into::into),
        body_start: None,
        damaged: Vec::new(),
        source_hash: 0,
    }
}

fn agency(slug: &str, name: &str, kind: AgencyKind) -> Record<Agency> {
    Record {
        meta: meta(slug, None, None),
        data: Agency {
            name: name.into(),
            short_name: None,
            kind,
            credit_code: "11220200795219742W".into(),
            parent: None,
            address: None,
            postcode: None,
            phone: None,
            email: None,
            office_hours: None,
            website: None,
            disclosure_office: None,
            order: None,
            report_due: None,
        },
    }
}

fn report(agency: &str, year: i32, published: Option<&str>) -> Record<Report> {
    Record {
        meta: meta(agency, Some(year), Some(agency)),
        data: Report {
            format: ReportFormat::F2021,
            published: published.map(d),
            overview: None,
            proactive: None,
            applications: None,
            reviews_and_litigation: None,
            problems: None,
            other: None,
        },
    }
}

fn document(slug: &str, title: &str, written: &str, published: &str) -> Record<Document> {
    let year = d(published).format("%Y").to_string().parse().unwrap();
    Record {
        meta: meta(slug, Some(year), None),
        data: Document {
            title: title.into(),
            agency: "fgw".into(),
            index_no: format!("11220200795219742W/{year}-0001"),
            categories: vec![],
            doc_number: None,
            written: d(written),
            published: d(published),
            normative: false,
            registration_no: None,
            valid_from: None,
            valid_until: None,
            status: None,
            long_term: false,
            replaces: None,
            replaced_by: None,
            interprets: None,
            interpretation: None,
            attachments: vec![],
            summary: None,
        },
    }
}

fn decision(slug: &str, status: DecisionStatus) -> Record<Decision> {
    Record {
        meta: meta(slug, Some(2025), None),
        data: Decision {
            title: "示例市城市公共交通票价调整方案".into(),
            agency: "fgw".into(),
            basis: None,
            planned: None,
            status,
            consultation: None,
            hearing: None,
            expert_review: None,
            risk_assessment: None,
            legality_review: None,
            collective_decision: None,
            publication: None,
            evaluation: None,
        },
    }
}

fn portal() -> Portal {
    Portal {
        agencies: vec![
            agency("fgw", "示例市发展和改革委员会", AgencyKind::Department),
            agency("gov", "示例市人民政府", AgencyKind::Government),
        ],
        ..Portal::default()
    }
}

fn kinds(ns: &[Notice]) -> Vec<(NoticeKind, &str, i64)> {
    ns.iter()
        .map(|n| (n.kind, n.record.slug.as_str(), n.days_left))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Late disclosure: 20 working days on the real calendar

/// 2025-01-24 + 20 WD across the 2025 Spring Festival (01-26 Sun and 02-08 Sat are worked,
/// 01-28…02-04 off) is 2025-02-27: published that day is on time (the 20th working day),
/// the next day is late (the 21st).
#[test]
fn late_disclosure_across_spring_festival_2025() {
    let mut p = portal();
    p.documents = vec![
        document("on-time", "关于春节期间的通知", "2025-01-24", "2025-02-27"),
        document("late", "关于春节之后的通知", "2025-01-24", "2025-02-28"),
    ];
    let cal = Calendar::official();
    let ns = notices(&p, &cal, d("2025-04-01"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::LateDisclosure, "late", -1)]);
    let n = &ns[0];
    assert_eq!(n.severity, Severity::Overdue);
    assert_eq!(n.due, d("2025-02-27"));
    assert_eq!(n.done, Some(d("2025-02-28")));
    assert_eq!(n.unit, DayUnit::WorkingDays);
    assert_eq!(n.record.url, "/documents/2025/late/");
    assert_eq!(n.record.agency.as_deref(), Some("fgw"));
    assert_eq!(
        n.record.agency_name.as_deref(),
        Some("示例市发展和改革委员会")
    );
    assert!(n.fallback_years.is_empty());
    assert_eq!(
        n.message,
        "逾期公开：2025-01-24 成文，2025-02-28 发布，成文后第 21 个工作日才发布（应在 20 个工作日内，最迟 2025-02-27）"
    );
    assert_eq!(n.section(), Section::Overdue);
}

/// 2025-09-26 + 20 WD across 国庆/中秋 2025 (09-28 Sun and 10-11 Sat worked, 10-01…10-08 off)
/// is 2025-10-30.
#[test]
fn late_disclosure_across_national_day_2025() {
    let mut p = portal();
    p.documents = vec![
        document(
            "exactly-20",
            "国庆前成文的通知甲",
            "2025-09-26",
            "2025-10-30",
        ),
        document("day-21", "国庆前成文的通知乙", "2025-09-26", "2025-10-31"),
        // A Saturday publication after a Friday 20th working day: still the 20th WD.
        document("weekend", "国庆前成文的通知丙", "2025-09-26", "2025-11-01"),
        document(
            "much-later",
            "国庆前成文的通知丁",
            "2025-09-26",
            "2025-11-10",
        ),
    ];
    let cal = Calendar::official();
    let ns = notices(&p, &cal, d("2025-12-01"));
    let mut got = kinds(&ns);
    got.sort();
    assert_eq!(
        got,
        vec![
            (NoticeKind::LateDisclosure, "day-21", -1),
            (NoticeKind::LateDisclosure, "much-later", -7),
            (NoticeKind::LateDisclosure, "weekend", -1),
        ]
    );
    let late = ns.iter().find(|n| n.record.slug == "much-later").unwrap();
    assert!(late
        .message
        .contains("成文后第 27 个工作日才发布（应在 20 个工作日内"));
    assert_eq!(late.due, d("2025-10-30"));
}

#[test]
fn late_disclosure_uses_the_configured_period_and_portal_calendar() {
    let mut p = portal();
    p.documents = vec![document("a", "通知", "2025-03-03", "2025-03-12")];
    // 2025-03-03 + 5 WD = 03-10; published 03-12 is the 7th WD.
    p.config.deadlines.disclosure_working_days = 5;
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::LateDisclosure, "a", -2)]);
    // A portal calendar with a local two-day festival on 03-04/03-05 makes it the 5th WD.
    p.calendars = vec![Record {
        meta: meta("2025", Some(2025), None),
        data: CalendarYear {
            holidays: vec![Holiday {
                name: "地方节日".into(),
                from: d("2025-03-04"),
                to: d("2025-03-05"),
            }],
            workdays: vec![],
        },
    }];
    let cal = portal_calendar(&p);
    assert!(!cal.is_working_day(d("2025-03-04")));
    assert!(cal.covers(2026), "shipped years stay");
    assert!(notices(&p, &cal, d("2025-04-01")).is_empty());
}

#[test]
fn late_disclosure_in_a_year_without_calendar_says_so() {
    let mut p = portal();
    p.documents = vec![document("new", "新通知", "2026-12-15", "2027-02-20")];
    let ns = notices(&p, &Calendar::official(), d("2027-04-01"));
    assert_eq!(ns.len(), 1);
    assert_eq!(ns[0].fallback_years, vec![2027]);
    assert!(ns[0]
        .message
        .contains("2027 年没有工作日历，按周一至周五计算"));
    assert_eq!(deadlines::fallback_years(&ns), vec![2027]);
}

/// A document whose `published` lies after `today` is judged as that day saw it: written, not
/// published yet. Planned later than its deadline, it raises a warning within `warn_days` and is
/// overdue (in working days) once the deadline passes; once published, it is a late disclosure.
#[test]
fn documents_not_yet_published_are_judged_as_of_today() {
    let mut p = portal();
    // 2025-03-03 + 20 WD = 2025-03-31 (no holiday in March 2025); planned for 2025-04-30.
    p.documents = vec![
        document("planned-late", "通知", "2025-03-03", "2025-04-30"),
        document("planned-on-time", "通知", "2025-03-03", "2025-03-28"),
    ];
    let cal = Calendar::official();
    let on = |day: &str| {
        notices(&p, &cal, d(day))
            .iter()
            .map(|n| {
                (
                    n.kind,
                    n.severity,
                    n.record.slug.clone(),
                    n.days_left,
                    n.due,
                )
            })
            .collect::<Vec<_>>()
    };
    let s = |x: &str| x.to_string();
    let due = d("2025-03-31");
    assert_eq!(on("2025-03-02"), vec![], "not written yet");
    assert_eq!(
        on("2025-03-10"),
        vec![(
            NoticeKind::DisclosureDue,
            Severity::Warning,
            s("planned-late"),
            15,
            due
        )]
    );
    assert_eq!(
        on("2025-03-31"),
        vec![(
            NoticeKind::DisclosureDue,
            Severity::Warning,
            s("planned-late"),
            0,
            due
        )]
    );
    assert_eq!(
        on("2025-04-01"),
        vec![(
            NoticeKind::DisclosureOverdue,
            Severity::Overdue,
            s("planned-late"),
            -1,
            due
        )]
    );
    // 2025-04-04 (清明) to 04-06 are off: 04-07 is only the 4th working day after the deadline.
    assert_eq!(
        on("2025-04-07"),
        vec![(
            NoticeKind::DisclosureOverdue,
            Severity::Overdue,
            s("planned-late"),
            -4,
            due
        )]
    );
    // Once published (2025-04-30) the lateness is a fact, no longer counted from today.
    let after = on("2025-05-06");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, NoticeKind::LateDisclosure);
    assert_eq!(after[0].4, due);
    let overdue = notices(&p, &cal, d("2025-04-01"));
    assert!(
        overdue[0]
            .message
            .contains("尚未公开（计划 2025-04-30 发布），已逾期 1 个工作日"),
        "{}",
        overdue[0].message
    );
}

/// The warning starts `warn_days` (calendar days) before the deadline, not earlier: written
/// 2025-01-02, due 2025-02-06 after 春节 (01-26 Sun worked, 01-28…02-04 off).
#[test]
fn a_pending_disclosure_is_not_warned_too_early() {
    let mut p = portal();
    p.documents = vec![document("future", "通知", "2025-01-02", "2025-06-30")];
    let cal = Calendar::official();
    assert!(
        notices(&p, &cal, d("2025-01-06")).is_empty(),
        "31 days before"
    );
    let ns = notices(&p, &cal, d("2025-01-07"));
    assert_eq!(ns.len(), 1);
    assert_eq!(
        (ns[0].kind, ns[0].due),
        (NoticeKind::DisclosureDue, d("2025-02-06"))
    );
}

// ---------------------------------------------------------------------------------------------
// Annual reports

fn report_notices(p: &Portal, today: &str) -> Vec<(NoticeKind, String, i64)> {
    notices(p, &Calendar::official(), d(today))
        .iter()
        .map(|n| (n.kind, n.record.slug.clone(), n.days_left))
        .collect()
}

/// The 2024 report of a department (due 2025-01-31) and of a government (due 2025-03-31), with
/// no report published: due on the day, missing the day after, for each.
#[test]
fn missing_reports_on_the_four_days() {
    let mut p = portal();
    // Some 2024 report on the portal opens the reporting window at 2024.
    p.agencies.push(agency(
        "rsj",
        "示例市人力资源和社会保障局",
        AgencyKind::Department,
    ));
    p.reports = vec![report("rsj", 2024, Some("2025-01-20"))];
    use NoticeKind::*;
    let s = |x: &str| x.to_string();
    assert_eq!(
        report_notices(&p, "2025-01-31"),
        vec![(ReportDue, s("fgw"), 0)],
        "department due today; government not within 30 days yet"
    );
    assert_eq!(
        report_notices(&p, "2025-02-01"),
        vec![(ReportMissing, s("fgw"), -1)]
    );
    assert_eq!(
        report_notices(&p, "2025-03-31"),
        vec![(ReportMissing, s("fgw"), -59), (ReportDue, s("gov"), 0)]
    );
    assert_eq!(
        report_notices(&p, "2025-04-01"),
        vec![
            (ReportMissing, s("fgw"), -60),
            (ReportMissing, s("gov"), -1)
        ]
    );
    // The government's report enters the warning window 30 days before 03-31.
    assert_eq!(
        report_notices(&p, "2025-03-01"),
        vec![(ReportMissing, s("fgw"), -29), (ReportDue, s("gov"), 30)]
    );
    assert_eq!(
        report_notices(&p, "2025-02-28"),
        vec![(ReportMissing, s("fgw"), -28)]
    );

    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let fgw = &ns[0];
    assert_eq!(fgw.severity, Severity::Overdue);
    assert_eq!(fgw.due, d("2025-01-31"));
    assert_eq!(fgw.record.kind, Kind::Agency);
    assert_eq!(fgw.record.year, Some(2024));
    assert_eq!(fgw.record.url, "/agencies/fgw/");
    assert_eq!(fgw.since, d("2025-02-01"));
    assert_eq!(
        fgw.message,
        "2024年度政府信息公开工作年度报告应于 2025-01-31 前公开，至今未公开，已逾期 60 天"
    );
    let ns = notices(&p, &Calendar::official(), d("2025-03-31"));
    assert_eq!(
        ns[1].message,
        "2024年度政府信息公开工作年度报告应于 2025-03-31 前公开，尚未公开，今天截止"
    );
    assert_eq!(ns[1].severity, Severity::Warning);
    assert_eq!(ns[1].section(), Section::Upcoming);
}

/// Published reports: the department's is late (2025-02-10), the government's on time
/// (2025-03-20). A publication date after `today` counts as not published yet.
#[test]
fn late_and_on_time_reports_on_the_four_days() {
    let mut p = portal();
    p.reports = vec![
        report("fgw", 2024, Some("2025-02-10")),
        report("gov", 2024, Some("2025-03-20")),
    ];
    use NoticeKind::*;
    let s = |x: &str| x.to_string();
    assert_eq!(
        report_notices(&p, "2025-01-31"),
        vec![(ReportDue, s("fgw"), 0)]
    );
    assert_eq!(
        report_notices(&p, "2025-02-01"),
        vec![(ReportMissing, s("fgw"), -1)]
    );
    assert_eq!(
        report_notices(&p, "2025-03-31"),
        vec![(ReportLate, s("fgw"), -10)]
    );
    assert_eq!(
        report_notices(&p, "2025-04-01"),
        vec![(ReportLate, s("fgw"), -10)]
    );
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let late = &ns[0];
    assert_eq!(late.record.kind, Kind::Report);
    assert_eq!(late.record.url, "/reports/2024/fgw/");
    assert_eq!(
        late.record.title,
        "示例市发展和改革委员会2024年政府信息公开工作年度报告"
    );
    assert_eq!(late.done, Some(d("2025-02-10")));
    assert_eq!(
        late.message,
        "逾期公开：2024年度报告应于 2025-01-31 前公开，2025-02-10 才公开，逾期 10 天"
    );

    let cfg = &p.config;
    let fgw = &p.agencies[0].data;
    let gov = &p.agencies[1].data;
    let r = |i: usize| Some(&p.reports[i].data);
    assert_eq!(
        report_timeliness(r(0), fgw, 2024, cfg, d("2025-01-31")),
        Timeliness::NotYetDue { days_left: 0 }
    );
    assert_eq!(
        report_timeliness(r(0), fgw, 2024, cfg, d("2025-02-01")),
        Timeliness::Missing { overdue_days: 1 }
    );
    assert_eq!(
        report_timeliness(r(0), fgw, 2024, cfg, d("2025-03-31")),
        Timeliness::Late {
            published: d("2025-02-10"),
            days: 10
        }
    );
    assert_eq!(
        report_timeliness(r(1), gov, 2024, cfg, d("2025-01-31")),
        Timeliness::NotYetDue { days_left: 59 }
    );
    assert_eq!(
        report_timeliness(r(1), gov, 2024, cfg, d("2025-02-01")),
        Timeliness::NotYetDue { days_left: 58 }
    );
    assert_eq!(
        report_timeliness(r(1), gov, 2024, cfg, d("2025-03-31")),
        Timeliness::OnTime {
            published: d("2025-03-20")
        }
    );
    assert_eq!(
        report_timeliness(r(1), gov, 2024, cfg, d("2025-04-01")),
        Timeliness::OnTime {
            published: d("2025-03-20")
        }
    );
    assert_eq!(
        report_timeliness(None, gov, 2024, cfg, d("2025-04-01")),
        Timeliness::Missing { overdue_days: 1 }
    );
    let mut undated = p.reports[1].data.clone();
    undated.published = None;
    assert_eq!(
        report_timeliness(Some(&undated), gov, 2024, cfg, d("2025-04-01")),
        Timeliness::Undated
    );
}

#[test]
fn report_due_dates() {
    let p = portal();
    let cfg = &p.config;
    let dept = &p.agencies[0].data;
    let gov = &p.agencies[1].data;
    // Regulation 2007: 31 March for every agency, reports for 2008–2018.
    assert_eq!(report_due(dept, 2008, cfg), d("2009-03-31"));
    assert_eq!(report_due(dept, 2018, cfg), d("2019-03-31"));
    assert_eq!(report_due(dept, 2019, cfg), d("2020-01-31"));
    assert_eq!(report_due(gov, 2019, cfg), d("2020-03-31"));
    // Not shifted off a weekend: 2026-01-31 is a Saturday.
    assert_eq!(report_due(dept, 2025, cfg), d("2026-01-31"));
    // The agency's own due date wins from 2019; a bad one falls back to the rule.
    let mut township = dept.clone();
    township.report_due = Some("02-20".into());
    assert_eq!(report_due(&township, 2024, cfg), d("2025-02-20"));
    assert_eq!(report_due(&township, 2018, cfg), d("2019-03-31"));
    township.report_due = Some("2月20日".into());
    assert_eq!(report_due(&township, 2024, cfg), d("2025-01-31"));
    // Site-wide settings.
    let mut cfg = cfg.clone();
    cfg.deadlines.report_due_department = "01-28".into();
    assert_eq!(report_due(dept, 2024, &cfg), d("2025-01-28"));
    cfg.deadlines.report_due_government = "02-29".into();
    assert_eq!(report_due(gov, 2024, &cfg), d("2025-02-28"));
    assert_eq!(report_due(gov, 2023, &cfg), d("2024-02-29"));
}

/// A report published on Monday 2026-02-02 for a 2025-01-31 (Saturday) due date is 2 days late.
#[test]
fn weekend_due_date_is_not_shifted() {
    let mut p = portal();
    p.agencies.truncate(1);
    p.reports = vec![report("fgw", 2025, Some("2026-02-02"))];
    let ns = notices(&p, &Calendar::official(), d("2026-02-10"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::ReportLate, "fgw", -2)]);
}

/// The window runs from the earliest report year on the portal to the last year in view.
#[test]
fn reporting_window() {
    let mut p = portal();
    p.reports = vec![
        report("fgw", 2022, Some("2023-01-15")),
        report("fgw", 2023, Some("2024-01-15")),
        report("fgw", 2024, Some("2025-01-15")),
        report("gov", 2024, Some("2025-03-15")),
    ];
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let got: Vec<_> = ns
        .iter()
        .map(|n| (n.kind, n.record.slug.as_str(), n.record.year))
        .collect();
    assert_eq!(
        got,
        vec![
            (NoticeKind::ReportMissing, "gov", Some(2022)),
            (NoticeKind::ReportMissing, "gov", Some(2023)),
        ]
    );
    // In December, a report due in January is not in view yet (more than 30 days away)...
    let years = |today: &str| {
        notices(&p, &Calendar::official(), d(today))
            .iter()
            .map(|n| (n.kind, n.record.slug.clone(), n.record.year))
            .collect::<Vec<_>>()
    };
    let missing_gov = |y| (NoticeKind::ReportMissing, "gov".to_string(), Some(y));
    assert_eq!(
        years("2025-12-01"),
        vec![missing_gov(2022), missing_gov(2023)]
    );
    // ...and on 2026-01-01 it is.
    assert_eq!(
        years("2026-01-01"),
        vec![
            missing_gov(2022),
            missing_gov(2023),
            (NoticeKind::ReportDue, "fgw".to_string(), Some(2025)),
        ]
    );
    // A portal with no report at all does not publish reports: no report notices.
    p.reports.clear();
    assert!(notices(&p, &Calendar::official(), d("2025-04-01")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Normative documents

#[test]
fn provisional_normative_document_expires_after_two_years() {
    let mut p = portal();
    let mut doc = document(
        "zxbf",
        "示例市公共资源交易管理暂行办法",
        "2023-04-20",
        "2023-04-25",
    );
    doc.data.normative = true;
    doc.data.valid_from = Some(d("2023-05-01"));
    // Interpreted on time, so that only its validity gives notices.
    let mut jiedu = document("zxbf-jiedu", "解读", "2023-04-25", "2023-04-25");
    jiedu.data.interprets = Some(gongkai::model::Slugs::One("zxbf".into()));
    p.documents = vec![doc, jiedu];
    p.reindex();
    let cfg = &p.config;
    let doc = &p.documents[0].data;
    // 自2023年5月1日起施行，有效期2年: valid through 2025-04-30.
    assert_eq!(normative_valid_until(doc, cfg), Some(d("2025-04-30")));
    assert_eq!(
        effective_status(doc, cfg, d("2025-04-30")),
        DocStatus::Effective
    );
    assert_eq!(
        effective_status(doc, cfg, d("2025-05-01")),
        DocStatus::Expired
    );

    let cal = Calendar::official();
    assert!(
        notices(&p, &cal, d("2025-03-30")).is_empty(),
        "31 days before"
    );
    let ns = notices(&p, &cal, d("2025-03-31"));
    assert_eq!(
        kinds(&ns),
        vec![(NoticeKind::NormativeExpiring, "zxbf", 30)]
    );
    assert_eq!(ns[0].severity, Severity::Warning);
    assert_eq!(
        ns[0].message,
        "规范性文件有效期至 2025-04-30（未标注有效期，按暂行、试行文件 2 年推定），到期前应评估是否延续、修订或废止，距到期还有 30 天"
    );
    let ns = notices(&p, &cal, d("2025-04-30"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::NormativeExpiring, "zxbf", 0)]);
    assert!(ns[0].message.contains("今天到期"));
    let ns = notices(&p, &cal, d("2025-05-01"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::NormativeExpired, "zxbf", -1)]);
    assert_eq!(ns[0].severity, Severity::Info);
    assert_eq!(ns[0].section(), Section::Recent);
    assert_eq!(ns[0].message, "规范性文件有效期已于 2025-04-30 届满（未标注有效期，按暂行、试行文件 2 年推定），尚未标注失效、废止、修订或延续，已到期 1 天");
    // It stays until the officer records what became of the document.
    let ns = notices(&p, &cal, d("2027-01-01"));
    assert_eq!(
        kinds(&ns),
        vec![(NoticeKind::NormativeExpired, "zxbf", -611)]
    );
    p.documents[0].data.status = Some(DocStatus::Expired);
    assert!(notices(&p, &cal, d("2027-01-01")).is_empty(), "expired");
    p.documents[0].data.status = Some(DocStatus::Effective);
    assert_eq!(
        notices(&p, &cal, d("2027-01-01")).len(),
        1,
        "still says in force"
    );
    p.documents[0].data.status = None;
    p.documents[0].data.long_term = true;
    assert!(notices(&p, &cal, d("2027-01-01")).is_empty(), "long-term");
    p.documents[0].data.long_term = false;
    p.documents[0].data.valid_until = Some(d("2027-04-30"));
    assert_eq!(
        kinds(&notices(&p, &cal, d("2027-04-01"))),
        vec![(NoticeKind::NormativeExpiring, "zxbf", 29)],
        "prolonged"
    );
    p.documents[0].data.valid_until = None;

    // Repealed documents raise nothing.
    p.documents[0].data.status = Some(DocStatus::Repealed);
    assert!(notices(&p, &cal, d("2025-04-01")).is_empty());
    assert_eq!(
        effective_status(&p.documents[0].data, &p.config, d("2025-04-01")),
        DocStatus::Repealed
    );
}

#[test]
fn validity_rules() {
    let p = portal();
    let cfg = &p.config;
    let mut doc = document("a", "示例市物业管理办法", "2020-02-20", "2020-02-29").data;
    assert_eq!(normative_valid_until(&doc, cfg), None, "not normative");
    doc.normative = true;
    // Five years from the publication day, that day included: through the day before the
    // anniversary (the anniversary of 02-29 is 02-28).
    assert_eq!(normative_valid_until(&doc, cfg), Some(d("2025-02-27")));
    doc.title = "示例市物业管理办法（试行）".into();
    assert_eq!(normative_valid_until(&doc, cfg), Some(d("2022-02-27")));
    doc.published = d("2021-03-01");
    assert_eq!(normative_valid_until(&doc, cfg), Some(d("2023-02-28")));
    doc.valid_until = Some(d("2030-12-31"));
    assert_eq!(normative_valid_until(&doc, cfg), Some(d("2030-12-31")));
    // Any document with an explicit valid_until expires after it.
    let mut plain = document("b", "通知", "2020-01-02", "2020-01-03").data;
    plain.valid_until = Some(d("2021-01-01"));
    assert_eq!(
        effective_status(&plain, cfg, d("2021-01-02")),
        DocStatus::Expired
    );
    assert_eq!(
        effective_status(&plain, cfg, d("2021-01-01")),
        DocStatus::Effective
    );
    let mut cfg = cfg.clone();
    cfg.documents.provisional_valid_years = 3;
    doc.valid_until = None;
    assert_eq!(normative_valid_until(&doc, &cfg), Some(d("2024-02-29")));
}

// ---------------------------------------------------------------------------------------------
// Consultations and decisions

#[test]
fn consultation_open_closing_soon_closed() {
    let mut p = portal();
    let mut dec = decision("pjtz", DecisionStatus::Consulting);
    dec.data.consultation = Some(Consultation {
        start: d("2025-03-01"),
        end: d("2025-03-31"),
        url: None,
        summary: None,
        adopted: None,
    });
    p.decisions = vec![dec];
    let cal = Calendar::official();
    let at = |today: &str| {
        notices(&p, &cal, d(today))
            .into_iter()
            .map(|n| (n.kind, n.severity, n.days_left, n.message))
            .collect::<Vec<_>>()
    };
    assert!(at("2025-02-28").is_empty(), "not started");
    use NoticeKind::*;
    use Severity::*;
    assert_eq!(
        at("2025-03-01"),
        vec![(
            ConsultationOpen,
            Info,
            30,
            "公开征求意见（2025-03-01 至 2025-03-31），距截止还有 30 天".to_string()
        )]
    );
    assert_eq!(at("2025-03-24")[0].0, ConsultationOpen);
    assert_eq!(
        at("2025-03-25")[0],
        (
            ConsultationClosingSoon,
            Warning,
            6,
            "公开征求意见（2025-03-01 至 2025-03-31），距截止还有 6 天".to_string()
        )
    );
    assert_eq!(
        at("2025-03-31")[0],
        (
            ConsultationClosingSoon,
            Warning,
            0,
            "公开征求意见（2025-03-01 至 2025-03-31），今天截止".to_string()
        )
    );
    assert_eq!(
        at("2025-04-01")[0],
        (
            ConsultationClosed,
            Info,
            -1,
            "公开征求意见（2025-03-01 至 2025-03-31），尚未公布意见采纳情况，已截止 1 天"
                .to_string()
        )
    );
    let ns = notices(&p, &cal, d("2025-04-01"));
    assert_eq!(ns[0].section(), Section::Recent);
    assert_eq!(ns[0].record.url, "/decisions/2025/pjtz/");
    assert_eq!(at("2025-04-30").len(), 1);
    assert!(at("2025-05-01").is_empty(), "closed more than 30 days ago");
    let open = notices(&p, &cal, d("2025-03-10"));
    assert_eq!(open[0].section(), Section::Upcoming);
    assert_eq!(open[0].since, d("2025-03-01"));
    let soon = notices(&p, &cal, d("2025-03-26"));
    assert_eq!(soon[0].since, d("2025-03-25"));
    // A withdrawn decision's consultation raises nothing.
    p.decisions[0].data.status = DecisionStatus::Withdrawn;
    assert!(notices(&p, &cal, d("2025-03-10")).is_empty());
}

#[test]
fn decision_overdue() {
    let mut p = portal();
    let mut dec = decision("pjtz", DecisionStatus::Reviewing);
    dec.data.planned = Some(d("2025-03-31"));
    p.decisions = vec![dec];
    let cal = Calendar::official();
    assert!(notices(&p, &cal, d("2025-02-28")).is_empty());
    let ns = notices(&p, &cal, d("2025-03-01"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::DecisionDue, "pjtz", 30)]);
    assert_eq!(ns[0].severity, Severity::Warning);
    let ns = notices(&p, &cal, d("2025-04-12"));
    assert_eq!(kinds(&ns), vec![(NoticeKind::DecisionOverdue, "pjtz", -12)]);
    assert_eq!(ns[0].severity, Severity::Overdue);
    assert_eq!(
        ns[0].message,
        "计划于 2025-03-31 前完成决策，目前状态为“审查中”，已逾期 12 天"
    );
    for status in [
        DecisionStatus::Decided,
        DecisionStatus::Implementing,
        DecisionStatus::Evaluated,
        DecisionStatus::Withdrawn,
    ] {
        p.decisions[0].data.status = status;
        assert!(notices(&p, &cal, d("2025-04-12")).is_empty(), "{status:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Output

fn mixed_portal() -> Portal {
    let mut p = portal();
    p.config.title = "示例市人民政府信息公开".into();
    p.reports = vec![report("gov", 2024, Some("2025-03-20"))];
    p.documents = vec![document(
        "late",
        "关于<春节>之后的通知 & 说明",
        "2025-01-24",
        "2025-02-28",
    )];
    let mut dec = decision("pjtz", DecisionStatus::Consulting);
    dec.data.consultation = Some(Consultation {
        start: d("2025-03-20"),
        end: d("2025-04-20"),
        url: None,
        summary: None,
        adopted: None,
    });
    p.decisions = vec![dec];
    p
}

#[test]
fn failing_and_ordering() {
    let p = mixed_portal();
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let got: Vec<_> = ns.iter().map(|n| (n.severity, n.kind)).collect();
    assert_eq!(
        got,
        vec![
            (Severity::Overdue, NoticeKind::ReportMissing),
            (Severity::Overdue, NoticeKind::LateDisclosure),
            (Severity::Info, NoticeKind::ConsultationOpen),
        ]
    );
    assert!(should_fail(&ns, Severity::Overdue));
    assert!(should_fail(&ns, Severity::Warning));
    assert!(should_fail(&ns, Severity::Info));
    let info_only: Vec<Notice> = ns
        .iter()
        .filter(|n| n.severity == Severity::Info)
        .cloned()
        .collect();
    assert!(!should_fail(&info_only, Severity::Overdue));
    assert!(!should_fail(&info_only, Severity::Warning));
    assert!(should_fail(&info_only, Severity::Info));
    assert!(!should_fail(&[], Severity::Info));
}

#[test]
fn json_has_stable_keys() {
    let p = mixed_portal();
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let v = to_json(&ns);
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    let first = &arr[0];
    for key in [
        "id",
        "kind",
        "severity",
        "record",
        "due",
        "days_left",
        "unit",
        "message",
        "done",
        "since",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["kind"], "report-missing");
    assert_eq!(first["severity"], "overdue");
    assert_eq!(first["record"]["type"], "agency");
    assert_eq!(first["record"]["slug"], "fgw");
    assert_eq!(first["record"]["agency"], "fgw");
    assert_eq!(first["record"]["url"], "/agencies/fgw/");
    assert_eq!(first["record"]["year"], 2024);
    assert_eq!(first["due"], "2025-01-31");
    assert_eq!(first["days_left"], -60);
    assert_eq!(first["unit"], "calendar_days");
    assert_eq!(arr[1]["unit"], "working_days");
    assert_eq!(arr[1]["done"], "2025-02-28");
    assert_eq!(arr[1]["record"]["type"], "document");
    assert_eq!(arr[1]["record"]["agency_name"], "示例市发展和改革委员会");
    assert_eq!(arr[2]["section"], "upcoming");
    assert_eq!(
        arr[1]["id"],
        "late-disclosure/document/2025/late/2025-02-27"
    );
}

#[test]
fn text_listing() {
    let p = mixed_portal();
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let mut out = Vec::new();
    print_text(&ns, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let expected = "\
已逾期（2）
  截止日期    类型            对象
  2025-01-31  年报逾期未公开  示例市发展和改革委员会（2024年度）
              2024年度政府信息公开工作年度报告应于 2025-01-31 前公开，至今未公开，已逾期 60 天
              /agencies/fgw/
  2025-02-27  逾期公开        关于<春节>之后的通知 & 说明
              逾期公开：2025-01-24 成文，2025-02-28 发布，成文后第 21 个工作日才发布（应在 20 个工作日内，最迟 2025-02-27）
              /documents/2025/late/

提示（1）
  截止日期    类型            对象
  2025-04-20  征求意见中      示例市城市公共交通票价调整方案
              公开征求意见（2025-03-20 至 2025-04-20），距截止还有 19 天
              /decisions/2025/pjtz/

共 3 条：已逾期 2 条，预警 0 条，提示 1 条。
";
    assert_eq!(text, expected);
    let mut out = Vec::new();
    print_text(&[], &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "没有期限提醒。\n");
}

#[test]
fn atom_feed_is_escaped_absolute_and_stable() {
    let p = mixed_portal();
    let ns = notices(&p, &Calendar::official(), d("2025-04-01"));
    let feed = atom_feed(
        &ns,
        "示例市 & 政府",
        "https://www.example.gov.cn/",
        d("2025-04-01"),
    );
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert!(feed.contains("<title>示例市 &amp; 政府 · 期限提醒</title>"));
    assert!(feed.contains("<id>https://www.example.gov.cn/deadlines/</id>"));
    assert!(feed.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://www.example.gov.cn/deadlines/atom.xml\"/>"
    ));
    assert!(feed.contains("<updated>2025-04-01T00:00:00+08:00</updated>"));
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert_eq!(feed.matches("</entry>").count(), 3);
    assert!(feed.contains(
        "<id>tag:www.example.gov.cn,2025:deadlines/late-disclosure/document/2025/late/2025-02-27</id>"
    ));
    assert!(feed.contains("href=\"https://www.example.gov.cn/documents/2025/late/\""));
    assert!(feed.contains("关于&lt;春节&gt;之后的通知 &amp; 说明"));
    assert!(!feed.contains("<春节>"));
    // Entries are dated by when they began to apply, newest first.
    let updated: Vec<&str> = feed
        .match_indices("<updated>")
        .map(|(i, _)| &feed[i + 9..i + 19])
        .collect();
    assert_eq!(
        updated,
        vec!["2025-04-01", "2025-03-20", "2025-02-28", "2025-02-01"]
    );
    // The same notices a week later: same ids.
    let later = atom_feed(
        &notices(&p, &Calendar::official(), d("2025-04-08")),
        "示例市 & 政府",
        "https://www.example.gov.cn",
        d("2025-04-08"),
    );
    let ids = |f: &str| {
        f.match_indices("<id>tag:")
            .map(|(i, _)| f[i..].split("</id>").next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut a = ids(&feed);
    let mut b = ids(&later);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}
