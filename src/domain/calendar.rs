//! The working-day calendar (工作日历) used for every deadline counted in working days.
//!
//! A working day is a Monday–Friday that is not in a holiday block, or a weekend day that the
//! State Council designated as a working day (调休上班). The official mainland calendars are
//! shipped in `data/calendar/<year>.yaml` and embedded in the binary; a portal can replace any
//! year (or add one) with its own `content/calendar/<year>.yaml`, e.g. for ethnic or local
//! holidays.
//!
//! # Which file decides a date
//!
//! The file for year *Y* decides every date of *Y*, and only dates of *Y*. A holiday block may
//! reach into the neighbouring year (the 2023 New Year block runs 2022-12-31…2023-01-02 and is
//! written that way in `2023.yaml`), but the days outside *Y* are ignored when the calendar
//! answers questions: the 2022 file must list 2022-12-31 itself (it does). This keeps the rule
//! "a portal's file replaces that year wholly" exact. [`Calendar::cross_year_problems`] reports
//! where the files of neighbouring years disagree about such days.
//!
//! # Years without a calendar
//!
//! For a year no file covers, working days are Monday–Friday. Every computation that may cross
//! such a year can say so ([`WorkingDayResult::used_fallback_years`],
//! [`Calendar::fallback_years_between`]) so the caller can warn.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc, Weekday};

use crate::zh_en;

pub use crate::model::{CalendarYear, Holiday};

/// The outcome of [`Calendar::add_working_days`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayResult {
    /// The Nth working day after the start day.
    pub date: NaiveDate,
    /// Years without a calendar whose days were counted on weekdays alone, ascending.
    /// Empty when the whole count ran over covered years.
    pub used_fallback_years: Vec<i32>,
}

impl WorkingDayResult {
    /// True when the result rests only on covered years.
    pub fn is_exact(&self) -> bool {
        self.used_fallback_years.is_empty()
    }
}

/// The shipped official calendars, one entry per year: (year, file text).
const OFFICIAL: &[(i32, &str)] = &[
    (2008, include_str!("../../data/calendar/2008.yaml")),
    (2009, include_str!("../../data/calendar/2009.yaml")),
    (2010, include_str!("../../data/calendar/2010.yaml")),
    (2011, include_str!("../../data/calendar/2011.yaml")),
    (2012, include_str!("../../data/calendar/2012.yaml")),
    (2013, include_str!("../../data/calendar/2013.yaml")),
    (2014, include_str!("../../data/calendar/2014.yaml")),
    (2015, include_str!("../../data/calendar/2015.yaml")),
    (2016, include_str!("../../data/calendar/2016.yaml")),
    (2017, include_str!("../../data/calendar/2017.yaml")),
    (2018, include_str!("../../data/calendar/2018.yaml")),
    (2019, include_str!("../../data/calendar/2019.yaml")),
    (2020, include_str!("../../data/calendar/2020.yaml")),
    (2021, include_str!("../../data/calendar/2021.yaml")),
    (2022, include_str!("../../data/calendar/2022.yaml")),
    (2023, include_str!("../../data/calendar/2023.yaml")),
    (2024, include_str!("../../data/calendar/2024.yaml")),
    (2025, include_str!("../../data/calendar/2025.yaml")),
    (2026, include_str!("../../data/calendar/2026.yaml")),
];

/// A working-day calendar: a set of covered years, each decided by one [`CalendarYear`].
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearIndex>,
}

/// One covered year, indexed by day of the year.
#[derive(Debug, Clone)]
struct YearIndex {
    source: CalendarYear,
    /// For each day of the year (0-based ordinal): the index in `source.holidays` of the first
    /// block containing that day.
    holiday: Vec<Option<usize>>,
    /// For each day of the year: listed as a workday.
    workday: Vec<bool>,
    /// For each day of the year, and one past its last: the working days before it in the
    /// year. Deadlines count 20 working days and more for each of 100,000 documents on every
    /// build: from here a count looks at each year once rather than at each day.
    before: Vec<u32>,
}

