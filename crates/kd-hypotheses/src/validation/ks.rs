//! The two-sample Kolmogorov–Smirnov test, two-sided.
//!
//! `D = sup |F₁(x) − F₂(x)|`. The p-value is exact, `P(D ≥ d)` under the null, when both samples
//! have at most [`MAX_EXACT_N`] rows (as `scipy.stats.ks_2samp(method='auto')`): lattice paths
//! from (0, 0) to (m, n) that leave the band `|i/m − j/n| < d` (Hodges 1958), counted as a
//! proportion with the recursion `Q(i, j) = (i·Q(i−1, j) + j·Q(i, j−1)) / (i + j)`, which is
//! stable in floating point (Viehmann 2021, arXiv:2102.08037). Larger samples use the
//! Kolmogorov limiting distribution at `sqrt(mn/(m+n))·D` (as R's `ks.test`). Matches scipy
//! 1.17's exact p-value (tests/golden/validation).

use serde::Serialize;

use crate::distributions::kolmogorov_sf;
use crate::error::{Error, Result, ensure_finite};

/// Largest sample size for which the p-value is exact.
pub const MAX_EXACT_N: usize = 10_000;

/// How the p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KsMethod {
    /// Exact null distribution.
    Exact,
    /// Kolmogorov's limiting distribution.
    Asymptotic,
}

/// Result of the two-sample KS test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct KolmogorovSmirnov {
    /// `D`, the largest distance between the two empirical distribution functions.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Exact or asymptotic.
    pub method: KsMethod,
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The two-sample KS test of `a` against `b` (each at least one finite value).
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> Result<KolmogorovSmirnov> {
    for (name, sample) in [("first sample", a), ("second sample", b)] {
        ensure_finite(name, sample)?;
        if sample.is_empty() {
            return Err(Error::TooFewRows { what: format!("the KS test ({name})"), needed: 1, found: 0 });
        }
    }
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable_by(f64::total_cmp);
    b.sort_unstable_by(f64::total_cmp);
    let (m, n) = (a.len(), b.len());
    // Walk both sorted samples; at each distinct value compare the two ECDFs in integer units
    // (i·n − j·m) to find D exactly.
    let (mut i, mut j, mut largest) = (0usize, 0usize, 0i128);
    while i < m && j < n {
        let x = if a[i] <= b[j] { a[i] } else { b[j] };
        while i < m && a[i] == x {
            i += 1;
        }
        while j < n && b[j] == x {
            j += 1;
        }
        largest = largest.max((i as i128 * n as i128 - j as i128 * m as i128).abs());
    }
    Ok(ks_from_distance(m, n, largest))
}

/// The test from the sample sizes and the largest ECDF distance in integer units,
/// `max |i·n − j·m|` (so `D = largest / (m·n)`): what a merged summary of the two samples gives.
pub(crate) fn ks_from_distance(m: usize, n: usize, largest: i128) -> KolmogorovSmirnov {
    let statistic = largest as f64 / (m as f64 * n as f64);
    if m.max(n) <= MAX_EXACT_N {
        let g = gcd(m, n);
        // In units of 1/lcm(m, n): D = h / lcm.
        let h = (largest / g as i128) as usize;
        KolmogorovSmirnov { statistic, p_value: exact_p_value(m, n, g, h), method: KsMethod::Exact }
    } else {
        let en = (m as f64 * n as f64) / (m + n) as f64;
        KolmogorovSmirnov {
            statistic,
            p_value: kolmogorov_sf(en.sqrt() * statistic),
            method: KsMethod::Asymptotic,
        }
    }
}

/// `P(D ≥ h/lcm(m, n))` under the null: the proportion of lattice paths from (0, 0) to (m, n)
/// that touch or leave the band `|i·(n/g) − j·(m/g)| < h`.
fn exact_p_value(m: usize, n: usize, g: usize, h: usize) -> f64 {
    if h == 0 {
        return 1.0;
    }
    let (m, n) = if m >= n { (m, n) } else { (n, m) };
    let (mg, ng) = ((m / g) as i128, (n / g) as i128);
    let h = h as i128;
    // Column j-range inside the band at step i: ng·i − h < mg·j < ng·i + h.
    let band = |i: i128| -> (usize, usize) {
        let low = (ng * i - h).div_euclid(mg) + 1;
        let high = (ng * i + h - 1).div_euclid(mg);
        (low.max(0) as usize, high.min(n as i128) as usize)
    };
    // q[j] holds Q(i, j), the proportion of paths to (i, j) that leave the band; outside the
    // band Q = 1, and cells never inside keep their initial 1.
    let mut q = vec![1.0f64; n + 1];
    let (lo, hi) = band(0);
    for cell in q.iter_mut().take(hi + 1).skip(lo) {
        *cell = 0.0;
    }
    for i in 1..=m {
        let (lo, hi) = band(i as i128);
        if lo > hi {
            return 1.0;
        }
        let fi = i as f64;
        let mut left = 1.0; // Q(i, lo − 1): outside the band (or no such cell when lo = 0).
        for (j, cell) in q.iter_mut().enumerate().take(hi + 1).skip(lo) {
            let fj = j as f64;
            *cell = (fi * *cell + fj * left) / (fi + fj);
            left = *cell;
        }
    }
    q[n]
}
