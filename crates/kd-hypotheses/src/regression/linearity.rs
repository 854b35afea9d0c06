//! Linearity of the mean: Ramsey's RESET and Harvey–Collier (Utts' rainbow test has a file of
//! its own).

use ndarray::s;
use serde::Serialize;

use super::least_squares::ssr_of_rows;
use super::ols::Ols;
use super::recursive::recursive_residuals;
use super::results::FStat;
use crate::distributions::t_two_sided;
use crate::error::{Error, Result, invalid_parameter};

/// What RESET raises to powers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResetKind {
    /// The fitted values `ŷ` (R's `type = "fitted"`, statsmodels' `test_type="fitted"`).
    #[default]
    Fitted,
    /// Every regressor but the intercept (R's `type = "regressor"`, statsmodels'
    /// `test_type="exog"`).
    Regressor,
}

/// Options of [`reset`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResetOptions {
    /// Powers added (default `[2, 3]`, R's `power = 2:3`; each at least 2, at most 10).
    pub powers: Vec<u32>,
    /// What is raised to them.
    pub kind: ResetKind,
}

impl Default for ResetOptions {
    fn default() -> Self {
        Self { powers: vec![2, 3], kind: ResetKind::Fitted }
    }
}

/// Largest RESET power accepted.
pub const RESET_MAX_POWER: u32 = 10;

/// Ramsey (1969) RESET: add powers of the fitted values (or of every regressor) to the design
/// and F-test them, `F = ((SSR₀ − SSR₁)/q) / (SSR₁/(n − p − q))`, as R's
/// `lmtest::resettest(power, type)` and statsmodels' `linear_reset(res, power, test_type,
/// use_f=True)`. `q` counts the added columns that are independent of the design (where
/// statsmodels loses one to rounding, as on Longley, kd keeps it).
///
/// Each base `v` is raised as `((v − c)/s)^q` with `s = max |v − c|`: when the powers are
/// `2, 3, …, k` the centre `c` is `v`'s mean, otherwise `c = 0`. The added columns then span
/// the same space, with the design, as `v^q` (the design holds the intercept and `v`, and the
/// powers of `v − c` up to `k` are combinations of those of `v`), so the F statistic is the same
/// in exact arithmetic; in floating point it stays accurate where `v` has a large mean and a
/// small spread (fitted values near −685 varying by 0.01 lost every digit of `ŷ³`).
pub fn reset(ols: &Ols, options: &ResetOptions) -> Result<FStat> {
    let powers = &options.powers;
    if powers.is_empty() || powers.iter().any(|&q| !(2..=RESET_MAX_POWER).contains(&q)) {
        return Err(invalid_parameter(
            "reset-powers",
            format!("{powers:?}: give one or more powers from 2 to {RESET_MAX_POWER}"),
        ));
    }
    let (design, fitted) = (&ols.w.design, &ols.w.fitted);
    let (n, p) = design.dim();
    let bases: Vec<usize> = match options.kind {
        ResetKind::Fitted => vec![usize::MAX],
        ResetKind::Regressor => (1..p).collect(),
    };
    let extra = bases.len() * powers.len();
    let mut sorted = powers.clone();
    sorted.sort_unstable();
    let contiguous = sorted.iter().zip(2..).all(|(&q, want)| q == want);
    let base_values = |base: usize| if base == usize::MAX { fitted.view() } else { design.column(base) };
    // (centre, scale) of each base, over all rows.
    let standard: Vec<(f64, f64)> = bases
        .iter()
        .map(|&base| {
            let v = base_values(base);
            let centre = if contiguous { v.mean().unwrap_or(0.0) } else { 0.0 };
            let scale = v.iter().fold(0.0_f64, |m, &x| m.max((x - centre).abs()));
            (centre, if scale > 0.0 { scale } else { 1.0 })
        })
        .collect();
    let unrestricted = ssr_of_rows(n, p + extra + 1, |start, mut block| {
        let rows = block.nrows();
        block.slice_mut(s![.., ..p]).assign(&design.slice(s![start..start + rows, ..]));
        for (b, &base) in bases.iter().enumerate() {
            let source = base_values(base).slice_move(s![start..start + rows]);
            let (centre, scale) = standard[b];
            for (k, &power) in powers.iter().enumerate() {
                block
                    .column_mut(p + b * powers.len() + k)
                    .zip_mut_with(&source, |d, &v| *d = ((v - centre) / scale).powi(power as i32));
            }
        }
        block.column_mut(p + extra).assign(&ols.w.y.slice(s![start..start + rows]));
    })?;
    let df_denom = n as f64 - unrestricted.rank() as f64;
    let df_num = unrestricted.rank().saturating_sub(p) as f64;
    if df_num < 1.0 || df_denom < 1.0 {
        return Err(Error::Undefined {
            test: "RESET".into(),
            reason:
                "the added powers give no column independent of the design, or leave no degrees of freedom"
                    .into(),
        });
    }
    FStat::new((ols.w.ssr - unrestricted.ssr) / df_num / (unrestricted.ssr / df_denom), df_num, df_denom)
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
    /// Mean of the recursive residuals in working units (its sign says whether the fit
    /// under- or overshoots).
    pub mean_recursive_residual: f64,
}

/// Harvey & Collier (1977), as R `lmtest::harvtest` with the rows in data order. (statsmodels
/// 0.15's `linear_harvey_collier` skips a fixed 3 recursive residuals instead of `p`, which is
/// wrong whenever the design has other than 3 columns; kd follows R.)
pub fn harvey_collier(ols: &Ols) -> Result<HarveyCollier> {
    let w = recursive_residuals(ols.w.design.view(), ols.w.y.view())?;
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
