//! Grade migrations between two dates: the migration matrix, the shares of obligors staying or
//! moving one, two or more grades, the ECB's matrix-weighted bandwidths and its z-tests of the
//! matrix's monotonicity (`migration_stability.rs`).
//!
//! Grades are indices `0 … K − 1` in the scale's order, best first, so a move to a higher index
//! is a downgrade. ECB, *Instructions for reporting the validation results of internal models*
//! (2019), §2.5 ("stability of the migration matrix"): with `Nᵢⱼ` obligors moving from grade
//! `i` to grade `j` (1-based),
//!
//! `MWB_upper = Σ_{i<K} Σ_{j>i} |i − j| Nᵢⱼ / M_upper`,
//! `M_upper = Σ_{i<K} max(|i − K|, |i − 1|) Σ_{j>i} Nᵢⱼ`,
//!
//! and `MWB_lower` the same below the diagonal (`i > 1`, `j < i`). The instructions write
//! `Nᵢ pᵢⱼ` with `pᵢⱼ = Nᵢⱼ / Nᵢ`, which is `Nᵢⱼ`. When nobody moved in a direction, its
//! normaliser is 0 and kd reports no value for it (there is nothing to measure). On MathWorks'
//! worked example (the 5 × 5 count matrix of `risk.validation.matrixWeightedBandwidth`) this
//! gives their 0.3306 (lower) and 0.6066 (upper).

use serde::Serialize;

use super::migration_stability::{MONOTONICITY_LEVEL, MigrationStability, migration_stability};
use crate::error::{Error, Result, ensure_len};

/// A migration matrix with its summaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Migration {
    /// `counts[i][j]`: obligors in grade `i` at the first date and `j` at the second.
    pub counts: Vec<Vec<usize>>,
    /// Obligors observed at both dates.
    pub n: usize,
    /// Share in the same grade.
    pub stayed: f64,
    /// Share one grade away.
    pub moved_one: f64,
    /// Share two grades away.
    pub moved_two: f64,
    /// Share three or more grades away.
    pub moved_more: f64,
    /// Share downgraded (to a higher index).
    pub downgraded: f64,
    /// Share upgraded (to a lower index).
    pub upgraded: f64,
    /// `MWB_upper`, over the downgrades; `None` without any.
    pub mwb_upper: Option<f64>,
    /// `MWB_lower`, over the upgrades; `None` without any.
    pub mwb_lower: Option<f64>,
    /// The ECB's z-tests of its monotonicity, at [`MONOTONICITY_LEVEL`].
    pub monotonicity: MigrationStability,
}

/// The migration matrix of `from[i] → to[i]` over `grades` grades, with its summaries.
pub fn migration(from: &[usize], to: &[usize], grades: usize) -> Result<Migration> {
    ensure_len("grades at the two dates", from.len(), to.len())?;
    if from.is_empty() {
        return Err(Error::TooFewRows {
            what: "a migration matrix (obligors at both dates)".into(),
            needed: 1,
            found: 0,
        });
    }
    let mut counts = vec![vec![0usize; grades]; grades];
    for (row, (&i, &j)) in from.iter().zip(to).enumerate() {
        let cell = counts.get_mut(i).and_then(|r| r.get_mut(j)).ok_or_else(|| Error::InvalidInput {
            column: "grade".into(),
            row,
            reason: format!("grade index {} of {grades}", i.max(j)),
        })?;
        *cell += 1;
    }
    if grades < 2 {
        return Err(Error::Undefined {
            test: "the migration matrix".into(),
            reason: format!("it needs at least 2 grades to migrate between (the scale has {grades})"),
        });
    }
    let n = from.len();
    let share = |keep: &dyn Fn(usize, usize) -> bool| {
        from.iter().zip(to).filter(|&(&i, &j)| keep(i, j)).count() as f64 / n as f64
    };
    let (upper, lower) = bandwidths(&counts);
    let monotonicity = migration_stability(&counts, MONOTONICITY_LEVEL)?;
    Ok(Migration {
        n,
        stayed: share(&|i, j| i == j),
        moved_one: share(&|i, j| i.abs_diff(j) == 1),
        moved_two: share(&|i, j| i.abs_diff(j) == 2),
        moved_more: share(&|i, j| i.abs_diff(j) > 2),
        downgraded: share(&|i, j| j > i),
        upgraded: share(&|i, j| j < i),
        mwb_upper: upper,
        mwb_lower: lower,
        monotonicity,
        counts,
    })
}

/// `(MWB_upper, MWB_lower)` of a count matrix (0-based here: `max(|i − K|, |i − 1|)` becomes
/// `max(K − 1 − i, i)`).
fn bandwidths(counts: &[Vec<usize>]) -> (Option<f64>, Option<f64>) {
    let k = counts.len();
    let (mut up, mut up_norm, mut low, mut low_norm) = (0.0, 0.0, 0.0, 0.0);
    for (i, row) in counts.iter().enumerate() {
        let reach = (k - 1 - i).max(i) as f64;
        for (j, &c) in row.iter().enumerate() {
            let c = c as f64;
            if j > i {
                up += (j - i) as f64 * c;
                up_norm += reach * c;
            } else if j < i {
                low += (i - j) as f64 * c;
                low_norm += reach * c;
            }
        }
    }
    let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    (ratio(up, up_norm), ratio(low, low_norm))
}
