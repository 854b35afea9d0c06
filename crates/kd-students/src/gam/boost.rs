//! Boosting of a GAM's terms on one bag, interpret's schedule (`_ebm/_boost.py`, 0.7.8):
//! `smoothing_rounds` cyclic rounds whose steps cut at random, then rounds of greedy steps —
//! every term's best step is computed without being applied, then `⌈greedy_ratio · terms⌉`
//! steps each apply a fresh step of the term with the largest gain so far (the first the best
//! of the round's computed steps) and refresh that term's gain. Each applied step is scored on
//! the bag's validation rows; the scores of the best step are kept. After smoothing, boosting
//! stops when the best loss of the last `early_stopping_rounds · terms` steps is not below the
//! best loss before them by more than `early_stopping_tolerance` (relative).

use std::collections::VecDeque;

use ndarray::Array2;
use rand_chacha::ChaCha8Rng;

use super::params::GamParams;
use super::steps::{
    BinStats, Step, main_step, pair_step, random_main_step, random_pair_step, with_missing_leaf,
};
use crate::link::Link;

/// The binned design every bag reads.
pub(super) struct Design<'a> {
    /// Main-term bins `(n, d)`.
    pub bins: &'a Array2<u8>,
    /// Bins per feature of `bins`, a missing-value bin included.
    pub n_bins: Vec<usize>,
    /// Per feature, whether its last bin holds the missing values.
    pub missing: &'a [bool],
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
    /// Number of cells of a term's score table (at most 256² = 65,536).
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

    /// Every row's cell of a term, as `u16` (tables have at most 65,536 cells).
    pub fn term_cells(&self, t: TermShape) -> Vec<u16> {
        (0..self.y.len()).map(|i| self.cell(t, i) as u16).collect()
    }
}

/// Loss of a target `y` at predictor `f`: `(y − f)²`, or the cross-entropy
/// `−[y ln p + (1 − y) ln(1 − p)] = ln(1 + e^f) − y·f` computed stably.
#[inline]
fn loss(link: Link, y: f64, f: f64) -> f64 {
    match link {
        Link::Identity => (y - f).powi(2),
        Link::Logit => f.max(0.0) + (-f.abs()).exp().ln_1p() - y * f,
    }
}

/// Gradient (`y − μ`) and Hessian (1, or `p(1 − p)`) of the loss at predictor `f`.
#[inline]
pub(super) fn gradient(link: Link, y: f64, f: f64) -> (f64, f64) {
    match link {
        Link::Identity => (y - f, 1.0),
        Link::Logit => {
            let p = 1.0 / (1.0 + (-f).exp());
            (y - p, (p * (1.0 - p)).max(1e-12))
        }
    }
}

/// One bag's rows in boosting order — its training rows, then its validation rows — with
/// their targets and every term's cells, contiguous so that each step reads them in order.
pub(super) struct BagData {
    n_train: usize,
    y: Vec<f64>,
    cells: Vec<Vec<u16>>,
    link: Link,
}

impl BagData {
    /// Gathers `rows` (the first `n_train` for training) of the targets and of each term's cells.
    pub fn gather(design: &Design<'_>, rows: &[usize], n_train: usize, term_cells: &[Vec<u16>]) -> Self {
        BagData {
            n_train,
            y: rows.iter().map(|&i| design.y[i]).collect(),
            cells: term_cells.iter().map(|c| rows.iter().map(|&i| c[i]).collect()).collect(),
            link: design.link,
        }
    }

    /// Mean loss over the validation rows.
    fn valid_loss(&self, f: &[f64]) -> f64 {
        let (y, f) = (&self.y[self.n_train..], &f[self.n_train..]);
        y.iter().zip(f).map(|(&y, &f)| loss(self.link, y, f)).sum::<f64>() / y.len() as f64
    }

    /// Term `t`'s per-cell gradient sums over the training rows, into `bins`, given its training
    /// rows per cell (`counts`): with squared error the Hessian sum is the count, so one sum per
    /// row is accumulated.
    fn histogram(&self, t: usize, counts: &[usize], f: &[f64], bins: &mut Vec<BinStats>) {
        let rows = self.cells[t][..self.n_train].iter().zip(&self.y).zip(f);
        bins.clear();
        match self.link {
            Link::Identity => {
                bins.extend(counts.iter().map(|&n| BinStats { g: 0.0, h: n as f64, n }));
                rows.for_each(|((&c, &y), &f)| bins[usize::from(c)].g += y - f);
            }
            Link::Logit => {
                bins.extend(counts.iter().map(|&n| BinStats { g: 0.0, h: 0.0, n }));
                rows.for_each(|((&c, &y), &f)| {
                    let (g, h) = gradient(Link::Logit, y, f);
                    let b = &mut bins[usize::from(c)];
                    b.g += g;
                    b.h += h;
                });
            }
        }
    }
}

