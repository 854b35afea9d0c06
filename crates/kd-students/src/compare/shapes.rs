//! Per-feature comparison of the mimic's and the outcome model's shape functions.

use kd_core::quantile::{QuantileDef, order_statistic};
use ndarray::{ArrayView1, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use super::{CompareParams, percentile_band, resample};

/// Re-draws of the resamples behind [`FeatureComparison::share_interval`].
pub const SHARE_REDRAWS: usize = 200;
use crate::error::{Error, Result, check_finite};
use crate::gam::BoostedGam;
use crate::gam::shape::center;
use crate::link::Link;
use crate::tree::binning::bin;

/// One point of a feature's grid: a bin of the full data, at the mean value of its rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridPoint {
    /// Mean feature value of the bin's rows.
    pub value: f64,
    /// Rows in the bin.
    pub count: usize,
    /// Mimic's shape (bootstrap mean, centred over the rows).
    pub mimic: f64,
    /// Outcome model's shape.
    pub outcome: f64,
    /// `mimic − outcome`, bootstrap mean.
    pub difference: f64,
    /// 2.5% percentile of the difference.
    pub lower: f64,
    /// 97.5% percentile.
    pub upper: f64,
}

/// How the black box uses one feature, against how it relates to the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeatureComparison {
    /// Feature index.
    pub feature: usize,
    /// The shapes on the feature's grid.
    pub grid: Vec<GridPoint>,
    /// Range of the mimic's shape over the rows, from its 2.5% to its 97.5% quantile (so that
    /// a few rows in an extreme bin do not set it).
    pub mimic_amplitude: f64,
    /// The same for the outcome model.
    pub outcome_amplitude: f64,
    /// Share of rows in bins whose difference band excludes 0 and whose mean difference is at
    /// least `materiality`.
    pub differing_share: f64,
    /// 95% Monte Carlo interval of `differing_share`: its 2.5% and 97.5% percentiles over
    /// [`SHARE_REDRAWS`] re-draws, with replacement, of the bootstrap resamples. A share whose
    /// interval reaches across `flag_share` is flagged or not by the luck of the resamples
    /// (the seed), not by the data. A warning sign, not a test: a re-draw repeats resamples,
    /// which narrows each bin's band, so the interval leans high (the share itself often sits at
    /// its lower end); it measures the resampling's chance only, not a new fit's.
    pub share_interval: (f64, f64),
    /// Whether `differing_share ≥ flag_share`.
    pub flagged: bool,
}

