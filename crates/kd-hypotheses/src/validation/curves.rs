//! ROC and CAP (cumulative accuracy profile) curve points.

use serde::Serialize;

use crate::error::{Result, ensure_finite, ensure_len};

/// One point of the ROC and CAP curves, at a score threshold: rows with score ≥ `threshold`
/// are called defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CurvePoint {
    /// The threshold (a distinct score, from high to low).
    pub threshold: f64,
    /// False-positive rate: share of non-defaulters at or above the threshold.
    pub fpr: f64,
    /// True-positive rate: share of defaulters at or above the threshold (the CAP's y too).
    pub tpr: f64,
    /// Share of all rows at or above the threshold (the CAP's x).
    pub population: f64,
}

/// The ROC/CAP points at every distinct score, from (0, 0) to (1, 1). The area under
/// (`fpr`, `tpr`) is the AUROC; the accuracy ratio of the CAP equals the Gini, `2·AUROC − 1`.
pub fn curve_points(outcome: &[bool], score: &[f64]) -> Result<Vec<CurvePoint>> {
    ensure_len("outcome and score", outcome.len(), score.len())?;
    ensure_finite("score", score)?;
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_unstable_by(|&a, &b| score[b].total_cmp(&score[a]));
    let positives = outcome.iter().filter(|y| **y).count().max(1) as f64;
    let negatives = (outcome.len() - outcome.iter().filter(|y| **y).count()).max(1) as f64;
    let n = outcome.len().max(1) as f64;
    let mut points = vec![CurvePoint { threshold: f64::INFINITY, fpr: 0.0, tpr: 0.0, population: 0.0 }];
    let (mut tp, mut fp, mut i) = (0.0, 0.0, 0);
    while i < order.len() {
        let threshold = score[order[i]];
        while i < order.len() && score[order[i]] == threshold {
            if outcome[order[i]] {
                tp += 1.0
            } else {
                fp += 1.0
            }
            i += 1;
        }
        points.push(CurvePoint {
            threshold,
            fpr: fp / negatives,
            tpr: tp / positives,
            population: (tp + fp) / n,
        });
    }
    Ok(points)
}
