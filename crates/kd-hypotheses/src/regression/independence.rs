//! Independence of the errors: Breusch–Godfrey (χ² and F forms), Ljung–Box and Box–Pierce
//! (Durbin–Watson has a file of its own).

use ndarray::{ArrayView1, s};
use serde::Serialize;

use super::least_squares::{centered_tss, ssr_of_rows};
use super::ols::Ols;
use super::results::{ChiSquareStat, FStat};
use super::scaling::normalised;
use crate::Result;
use crate::error::invalid_parameter;

/// Errors unless `1 ≤ lags < limit`.
fn check_lags(lags: usize, limit: usize) -> Result<()> {
    if lags == 0 || lags >= limit {
        return Err(invalid_parameter(
            "lags",
            format!("{lags}: the lag count must be at least 1 and below {limit} (rows left after the fit)"),
        ));
    }
    Ok(())
}

/// Which form of the Breusch–Godfrey statistic the battery reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BgForm {
    /// `LM = n R²`, χ² with `L` degrees of freedom (R's `type = "Chisq"`, statsmodels' `lm`).
    #[default]
    Chisq,
    /// The F test of the lagged residuals in the auxiliary regression, `F(L, n − p − L)` (R's
    /// `type = "F"`, statsmodels' `fval`); better sized in small samples.
    F,
}

/// The Breusch–Godfrey test in both forms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BreuschGodfrey {
    /// `LM = n R²` of the auxiliary regression, χ² with `L` degrees of freedom.
    pub lm: ChiSquareStat,
    /// `F = ((SSR₀ − SSR₁) / L) / (SSR₁ / (n − p − L))`, F with `(L, n − p − L)` degrees of
    /// freedom; `None` when the lagged residuals are linearly dependent on the design.
    pub f: Option<FStat>,
}

/// Breusch (1978) – Godfrey (1978) test of autocorrelation up to lag `lags`: regress the
/// residuals on the design and `e_{t−1} … e_{t−L}` (zeros before the first row). As R's
/// `lmtest::bgtest(order = L, type = "Chisq" | "F")` and statsmodels'
/// `acorr_breusch_godfrey(res, nlags=L)`.
pub fn breusch_godfrey(ols: &Ols, lags: usize) -> Result<BreuschGodfrey> {
    let (n, p) = ols.w.design.dim();
    check_lags(lags, n.saturating_sub(p))?;
    let (design, e) = (&ols.w.design, &ols.w.resid);
    let aux = ssr_of_rows(n, p + lags + 1, |start, mut block| {
        let rows = block.nrows();
        block.slice_mut(s![.., ..p]).assign(&design.slice(s![start..start + rows, ..]));
        for lag in 1..=lags {
            let mut column = block.column_mut(p + lag - 1);
            for (i, v) in column.iter_mut().enumerate() {
                let t = start + i;
                *v = if t >= lag { e[t - lag] } else { 0.0 };
            }
        }
        block.column_mut(p + lags).assign(&e.slice(s![start..start + rows]));
    })?;
    let ssr0 = e.dot(e);
    let lm = ChiSquareStat::new(n as f64 * (1.0 - aux.ssr / centered_tss(e.view())), lags as f64)?;
    let df_denom = (n - p - lags) as f64;
    let f = if aux.rank() < p + lags {
        None
    } else {
        Some(FStat::new((ssr0 - aux.ssr) / lags as f64 / (aux.ssr / df_denom), lags as f64, df_denom)?)
    };
    Ok(BreuschGodfrey { lm, f })
}

/// The autocorrelations `r_1 … r_L` of the demeaned series (denominator `Σ (e − ē)²`).
fn autocorrelations(resid: ArrayView1<'_, f64>, lags: usize) -> Vec<f64> {
    let e = resid.to_vec();
    let e = normalised(&e);
    let n = e.len();
    let mean = e.iter().sum::<f64>() / n as f64;
    let d: Vec<f64> = e.iter().map(|v| v - mean).collect();
    let denom: f64 = d.iter().map(|v| v * v).sum();
    (1..=lags).map(|k| d[k..].iter().zip(&d[..n - k]).map(|(a, b)| a * b).sum::<f64>() / denom).collect()
}

/// Degrees of freedom `lags − fitdf`, which must be positive.
fn portmanteau_df(lags: usize, fitdf: usize) -> Result<f64> {
    if fitdf >= lags {
        return Err(invalid_parameter(
            "fitdf",
            format!("{fitdf}: must be below the lag count {lags} (the degrees of freedom are lags − fitdf)"),
        ));
    }
    Ok((lags - fitdf) as f64)
}

/// Ljung & Box (1978): `Q = n(n + 2) Σ_{k=1}^{L} r_k² / (n − k)`, χ² with `L − fitdf`
/// degrees of freedom (`fitdf`: parameters of an ARMA model fitted to the series, 0 for
/// regression residuals). As R's `Box.test(type = "Ljung-Box", fitdf)` and statsmodels'
/// `acorr_ljungbox(resid, lags=[L], model_df=fitdf)`.
pub fn ljung_box(resid: ArrayView1<'_, f64>, lags: usize, fitdf: usize) -> Result<ChiSquareStat> {
    let n = resid.len();
    check_lags(lags, n)?;
    let df = portmanteau_df(lags, fitdf)?;
    let r = autocorrelations(resid, lags);
    let q: f64 = r.iter().enumerate().map(|(i, rk)| rk * rk / (n - i - 1) as f64).sum();
    ChiSquareStat::new(n as f64 * (n as f64 + 2.0) * q, df)
}

/// Box & Pierce (1970): `Q = n Σ_{k=1}^{L} r_k²`, χ² with `L − fitdf` degrees of freedom; the
/// older form, which Ljung–Box corrects for small samples. As R's `Box.test(type =
/// "Box-Pierce", fitdf)` and statsmodels' `acorr_ljungbox(boxpierce=True)`.
pub fn box_pierce(resid: ArrayView1<'_, f64>, lags: usize, fitdf: usize) -> Result<ChiSquareStat> {
    let n = resid.len();
    check_lags(lags, n)?;
    let df = portmanteau_df(lags, fitdf)?;
    let q: f64 = autocorrelations(resid, lags).iter().map(|r| r * r).sum();
    ChiSquareStat::new(n as f64 * q, df)
}
