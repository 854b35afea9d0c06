//! Stability of the coefficients: the OLS-residual CUSUM test and the Chow test.

use ndarray::s;

use super::least_squares::ssr_fit;
use super::ols::Ols;
use super::results::{FStat, Statistic};
use crate::distributions::kolmogorov_sf;
use crate::error::{Error, Result};

/// Ploberger & Krämer (1992) CUSUM of OLS residuals: `sup_t |Σ_{s≤t} e_s| / sqrt(n σ̂²)` with
/// `σ̂² = Σ e² / (n − p)`, p-value from the Kolmogorov distribution, as statsmodels'
/// `breaks_cusumolsresid(resid, ddof=p)`.
pub fn cusum(ols: &Ols) -> Result<Statistic> {
    let n = ols.n_obs() as f64;
    let sigma2 = ols.w.ssr / (n - ols.n_params() as f64);
    let scale = (n * sigma2).sqrt();
    let mut running = 0.0;
    let mut sup = 0.0f64;
    for e in &ols.w.resid {
        running += e;
        sup = sup.max(running.abs() / scale);
    }
    Ok(Statistic { statistic: sup, p_value: kolmogorov_sf(sup) })
}

/// Chow (1960) test of equal coefficients before row `break_at` (0-based: rows
/// `0..break_at`) and from it on: `F = ((SSR − SSR₁ − SSR₂)/p) / ((SSR₁ + SSR₂)/(n − 2p))`.
pub fn chow(ols: &Ols, break_at: usize) -> Result<FStat> {
    let (n, p) = ols.w.design.dim();
    if break_at <= p || n - break_at.min(n) <= p {
        return Err(crate::error::invalid_parameter(
            "break-at",
            format!("row {break_at}: each side needs more than {p} rows (the data has {n})"),
        ));
    }
    let part = |rows: std::ops::Range<usize>| {
        ssr_fit(ols.w.design.slice(s![rows.clone(), ..]), ols.w.y.slice(s![rows]))
    };
    let (first, second) = (part(0..break_at)?, part(break_at..n)?);
    if first.rank() < p || second.rank() < p {
        return Err(Error::Undefined {
            test: "the Chow test".into(),
            reason: "a side's rows do not determine all coefficients".into(),
        });
    }
    let within = first.ssr + second.ssr;
    let df_denom = (n - 2 * p) as f64;
    FStat::new((ols.w.ssr - within) / p as f64 / (within / df_denom), p as f64, df_denom)
}
