//! Rows of several dates (a panel, as a bank's monthly or yearly snapshots stack them): the
//! date column parsed, ids unique within a date, the latest date's rows as the current sample,
//! each row's cohort for the long-run average, and the pairs of grades a migration matrix
//! counts, from the date before the latest or from an earlier snapshot. Errors name the file (or
//! frame), the line and the column (kd-core's, but for the long-run average's own).

use std::collections::HashMap;

use kd_core::data::Table;
use kd_core::data::columns::{ensure_probabilities, invalid_value, numbers, outcomes};
use kd_core::{Error, ensure_same_len};
use ndarray::Array2;
use time::{Date, Month};

use super::cite::{self, Cited, cite};
use super::scale::{Scale, labels};
use super::{LongRunAverage, long_run_average};

/// A calendar date `YYYY-MM-DD`, checked by the `time` crate (so `2023-02-30` is refused).
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// The date of every row of `column` at `rows`, or an error naming the first that does not parse.
pub fn dates(table: &Table, column: &str, rows: &[usize]) -> Result<Vec<Date>, Error> {
    let text = labels(table, column, rows)?;
    text.iter()
        .zip(rows)
        .map(|(t, &row)| {
            parse_date(t)
                .ok_or_else(|| invalid_value(table, column, row, format!("'{t}' is not a date (YYYY-MM-DD)")))
        })
        .collect()
}

/// The ids of `column` at `rows`, checked to repeat within no date (within the file, without
/// dates), naming both lines of the first repeat.
pub fn unique_ids(
    table: &Table,
    column: &str,
    rows: &[usize],
    dates: Option<&[Date]>,
) -> Result<Vec<String>, Error> {
    if let Some(dates) = dates {
        ensure_same_len("the ids' rows and their dates", rows.len(), dates.len())?;
    }
    let ids = labels(table, column, rows)?;
    let mut seen: HashMap<(Option<Date>, &str), usize> = HashMap::new();
    for (k, (id, &row)) in ids.iter().zip(rows).enumerate() {
        let date = dates.map(|d| d[k]);
        if let Some(first) = seen.insert((date, id.as_str()), row) {
            let when = date.map_or(String::new(), |d| format!(" on {d}"));
            return Err(invalid_value(
                table,
                column,
                row,
                format!("id '{id}' repeats{when}: it is also on line {}", table.line_of(first)),
            ));
        }
    }
    Ok(ids)
}

/// The grades of the ids found in two snapshots: `(grades before, grades now)`, id by id.
pub type GradePairs = (Vec<usize>, Vec<usize>);

/// The pairs `(grade before, grade now)` of the ids found in both snapshots (`before` and
/// `before_grade` of one length, `now` and `now_grade` of another).
pub fn pairs(
    before: &[String],
    before_grade: &[usize],
    now: &[String],
    now_grade: &[usize],
) -> Result<GradePairs, Error> {
    ensure_same_len("the earlier snapshot's ids and grades", before.len(), before_grade.len())?;
    ensure_same_len("the current ids and grades", now.len(), now_grade.len())?;
    let index: HashMap<&str, usize> =
        before.iter().map(String::as_str).zip(before_grade.iter().copied()).collect();
    Ok(now.iter().zip(now_grade).filter_map(|(id, &g)| index.get(id.as_str()).map(|&b| (b, g))).unzip())
}

/// The migration to the current rows (`now_ids`, graded `now_grade` on `scale`) from an
/// earlier snapshot in its own table: its ids (`id`, unique) and grades (`grade`, labels of
/// the scale) at `rows`.
pub fn snapshot_pairs(
    earlier: &Table,
    id: &str,
    grade: &str,
    rows: &[usize],
    scale: &Scale,
    now_ids: &[String],
    now_grade: &[usize],
) -> Result<GradePairs, Error> {
    let before_ids = unique_ids(earlier, id, rows, None)?;
    let before_grade = scale.codes(&labels(earlier, grade, rows)?, earlier, grade, rows)?;
    pairs(&before_ids, &before_grade, now_ids, now_grade)
}

/// The fewest days between two dates that are periods of a one-year PD's multi-period bounds.
pub const MIN_PERIOD_DAYS: i64 = 360;

/// The most the gaps between such dates may differ, in days.
pub const PERIOD_SPREAD_DAYS: i64 = 31;

/// The dates of a panel's rows (at least one row, each date parsed).
#[derive(Debug, Clone)]
pub struct Panel {
    /// The rows read, in the table's order.
    rows: Vec<usize>,
    /// Each of those rows' date.
    dates: Vec<Date>,
    /// The distinct dates, ascending: the cohorts.
    cohorts: Vec<Date>,
    /// Each row's cohort: an index into `cohorts`.
    cohort_of_row: Vec<usize>,
    /// The latest date.
    latest: Date,
}

