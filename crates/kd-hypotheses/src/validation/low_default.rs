//! Low-default portfolios: Pluto & Tasche's most prudent upper bounds of the grades' PDs.
//!
//! Pluto & Tasche (2005), "Thinking positively", *Risk* 18(8) (and "Estimating probabilities of
//! default for low default portfolios", 2005/2011), §2, independent defaults: with grades
//! ordered from best to worst and PDs assumed to rise with the grade, the most prudent estimate
//! for grade `k` lets every grade from `k` on share one PD `p`; its upper confidence bound at
//! level `γ` is the `p` at which `k`'s and the worse grades' obligors `N_k = Σ_{j≥k} n_j` would
//! show at most their defaults `D_k = Σ_{j≥k} d_j` with probability `1 − γ`:
//! `P(Bin(N_k, p) ≤ D_k) = 1 − γ`, that is `p = B⁻¹(γ; D_k + 1, N_k − D_k)` (the
//! Clopper–Pearson upper bound), and 1 when every obligor defaulted.
//! Agreement: scipy's `beta.ppf` to 1e-10 (tests/golden/irb_pd).
//!
//! Not yet: the paper's correlated (one-factor) and multi-period variants.

use serde::Serialize;
use statrs::function::beta::inv_beta_reg;

use crate::error::{Error, Result, ensure_len, invalid_parameter};

/// The most prudent bound of one grade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PrudentBound {
    /// Obligors in this grade and all worse ones, `N_k`.
    pub obligors: usize,
    /// Their defaults, `D_k`.
    pub defaults: usize,
    /// The upper bound of the grade's PD at the confidence level.
    pub upper_bound: f64,
}

/// Pluto–Tasche bounds at `confidence` (γ in (0, 1)) for grades with `n[k]` obligors and `d[k]`
/// defaults, best grade first.
pub fn pluto_tasche(n: &[usize], d: &[usize], confidence: f64) -> Result<Vec<PrudentBound>> {
    ensure_len("obligors and defaults per grade", n.len(), d.len())?;
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid_parameter("confidence", format!("{confidence}: it must lie in (0, 1)")));
    }
    if let Some(k) = (0..n.len()).find(|&k| d[k] > n[k]) {
        return Err(Error::InvalidInput {
            column: "defaults".into(),
            row: k,
            reason: format!("{} defaults among {} obligors", d[k], n[k]),
        });
    }
    let mut bounds = Vec::with_capacity(n.len());
    let (mut obligors, mut defaults) = (0, 0);
    for k in (0..n.len()).rev() {
        obligors += n[k];
        defaults += d[k];
        if obligors == 0 {
            return Err(Error::TooFewRows {
                what: format!("the Pluto-Tasche bound of grade {}", k + 1),
                needed: 1,
                found: 0,
            });
        }
        let upper_bound = if defaults == obligors {
            1.0
        } else {
            // statrs' AS 64 / AS 109 inverse of the regularised incomplete beta function.
            inv_beta_reg(defaults as f64 + 1.0, (obligors - defaults) as f64, confidence)
        };
        bounds.push(PrudentBound { obligors, defaults, upper_bound });
    }
    bounds.reverse();
    Ok(bounds)
}
