//! The figures of `kd validate` from merged summaries ([`ScoreCounts`] of the current sample,
//! of each grade, of the baseline), equal to those of the row-level functions: the same
//! formulas evaluated on the distinct-score table (counts exact, sums within rounding, 1e-12
//! relative in the tests) and, because the merged table does not depend on how the rows were
//! partitioned, identical for one pass and for any number of partitions.

use kd_core::quantile::{Binning, group_of};
use statrs::distribution::{ContinuousCDF, Normal};

use super::calibration::hl_from_groups;
use super::grades::grade_test;
use super::ks::ks_from_distance;
use super::score_counts::ScoreCounts;
use super::{
    Auroc, BrierDecomposition, GradeTest, HlGroup, HlSample, HosmerLemeshow, KolmogorovSmirnov,
    PortfolioJeffreys, Psi, Spiegelhalter, jeffreys_p_value, psi_from_counts,
};
use crate::error::{Error, Result, invalid_parameter};

fn at_least_two(s: &ScoreCounts, what: &str) -> Result<(f64, f64)> {
    let m = s.n_defaults();
    let n = s.n() - m;
    for (class, count) in [("defaults", m), ("non-defaults", n)] {
        if count < 2 {
            return Err(Error::TooFewRows {
                what: format!("{what} ({class})"),
                needed: 2,
                found: count as usize,
            });
        }
    }
    Ok((m as f64, n as f64))
}

fn probabilities(s: &ScoreCounts) -> Result<()> {
    match s.values().iter().find(|v| !(0.0..=1.0).contains(*v)) {
        Some(v) => Err(invalid_parameter("PD", format!("{v} is not a probability in [0, 1]"))),
        None => Ok(()),
    }
}

/// AUROC with DeLong's standard error, as [`auroc_delong`](super::auroc_delong): the placement
/// values are shared by all rows of one score, so `S₁₀ = Σ_s d_s (V₁₀(s) − A)² / (m − 1)` and
/// likewise `S₀₁`.
pub fn auroc_of(s: &ScoreCounts, confidence: f64) -> Result<Auroc> {
    let (m, n) = at_least_two(s, "DeLong's standard error")?;
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid_parameter("confidence", format!("{confidence} is not in (0, 1)")));
    }
    let mut placements = Vec::with_capacity(s.values().len());
    let (mut pos_below, mut neg_below, mut area) = (0.0, 0.0, 0.0);
    for (&d, &o) in s.defaults().iter().zip(s.others()) {
        let (p, q) = (d as f64, o as f64);
        let (v10, v01) = ((neg_below + q / 2.0) / n, (m - pos_below - p / 2.0) / m);
        area += p * v10;
        placements.push((v10, v01));
        pos_below += p;
        neg_below += q;
    }
    let auc = area / m;
    let (mut s10, mut s01) = (0.0, 0.0);
    for ((&d, &o), &(v10, v01)) in s.defaults().iter().zip(s.others()).zip(&placements) {
        s10 += d as f64 * (v10 - auc).powi(2);
        s01 += o as f64 * (v01 - auc).powi(2);
    }
    let std_error = (s10 / (m - 1.0) / m + s01 / (n - 1.0) / n).sqrt();
    let z = Normal::standard().inverse_cdf(0.5 + confidence / 2.0);
    Ok(Auroc {
        value: auc,
        std_error,
        ci_low: (auc - z * std_error).max(0.0),
        ci_high: (auc + z * std_error).min(1.0),
        confidence,
    })
}

/// KS between defaulters' and non-defaulters' scores, as [`ks_two_sample`](super::ks_two_sample).
pub fn ks_of(s: &ScoreCounts) -> Result<KolmogorovSmirnov> {
    ks_between(s.defaults(), s.others(), "defaulters", "non-defaulters")
}

/// KS between two samples' summaries (baseline against current scores), on all their rows,
/// as [`ks_two_sample`](super::ks_two_sample) on the two samples.
pub fn ks_shift(a: &ScoreCounts, b: &ScoreCounts) -> Result<KolmogorovSmirnov> {
    let (ac, bc) = (a.counts(), b.counts());
    let (av, bv) = (a.values(), b.values());
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < av.len() || j < bv.len() {
        let x = match (av.get(i), bv.get(j)) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) | (None, Some(&x)) => x,
            (None, None) => break,
        };
        let (mut p, mut q) = (0, 0);
        if av.get(i) == Some(&x) {
            p = ac[i];
            i += 1;
        }
        if bv.get(j) == Some(&x) {
            q = bc[j];
            j += 1;
        }
        first.push(p);
        second.push(q);
    }
    ks_between(&first, &second, "first sample", "second sample")
}

