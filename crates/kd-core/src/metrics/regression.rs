//! Regression metrics.

use ndarray::ArrayView1;

use super::ensure_nonempty;
use crate::Result;
use crate::error::{ensure_same_len, invalid_parameter};

/// Coefficient of determination `R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²`, as scikit-learn's
/// `r2_score`. Errors when `y_true` is constant (R² is undefined; scikit-learn returns 0 or 1
/// by convention).
pub fn r2(y_true: ArrayView1<'_, f64>, y_pred: ArrayView1<'_, f64>) -> Result<f64> {
    ensure_same_len("r2 (predictions)", y_true.len(), y_pred.len())?;
    ensure_nonempty("r2", y_true.len())?;
    let mean = y_true.mean().unwrap_or(0.0);
    let total: f64 = y_true.iter().map(|y| (y - mean).powi(2)).sum();
    if total == 0.0 {
        return Err(invalid_parameter("r2", "the true values are constant, so R² is undefined"));
    }
    let residual: f64 = y_true.iter().zip(y_pred).map(|(y, p)| (y - p).powi(2)).sum();
    Ok(1.0 - residual / total)
}

/// Root mean squared error `sqrt(mean((y − ŷ)²))`.
pub fn rmse(y_true: ArrayView1<'_, f64>, y_pred: ArrayView1<'_, f64>) -> Result<f64> {
    ensure_same_len("rmse (predictions)", y_true.len(), y_pred.len())?;
    ensure_nonempty("rmse", y_true.len())?;
    let mse = y_true.iter().zip(y_pred).map(|(y, p)| (y - p).powi(2)).sum::<f64>() / y_true.len() as f64;
    Ok(mse.sqrt())
}
