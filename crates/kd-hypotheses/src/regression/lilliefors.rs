//! The Lilliefors (1967) test: Kolmogorov–Smirnov against the normal distribution with the
//! mean and variance estimated from the sample.
//!
//! The statistic's null distribution has no closed form. Its p-value interpolates a table of
//! simulated critical values (`lilliefors_table.rs`, made by
//! `crates/kd-hypotheses/tools/lilliefors_table.py`) on the grid of sample sizes and
//! percentiles of statsmodels' `lilliefors(pvalmethod='table')`, and in the same way: critical
//! values linear in `n` between tabulated sizes (a fitted `exp(b0 + b1 ln n + b2 ln² n)` above
//! 1600), then the tail probability linear between critical values, clipped to [0.001, 0.99].
//! kd's table was simulated independently of statsmodels' (400,000 samples per size), so the
//! two p-values agree to Monte Carlo error, about 1e-3 (tests/golden/hypotheses).

use statrs::distribution::ContinuousCDF;

use super::lilliefors_table::{ASYMPTOTIC, CRITICAL, PERCENTILES, SIZES};
use super::results::Statistic;
use crate::distributions::normal;
use crate::error::{Error, Result};

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
pub fn lilliefors(x: &[f64]) -> Result<Statistic> {
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
    let d = statistic(x);
    let crit = critical_values(x.len() as f64);
    let alpha = |k: usize| 1.0 - PERCENTILES[k] / 100.0;
    let last = crit.len() - 1;
    let p_value = if d < crit[0] {
        alpha(0)
    } else if d > crit[last] {
        alpha(last)
    } else {
        let k = crit.partition_point(|&c| c <= d).clamp(1, last);
        let t = (d - crit[k - 1]) / (crit[k] - crit[k - 1]);
        alpha(k - 1) + t * (alpha(k) - alpha(k - 1))
    };
    Ok(Statistic { statistic: d, p_value })
}
