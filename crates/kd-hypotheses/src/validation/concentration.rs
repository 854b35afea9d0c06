//! Concentration of a rating scale: the Herfindahl index of the grade distribution and the
//! ECB's test of its change since initial validation.
//!
//! ECB, *Instructions for reporting the validation results of internal models* (2019), §2.5
//! (PD, "concentration in rating grades"): with `K` grades and `Rᵢ` the share of grade `i`
//! (of obligors, or of exposure), the coefficient of variation is
//! `CV = √(K · Σᵢ (Rᵢ − 1/K)²)` and the Herfindahl index `HI = 1 + ln((CV² + 1)/K) / ln K`,
//! which runs from 0 (every grade equally filled) to 1 (everything in one grade). Since
//! `CV² + 1 = K · Σ Rᵢ²`, `HI` is the classical Herfindahl–Hirschman sum `Σ Rᵢ²` on a log scale
//! normalised by its range `[1/K, 1]`. The test against the initial validation:
//! `t = √(K − 1) (CV_curr − CV_init) / √(CV_curr² (½ + CV_curr²))`, standard normal under the
//! null that concentration has not increased; the p-value is `1 − Φ(t)`.
//!
//! What the formula implies (kd reports it as the instructions define it): the variance is that
//! of a coefficient of variation estimated from `K` values, not from the obligors, so the test
//! is very conservative (no rejection in 1,000 simulations of an unchanged 20-grade scale), and
//! since `t` is bounded in `CV_curr` it may be unable to reject at all with few grades: with
//! `K = 7` and `CV_init = 0.3`, `t` never exceeds 1.43 (p ≥ 0.076), however concentrated the
//! current scale. Read the index itself beside the test.

use crate::distributions::normal_sf;
use crate::error::{Error, Result, ensure_len};
use serde::Serialize;

/// The Herfindahl index of one grade distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Herfindahl {
    /// Number of grades `K`.
    pub grades: usize,
    /// Share `Rᵢ` of each grade.
    pub shares: Vec<f64>,
    /// `Σ Rᵢ²`, the Herfindahl–Hirschman sum.
    pub sum_of_squares: f64,
    /// `CV = √(K Σ (Rᵢ − 1/K)²)`.
    pub cv: f64,
    /// `HI = 1 + ln((CV² + 1)/K) / ln K`, in [0, 1].
    pub index: f64,
}

/// The ECB's test of an increase in concentration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HerfindahlTest {
    /// The current distribution.
    pub current: Herfindahl,
    /// The distribution at initial validation.
    pub initial: Herfindahl,
    /// `t = √(K − 1)(CV_curr − CV_init) / √(CV_curr²(½ + CV_curr²))`.
    pub statistic: f64,
    /// `1 − Φ(t)`: small when concentration has increased.
    pub p_value: f64,
}

/// The Herfindahl index of grade weights `weight[i]` (obligor counts or exposures, all ≥ 0, in
/// the scale's order; the number of grades `K` is `weight.len()`). Undefined for fewer than 2
/// grades (`ln K` is 0 at `K = 1`, where everything is in the one grade) and for weights that
/// sum to 0.
pub fn herfindahl(weight: &[f64]) -> Result<Herfindahl> {
    let k = weight.len();
    if k < 2 {
        return Err(Error::Undefined {
            test: "the Herfindahl index".into(),
            reason: format!(
                "it needs at least 2 grades (the scale has {k}): 1 + ln((CV² + 1)/K) / ln K is 0/0 at K = 1"
            ),
        });
    }
    if let Some(i) = weight.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(Error::InvalidInput {
            column: "grade weight".into(),
            row: i,
            reason: format!("{}: weights are counts or exposures, ≥ 0", weight[i]),
        });
    }
    let total: f64 = weight.iter().sum();
    if total <= 0.0 {
        return Err(Error::Undefined {
            test: "the Herfindahl index".into(),
            reason: "the weights sum to 0 (every exposure is 0), so no grade has a share".into(),
        });
    }
    let shares: Vec<f64> = weight.iter().map(|w| w / total).collect();
    let kf = k as f64;
    let cv = (kf * shares.iter().map(|r| (r - 1.0 / kf).powi(2)).sum::<f64>()).sqrt();
    Ok(Herfindahl {
        grades: k,
        sum_of_squares: shares.iter().map(|r| r * r).sum(),
        cv,
        index: 1.0 + ((cv * cv + 1.0) / kf).ln() / kf.ln(),
        shares,
    })
}

/// The largest CV read as every grade holding the same share (rounding of the shares).
const EVEN_CV: f64 = 1e-12;

/// The ECB's test of the current grade weights against those at initial validation (same
/// grades, same order); undefined when every grade holds the same share now (CV ≤ 1e-12) or
/// when either index is.
pub fn herfindahl_test(current: &[f64], initial: &[f64]) -> Result<HerfindahlTest> {
    ensure_len("grades at initial validation and now", current.len(), initial.len())?;
    let current = herfindahl(current)?;
    let initial = herfindahl(initial).map_err(|e| match e {
        Error::Undefined { reason, .. } => Error::Undefined {
            test: "the Herfindahl test".into(),
            reason: format!("at initial validation {reason}"),
        },
        e => e,
    })?;
    let cv = current.cv;
    // Even shares computed as w / Σw can leave a CV of a few ulps (1.4e-16 for five equal
    // exposures of 0.7), which would make t about −10¹⁵: treat a CV within rounding of 0 as 0.
    if cv <= EVEN_CV {
        return Err(Error::Undefined {
            test: "the Herfindahl test".into(),
            reason: "every grade holds the same share now, so the statistic's variance is 0".into(),
        });
    }
    let statistic =
        ((current.grades - 1) as f64).sqrt() * (cv - initial.cv) / (cv * cv * (0.5 + cv * cv)).sqrt();
    Ok(HerfindahlTest { statistic, p_value: normal_sf(statistic), current, initial })
}
