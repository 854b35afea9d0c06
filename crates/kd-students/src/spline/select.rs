//! Choosing the smoothing parameters: fixed, or pyGAM's `gridsearch` over shared values with its
//! default objective (`'auto'`): GCV when the scale is unknown (identity link), UBRE when it is
//! known (logit link, `φ = 1`). Grid points are fitted in order, each started from the last
//! successful fit's coefficients (pyGAM's warm start); a point whose fit fails is skipped, as
//! pyGAM skips one that raises; the first point with the least score wins.
//!
//! pyGAM 0.12.0 reports `UBRE + 3φ` (its `add_scale` term, `−(~True)·scale`, evaluates to
//! `+2·scale` on a Python bool, and Wood's `−φ` is left out); the shift moves no minimum.

use serde::{Deserialize, Serialize};

use super::fit::{Fit, Problem};
use super::params::Smoothing;
use crate::error::Result;

/// One point of a smoothing-parameter search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LamScore {
    /// The shared `λ` tried.
    pub lam: f64,
    /// Its GCV or UBRE (`None`: the fit failed and the point was skipped).
    pub score: Option<f64>,
}

/// The fit at the chosen `λ` (one per term) and the search's scores (empty when `λ` was given).
pub(crate) fn choose(
    problem: &Problem<'_>,
    smoothing: &Smoothing,
    d: usize,
) -> Result<(Fit, Vec<f64>, Vec<LamScore>)> {
    let grid = match smoothing {
        Smoothing::Shared(lam) => return Ok((problem.fit(&vec![*lam; d], None)?, vec![*lam; d], Vec::new())),
        Smoothing::PerFeature(lams) => return Ok((problem.fit(lams, None)?, lams.clone(), Vec::new())),
        Smoothing::Grid(grid) => grid,
    };
    let mut scores = Vec::with_capacity(grid.len());
    let mut best: Option<(f64, Fit, f64)> = None;
    let mut last: Option<Fit> = None;
    let mut failure = None;
    for &lam in grid {
        match problem.fit(&vec![lam; d], last.as_ref().map(|f| &f.beta)) {
            Ok(fit) => {
                let score = fit.gcv.or(fit.ubre).unwrap_or(f64::INFINITY);
                scores.push(LamScore { lam, score: Some(score) });
                if best.as_ref().is_none_or(|b| score < b.0) {
                    best = Some((score, fit.clone(), lam));
                }
                last = Some(fit);
            }
            Err(e) => {
                scores.push(LamScore { lam, score: None });
                failure = Some(e);
            }
        }
    }
    match (best, failure) {
        (Some((_, fit, lam)), _) => Ok((fit, vec![lam; d], scores)),
        (None, Some(e)) => Err(e),
        (None, None) => Err(crate::error::invalid_parameter("lam", "an empty grid")),
    }
}
