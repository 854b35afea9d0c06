//! Heteroscedasticity- and autocorrelation-robust standard errors of the coefficients:
//! White's HC0 and MacKinnon & White's HC1–HC3, and Newey & West's (1987) HAC estimator, so a
//! validator who finds heteroscedasticity or autocorrelation can see whether the inference
//! survives it.
//!
//! Every estimator is the sandwich `(X'X)⁻¹ M (X'X)⁻¹` with the meat `M`:
//!
//! | kind | meat |
//! |---|---|
//! | HC0 | `Σ e_i² x_i x_i'` |
//! | HC1 | HC0 · `n / (n − p)` |
//! | HC2 | `Σ e_i² / (1 − h_i) x_i x_i'` |
//! | HC3 | `Σ e_i² / (1 − h_i)² x_i x_i'` |
//! | Newey–West | `Σ_t Σ_s w(|t − s|) e_t e_s x_t x_s'`, Bartlett weights `w(l) = 1 − l/(L + 1)` for `l ≤ L` |
//!
//! as R's `sandwich::vcovHC(type = "HC0" … "HC3")` and `sandwich::NeweyWest(lag = L,
//! prewhite = FALSE, adjust = FALSE)` (statsmodels' `cov_type="HC0"…"HC3"` and `"HAC"` with
//! `maxlags = L`). The Newey–West meat is `U'(WU)` with `U = diag(e) X` and `W` the banded
//! Toeplitz matrix of weights, so it costs `O(n p L)`, not `O(n² p)`; all meats come from one
//! parallel pass over row blocks. t statistics and
//! p-values use Student's t with `n − p` degrees of freedom, as R's `lmtest::coeftest`.

use ndarray::{Array2, ArrayView2, Axis, s};
use rayon::prelude::*;
use serde::Serialize;

use super::least_squares::BLOCK;
use super::ols::Ols;
use crate::distributions::t_two_sided;
use crate::error::{Error, Result, invalid_parameter};

/// A covariance estimator of the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CovarianceKind {
    /// `s² (X'X)⁻¹`, valid under homoscedastic, independent errors.
    Ols,
    /// White (1980).
    Hc0,
    /// HC0 with the `n / (n − p)` degrees-of-freedom correction.
    Hc1,
    /// Leverage-corrected (MacKinnon & White 1985).
    Hc2,
    /// Jackknife-like, the safest in small samples (Long & Ervin 2000).
    Hc3,
    /// Newey & West (1987), robust to autocorrelation up to the lag as well.
    NeweyWest,
}

/// Standard errors, t statistics and p-values of every coefficient under one estimator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoefficientInference {
    /// The estimator.
    pub kind: CovarianceKind,
    /// Standard errors in the data's units, in design order.
    pub std_error: Vec<f64>,
    /// `β_j / se_j`.
    pub t: Vec<f64>,
    /// `2 P(t_{n−p} > |t_j|)`.
    pub p_value: Vec<f64>,
}

