//! Cyclic gradient boosting of a GAM's terms on one bag, with early stopping on the bag's
//! validation rows (interpret's inner loop).

use ndarray::Array2;

use super::params::{GamParams, Link};
use super::steps::{BinStats, main_step, pair_step};

/// The binned design every bag reads.
pub(super) struct Design<'a> {
    /// Main-term bins `(n, d)`.
    pub bins: &'a Array2<u8>,
    /// Bins per feature of `bins`.
    pub n_bins: Vec<usize>,
    /// Pair-term bins `(n, d)` (coarser), when pairs are fitted.
    pub pair_bins: Option<&'a Array2<u8>>,
    /// Bins per feature of `pair_bins`.
    pub n_pair_bins: Vec<usize>,
    /// Targets.
    pub y: &'a [f64],
    /// Link and loss.
    pub link: Link,
}

/// Which features a term reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TermShape {
    Main(usize),
    Pair(usize, usize),
}

impl Design<'_> {
    /// Number of cells of a term's score table.
    pub fn cells(&self, t: TermShape) -> usize {
        match t {
            TermShape::Main(j) => self.n_bins[j],
            TermShape::Pair(a, b) => self.n_pair_bins[a] * self.n_pair_bins[b],
        }
    }

    /// The cell of row `i` in a term's table.
    #[inline]
    pub fn cell(&self, t: TermShape, i: usize) -> usize {
        match (t, self.pair_bins) {
            (TermShape::Main(j), _) => usize::from(self.bins[[i, j]]),
            (TermShape::Pair(a, b), Some(p)) => {
                usize::from(p[[i, a]]) * self.n_pair_bins[b] + usize::from(p[[i, b]])
            }
            (TermShape::Pair(..), None) => 0,
        }
    }

    /// Mean loss of predictors `f` on `rows`: squared error or cross-entropy.
    pub fn loss(&self, f: &[f64], rows: &[usize]) -> f64 {
        let total: f64 = rows
            .iter()
            .map(|&i| match self.link {
                Link::Identity => (self.y[i] - f[i]).powi(2),
                Link::Logit => {
                    // −[y ln p + (1 − y) ln(1 − p)] = ln(1 + e^η) − y·η, computed stably.
                    let eta = f[i];
                    eta.max(0.0) + (-eta.abs()).exp().ln_1p() - self.y[i] * eta
                }
            })
            .sum();
        total / rows.len() as f64
    }

    /// Gradient (`y − μ`) and Hessian (1, or `p(1 − p)`) of row `i`'s loss.
    #[inline]
    pub fn gradient(&self, f: f64, i: usize) -> (f64, f64) {
        match self.link {
            Link::Identity => (self.y[i] - f, 1.0),
            Link::Logit => {
                let p = 1.0 / (1.0 + (-f).exp());
                (self.y[i] - p, (p * (1.0 - p)).max(1e-12))
            }
        }
    }
}

/// Boosts `terms` cyclically: each cycle updates every term once on `train`; stops after
/// `early_stopping_rounds` cycles without a relative improvement of the `valid` loss above the
/// tolerance, and keeps the scores of the best cycle. `f` holds every row's predictor and is
/// left consistent with the returned scores.
pub(super) fn boost(
    design: &Design<'_>,
    terms: &[TermShape],
    scores: &mut [Vec<f64>],
    f: &mut [f64],
    train: &[usize],
    valid: &[usize],
    params: &GamParams,
) {
    let mut best_loss = design.loss(f, valid);
    let mut best_scores = scores.to_vec();
    let mut best_f = f.to_vec();
    let mut reference = best_loss;
    let mut patience = 0;
    for _ in 0..params.max_rounds {
        for (t, &term) in terms.iter().enumerate() {
            let mut bins = vec![BinStats::default(); design.cells(term)];
            for &i in train {
                let (g, h) = design.gradient(f[i], i);
                let b = &mut bins[design.cell(term, i)];
                b.g += g;
                b.h += h;
                b.n += 1;
            }
            let delta = match term {
                TermShape::Main(_) => {
                    main_step(&bins, params.max_leaves, params.min_samples_leaf, params.learning_rate)
                }
                TermShape::Pair(_, b) => {
                    pair_step(&bins, design.n_pair_bins[b], params.min_samples_leaf, params.learning_rate)
                }
            };
            scores[t].iter_mut().zip(&delta).for_each(|(s, d)| *s += d);
            for &i in train.iter().chain(valid) {
                f[i] += delta[design.cell(term, i)];
            }
        }
        let loss = design.loss(f, valid);
        if loss < best_loss {
            best_loss = loss;
            best_scores.clone_from_slice(scores);
            best_f.copy_from_slice(f);
        }
        if loss < reference - params.early_stopping_tolerance * reference.abs() {
            reference = loss;
            patience = 0;
        } else {
            patience += 1;
            if patience >= params.early_stopping_rounds {
                break;
            }
        }
    }
    scores.clone_from_slice(&best_scores);
    f.copy_from_slice(&best_f);
}
