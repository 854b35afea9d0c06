//! The fitted boosted GAM: bagged fit, prediction, per-row contributions and importances.

use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::boost::{BagData, Design, Stage, TermShape, boost, gradient};
use super::params::{GamParams, Monotone};
use super::shape::{center, isotonic};
use super::steps::{BinStats, best_quadrants};
use crate::error::{Error, Result, check_finite_or_missing, check_width, invalid_parameter};
use crate::link::Link;
use crate::progress::FitProgress;
use crate::tree::binning::bin;

/// One bag after the main terms.
struct Bag {
    /// Its training rows, then its validation rows.
    rows: Vec<usize>,
    n_train: usize,
    /// Main-term scores.
    scores: Vec<Vec<f64>>,
    /// Its random stream, continued by the pair stage.
    rng: ChaCha8Rng,
}

/// One additive term: a shape function of one feature or a surface of two, on bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The feature (main term) or two features (pair term) it reads.
    pub features: Vec<usize>,
    /// Per feature, the upper edges of its bins but the last (`x` is in bin `#{edges < x}`).
    pub edges: Vec<Vec<f64>>,
    /// Score per bin (a pair's grid row-major, first feature's bins as rows), on the link scale,
    /// centred to mean 0 over the training rows.
    pub scores: Vec<f64>,
    /// Standard deviation of each score across the bags.
    pub standard_deviations: Vec<f64>,
    /// Training rows per bin.
    pub counts: Vec<usize>,
    /// Per feature, whether its bins end with a missing-value bin (after the bins of values);
    /// empty when no feature of the term has one (and in files written before them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<bool>,
}

impl Term {
    /// Whether the term's feature `k` (its first or second) has a missing-value bin.
    pub fn has_missing(&self, k: usize) -> bool {
        self.missing.get(k).copied().unwrap_or(false)
    }

    /// Number of bins of values of feature `k`, the missing-value bin not counted.
    pub fn value_bins(&self, k: usize) -> usize {
        self.edges.get(k).map_or(1, |e| e.len() + 1)
    }

    /// Number of bins of feature `k`, the missing-value bin included.
    pub fn n_bins(&self, k: usize) -> usize {
        self.value_bins(k) + usize::from(self.has_missing(k))
    }

    /// The bin of `value` of feature `k`: `#{edges < value}`, or the missing-value bin for
    /// NaN where there is one.
    pub fn bin(&self, k: usize, value: f64) -> usize {
        let edges = &self.edges[k];
        if value.is_nan() && self.has_missing(k) {
            edges.len() + 1
        } else {
            edges.partition_point(|&e| e < value)
        }
    }

    /// The bin of `row` in this term's table.
    pub fn cell(&self, row: ArrayView1<'_, f64>) -> usize {
        let bin = |k: usize| self.bin(k, row[self.features[k]]);
        match self.features.len() {
            1 => bin(0),
            _ => bin(0) * self.n_bins(1) + bin(1),
        }
    }

    /// A main term's score at feature value `value` (a pair term's first row of its grid).
    pub fn score_at(&self, value: f64) -> f64 {
        self.scores[self.bin(0, value)]
    }

    /// Importance: the mean absolute score over the training rows (interpret's).
    pub fn importance(&self) -> f64 {
        let n: usize = self.counts.iter().sum();
        self.scores.iter().zip(&self.counts).map(|(s, &c)| s.abs() * c as f64).sum::<f64>() / n.max(1) as f64
    }
}

/// A fitted boosted GAM (EBM / GA²M): `η(x) = intercept + Σ_t f_t(x)`, the prediction `η` or
/// `σ(η)`.
///
/// A feature with missing values (NaN) in training gets a missing-value bin after its bins of
/// values. In a main term every boosting step gives it a leaf of its own (interpret's default
/// `missing="separate"`), so its score is learned apart from the values'; in a pair's grid it
/// is the last row or column, cut with the highest values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostedGam {
    /// The parameters it was fitted with.
    pub params: GamParams,
    /// The link.
    pub link: Link,
    /// Intercept on the link scale.
    pub intercept: f64,
    /// Main terms (one per feature, in feature order), then pair terms.
    pub terms: Vec<Term>,
    /// Number of input features.
    pub n_features: usize,
}

