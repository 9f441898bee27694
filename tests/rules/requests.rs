//! Property tests of the request register's rules: the section-3 table counted from any
//! register satisfies the annual report's invariants, consecutive years chain, and a time
//! limit is always the right number of counted working days; the register's loader never
//! panics and always says why a file yields no request.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use gongkai::diagnostics::Severity;
use gongkai::domain::calendar::Calendar;
use gongkai::domain::report_math::check_report;
use gongkai::domain::requests::{limit, section_three, Limit, OUTCOMES};
use gongkai::load::requests::parse_request;
use gongkai::model::requests::{Applicant, Channel, Correction, Extension, Request, ThirdParty};
use gongkai::model::{Report, ReportFormat};
use proptest::prelude::*;

const GOOD: &str = "agency: gov-office
received: 2025-03-03
channel: 网络
applicant: natural_person
subject: |
  申请公开……
correction: {requested: 2025-03-05, received: 2025-03-12}
third_party:
  asked: 2025-03-14
  answered: 2025-03-20
extension: {decided: 2025-03-28}
answered: 2025-04-01
outcome: withheld.third_party
";

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + Duration::days(n)
}

/// Any request, including ones with dates in an impossible order: the table must balance
/// whatever the register holds.
fn any_request() -> impl Strategy<Value = Request> {
    (
        prop::bool::ANY,
        0i64..3200,
        0usize..6,
        prop::option::of(-30i64..500),
        prop::option::of(0usize..OUTCOMES.len()),
    )
        .prop_map(
            |(other_agency, received, applicant, answered, outcome)| Request {
                agency: if other_agency { "b" } else { "a" }.into(),
                received: day(received),
                channel: Channel::Online,
                applicant: Applicant::ALL[applicant],
                subject: "x".into(),
                correction: None,
                third_party: None,
                extension: None,
                answered: answered.map(|n| day(received + n)),
                outcome: outcome.map(|i| OUTCOMES[i]),
            },
        )
}

fn report(format: ReportFormat, apps: gongkai::model::Applications) -> Report {
    let yaml = match format {
        ReportFormat::Trial2019 => "format: \"2019-trial\"",
        _ => "format: \"2021\"",
    };
    let mut r: Report = serde_yaml::from_str(yaml).unwrap();
    r.applications = Some(apps);
    r
}

proptest! {
    #[test]
    fn a_table_from_any_register_satisfies_the_report_invariants(
        register in prop::collection::vec(any_request(), 0..80),
        year in 2018i32..2027,
        trial in prop::bool::ANY,
    ) {
        let format = if trial { ReportFormat::Trial2019 } else { ReportFormat::F2021 };
        let table = section_three(&register, "a", year, format);
        prop_assert_eq!(check_report(&report(format, table.clone())), vec![]);
        // 二、上年结转 is last year's 四、结转下年度继续办理.
        let last = section_three(&register, "a", year - 1, format);
        prop_assert_eq!(&last.carried_forward, &table.carried_over);
        // 一、本年新收 is every request of the agency received that year, in its column.
        for (col, applicant) in Applicant::ALL.iter().enumerate() {
            let received = register
                .iter()
                .filter(|r| r.agency == "a" && r.received.year() == year && r.applicant == *applicant)
                .count() as i64;
            prop_assert_eq!(table.new[col], Some(received));
        }
        let other = section_three(&register, "b", year, format);
        let all = register.iter().filter(|r| r.received.year() == year).count() as i64;
        prop_assert_eq!(table.new[6].unwrap() + other.new[6].unwrap(), all);
    }

    #[test]
    fn a_limit_is_the_counted_working_days(
        received in 0i64..3200,
        correction in prop::option::of((0i64..10, prop::option::of(0i64..30))),
        third_party in prop::option::of((0i64..40, 0i64..30)),
        extension in prop::bool::ANY,
    ) {
        let cal = Calendar::official();
        let received = day(received);
        let r = Request {
            agency: "a".into(),
            received,
            channel: Channel::Post,
            applicant: Applicant::Business,
            subject: "x".into(),
            correction: correction.map(|(asked, got)| Correction {
                requested: received + Duration::days(asked),
                received: got.map(|g| received + Duration::days(asked + g)),
            }),
            third_party: third_party.map(|(asked, took)| ThirdParty {
                asked: received + Duration::days(asked),
                answered: Some(received + Duration::days(asked + took)),
            }),
            extension: extension.then_some(Extension { decided: received }),
            answered: None,
            outcome: None,
        };
        match limit(&r, &cal, 20) {
            Limit::AwaitingCorrection { .. } => {
                prop_assert!(r.correction.is_some_and(|c| c.received.is_none()));
            }
            Limit::AwaitingThirdParty { .. } => prop_assert!(false, "every third party answered"),
            Limit::Runs(d) => {
                prop_assert!(cal.is_working_day(d.due));
                let n = if extension { 40 } else { 20 };
                prop_assert_eq!(cal.working_days_between(d.start, d.due) - i64::from(d.excluded), n);
                prop_assert!(d.first <= d.due);
                if r.third_party.is_none() {
                    prop_assert_eq!(cal.working_days_between(d.start, d.first), 20);
                    prop_assert_eq!(d.excluded, 0);
                }
                let start = r.correction.and_then(|c| c.received).unwrap_or(received);
                prop_assert_eq!(d.start, start);
            }
        }
    }

    #[test]
    fn the_register_loader_never_panics_and_says_why(
        text in "\\PC{0,300}",
        at in 0usize..400,
        insert in "[\\PC\n:{}\\[\\]-]{0,12}",
        mutate in prop::bool::ANY,
    ) {
        // Half the cases are a complete request with a few characters inserted somewhere,
        // which reaches the fields; the others are anything at all.
        let text = if mutate {
            let mut t = GOOD.to_string();
            let at = (0..=at.min(t.len())).rev().find(|i| t.is_char_boundary(*i)).unwrap_or(0);
            t.insert_str(at, &insert);
            t
        } else {
            text
        };
        let (request, diags) = parse_request(Path::new("requests/2025/a.yaml"), &text);
        if request.is_none() {
            prop_assert!(diags.iter().any(|d| d.severity == Severity::Error), "{:?}", text);
        }
        let lines = text.split('\n').count();
        for d in &diags {
            prop_assert!(d.line <= lines, "{:?} {:?}", d, text);
        }
    }
}
