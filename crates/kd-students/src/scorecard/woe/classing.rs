//! Fine and coarse classing of one feature (Siddiqi 2006, *Credit Risk Scorecards*, ch. 6;
//! Thomas, Edelman & Crook 2002, §8.7).
//!
//! Fine classing: a numeric feature in type-1 quantile bins — bin `k` ends at the `⌈k·n/B⌉`-th smallest
//! value, repeated cuts dropped, bins `(lower, upper]` — a categorical one with each level seen
//! in training as its own bin, ordered by bad rate (then level code).
//!
//! Coarse classing, in two passes over adjacent bins:
//! 1. while a bin holds fewer than `min_bin_share · n` rows, or no good or no bad mass, the
//!    smallest such bin (the first of equals) is merged with the neighbour whose bad rate is
//!    closer (the left one on a tie);
//! 2. numeric features with `monotone`: the direction is the sign of the row-weighted covariance
//!    of bin index and bad rate (increasing when ≥ 0), and the first adjacent pair against it is
//!    merged until the bad rate, and so the WoE, is monotone.
//!
//! Bad mass is `Σ t` and good mass `Σ (1 − t)` over the bin's rows, so soft targets count as
//! fractional outcomes; the bad rate is `bad / rows`. Classes are [`WoeBin`](super::WoeBin)s
//! whose WoE and points are filled in later.

use kd_core::quantile::{QuantileDef, quantile_cuts};

use super::model::WoeBin as Class;

impl Class {
    fn rate(&self) -> f64 {
        self.bad / self.rows.max(1) as f64
    }

    fn absorb(&mut self, other: &Class) {
        self.upper = other.upper;
        self.levels.extend_from_slice(&other.levels);
        self.levels.sort_unstable();
        self.rows += other.rows;
        self.good += other.good;
        self.bad += other.bad;
    }
}

/// Fine classes of a numeric column `x` with targets `t`, `bins` quantile bins at most.
pub fn fine_numeric(x: &[f64], t: &[f64], bins: usize) -> Vec<Class> {
    let mut sorted = x.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let cuts = quantile_cuts(&sorted, bins, QuantileDef::InvertedCdf);
    let mut classes: Vec<Class> = std::iter::once(None)
        .chain(cuts.iter().copied().map(Some))
        .zip(cuts.iter().copied().map(Some).chain(std::iter::once(None)))
        .map(|(lower, upper)| Class { lower, upper, levels: Vec::new(), ..Class::default() })
        .collect();
    for (&v, &p) in x.iter().zip(t) {
        let class = &mut classes[cuts.partition_point(|&c| c < v)];
        class.rows += 1;
        class.good += 1.0 - p;
        class.bad += p;
    }
    classes
}

/// Fine classes of a categorical column of level codes `x` (`n_levels` levels): one per level
/// seen, ordered by bad rate, then code.
pub fn fine_categorical(x: &[f64], t: &[f64], n_levels: usize) -> Vec<Class> {
    let mut classes: Vec<Class> =
        (0..n_levels).map(|l| Class { levels: vec![l], ..Class::default() }).collect();
    for (&v, &p) in x.iter().zip(t) {
        // Codes were checked to be integers in 0..n_levels.
        let class = &mut classes[v as usize];
        class.rows += 1;
        class.good += 1.0 - p;
        class.bad += p;
    }
    classes.retain(|c| c.rows > 0);
    classes.sort_by(|a, b| a.rate().total_cmp(&b.rate()).then(a.levels[0].cmp(&b.levels[0])));
    classes
}

/// Coarse classes: small or one-class bins merged, then (with `monotone`) bins against the
/// trend merged. `n` is the number of training rows.
pub fn coarse(mut classes: Vec<Class>, n: usize, min_bin_share: f64, monotone: bool) -> Vec<Class> {
    let too_small = |c: &Class| (c.rows as f64) < min_bin_share * n as f64 || c.good <= 0.0 || c.bad <= 0.0;
    while classes.len() > 1 {
        let Some(b) = (0..classes.len())
            .filter(|&b| too_small(&classes[b]))
            .min_by(|&a, &b| classes[a].rows.cmp(&classes[b].rows).then(a.cmp(&b)))
        else {
            break;
        };
        let gap = |o: usize| (classes[o].rate() - classes[b].rate()).abs();
        let with_left = match (b.checked_sub(1), (b + 1 < classes.len()).then_some(b + 1)) {
            (Some(l), Some(r)) => gap(l) <= gap(r),
            (Some(_), None) => true,
            _ => false,
        };
        merge(&mut classes, if with_left { b - 1 } else { b });
    }
    if monotone && classes.len() > 1 {
        let total: f64 = classes.iter().map(|c| c.rows as f64).sum();
        let mean_index =
            classes.iter().enumerate().map(|(i, c)| i as f64 * c.rows as f64).sum::<f64>() / total;
        let mean_rate = classes.iter().map(|c| c.bad).sum::<f64>() / total;
        let covariance: f64 = classes
            .iter()
            .enumerate()
            .map(|(i, c)| c.rows as f64 * (i as f64 - mean_index) * (c.rate() - mean_rate))
            .sum();
        let increasing = covariance >= 0.0;
        while let Some(b) = (0..classes.len() - 1).find(|&b| {
            let (a, c) = (classes[b].rate(), classes[b + 1].rate());
            if increasing { a > c } else { a < c }
        }) {
            merge(&mut classes, b);
        }
    }
    classes
}

/// Merges class `b + 1` into class `b`.
fn merge(classes: &mut Vec<Class>, b: usize) {
    let next = classes.remove(b + 1);
    classes[b].absorb(&next);
}
