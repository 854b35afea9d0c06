//! [`Inputs`]: the tables a validation reads, checked and resolved once — the complete rows
//! (or the refusal of an incomplete one), the current sample (the latest date's rows), the
//! cohorts and ids, the rating scale and each row's grade, the baseline's usable rows and
//! grades, and the grade pairs of the migration from an earlier snapshot or the previous date.

use kd_core::data::Table;
use kd_core::data::columns::{complete_rows_or, numbers};

use super::request::Request;
use crate::error::{Result, invalid_parameter};
use crate::validation::panel::{Panel, SampleRows};
use crate::validation::scale::{Scale, labels};

/// The baseline (the sample at initial validation) with its usable rows.
#[derive(Debug)]
pub struct Baseline {
    /// Its table.
    pub table: Table,
    /// Its rows with every used column present.
    pub rows: Vec<usize>,
    /// Grade codes on the current scale, with a grade column.
    pub grade: Option<Vec<usize>>,
    /// Whether it holds the outcome column.
    pub has_outcome: bool,
}

/// Everything a report reads.
#[derive(Debug)]
pub struct Inputs {
    /// The current data.
    pub table: Table,
    /// Complete rows of every date, the current sample, the dates and the ids.
    rows: SampleRows,
    /// The rating scale, with a grade column.
    pub scale: Option<Scale>,
    /// Grade codes of the current rows.
    pub grade: Option<Vec<usize>>,
    /// The baseline.
    pub baseline: Option<Baseline>,
    /// `(from, to)` grade codes of the ids in the earlier snapshot and the current sample.
    pub migration: Option<(Vec<usize>, Vec<usize>)>,
    /// What the earlier snapshot was: a table's name or a date.
    pub migration_from: Option<String>,
}

/// The rows of `table` with every one of `columns` present; an incomplete row is refused,
/// naming its line and column and how to drop such rows, unless `request.drop_missing`.
fn complete(table: &Table, columns: &[&str], request: &Request) -> Result<Vec<usize>> {
    let hint =
        format!("missing value (pass {} to drop such rows)", request.spelling.setting("missing", "drop"));
    Ok(complete_rows_or(table, columns, request.drop_missing, &hint)?)
}

impl Inputs {
    /// Reads and checks `table` for `request`, with the `baseline` and the `previous` snapshot
    /// (same id and grade columns) when given.
    ///
    /// # Errors
    /// A missing column, an incomplete row (unless dropped), a date that does not parse, an id
    /// repeated within a date, a grade not on the scale; a previous snapshot without ids and
    /// grades.
    pub fn new(
        request: &Request,
        table: Table,
        baseline: Option<Table>,
        previous: Option<Table>,
    ) -> Result<Self> {
        let all = complete(&table, &request.used_columns(), request)?;
        let rows = SampleRows::read(&table, all, request.date.as_deref(), request.id.as_deref())?;
        let current = rows.current();
        let (scale, grade) = match &request.grade {
            None => (None, None),
            Some(column) => {
                let names = labels(&table, column, current)?;
                let score = numbers(&table, &request.score, current)?;
                let scale =
                    Scale::resolve(request.grade_order.as_deref(), &names, &score, &table, column, current)?;
                let codes = scale.codes(&names, &table, column, current)?;
                (Some(scale), Some(codes))
            }
        };
        let baseline = baseline.map(|base| Self::baseline(base, request, scale.as_ref())).transpose()?;
        let mut inputs = Self { table, rows, scale, grade, baseline, migration: None, migration_from: None };
        inputs.migrate(request, previous)?;
        Ok(inputs)
    }

    /// The baseline's usable rows: the score, and the grade, exposure and outcome where asked.
    fn baseline(table: Table, request: &Request, scale: Option<&Scale>) -> Result<Baseline> {
        let has_outcome = table.column(&request.outcome).is_ok();
        let mut used = vec![request.score.as_str()];
        used.extend([&request.grade, &request.exposure].into_iter().flatten().map(String::as_str));
        if has_outcome {
            used.push(&request.outcome);
        }
        let rows = complete(&table, &used, request)?;
        let grade = match (scale, &request.grade) {
            (Some(scale), Some(column)) => {
                Some(scale.codes(&labels(&table, column, &rows)?, &table, column, &rows)?)
            }
            _ => None,
        };
        Ok(Baseline { table, rows, grade, has_outcome })
    }

    /// The grade pairs of the migration matrix: from `previous`, or from the date before the
    /// latest.
    fn migrate(&mut self, request: &Request, previous: Option<Table>) -> Result<()> {
        let (Some(scale), Some(grade), Some(id_column), Some(grade_column)) =
            (&self.scale, &self.grade, &request.id, &request.grade)
        else {
            if previous.is_some() {
                let s = request.spelling;
                return Err(invalid_parameter(
                    &s.name("previous"),
                    format!("a migration matrix needs {} and {}", s.name("id"), s.name("grade")),
                ));
            }
            return Ok(());
        };
        let earlier = match &previous {
            Some(table) => {
                let rows = complete(table, &[id_column, grade_column], request)?;
                Some((table.file().display().to_string(), table, rows))
            }
            None => None,
        };
        let earlier = earlier
            .as_ref()
            .map(|(name, table, rows)| (name.as_str(), *table, id_column.as_str(), rows.as_slice()));
        if let Some((from, pairs)) = self.rows.migration(&self.table, grade_column, scale, grade, earlier)? {
            self.migration = Some(pairs);
            self.migration_from = Some(from);
        }
        Ok(())
    }

    /// The current sample: the latest date's rows (every complete row without dates).
    pub fn current(&self) -> &[usize] {
        self.rows.current()
    }

    /// The dates, with a date column: the cohorts and the current sample's date.
    pub fn panel(&self) -> Option<&Panel> {
        self.rows.panel()
    }

    /// The current sample's date, with a date column.
    pub fn current_date(&self) -> Option<String> {
        self.panel().map(|p| p.latest().to_string())
    }

    /// The current data's name (its file, or what a binding calls it).
    pub fn file(&self) -> String {
        self.table.file().display().to_string()
    }
}
