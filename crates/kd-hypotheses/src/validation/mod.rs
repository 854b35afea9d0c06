//! Validation tests for probability-of-default models, on the three axes of Basel backtesting:
//!
//! - discrimination: [`auroc_delong`] (AUROC with DeLong's standard error), Gini `2·AUC − 1`,
//!   [`ks_two_sample`] between defaulters' and non-defaulters' scores, [`delong_test`] comparing
//!   two scores, [`curve_points`] for ROC and CAP curves;
//! - calibration: [`hosmer_lemeshow`], [`spiegelhalter`], [`brier_decomposition`], and per grade
//!   [`grade_tests`] (exact binomial, Jeffreys, Vasicek traffic light);
//! - stability: [`psi_numeric`] / [`psi_categorical`] (PSI and CSI), [`ks_two_sample`] and
//!   [`chi_square_homogeneity`] between a baseline and a current sample.
//!
//! Outcomes are `bool` (true = default); scores are finite reals, higher = riskier; the
//! calibration tests need PDs in [0, 1].

mod calibration;
mod curves;
mod delong;
mod grades;
mod ks;
mod stability;

pub use crate::distributions::kolmogorov_sf;
pub use calibration::{
    BrierDecomposition, HlGroup, HlSample, HosmerLemeshow, Spiegelhalter, brier_decomposition,
    hosmer_lemeshow, spiegelhalter,
};
pub use curves::{CurvePoint, curve_points};
pub use delong::{Auroc, DelongComparison, auroc_delong, delong_test};
pub use grades::{
    GradeTest, TrafficLight, binomial_upper_tail, grade_tests, jeffreys_p_value, vasicek_quantile,
};
pub use ks::{KolmogorovSmirnov, KsMethod, MAX_EXACT_N, ks_two_sample};
pub use stability::{
    ChiSquareTest, Psi, PsiVerdict, chi_square_homogeneity, psi_categorical, psi_from_counts, psi_numeric,
};

/// Scores of defaulters and of non-defaulters, for the KS test of discrimination.
pub fn split_by_outcome(outcome: &[bool], score: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let defaulters = outcome.iter().zip(score).filter(|(y, _)| **y).map(|(_, s)| *s).collect();
    let others = outcome.iter().zip(score).filter(|(y, _)| !**y).map(|(_, s)| *s).collect();
    (defaulters, others)
}
