//! Quantile groups shared by the validation tests.

/// Quantile of sorted data by linear interpolation (Hyndman & Fan type 7: R's default,
/// `numpy.quantile`'s default): `h = (n − 1)p`, `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Inner cut points for `groups` quantile groups of `values`: the type-7 quantiles at
/// `k/groups`, `k = 1..groups`, with repeated values removed. Values `≤ cuts[0]` fall in group
/// 0, values in `(cuts[k−1], cuts[k]]` in group `k`, values above the last cut in the last
/// group, as R's `cut(x, quantile(x, 0:g/g), include.lowest = TRUE)`.
pub fn quantile_cuts(values: &[f64], groups: usize) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let mut cuts: Vec<f64> =
        (1..groups).map(|k| quantile_sorted(&sorted, k as f64 / groups as f64)).collect();
    cuts.dedup();
    // R's `unique(breaks)` merges a cut equal to the minimum into the first interval (closed on
    // the left) and one equal to the maximum into the last.
    if let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) {
        cuts.retain(|&c| c > min && c < max);
    }
    cuts
}

/// The group of `x` for inner cut points `cuts` (see [`quantile_cuts`]).
pub fn group_of(cuts: &[f64], x: f64) -> usize {
    cuts.partition_point(|&c| c < x)
}
