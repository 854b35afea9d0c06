//! Engle's ARCH LM test: does the size of today's residual depend on the size of
//! yesterday's? (Conditional heteroscedasticity, common in bank models on macroeconomic time
//! series.)

use ndarray::{Array1, ArrayView1, s};

use super::least_squares::{centered_tss, ssr_of_rows};
use super::results::ChiSquareStat;
use super::scaling::normalised;
use crate::Result;
use crate::error::invalid_parameter;

/// Engle (1982): regress `e_t²` on a constant and `e²_{t−1} … e²_{t−L}` for `t = L+1 … n`,
/// `LM = (n − L) R²`, χ² with `L` degrees of freedom. As statsmodels' `het_arch(resid,
/// nlags=L)` and R's `FinTS::ArchTest(resid, lags = L, demean = FALSE)` (both checked in
/// `tests/golden`).
pub fn arch_lm(resid: ArrayView1<'_, f64>, lags: usize) -> Result<ChiSquareStat> {
    let n = resid.len();
    if lags == 0 || 2 * lags + 1 >= n {
        return Err(invalid_parameter(
            "lags",
            format!(
                "{lags}: the ARCH test needs at least 1 lag and more than 2·lags + 1 rows (there are {n})"
            ),
        ));
    }
    let e = resid.to_vec();
    let e2: Array1<f64> = normalised(&e).iter().map(|v| v * v).collect();
    let m = n - lags;
    let aux = ssr_of_rows(m, lags + 2, |start, mut block| {
        let rows = block.nrows();
        block.column_mut(0).fill(1.0);
        for lag in 1..=lags {
            // Row i of the block is t = lags + start + i; column lag holds e²_{t − lag}.
            let from = lags + start - lag;
            block.column_mut(lag).assign(&e2.slice(s![from..from + rows]));
        }
        block.column_mut(lags + 1).assign(&e2.slice(s![lags + start..lags + start + rows]));
    })?;
    let target = e2.slice(s![lags..]);
    let r2 = 1.0 - aux.ssr / centered_tss(target);
    ChiSquareStat::new(m as f64 * r2, lags as f64)
}
