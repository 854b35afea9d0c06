//! Overrides of the model's rating: how often the final grade differs from the model's, and in
//! which direction (EBA/GL/2017/16, on the monitoring of overrides: their rate and direction).

use kd_core::data::Table;
use serde::Serialize;

use super::scale::{Scale, labels};
use crate::error::{Error, Result, ensure_len};

/// Override counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Overrides {
    /// Rows.
    pub n: usize,
    /// Rows whose final grade differs from the model's (or that are flagged).
    pub overridden: usize,
    /// `overridden / n`.
    pub rate: f64,
    /// Overrides to a better grade (lower index); `None` when only flags are known.
    pub upgrades: Option<usize>,
    /// Overrides to a worse grade (higher index); `None` when only flags are known.
    pub downgrades: Option<usize>,
}

/// Overrides from the model's grade and the final grade of each row (indices in the scale's
/// order, best first).
pub fn overrides_by_grade(model: &[usize], final_grade: &[usize]) -> Result<Overrides> {
    ensure_len("model and final grades", model.len(), final_grade.len())?;
    if model.is_empty() {
        return Err(Error::TooFewRows { what: "the override rate (rows)".into(), needed: 1, found: 0 });
    }
    let upgrades = model.iter().zip(final_grade).filter(|(m, f)| f < m).count();
    let downgrades = model.iter().zip(final_grade).filter(|(m, f)| f > m).count();
    let overridden = upgrades + downgrades;
    Ok(Overrides {
        n: model.len(),
        overridden,
        rate: overridden as f64 / model.len() as f64,
        upgrades: Some(upgrades),
        downgrades: Some(downgrades),
    })
}

/// Overrides from a flag per row (true = overridden).
pub fn overrides_by_flag(flag: &[bool]) -> Result<Overrides> {
    if flag.is_empty() {
        return Err(Error::TooFewRows { what: "the override rate (rows)".into(), needed: 1, found: 0 });
    }
    let overridden = flag.iter().filter(|f| **f).count();
    Ok(Overrides {
        n: flag.len(),
        overridden,
        rate: overridden as f64 / flag.len() as f64,
        upgrades: None,
        downgrades: None,
    })
}

/// Overrides read from `table`'s `column` at `rows`: 0/1 flags, or final grades on the
/// model's `scale` (labels of its grades) compared with each row's model grade `model` (indices
/// into the scale); a label outside the scale is an error naming its line. `None` when the
/// column holds final grades but the model's grades are not given: the caller says which of
/// its options gives them.
pub fn overrides_of_column(
    table: &Table,
    column: &str,
    rows: &[usize],
    graded: Option<(&Scale, &[usize])>,
) -> Result<Option<Overrides>> {
    let final_labels = labels(table, column, rows)?;
    let flags = final_labels.iter().all(|l| l == "0" || l == "1");
    match graded {
        Some((scale, model)) if !flags || final_labels.iter().all(|l| scale.grades.contains(l)) => {
            overrides_by_grade(model, &scale.codes(&final_labels, table, column, rows)?).map(Some)
        }
        _ if flags => overrides_by_flag(&final_labels.iter().map(|l| l == "1").collect::<Vec<_>>()).map(Some),
        _ => Ok(None),
    }
}