impl BoostedGam {
    /// Fits the GAM to `x` (shape `(n, d)`, NaN where a value is missing) and targets `y` (any
    /// values for `Identity`, values in `[0, 1]` for `Logit`).
    pub fn fit(
        params: &GamParams,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        link: Link,
    ) -> Result<Self> {
        Self::fit_reporting(params, x, y, link, &crate::progress::ignore)
    }

    /// [`BoostedGam::fit`], calling `report` after each bag of each stage (main terms, then
    /// pairs when `interactions > 0`): `outer_bags` or `2 · outer_bags` units in all.
    pub fn fit_reporting(
        params: &GamParams,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        link: Link,
        report: &(dyn Fn(FitProgress) + Sync),
    ) -> Result<Self> {
        let (n, d) = x.dim();
        params.check(d)?;
        check_data(x, y, link)?;
        let binned = bin(x, params.max_bins);
        let pair_binned = (params.interactions > 0).then(|| bin(x, params.interaction_bins));
        let y: Vec<f64> = y.to_vec();
        let design = Design {
            bins: &binned.bins,
            n_bins: (0..d).map(|j| binned.n_bins(j)).collect(),
            missing: &binned.missing,
            pair_bins: pair_binned.as_ref().map(|p| &p.bins),
            n_pair_bins: pair_binned.as_ref().map_or(Vec::new(), |p| (0..d).map(|j| p.n_bins(j)).collect()),
            y: &y,
            link,
        };
        let mean = y.iter().sum::<f64>() / n as f64;
        let intercept = match link {
            Link::Identity => mean,
            Link::Logit => {
                let p = mean.clamp(1e-6, 1.0 - 1e-6);
                (p / (1.0 - p)).ln()
            }
        };
        let total = params.outer_bags * if params.interactions > 0 { 2 } else { 1 };
        let finished = AtomicUsize::new(0);
        let tick = || report(FitProgress { done: finished.fetch_add(1, Ordering::Relaxed) + 1, total });
        let mains: Vec<TermShape> = (0..d).map(TermShape::Main).collect();
        let main_cells: Vec<Vec<u16>> = mains.iter().map(|&t| design.term_cells(t)).collect();
        // Stage 1: main terms, one boosting run per bag (in parallel).
        let bags: Vec<Bag> = (0..params.outer_bags)
            .into_par_iter()
            .map(|bag| {
                let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_add(bag as u64));
                let mut rows: Vec<usize> = (0..n).collect();
                rows.shuffle(&mut rng);
                let n_valid = ((n as f64 * params.validation_size).ceil() as usize).max(1);
                let (valid, train) = rows.split_at_mut(n_valid);
                valid.sort_unstable();
                train.sort_unstable();
                let rows: Vec<usize> = train.iter().chain(valid.iter()).copied().collect();
                let n_train = train.len();
                let data = BagData::gather(&design, &rows, n_train, &main_cells);
                let mut scores: Vec<Vec<f64>> = mains.iter().map(|&t| vec![0.0; design.cells(t)]).collect();
                let mut f = vec![intercept; n];
                let stage = Stage { terms: &mains, smoothing_rounds: params.smoothing_rounds };
                boost(&design, &stage, &data, &mut scores, &mut f, params, &mut rng);
                tick();
                Bag { rows, n_train, scores, rng }
            })
            .collect();
        // Stage 2: pairs ranked by FAST in every bag on the residuals of its main terms, the
        // `interactions` of lowest mean rank boosted in every bag on top of its main terms.
        let pairs = choose_pairs(&design, &main_cells, &bags, intercept, params);
        let pair_cells: Vec<Vec<u16>> = pairs.iter().map(|&t| design.term_cells(t)).collect();
        let terms: Vec<TermShape> = mains.iter().copied().chain(pairs.iter().copied()).collect();
        let bags: Vec<Vec<Vec<f64>>> = bags
            .into_par_iter()
            .map(|Bag { rows, n_train, mut scores, mut rng }| {
                if pairs.is_empty() {
                    if params.interactions > 0 {
                        tick();
                    }
                    return scores;
                }
                let mut f = predictor(&main_cells, &scores, intercept, &rows);
                let data = BagData::gather(&design, &rows, n_train, &pair_cells);
                let mut pair_scores: Vec<Vec<f64>> =
                    pairs.iter().map(|&t| vec![0.0; design.cells(t)]).collect();
                let stage = Stage { terms: &pairs, smoothing_rounds: params.interaction_smoothing_rounds };
                boost(&design, &stage, &data, &mut pair_scores, &mut f, params, &mut rng);
                scores.extend(pair_scores);
                tick();
                scores
            })
            .collect();
        let mut model =
            BoostedGam { params: params.clone(), link, intercept, terms: Vec::new(), n_features: d };
        for (t, &shape) in terms.iter().enumerate() {
            let cells = design.cells(shape);
            let mut counts = vec![0usize; cells];
            (0..n).for_each(|i| counts[design.cell(shape, i)] += 1);
            let bag_scores: Vec<&Vec<f64>> = bags.iter().map(|b| &b[t]).collect();
            let k = bag_scores.len() as f64;
            let scores: Vec<f64> =
                (0..cells).map(|c| bag_scores.iter().map(|s| s[c]).sum::<f64>() / k).collect();
            let standard_deviations = (0..cells)
                .map(|c| (bag_scores.iter().map(|s| (s[c] - scores[c]).powi(2)).sum::<f64>() / k).sqrt())
                .collect();
            let (features, edges, missing) = match shape {
                TermShape::Main(j) => (vec![j], vec![binned.edges[j].clone()], vec![binned.missing[j]]),
                TermShape::Pair(a, b) => {
                    let p = pair_binned
                        .as_ref()
                        .ok_or_else(|| invalid_parameter("interactions", "no pair bins"))?;
                    (
                        vec![a, b],
                        vec![p.edges[a].clone(), p.edges[b].clone()],
                        vec![p.missing[a], p.missing[b]],
                    )
                }
            };
            let missing = if missing.contains(&true) { missing } else { Vec::new() };
            model.terms.push(Term { features, edges, scores, standard_deviations, counts, missing });
        }
        for &(j, direction) in &params.monotone {
            // The bins of values only: a missing-value bin keeps its score.
            let term = &mut model.terms[j];
            let k = term.value_bins(0);
            let monotone = isotonic(&term.scores[..k], &term.counts[..k], direction == Monotone::Increasing);
            term.scores[..k].copy_from_slice(&monotone);
        }
        for term in &mut model.terms {
            model.intercept += center(&mut term.scores, &term.counts);
        }
        Ok(model)
    }

    /// Per-row contributions, shape `(n, terms)`: `η(x) = intercept + Σ_t contributions[., t]`.
    /// A missing value (NaN) takes the missing-value bin of its feature, and is refused, naming
    /// its row and column, where a term reading the feature has none.
    pub fn contributions(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        check_width(x, self.n_features)?;
        check_finite_or_missing(x)?;
        if let Some(((row, column), _)) =
            x.indexed_iter().find(|&((_, j), v)| v.is_nan() && !self.has_missing_bin(j))
        {
            return Err(Error::InvalidInput {
                row,
                column,
                reason: "missing value, and the GAM has no missing-value bin for it (none in training)"
                    .into(),
            });
        }
        Ok(Array2::from_shape_fn((x.nrows(), self.terms.len()), |(i, t)| {
            let term = &self.terms[t];
            term.scores[term.cell(x.row(i))]
        }))
    }

    /// Whether every term that reads feature `j` has a missing-value bin for it.
    pub fn has_missing_bin(&self, j: usize) -> bool {
        self.terms.iter().all(|t| t.features.iter().enumerate().all(|(k, &f)| f != j || t.has_missing(k)))
    }

    /// The additive predictor `η` of each row.
    pub fn predict_link(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        Ok(self.contributions(x)?.sum_axis(ndarray::Axis(1)) + self.intercept)
    }

    /// Predictions, shape `(n, 1)` values (identity) or `(n, 2)` probabilities `[1 − p, p]`
    /// (logit).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        Ok(self.link.outputs(self.predict_link(x)?))
    }
}