impl YearIndex {
    fn new(year: i32, source: CalendarYear) -> YearIndex {
        let len = days_in_year(year) as usize;
        let mut holiday = vec![None; len];
        let mut workday = vec![false; len];
        for (i, block) in source.holidays.iter().enumerate() {
            let mut d = block.from;
            while d <= block.to {
                if d.year() == year {
                    let slot = &mut holiday[d.ordinal0() as usize];
                    if slot.is_none() {
                        *slot = Some(i);
                    }
                }
                match d.succ_opt() {
                    Some(next) => d = next,
                    None => break,
                }
            }
        }
        for d in &source.workdays {
            if d.year() == year {
                workday[d.ordinal0() as usize] = true;
            }
        }
        let mut index = YearIndex {
            source,
            holiday,
            workday,
            before: Vec::new(),
        };
        let mut count = 0;
        let mut before = Vec::with_capacity(len + 1);
        before.push(0);
        for d in year_days(year) {
            count += u32::from(index.is_working_day(d));
            before.push(count);
        }
        index.before = before;
        index
    }

    /// The working days of the whole year.
    fn working_days(&self) -> u32 {
        self.before.last().copied().unwrap_or(0)
    }

    /// The working days among the days `from..=to` of this index's year (both in it, `from`
    /// not after `to`).
    fn count(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        self.before[to.ordinal0() as usize + 1] - self.before[from.ordinal0() as usize]
    }

    /// The `n`th working day (1-based) from `from` on in this index's year, if the year has
    /// that many from there.
    fn nth_from(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        let wanted = self.before[from.ordinal0() as usize] + n;
        if wanted > self.working_days() {
            return None;
        }
        // The first day after which `wanted` working days have passed is that day.
        let after = self.before.partition_point(|&c| c < wanted);
        NaiveDate::from_yo_opt(from.year(), after as u32)
    }

    /// `d` must lie in this index's year.
    fn is_working_day(&self, d: NaiveDate) -> bool {
        let i = d.ordinal0() as usize;
        self.workday[i] || (is_weekday(d) && self.holiday[i].is_none())
    }

    fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.holiday[d.ordinal0() as usize].map(|i| self.source.holidays[i].name.as_str())
    }
}

impl Calendar {
    /// A calendar covering no year: every computation falls back to Monday–Friday.
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// A calendar of exactly the given years.
    pub fn from_years(years: impl IntoIterator<Item = (i32, CalendarYear)>) -> Calendar {
        Calendar::empty().with_overrides(years)
    }

    /// The official mainland calendars shipped with gongkai (2008–2026), parsed once.
    ///
    /// # Panics
    ///
    /// If a shipped file does not parse (the test suite makes sure they all do).
    pub fn official() -> Calendar {
        static OFFICIAL_CALENDAR: OnceLock<Calendar> = OnceLock::new();
        OFFICIAL_CALENDAR
            .get_or_init(|| {
                Calendar::from_years(OFFICIAL.iter().map(|(year, text)| {
                    let parsed = CalendarYear::from_yaml(text).unwrap_or_else(|e| {
                        panic!("shipped calendar data/calendar/{year}.yaml is invalid: {e}")
                    });
                    (*year, parsed)
                }))
            })
            .clone()
    }

    /// Adds or replaces years: each given year replaces that year wholly (no merging with the
    /// shipped data). Later entries for the same year win.
    pub fn with_overrides(
        mut self,
        years: impl IntoIterator<Item = (i32, CalendarYear)>,
    ) -> Calendar {
        for (year, cal) in years {
            self.years.insert(year, YearIndex::new(year, cal));
        }
        self
    }

