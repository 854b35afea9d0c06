//! Normality of the errors: Jarque–Bera, D'Agostino–Pearson (omnibus) and Anderson–Darling
//! (Shapiro–Wilk and Lilliefors have files of their own).

use serde::Serialize;
use statrs::distribution::ContinuousCDF;

use super::results::{ChiSquareStat, Statistic};
use super::scaling::normalised;
use crate::distributions::normal;
use crate::error::{Error, Result};

/// Biased sample skewness `m₃ / m₂^{3/2}` and kurtosis `m₄ / m₂²` (scipy's defaults), on the
/// values scaled by a power of two (fourth powers of 1e±80 would leave `f64`'s range).
pub fn moments(x: &[f64]) -> (f64, f64) {
    let x = normalised(x);
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let m = |k: i32| x.iter().map(|v| (v - mean).powi(k)).sum::<f64>() / n;
    let m2 = m(2);
    (m(3) / m2.powf(1.5), m(4) / (m2 * m2))
}

/// The Jarque–Bera test with the moments it uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct JarqueBera {
    /// `JB = n/6 (S² + (K − 3)²/4)`.
    pub statistic: f64,
    /// `P(χ²₂ > JB)`.
    pub p_value: f64,
    /// Skewness `S`.
    pub skew: f64,
    /// Kurtosis `K` (3 for a normal distribution).
    pub kurtosis: f64,
}

fn ensure_spread(test: &str, x: &[f64], needed: usize) -> Result<()> {
    if x.len() < needed {
        return Err(Error::TooFewRows { what: format!("{test} (residuals)"), needed, found: x.len() });
    }
    if x.iter().all(|&v| v == x[0]) {
        return Err(Error::Undefined { test: test.into(), reason: "the residuals are all equal".into() });
    }
    Ok(())
}

/// Jarque & Bera (1980), as `statsmodels.stats.stattools.jarque_bera`.
pub fn jarque_bera(x: &[f64]) -> Result<JarqueBera> {
    ensure_spread("the Jarque-Bera test", x, 3)?;
    let (skew, kurtosis) = moments(x);
    let statistic = x.len() as f64 / 6.0 * (skew * skew + (kurtosis - 3.0).powi(2) / 4.0);
    let chi = ChiSquareStat::new(statistic, 2.0)?;
    Ok(JarqueBera { statistic, p_value: chi.p_value, skew, kurtosis })
}

/// D'Agostino's (1970) normal approximation of the skewness, as `scipy.stats.skewtest`.
fn skew_z(n: f64, skew: f64) -> f64 {
    let y = skew * ((n + 1.0) * (n + 3.0) / (6.0 * (n - 2.0))).sqrt();
    let beta2 = 3.0 * (n * n + 27.0 * n - 70.0) * (n + 1.0) * (n + 3.0)
        / ((n - 2.0) * (n + 5.0) * (n + 7.0) * (n + 9.0));
    let w2 = -1.0 + (2.0 * (beta2 - 1.0)).sqrt();
    let delta = 1.0 / (0.5 * w2.ln()).sqrt();
    let alpha = (2.0 / (w2 - 1.0)).sqrt();
    let y = if y == 0.0 { 1.0 } else { y };
    delta * (y / alpha + ((y / alpha).powi(2) + 1.0).sqrt()).ln()
}

/// Anscombe & Glynn's (1983) normal approximation of the kurtosis, as
/// `scipy.stats.kurtosistest`.
fn kurtosis_z(n: f64, kurtosis: f64) -> f64 {
    let e = 3.0 * (n - 1.0) / (n + 1.0);
    let var = 24.0 * n * (n - 2.0) * (n - 3.0) / ((n + 1.0).powi(2) * (n + 3.0) * (n + 5.0));
    let x = (kurtosis - e) / var.sqrt();
    let sqrt_beta1 = 6.0 * (n * n - 5.0 * n + 2.0) / ((n + 7.0) * (n + 9.0))
        * (6.0 * (n + 3.0) * (n + 5.0) / (n * (n - 2.0) * (n - 3.0))).sqrt();
    let a = 6.0 + 8.0 / sqrt_beta1 * (2.0 / sqrt_beta1 + (1.0 + 4.0 / (sqrt_beta1 * sqrt_beta1)).sqrt());
    let term1 = 1.0 - 2.0 / (9.0 * a);
    let denom = 1.0 + x * (2.0 / (a - 4.0)).sqrt();
    let term2 = denom.signum() * ((1.0 - 2.0 / a) / denom.abs()).cbrt();
    (term1 - term2) / (2.0 / (9.0 * a)).sqrt()
}

