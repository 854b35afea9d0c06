//! The ECB's test of a change in discriminatory power: the current AUROC (or gAUC) against its
//! value at initial validation.
//!
//! ECB, *Instructions for reporting the validation results of internal models — IRB Pillar I
//! models for credit risk* (2019), §2.5 (PD, discriminatory power; the AUC's variance in
//! Annex 1) and §2.6 (LGD, the same test on the gAUC of Annex 2): with
//! `AUC_init` the value at initial validation and `s` the standard error of the current
//! estimate, `S = (AUC_init − AUC_curr) / s` is taken as standard normal under the null that
//! discrimination has not deteriorated, and the one-sided p-value is `1 − Φ(S)`. The initial
//! value is treated as a constant, as the instructions do. When the initial standard error is
//! also known (kd computes it from the initial sample, or the user gives it), kd adds the test
//! of two independent estimates, `z = (AUC_init − AUC_curr) / √(s_init² + s²)` — kd's addition,
//! not the ECB's: the two samples are disjoint in time, so the estimates are independent, and
//! this test does not take the initial value as exact.

use serde::Serialize;

use crate::distributions::normal_sf;
use crate::error::{Error, Result, invalid_parameter};

/// The current AUROC against the initial one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AucChange {
    /// AUC at initial validation.
    pub initial: f64,
    /// Its standard error, when known.
    pub initial_std_error: Option<f64>,
    /// Current AUC.
    pub current: f64,
    /// Its standard error.
    pub current_std_error: f64,
    /// `S = (initial − current) / current_std_error`.
    pub statistic: f64,
    /// `1 − Φ(S)`: small when the AUC has fallen.
    pub p_value: f64,
    /// With both standard errors: `(initial − current) / √(s_init² + s²)`.
    pub independent_statistic: Option<f64>,
    /// Its one-sided p-value `1 − Φ(z)`.
    pub independent_p_value: Option<f64>,
}

/// The ECB's test of the current AUC (`current ± current_se`) against `initial`, with the test of
/// two independent estimates when `initial_se` is given.
pub fn auc_change(current: f64, current_se: f64, initial: f64, initial_se: Option<f64>) -> Result<AucChange> {
    if !(0.0..=1.0).contains(&current) {
        return Err(invalid_parameter("current AUC", format!("{current}: an AUC lies in [0, 1]")));
    }
    check_initial_auc(initial, initial_se)?;
    if !(current_se.is_finite() && current_se > 0.0) {
        return Err(Error::Undefined {
            test: "the test of a change in AUC".into(),
            reason: format!("the current AUC's standard error is {current_se}"),
        });
    }
    let statistic = (initial - current) / current_se;
    let independent_statistic =
        initial_se.map(|s| (initial - current) / (s * s + current_se * current_se).sqrt());
    Ok(AucChange {
        initial,
        initial_std_error: initial_se,
        current,
        current_std_error: current_se,
        statistic,
        p_value: normal_sf(statistic),
        independent_statistic,
        independent_p_value: independent_statistic.map(normal_sf),
    })
}

/// Refuses an AUC at initial validation outside [0, 1] or a standard error that is negative or
/// not finite (checked before any figure, so that a report whose current AUC is undefined still
/// refuses a wrong one).
pub fn check_initial_auc(initial: f64, initial_se: Option<f64>) -> Result<()> {
    if !(0.0..=1.0).contains(&initial) {
        return Err(invalid_parameter("initial AUC", format!("{initial}: an AUC lies in [0, 1]")));
    }
    if let Some(se) = initial_se.filter(|se| !(se.is_finite() && *se >= 0.0)) {
        return Err(invalid_parameter("initial AUC's standard error", format!("{se}: it must be ≥ 0")));
    }
    Ok(())
}

/// The change since initial validation for a report: the test of [`auc_change`] when the
/// initial AUC is known, or a note where it is undefined but no fall is possible (a current
/// standard error of 0 with a current AUC at least the initial one: a current AUC of exactly 1),
/// so that the rest of the report stands. A current AUC below the initial one with a standard
/// error of 0 (a score ranking every pair the wrong way) stays an error, not a silent note.
///
/// # Errors
/// What [`auc_change`] refuses, but for the undefined test with no fall.
pub fn auc_change_or_note(
    current: f64,
    current_se: f64,
    initial: Option<(f64, Option<f64>)>,
) -> Result<(Option<AucChange>, Option<String>)> {
    let Some((value, se)) = initial else { return Ok((None, None)) };
    match auc_change(current, current_se, value, se) {
        Ok(change) => Ok((Some(change), None)),
        Err(Error::Undefined { test, reason }) if current >= value => Ok((
            None,
            Some(format!(
                "{test} is undefined here: {reason} (the current AUC, {current}, is not below the initial {value})"
            )),
        )),
        Err(e) => Err(e),
    }
}
