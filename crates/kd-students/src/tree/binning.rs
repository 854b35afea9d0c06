//! Quantile bins of the features for histogram splits, with a bin of its own for missing values.

use kd_core::quantile::{QuantileDef, quantile_cuts};
use ndarray::{Array2, ArrayView2, ShapeBuilder};
use rayon::prelude::*;

/// Features as bin indices, with the thresholds between bins.
#[derive(Debug, Clone)]
pub struct Binned {
    /// Bin of each value, shape `(n, features)`, column-major (one feature's bins contiguous).
    /// A missing value (NaN) is in bin `edges[f].len() + 1`, after the bins of values.
    pub bins: Array2<u8>,
    /// Per feature, the upper edge of each bin but the last: a value `x` lies in bin
    /// `#{edges < x}`, so `x ≤ edges[b]` exactly when its bin is at most `b`.
    pub edges: Vec<Vec<f64>>,
    /// Per feature, whether any value was missing (then its bins of values number at most
    /// 255, so that the missing bin's index fits in a byte).
    pub missing: Vec<bool>,
}

impl Binned {
    /// Number of bins of feature `f`, the missing bin included when it has one.
    pub fn n_bins(&self, f: usize) -> usize {
        self.edges[f].len() + 1 + usize::from(self.missing[f])
    }
}

/// Edges of one feature's non-missing values: midpoints between consecutive distinct values
/// when there are at most `max_bins` of them, else midpoints after the values at the
/// `k/max_bins` quantiles (the upper inverse of the empirical distribution, `x₍⌊kn/B⌋+1₎`).
/// No edges when every value is missing.
fn edges_of(values: &mut [f64], max_bins: usize) -> Vec<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let mut distinct: Vec<f64> = values.to_vec();
    distinct.dedup();
    let cut_after: Vec<f64> = if distinct.len() <= max_bins {
        distinct[..distinct.len().saturating_sub(1)].to_vec()
    } else {
        quantile_cuts(values, max_bins, QuantileDef::UpperInvertedCdf)
    };
    cut_after
        .iter()
        .map(|&v| {
            let next = distinct[distinct.partition_point(|&d| d <= v)];
            v / 2.0 + next / 2.0
        })
        .collect()
}

/// The bin of `value` under `edges`: `#{edges < value}`, or `edges.len() + 1` when missing.
pub fn bin_of(edges: &[f64], value: f64) -> usize {
    if value.is_nan() { edges.len() + 1 } else { edges.partition_point(|&e| e < value) }
}

/// Bins the (already `f32`-rounded) features of `x`, in parallel over features; NaN marks a
/// missing value.
pub fn bin(x: ArrayView2<'_, f64>, max_bins: usize) -> Binned {
    let columns: Vec<(Vec<f64>, Vec<u8>, bool)> = (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let column = x.column(j);
            let mut present: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            let missing = present.len() < column.len();
            let edges = edges_of(&mut present, if missing { max_bins.min(255) } else { max_bins });
            // At most 255 edges without a missing bin, 254 with one: every index fits a byte.
            let bins = column.iter().map(|&v| bin_of(&edges, v) as u8).collect();
            (edges, bins, missing)
        })
        .collect();
    let mut bins = Array2::zeros((x.nrows(), x.ncols()).f());
    let mut edges = Vec::with_capacity(x.ncols());
    let mut missing = Vec::with_capacity(x.ncols());
    for (j, (e, b, m)) in columns.into_iter().enumerate() {
        bins.column_mut(j).assign(&ndarray::Array1::from(b));
        edges.push(e);
        missing.push(m);
    }
    Binned { bins, edges, missing }
}
