//! Independence of the errors: Durbin–Watson, Breusch–Godfrey and Ljung–Box.

use ndarray::{Array2, ArrayView1, s};

use super::least_squares::{centered_tss, ssr_fit};
use super::ols::Ols;
use super::results::ChiSquareStat;
use crate::Result;

/// Errors unless `1 ≤ lags < limit`.
fn check_lags(lags: usize, limit: usize) -> Result<()> {
    if lags == 0 || lags >= limit {
        return Err(crate::error::invalid_parameter(
            "lags",
            format!("{lags}: the lag count must be at least 1 and below {limit} (rows left after the fit)"),
        ));
    }
    Ok(())
}

/// Durbin & Watson (1950): `d = Σ_{t≥2} (e_t − e_{t−1})² / Σ e_t²`; about 2 without
/// autocorrelation, towards 0 for positive and 4 for negative first-order autocorrelation. As
/// `statsmodels.stats.stattools.durbin_watson`; no p-value.
pub fn durbin_watson(resid: ArrayView1<'_, f64>) -> f64 {
    let num: f64 = resid.windows(2).into_iter().map(|w| (w[1] - w[0]).powi(2)).sum();
    num / resid.dot(&resid)
}

/// Breusch (1978) – Godfrey (1978) LM test of autocorrelation up to lag `lags`: regress the
/// residuals on the design and `e_{t−1} … e_{t−L}` (zeros before the first row), `LM = n R²`,
/// χ² with `L` degrees of freedom. As statsmodels' `acorr_breusch_godfrey(res, nlags=L)`.
pub fn breusch_godfrey(ols: &Ols, lags: usize) -> Result<ChiSquareStat> {
    let (n, p) = ols.design.dim();
    check_lags(lags, n.saturating_sub(p))?;
    let e = &ols.resid;
    let mut aux = Array2::zeros((n, p + lags));
    aux.slice_mut(s![.., ..p]).assign(&ols.design);
    for lag in 1..=lags {
        for t in lag..n {
            aux[[t, p + lag - 1]] = e[t - lag];
        }
    }
    let f = ssr_fit(aux.view(), e.view())?;
    let r2 = 1.0 - f.ssr / centered_tss(e.view());
    ChiSquareStat::new(n as f64 * r2, lags as f64)
}

/// Ljung & Box (1978): `Q = n(n + 2) Σ_{k=1}^{L} r_k² / (n − k)`, with `r_k` the lag-`k`
/// autocorrelation of the demeaned residuals (denominator `Σ (e − ē)²`), χ² with `L` degrees
/// of freedom. As statsmodels' `acorr_ljungbox(resid, lags=[L])`.
pub fn ljung_box(resid: ArrayView1<'_, f64>, lags: usize) -> Result<ChiSquareStat> {
    let n = resid.len();
    check_lags(lags, n)?;
    let mean = resid.mean().unwrap_or(0.0);
    let d = resid.mapv(|v| v - mean);
    let denom = d.dot(&d);
    let q: f64 = (1..=lags)
        .map(|k| {
            let r = d.slice(s![k..]).dot(&d.slice(s![..n - k])) / denom;
            r * r / (n - k) as f64
        })
        .sum();
    ChiSquareStat::new(n as f64 * (n as f64 + 2.0) * q, lags as f64)
}
