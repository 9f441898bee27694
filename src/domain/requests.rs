//! What the Regulation says about an application for disclosure, as pure functions: its time
//! limit on the working-day calendar (Art. 30–33) and the annual report's section-3 table
//! counted from a register.
//!
//! # The time limit
//!
//! An application is answered within `days` working days (Art. 33: 20) counted from the day
//! after it was received (Art. 31). When the applicant was asked to correct it (补正, Art. 30),
//! the count starts anew from the day after the corrected application arrived, and none runs
//! while it has not. The working days after a third party was asked for its opinion, up to and
//! including the day it answered (Art. 32), are not counted. An extension (Art. 33) adds `days`
//! more.
//!
//! # Section 3 from a register
//!
//! For agency A and year Y, a request of A counts in Y's table when it was received in or
//! before Y and not answered before Y: in 一、本年新收 when received in Y, else in 二、上年结转;
//! in its result row when answered in Y, else in 四、结转下年度继续办理; its column is the
//! applicant. Each request so lands once on each side of 一 + 二 = （七） + 四, and the totals
//! are sums, so the table satisfies the report's invariants whatever the register holds.

use chrono::{Datelike, NaiveDate};

use crate::domain::calendar::Calendar;
use crate::domain::report_form::{self, RowRole, APPLICANT_TOTAL};
use crate::model::requests::Request;
use crate::model::{Applications, OtherOutcome, ReportFormat, Results, Row};

/// The result rows a request can end in, as `outcome` names them: the 2021 form's outcome
/// rows without `results.`, e.g. `withheld.state_secret`.
pub const OUTCOMES: [&str; 21] = outcome_keys();

const fn outcome_keys() -> [&'static str; 21] {
    let mut out = [""; 21];
    let mut i = 0;
    let mut n = 0;
    while i < report_form::ROWS_2021.len() {
        let row = &report_form::ROWS_2021[i];
        if matches!(row.role, RowRole::Outcome) {
            // "results." is 8 bytes, all ASCII.
            let (_, rest) = row.key.split_at(8);
            out[n] = rest;
            n += 1;
        }
        i += 1;
    }
    out
}

/// The outcome named `key`, as the `'static` key of [`OUTCOMES`].
pub fn outcome(key: &str) -> Option<&'static str> {
    OUTCOMES.iter().copied().find(|k| *k == key)
}

/// The form's label of an outcome: `（三）不予公开 1.属于国家秘密`.
pub fn outcome_label(key: &str) -> String {
    report_form::find_row(ReportFormat::F2021, &format!("results.{key}"))
        .map(|r| r.full_label())
        .unwrap_or_else(|| key.to_string())
}

/// Where an application's time limit stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The applicant was asked to correct the application and has not: no limit runs.
    AwaitingCorrection { requested: NaiveDate },
    /// A third party was asked and has not answered: the count stands still at `counted`
    /// working days.
    AwaitingThirdParty { asked: NaiveDate, counted: u32 },
    /// The limit runs.
    Runs(Deadline),
}

/// A running time limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The day the count starts after: received, or the corrected application's arrival.
    pub start: NaiveDate,
    /// The first limit: `days` working days.
    pub first: NaiveDate,
    /// The limit that applies: `first`, or with an extension `days` more.
    pub due: NaiveDate,
    pub extended: bool,
    /// Working days not counted while a third party was consulted.
    pub excluded: u32,
    /// Years without a calendar whose days were counted on weekdays alone, ascending.
    pub fallback_years: Vec<i32>,
}

impl Limit {
    pub fn deadline(&self) -> Option<&Deadline> {
        match self {
            Limit::Runs(d) => Some(d),
            _ => None,
        }
    }
}

/// The time limit of `r`, answered within `days` working days (+ `days` with an extension).
pub fn limit(r: &Request, cal: &Calendar, days: u32) -> Limit {
    let start = match r.correction {
        Some(c) => match c.received {
            Some(received) => received,
            None => {
                return Limit::AwaitingCorrection {
                    requested: c.requested,
                }
            }
        },
        None => r.received,
    };
    let pause = r.third_party.map(|t| (t.asked, t.answered));
    let first = match count(cal, start, days, pause) {
        Ok(c) => c,
        Err(counted) => {
            return Limit::AwaitingThirdParty {
                asked: pause.map(|p| p.0).unwrap_or(start),
                counted,
            }
        }
    };
    let extended = r.extension.is_some();
    let due = if extended {
        match count(cal, start, days.saturating_mul(2), pause) {
            Ok(c) => c,
            Err(counted) => {
                return Limit::AwaitingThirdParty {
                    asked: pause.map(|p| p.0).unwrap_or(start),
                    counted,
                }
            }
        }
    } else {
        first.clone()
    };
    let mut fallback_years = due.fallback_years.clone();
    fallback_years.extend(&first.fallback_years);
    fallback_years.sort_unstable();
    fallback_years.dedup();
    Limit::Runs(Deadline {
        start,
        first: first.date,
        due: due.date,
        extended,
        excluded: due.excluded,
        fallback_years,
    })
}

