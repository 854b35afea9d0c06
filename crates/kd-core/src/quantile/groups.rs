//! Quantile groups: cut points from quantiles at `k/g`, R's `cut` of them, and SAS
//! `PROC RANK GROUPS=`.
//!
//! Every grouping here is given by inner cut points `c₁ < … < c_m`: a value `x` falls in group
//! `#{cₖ < x}` ([`group_of`]), so group `k` is `(cₖ, cₖ₊₁]` and the first is closed on the left.

use serde::{Deserialize, Serialize};

use super::{QuantileDef, quantile_at, quantile_at_counts};

/// How SAS `PROC RANK` ranks tied values (`TIES=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ties {
    /// The mean of the tied values' ranks (`TIES=MEAN`, SAS's default).
    #[default]
    Mean,
    /// The lowest rank (`TIES=LOW`).
    Low,
    /// The highest rank (`TIES=HIGH`).
    High,
}

/// How values are put into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// R's `cut(x, unique(quantile(x, 0:g/g, type = t)), include.lowest = TRUE)`: the cut points
    /// are the quantiles at `k/g`, repeated ones merged and one equal to the minimum or the
    /// maximum dropped (with the R default [`QuantileDef::Linear`], what `ResourceSelection::
    /// hoslem.test` does).
    RCut(QuantileDef),
    /// SAS `PROC RANK GROUPS=g TIES=…`: row `i` goes to group `⌊rᵢ·g/(n + 1)⌋`, `rᵢ` its rank
    /// (SAS Base Procedures Guide, "RANK procedure", option `GROUPS=`). Tied values share a group;
    /// groups no row falls in are skipped.
    SasRank(Ties),
}

impl Grouping {
    /// The grouping a report option names: `r` (R's default cut, type 7), `type1` … `type9`
    /// (R's cut of that Hyndman–Fan type), `sas`, `sas-low` or `sas-high` (SAS `PROC RANK` with
    /// `TIES=MEAN`, `LOW` or `HIGH`); `None` for another name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "r" => Some(Grouping::RCut(QuantileDef::Linear)),
            "sas" => Some(Grouping::SasRank(Ties::Mean)),
            "sas-low" => Some(Grouping::SasRank(Ties::Low)),
            "sas-high" => Some(Grouping::SasRank(Ties::High)),
            _ => name
                .strip_prefix("type")
                .and_then(|t| t.parse().ok())
                .and_then(QuantileDef::from_hyndman_fan_type)
                .map(Grouping::RCut),
        }
    }
}

/// A number of groups and the rule that forms them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Binning {
    /// Groups asked for; ties and repeated cut points can leave fewer.
    pub groups: usize,
    /// The rule.
    pub grouping: Grouping,
}

impl Binning {
    /// `groups` groups by R's default (type-7 quantiles cut as R's `cut`).
    pub fn r_default(groups: usize) -> Self {
        Self { groups, grouping: Grouping::RCut(QuantileDef::Linear) }
    }

    /// The inner cut points of `values` (see the module's documentation); empty for fewer than
    /// two groups or no values.
    pub fn cut_points(&self, values: &[f64]) -> Vec<f64> {
        match self.grouping {
            Grouping::RCut(def) => {
                let mut sorted = values.to_vec();
                sorted.sort_unstable_by(f64::total_cmp);
                let mut cuts = quantile_cuts(&sorted, self.groups, def);
                // R's `unique(breaks)` merges a cut equal to the minimum into the first interval
                // (closed on the left); `quantile_cuts` already dropped one at the maximum.
                if let Some(&min) = sorted.first() {
                    cuts.retain(|&c| c > min);
                }
                cuts
            }
            Grouping::SasRank(ties) => rank_group_cuts(values, self.groups, ties),
        }
    }
}

