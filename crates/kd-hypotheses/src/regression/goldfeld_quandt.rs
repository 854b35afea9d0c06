//! The Goldfeld–Quandt test of a variance that changes with row order, as R's
//! `lmtest::gqtest(point = 0.5, fraction, alternative)`.

use ndarray::s;
use serde::Serialize;

use super::least_squares::ssr_fit;
use super::ols::Ols;
use super::results::{Alternative, FStat};
use crate::error::{Error, Result, invalid_parameter};

/// Options of [`goldfeld_quandt`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GqOptions {
    /// `Greater` (the default): the variance increases from the first segment to the second;
    /// `Less`: it decreases; `TwoSided`: it changes.
    pub alternative: Alternative,
    /// Share of the rows, around the middle, left out of both segments (default 0, range
    /// `[0, 1)`; Goldfeld and Quandt suggest about a fifth to sharpen the contrast).
    pub drop: f64,
}

/// The segments of R's `gqtest`: rows `0..end1` and `start2..n` (0-based), with
/// `end1 = ⌊(½ − f/2) n⌋` and `start2 = ⌈(½ + f/2) n + 0.01⌉ − 1`.
pub fn segments(n: usize, drop: f64) -> (usize, usize) {
    let nf = n as f64;
    let end1 = ((0.5 - drop / 2.0) * nf).floor() as usize;
    let start2 = (((0.5 + drop / 2.0) * nf + 0.01).ceil() as usize).saturating_sub(1);
    (end1, start2.min(n))
}

/// Goldfeld & Quandt (1965): fit the first and the last segment of rows separately and
/// compare their residual variances, `F = s²₂ / s²₁` with `(n₂ − p, n₁ − p)` degrees of
/// freedom; the p-value of `alternative` (two-sided: twice the smaller tail). As R's
/// `gqtest`; statsmodels' `het_goldfeldquandt` swaps the degrees of freedom of the p-value
/// (it differs for odd `n`) and drops rows after the split point rather than around it.
pub fn goldfeld_quandt(ols: &Ols, options: &GqOptions) -> Result<FStat> {
    if !(0.0..1.0).contains(&options.drop) {
        return Err(invalid_parameter(
            "gq-drop",
            format!("{}: the share of central rows dropped must lie in [0, 1)", options.drop),
        ));
    }
    let (n, p) = ols.w.design.dim();
    let (end1, start2) = segments(n, options.drop);
    if end1 <= p || n - start2 <= p {
        return Err(Error::TooFewRows {
            what: format!(
                "the Goldfeld-Quandt test (rows per segment, more than the {p} parameters, with {:.0}% of the rows dropped)",
                100.0 * options.drop
            ),
            needed: 2 * (p + 1),
            found: n,
        });
    }
    let part = |rows: std::ops::Range<usize>| -> Result<(f64, f64)> {
        let f = ssr_fit(ols.w.design.slice(s![rows.clone(), ..]), ols.w.y.slice(s![rows.clone()]))?;
        let df = (rows.len() - f.rank()) as f64;
        Ok((f.ssr / df, df))
    };
    let (s1, df1) = part(0..end1)?;
    let (s2, df2) = part(start2..n)?;
    FStat::with_alternative(s2 / s1, df2, df1, options.alternative)
}