impl Panel {
    /// Reads `table`'s date `column` at `rows` (at least one).
    pub fn read(table: &Table, column: &str, rows: &[usize]) -> Result<Self, Error> {
        let dates = dates(table, column, rows)?;
        let mut cohorts = dates.clone();
        cohorts.sort();
        cohorts.dedup();
        let Some(&latest) = cohorts.last() else {
            return Err(Error::TooFewRows { what: "a panel (rows with a date)".into(), needed: 1, found: 0 });
        };
        let cohort_of_row = dates.iter().map(|d| cohorts.partition_point(|c| c < d)).collect();
        Ok(Self { rows: rows.to_vec(), dates, cohorts, cohort_of_row, latest })
    }

    /// The latest date.
    pub fn latest(&self) -> Date {
        self.latest
    }

    /// The date before the latest, when there is one.
    pub fn previous(&self) -> Option<Date> {
        self.cohorts.len().checked_sub(2).map(|k| self.cohorts[k])
    }

    /// The rows on `date`.
    pub fn rows_on(&self, date: Date) -> Vec<usize> {
        self.rows.iter().zip(&self.dates).filter(|(_, d)| **d == date).map(|(&r, _)| r).collect()
    }

    /// The cohorts' names (`YYYY-MM-DD`).
    pub fn cohort_labels(&self) -> Vec<String> {
        self.cohorts.iter().map(ToString::to_string).collect()
    }

    /// The long-run average default rate over the cohorts (every row of every date), from the
    /// PD column `score` and the 0/1 column `outcome`, against `target` or each cohort's mean PD.
    pub fn long_run(
        &self,
        table: &Table,
        score: &str,
        outcome: &str,
        target: Option<f64>,
    ) -> crate::Result<Cited<LongRunAverage>> {
        let pd = numbers(table, score, &self.rows)?;
        let default = outcomes(table, outcome, &self.rows)?;
        ensure_probabilities(table, score, &self.rows, &pd, "cohort PDs")?;
        let figure = long_run_average(&default, &pd, &self.cohort_of_row, &self.cohort_labels(), target)?;
        Ok(cite(figure, cite::LONG_RUN))
    }

    /// Why the cohorts cannot be the periods of a one-year PD's multi-period bounds, if they
    /// cannot: two dates less than [`MIN_PERIOD_DAYS`] apart (their cohorts' default windows
    /// overlap, counting an obligor and its default more than once), or gaps between dates that
    /// differ by more than [`PERIOD_SPREAD_DAYS`] (a factor correlation per period needs
    /// periods of one length).
    pub fn yearly_refusal(&self) -> Option<String> {
        let gaps: Vec<(i64, Date, Date)> =
            self.cohorts.windows(2).map(|w| ((w[1] - w[0]).whole_days(), w[0], w[1])).collect();
        if let Some((days, a, b)) = gaps.iter().find(|(days, ..)| *days < MIN_PERIOD_DAYS) {
            return Some(format!(
                "the dates {a} and {b} are {days} days apart: the cohorts of one-year PDs overlap below {MIN_PERIOD_DAYS} days, counting obligors and defaults twice"
            ));
        }
        let shortest = gaps.iter().map(|g| g.0).min()?;
        let longest = gaps.iter().map(|g| g.0).max()?;
        (longest - shortest > PERIOD_SPREAD_DAYS).then(|| {
            format!(
                "the dates are {shortest} to {longest} days apart: the factor's correlation is per period, so the periods must be of one length (within {PERIOD_SPREAD_DAYS} days)"
            )
        })
    }

    /// Obligors and defaults by cohort and grade (`cohorts × grades`), every row of every date
    /// counted, the grades read from `grade_column` on `scale` and the defaults from the 0/1
    /// column `outcome`: the pools of Pluto–Tasche's multi-period bounds.
    pub fn counts_by_cohort(
        &self,
        table: &Table,
        outcome: &str,
        grade_column: &str,
        scale: &Scale,
    ) -> Result<(Array2<usize>, Array2<usize>), Error> {
        let default = outcomes(table, outcome, &self.rows)?;
        let grade =
            scale.codes(&labels(table, grade_column, &self.rows)?, table, grade_column, &self.rows)?;
        let shape = (self.cohorts.len(), scale.grades.len());
        let (mut obligors, mut defaults) = (Array2::zeros(shape), Array2::zeros(shape));
        for ((&c, &g), &y) in self.cohort_of_row.iter().zip(&grade).zip(&default) {
            obligors[[c, g]] += 1;
            defaults[[c, g]] += usize::from(y);
        }
        Ok((obligors, defaults))
    }

