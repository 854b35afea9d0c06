//! Choosing BETA's fidelity weight on held-out rows. Lakkaraju et al. (2017) leave the λ of
//! their objective as parameters to be tuned; kd tunes, on validation rows, the one that decides
//! how faithful a rule must be to pay for itself, `λ_disagreement` (a rule's own rows add
//! `λ_cover − λ_disagreement·(1 − agreement)` each, so it must agree with the teacher on more than
//! `1 − λ_cover/λ_disagreement` of them), and keeps the other weights.
//!
//! The rows are shuffled (ChaCha8, `seed`); a `validation_fraction` share is held out, BETA is
//! fitted on the rest for every value of the grid, and the value whose decision set agrees best
//! with the teacher's classes on the held-out rows (ties to the earlier value) is used to refit
//! on all the rows.

use ndarray::{ArrayView2, Axis};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::{BetaParams, DecisionSet, beta};
use crate::error::{Result, invalid_parameter};
use crate::input::FeatureKind;

/// Parameters of [`beta_tuned`].
///
/// | parameter | default | meaning | valid range |
/// |---|---|---|---|
/// | `grid` | 1, 2, 4, 8, 16 | values of `λ_disagreement` tried (with `λ_cover = 1`: least agreement 0, ½, ¾, ⅞, 15/16) | non-empty, finite, ≥ 0 |
/// | `validation_fraction` | 0.25 | share of rows held out | `0 < f < 1`, both parts non-empty |
/// | `seed` | 0 | the shuffle | any |
#[derive(Debug, Clone, PartialEq)]
pub struct TuneParams {
    /// Values of `λ_disagreement` tried.
    pub grid: Vec<f64>,
    /// Share of the rows held out.
    pub validation_fraction: f64,
    /// Seed of the shuffle.
    pub seed: u64,
}

impl Default for TuneParams {
    fn default() -> Self {
        Self { grid: vec![1.0, 2.0, 4.0, 8.0, 16.0], validation_fraction: 0.25, seed: 0 }
    }
}

/// A decision set with its tuned weight.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Tuned {
    /// BETA refitted on all rows with the chosen weight.
    pub set: DecisionSet,
    /// The chosen `λ_disagreement`.
    pub disagreement: f64,
    /// Each value of the grid with its agreement on the held-out rows.
    pub scores: Vec<(f64, f64)>,
}

/// BETA with `λ_disagreement` chosen on held-out rows (the other parameters from `params`).
///
/// Errors: those of [`beta`], an empty grid or a value that is negative or not finite, a
/// validation fraction outside `(0, 1)` or leaving either part empty.
pub fn beta_tuned(
    params: &BetaParams,
    tune: &TuneParams,
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    labels: &[usize],
    n_classes: usize,
) -> Result<Tuned> {
    if tune.grid.is_empty() {
        return Err(invalid_parameter("grid", "no value to try; give at least one"));
    }
    if let Some(v) = tune.grid.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        return Err(invalid_parameter("grid", format!("{v} is not a finite non-negative number")));
    }
    let n = x.nrows();
    let held = (tune.validation_fraction * n as f64).round() as usize;
    if !(tune.validation_fraction > 0.0 && tune.validation_fraction < 1.0) || held == 0 || held >= n {
        return Err(invalid_parameter(
            "validation_fraction",
            format!(
                "{} of {n} rows leaves a part empty; it must be in (0, 1) with rows on both sides",
                tune.validation_fraction
            ),
        ));
    }
    if labels.len() != n {
        return Err(invalid_parameter("labels", format!("{} labels for {n} rows", labels.len())));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(tune.seed));
    let (validation, fit) = order.split_at(held);
    let x_fit = x.select(Axis(0), fit);
    let x_val = x.select(Axis(0), validation);
    let labels_fit: Vec<usize> = fit.iter().map(|&r| labels[r]).collect();
    let mut scores = Vec::with_capacity(tune.grid.len());
    for &value in &tune.grid {
        let mut trial = *params;
        trial.weights.disagreement = value;
        let set = beta(&trial, x_fit.view(), kinds, &labels_fit, n_classes)?;
        let predicted = set.predict(x_val.view())?;
        let right = predicted.iter().zip(validation).filter(|(p, r)| **p == labels[**r]).count();
        scores.push((value, right as f64 / held as f64));
    }
    let best = scores.iter().fold(scores[0], |b, &s| if s.1 > b.1 { s } else { b });
    let mut chosen = *params;
    chosen.weights.disagreement = best.0;
    let set = beta(&chosen, x, kinds, labels, n_classes)?;
    Ok(Tuned { set, disagreement: best.0, scores })
}
