//! The panel parts of `kd.validate`, as `kd validate --date --id` reads them: the current
//! sample (the latest date's rows), the ids checked unique within a date and the grade
//! migration from an earlier snapshot's frame or from the date before the latest (kd-hypotheses' `validation::panel`, which also
//! gives the long-run average over the cohorts).

use kd_core::data::Table;
use kd_hypotheses::validation::panel::{GradePairs, Panel, snapshot_pairs, unique_ids};
use kd_hypotheses::validation::scale::Scale;
use pyo3::PyResult;

use super::value_error;

/// The name an earlier snapshot's frame goes by in kd's messages and in the report.
pub const PREVIOUS: &str = "previous data frame";

/// A frame's rows: the current sample and, with a date column, the panel.
pub struct Rows {
    /// The latest date's rows (every row without dates).
    pub current: Vec<usize>,
    /// The dates, with a date column.
    pub panel: Option<Panel>,
    /// The id of every row of the frame (indexed by row), with an id column.
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

    /// The migration to the current rows (graded `now` on `scale`) from the `earlier`
    /// snapshot (a frame with the id column it names and the `grade` column) or else from the
    /// date before the latest: where it migrates from ([`PREVIOUS`] or the date) and
    /// the grade pairs of the ids found in both; `None` without ids, or without an earlier
    /// snapshot or a second date.
    pub fn migration(
        &self,
        table: &Table,
        grade: &str,
        scale: &Scale,
        now: &[usize],
        earlier: Option<(&Table, &str)>,
    ) -> PyResult<Option<(String, GradePairs)>> {
        let Some(ids) = &self.ids else { return Ok(None) };
        if let Some((before, id)) = earlier {
            let rows: Vec<usize> = (0..before.n_rows()).collect();
            let now_ids: Vec<String> = self.current.iter().filter_map(|&r| ids.get(r).cloned()).collect();
            let pairs =
                snapshot_pairs(before, id, grade, &rows, scale, &now_ids, now).map_err(value_error)?;
            return Ok(Some((PREVIOUS.to_owned(), pairs)));
        }
        let Some(panel) = &self.panel else { return Ok(None) };
        let pairs = panel.migration(table, ids, grade, scale).map_err(value_error)?;
        Ok(pairs.zip(panel.previous()).map(|(pairs, date)| (date.to_string(), pairs)))
    }
}