impl Binning {
    /// The cut points [`cut_points`](Self::cut_points) gives for the sample in which each of
    /// the distinct, ascending `values` occurs `counts[i]` times (a merged summary of a
    /// sample, never expanded): the same numbers, in memory of the distinct values.
    pub fn cut_points_counts(&self, values: &[f64], counts: &[u64]) -> Vec<f64> {
        let Some(&max) = values.last() else { return Vec::new() };
        match self.grouping {
            Grouping::RCut(def) => {
                let mut cuts: Vec<f64> = (1..self.groups)
                    .filter_map(|k| quantile_at_counts(values, counts, k, self.groups, def))
                    .collect();
                cuts.dedup();
                cuts.retain(|&c| c < max && c > values[0]);
                cuts
            }
            Grouping::SasRank(ties) => {
                let n: u64 = counts.iter().sum();
                let mut largest: Vec<Option<f64>> = vec![None; self.groups.max(1)];
                let mut start = 0u64;
                for (&v, &c) in values.iter().zip(counts) {
                    let end = start + c;
                    let twice_rank = match ties {
                        Ties::Mean => start + 1 + end,
                        Ties::Low => 2 * (start + 1),
                        Ties::High => 2 * end,
                    };
                    let g =
                        (u128::from(twice_rank) * self.groups as u128 / (2 * (u128::from(n) + 1))) as usize;
                    if let Some(slot) = largest.get_mut(g) {
                        *slot = Some(slot.map_or(v, |m: f64| m.max(v)));
                    }
                    start = end;
                }
                let mut cuts: Vec<f64> = largest.into_iter().flatten().collect();
                cuts.pop();
                cuts
            }
        }
    }
}

/// The quantiles of `sorted` at `k/groups`, `k = 1 … groups − 1`, by `def`, with repeated values
/// merged and any at the maximum dropped (it would leave the last group empty).
pub fn quantile_cuts(sorted: &[f64], groups: usize, def: QuantileDef) -> Vec<f64> {
    let Some(&max) = sorted.last() else { return Vec::new() };
    let mut cuts: Vec<f64> = (1..groups).filter_map(|k| quantile_at(sorted, k, groups, def)).collect();
    cuts.dedup();
    cuts.retain(|&c| c < max);
    cuts
}

/// The group of `x` for inner cut points `cuts`: `#{c ∈ cuts : c < x}`.
pub fn group_of(cuts: &[f64], x: f64) -> usize {
    cuts.partition_point(|&c| c < x)
}

/// SAS `PROC RANK GROUPS=groups`: the group `⌊r·groups/(n + 1)⌋` of every value, in row order,
/// `r` its rank (1 for the smallest) with ties ranked by `ties`, `n = values.len()`.
pub fn rank_groups(values: &[f64], groups: usize, ties: Ties) -> Vec<usize> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut group = vec![0; n];
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Ranks start + 1 … end; twice the rank keeps TIES=MEAN's halves exact.
        let twice_rank = match ties {
            Ties::Mean => start + 1 + end,
            Ties::Low => 2 * (start + 1),
            Ties::High => 2 * end,
        };
        let g = (twice_rank as u128 * groups as u128 / (2 * (n as u128 + 1))) as usize;
        order[start..end].iter().for_each(|&row| group[row] = g);
        start = end;
    }
    group
}

/// Inner cut points reproducing [`rank_groups`]: the largest value of every non-empty group but
/// the last, so that [`group_of`] numbers the non-empty groups `0, 1, …` in order.
pub fn rank_group_cuts(values: &[f64], groups: usize, ties: Ties) -> Vec<f64> {
    let group = rank_groups(values, groups, ties);
    let mut largest: Vec<Option<f64>> = vec![None; groups.max(1)];
    for (&g, &v) in group.iter().zip(values) {
        if let Some(slot) = largest.get_mut(g) {
            *slot = Some(slot.map_or(v, |m: f64| m.max(v)));
        }
    }
    let mut cuts: Vec<f64> = largest.into_iter().flatten().collect();
    cuts.pop();
    cuts
}