/// The predictor `intercept + Σ_t scores_t[cell]` of `rows`, given every row's cells per term.
fn predictor(cells: &[Vec<u16>], scores: &[Vec<f64>], intercept: f64, rows: &[usize]) -> Vec<f64> {
    rows.iter()
        .map(|&i| intercept + cells.iter().zip(scores).map(|(c, s)| s[usize::from(c[i])]).sum::<f64>())
        .collect()
}

/// interpret's choice of pairs: in every bag, all pairs ordered by their FAST gain (the best
/// quadrant split of the gradients of the bag's main terms, over its training rows); the
/// `interactions` pairs of lowest mean rank over the bags.
fn choose_pairs(
    design: &Design<'_>,
    main_cells: &[Vec<u16>],
    bags: &[Bag],
    intercept: f64,
    params: &GamParams,
) -> Vec<TermShape> {
    if params.interactions == 0 || design.pair_bins.is_none() {
        return Vec::new();
    }
    let d = design.n_bins.len();
    let candidates: Vec<TermShape> =
        (0..d).flat_map(|a| (a + 1..d).map(move |b| TermShape::Pair(a, b))).collect();
    let ranks: Vec<Vec<usize>> = bags
        .par_iter()
        .map(|bag| {
            let train = &bag.rows[..bag.n_train];
            let f = predictor(main_cells, &bag.scores, intercept, train);
            let gradients: Vec<(f64, f64)> =
                train.iter().zip(&f).map(|(&i, &f)| gradient(design.link, design.y[i], f)).collect();
            let gains: Vec<f64> = candidates
                .iter()
                .map(|&shape| {
                    let TermShape::Pair(_, b) = shape else { return 0.0 };
                    let mut grid = vec![BinStats::default(); design.cells(shape)];
                    for (&i, &(g, h)) in train.iter().zip(&gradients) {
                        let cell = &mut grid[design.cell(shape, i)];
                        cell.g += g;
                        cell.h += h;
                        cell.n += 1;
                    }
                    best_quadrants(&grid, design.n_pair_bins[b], params.min_samples_leaf).map_or(0.0, |q| q.0)
                })
                .collect();
            let mut order: Vec<usize> = (0..candidates.len()).collect();
            order.sort_by(|&x, &y| gains[y].total_cmp(&gains[x]));
            let mut rank = vec![0; candidates.len()];
            order.iter().enumerate().for_each(|(r, &c)| rank[c] = r);
            rank
        })
        .collect();
    let mut by_rank: Vec<(usize, usize)> =
        (0..candidates.len()).map(|c| (ranks.iter().map(|r| r[c]).sum(), c)).collect();
    by_rank.sort_unstable();
    by_rank.into_iter().take(params.interactions).map(|(_, c)| candidates[c]).collect()
}

fn check_data(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>, link: Link) -> Result<()> {
    if y.len() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "features and targets".into(),
            expected: x.nrows(),
            got: y.len(),
        });
    }
    if x.nrows() < 10 {
        return Err(invalid_parameter(
            "data",
            format!("{} rows; a boosted GAM needs at least 10", x.nrows()),
        ));
    }
    check_finite_or_missing(x)?;
    link.check_targets(y, x.ncols())
}
