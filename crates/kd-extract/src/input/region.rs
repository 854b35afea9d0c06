//! Axis-aligned regions: the set of points that reach a node of a tree.

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

/// The box `lower_j < x_j ≤ upper_j` for every feature `j` (bounds may be infinite). A tree's
/// split `x_f ≤ t` sends the left child `upper_f = min(upper_f, t)` and the right child
/// `lower_f = max(lower_f, t)`. Categorical features (level codes) use the same bounds: the
/// codes `c` with `lower < c ≤ upper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Exclusive lower bound per feature.
    pub lower: Vec<f64>,
    /// Inclusive upper bound per feature.
    pub upper: Vec<f64>,
}

impl Region {
    /// The whole space of `d` features.
    pub fn everywhere(d: usize) -> Self {
        Self { lower: vec![f64::NEG_INFINITY; d], upper: vec![f64::INFINITY; d] }
    }

    /// Number of features.
    pub fn dim(&self) -> usize {
        self.lower.len()
    }

    /// Whether the point `x` lies in the region.
    pub fn contains(&self, x: ArrayView1<'_, f64>) -> bool {
        x.iter().zip(&self.lower).zip(&self.upper).all(|((&v, &lo), &hi)| v > lo && v <= hi)
    }

    /// The two parts of the region on either side of `x[feature] ≤ threshold`.
    pub fn split(&self, feature: usize, threshold: f64) -> (Region, Region) {
        let mut left = self.clone();
        let mut right = self.clone();
        left.upper[feature] = left.upper[feature].min(threshold);
        right.lower[feature] = right.lower[feature].max(threshold);
        (left, right)
    }
}
