//! Validation tests of IRB credit-risk models, grouped as the ECB's *Instructions for reporting
//! the validation results of internal models* (2019) group them:
//!
//! - discriminatory power: [`auroc_delong`] (AUROC with DeLong's standard error), Gini
//!   `2·AUC − 1`, [`ks_two_sample`] between defaulters' and non-defaulters' scores,
//!   [`delong_test`] comparing two scores, [`curve_points`] for ROC and CAP curves,
//!   [`auc_change`] (the current AUC against its value at initial validation), and for LGD and
//!   CCF models the generalised AUC [`generalised_auc`];
//! - predictive ability (calibration): [`hosmer_lemeshow`], [`spiegelhalter`],
//!   [`brier_decomposition`], for a model of more than two classes the multinomial
//!   [`hosmer_lemeshow_multinomial`] (Fagerland, Hosmer & Bofin 2008), per grade [`grade_tests`] (exact binomial, Jeffreys, Vasicek
//!   traffic light), [`portfolio_jeffreys`], cohort default rates and the long-run average
//!   [`long_run_average`], Pluto–Tasche bounds for low-default portfolios [`pluto_tasche`] (over several
//!   periods [`pluto_tasche_periods`]),
//!   override rates ([`overrides_by_grade`]), and for LGD, CCF and ELBE the back-tests of
//!   realised against estimated values [`backtest`] / [`segment_backtests`];
//! - stability: [`psi_numeric`] / [`psi_categorical`] (PSI and CSI), [`ks_two_sample`] and
//!   [`chi_square_homogeneity`] between a baseline and a current sample, grade [`migration`]
//!   matrices with the matrix-weighted bandwidths;
//! - concentration: the Herfindahl index of the grades [`herfindahl`] and its test against
//!   initial validation [`herfindahl_test`].
//!
//! Every figure but the migration matrix, the cohorts and the challenger comparison also comes
//! from mergeable summaries ([`ScoreCounts`]: distinct scores with their defaults and
//! non-defaults, merged exactly): [`auroc_of`], [`ks_of`], [`ks_shift`], [`hosmer_lemeshow_of`],
//! [`spiegelhalter_of`], [`brier_of`], [`jeffreys_of`], [`grade_tests_of`], [`psi_of`], so that
//! a portfolio can be validated chunk by chunk or partition by partition; the CSI from
//! [`ColumnBins`], the baseline's bins ([`psi_cuts`]) with the current sample counted into them.
//!
//! [`cite`] holds each figure's formula and reference, as reports print them beside it. The
//! reports' sections are built here from them, so that `kd validate` and the Python
//! `kd.validate` compute no figure of their own (they read the columns and lay the sections
//! out): [`Discrimination`], [`Calibration`], [`grade_sections`] and [`Predictive`] (PD),
//! [`Stability`] (every report), [`Concentration`] (the Herfindahl section),
//! [`overrides_of_column`] (the override rate read from a column),
//! [`LgdDiscrimination`] and [`LgdPredictive`] (LGD and CCF); [`panel`] reads rows of several
//! dates (cohorts, ids, migration pairs) and [`scale`] the rating scale the per-grade figures
//! are ordered by; [`report`] builds a whole report from tables and the settings by name.
//!
//! Outcomes are `bool` (true = default); scores are finite reals, higher = riskier; the
//! calibration tests need PDs in [0, 1]. Grades are indices into a scale ordered best first.

mod auc_change;
mod backtest;
mod calibration;
#[allow(missing_docs)] // (formula, reference) pairs named after their figures
pub mod cite;
mod cohorts;
mod column_bins;
mod concentration;
mod concentration_section;
mod curves;
mod delong;
mod gauc;
mod grades;
mod ks;
mod lgd_sections;
mod low_default;
mod low_default_periods;
mod merged;
mod migration;
mod migration_stability;
mod multinomial_calibration;
mod overrides;
pub mod panel;
mod pd_sections;
pub mod report;
pub mod scale;
mod score_counts;
mod stability;
mod stability_section;

