//! One boosting step of a term: from per-bin gradient sums, the update of its scores.
//!
//! A main term's step is a shallow tree on the feature's ordered bins: best-first cuts into at
//! most `max_leaves` contiguous groups, each cut maximising the Newton gain
//! `G_L²/H_L + G_R²/H_R − G²/H`, each group moved by `learning_rate · G/H` (interpret's cyclic
//! boosting of single-feature trees, Lou, Caruana & Gehrke 2012). A pair term's step is the
//! four quadrants of one cut on each feature with the largest gain (FAST, Lou, Caruana, Gehrke &
//! Hooker 2013).

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

/// The update of a main term's scores, one value per bin (zero where nothing moves).
pub(super) fn main_step(
    bins: &[BinStats],
    max_leaves: usize,
    min_leaf: usize,
    learning_rate: f64,
) -> Vec<f64> {
    let mut segments = vec![(0, bins.len())];
    while segments.len() < max_leaves {
        let best = segments
            .iter()
            .enumerate()
            .filter_map(|(i, &(lo, hi))| best_cut(bins, lo, hi, min_leaf).map(|(g, c)| (g, i, c)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, i, cut)) = best else { break };
        let (lo, hi) = segments[i];
        segments[i] = (lo, cut + 1);
        segments.push((cut + 1, hi));
    }
    let mut delta = vec![0.0; bins.len()];
    for (lo, hi) in segments {
        let mut total = BinStats::default();
        bins[lo..hi].iter().for_each(|b| total.add(b));
        let step = learning_rate * total.step();
        delta[lo..hi].iter_mut().for_each(|d| *d = step);
    }
    delta
}

/// The best quadrant split of a pair's grid `bins` (row-major `(a, b)`, `nb` columns):
/// `(gain over no split, cut_a, cut_b)`.
pub(super) fn best_quadrants(bins: &[BinStats], nb: usize, min_leaf: usize) -> Option<(f64, usize, usize)> {
    let na = bins.len() / nb;
    // prefix[(i+1)(nb+1) + (j+1)]: sums over a ≤ i, b ≤ j.
    let w = nb + 1;
    let mut prefix = vec![BinStats::default(); (na + 1) * w];
    for i in 0..na {
        for j in 0..nb {
            let mut s = bins[i * nb + j];
            s.add(&prefix[i * w + j + 1]);
            s.add(&prefix[(i + 1) * w + j]);
            let overlap = prefix[i * w + j];
            prefix[(i + 1) * w + j + 1] = s.minus(&overlap);
        }
    }
    let total = prefix[na * w + nb];
    let mut best: Option<(f64, usize, usize)> = None;
    for ca in 0..na.saturating_sub(1) {
        let left = prefix[(ca + 1) * w + nb];
        for cb in 0..nb.saturating_sub(1) {
            let ll = prefix[(ca + 1) * w + cb + 1];
            let lr = left.minus(&ll);
            let low_b = prefix[na * w + cb + 1];
            let rl = low_b.minus(&ll);
            let rr = total.minus(&left).minus(&rl);
            if [ll, lr, rl, rr].iter().any(|q| q.n < min_leaf) {
                continue;
            }
            let gain = ll.score() + lr.score() + rl.score() + rr.score() - total.score();
            if best.is_none_or(|(g, _, _)| gain > g) {
                best = Some((gain, ca, cb));
            }
        }
    }
    best
}

/// The update of a pair term's grid from its best quadrant split (zero when none).
pub(super) fn pair_step(bins: &[BinStats], nb: usize, min_leaf: usize, learning_rate: f64) -> Vec<f64> {
    let mut delta = vec![0.0; bins.len()];
    let Some((_, ca, cb)) = best_quadrants(bins, nb, min_leaf) else { return delta };
    let quadrant = |i: usize, j: usize| (usize::from(i > ca), usize::from(j > cb));
    let mut sums = [[BinStats::default(); 2]; 2];
    for (k, b) in bins.iter().enumerate() {
        let (qa, qb) = quadrant(k / nb, k % nb);
        sums[qa][qb].add(b);
    }
    for (k, d) in delta.iter_mut().enumerate() {
        let (qa, qb) = quadrant(k / nb, k % nb);
        *d = learning_rate * sums[qa][qb].step();
    }
    delta
}
