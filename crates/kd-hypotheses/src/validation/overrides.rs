//! Overrides of the model's rating: how often the final grade differs from the model's, and in
//! which direction (EBA/GL/2017/16, on the monitoring of overrides: their rate and direction).

use serde::Serialize;

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
