//! The reproductions, one file per paper, and what they share.

pub mod liu2018;

use std::path::{Path, PathBuf};

/// The repository root (shipped data, example teachers).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python with scikit-learn that `cargo xtask` provisions (`KD_PYTHON`), or `python3`.
pub fn python() -> String {
    std::env::var("KD_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Mean and sample standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}
