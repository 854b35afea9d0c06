//! The checks every teacher's outputs pass before kd uses them.

use ndarray::Array2;

use crate::{Error, Result, Task};

/// How far a row of class probabilities may sum from 1. Float32 teachers (TorchScript)
/// produce sums within about 1e-6 of 1; this leaves room for them and for rounded JSON.
pub const PROBABILITY_SUM_TOLERANCE: f64 = 1e-4;

/// Checks that `outputs` answers a batch of `n_rows` rows for `task`: shape `(n_rows,
/// task.n_outputs())`, finite values, and for classification probabilities in [0, 1] that sum
/// to 1 within [`PROBABILITY_SUM_TOLERANCE`].
pub fn check_outputs(
    teacher: &str,
    task: Task,
    batch: usize,
    n_rows: usize,
    outputs: &Array2<f64>,
) -> Result<()> {
    let fail = |reason: String| Error::Teacher { teacher: teacher.to_owned(), batch, reason };
    let k = task.n_outputs();
    if outputs.dim() != (n_rows, k) {
        let (rows, cols) = outputs.dim();
        return Err(fail(format!(
            "returned {rows} rows of {cols} values for a batch of {n_rows} rows; expected {n_rows} rows of {k} ({})",
            task.name()
        )));
    }
    for (i, row) in outputs.outer_iter().enumerate() {
        if let Some(j) = row.iter().position(|v| !v.is_finite()) {
            return Err(fail(format!("row {i} of the batch, output {j}: {} is not a finite number", row[j])));
        }
        if !task.is_classification() {
            continue;
        }
        if let Some(j) = row.iter().position(|&p| !(0.0..=1.0).contains(&p)) {
            return Err(fail(format!(
                "row {i} of the batch: probability {} of class {j} is outside [0, 1]",
                row[j]
            )));
        }
        let sum: f64 = row.sum();
        if (sum - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
            return Err(fail(format!("row {i} of the batch: class probabilities sum to {sum}, not 1")));
        }
    }
    Ok(())
}
