//! kd-hypotheses: statistical tests a model validator runs.
//!
//! - [`validation`]: validation of probability-of-default models — discrimination (AUROC with
//!   DeLong's standard error, Gini, KS, DeLong's comparison test, ROC/CAP points), calibration
//!   (Hosmer–Lemeshow, Spiegelhalter, Brier decomposition, per-grade binomial, Jeffreys and
//!   traffic-light tests) and stability (PSI, CSI, KS, chi-squared). Checked against scipy and
//!   scikit-learn (tests/golden/validation).
//!
//! The regression-assumption battery (independence, homoscedasticity, normality, linearity,
//! multicollinearity, stability of OLS fits) is not written yet.
//!
//! Depends on kd-core only; never on libtorch. Never prints.
//!
//! ```
//! use kd_hypotheses::validation::auroc_delong;
//! let outcome = [false, false, true, false, true, true];
//! let score = [0.1, 0.3, 0.35, 0.4, 0.8, 0.9];
//! let auc = auroc_delong(&outcome, &score, 0.95).unwrap();
//! assert!((auc.value - 8.0 / 9.0).abs() < 1e-12 && auc.std_error > 0.0);
//! ```

pub mod distributions;
mod error;
pub mod regression;
pub mod validation;

pub use error::{Error, Result};