    /// The ids of every row (checked by [`unique_ids`] within each date).
    pub fn ids(&self, table: &Table, column: &str) -> Result<Vec<String>, Error> {
        unique_ids(table, column, &self.rows, Some(&self.dates))
    }

    /// The migration from the date before the latest to the latest: `(grade before, grade
    /// now)` of the ids on both dates, the grades read from `grade_column` on `scale`; `None`
    /// with a single date. `ids` are [`Panel::ids`].
    pub fn migration(
        &self,
        table: &Table,
        ids: &[String],
        grade_column: &str,
        scale: &Scale,
    ) -> Result<Option<GradePairs>, Error> {
        if ids.len() != self.rows.len() {
            return Err(Error::ShapeMismatch {
                context: "the panel's ids".into(),
                expected: format!("{} ids", self.rows.len()),
                got: ids.len().to_string(),
            });
        }
        let Some(previous) = self.previous() else { return Ok(None) };
        let snapshot = |date: Date| -> Result<(Vec<String>, Vec<usize>), Error> {
            let on = |k: usize| self.dates[k] == date;
            let rows: Vec<usize> = (0..self.rows.len()).filter(|&k| on(k)).map(|k| self.rows[k]).collect();
            let names: Vec<String> =
                (0..self.rows.len()).filter(|&k| on(k)).map(|k| ids[k].clone()).collect();
            let codes = scale.codes(&labels(table, grade_column, &rows)?, table, grade_column, &rows)?;
            Ok((names, codes))
        };
        let (before_ids, before_grade) = snapshot(previous)?;
        let (now_ids, now_grade) = snapshot(self.latest())?;
        Ok(Some(pairs(&before_ids, &before_grade, &now_ids, &now_grade)?))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use kd_core::data::{ReadOptions, table_from_cells};

    use super::*;
    use crate::validation::scale::OrderSource;

    /// Three dates; ids 1 and 2 on the first two, id 3 only on the last.
    fn panel_table() -> Result<Table, Error> {
        let column = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let names = column(&["id", "date", "grade", "default"]);
        let cells = vec![
            column(&["1", "2", "1", "2", "1", "2", "3"]),
            column(&[
                "2022-12-31",
                "2022-12-31",
                "2021-12-31",
                "2021-12-31",
                "2023-12-31",
                "2023-12-31",
                "2023-12-31",
            ]),
            column(&["A", "B", "A", "A", "B", "B", "A"]),
            column(&["0", "1", "0", "0", "1", "0", "0"]),
        ];
        let options = ReadOptions { categorical: column(&["id", "date", "grade"]), ..ReadOptions::default() };
        table_from_cells(Path::new("panel"), names, cells, (2..=8).collect(), &options)
    }

    #[test]
    fn the_latest_date_is_current_and_grades_migrate_from_the_date_before() -> Result<(), Error> {
        let table = panel_table()?;
        let all: Vec<usize> = (0..7).collect();
        let panel = Panel::read(&table, "date", &all)?;
        assert_eq!(panel.cohort_labels(), ["2021-12-31", "2022-12-31", "2023-12-31"]);
        assert_eq!(panel.cohort_of_row, [1, 1, 0, 0, 2, 2, 2]);
        assert_eq!(panel.rows_on(panel.latest()), [4, 5, 6]);
        assert_eq!(panel.previous().map(|d| d.to_string()).as_deref(), Some("2022-12-31"));
        let ids = panel.ids(&table, "id")?;
        let scale = Scale { grades: vec!["A".into(), "B".into()], order: OrderSource::Given };
        // Ids 1 (A → B) and 2 (B → B) are on both dates; id 3 is new.
        assert_eq!(panel.migration(&table, &ids, "grade", &scale)?, Some((vec![0, 1], vec![1, 1])));
        assert!(panel.migration(&table, &ids[1..], "grade", &scale).is_err(), "ids of every row");
        Ok(())
    }

    #[test]
    fn every_date_counts_its_obligors_and_defaults_by_grade() -> Result<(), Error> {
        let table = panel_table()?;
        let panel = Panel::read(&table, "date", &(0..7).collect::<Vec<_>>())?;
        let scale = Scale { grades: vec!["A".into(), "B".into()], order: OrderSource::Given };
        let (n, d) = panel.counts_by_cohort(&table, "default", "grade", &scale)?;
        // 2021: A, A; 2022: A, B (B defaulted); 2023: B (defaulted), B, A.
        assert_eq!(n, ndarray::array![[2, 0], [1, 1], [1, 2]]);
        assert_eq!(d, ndarray::array![[0, 0], [0, 1], [0, 1]]);
        assert_eq!(panel.yearly_refusal(), None, "year ends a year apart");
        Ok(())
    }

    #[test]
    fn overlapping_or_uneven_dates_are_no_periods() -> Result<(), Error> {
        let column = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let panel = |dates: &[&str]| -> Result<Option<String>, Error> {
            let options = ReadOptions { categorical: column(&["date"]), ..ReadOptions::default() };
            let lines = (2..2 + dates.len() as u64).collect();
            let table = table_from_cells(
                Path::new("panel"),
                column(&["date"]),
                vec![column(dates)],
                lines,
                &options,
            )?;
            Ok(Panel::read(&table, "date", &(0..dates.len()).collect::<Vec<_>>())?.yearly_refusal())
        };
        let quarterly = panel(&["2022-12-31", "2023-03-31"])?.unwrap_or_default();
        assert!(quarterly.contains("2022-12-31 and 2023-03-31 are 90 days apart"), "{quarterly}");
        let uneven = panel(&["2020-12-31", "2021-12-31", "2023-12-31"])?.unwrap_or_default();
        assert!(uneven.contains("365 to 730 days apart"), "{uneven}");
        assert_eq!(panel(&["2020-12-31", "2021-12-31", "2022-12-31"])?, None);
        assert_eq!(panel(&["2020-12-31"])?, None, "one date: one period");
        Ok(())
    }

    #[test]
    fn a_repeated_id_and_an_impossible_date_name_their_lines() -> Result<(), Error> {
        let table = panel_table()?;
        let all: Vec<usize> = (0..7).collect();
        let repeat = unique_ids(&table, "id", &all, None).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            repeat,
            Err("panel, line 4, column 1 ('id'): id '1' repeats: it is also on line 2".into())
        );
        assert!(parse_date("2023-02-30").is_none() && parse_date("2023-2-28").is_none());
        assert!(parse_date("2024-02-29").is_some());
        Ok(())
    }
}

