//! Quantile bins of the features for histogram splits.

use kd_core::quantile::{QuantileDef, quantile_cuts};
use ndarray::{Array2, ArrayView2, ShapeBuilder};
use rayon::prelude::*;

/// Features as bin indices, with the thresholds between bins.
#[derive(Debug, Clone)]
pub struct Binned {
    /// Bin of each value, shape `(n, features)`, column-major (one feature's bins contiguous).
    pub bins: Array2<u8>,
    /// Per feature, the upper edge of each bin but the last: a value `x` lies in bin
    /// `#{edges < x}`, so `x ≤ edges[b]` exactly when its bin is at most `b`.
    pub edges: Vec<Vec<f64>>,
}

/// Edges of one feature: midpoints between consecutive distinct values when there are at most
/// `max_bins` of them, else midpoints after the values at the `k/max_bins` quantiles (the upper
/// inverse of the empirical distribution, `x₍⌊kn/B⌋+1₎`).
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

/// Bins the (already `f32`-rounded) features of `x`, in parallel over features.
pub fn bin(x: ArrayView2<'_, f64>, max_bins: usize) -> Binned {
    let columns: Vec<(Vec<f64>, Vec<u8>)> = (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let column = x.column(j);
            let edges = edges_of(&mut column.to_vec(), max_bins);
            let bins = column.iter().map(|&v| edges.partition_point(|&e| e < v) as u8).collect();
            (edges, bins)
        })
        .collect();
    let mut bins = Array2::zeros((x.nrows(), x.ncols()).f());
    let mut edges = Vec::with_capacity(x.ncols());
    for (j, (e, b)) in columns.into_iter().enumerate() {
        bins.column_mut(j).assign(&ndarray::Array1::from(b));
        edges.push(e);
    }
    Binned { bins, edges }
}