#[derive(Debug, Clone)]
struct Counted {
    date: NaiveDate,
    excluded: u32,
    fallback_years: Vec<i32>,
}

/// The `n`th working day after `start`, not counting the working days in `(asked, answered]`
/// of `pause`. `Err(counted)` when the count reaches a pause that has not ended.
fn count(
    cal: &Calendar,
    start: NaiveDate,
    n: u32,
    pause: Option<(NaiveDate, Option<NaiveDate>)>,
) -> Result<Counted, u32> {
    let mut d = start;
    let mut counted = 0;
    let mut excluded = 0;
    let mut fallback_years: Vec<i32> = Vec::new();
    while counted < n {
        d = d.succ_opt().expect("a time limit runs past the last date");
        if !cal.covers(d.year()) && fallback_years.last() != Some(&d.year()) {
            fallback_years.push(d.year());
        }
        if !cal.is_working_day(d) {
            continue;
        }
        match pause {
            Some((asked, None)) if d > asked => return Err(counted),
            Some((asked, Some(answered))) if d > asked && d <= answered => excluded += 1,
            _ => counted += 1,
        }
    }
    Ok(Counted {
        date: d,
        excluded,
        fallback_years,
    })
}

/// The request as the office knew it at the end of `day`: what happened later (an answer, a
/// correction, a third party's reply, an extension) has not happened yet. `None` when it was
/// not received by then.
pub fn as_of(r: &Request, day: NaiveDate) -> Option<Request> {
    if r.received > day {
        return None;
    }
    let mut r = r.clone();
    if r.answered.is_some_and(|a| a > day) {
        r.answered = None;
        r.outcome = None;
    }
    if let Some(c) = &mut r.correction {
        if c.requested > day {
            r.correction = None;
        } else if c.received.is_some_and(|d| d > day) {
            c.received = None;
        }
    }
    if let Some(t) = &mut r.third_party {
        if t.asked > day {
            r.third_party = None;
        } else if t.answered.is_some_and(|d| d > day) {
            t.answered = None;
        }
    }
    if r.extension.is_some_and(|e| e.decided > day) {
        r.extension = None;
    }
    Some(r)
}

/// When a request counts as answered, and how: it has an answer date and a valid outcome.
/// One without an outcome stays open, and an answer dated before receipt counts on the day of
/// receipt, so that the table balances and counts every request received even while `check`
/// reports such a file as an error.
fn answer(r: &Request) -> Option<(NaiveDate, &'static str)> {
    r.answered
        .zip(r.outcome)
        .map(|(d, outcome)| (d.max(r.received), outcome))
}

/// Section 3 of agency `agency`'s report for `year` in `format`, counted from `requests` (see
/// the module's documentation). Every cell is filled, blanks included.
pub fn section_three<'a>(
    requests: impl IntoIterator<Item = &'a Request>,
    agency: &str,
    year: i32,
    format: ReportFormat,
) -> Applications {
    let mut new = [0i64; 6];
    let mut carried_over = [0i64; 6];
    let mut carried_forward = [0i64; 6];
    let mut results: std::collections::BTreeMap<&'static str, [i64; 6]> =
        OUTCOMES.iter().map(|k| (*k, [0; 6])).collect();
    for r in requests {
        if r.agency != agency || r.received.year() > year {
            continue;
        }
        let answered = answer(r);
        if answered.is_some_and(|(d, _)| d.year() < year) {
            continue;
        }
        let col = r.applicant.column();
        if r.received.year() == year {
            new[col] += 1;
        } else {
            carried_over[col] += 1;
        }
        match answered {
            Some((d, outcome)) if d.year() == year => {
                results.get_mut(outcome).expect("an outcome of OUTCOMES")[col] += 1
            }
            _ => carried_forward[col] += 1,
        }
    }
    let mut total = [0i64; 6];
    for cells in results.values() {
        for (t, c) in total.iter_mut().zip(cells) {
            *t += c;
        }
    }
    let row = |cells: &[i64; 6]| -> Row { full_row(cells) };
    let group = |name: &str| {
        OUTCOMES
            .iter()
            .filter_map(|k| {
                let member = k.strip_prefix(name)?.strip_prefix('.')?;
                Some((member.to_string(), row(&results[k])))
            })
            .collect()
    };
    let other = match format {
        ReportFormat::Trial2019 => {
            let mut sum = [0i64; 6];
            for (k, cells) in &results {
                if k.starts_with("other.") {
                    for (s, c) in sum.iter_mut().zip(cells) {
                        *s += c;
                    }
                }
            }
            OtherOutcome::Single(row(&sum))
        }
        _ => OtherOutcome::Split(group("other")),
    };
    Applications {
        new: row(&new),
        carried_over: row(&carried_over),
        results: Results {
            disclosed: row(&results["disclosed"]),
            partially_disclosed: row(&results["partially_disclosed"]),
            withheld: group("withheld"),
            unable: group("unable"),
            not_processed: group("not_processed"),
            other,
            total: row(&total),
        },
        carried_forward: row(&carried_forward),
        from_register: true,
    }
}