/// D'Agostino & Pearson's (1973) omnibus test `K² = Z_skew² + Z_kurt²`, χ²₂, as
/// `statsmodels.stats.stattools.omni_normtest` (scipy's `normaltest`). Needs 8 rows.
pub fn omnibus(x: &[f64]) -> Result<Statistic> {
    ensure_spread("the omnibus test", x, 8)?;
    let n = x.len() as f64;
    let (skew, kurtosis) = moments(x);
    let k2 = skew_z(n, skew).powi(2) + kurtosis_z(n, kurtosis).powi(2);
    Ok(Statistic { statistic: k2, p_value: ChiSquareStat::new(k2, 2.0)?.p_value })
}

/// `ln Φ(z)`, accurate far into the lower tail, where `Φ(z)` underflows (below z ≈ −38):
/// there the asymptotic series `ln φ(z) − ln(−z) + ln(1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + 105z⁻⁸)`
/// (Abramowitz & Stegun 26.2.12; relative error below 1e-12 from z = −30).
fn ln_normal_cdf(z: f64) -> f64 {
    if z > -30.0 {
        return normal().cdf(z).ln();
    }
    let w = 1.0 / (z * z);
    let series = 1.0 - w + 3.0 * w * w - 15.0 * w.powi(3) + 105.0 * w.powi(4);
    -0.5 * z * z - 0.5 * (2.0 * std::f64::consts::PI).ln() - (-z).ln() + series.ln()
}

/// The Anderson–Darling test with the range of its p-value approximation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AndersonDarling {
    /// `A²`.
    pub statistic: f64,
    /// D'Agostino & Stephens' approximation; above its range (`A*² > 13`) the approximation's
    /// value at 13, an upper bound.
    pub p_value: f64,
    /// Whether `p_value` is that upper bound.
    pub bounded: bool,
}

/// The modified statistic `A*²` above which the p-value approximation is not used.
const AD_RANGE: f64 = 13.0;

/// D'Agostino & Stephens' (1986, table 4.9) p-value approximation in `A*²`.
fn ad_p_value(a: f64) -> f64 {
    if a < 0.2 {
        1.0 - (-13.436 + 101.14 * a - 223.73 * a * a).exp()
    } else if a < 0.34 {
        1.0 - (-8.318 + 42.796 * a - 59.938 * a * a).exp()
    } else if a < 0.6 {
        (0.9177 - 4.279 * a - 1.38 * a * a).exp()
    } else {
        (1.2937 - 5.709 * a + 0.0186 * a * a).exp()
    }
}

/// Anderson–Darling test for normality with estimated mean and variance, as statsmodels'
/// `normal_ad`: `A² = −n − Σ (2i − 1)/n [ln Φ(z_(i)) + ln(1 − Φ(z_(n+1−i)))]` on the sorted
/// standardised sample (sd with `n − 1`); the p-value comes from D'Agostino & Stephens' (1986)
/// approximations in `A*² = A²(1 + 0.75/n + 2.25/n²)`. The logarithms are taken of the tail
/// probabilities directly, so a residual 40 standard deviations out gives a large finite
/// `A²` (statsmodels and the earlier kd gave an infinite one). Above `A*² = 13` the
/// approximation (a quadratic that turns upwards) is not used: the p-value is its value at
/// 13, about 4.8e-31, reported as an upper bound (R's nortest flattens at 10 the same way).
pub fn anderson_darling(x: &[f64]) -> Result<AndersonDarling> {
    ensure_spread("the Anderson-Darling test", x, 3)?;
    let x = normalised(x);
    let n = x.len();
    let nf = n as f64;
    let mean = x.iter().sum::<f64>() / nf;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    let mut z: Vec<f64> = x.iter().map(|v| (v - mean) / sd).collect();
    z.sort_unstable_by(f64::total_cmp);
    let s: f64 = (0..n)
        .map(|i| (2.0 * i as f64 + 1.0) / nf * (ln_normal_cdf(z[i]) + ln_normal_cdf(-z[n - 1 - i])))
        .sum();
    let a2 = -nf - s;
    let a = a2 * (1.0 + 0.75 / nf + 2.25 / (nf * nf));
    let bounded = a > AD_RANGE;
    let p_value = ad_p_value(a.min(AD_RANGE));
    Ok(AndersonDarling { statistic: a2, p_value, bounded })
}
