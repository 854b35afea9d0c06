//! Low-default portfolios: Pluto & Tasche's most prudent upper bounds of the grades' PDs.
//!
//! Pluto & Tasche (2005), "Thinking positively", *Risk* 18(8) (and "Estimating probabilities of
//! default for low default portfolios", 2005/2011), §2, independent defaults: with grades
//! ordered from best to worst and PDs assumed to rise with the grade, the most prudent estimate
//! for grade `k` lets every grade from `k` on share one PD `p`; its upper confidence bound at
//! level `γ` is the `p` at which `k`'s and the worse grades' obligors `N_k = Σ_{j≥k} n_j` would
//! show at most their defaults `D_k = Σ_{j≥k} d_j` with probability `1 − γ`:
//! `P(Bin(N_k, p) ≤ D_k) = 1 − γ`, that is `p = B⁻¹(γ; D_k + 1, N_k − D_k)` (the
//! Clopper–Pearson upper bound), and 1 when every obligor defaulted.
//! Agreement: scipy's `beta.ppf` to 1e-10 (tests/golden/irb_pd).
//!
//! §3, correlated defaults: in the one-factor model an obligor defaults when
//! `√ρ·S + √(1 − ρ)·ξ ≤ Φ⁻¹(p)`, `S` the systematic factor and `ξ` its own, both standard
//! normal, so that given `S = s` the defaults are independent with PD
//! `G(p, ρ, s) = Φ((Φ⁻¹(p) − √ρ·s) / √(1 − ρ))`. The bound is the `p` at which
//! `∫ φ(s) P(Bin(N_k, G(p, ρ, s)) ≤ D_k) ds = 1 − γ`: the integral by adaptive Gauss–Kronrod
//! over `|s| ≤ 9` (absolute error aimed at 1e-13, at most 200 bisections, break points where `G`
//! is `4^j (D_k + 1)/N_k`, `j = −3 … 3`, around the binomial's turn), the root by bisection on
//! `Φ⁻¹(p)` to 1e-12. At `ρ = 0` it is the independent bound; with `ρ > 0`, `γ` must lie in
//! `[1e-9, 1 − 1e-9]` (beyond, `1 − γ` is below the integral's accuracy).
//! Agreement: R's `integrate` and `uniroot` on a differently split integral
//! (tests/golden/irb_pd/pluto_tasche.R) to 1e-10 relative, and the worked example of
//! Windridge's calculator. Limits: the binomial distribution function is statrs' incomplete
//! beta, whose continued fraction stops after 140 terms, and its log-gamma prefactor carries an
//! error of about 1e-9 relative for a million obligors: pooled counts of a million obligors
//! give bounds to about 1e-7 relative; with a million defaults among ten million, 3e-4.
//!
//! The multi-period variant, the factor persisting from one period to the next, is
//! [`super::pluto_tasche_periods`].

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::inv_beta_reg;

use super::grades::binomial_upper_tail;
use crate::distributions::normal_sf;
use crate::error::{Error, Result, ensure_len, invalid_parameter};

/// The most prudent bound of one grade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PrudentBound {
    /// Obligors in this grade and all worse ones, `N_k`.
    pub obligors: usize,
    /// Their defaults, `D_k`.
    pub defaults: usize,
    /// The upper bound of the grade's PD at the confidence level, defaults independent.
    pub upper_bound: f64,
    /// The same with defaults correlated through one factor at the asset correlation asked.
    pub upper_bound_correlated: f64,
}

/// Pluto–Tasche bounds at `confidence` (γ in (0, 1)) for grades with `n[k]` obligors and `d[k]`
/// defaults, best grade first: with independent defaults, and with defaults correlated through
/// one factor at asset correlation `rho` (in [0, 1); the paper's examples take 0.12).
pub fn pluto_tasche(n: &[usize], d: &[usize], confidence: f64, rho: f64) -> Result<Vec<PrudentBound>> {
    ensure_len("obligors and defaults per grade", n.len(), d.len())?;
    check_settings(confidence, rho)?;
    if let Some(k) = (0..n.len()).find(|&k| d[k] > n[k]) {
        return Err(Error::InvalidInput {
            column: "defaults".into(),
            row: k,
            reason: format!("{} defaults among {} obligors", d[k], n[k]),
        });
    }
    let mut bounds = Vec::with_capacity(n.len());
    let (mut obligors, mut defaults) = (0, 0);
    for k in (0..n.len()).rev() {
        obligors += n[k];
        defaults += d[k];
        if obligors == 0 {
            return Err(Error::TooFewRows {
                what: format!("the Pluto-Tasche bound of grade {}", k + 1),
                needed: 1,
                found: 0,
            });
        }
        let upper_bound = clopper_pearson(obligors, defaults, confidence);
        let upper_bound_correlated = if rho == 0.0 || defaults == obligors {
            upper_bound
        } else {
            one_factor_bound(obligors, defaults, confidence, rho)
        };
        bounds.push(PrudentBound { obligors, defaults, upper_bound, upper_bound_correlated });
    }
    bounds.reverse();
    Ok(bounds)
}