pub use crate::distributions::kolmogorov_sf;
pub use auc_change::{AucChange, auc_change, auc_change_or_note, check_initial_auc};
pub use backtest::{Alternative, Backtest, PairedTTest, backtest, segment_backtests};
pub use calibration::{
    BrierDecomposition, HlGroup, HlSample, HosmerLemeshow, Spiegelhalter, brier_decomposition,
    hosmer_lemeshow, spiegelhalter,
};
pub use cohorts::{Cohort, LongRunAverage, long_run_average};
pub use column_bins::ColumnBins;
pub use concentration::{Herfindahl, HerfindahlTest, herfindahl, herfindahl_test};
pub use concentration_section::{Concentration, Graded, HerfindahlFigure, Totals};
pub use curves::{CurvePoint, curve_points};
pub use delong::{Auroc, DelongComparison, auroc_delong, delong_test};
pub use gauc::{GeneralisedAuc, generalised_auc};
pub use grades::{
    GradeTest, PortfolioJeffreys, TrafficLight, binomial_upper_tail, grade_tests, jeffreys_p_value,
    portfolio_jeffreys, vasicek_quantile,
};
pub use ks::{KolmogorovSmirnov, KsMethod, MAX_EXACT_N, ks_two_sample};
pub use lgd_sections::{LgdDiscrimination, LgdPredictive, OUTSIDE_UNIT, Segments, initial_gauc};
pub use low_default::{PrudentBound, pluto_tasche};
pub use low_default_periods::{
    MAX_GRID, MAX_PERIOD_CORRELATION, MAX_POOLED_DEFAULTS, PeriodBound, pluto_tasche_periods,
};
pub use merged::{
    auroc_of, brier_of, grade_tests_of, hosmer_lemeshow_of, jeffreys_of, ks_of, ks_shift, psi_cuts, psi_of,
    spiegelhalter_of,
};
pub use migration::{Migration, migration};
pub use migration_stability::{
    MONOTONICITY_LEVEL, MigrationStability, MonotonicityTest, migration_stability,
};
pub use multinomial_calibration::{
    MultinomialHlGroup, MultinomialHosmerLemeshow, hosmer_lemeshow_multinomial,
};
pub use overrides::{Overrides, overrides_by_flag, overrides_by_grade, overrides_of_column};
pub use pd_sections::{
    Bounds, Calibration, Comparison, Discrimination, DiscriminatoryPower, InitialAuroc, PeriodBounds,
    Predictive, check_both_classes, grade_sections, initial_auroc,
};
pub use score_counts::ScoreCounts;
pub use stability::{
    ChiSquareTest, PSI_MODERATE, PSI_SIGNIFICANT, Psi, PsiVerdict, chi_square_homogeneity, level_counts,
    psi_categorical, psi_from_counts, psi_numeric,
};
pub use stability_section::{Csi, GradeShift, MigrationFigure, PsiFigure, Sample, Stability, left_out};

/// Scores of defaulters and of non-defaulters, for the KS test of discrimination.
pub fn split_by_outcome(outcome: &[bool], score: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let of_class =
        |class: bool| outcome.iter().zip(score).filter(|(y, _)| **y == class).map(|(_, s)| *s).collect();
    (of_class(true), of_class(false))
}

/// A PD model's discriminatory power on one sample: the AUROC with DeLong's standard error and
/// a `confidence` interval, and the KS test between defaulters' and non-defaulters' scores,
/// both from one [`ScoreCounts`] (one sort; memory the distinct scores, not the rows).
pub fn discriminatory_power(
    outcome: &[bool],
    score: &[f64],
    confidence: f64,
) -> crate::error::Result<(Auroc, KolmogorovSmirnov)> {
    let counts = ScoreCounts::from_rows(outcome, score)?;
    Ok((auroc_of(&counts, confidence)?, ks_of(&counts)?))
}
