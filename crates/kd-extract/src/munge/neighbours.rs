//! MUNGE's nearest neighbour: squared Euclidean distance on standardised numeric features plus
//! Hamming distance on categorical ones.

use ndarray::ArrayView2;

use crate::input::FeatureKind;

/// The distance `Σ_numeric w_a (e_a − e'_a)² + Σ_categorical [e_a ≠ e'_a]`, with
/// `w_a = 1 / sd_a²` from the training rows (population sd; `w_a = 1` for a constant feature).
pub(super) struct Metric {
    /// Per feature: `Some(w_a)` (numeric) or `None` (categorical).
    weights: Vec<Option<f64>>,
}

impl Metric {
    /// The standardisation of the training rows `x`.
    pub(super) fn fit(x: ArrayView2<'_, f64>, kinds: &[FeatureKind]) -> Self {
        let n = x.nrows() as f64;
        let weights = kinds
            .iter()
            .enumerate()
            .map(|(j, kind)| match kind {
                FeatureKind::Numeric => {
                    let column = x.column(j);
                    let mean = column.sum() / n;
                    let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                    Some(if var > 0.0 { 1.0 / var } else { 1.0 })
                }
                FeatureKind::Categorical { .. } => None,
            })
            .collect();
        Self { weights }
    }

    /// The distance between two rows.
    #[cfg(test)]
    fn distance(&self, a: &[f64], b: &[f64]) -> f64 {
        self.bounded(a, b, f64::INFINITY)
    }

    /// The distance between two rows, or any value above `bound` once it is known to exceed it.
    fn bounded(&self, a: &[f64], b: &[f64], bound: f64) -> f64 {
        let mut total = 0.0;
        for ((w, &u), &v) in self.weights.iter().zip(a).zip(b) {
            total += match w {
                Some(w) => w * (u - v) * (u - v),
                None => f64::from(u != v),
            };
            if total > bound {
                break;
            }
        }
        total
    }

    /// The row of `t` (row-major, one weight per column) nearest to row `i`, other than `i`;
    /// ties go to the lowest index. `t` holds at least two rows.
    pub(super) fn nearest(&self, t: &[f64], i: usize) -> usize {
        let d = self.weights.len();
        let row = |k: usize| &t[k * d..(k + 1) * d];
        let (mut best, mut best_distance) = (usize::from(i == 0), f64::INFINITY);
        for k in (0..t.len() / d).filter(|&k| k != i) {
            let distance = self.bounded(row(i), row(k), best_distance);
            if distance < best_distance {
                (best, best_distance) = (k, distance);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn distance_standardises_numeric_and_counts_categorical_mismatches() {
        // Column 0 has sd 1 (values −1, 1), column 1 has sd 10, column 2 is categorical.
        let x = array![[-1.0, -10.0, 0.0], [1.0, 10.0, 1.0]];
        let kinds = [FeatureKind::Numeric, FeatureKind::Numeric, FeatureKind::Categorical { levels: 2 }];
        let metric = Metric::fit(x.view(), &kinds);
        let d = metric.distance(&[0.0, 0.0, 0.0], &[1.0, 10.0, 1.0]);
        assert!((d - 3.0).abs() < 1e-12, "{d}");
    }

    #[test]
    fn nearest_skips_itself_and_breaks_ties_by_index() {
        let t = [0.0, 5.0, 1.0, 1.0, 9.0];
        let x = ndarray::Array2::from_shape_vec((5, 1), t.to_vec()).unwrap();
        let metric = Metric::fit(x.view(), &[FeatureKind::Numeric]);
        assert_eq!(metric.nearest(&t, 0), 2);
        assert_eq!(metric.nearest(&t, 2), 3);
        assert_eq!(metric.nearest(&t, 3), 2);
        assert_eq!(metric.nearest(&t, 1), 2);
        assert_eq!(metric.nearest(&t, 4), 1);
    }
}