fn ks_between(a: &[u64], b: &[u64], a_name: &str, b_name: &str) -> Result<KolmogorovSmirnov> {
    let (m, n): (u64, u64) = (a.iter().sum(), b.iter().sum());
    for (name, size) in [(a_name, m), (b_name, n)] {
        if size == 0 {
            return Err(Error::TooFewRows { what: format!("the KS test ({name})"), needed: 1, found: 0 });
        }
    }
    let (mut i, mut j, mut largest) = (0i128, 0i128, 0i128);
    for (&x, &y) in a.iter().zip(b) {
        i += i128::from(x);
        j += i128::from(y);
        largest = largest.max((i * i128::from(n) - j * i128::from(m)).abs());
    }
    Ok(ks_from_distance(m as usize, n as usize, largest))
}

/// Hosmer–Lemeshow, as [`hosmer_lemeshow`](super::hosmer_lemeshow), groups cut from the
/// distinct PDs with their counts.
pub fn hosmer_lemeshow_of(s: &ScoreCounts, binning: Binning, sample: HlSample) -> Result<HosmerLemeshow> {
    probabilities(s)?;
    let groups = binning.groups;
    if groups < 3 {
        return Err(invalid_parameter("groups", format!("{groups}: Hosmer-Lemeshow needs at least 3")));
    }
    super::calibration::enough_rows(groups, s.n() as usize)?;
    let cuts = binning.cut_points_counts(s.values(), &s.counts());
    let mut table = vec![HlGroup { n: 0, observed: 0, expected: 0.0, mean_pd: 0.0 }; cuts.len() + 1];
    for ((&v, &d), &o) in s.values().iter().zip(s.defaults()).zip(s.others()) {
        let g = &mut table[group_of(&cuts, v)];
        g.n += (d + o) as usize;
        g.observed += d as usize;
        g.expected += v * (d + o) as f64;
    }
    hl_from_groups(table, sample)
}

/// Spiegelhalter's z, as [`spiegelhalter`](super::spiegelhalter).
pub fn spiegelhalter_of(s: &ScoreCounts) -> Result<Spiegelhalter> {
    probabilities(s)?;
    let (mut numerator, mut variance) = (0.0, 0.0);
    for ((&p, &d), &o) in s.values().iter().zip(s.defaults()).zip(s.others()) {
        let c = (d + o) as f64;
        numerator += (d as f64 - c * p) * (1.0 - 2.0 * p);
        variance += c * (1.0 - 2.0 * p).powi(2) * p * (1.0 - p);
    }
    super::calibration::spiegelhalter_from(numerator, variance)
}

/// The Brier score with Murphy's decomposition over `bins` (one summary per bin: the
/// Hosmer–Lemeshow groups or the grades), as [`brier_decomposition`](super::brier_decomposition).
pub fn brier_of(bins: &[ScoreCounts]) -> Result<BrierDecomposition> {
    bins.iter().try_for_each(probabilities)?;
    let n: u64 = bins.iter().map(ScoreCounts::n).sum();
    if n == 0 {
        return Err(Error::TooFewRows { what: "the Brier score (rows)".into(), needed: 1, found: 0 });
    }
    let n = n as f64;
    let base = bins.iter().map(ScoreCounts::n_defaults).sum::<u64>() as f64 / n;
    let (mut brier, mut reliability, mut resolution, mut within) = (0.0, 0.0, 0.0, 0.0);
    for bin in bins.iter().filter(|b| b.n() > 0) {
        let count = bin.n() as f64;
        let (values, defaults, others) = (bin.values(), bin.defaults(), bin.others());
        let sum_p: f64 =
            values.iter().zip(defaults.iter().zip(others)).map(|(v, (d, o))| v * (d + o) as f64).sum();
        let (pbar, ybar) = (sum_p / count, bin.n_defaults() as f64 / count);
        reliability += count * (pbar - ybar).powi(2);
        resolution += count * (ybar - base).powi(2);
        for ((&p, &d), &o) in values.iter().zip(defaults).zip(others) {
            let (d, o) = (d as f64, o as f64);
            brier += d * (p - 1.0).powi(2) + o * p * p;
            within += (d + o) * (p - pbar).powi(2) + 2.0 * (p - pbar) * (pbar * (d + o) - d);
        }
    }
    Ok(BrierDecomposition {
        brier: brier / n,
        reliability: reliability / n,
        resolution: resolution / n,
        uncertainty: base * (1.0 - base),
        within_bin: within / n,
    })
}