/// Refuses a confidence outside (0, 1), an asset correlation outside [0, 1), and with `rho > 0`
/// a confidence the correlated bounds cannot reach ([`correlated_confidence_refusal`]).
pub(super) fn check_settings(confidence: f64, rho: f64) -> Result<()> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid_parameter("confidence", format!("{confidence}: it must lie in (0, 1)")));
    }
    if !(0.0..1.0).contains(&rho) {
        return Err(invalid_parameter("rho", format!("{rho}: the asset correlation must be in [0, 1)")));
    }
    match correlated_confidence_refusal(confidence, rho) {
        Some(reason) => Err(invalid_parameter("confidence", reason)),
        None => Ok(()),
    }
}

/// The bound with independent defaults: `B⁻¹(γ; D + 1, N − D)` (Clopper–Pearson's upper
/// bound, by statrs' AS 64 / AS 109 inverse of the regularised incomplete beta function), and
/// 1 when every obligor defaulted (`defaults ≤ obligors`, `obligors > 0`).
pub(super) fn clopper_pearson(obligors: usize, defaults: usize, confidence: f64) -> f64 {
    if defaults >= obligors {
        return 1.0;
    }
    inv_beta_reg(defaults as f64 + 1.0, (obligors - defaults) as f64, confidence)
}

/// The standard normal density `φ(s)`.
pub(super) fn normal_density(s: f64) -> f64 {
    (-0.5 * s * s).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Where the bisection on `Φ⁻¹(p)` starts: `p` from `Φ(−38)`, about 3e-316, to `Φ(9)`.
pub(super) const THRESHOLDS: (f64, f64) = (-38.0, 9.0);

/// The factor's range integrated over: beyond ±9 its density's mass is below 1e-18.
pub(super) const FACTOR_RANGE: f64 = 9.0;

/// The one-factor bound is computed for `γ` in `[m, 1 − m]`, so that `1 − γ` stays well above
/// the integral's absolute accuracy, 1e-13.
const CONFIDENCE_MARGIN: f64 = 1e-9;

/// Why the bounds cannot be computed at `confidence` with correlated defaults (`rho > 0`), if
/// they cannot: the one rule, which the report's request also checks before reading any file.
pub(crate) fn correlated_confidence_refusal(confidence: f64, rho: f64) -> Option<String> {
    (rho > 0.0 && !(CONFIDENCE_MARGIN..=1.0 - CONFIDENCE_MARGIN).contains(&confidence)).then(|| {
        format!(
            "{confidence} is outside [{CONFIDENCE_MARGIN:e}, 1 − {CONFIDENCE_MARGIN:e}], where the Pluto–Tasche bounds with correlated defaults (rho {rho}) are computed"
        )
    })
}

/// Most bisections of one integral. Above a few hundred thousand obligors the integrand's own
/// rounding (about 1e-9 relative) keeps the error estimate above 1e-13, and more bisections
/// would only refine the noise.
const MAX_SPLITS: usize = 200;

/// The one-factor bound: the `p` at which at most `defaults` of `obligors` default with
/// probability `1 − confidence` (`defaults < obligors`, `0 < rho < 1`).
fn one_factor_bound(obligors: usize, defaults: usize, confidence: f64, rho: f64) -> f64 {
    let target = 1.0 - confidence;
    // P(at most `defaults`) falls as the threshold Φ⁻¹(p) rises.
    let (mut lo, mut hi) = THRESHOLDS;
    while hi - lo > 1e-12 {
        let mid = 0.5 * (lo + hi);
        if at_most(obligors, defaults, mid, rho) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    normal_sf(-0.5 * (lo + hi))
}

/// `∫ φ(s) P(Bin(N, G(s)) ≤ D) ds` with `G(s) = Φ((t − √ρ·s) / √(1 − ρ))`, `t = Φ⁻¹(p)`.
fn at_most(obligors: usize, defaults: usize, threshold: f64, rho: f64) -> f64 {
    let (loading, idiosyncratic) = (rho.sqrt(), (1.0 - rho).sqrt());
    let conditional_pd = |s: f64| normal_sf((loading * s - threshold) / idiosyncratic);
    let integrand =
        |s: f64| normal_density(s) * (1.0 - binomial_upper_tail(obligors, defaults + 1, conditional_pd(s)));
    // The binomial's distribution function turns from 1 to 0 as G(s) passes D/N; break the
    // range where G is 4^j times the rate of D + 1 defaults, so that a near-step G (ρ near 1)
    // still has pieces at the turn's tails.
    let normal = Normal::standard();
    let rate = (defaults as f64 + 1.0) / obligors as f64;
    let mut bounds = vec![-FACTOR_RANGE, FACTOR_RANGE];
    for q in [-3, -2, -1, 0, 1, 2, 3].map(|j| rate * 4f64.powi(j)) {
        if q < 1.0 {
            let s = (threshold - idiosyncratic * normal.inverse_cdf(q)) / loading;
            if s.abs() < FACTOR_RANGE {
                bounds.push(s);
            }
        }
    }
    bounds.sort_by(f64::total_cmp);
    crate::quadrature::integrate(&integrand, &bounds, 1e-13, MAX_SPLITS)
}
