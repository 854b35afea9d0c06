//! One boosting step of a term: from per-bin gradient sums, the update of its scores and the
//! gain that ranks it among the greedy steps.
//!
//! A main term's step is a shallow tree on the feature's ordered bins: best-first cuts into at
//! most `max_leaves` contiguous groups, each cut maximising the Newton gain
//! `G_L²/H_L + G_R²/H_R − G²/H`, each group moved by `learning_rate · G/H` (interpret's boosting
//! of single-feature trees, Lou, Caruana & Gehrke 2012). A pair term's step is the four
//! quadrants of one cut on each feature with the largest gain (FAST, Lou, Caruana, Gehrke &
//! Hooker 2013; interpret grows a small tree on the pair's grid instead). A smoothing step
//! draws its cuts uniformly among the bin boundaries, as interpret's random splits
//! (`PartitionRandomBoosting.cpp`) do: `max_leaves − 1` distinct cuts for a main term, one cut
//! per feature for a pair, no minimum of rows per leaf.

use rand::Rng;
use rand::seq::index::sample;

/// Gradient sum, Hessian sum and row count of a bin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct BinStats {
    pub g: f64,
    pub h: f64,
    pub n: usize,
}

impl BinStats {
    fn add(&mut self, o: &BinStats) {
        self.g += o.g;
        self.h += o.h;
        self.n += o.n;
    }
    fn minus(&self, o: &BinStats) -> BinStats {
        BinStats { g: self.g - o.g, h: self.h - o.h, n: self.n - o.n }
    }
    /// `G²/H`, the loss decrease of a Newton step on these rows (0 without curvature).
    pub fn score(&self) -> f64 {
        if self.h > 0.0 { self.g * self.g / self.h } else { 0.0 }
    }
    /// The Newton step `G/H`.
    pub fn step(&self) -> f64 {
        if self.h > 0.0 { self.g / self.h } else { 0.0 }
    }
}

/// The best cut of `bins[lo..hi]`: `(gain, cut)` with bins `lo..=cut` on the left.
fn best_cut(bins: &[BinStats], lo: usize, hi: usize, min_leaf: usize) -> Option<(f64, usize)> {
    let mut total = BinStats::default();
    bins[lo..hi].iter().for_each(|b| total.add(b));
    let mut left = BinStats::default();
    let mut best: Option<(f64, usize)> = None;
    for (cut, bin) in bins.iter().enumerate().take(hi - 1).skip(lo) {
        left.add(bin);
        let right = total.minus(&left);
        if left.n < min_leaf || right.n < min_leaf || bin.n == 0 {
            continue;
        }
        let gain = left.score() + right.score() - total.score();
        if gain > 1e-12 && best.is_none_or(|(g, _)| gain > g) {
            best = Some((gain, cut));
        }
    }
    best
}

/// A step's update of a term's scores, one value per cell, and its gain: the loss decrease
/// `Σ_leaves G²/H − G²/H` its cuts buy (0 when it found none).
pub(super) struct Step {
    pub delta: Vec<f64>,
    pub gain: f64,
}

/// Each segment `lo..hi` of the bins moved by `learning_rate · G/H` of its rows.
fn segment_update(bins: &[BinStats], segments: &[(usize, usize)], learning_rate: f64) -> Vec<f64> {
    let mut delta = vec![0.0; bins.len()];
    for &(lo, hi) in segments {
        let mut total = BinStats::default();
        bins[lo..hi].iter().for_each(|b| total.add(b));
        let step = learning_rate * total.step();
        delta[lo..hi].iter_mut().for_each(|d| *d = step);
    }
    delta
}

