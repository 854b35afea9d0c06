//! Linearity of the mean: Ramsey's RESET, Harvey–Collier and Utts' rainbow test.

use ndarray::{Array2, s};

use super::least_squares::ssr_fit;
use super::ols::Ols;
use super::recursive::recursive_residuals;
use super::results::FStat;
use crate::distributions::t_two_sided;
use crate::error::{Error, Result};
use serde::Serialize;

/// Ramsey (1969) RESET: add `ŷ², …, ŷ^power` to the design and F-test them, as statsmodels'
/// `linear_reset(res, power, test_type='fitted', use_f=True)` (R `lmtest::resettest`'s default).
pub fn reset(ols: &Ols, power: usize) -> Result<FStat> {
    if power < 2 {
        return Err(crate::error::invalid_parameter("power", format!("{power}: RESET needs at least 2")));
    }
    let (n, p) = ols.design.dim();
    let extra = power - 1;
    let mut aug = Array2::zeros((n, p + extra));
    aug.slice_mut(s![.., ..p]).assign(&ols.design);
    for (k, exponent) in (2..=power).enumerate() {
        aug.column_mut(p + k).assign(&ols.fitted.mapv(|v| v.powi(exponent as i32)));
    }
    let unrestricted = ssr_fit(aug.view(), ols.y.view())?;
    let df_denom = n as f64 - unrestricted.rank() as f64;
    let df_num = (unrestricted.rank() - p) as f64;
    if df_num < 1.0 || df_denom < 1.0 {
        return Err(Error::Undefined {
            test: "RESET".into(),
            reason: "the powers of the fitted values add no independent column".into(),
        });
    }
    FStat::new((ols.ssr - unrestricted.ssr) / df_num / (unrestricted.ssr / df_denom), df_num, df_denom)
}

/// The Harvey–Collier test: a t-test of zero mean on the recursive residuals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HarveyCollier {
    /// `|sqrt(n − p) · mean(w) / sd(w)|` over the `n − p` recursive residuals (R reports the
    /// absolute value; the sign of `mean` is in `mean_recursive_residual`).
    pub statistic: f64,
    /// Two-sided p-value from Student's t with `n − p − 1` degrees of freedom.
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Mean of the recursive residuals (its sign says whether the fit under- or overshoots).
    pub mean_recursive_residual: f64,
}

/// Harvey & Collier (1977), as R `lmtest::harvtest` with the rows in data order. (statsmodels
/// 0.15's `linear_harvey_collier` skips a fixed 3 recursive residuals instead of `p`, which is
/// wrong whenever the design has other than 3 columns; kd follows R.)
pub fn harvey_collier(ols: &Ols) -> Result<HarveyCollier> {
    let w = recursive_residuals(ols.design.view(), ols.y.view())?;
    let m = w.len() as f64;
    if w.len() < 3 {
        return Err(Error::TooFewRows {
            what: "the Harvey-Collier test (recursive residuals)".into(),
            needed: 3,
            found: w.len(),
        });
    }
    let mean = w.sum() / m;
    let sd = (w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt();
    let statistic = (m.sqrt() * mean / sd).abs();
    let df = m - 1.0;
    Ok(HarveyCollier { statistic, p_value: t_two_sided(statistic, df)?, df, mean_recursive_residual: mean })
}

/// Utts' (1982) rainbow test: refit on the middle half of the rows (from `⌈n/4⌉`, `⌊n/2⌋`
/// rows, in data order) and F-test whether the whole sample fits worse, as statsmodels'
/// `linear_rainbow(res, frac=0.5)`.
pub fn rainbow(ols: &Ols) -> Result<FStat> {
    let (n, p) = ols.design.dim();
    let low = (0.25 * n as f64).ceil() as usize;
    let high = (low as f64 + 0.5 * n as f64).floor() as usize;
    if high - low <= p {
        return Err(Error::TooFewRows {
            what: "the rainbow test (rows in the middle half, more than parameters)".into(),
            needed: 2 * (p + 1),
            found: n,
        });
    }
    let middle = ssr_fit(ols.design.slice(s![low..high, ..]), ols.y.slice(s![low..high]))?;
    let n_mid = (high - low) as f64;
    let df_mid = n_mid - middle.rank() as f64;
    let statistic = (ols.ssr - middle.ssr) / (n as f64 - n_mid) / middle.ssr * df_mid;
    FStat::new(statistic, n as f64 - n_mid, df_mid)
}
