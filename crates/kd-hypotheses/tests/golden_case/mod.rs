//! What the regression goldens share: a case's JSON (`tests/golden/<folder>/<case>.json`, with
//! its data file, target, features and, where the case uses only the first rows, `rows`) and
//! the OLS fit it describes.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, FeatureSelection, ReadOptions, TaskHint, read_csv};
use kd_hypotheses::regression::{CovarianceKind, Ols};
use serde_json::Value;

/// The cases made by both generators (statsmodels' gen.py and R's gen.R).
pub const SHARED_CASES: [&str; 12] = [
    "longley",
    "engel",
    "stackloss",
    "macrodata",
    "diabetes",
    "null",
    "autocorrelated",
    "heteroscedastic",
    "nonnormal",
    "nonlinear",
    "break",
    "binary_feature",
];

/// The robust covariance estimators and their keys in the goldens' `robust_se`.
pub const ROBUST_KEYS: [(CovarianceKind, &str); 5] = [
    (CovarianceKind::Hc0, "HC0"),
    (CovarianceKind::Hc1, "HC1"),
    (CovarianceKind::Hc2, "HC2"),
    (CovarianceKind::Hc3, "HC3"),
    (CovarianceKind::NeweyWest, "newey_west"),
];

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The golden `case` of `folder` and kd's OLS fit of its data: its file's feature columns
/// (`columns`, else `features`), categorical ones treatment-coded as `kd hypotheses` codes them.
pub fn load(folder: &str, case: &str) -> (Value, Ols) {
    let path = root().join(format!("tests/golden/{folder}/{case}.json"));
    let g: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let columns: Vec<String> =
        serde_json::from_value(g.get("columns").unwrap_or(&g["features"]).clone()).unwrap();
    let table = read_csv(&root().join(g["data"].as_str().unwrap()), &ReadOptions::default()).unwrap();
    let spec = DatasetSpec {
        target: g["target"].as_str().unwrap().into(),
        features: FeatureSelection::Named(columns),
        task: TaskHint::Regression,
        ..Default::default()
    };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let rows = g.get("rows").and_then(Value::as_u64).map_or(data.n_rows(), |r| r as usize);
    let ols = Ols::fit_dataset(&data.select(&(0..rows).collect::<Vec<_>>())).unwrap();
    (g, ols)
}