/// Newey & West's (1994) rule of thumb for the lag, `⌊4 (n/100)^{2/9}⌋`.
pub fn newey_west_default_lags(n: usize) -> usize {
    (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

/// The sandwich `B M B` with `B = (X'X)⁻¹`.
fn sandwich(ols: &Ols, meat: &Array2<f64>) -> Array2<f64> {
    let b = &ols.w.cov_unscaled;
    b.dot(meat).dot(b)
}

/// `(WU)_t = Σ_{|l| ≤ L} w(|l|) u_{t+l}` for the rows `t` in `a..b` of `U` (`n × p`), given
/// its rows `first..` in `u` (row-major; they must cover `a − L .. b + L` within `0..n`, and
/// `U` is zero outside them), with Bartlett's `w(l) = 1 − l/(L + 1)`. The kernel `L + 1 − |l|` is a
/// box of `L + 1` ones convolved with itself, so two running box sums give it in
/// `O((b − a + L)·p)` rather than `O((b − a)·L·p)`: `V_c = Σ_{i=c}^{c+L} u_i` and
/// `(WU)_t = Σ_{c=t−L}^{t} V_c / (L + 1)`.
fn bartlett_window(u: &[f64], first: usize, p: usize, lags: usize, a: usize, b: usize) -> Array2<f64> {
    let end = first + u.len() / p;
    let row = |i: usize| (first..end).contains(&i).then(|| &u[(i - first) * p..(i - first + 1) * p]);
    // V_c for c = a − L … b − 1, stored from index 0; rows before 0 are zero (`checked_sub`).
    let width = b - a + lags;
    let mut v = vec![0.0; width * p];
    for i in 0..=lags {
        if let Some(r) = (a + i).checked_sub(lags).and_then(row) {
            v[..p].iter_mut().zip(r).for_each(|(v, r)| *v += r);
        }
    }
    for k in 1..width {
        // V_c = V_{c−1} + u_{c+L} − u_{c−1}, with c = a − L + k.
        let (done, rest) = v.split_at_mut(k * p);
        let (previous, current) = (&done[(k - 1) * p..], &mut rest[..p]);
        current.copy_from_slice(previous);
        if let Some(r) = row(a + k) {
            current.iter_mut().zip(r).for_each(|(v, r)| *v += r);
        }
        if let Some(r) = (a + k).checked_sub(lags + 1).and_then(row) {
            current.iter_mut().zip(r).for_each(|(v, r)| *v -= r);
        }
    }
    let scale = 1.0 / (lags as f64 + 1.0);
    let mut out = Array2::zeros((b - a, p));
    let mut sum = vec![0.0; p];
    for k in 0..=lags {
        sum.iter_mut().zip(&v[k * p..(k + 1) * p]).for_each(|(s, v)| *s += v);
    }
    for t in 0..b - a {
        if t > 0 {
            // The window moves on: V of index t + L comes in, V of index t − 1 goes out.
            let (incoming, outgoing) = (&v[(t + lags) * p..(t + lags + 1) * p], &v[(t - 1) * p..t * p]);
            sum.iter_mut().zip(incoming.iter().zip(outgoing)).for_each(|(s, (i, o))| *s += i - o);
        }
        out.row_mut(t).iter_mut().zip(&sum).for_each(|(o, s)| *o = s * scale);
    }
    out
}

/// Rows per task of [`meats`]: each block's four meats are one matrix product, so larger
/// blocks than the QR's amortise its set-up.
const MEAT_BLOCK: usize = 4 * BLOCK;

/// The meats of HC0, HC2, HC3 and Newey–West with `lags` lags, in one pass over row blocks
/// (in parallel; partial sums added in block order). A block `U_b` gives all four at once as
/// `U_b' [U_b | D₂U_b | D₃U_b | (WU)_b]` (`p × 4p`), with `D₂ = diag(1/(1 − h))`,
/// `D₃ = D₂²`; for Newey–West each block reads the `lags` rows on either side of it
/// ([`bartlett_window`]).
fn meats(ols: &Ols, lags: usize) -> Result<[Array2<f64>; 4]> {
    let (x, e, h) = (&ols.w.design, &ols.w.resid, &ols.w.leverage);
    let (n, p) = x.dim();
    let lags = lags.min(n.saturating_sub(1));
    let starts: Vec<usize> = (0..n).step_by(MEAT_BLOCK).collect();
    let partial: Vec<Array2<f64>> = starts
        .par_iter()
        .map(|&a| {
            let b = (a + MEAT_BLOCK).min(n);
            // u_t = e_t x_t (row-major) for the block and the `lags` rows on either side of it.
            let (first, end) = (a.saturating_sub(lags), (b + lags).min(n));
            let mut u = Vec::with_capacity((end - first) * p);
            for (row, &e) in x.slice(s![first..end, ..]).rows().into_iter().zip(e.slice(s![first..end])) {
                u.extend(row.iter().map(|v| v * e));
            }
            let ub = ArrayView2::from_shape((b - a, p), &u[(a - first) * p..(b - first) * p])
                .map_err(|e| Error::Linalg { what: "the robust meats".into(), reason: e.to_string() })?;
            let mut right = Array2::zeros((b - a, 4 * p));
            right.slice_mut(s![.., ..p]).assign(&ub);
            let inverse = h.slice(s![a..b]).mapv(|h| (1.0 - h).recip()).insert_axis(Axis(1));
            right.slice_mut(s![.., p..2 * p]).assign(&(&ub * &inverse));
            right.slice_mut(s![.., 2 * p..3 * p]).assign(&(&ub * &inverse.mapv(|d| d * d)));
            right.slice_mut(s![.., 3 * p..]).assign(&bartlett_window(&u, first, p, lags, a, b));
            Ok(ub.t().dot(&right))
        })
        .collect::<Result<_>>()?;
    let mut total = Array2::zeros((p, 4 * p));
    for part in partial {
        total += &part;
    }
    Ok(std::array::from_fn(|k| total.slice(s![.., k * p..(k + 1) * p]).to_owned()))
}

/// Inference under every [`CovarianceKind`], in the order OLS, HC0, HC1, HC2, HC3,
/// Newey–West with `hac_lags` lags (default [`newey_west_default_lags`]). Errors when a row
/// has leverage 1 (HC2 and HC3 divide by `1 − h_i`) or the lag is not below `n`.
pub fn robust_inference(ols: &Ols, hac_lags: Option<usize>) -> Result<(usize, Vec<CoefficientInference>)> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let lags = hac_lags.unwrap_or_else(|| newey_west_default_lags(n));
    if lags >= n {
        return Err(invalid_parameter("hac-lags", format!("{lags}: must be below the number of rows, {n}")));
    }
    if ols.w.leverage.iter().any(|&h| h >= 1.0 - 1e-12) {
        return Err(Error::Undefined {
            test: "HC2 and HC3 standard errors".into(),
            reason: "a row has leverage 1".into(),
        });
    }
    let [m0, m2, m3, mnw] = meats(ols, lags)?;
    let hc0 = sandwich(ols, &m0);
    let covariances = [
        (CovarianceKind::Ols, &ols.w.cov_unscaled * (ols.w.ssr / (n - p) as f64)),
        (CovarianceKind::Hc1, &hc0 * (n as f64 / (n - p) as f64)),
        (CovarianceKind::Hc0, hc0),
        (CovarianceKind::Hc2, sandwich(ols, &m2)),
        (CovarianceKind::Hc3, sandwich(ols, &m3)),
        (CovarianceKind::NeweyWest, sandwich(ols, &mnw)),
    ];
    let order = [0, 2, 1, 3, 4, 5];
    let df = (n - p) as f64;
    let mut out = Vec::with_capacity(covariances.len());
    for &i in &order {
        let (kind, cov) = &covariances[i];
        let se_w: Vec<f64> = (0..p).map(|j| cov[[j, j]].max(0.0).sqrt()).collect();
        let t: Vec<f64> = (0..p).map(|j| ols.w.params[j] / se_w[j]).collect();
        let p_value = t.iter().map(|&t| t_two_sided(t, df)).collect::<Result<Vec<_>>>()?;
        let std_error = (0..p).map(|j| ols.coefficient_to_data(se_w[j], j)).collect();
        out.push(CoefficientInference { kind: *kind, std_error, t, p_value });
    }
    Ok((lags, out))
}

#[cfg(test)]
mod tests {
    use super::bartlett_window;

    /// The running box sums give the Bartlett-weighted sums written out, in every block (the
    /// first, the inner ones, the last and short), for no lag, a few and many.
    #[test]
    fn running_box_sums_are_the_bartlett_weighted_sums() {
        let (n, p) = (2_500, 3);
        let u: Vec<f64> = (0..n * p).map(|i| ((i as f64) * 0.618_034).fract() - 0.5).collect();
        for lags in [0, 1, 7, 40] {
            for (a, b) in [(0, 1_024), (1_024, 2_048), (2_048, n), (2_490, n)] {
                let ours = bartlett_window(&u, 0, p, lags, a, b);
                // Given only the rows the block reads, as `meats` gives them: the same sums.
                let (first, end) = (a.saturating_sub(lags), (b + lags).min(n));
                assert_eq!(bartlett_window(&u[first * p..end * p], first, p, lags, a, b), ours);
                for t in a..b {
                    for j in 0..p {
                        let direct: f64 = (t.saturating_sub(lags)..=(t + lags).min(n - 1))
                            .map(|i| (1.0 - t.abs_diff(i) as f64 / (lags as f64 + 1.0)) * u[i * p + j])
                            .sum();
                        let got = ours[[t - a, j]];
                        assert!(
                            (got - direct).abs() <= 1e-12,
                            "lags {lags}, row {t}, column {j}: {got} vs {direct}"
                        );
                    }
                }
            }
        }
    }
}
