//! Stability of a population: the population stability index (PSI), its per-feature form (CSI)
//! and the chi-squared test of two grade distributions.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::error::{Error, Result, ensure_finite, invalid_parameter};
use kd_core::quantile::{Binning, group_of};

/// The PSI from which a shift is moderate, to be watched.
pub const PSI_MODERATE: f64 = 0.1;

/// The PSI from which a shift is significant.
pub const PSI_SIGNIFICANT: f64 = 0.25;

/// The customary reading of a PSI, by [`PSI_MODERATE`] and [`PSI_SIGNIFICANT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PsiVerdict {
    /// PSI < 0.1: no significant shift.
    Stable,
    /// 0.1 ≤ PSI < 0.25: a moderate shift, to be watched.
    Moderate,
    /// PSI ≥ 0.25: a significant shift.
    Significant,
}

/// A population stability index with its bins.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Psi {
    /// `Σ_b (a_b − e_b) ln(a_b / e_b)`, `e` the baseline shares, `a` the current ones.
    pub value: f64,
    /// 0.1 / 0.25 verdict.
    pub verdict: PsiVerdict,
    /// Baseline share of each bin (after the empty-bin correction).
    pub baseline_shares: Vec<f64>,
    /// Current share of each bin (after the empty-bin correction).
    pub current_shares: Vec<f64>,
    /// The baseline's cut points of a numeric PSI, ascending: bin k holds the values in
    /// `(cuts[k−1], cuts[k]]`, the first bin is open below and the last above. Empty for
    /// categories and for counts given as they are.
    pub cuts: Vec<f64>,
}

impl Psi {
    /// Each bin's baseline share `e_b`, current share `a_b` and term of the sum
    /// `(a_b − e_b) ln(a_b / e_b)`, in bin order.
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.baseline_shares.iter().zip(&self.current_shares).map(|(&e, &a)| (e, a, (a - e) * (a / e).ln()))
    }

    /// Each bin's term of the sum, `(a_b − e_b) ln(a_b / e_b)`.
    pub fn contributions(&self) -> Vec<f64> {
        self.bins().map(|(_, _, term)| term).collect()
    }
}

impl PsiVerdict {
    /// The verdict for a PSI value.
    pub fn from_psi(psi: f64) -> Self {
        if psi < PSI_MODERATE {
            PsiVerdict::Stable
        } else if psi < PSI_SIGNIFICANT {
            PsiVerdict::Moderate
        } else {
            PsiVerdict::Significant
        }
    }
}

/// PSI from bin counts. Empty bins: if a bin is empty in either sample, half an observation is
/// added to every bin of both samples (so no share is 0 and the shares still sum to 1);
/// otherwise the counts are used as they are. One bin (a column with one level in both
/// samples) gives 0.
pub fn psi_from_counts(baseline: &[usize], current: &[usize]) -> Result<Psi> {
    if baseline.len() != current.len() || baseline.is_empty() {
        return Err(invalid_parameter("bins", "PSI needs the same bins, at least 1, in both samples"));
    }
    for (name, counts) in [("baseline", baseline), ("current", current)] {
        if counts.iter().sum::<usize>() == 0 {
            return Err(Error::TooFewRows { what: format!("the PSI ({name} rows)"), needed: 1, found: 0 });
        }
    }
    let correction = if baseline.iter().chain(current).any(|&c| c == 0) { 0.5 } else { 0.0 };
    let shares = |counts: &[usize]| -> Vec<f64> {
        let total = counts.iter().sum::<usize>() as f64 + correction * counts.len() as f64;
        counts.iter().map(|&c| (c as f64 + correction) / total).collect()
    };
    let mut psi = Psi {
        value: 0.0,
        verdict: PsiVerdict::Stable,
        baseline_shares: shares(baseline),
        current_shares: shares(current),
        cuts: Vec::new(),
    };
    psi.value = psi.contributions().iter().sum();
    psi.verdict = PsiVerdict::from_psi(psi.value);
    Ok(psi)
}

