//! The Lilliefors (1967) test: Kolmogorov–Smirnov against the normal distribution with the
//! mean and variance estimated from the sample.
//!
//! The statistic's null distribution has no closed form. Its p-value interpolates a table of
//! simulated critical values (`lilliefors_table.rs`, made by
//! `crates/kd-hypotheses/tools/lilliefors_table.py`) on the grid of sample sizes and
//! percentiles of statsmodels' `lilliefors(pvalmethod='table')`, and in the same way: critical
//! values linear in `n` between tabulated sizes (a fitted `exp(b0 + b1 ln n + b2 ln² n)` above
//! 1600), then the tail probability linear between critical values, capped at 0.99. kd's
//! table was simulated independently of statsmodels' (400,000 samples per size), so the two
//! p-values agree to Monte Carlo error, about 1e-3 (tests/golden/hypotheses).
//!
//! Beyond the table's last critical value (p below 0.001) the p-value comes from Dallal &
//! Wilkinson's (1986) analytic approximation, as R's `nortest::lillie.test` computes it
//! (Stephens' scaling above 100 rows), which is accurate in that tail; the result says which
//! method gave it.

use serde::Serialize;
use statrs::distribution::ContinuousCDF;

use super::lilliefors_table::{ASYMPTOTIC, CRITICAL, PERCENTILES, SIZES};
use super::scaling::normalised;
use crate::distributions::normal;
use crate::error::{Error, Result};

/// Which computation gave a Lilliefors p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LillieforsMethod {
    /// Interpolated in kd's simulated table (p from 0.001 to 0.99; 0.99 means "at least").
    Table,
    /// Dallal & Wilkinson's approximation, below the table's floor of 0.001.
    DallalWilkinson,
}

/// The Lilliefors test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Lilliefors {
    /// The Kolmogorov–Smirnov distance `D`.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// How the p-value was computed.
    pub method: LillieforsMethod,
}

/// Dallal & Wilkinson's (1986) approximation of `P(D > d)` for `n` values, as nortest's
/// `lillie.test`: for `n > 100`, `d` is rescaled by `(n/100)^0.49` and `n` set to 100.
pub fn dallal_wilkinson(d: f64, n: usize) -> f64 {
    let (kd, nd) = if n <= 100 { (d, n as f64) } else { (d * (n as f64 / 100.0).powf(0.49), 100.0) };
    (-7.01256 * kd * kd * (nd + 2.78019) + 2.99587 * kd * (nd + 2.78019).sqrt() - 0.122119
        + 0.974598 / nd.sqrt()
        + 1.67997 / nd)
        .exp()
}

/// `D = max_i max(i/n − Φ(z_(i)), Φ(z_(i)) − (i − 1)/n)` on the sample standardised by its
/// mean and standard deviation (`n − 1`).
fn statistic(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let mut cdf: Vec<f64> = x.iter().map(|v| normal().cdf((v - mean) / sd)).collect();
    cdf.sort_unstable_by(f64::total_cmp);
    cdf.iter().enumerate().map(|(i, &f)| ((i as f64 + 1.0) / n - f).max(f - i as f64 / n)).fold(0.0, f64::max)
}

/// The critical values at every tabulated percentile for a sample of `n`.
fn critical_values(n: f64) -> [f64; PERCENTILES.len()] {
    let mut out = [0.0; PERCENTILES.len()];
    if n > SIZES[SIZES.len() - 1] {
        for (k, b) in ASYMPTOTIC.iter().enumerate() {
            out[k] = (b[0] + b[1] * n.ln() + b[2] * n.ln().powi(2)).exp();
        }
        return out;
    }
    let upper = SIZES.partition_point(|&s| s < n).min(SIZES.len() - 1);
    let lower = upper.saturating_sub(1);
    let t = if upper == lower { 0.0 } else { (n - SIZES[lower]) / (SIZES[upper] - SIZES[lower]) };
    for (k, value) in out.iter_mut().enumerate() {
        *value = CRITICAL[lower][k] + t * (CRITICAL[upper][k] - CRITICAL[lower][k]);
    }
    out
}

/// Lilliefors' test of normality, for at least 4 values.
pub fn lilliefors(x: &[f64]) -> Result<Lilliefors> {
    if x.len() < 4 {
        return Err(Error::TooFewRows {
            what: "the Lilliefors test (values)".into(),
            needed: 4,
            found: x.len(),
        });
    }
    if x.iter().all(|&v| v == x[0]) {
        return Err(Error::Undefined {
            test: "the Lilliefors test".into(),
            reason: "the values are all equal".into(),
        });
    }
    let d = statistic(&normalised(x));
    let crit = critical_values(x.len() as f64);
    let alpha = |k: usize| 1.0 - PERCENTILES[k] / 100.0;
    let last = crit.len() - 1;
    if d > crit[last] {
        let p_value = dallal_wilkinson(d, x.len());
        return Ok(Lilliefors { statistic: d, p_value, method: LillieforsMethod::DallalWilkinson });
    }
    let p_value = if d < crit[0] {
        alpha(0)
    } else {
        let k = crit.partition_point(|&c| c <= d).clamp(1, last);
        let t = (d - crit[k - 1]) / (crit[k] - crit[k - 1]);
        alpha(k - 1) + t * (alpha(k) - alpha(k - 1))
    };
    Ok(Lilliefors { statistic: d, p_value, method: LillieforsMethod::Table })
}