    /// Whether a calendar file decides the dates of `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The covered years, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The calendar file data for `year`, if covered.
    pub fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years.get(&year).map(|y| &y.source)
    }

    /// Monday–Friday not in a holiday block, or a listed workday. For an uncovered year:
    /// Monday–Friday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.years.get(&d.year()) {
            Some(y) => y.is_working_day(d),
            None => is_weekday(d),
        }
    }

    /// The name of the holiday block containing `d` (weekend days inside a block included), from
    /// the file of `d`'s year. `None` outside blocks and in uncovered years.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.years.get(&d.year())?.holiday_name(d)
    }

    /// The Nth working day after `start`: `start` itself is not counted, counting begins the
    /// next day, and the Nth working day found is the result. With `n == 0` the result is
    /// `start` (whatever kind of day it is).
    ///
    /// # Panics
    ///
    /// If the result would lie beyond the range of [`NaiveDate`].
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> WorkingDayResult {
        let mut d = start;
        let mut left = n;
        let mut used_fallback_years = Vec::new();
        // A year at a time: a covered year is counted from its table, an uncovered one day
        // by day.
        while left > 0 {
            let first = d
                .succ_opt()
                .expect("working-day count runs past the last date");
            let year = first.year();
            let last = last_day_of(year);
            match self.years.get(&year) {
                Some(y) => match y.nth_from(first, left) {
                    Some(date) => {
                        return WorkingDayResult {
                            date,
                            used_fallback_years,
                        }
                    }
                    None => {
                        left -= y.count(first, last);
                        d = last;
                    }
                },
                None => {
                    used_fallback_years.push(year);
                    d = first;
                    loop {
                        if is_weekday(d) {
                            left -= 1;
                        }
                        if left == 0 || d == last {
                            break;
                        }
                        d = d
                            .succ_opt()
                            .expect("working-day count runs past the last date");
                    }
                }
            }
        }
        WorkingDayResult {
            date: d,
            used_fallback_years,
        }
    }

    /// Counts working days in the half-open interval after `from` up to and including `to`:
    ///
    /// - `to > from`: the number of working days `d` with `from < d <= to` (≥ 0);
    /// - `to == from`: 0;
    /// - `to < from`: minus the number of working days `d` with `to < d <= from` (≤ 0).
    ///
    /// So `working_days_between(s, add_working_days(s, n).date) == n`, and swapping the
    /// arguments negates the result. For example the working days left until a deadline are
    /// `working_days_between(today, deadline)`: 0 on the deadline day itself, negative once it
    /// has passed (−1 the first working day after it).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to >= from {
            self.count_after(from, to)
        } else {
            -self.count_after(to, from)
        }
    }

    /// The uncovered years whose days [`working_days_between`](Self::working_days_between)
    /// would count on weekdays alone for the same arguments, ascending.
    pub fn fallback_years_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        let (a, b) = if to >= from { (from, to) } else { (to, from) };
        if a == b {
            return Vec::new();
        }
        let first = a.succ_opt().map_or(b.year(), |d| d.year());
        (first..=b.year()).filter(|y| !self.covers(*y)).collect()
    }

    /// Working days in `year` (Monday–Friday alone for an uncovered year).
    pub fn working_days_in_year(&self, year: i32) -> u32 {
        match self.years.get(&year) {
            Some(y) => y.working_days(),
            None => year_days(year).filter(|d| is_weekday(*d)).count() as u32,
        }
    }

    /// Where the files of neighbouring covered years disagree about a day: a block or workday
    /// in the file of year Y reaching a day of year Y±1 that the Y±1 file treats differently
    /// (the Y±1 file wins; this only reports). Empty for the shipped calendars.
    pub fn cross_year_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (&year, index) in &self.years {
            for block in &index.source.holidays {
                let mut d = block.from;
                while d <= block.to {
                    if d.year() != year {
                        if let Some(other) = self.years.get(&d.year()) {
                            if other.is_working_day(d) {
                                problems.push(zh_en!(
                                    format!(
                                        "`{year}.yaml` 把 `{d}` 算在假期 `{name}` 中，但决定 {y2} 年的 `{y2}.yaml` 把这天算作工作日",
                                        name = block.name,
                                        y2 = d.year()
                                    ),
                                    format!(
                                        "{year}.yaml puts {d} in holiday {name:?}, but {y2}.yaml, which decides {y2}, treats it as a working day",
                                        name = block.name,
                                        y2 = d.year()
                                    )
                                ));
                            }
                        }
                    }
                    match d.succ_opt() {
                        Some(next) => d = next,
                        None => break,
                    }
                }
            }
            for &d in &index.source.workdays {
                if d.year() != year {
                    if let Some(other) = self.years.get(&d.year()) {
                        if !other.is_working_day(d) {
                            problems.push(zh_en!(
                                format!(
                                    "`{year}.yaml` 把 `{d}` 列为调休上班日，但决定 {y2} 年的 `{y2}.yaml` 把这天算作休息日",
                                    y2 = d.year()
                                ),
                                format!(
                                    "{year}.yaml lists {d} as a workday, but {y2}.yaml, which decides {y2}, treats it as a day off",
                                    y2 = d.year()
                                )
                            ));
                        }
                    }
                }
            }
        }
        problems
    }

    /// Counts working days `d` with `after < d <= until` (`after <= until`), a year at a time.
    fn count_after(&self, after: NaiveDate, until: NaiveDate) -> i64 {
        let mut count = 0;
        let mut d = after;
        while d < until {
            let Some(first) = d.succ_opt() else { break };
            let last = last_day_of(first.year()).min(until);
            count += match self.years.get(&first.year()) {
                Some(y) => i64::from(y.count(first, last)),
                None => weekdays(first, last),
            };
            d = last;
        }
        count
    }
}