/// The rows a validation reads, with its date and id columns when named: the current sample
/// (the latest date's rows, or every row), the panel of dates, and each row's id (checked
/// unique within a date). `kd validate` and the Python binding read their inputs through it.
#[derive(Debug, Clone)]
pub struct SampleRows {
    all: Vec<usize>,
    panel: Option<Panel>,
    latest: Option<Vec<usize>>,
    ids: Option<Vec<String>>,
}

impl SampleRows {
    /// The rows `all` of `table` (complete rows, in file order), read with the `date` and `id`
    /// columns when named. Errors: a cell that is not a date, an id twice within a date.
    pub fn read(table: &Table, all: Vec<usize>, date: Option<&str>, id: Option<&str>) -> Result<Self, Error> {
        let panel = date.map(|column| Panel::read(table, column, &all)).transpose()?;
        let latest = panel.as_ref().map(|p| p.rows_on(p.latest()));
        let ids = match (id, &panel) {
            (Some(column), Some(panel)) => Some(panel.ids(table, column)?),
            (Some(column), None) => Some(unique_ids(table, column, &all, None)?),
            (None, _) => None,
        };
        Ok(Self { all, panel, latest, ids })
    }

    /// The current sample: the latest date's rows (all rows without dates).
    pub fn current(&self) -> &[usize] {
        self.latest.as_deref().unwrap_or(&self.all)
    }

    /// The dates, with a date column.
    pub fn panel(&self) -> Option<&Panel> {
        self.panel.as_ref()
    }

    /// The grade pairs of the migration matrix to the current rows (graded `now` on `scale`
    /// from `grade`): from the `earlier` snapshot — its name in the report, its table, id
    /// column and rows — or else from the date before the latest, with where they come from
    /// (the snapshot's name or that date); `None` without ids, or without a snapshot or a
    /// second date.
    pub fn migration(
        &self,
        table: &Table,
        grade: &str,
        scale: &Scale,
        now: &[usize],
        earlier: Option<(&str, &Table, &str, &[usize])>,
    ) -> Result<Option<(String, GradePairs)>, Error> {
        let Some(ids) = &self.ids else { return Ok(None) };
        if let Some((name, before, id, rows)) = earlier {
            let position: HashMap<usize, usize> = self.all.iter().enumerate().map(|(k, &r)| (r, k)).collect();
            let now_ids: Vec<String> = self
                .current()
                .iter()
                .filter_map(|r| position.get(r).and_then(|&k| ids.get(k)).cloned())
                .collect();
            let pairs = snapshot_pairs(before, id, grade, rows, scale, &now_ids, now)?;
            return Ok(Some((name.to_owned(), pairs)));
        }
        let Some(panel) = &self.panel else { return Ok(None) };
        let pairs = panel.migration(table, ids, grade, scale)?;
        Ok(pairs.zip(panel.previous()).map(|(pairs, date)| (date.to_string(), pairs)))
    }
}