/// The portfolio Jeffreys test, as [`portfolio_jeffreys`](super::portfolio_jeffreys).
pub fn jeffreys_of(s: &ScoreCounts) -> Result<PortfolioJeffreys> {
    probabilities(s)?;
    let n = s.n() as usize;
    if n == 0 {
        return Err(Error::TooFewRows { what: "the Jeffreys test (obligors)".into(), needed: 1, found: 0 });
    }
    let defaults = s.n_defaults() as usize;
    let pd = pd_sum(s) / n as f64;
    Ok(PortfolioJeffreys {
        n,
        defaults,
        pd,
        observed_rate: defaults as f64 / n as f64,
        p_value: jeffreys_p_value(n, defaults, pd),
    })
}

fn pd_sum(s: &ScoreCounts) -> f64 {
    s.values().iter().zip(s.counts()).map(|(v, c)| v * c as f64).sum()
}

/// The per-grade tests, as [`grade_tests`](super::grade_tests): one summary per grade of the
/// scale (best first); grades without rows are left out.
pub fn grade_tests_of(grades: &[ScoreCounts], labels: &[String], rho: f64) -> Result<Vec<GradeTest>> {
    if !(0.0..1.0).contains(&rho) {
        return Err(invalid_parameter("rho", format!("{rho}: the asset correlation must be in [0, 1)")));
    }
    grades.iter().try_for_each(probabilities)?;
    Ok(grades
        .iter()
        .zip(labels)
        .filter(|(g, _)| g.n() > 0)
        .map(|(g, label)| grade_test(label, g.n() as usize, g.n_defaults() as usize, pd_sum(g), rho))
        .collect())
}

/// The PSI's cut points of a baseline summarised as distinct values: the groups of `binning`
/// over them, as [`psi_numeric`](super::psi_numeric) cuts the baseline's rows (a constant
/// baseline cut at its one value).
///
/// # Errors
/// An empty baseline, or fewer than 2 groups.
pub fn psi_cuts(baseline: &ScoreCounts, binning: Binning) -> Result<Vec<f64>> {
    if baseline.n() == 0 {
        return Err(Error::TooFewRows { what: "the PSI (baseline rows)".into(), needed: 1, found: 0 });
    }
    if binning.groups < 2 {
        return Err(invalid_parameter("bins", format!("{}: the PSI needs at least 2", binning.groups)));
    }
    let mut cuts = binning.cut_points_counts(baseline.values(), &baseline.counts());
    if cuts.is_empty() {
        cuts.push(baseline.values()[0]);
    }
    Ok(cuts)
}

/// PSI of the current sample against the baseline's groups by `binning` ([`psi_cuts`]), as
/// [`psi_numeric`](super::psi_numeric).
pub fn psi_of(baseline: &ScoreCounts, current: &ScoreCounts, binning: Binning) -> Result<Psi> {
    let cuts = psi_cuts(baseline, binning)?;
    let psi = psi_from_counts(&counts_in(&cuts, baseline), &counts_in(&cuts, current))?;
    Ok(Psi { cuts, ..psi })
}

/// The rows of `summary` in each bin `(cuts[k−1], cuts[k]]` (the first open below, the last
/// above).
pub(crate) fn counts_in(cuts: &[f64], summary: &ScoreCounts) -> Vec<usize> {
    let mut c = vec![0usize; cuts.len() + 1];
    for (&v, n) in summary.values().iter().zip(summary.counts()) {
        c[group_of(cuts, v)] += usize::try_from(n).unwrap_or(usize::MAX);
    }
    c
}
