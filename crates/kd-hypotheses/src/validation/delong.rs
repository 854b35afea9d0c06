//! AUROC with DeLong's standard error, and DeLong's test comparing two scores on one sample.
//!
//! DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two or more correlated
//! receiver operating characteristic curves", Biometrics 44(3); computed as in Sun & Xu (2014),
//! IEEE Signal Processing Letters 21(11), from one sort of the scores. A higher score
//! means more risk: the AUROC is `P(score of a defaulter > score of a non-defaulter) + ½ P(=)`.

use serde::Serialize;

use crate::distributions::normal_sf;
use crate::error::{Error, Result, ensure_finite, ensure_len};

/// AUROC with DeLong's standard error and a normal confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Auroc {
    /// Area under the ROC curve.
    pub value: f64,
    /// DeLong's standard error: `sqrt(S₁₀/m + S₀₁/n)`.
    pub std_error: f64,
    /// Lower end of the confidence interval, `value − z·se`, clipped at 0.
    pub ci_low: f64,
    /// Upper end, `value + z·se`, clipped at 1.
    pub ci_high: f64,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// DeLong's test of equal AUROCs for two scores of the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DelongComparison {
    /// AUROC of the first score.
    pub auroc_a: f64,
    /// AUROC of the second score.
    pub auroc_b: f64,
    /// Standard error of the difference `auroc_a − auroc_b`.
    pub std_error: f64,
    /// `z = (auroc_a − auroc_b) / std_error`.
    pub statistic: f64,
    /// Two-sided p-value `2(1 − Φ(|z|))`.
    pub p_value: f64,
}

/// Structural components of one score: DeLong's placement values, in row order, `V₁₀` of the
/// defaulters (the share of non-defaulters scored below, ties counting ½) and `V₀₁` of the
/// non-defaulters (the share of defaulters scored above).
struct Components {
    auc: f64,
    v10: Vec<f64>,
    v01: Vec<f64>,
}

/// One sort of (score, row) pairs, by LSD radix sort on the score (O(n), as the data sizes of
/// PD portfolios, millions of rows, make the sort the whole cost), then one pass over groups of
/// tied scores.
fn components(outcome: &[bool], score: &[f64]) -> Components {
    let mut pairs: Vec<(f64, usize)> = score.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    let m = outcome.iter().filter(|y| **y).count() as f64;
    let n = outcome.len() as f64 - m;
    let mut placement = vec![0.0; outcome.len()];
    let (mut pos_below, mut neg_below) = (0.0, 0.0);
    let mut start = 0;
    while start < pairs.len() {
        let mut end = start + 1;
        while end < pairs.len() && pairs[end].0 == pairs[start].0 {
            end += 1;
        }
        let group = &pairs[start..end];
        let p = group.iter().filter(|(_, row)| outcome[*row]).count() as f64;
        let q = group.len() as f64 - p;
        let (v10, v01) = ((neg_below + q / 2.0) / n, (m - pos_below - p / 2.0) / m);
        for &(_, row) in group {
            placement[row] = if outcome[row] { v10 } else { v01 };
        }
        pos_below += p;
        neg_below += q;
        start = end;
    }
    let of_class = |class: bool| -> Vec<f64> {
        outcome.iter().zip(&placement).filter(|(y, _)| **y == class).map(|(_, v)| *v).collect()
    };
    let (v10, v01) = (of_class(true), of_class(false));
    let auc = v10.iter().sum::<f64>() / m;
    Components { auc, v10, v01 }
}

/// Sample covariance (denominator `len − 1`) of two component vectors around their AUROCs.
fn covariance(a: &[f64], auc_a: f64, b: &[f64], auc_b: f64) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - auc_a) * (y - auc_b)).sum::<f64>() / (a.len() as f64 - 1.0)
}

fn check(outcome: &[bool], score: &[f64], name: &str) -> Result<()> {
    ensure_len(&format!("outcome and {name}"), outcome.len(), score.len())?;
    ensure_finite(name, score)?;
    let defaults = outcome.iter().filter(|y| **y).count();
    for (what, count) in [("defaults", defaults), ("non-defaults", outcome.len() - defaults)] {
        if count < 2 {
            return Err(Error::TooFewRows {
                what: format!("DeLong's standard error ({what})"),
                needed: 2,
                found: count,
            });
        }
    }
    Ok(())
}

/// AUROC of `score` for `outcome` (true = default) with DeLong's standard error and a
/// `confidence` (e.g. 0.95) normal interval. Needs at least two defaults and two non-defaults.
pub fn auroc_delong(outcome: &[bool], score: &[f64], confidence: f64) -> Result<Auroc> {
    check(outcome, score, "score")?;
    // Rows of one score share their placement values, so the distinct-score table carries the
    // same sums in a fraction of the memory of per-row placements.
    super::merged::auroc_of(&super::ScoreCounts::from_rows(outcome, score)?, confidence)
}

/// DeLong's test that `score_a` and `score_b` have equal AUROC on the same rows (champion vs
/// challenger, teacher vs student). Errors when the difference has zero variance (the two
/// scores rank the rows alike).
pub fn delong_test(outcome: &[bool], score_a: &[f64], score_b: &[f64]) -> Result<DelongComparison> {
    check(outcome, score_a, "first score")?;
    check(outcome, score_b, "second score")?;
    let a = components(outcome, score_a);
    let b = components(outcome, score_b);
    let (m, n) = (a.v10.len() as f64, a.v01.len() as f64);
    let var10 = covariance(&a.v10, a.auc, &a.v10, a.auc) + covariance(&b.v10, b.auc, &b.v10, b.auc)
        - 2.0 * covariance(&a.v10, a.auc, &b.v10, b.auc);
    let var01 = covariance(&a.v01, a.auc, &a.v01, a.auc) + covariance(&b.v01, b.auc, &b.v01, b.auc)
        - 2.0 * covariance(&a.v01, a.auc, &b.v01, b.auc);
    let variance = var10 / m + var01 / n;
    if variance <= 1e-300 {
        let reason = if (a.auc - b.auc).abs() <= 1e-12 {
            format!("the two scores order the rows alike, so their AUROCs ({}) cannot differ", a.auc)
        } else {
            format!(
                "the AUROCs, {} and {}, differ with no sampling variance (each score separates the classes completely or not at all), so the difference is certain and z has no finite value",
                a.auc, b.auc
            )
        };
        return Err(Error::Undefined { test: "DeLong's test".into(), reason });
    }
    let std_error = variance.sqrt();
    let statistic = (a.auc - b.auc) / std_error;
    Ok(DelongComparison {
        auroc_a: a.auc,
        auroc_b: b.auc,
        std_error,
        statistic,
        p_value: 2.0 * normal_sf(statistic.abs()),
    })
}
