//! Rows of several dates: parsing the date column, ids unique within a date, the latest date's
//! rows as the current sample, and the pairs of grades a migration matrix counts.

use std::collections::HashMap;

use kd::core::Error;
use kd::core::data::Table;
use time::{Date, Month};

use super::super::columns::invalid_value;
use kd::hypotheses::validation::scale::labels;

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

/// Checks that no id repeats within a date (or within the file, without dates), naming both
/// lines of the first repeat.
pub fn unique_ids(
    table: &Table,
    column: &str,
    rows: &[usize],
    dates: Option<&[Date]>,
) -> Result<Vec<String>, Error> {
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

/// The pairs `(grade before, grade now)` of the ids found in both snapshots.
pub fn pairs(
    before: &[String],
    before_grade: &[usize],
    now: &[String],
    now_grade: &[usize],
) -> (Vec<usize>, Vec<usize>) {
    let index: HashMap<&str, usize> =
        before.iter().map(String::as_str).zip(before_grade.iter().copied()).collect();
    now.iter().zip(now_grade).filter_map(|(id, &g)| index.get(id.as_str()).map(|&b| (b, g))).unzip()
}