/// A main term's greedy step: best-first cuts into at most `max_leaves` segments.
pub(super) fn main_step(bins: &[BinStats], max_leaves: usize, min_leaf: usize, learning_rate: f64) -> Step {
    let mut segments = vec![(0, bins.len())];
    let mut gain = 0.0;
    while segments.len() < max_leaves {
        let best = segments
            .iter()
            .enumerate()
            .filter_map(|(i, &(lo, hi))| best_cut(bins, lo, hi, min_leaf).map(|(g, c)| (g, i, c)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((g, i, cut)) = best else { break };
        gain += g;
        let (lo, hi) = segments[i];
        segments[i] = (lo, cut + 1);
        segments.push((cut + 1, hi));
    }
    Step { delta: segment_update(bins, &segments, learning_rate), gain }
}

/// `step` of a main term's bins of values extended by its missing-value bin `hole` as a leaf
/// of its own (interpret's `missing="separate"`): moved by `learning_rate · G/H` of its rows, and
/// the gain measured from the parent of all rows, `step.gain + G_v²/H_v + G_m²/H_m − G²/H`.
pub(super) fn with_missing_leaf(
    mut step: Step,
    values: &[BinStats],
    hole: &BinStats,
    learning_rate: f64,
) -> Step {
    let mut present = BinStats::default();
    values.iter().for_each(|b| present.add(b));
    let mut all = present;
    all.add(hole);
    step.gain += present.score() + hole.score() - all.score();
    step.delta.push(learning_rate * hole.step());
    step
}

/// A main term's smoothing step: `max_leaves − 1` cuts drawn without replacement among the
/// `bins − 1` boundaries.
pub(super) fn random_main_step(
    bins: &[BinStats],
    max_leaves: usize,
    learning_rate: f64,
    rng: &mut impl Rng,
) -> Vec<f64> {
    let boundaries = bins.len().saturating_sub(1);
    let mut cuts: Vec<usize> = sample(rng, boundaries, (max_leaves - 1).min(boundaries)).into_vec();
    cuts.sort_unstable();
    let mut segments = Vec::with_capacity(cuts.len() + 1);
    let mut lo = 0;
    for cut in cuts {
        segments.push((lo, cut + 1));
        lo = cut + 1;
    }
    segments.push((lo, bins.len()));
    segment_update(bins, &segments, learning_rate)
}

/// Running sums of `g`, `h` and the row count per column of a pair's grid, kept as three
/// arrays so that the scan over cuts is branch-free arithmetic on slices.
struct Columns {
    g: Vec<f64>,
    h: Vec<f64>,
    n: Vec<f64>,
}

impl Columns {
    fn zeros(nb: usize) -> Self {
        Columns { g: vec![0.0; nb], h: vec![0.0; nb], n: vec![0.0; nb] }
    }
    /// Adds a grid row's sums over `b ≤ j` to column `j`.
    fn add_prefix_of(&mut self, row: &[BinStats]) {
        let (mut g, mut h, mut n) = (0.0, 0.0, 0.0);
        let columns = self.g.iter_mut().zip(self.h.iter_mut()).zip(self.n.iter_mut());
        for (((cg, ch), cn), b) in columns.zip(row) {
            g += b.g;
            h += b.h;
            n += b.n as f64;
            *cg += g;
            *ch += h;
            *cn += n;
        }
    }
}

/// The best quadrant split of a pair's grid `bins` (row-major `(a, b)`, `nb` columns):
/// `(gain over no split, cut_a, cut_b)`, each quadrant holding at least `min_leaf` rows.
///
/// One pass over the rows of the grid keeps the sums over `a ≤ cut_a, b ≤ j` per column `j`;
/// every cut on `b` is then scored from those, the sums over all `a` and the grid total. Every
/// quadrant that qualifies holds a row, so its Hessian sum is positive.
pub(super) fn best_quadrants(bins: &[BinStats], nb: usize, min_leaf: usize) -> Option<(f64, usize, usize)> {
    let na = bins.len() / nb;
    if na < 2 || nb < 2 {
        return None;
    }
    let mut low = Columns::zeros(nb);
    bins.chunks_exact(nb).for_each(|row| low.add_prefix_of(row));
    let (tg, th, tn) = (low.g[nb - 1], low.h[nb - 1], low.n[nb - 1]);
    let parent = tg * tg / th;
    let min = min_leaf as f64;
    let score = |g: f64, h: f64| g * g / h;
    let mut below = Columns::zeros(nb);
    let mut gains = vec![0.0; nb - 1];
    let mut best: Option<(f64, usize, usize)> = None;
    for (ca, row) in bins.chunks_exact(nb).take(na - 1).enumerate() {
        below.add_prefix_of(row);
        let (left_g, left_h, left_n) = (below.g[nb - 1], below.h[nb - 1], below.n[nb - 1]);
        let m = gains.len();
        let (bg, bh, bn) = (&below.g[..m], &below.h[..m], &below.n[..m]);
        let (lg, lh, ln) = (&low.g[..m], &low.h[..m], &low.n[..m]);
        for j in 0..m {
            let (llg, llh, lln) = (bg[j], bh[j], bn[j]);
            let (rlg, rlh, rln) = (lg[j] - llg, lh[j] - llh, ln[j] - lln);
            let (lrg, lrh, lrn) = (left_g - llg, left_h - llh, left_n - lln);
            let (rrg, rrh, rrn) = (tg - left_g - rlg, th - left_h - rlh, tn - left_n - rln);
            let ok = (lln >= min) & (lrn >= min) & (rln >= min) & (rrn >= min);
            let split = score(llg, llh) + score(lrg, lrh) + score(rlg, rlh) + score(rrg, rrh);
            gains[j] = if ok { split - parent } else { f64::NEG_INFINITY };
        }
        for (cb, &gain) in gains.iter().enumerate() {
            if gain > f64::NEG_INFINITY && best.is_none_or(|(g, _, _)| gain > g) {
                best = Some((gain, ca, cb));
            }
        }
    }
    best
}

/// A pair term's greedy step: its grid moved by quadrants of its best cut pair (zero when none).
pub(super) fn pair_step(bins: &[BinStats], nb: usize, min_leaf: usize, learning_rate: f64) -> Step {
    match best_quadrants(bins, nb, min_leaf) {
        Some((gain, ca, cb)) => Step { delta: quadrant_update(bins, nb, ca, cb, learning_rate), gain },
        None => Step { delta: vec![0.0; bins.len()], gain: 0.0 },
    }
}

/// A pair term's smoothing step: one cut drawn uniformly on each feature (none where it has
/// one bin).
pub(super) fn random_pair_step(
    bins: &[BinStats],
    nb: usize,
    learning_rate: f64,
    rng: &mut impl Rng,
) -> Vec<f64> {
    let na = bins.len() / nb;
    let mut cut = |n: usize| if n > 1 { rng.gen_range(0..n - 1) } else { n };
    let ca = cut(na);
    let cb = cut(nb);
    quadrant_update(bins, nb, ca, cb, learning_rate)
}

/// The grid moved by `learning_rate · G/H` of each quadrant of the cuts after `ca` and `cb`.
fn quadrant_update(bins: &[BinStats], nb: usize, ca: usize, cb: usize, learning_rate: f64) -> Vec<f64> {
    let split = (cb + 1).min(nb);
    let mut sums = [[BinStats::default(); 2]; 2];
    for (i, row) in bins.chunks_exact(nb).enumerate() {
        let side = &mut sums[usize::from(i > ca)];
        row[..split].iter().for_each(|b| side[0].add(b));
        row[split..].iter().for_each(|b| side[1].add(b));
    }
    let steps = sums.map(|side| side.map(|q| learning_rate * q.step()));
    let mut delta = vec![0.0; bins.len()];
    for (i, row) in delta.chunks_exact_mut(nb).enumerate() {
        let side = steps[usize::from(i > ca)];
        row[..split].fill(side[0]);
        row[split..].fill(side[1]);
    }
    delta
}
