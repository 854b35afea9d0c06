//! The ECB's z-tests of a migration matrix's monotonicity: in each row, the share of obligors
//! migrating to a grade should fall as the grade moves away from the diagonal.
//!
//! ECB, *Instructions for reporting the validation results of internal models* (2019),
//! §2.5.5 (stability of the migration matrix), as MathWorks' `migrationMatrixStabilityTest`
//! implements it. With `Nᵢ` the obligors of row `i` (every column of the count matrix) and
//! `pᵢⱼ = Nᵢⱼ / Nᵢ`, each off-diagonal cell `(i, j)` of the square part is compared with its
//! neighbour one step nearer the diagonal, `(i, j − 1)` above it and `(i, j + 1)` below it:
//!
//! `zᵢⱼ = (p_near − p_far) / √((p_far (1 − p_far) + p_near (1 − p_near) + 2 p_far p_near) / Nᵢ)`,
//!
//! the variance of a difference of two shares of one multinomial row. Under the null
//! hypothesis `p_near ≥ p_far` the one-sided p-value is `Φ(zᵢⱼ)`; a p-value below the level
//! (5% by default, the instructions' and MathWorks') is a breach. Each cell is tested at that
//! level, with no correction for their number, as the instructions do. A cell is not tested
//! where `Nᵢ = 0` or both shares are 0 (nothing to compare). Where the variance is 0 with one
//! share 1 the row is all in one of the two cells: the far one is a breach beyond doubt
//! (`p = 0`), the near one none (`p = 1`), and `z` is left out (it would be infinite).
//!
//! Checked against the decisions MathWorks prints for its 14 × 15 example and the hand value
//! `z = 2/√11` of a 3 × 3 matrix (`crates/kd-hypotheses/tests/irb_golden.rs`).

use serde::Serialize;

use crate::distributions::normal_sf;
use crate::error::{Result, invalid_parameter};

/// The level of the monotonicity tests in the migration reports: 5%, one-sided.
pub const MONOTONICITY_LEVEL: f64 = 0.05;

/// The test of one off-diagonal cell (grades 0-based, in the scale's order).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MonotonicityTest {
    /// The grade at the first date (the row).
    pub from: usize,
    /// The grade at the second date (the column).
    pub to: usize,
    /// `zᵢⱼ`; `None` where the whole row is in one of the two cells (an infinite `z`).
    pub z: Option<f64>,
    /// `Φ(zᵢⱼ)`.
    pub p_value: f64,
    /// `p_value < level`: the cell holds more obligors than its neighbour nearer the diagonal,
    /// by more than chance explains.
    pub breach: bool,
}

/// The monotonicity tests of a migration matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MigrationStability {
    /// The one-sided level.
    pub level: f64,
    /// Every tested cell, row by row.
    pub tests: Vec<MonotonicityTest>,
    /// Off-diagonal cells of the square part not tested (nothing to compare).
    pub untested: usize,
    /// Cells in breach.
    pub breaches: usize,
}

/// The z-tests of `counts` (`counts[i][j]`: obligors from grade `i` to column `j`; as many
/// columns as rows or more, the extra ones — a default column — counting in the rows' totals
/// only) at the one-sided `level`.
pub fn migration_stability(counts: &[Vec<usize>], level: f64) -> Result<MigrationStability> {
    if !(level > 0.0 && level < 1.0) {
        return Err(invalid_parameter("level", format!("{level}: a level lies in (0, 1)")));
    }
    let k = counts.len();
    if let Some((i, row)) = counts.iter().enumerate().find(|(_, row)| row.len() < k) {
        return Err(invalid_parameter(
            "counts",
            format!("row {i} has {} columns; a migration matrix of {k} grades needs at least {k}", row.len()),
        ));
    }
    let (mut tests, mut untested) = (Vec::new(), 0);
    for (i, row) in counts.iter().enumerate() {
        let n = row.iter().sum::<usize>() as f64;
        for j in (0..k).filter(|&j| j != i) {
            let near = if j > i { j - 1 } else { j + 1 };
            let (far, near) = (row[j] as f64 / n, row[near] as f64 / n);
            let variance = (far * (1.0 - far) + near * (1.0 - near) + 2.0 * far * near) / n;
            if n == 0.0 || (far == 0.0 && near == 0.0) {
                untested += 1;
                continue;
            }
            let (z, p_value) = if variance > 0.0 {
                let z = (near - far) / variance.sqrt();
                (Some(z), normal_sf(-z))
            } else {
                (None, if far > near { 0.0 } else { 1.0 })
            };
            tests.push(MonotonicityTest { from: i, to: j, z, p_value, breach: p_value < level });
        }
    }
    let breaches = tests.iter().filter(|t| t.breach).count();
    Ok(MigrationStability { level, tests, untested, breaches })
}