/// Six counts and their total, as a report row.
fn full_row(cells: &[i64; 6]) -> Row {
    let mut row: Row = cells.iter().map(|c| Some(*c)).collect();
    row.push(Some(cells.iter().sum()));
    debug_assert_eq!(row.len(), APPLICANT_TOTAL + 1);
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::requests::{Applicant, Channel, Correction, Extension, ThirdParty};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn request(received: &str) -> Request {
        Request {
            agency: "gov-office".into(),
            received: d(received),
            channel: Channel::Online,
            applicant: Applicant::NaturalPerson,
            subject: "申请公开……".into(),
            correction: None,
            third_party: None,
            extension: None,
            answered: None,
            outcome: None,
        }
    }

    fn due(r: &Request) -> NaiveDate {
        limit(r, &Calendar::official(), 20)
            .deadline()
            .expect("a running limit")
            .due
    }

    #[test]
    fn outcomes_are_the_result_rows() {
        assert_eq!(OUTCOMES[0], "disclosed");
        assert_eq!(OUTCOMES[2], "withheld.state_secret");
        assert_eq!(OUTCOMES[20], "other.other");
        assert_eq!(outcome("unable.not_held"), Some("unable.not_held"));
        assert_eq!(outcome("total"), None);
        assert_eq!(
            outcome_label("withheld.state_secret"),
            "（三）不予公开 1.属于国家秘密"
        );
    }

    #[test]
    fn twenty_working_days_from_the_day_after_receipt() {
        // 2025-03-03 is a Monday: 20 working days end on Monday 2025-03-31.
        assert_eq!(due(&request("2025-03-03")), d("2025-03-31"));
        // Received on a Saturday: the count still starts the next day.
        assert_eq!(due(&request("2025-03-01")), d("2025-03-28"));
    }

    #[test]
    fn a_holiday_period_of_the_shipped_calendar_is_not_counted() {
        // 国庆节、中秋节 2025: 10-01…10-08 off, Sunday 09-28 and Saturday 10-11 worked.
        // From Friday 09-26: 09-28, 09-29, 09-30 (3), then 10-09, 10-10, 10-11 (6), then
        // 10-13… : the 20th working day is Thursday 2025-10-30, as the calendar's own test
        // for add_working_days has it.
        assert_eq!(due(&request("2025-09-26")), d("2025-10-30"));
        // Weekdays alone would have given 2025-10-24.
        let plain = limit(&request("2025-09-26"), &Calendar::empty(), 20);
        let plain = plain.deadline().unwrap();
        assert_eq!(plain.due, d("2025-10-24"));
        assert_eq!(plain.fallback_years, vec![2025]);
        let official = limit(&request("2025-09-26"), &Calendar::official(), 20);
        assert!(official.deadline().unwrap().fallback_years.is_empty());
    }

    #[test]
    fn a_correction_restarts_the_count_and_stops_it_while_awaited() {
        let mut r = request("2025-03-03");
        r.correction = Some(Correction {
            requested: d("2025-03-05"),
            received: None,
        });
        assert_eq!(
            limit(&r, &Calendar::official(), 20),
            Limit::AwaitingCorrection {
                requested: d("2025-03-05")
            }
        );
        r.correction = Some(Correction {
            requested: d("2025-03-05"),
            received: Some(d("2025-03-12")),
        });
        // From Wednesday 03-12 the 20th working day is Thursday 04-10: 清明 (04-04) is a day
        // off, and weekdays alone would give 04-09.
        let l = limit(&r, &Calendar::official(), 20);
        let dl = l.deadline().unwrap();
        assert_eq!(dl.start, d("2025-03-12"));
        assert_eq!(dl.due, d("2025-04-10"));
    }

    #[test]
    fn third_party_days_are_not_counted() {
        let mut r = request("2025-03-03");
        // Asked Monday 03-10, answered Thursday 03-20: 03-11…03-20 are 8 working days.
        r.third_party = Some(ThirdParty {
            asked: d("2025-03-10"),
            answered: Some(d("2025-03-20")),
        });
        let l = limit(&r, &Calendar::official(), 20);
        let dl = l.deadline().unwrap();
        assert_eq!(dl.excluded, 8);
        // 2025-03-31 + 8 working days: 04-01, 02, 03, (04 清明), 07, 08, 09, 10, 11.
        assert_eq!(dl.due, d("2025-04-11"));
        // Still waiting on the third party: the count stands at 5 (03-04…03-10).
        r.third_party = Some(ThirdParty {
            asked: d("2025-03-10"),
            answered: None,
        });
        assert_eq!(
            limit(&r, &Calendar::official(), 20),
            Limit::AwaitingThirdParty {
                asked: d("2025-03-10"),
                counted: 5
            }
        );
        // Asked after the limit ran out: the limit is where it was.
        r.third_party = Some(ThirdParty {
            asked: d("2025-04-02"),
            answered: Some(d("2025-04-20")),
        });
        assert_eq!(due(&r), d("2025-03-31"));
    }

    #[test]
    fn an_extension_adds_twenty_working_days() {
        let mut r = request("2025-03-03");
        r.extension = Some(Extension {
            decided: d("2025-03-28"),
        });
        let l = limit(&r, &Calendar::official(), 20);
        let dl = l.deadline().unwrap();
        assert_eq!(dl.first, d("2025-03-31"));
        assert!(dl.extended);
        // 20 working days after 03-31: 04-01…04-25 hold 18 (清明 04-04 is off), Sunday 04-27
        // is worked for 劳动节 (the 19th), and Monday 04-28 is the 20th.
        assert_eq!(dl.due, d("2025-04-28"));
        assert_eq!(
            Calendar::official().working_days_between(dl.first, dl.due),
            20
        );
    }

    #[test]
    fn as_of_forgets_what_happened_later() {
        let mut r = request("2025-03-03");
        r.answered = Some(d("2025-04-01"));
        r.outcome = Some("disclosed");
        r.correction = Some(Correction {
            requested: d("2025-03-05"),
            received: Some(d("2025-03-12")),
        });
        assert_eq!(as_of(&r, d("2025-03-02")), None);
        let then = as_of(&r, d("2025-03-10")).unwrap();
        assert_eq!(then.answered, None);
        assert_eq!(then.outcome, None);
        assert_eq!(then.correction.unwrap().received, None);
        assert_eq!(as_of(&r, d("2025-04-01")).unwrap(), r);
    }

    #[test]
    fn the_table_of_a_year() {
        let mut a = request("2024-12-20"); // carried over, answered in 2025
        a.answered = Some(d("2025-01-10"));
        a.outcome = Some("disclosed");
        let mut b = request("2025-03-03"); // new, answered in 2025
        b.applicant = Applicant::Business;
        b.answered = Some(d("2025-03-20"));
        b.outcome = Some("withheld.third_party");
        let c = request("2025-12-29"); // new, open at the end of 2025
        let mut e = request("2024-05-05"); // answered in 2024: not in 2025's table
        e.answered = Some(d("2024-05-20"));
        e.outcome = Some("disclosed");
        let mut other_agency = request("2025-05-05");
        other_agency.agency = "fgw".into();
        let all = [a, b, c, e, other_agency];
        let t = section_three(&all, "gov-office", 2025, ReportFormat::F2021);
        let n = |v: &[i64]| -> Row { v.iter().map(|x| Some(*x)).collect() };
        assert_eq!(t.new, n(&[1, 1, 0, 0, 0, 0, 2]));
        assert_eq!(t.carried_over, n(&[1, 0, 0, 0, 0, 0, 1]));
        assert_eq!(t.results.disclosed, n(&[1, 0, 0, 0, 0, 0, 1]));
        assert_eq!(t.results.withheld["third_party"], n(&[0, 1, 0, 0, 0, 0, 1]));
        assert_eq!(t.results.withheld.len(), 8);
        assert_eq!(t.results.total, n(&[1, 1, 0, 0, 0, 0, 2]));
        assert_eq!(t.carried_forward, n(&[1, 0, 0, 0, 0, 0, 1]));
        assert!(t.from_register);
        // 2024: e answered, a carried forward.
        let t = section_three(&all, "gov-office", 2024, ReportFormat::F2021);
        assert_eq!(t.new, n(&[2, 0, 0, 0, 0, 0, 2]));
        assert_eq!(t.carried_forward, n(&[1, 0, 0, 0, 0, 0, 1]));
    }

    #[test]
    fn the_trial_form_has_one_other_row() {
        let mut a = request("2020-03-03");
        a.answered = Some(d("2020-03-20"));
        a.outcome = Some("other.overdue_fee");
        let mut b = a.clone();
        b.outcome = Some("other.other");
        let t = section_three(&[a, b], "gov-office", 2020, ReportFormat::Trial2019);
        match &t.results.other {
            OtherOutcome::Single(row) => assert_eq!(row[0], Some(2)),
            other => panic!("{other:?}"),
        }
    }
}
