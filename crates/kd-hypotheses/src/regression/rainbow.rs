//! Utts' (1982) rainbow test: does a fit to the central rows describe all rows as well?

use ndarray::s;
use serde::Serialize;

use super::least_squares::ssr_fit;
use super::ols::Ols;
use super::results::FStat;
use crate::error::{Error, Result, invalid_parameter};

/// Which rows make the central subset (they differ by one row for some `n`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RainbowRows {
    /// statsmodels' `linear_rainbow`: from `⌈(c − f/2)·n⌉` (0-based), `⌊f·n⌋` rows (the
    /// default; statsmodels 0.15 ignores its `center` argument, kd applies it in the same
    /// formula).
    #[default]
    Statsmodels,
    /// R's `lmtest::raintest`: from `⌈quantile(1:n, c − f/2)⌉` (1-based, R's type-7
    /// quantile), `⌊f·n⌋` rows. For odd `n` and the default fraction and centre it starts one
    /// row earlier than statsmodels.
    R,
}

/// Options of [`rainbow`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RainbowOptions {
    /// Share `f` of the rows in the central subset (default 0.5, range (0, 1)).
    pub fraction: f64,
    /// Centre `c` of the subset as a share of the rows in data order (default 0.5, range (0,
    /// 1); `c ± f/2` must stay within [0, 1]).
    pub center: f64,
    /// Row convention.
    pub rows: RainbowRows,
}

impl Default for RainbowOptions {
    fn default() -> Self {
        Self { fraction: 0.5, center: 0.5, rows: RainbowRows::Statsmodels }
    }
}

/// The central subset `first..first + count` (0-based) for `n` rows.
pub fn rainbow_rows(n: usize, options: &RainbowOptions) -> Result<std::ops::Range<usize>> {
    let (f, c) = (options.fraction, options.center);
    if !(f > 0.0 && f < 1.0) {
        return Err(invalid_parameter("rainbow-fraction", format!("{f}: must lie in (0, 1)")));
    }
    if !(c > 0.0 && c < 1.0) || c - f / 2.0 < 0.0 || c + f / 2.0 > 1.0 {
        return Err(invalid_parameter(
            "rainbow-center",
            format!(
                "{c}: must lie in (0, 1) with the subset inside the rows (centre ± fraction/2 within [0, 1])"
            ),
        ));
    }
    let nf = n as f64;
    let count = (f * nf).floor() as usize;
    let first = match options.rows {
        // statsmodels' own expression at the default centre, so that rounding matches.
        RainbowRows::Statsmodels if c == 0.5 => (0.5 * (1.0 - f) * nf).ceil() as usize,
        RainbowRows::Statsmodels => ((c - f / 2.0) * nf).ceil() as usize,
        RainbowRows::R => {
            // R's quantile(1:n, prob, type = 7), computed as R does, then ceiling, 1-based.
            let index = 1.0 + (nf - 1.0) * (c - f / 2.0);
            let lo = index.floor();
            let h = index - lo;
            let q = if h > 0.0 { (1.0 - h) * lo + h * (lo + 1.0) } else { lo };
            (q.ceil() as usize).saturating_sub(1)
        }
    };
    Ok(first..(first + count).min(n))
}

/// Utts (1982): refit on the central rows (in data order) and F-test whether the whole sample
/// fits worse, `F = ((SSR − SSR_c)/(n − n_c)) / (SSR_c/(n_c − p))`, F with `(n − n_c, n_c − p)`
/// degrees of freedom. As statsmodels' `linear_rainbow(res, frac)` or R's `raintest(fraction,
/// center)`, by `options.rows`.
pub fn rainbow(ols: &Ols, options: &RainbowOptions) -> Result<FStat> {
    let (n, p) = ols.w.design.dim();
    let rows = rainbow_rows(n, options)?;
    if rows.len() <= p {
        return Err(Error::TooFewRows {
            what: format!(
                "the rainbow test (rows in the central {:.0}%, more than the {p} parameters)",
                100.0 * options.fraction
            ),
            needed: p + 1,
            found: rows.len(),
        });
    }
    let middle = ssr_fit(ols.w.design.slice(s![rows.clone(), ..]), ols.w.y.slice(s![rows.clone()]))?;
    let n_mid = rows.len() as f64;
    let df_mid = n_mid - middle.rank() as f64;
    let statistic = (ols.w.ssr - middle.ssr) / (n as f64 - n_mid) / middle.ssr * df_mid;
    FStat::new(statistic, n as f64 - n_mid, df_mid)
}