/// The terms of one boosting stage (mains, or pairs on top of the mains).
pub(super) struct Stage<'a> {
    pub terms: &'a [TermShape],
    /// Cyclic rounds with random cuts before the greedy steps.
    pub smoothing_rounds: usize,
}

/// The best scores seen and interpret's early-stopping rule.
struct Tracker {
    best_loss: f64,
    best_scores: Vec<Vec<f64>>,
    /// Terms changed since the best scores were copied.
    dirty: Vec<bool>,
    tolerance: f64,
    window: usize,
    /// Lowest loss of every step (smoothing included) and of the steps older than the window.
    min_all: f64,
    min_before: f64,
    /// The window's losses, and its running minimum as a monotone queue of (step, loss).
    recent: VecDeque<f64>,
    minima: VecDeque<(usize, f64)>,
    counted: usize,
}

impl Tracker {
    fn new(loss: f64, scores: &[Vec<f64>], params: &GamParams) -> Self {
        Self {
            best_loss: loss,
            best_scores: scores.to_vec(),
            dirty: vec![false; scores.len()],
            tolerance: params.early_stopping_tolerance,
            window: params.early_stopping_rounds * scores.len(),
            min_all: f64::INFINITY,
            min_before: f64::INFINITY,
            recent: VecDeque::new(),
            minima: VecDeque::new(),
            counted: 0,
        }
    }

    /// Records the loss after a step of term `t`; true when boosting should stop.
    fn record(&mut self, t: usize, loss: f64, scores: &[Vec<f64>], smoothing: bool) -> bool {
        self.dirty[t] = true;
        if loss <= self.best_loss {
            self.best_loss = loss;
            for (k, dirty) in self.dirty.iter_mut().enumerate().filter(|(_, d)| **d) {
                self.best_scores[k].copy_from_slice(&scores[k]);
                *dirty = false;
            }
        }
        // interpret's tolerance: relative to the smaller of the two minima before this step.
        let tolerance = self.min_all.abs().min(self.min_before.abs()) * self.tolerance;
        let tolerance = if tolerance.is_finite() { tolerance } else { 0.0 };
        self.min_all = self.min_all.min(loss);
        if smoothing {
            return false;
        }
        self.recent.push_back(loss);
        while self.minima.back().is_some_and(|&(_, l)| l >= loss) {
            self.minima.pop_back();
        }
        self.minima.push_back((self.counted, loss));
        self.counted += 1;
        if self.recent.len() > self.window {
            let tossed = self.recent.pop_front().unwrap_or(f64::INFINITY);
            self.min_before = self.min_before.min(tossed);
        }
        while self.minima.front().is_some_and(|&(s, _)| s + self.window < self.counted) {
            self.minima.pop_front();
        }
        let window_min = self.minima.front().map_or(f64::INFINITY, |&(_, l)| l);
        self.min_before - tolerance <= window_min
    }
}

/// One stage's boosting on one bag: the data, the scores and predictors being boosted, the
/// step count and the tracker.
struct Run<'a> {
    design: &'a Design<'a>,
    stage: &'a Stage<'a>,
    data: &'a BagData,
    params: &'a GamParams,
    /// Per term, training rows per cell.
    counts: Vec<Vec<usize>>,
    bins: Vec<BinStats>,
    scores: &'a mut [Vec<f64>],
    f: &'a mut [f64],
    tracker: Tracker,
    steps: usize,
    max_steps: usize,
}

