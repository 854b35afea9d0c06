//! The generalised AUC (gAUC) of an LGD or CCF model: how well the estimates order facilities
//! whose realised values differ, for a continuous or ordinal outcome.
//!
//! ECB, *Instructions for reporting the validation results of internal models* (2019), §2.6
//! and Annex 2: the gAUC extends the AUROC from two classes to many. kd computes it as
//! `gAUC = (1 + D) / 2` with `D` Somers' D of the estimate given the realised value,
//! `D = (P − Q) / w`: `P` and `Q` count the ordered pairs of facilities ordered alike and
//! oppositely by both, `w = n² − Σ_y n_y²` the pairs with different realised values. So `gAUC`
//! is the probability that, of two facilities with different realised values, the one with the
//! higher realised value has the higher estimate, ties in the estimate counting ½; with a 0/1
//! outcome it is the AUROC. Ties in the realised value take no part (they are not comparable):
//! kd's choice, the one that makes the binary case the AUROC.
//!
//! Standard error: the delta-method asymptotic standard error of Somers' D (Goodman & Kruskal
//! 1972; SAS PROC FREQ's `ASE`), halved:
//! `σ(D) = (2 / w²) √(Σᵢ (w (Cᵢ − Dᵢ) − (P − Q)(n − n_{yᵢ}))²)`, `Cᵢ` and `Dᵢ` the facilities
//! ordered alike with and against facility `i`. Counted in `O(n log n)` with a Fenwick tree over
//! the estimates' ranks (an `O(n²)` pair loop would take minutes on a portfolio's 10⁵
//! facilities). Agreement: scipy's `somersd` and a contingency-table evaluation of the ASE to
//! 1e-10 (tests/golden/irb_lgd).

use serde::Serialize;

use crate::error::{Error, Result, ensure_finite, ensure_len};

/// The generalised AUC with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GeneralisedAuc {
    /// `(1 + D) / 2`.
    pub value: f64,
    /// `σ(D) / 2`.
    pub std_error: f64,
    /// Somers' `D` of the estimate given the realised value.
    pub somers_d: f64,
    /// Pairs with different realised values, `w / 2`.
    pub comparable_pairs: f64,
}

/// A Fenwick (binary indexed) tree of counts.
struct Fenwick(Vec<u64>);

impl Fenwick {
    fn add(&mut self, mut i: usize) {
        i += 1;
        while i < self.0.len() {
            self.0[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    /// Count of entries with index < `i`.
    fn below(&self, mut i: usize) -> u64 {
        let mut s = 0;
        while i > 0 {
            s += self.0[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}

/// Dense ranks 0.. of `x` (equal values share a rank) and the number of distinct values.
fn dense_ranks(x: &[f64]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut rank = vec![0; x.len()];
    let mut r = 0;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && x[i] != x[order[k - 1]] {
            r += 1;
        }
        rank[i] = r;
    }
    (rank, if x.is_empty() { 0 } else { r + 1 })
}

/// The gAUC of `estimate` against `realised`.
pub fn generalised_auc(realised: &[f64], estimate: &[f64]) -> Result<GeneralisedAuc> {
    ensure_len("realised values and estimates", realised.len(), estimate.len())?;
    ensure_finite("realised value", realised)?;
    ensure_finite("estimate", estimate)?;
    let n = realised.len();
    let (s_rank, levels) = dense_ranks(estimate);
    let (y_rank, y_levels) = dense_ranks(realised);
    let mut at_level = vec![0u64; levels];
    s_rank.iter().for_each(|&r| at_level[r] += 1);
    let mut below_level = vec![0u64; levels + 1];
    for r in 0..levels {
        below_level[r + 1] = below_level[r] + at_level[r];
    }
    let mut y_count = vec![0u64; y_levels];
    y_rank.iter().for_each(|&r| y_count[r] += 1);
    let mut by_y: Vec<usize> = (0..n).collect();
    by_y.sort_by_key(|&i| (y_rank[i], s_rank[i]));

    // cd[i] = Cᵢ − Dᵢ: over facilities with higher realised value, (higher − lower estimate);
    // minus the same over facilities with lower realised value.
    let mut cd = vec![0i64; n];
    let mut tree = Fenwick(vec![0; levels + 1]);
    let (mut processed, mut start) = (0u64, 0);
    while start < n {
        let mut end = start;
        while end < n && y_rank[by_y[end]] == y_rank[by_y[start]] {
            end += 1;
        }
        let group = &by_y[start..end];
        for &i in group {
            let r = s_rank[i];
            // Within the group (sorted by estimate): lower and higher estimates.
            let g_lt = group.partition_point(|&j| s_rank[j] < r) as i64;
            let g_gt = (group.len() - group.partition_point(|&j| s_rank[j] <= r)) as i64;
            let (t_lt, t_gt) = (below_level[r] as i64, (n as u64 - below_level[r + 1]) as i64);
            let (b_lt, b_gt) = (tree.below(r) as i64, (processed - tree.below(r + 1)) as i64);
            let (a_lt, a_gt) = (t_lt - b_lt - g_lt, t_gt - b_gt - g_gt);
            cd[i] = (a_gt - a_lt) - (b_gt - b_lt);
        }
        group.iter().for_each(|&i| tree.add(s_rank[i]));
        processed += group.len() as u64;
        start = end;
    }
    let nf = n as f64;
    let w = nf * nf - y_count.iter().map(|&c| (c as f64).powi(2)).sum::<f64>();
    if w <= 0.0 {
        return Err(Error::Undefined {
            test: "the generalised AUC".into(),
            reason: format!(
                "every realised value is the same ({}), so no pair of facilities can be compared",
                realised.first().copied().unwrap_or(f64::NAN)
            ),
        });
    }
    let p_minus_q: f64 = cd.iter().map(|&c| c as f64).sum();
    let somers_d = p_minus_q / w;
    let sum_sq: f64 =
        (0..n).map(|i| (w * cd[i] as f64 - p_minus_q * (nf - y_count[y_rank[i]] as f64)).powi(2)).sum();
    let ase = 2.0 / (w * w) * sum_sq.sqrt();
    Ok(GeneralisedAuc {
        value: (1.0 + somers_d) / 2.0,
        std_error: ase / 2.0,
        somers_d,
        comparable_pairs: w / 2.0,
    })
}
