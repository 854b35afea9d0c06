//! R's `influence.measures` in full, on request: per row the leverage, Cook's distance,
//! DFFITS, DFBETAS, COVRATIO and the externally studentised residual, and which of R's
//! rules of thumb (`is.influential`) each row breaks.

use ndarray::{Array2, s};
use rayon::prelude::*;
use serde::Serialize;

use super::influence::leave_one_out;
use super::least_squares::BLOCK;
use super::ols::Ols;
use crate::distributions::f_cdf;
use crate::error::Result;

/// A row that breaks at least one of R's rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FlaggedRow {
    /// 0-based row.
    pub row: usize,
    /// The measures out of bounds: `dfb.<coefficient>`, `dffit`, `cov.r`, `cook.d`, `hat`
    /// (R's column names).
    pub measures: Vec<String>,
}

/// Per-row influence measures, as R's `influence.measures(lm(...))` (matches R 4.2 to 1e-10,
/// tests/golden/hypotheses_r). A row of leverage 1 has NaN measures and is not flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InfluenceMeasures {
    /// Coefficient names, the columns of `dfbetas`.
    pub names: Vec<String>,
    /// DFBETAS, per row and coefficient: `(b − b_(i))_j / (s_(i) sqrt((X'X)⁻¹_jj))`, with
    /// `b − b_(i) = (X'X)⁻¹ x_i e_i / (1 − h_i)`.
    pub dfbetas: Vec<Vec<f64>>,
    /// DFFITS `t_i sqrt(h_i / (1 − h_i))`.
    pub dffits: Vec<f64>,
    /// COVRATIO `(s_(i) / s)^{2p} / (1 − h_i)`.
    pub covratio: Vec<f64>,
    /// Cook's distance `e_i² h_i / (p s² (1 − h_i)²)`.
    pub cooks_distance: Vec<f64>,
    /// Leverage `h_i`.
    pub hat: Vec<f64>,
    /// Externally studentised residuals `t_i = e_i / (s_(i) sqrt(1 − h_i))` (R's `rstudent`).
    pub student_resid_external: Vec<f64>,
    /// Rows breaking R's rules: `|DFBETAS| > 1`, `|DFFITS| > 3 sqrt(p/(n − p))`, `|1 −
    /// COVRATIO| > 3p/(n − p)`, `F_{p, n−p}(Cook) > 0.5`, `h > 3p/n`.
    pub flagged: Vec<FlaggedRow>,
}

/// The median of `F(d1, d2)`: R flags Cook's distance `D` when `P(F < D) > 0.5`, that is when
/// `D` exceeds the median (found once by bisection instead of `n` CDF evaluations).
fn median_of_f(d1: f64, d2: f64) -> Result<f64> {
    let (mut lo, mut hi) = (0.0, 1.0);
    while f_cdf(hi, d1, d2)? < 0.5 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if f_cdf(mid, d1, d2)? > 0.5 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}

/// Every measure of [`InfluenceMeasures`] for every row of the fit (`O(n p²)`).
pub fn influence_measures(ols: &Ols) -> Result<InfluenceMeasures> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let pf = p as f64;
    let s2 = ols.w.ssr / (n - p) as f64;
    let b = &ols.w.cov_unscaled;
    let rows: Vec<(f64, f64, f64, f64)> = leave_one_out(ols).collect();
    // (X'X)⁻¹ x_i for every row, in parallel blocks.
    let starts: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let bx: Vec<Array2<f64>> =
        starts.par_iter().map(|&s0| ols.w.design.slice(s![s0..(s0 + BLOCK).min(n), ..]).dot(b)).collect();
    let mut out = InfluenceMeasures {
        names: ols.names.clone(),
        dfbetas: Vec::with_capacity(n),
        dffits: Vec::with_capacity(n),
        covratio: Vec::with_capacity(n),
        cooks_distance: Vec::with_capacity(n),
        hat: Vec::with_capacity(n),
        student_resid_external: Vec::with_capacity(n),
        flagged: Vec::new(),
    };
    let n_positive = ols.w.leverage.iter().filter(|&&h| h > 0.0).count() as f64;
    let dffit_bound = 3.0 * (pf / (n_positive - pf)).sqrt();
    let covratio_bound = 3.0 * pf / (n_positive - pf);
    let hat_bound = 3.0 * pf / n_positive;
    let cooks_bound = median_of_f(pf, n_positive - pf)?;
    for (i, &(e, h, s2_i, t)) in rows.iter().enumerate() {
        let s_i = s2_i.sqrt();
        let bxi = bx[i / BLOCK].row(i % BLOCK);
        let dfbetas: Vec<f64> = (0..p).map(|j| bxi[j] * e / (1.0 - h) / (s_i * b[[j, j]].sqrt())).collect();
        let dffits = t * (h / (1.0 - h)).sqrt();
        let covratio = (s2_i / s2).powf(pf) / (1.0 - h);
        let cooks = e * e * h / (pf * s2 * (1.0 - h).powi(2));
        let mut measures: Vec<String> =
            (0..p).filter(|&j| dfbetas[j].abs() > 1.0).map(|j| format!("dfb.{}", ols.names[j])).collect();
        if dffits.abs() > dffit_bound {
            measures.push("dffit".into());
        }
        if (1.0 - covratio).abs() > covratio_bound {
            measures.push("cov.r".into());
        }
        if cooks > cooks_bound {
            measures.push("cook.d".into());
        }
        if h > hat_bound {
            measures.push("hat".into());
        }
        if !measures.is_empty() && !t.is_nan() {
            out.flagged.push(FlaggedRow { row: i, measures });
        }
        out.dfbetas.push(dfbetas);
        out.dffits.push(dffits);
        out.covratio.push(covratio);
        out.cooks_distance.push(cooks);
        out.hat.push(h);
        out.student_resid_external.push(t);
    }
    Ok(out)
}