impl Run<'_> {
    /// Term `t`'s best step on the current predictors.
    fn greedy(&mut self, t: usize) -> Step {
        self.data.histogram(t, &self.counts[t], self.f, &mut self.bins);
        let p = self.params;
        match self.stage.terms[t] {
            TermShape::Main(j) if self.design.missing[j] => {
                let (values, hole) = self.bins.split_at(self.bins.len() - 1);
                let step = main_step(values, p.max_leaves, p.min_samples_leaf, p.learning_rate);
                with_missing_leaf(step, values, &hole[0], p.learning_rate)
            }
            TermShape::Main(_) => main_step(&self.bins, p.max_leaves, p.min_samples_leaf, p.learning_rate),
            TermShape::Pair(_, b) => {
                pair_step(&self.bins, self.design.n_pair_bins[b], p.min_samples_leaf, p.learning_rate)
            }
        }
    }

    /// Term `t`'s smoothing step: cuts drawn at random.
    fn random(&mut self, t: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        self.data.histogram(t, &self.counts[t], self.f, &mut self.bins);
        let rate = self.params.learning_rate;
        match self.stage.terms[t] {
            TermShape::Main(j) if self.design.missing[j] => {
                // interpret's random cuts see the missing-value bin as the lowest bin (its
                // place in interpret's tables): rotated to the front for the cut, then back.
                self.bins.rotate_right(1);
                let mut delta = random_main_step(&self.bins, self.params.max_leaves, rate, rng);
                delta.rotate_left(1);
                delta
            }
            TermShape::Main(_) => random_main_step(&self.bins, self.params.max_leaves, rate, rng),
            TermShape::Pair(_, b) => random_pair_step(&self.bins, self.design.n_pair_bins[b], rate, rng),
        }
    }

    /// Applies an update to term `t` and every row's predictor; true when boosting should stop
    /// (early stopping, or the last step allowed).
    fn apply(&mut self, t: usize, delta: &[f64], smoothing: bool) -> bool {
        self.scores[t].iter_mut().zip(delta).for_each(|(s, d)| *s += d);
        self.f.iter_mut().zip(&self.data.cells[t]).for_each(|(v, &c)| *v += delta[usize::from(c)]);
        self.steps += 1;
        let stop = self.tracker.record(t, self.data.valid_loss(self.f), self.scores, smoothing);
        stop || self.steps >= self.max_steps
    }

    /// interpret's greedy round: every term's best step computed, the best applied, then
    /// `greedy_steps − 1` fresh steps of the term with the largest gain so far; true when
    /// boosting should stop.
    fn greedy_round(&mut self, gains: &mut [f64], greedy_steps: usize) -> bool {
        let mut cached: Option<(usize, Step)> = None;
        for (t, gain) in gains.iter_mut().enumerate() {
            let step = self.greedy(t);
            *gain = step.gain;
            if cached.as_ref().is_none_or(|(_, best)| step.gain > best.gain) {
                cached = Some((t, step));
            }
        }
        for _ in 0..greedy_steps {
            let (t, delta) = match cached.take() {
                Some((t, step)) => (t, step.delta),
                None => {
                    let t = (0..gains.len()).fold(0, |best, k| if gains[k] > gains[best] { k } else { best });
                    let step = self.greedy(t);
                    gains[t] = step.gain;
                    (t, step.delta)
                }
            };
            if self.apply(t, &delta, false) {
                return true;
            }
        }
        false
    }
}

/// Boosts the stage's terms on one bag from `scores` and the bag rows' predictors `f` (in
/// `data`'s order), leaving in `scores` those of the step with the lowest validation loss.
pub(super) fn boost(
    design: &Design<'_>,
    stage: &Stage<'_>,
    data: &BagData,
    scores: &mut [Vec<f64>],
    f: &mut [f64],
    params: &GamParams,
    rng: &mut ChaCha8Rng,
) {
    let n_terms = stage.terms.len();
    if n_terms == 0 {
        return;
    }
    let counts = scores
        .iter()
        .zip(&data.cells)
        .map(|(s, cells)| {
            let mut counts = vec![0; s.len()];
            cells[..data.n_train].iter().for_each(|&c| counts[usize::from(c)] += 1);
            counts
        })
        .collect();
    let tracker = Tracker::new(data.valid_loss(f), scores, params);
    let max_steps = params.max_rounds.saturating_mul(n_terms);
    let mut run = Run {
        design,
        stage,
        data,
        params,
        counts,
        bins: Vec::new(),
        scores,
        f,
        tracker,
        steps: 0,
        max_steps,
    };
    for t in (0..n_terms).cycle().take(stage.smoothing_rounds.saturating_mul(n_terms)) {
        let delta = run.random(t, rng);
        if run.apply(t, &delta, true) {
            break;
        }
    }
    let greedy_steps = (params.greedy_ratio * n_terms as f64).ceil() as usize;
    let mut gains = vec![0.0; n_terms];
    'boosting: while run.steps < run.max_steps {
        if greedy_steps > 0 {
            if run.greedy_round(&mut gains, greedy_steps) {
                break;
            }
            continue;
        }
        // Cyclic boosting: every term's best step applied in turn.
        for t in 0..n_terms {
            let step = run.greedy(t);
            if run.apply(t, &step.delta, false) {
                break 'boosting;
            }
        }
    }
    let best = std::mem::take(&mut run.tracker.best_scores);
    run.scores.clone_from_slice(&best);
}
