//! The panel parts of `kd.validate`, as `kd validate --date --id` reads them: the current
//! sample (the latest date's rows), the ids checked unique within a date and the grade
//! migration from the date before the latest (kd-hypotheses' `validation::panel`, which also
//! gives the long-run average over the cohorts).

use kd_core::data::Table;
use kd_hypotheses::validation::panel::{GradePairs, Panel, unique_ids};
use kd_hypotheses::validation::scale::Scale;
use pyo3::PyResult;

use super::value_error;

/// A frame's rows: the current sample and, with a date column, the panel.
pub struct Rows {
    /// The latest date's rows (every row without dates).
    pub current: Vec<usize>,
    /// The dates, with a date column.
    pub panel: Option<Panel>,
    /// The ids of `all`, with an id column.
    pub ids: Option<Vec<String>>,
}

impl Rows {
    /// Reads the `date` and `id` columns of `table`, when named.
    pub fn read(table: &Table, date: Option<&str>, id: Option<&str>) -> PyResult<Self> {
        let all: Vec<usize> = (0..table.n_rows()).collect();
        let panel = date.map(|column| Panel::read(table, column, &all)).transpose().map_err(value_error)?;
        let current = panel.as_ref().map_or_else(|| all.clone(), |p| p.rows_on(p.latest()));
        let ids = match (id, &panel) {
            (Some(column), Some(panel)) => Some(panel.ids(table, column)),
            (Some(column), None) => Some(unique_ids(table, column, &all, None)),
            (None, _) => None,
        };
        Ok(Self { current, panel, ids: ids.transpose().map_err(value_error)? })
    }

    /// The migration from the date before the latest: that date and the grade pairs; `None`
    /// without dates, ids or a second date.
    pub fn migration(
        &self,
        table: &Table,
        grade: &str,
        scale: &Scale,
    ) -> PyResult<Option<(String, GradePairs)>> {
        let (Some(panel), Some(ids)) = (&self.panel, &self.ids) else { return Ok(None) };
        let pairs = panel.migration(table, ids, grade, scale).map_err(value_error)?;
        Ok(pairs.zip(panel.previous()).map(|(pairs, date)| (date.to_string(), pairs)))
    }
}