/// PSI of a numeric variable: bins are the baseline's groups by `binning` (by default type-7
/// deciles, repeated cuts merged, intervals `(c_{k−1}, c_k]` as in
/// [`hosmer_lemeshow`](super::hosmer_lemeshow); or SAS `PROC RANK`'s groups of the baseline,
/// each closed at its largest value), open-ended at both extremes; a constant baseline `v`
/// gives the two bins `(−∞, v]` and `(v, ∞)`.
pub fn psi_numeric(baseline: &[f64], current: &[f64], binning: Binning) -> Result<Psi> {
    let bins = binning.groups;
    ensure_finite("baseline", baseline)?;
    ensure_finite("current", current)?;
    if baseline.is_empty() {
        return Err(Error::TooFewRows { what: "the PSI (baseline rows)".into(), needed: 1, found: 0 });
    }
    if bins < 2 {
        return Err(invalid_parameter("bins", format!("{bins}: the PSI needs at least 2")));
    }
    let mut cuts = binning.cut_points(baseline);
    if cuts.is_empty() {
        // A constant baseline has no inner quantiles: split at its one value, so that a current
        // sample that moves above it still shows.
        cuts.push(baseline[0]);
    }
    let count = |sample: &[f64]| {
        let mut c = vec![0usize; cuts.len() + 1];
        for &x in sample {
            c[group_of(&cuts, x)] += 1;
        }
        c
    };
    let psi = psi_from_counts(&count(baseline), &count(current))?;
    Ok(Psi { cuts, ..psi })
}

/// PSI of a categorical variable (or of rating grades) with `levels` levels: one bin per level.
pub fn psi_categorical(baseline: &[usize], current: &[usize], levels: usize) -> Result<Psi> {
    psi_from_counts(&level_counts(baseline, levels, "level")?, &level_counts(current, levels, "level")?)
}

/// How many of `codes` fall on each of `levels` levels; an error names `what` is counted
/// (`level`, `grade`) and the first code outside them.
pub fn level_counts(codes: &[usize], levels: usize, what: &str) -> Result<Vec<usize>> {
    let mut counts = vec![0usize; levels];
    for (row, &code) in codes.iter().enumerate() {
        *counts.get_mut(code).ok_or_else(|| Error::InvalidInput {
            column: what.into(),
            row,
            reason: format!("{what} code {code} of a scale of {levels}"),
        })? += 1;
    }
    Ok(counts)
}

/// Pearson's chi-squared test of homogeneity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChiSquareTest {
    /// `Σ (O − E)² / E` over the 2 × k table.
    pub statistic: f64,
    /// `k − 1` (levels present in either sample).
    pub df: usize,
    /// `P(χ²_df > statistic)`.
    pub p_value: f64,
}

/// Chi-squared test that two samples of grades (bin counts) come from one distribution, as
/// `scipy.stats.chi2_contingency(correction=False)`; levels empty in both samples are dropped.
pub fn chi_square_homogeneity(baseline: &[usize], current: &[usize]) -> Result<ChiSquareTest> {
    if baseline.len() != current.len() {
        return Err(invalid_parameter("grades", "both samples need the same grades"));
    }
    let columns: Vec<(f64, f64)> = baseline
        .iter()
        .zip(current)
        .filter(|(a, b)| **a + **b > 0)
        .map(|(&a, &b)| (a as f64, b as f64))
        .collect();
    let (n1, n2): (f64, f64) = (columns.iter().map(|c| c.0).sum(), columns.iter().map(|c| c.1).sum());
    if columns.len() < 2 || n1 == 0.0 || n2 == 0.0 {
        let reason = match columns.len() {
            0 | 1 => format!("it needs at least 2 grades with rows ({} here)", columns.len()),
            _ => "it needs two non-empty samples".to_owned(),
        };
        return Err(Error::Undefined { test: "the chi-squared test of grade distributions".into(), reason });
    }
    let total = n1 + n2;
    let statistic = columns
        .iter()
        .map(|&(a, b)| {
            let col = a + b;
            let (e1, e2) = (n1 * col / total, n2 * col / total);
            (a - e1).powi(2) / e1 + (b - e2).powi(2) / e2
        })
        .sum();
    let df = columns.len() - 1;
    let chi2 =
        ChiSquared::new(df as f64).map_err(|e| invalid_parameter("degrees of freedom", e.to_string()))?;
    Ok(ChiSquareTest { statistic, df, p_value: chi2.sf(statistic) })
}