/// The last day of `year` (the last date there is, for the last year there is).
fn last_day_of(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Monday–Friday among the days `from..=to` (`from` not after `to`).
fn weekdays(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days() + 1;
    let (weeks, rest) = (days / 7, days % 7);
    let start = i64::from(from.weekday().num_days_from_monday());
    // Of the `rest` days after the whole weeks, those falling Monday to Friday.
    let tail = (0..rest).filter(|i| (start + i) % 7 < 5).count() as i64;
    weeks * 5 + tail
}

/// Problems in one year's calendar file, as sentences in the language of messages (empty
/// when fine):
/// a workday that is not a Saturday or Sunday, a workday inside a holiday block, a duplicate
/// or far-away workday, a block with `from` after `to`, a block with no day in `year`, a block
/// reaching outside `year - 1 ..= year + 1`, overlapping blocks, an empty block name.
pub fn validate_year(year: i32, cal: &CalendarYear) -> Vec<String> {
    let mut problems = Vec::new();
    let near = (year - 1)..=(year + 1);

    for (i, block) in cal.holidays.iter().enumerate() {
        let label = zh_en!(
            format!(
                "假期 `{}`（`{}` 至 `{}`）",
                block.name, block.from, block.to
            ),
            format!("holiday {:?} ({} to {})", block.name, block.from, block.to)
        );
        if block.name.trim().is_empty() {
            problems.push(zh_en!(
                format!("{label}：名称为空"),
                format!("{label}: the name is empty")
            ));
        }
        if block.from > block.to {
            problems.push(zh_en!(
                format!("{label}：开始日期晚于结束日期"),
                format!("{label}: starts after it ends")
            ));
            continue;
        }
        if !near.contains(&block.from.year()) || !near.contains(&block.to.year()) {
            problems.push(zh_en!(
                format!("{label}：超出了 {}—{} 年的范围", year - 1, year + 1),
                format!("{label}: reaches outside {}–{}", year - 1, year + 1)
            ));
        } else if block.to.year() < year || block.from.year() > year {
            problems.push(zh_en!(
                format!("{label}：没有一天在 {year} 年，本文件决定不了其中任何一天"),
                format!(
                    "{label}: has no day in {year}, so this file does not decide any of its days"
                )
            ));
        }
        for other in &cal.holidays[i + 1..] {
            if other.from <= other.to && block.from <= other.to && other.from <= block.to {
                problems.push(zh_en!(
                    format!(
                        "{label}与假期 `{}`（`{}` 至 `{}`）重叠",
                        other.name, other.from, other.to
                    ),
                    format!(
                        "{label} overlaps holiday {:?} ({} to {})",
                        other.name, other.from, other.to
                    )
                ));
            }
        }
    }

    for (i, &d) in cal.workdays.iter().enumerate() {
        if is_weekday(d) {
            problems.push(zh_en!(
                format!(
                    "调休上班日 `{d}` 是{}，不是星期六或星期日（星期一至星期五本来就上班）",
                    weekday_zh(d.weekday())
                ),
                format!(
                    "workday {d} is a {}, not a Saturday or Sunday (weekdays are working days already)",
                    weekday_name(d.weekday())
                )
            ));
        }
        if !near.contains(&d.year()) {
            problems.push(zh_en!(
                format!("调休上班日 `{d}` 超出了 {}—{} 年的范围", year - 1, year + 1),
                format!("workday {d} lies outside {}–{}", year - 1, year + 1)
            ));
        }
        if cal.workdays[..i].contains(&d) {
            problems.push(zh_en!(
                format!("调休上班日 `{d}` 写了两次"),
                format!("workday {d} is listed twice")
            ));
        }
        if let Some(block) = cal.holidays.iter().find(|b| b.from <= d && d <= b.to) {
            problems.push(zh_en!(
                format!(
                    "调休上班日 `{d}` 落在假期 `{}`（`{}` 至 `{}`）之内",
                    block.name, block.from, block.to
                ),
                format!(
                    "workday {d} lies inside holiday {:?} ({} to {})",
                    block.name, block.from, block.to
                )
            ));
        }
    }
    problems
}

/// Today's date in China Standard Time (UTC+8), whatever the machine's time zone.
pub fn today_utc8() -> NaiveDate {
    date_utc8(Utc::now())
}

/// The China Standard Time (UTC+8) date of an instant.
pub fn date_utc8(instant: DateTime<Utc>) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    instant.with_timezone(&cst).date_naive()
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The weekday as officers name it: 星期一 … 星期日.
pub fn weekday_zh(w: Weekday) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][w.num_days_from_monday() as usize]
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn days_in_year(year: i32) -> u32 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// Every date of `year`, in order.
fn year_days(year: i32) -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    first
        .into_iter()
        .flat_map(|d| d.iter_days())
        .take_while(move |d| d.year() == year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The rules counted day by day, as they are written: what the year-at-a-time counts
    /// must answer.
    fn add_day_by_day(cal: &Calendar, start: NaiveDate, n: u32) -> WorkingDayResult {
        let (mut d, mut left, mut fallback) = (start, n, Vec::new());
        while left > 0 {
            d = d.succ_opt().unwrap();
            if !cal.covers(d.year()) && fallback.last() != Some(&d.year()) {
                fallback.push(d.year());
            }
            left -= u32::from(cal.is_working_day(d));
        }
        WorkingDayResult {
            date: d,
            used_fallback_years: fallback,
        }
    }

    fn between_day_by_day(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let days = a.iter_days().skip(1).take_while(|d| *d <= b);
        sign * days.filter(|d| cal.is_working_day(*d)).count() as i64
    }

    proptest::proptest! {
        #[test]
        fn counts_a_year_at_a_time_agree_with_counting_day_by_day(
            start in 0i64..11_000,
            span in -3_000i64..3_000,
            n in 0u32..700,
        ) {
            // Covered 2008–2026 and 2030, with years before, between and after on weekdays.
            let later = CalendarYear::from_yaml(
                "holidays:\n  - {name: 国庆节, from: 2030-10-01, to: 2030-10-07}\nworkdays: [2030-09-29, 2030-10-12]\n",
            )
            .unwrap();
            let cal = Calendar::official().with_overrides([(2030, later)]);
            let start = d("2004-01-01") + chrono::Duration::days(start);
            let other = start + chrono::Duration::days(span);
            proptest::prop_assert_eq!(cal.add_working_days(start, n), add_day_by_day(&cal, start, n));
            proptest::prop_assert_eq!(
                cal.working_days_between(start, other),
                between_day_by_day(&cal, start, other)
            );
        }
    }

    #[test]
    fn working_day_sums_worked_by_hand() {
        let cal = Calendar::official();
        for (start, n, expected) in [
            ("2026-02-10", 20, "2026-03-16"),
            ("2026-02-10", 40, "2026-04-14"),
            ("2025-09-26", 20, "2025-10-30"),
            ("2025-01-20", 20, "2025-02-21"),
            ("2025-12-31", 20, "2026-01-29"),
            ("2024-09-27", 20, "2024-10-30"),
            ("2023-12-29", 20, "2024-01-29"),
            ("2024-02-08", 7, "2024-02-23"),
            ("2026-09-18", 7, "2026-09-29"),
        ] {
            let r = cal.add_working_days(d(start), n);
            assert_eq!(r.date, d(expected), "{start} + {n} WD");
            assert!(r.is_exact(), "{start} + {n} WD used fallback years");
            assert_eq!(cal.working_days_between(d(start), r.date), i64::from(n));
            assert_eq!(cal.working_days_between(r.date, d(start)), -i64::from(n));
        }
    }

    #[test]
    fn working_days_per_year() {
        let cal = Calendar::official();
        // 2020–2022 computed from the shipped files (2020 includes the
        // Spring Festival extension, which removed the 2020-02-01 make-up Saturday).
        assert_eq!(cal.working_days_in_year(2020), 249);
        assert_eq!(cal.working_days_in_year(2021), 250);
        assert_eq!(cal.working_days_in_year(2022), 249);
        assert_eq!(cal.working_days_in_year(2023), 249);
        assert_eq!(cal.working_days_in_year(2024), 251);
        assert_eq!(cal.working_days_in_year(2025), 248);
        assert_eq!(cal.working_days_in_year(2026), 248);
        // Uncovered: weekdays alone (2007 has 261 weekdays).
        assert_eq!(cal.working_days_in_year(2007), 261);
    }

    #[test]
    fn shipped_years_validate() {
        let cal = Calendar::official();
        assert_eq!(
            cal.years().collect::<Vec<_>>(),
            (2008..=2026).collect::<Vec<_>>()
        );
        for year in cal.years() {
            let problems = validate_year(year, cal.year(year).unwrap());
            assert!(problems.is_empty(), "{year}: {problems:?}");
        }
        assert_eq!(cal.cross_year_problems(), Vec::<String>::new());
    }

    #[test]
    fn adjusted_days() {
        let cal = Calendar::official();
        // Sunday and Saturday make-up days around 国庆/中秋 2025.
        assert!(cal.is_working_day(d("2025-09-28")));
        assert!(cal.is_working_day(d("2025-10-11")));
        assert!(!cal.is_working_day(d("2025-10-08")));
        assert_eq!(cal.holiday_name(d("2025-10-08")), Some("国庆节、中秋节"));
        assert_eq!(cal.holiday_name(d("2025-10-09")), None);
        // 2020: the extension cancelled the 2020-02-01 make-up Saturday.
        assert!(!cal.is_working_day(d("2020-01-31")));
        assert!(!cal.is_working_day(d("2020-02-01")));
        assert!(cal.is_working_day(d("2020-02-03")));
        // A make-up Saturday for the 2012 New Year, in 2011: the 2011 file decides it.
        assert!(cal.is_working_day(d("2011-12-31")));
        // 2015: Victory Day exchanged Friday 09-04 for Sunday 09-06.
        assert!(!cal.is_working_day(d("2015-09-04")));
        assert!(cal.is_working_day(d("2015-09-06")));
        // From 2014 除夕 is no longer part of the Spring Festival holiday.
        assert!(cal.is_working_day(d("2014-01-30")));
        // The 2023 New Year block starts in 2022 and is decided by the 2022 file.
        assert_eq!(cal.holiday_name(d("2022-12-31")), Some("元旦"));
        assert!(!cal.is_working_day(d("2023-01-02")));
    }

    #[test]
    fn zero_and_same_day() {
        let cal = Calendar::official();
        let sunday = d("2025-02-02");
        assert_eq!(cal.add_working_days(sunday, 0).date, sunday);
        assert_eq!(cal.working_days_between(sunday, sunday), 0);
        // A make-up Sunday counts: 2025-01-25 (Sat) → 2025-01-26 (Sun, 调休上班).
        assert_eq!(
            cal.add_working_days(d("2025-01-25"), 1).date,
            d("2025-01-26")
        );
    }

    #[test]
    fn validate_finds_problems() {
        let bad = CalendarYear {
            holidays: vec![
                Holiday {
                    name: "春节".into(),
                    from: d("2025-01-28"),
                    to: d("2025-02-04"),
                },
                Holiday {
                    name: "重叠".into(),
                    from: d("2025-02-03"),
                    to: d("2025-02-05"),
                },
                Holiday {
                    name: "倒置".into(),
                    from: d("2025-05-05"),
                    to: d("2025-05-01"),
                },
                Holiday {
                    name: "远".into(),
                    from: d("2027-01-01"),
                    to: d("2027-01-02"),
                },
            ],
            workdays: vec![
                d("2025-01-27"),
                d("2025-02-08"),
                d("2025-02-08"),
                d("2025-02-01"),
            ],
        };
        let problems = validate_year(2025, &bad);
        let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
        // In-process messages are Chinese unless English is asked for.
        assert!(has("重叠"), "{problems:?}");
        assert!(has("开始日期晚于结束日期"), "{problems:?}");
        assert!(has("超出了 2024—2026 年的范围"), "{problems:?}");
        assert!(has("`2025-01-27` 是星期一"), "{problems:?}");
        assert!(has("写了两次"), "{problems:?}");
        assert!(has("`2025-02-01` 落在假期"), "{problems:?}");
        assert_eq!(problems.len(), 6, "{problems:?}");
    }

    #[test]
    fn utc8_date() {
        // 2026-01-31 17:30 UTC is 2026-02-01 01:30 in Beijing.
        let instant: DateTime<Utc> = "2026-01-31T17:30:00Z".parse().unwrap();
        assert_eq!(date_utc8(instant), d("2026-02-01"));
        let instant: DateTime<Utc> = "2026-01-31T15:59:59Z".parse().unwrap();
        assert_eq!(date_utc8(instant), d("2026-01-31"));
        let before = Utc::now();
        let today = today_utc8();
        let after = Utc::now();
        assert!(today == date_utc8(before) || today == date_utc8(after));
    }
}