/// Fits mimic (to `teacher`) and outcome (to `outcome`) GAMs on `params.bootstrap` resamples of
/// the rows of `x` and compares their shape functions feature by feature. `link`: `Logit` for a
/// 0/1 outcome and the teacher's probability of the audited class, `Identity` for values.
pub fn compare_shapes(
    params: &CompareParams,
    x: ArrayView2<'_, f64>,
    outcome: ArrayView1<'_, f64>,
    teacher: ArrayView1<'_, f64>,
    link: Link,
) -> Result<Vec<FeatureComparison>> {
    params.check()?;
    // The curves are compared on grids of values: a missing value has no place on them.
    check_finite(x)?;
    let (n, d) = x.dim();
    if outcome.len() != n || teacher.len() != n {
        let got = if outcome.len() != n { outcome.len() } else { teacher.len() };
        return Err(Error::ShapeMismatch {
            context: "rows of features, outcome and teacher".into(),
            expected: n,
            got,
        });
    }
    let binned = bin(x, params.gam.max_bins);
    // Grid per feature: the mean value and count of each non-empty bin of the full data.
    let grids: Vec<Vec<(f64, usize)>> = (0..d)
        .map(|j| {
            let cells = binned.edges[j].len() + 1;
            let (mut sum, mut count) = (vec![0.0; cells], vec![0usize; cells]);
            for i in 0..n {
                let b = usize::from(binned.bins[[i, j]]);
                sum[b] += x[[i, j]];
                count[b] += 1;
            }
            (0..cells).filter(|&b| count[b] > 0).map(|b| (sum[b] / count[b] as f64, count[b])).collect()
        })
        .collect();
    // Per resample, per feature, per grid point: (mimic, outcome), each centred over the rows.
    let curves: Vec<Vec<Vec<(f64, f64)>>> = (0..params.bootstrap)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_add(r as u64));
            let (rows, _) = resample(n, &mut rng);
            let xs = x.select(Axis(0), &rows);
            let gam =
                crate::gam::GamParams { seed: params.seed.wrapping_add(r as u64), ..params.gam.clone() };
            let mimic = BoostedGam::fit(&gam, xs.view(), teacher.select(Axis(0), &rows).view(), link)?;
            let truth = BoostedGam::fit(&gam, xs.view(), outcome.select(Axis(0), &rows).view(), link)?;
            Ok(grids
                .iter()
                .enumerate()
                .map(|(j, grid)| {
                    let counts: Vec<usize> = grid.iter().map(|&(_, c)| c).collect();
                    let centred = |model: &BoostedGam| {
                        let mut values: Vec<f64> =
                            grid.iter().map(|&(v, _)| model.terms[j].score_at(v)).collect();
                        center(&mut values, &counts);
                        values
                    };
                    centred(&mimic).into_iter().zip(centred(&truth)).collect()
                })
                .collect())
        })
        .collect::<Result<_>>()?;
    let redraws = redraws(curves.len(), params.seed);
    Ok(grids
        .par_iter()
        .enumerate()
        .map(|(j, grid)| {
            let b = curves.len() as f64;
            let points: Vec<GridPoint> = grid
                .iter()
                .enumerate()
                .map(|(g, &(value, count))| {
                    let mut diffs: Vec<f64> = curves.iter().map(|c| c[j][g].0 - c[j][g].1).collect();
                    let mimic = curves.iter().map(|c| c[j][g].0).sum::<f64>() / b;
                    let outcome = curves.iter().map(|c| c[j][g].1).sum::<f64>() / b;
                    let (lower, upper) = percentile_band(&mut diffs);
                    GridPoint { value, count, mimic, outcome, difference: mimic - outcome, lower, upper }
                })
                .collect();
            let amplitude = |f: fn(&GridPoint) -> f64| middle_range(&points, f, n);
            let differs =
                |p: &GridPoint| (p.lower > 0.0 || p.upper < 0.0) && p.difference.abs() >= params.materiality;
            let differing: usize = points.iter().filter(|p| differs(p)).map(|p| p.count).sum();
            let differing_share = differing as f64 / n as f64;
            let diffs: Vec<Vec<f64>> =
                (0..grid.len()).map(|g| curves.iter().map(|c| c[j][g].0 - c[j][g].1).collect()).collect();
            let counts: Vec<usize> = grid.iter().map(|&(_, c)| c).collect();
            let mut shares: Vec<f64> =
                redraws.iter().map(|draw| share_of(&diffs, &counts, draw, params.materiality, n)).collect();
            let share_interval = percentile_band(&mut shares);
            FeatureComparison {
                feature: j,
                mimic_amplitude: amplitude(|p| p.mimic),
                outcome_amplitude: amplitude(|p| p.outcome),
                differing_share,
                share_interval,
                flagged: differing_share >= params.flag_share,
                grid: points,
            }
        })
        .collect())
}

/// [`SHARE_REDRAWS`] draws, with replacement, of `b` resample indices (ChaCha8 from `seed`).
fn redraws(b: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5ba7e);
    (0..SHARE_REDRAWS).map(|_| resample(b, &mut rng).0).collect()
}

/// The differing share when the bands are taken over the resamples `draw`: `diffs[g][r]` is
/// resample `r`'s mimic − outcome at grid point `g`, which holds `counts[g]` of the `n` rows.
fn share_of(diffs: &[Vec<f64>], counts: &[usize], draw: &[usize], materiality: f64, n: usize) -> f64 {
    let mut values = Vec::with_capacity(draw.len());
    let differing: usize = diffs
        .iter()
        .zip(counts)
        .filter(|(d, _)| {
            values.clear();
            values.extend(draw.iter().map(|&r| d[r]));
            let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
            let (lower, upper) = percentile_band(&mut values);
            (lower > 0.0 || upper < 0.0) && mean.abs() >= materiality
        })
        .map(|(_, &c)| c)
        .sum();
    differing as f64 / n as f64
}

/// The 97.5% minus the 2.5% type-1 quantile of a shape's values over the rows (each grid point
/// weighted by its count).
fn middle_range(points: &[GridPoint], f: fn(&GridPoint) -> f64, n: usize) -> f64 {
    let mut values: Vec<(f64, usize)> = points.iter().map(|p| (f(p), p.count)).collect();
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quantile = |q: f64| {
        let k = order_statistic(n, q, QuantileDef::InvertedCdf).unwrap_or(n);
        let mut seen = 0;
        for &(v, c) in &values {
            seen += c;
            if seen >= k {
                return v;
            }
        }
        values.last().map_or(0.0, |v| v.0)
    };
    quantile(0.975) - quantile(0.025)
}
