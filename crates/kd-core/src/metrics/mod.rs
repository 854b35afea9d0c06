//! Fidelity and performance metrics, checked against scikit-learn (see
//! `tests/golden/metrics/gen.py`), and the two summaries of a distillation report
//! ([`fidelity`] to the teacher, [`performance`] on the truth).
//!
//! Conventions: `y` holds class indices, `probs` has shape `(n, k)` with one column per class,
//! `score` is any real score for class 1 (binary). Every function checks its inputs' lengths
//! and returns an error for empty input or, where a metric is undefined (AUROC with one class,
//! R² with a constant truth), says why instead of returning NaN.

mod classification;
mod fidelity;
mod regression;

pub use classification::{
    accuracy, agreement, argmax, auroc, auroc_hand_till, brier_score, log_loss, mean_kl_divergence,
};
pub use fidelity::{Fidelity, Performance, PerformancePair, fidelity, performance};
pub use regression::{r2, rmse};

use crate::{Error, Result};

fn ensure_nonempty(metric: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::TooFewRows { what: metric.to_owned(), needed: 1, found: 0 });
    }
    Ok(())
}
