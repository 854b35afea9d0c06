//! Calibration of PD models: Hosmer–Lemeshow, Spiegelhalter's z-test and the Brier score with
//! its Murphy decomposition.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::distributions::normal_sf;

use crate::error::{Error, Result, ensure_len, ensure_probabilities, invalid_parameter};
use kd_core::quantile::{Binning, group_of};

/// One Hosmer–Lemeshow group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HlGroup {
    /// Rows in the group.
    pub n: usize,
    /// Observed defaults.
    pub observed: usize,
    /// Expected defaults, the sum of the group's PDs.
    pub expected: f64,
    /// Mean PD of the group.
    pub mean_pd: f64,
}

/// Which reference distribution the Hosmer–Lemeshow statistic is compared with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HlSample {
    /// The PDs were estimated on other rows (a validation or monitoring sample): under the
    /// null the statistic is χ² with `G` degrees of freedom (Hosmer, Lemeshow & Sturdivant
    /// 2013, *Applied Logistic Regression*, 3rd ed., §5.2.2).
    #[default]
    Validation,
    /// The PDs come from a logistic model fitted on these very rows: χ² with `G − 2` degrees
    /// of freedom (Hosmer & Lemeshow 1980; R `ResourceSelection::hoslem.test`, SAS `lackfit`).
    /// On a validation sample this reference rejects a calibrated model far more often than α
    /// (about 12% at α = 5% with 10 groups).
    Development,
}

/// The Hosmer–Lemeshow test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HosmerLemeshow {
    /// `Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g))`.
    pub statistic: f64,
    /// `P(χ²_df > statistic)`.
    pub p_value: f64,
    /// Number of groups `G` actually formed.
    pub groups: usize,
    /// Degrees of freedom: `G` for a validation sample, `G − 2` for the development sample.
    pub df: usize,
    /// The reference used.
    pub sample: HlSample,
    /// The groups, from low to high PD.
    pub table: Vec<HlGroup>,
}

/// Hosmer & Lemeshow (1980) goodness-of-fit test of the PDs `pd` against `outcome`.
///
/// Grouping: `binning` over the PDs. [`Binning::r_default`] is R `ResourceSelection::
/// hoslem.test`'s rule: cut points are the type-7 quantiles of `pd` at `k/groups`; repeated cut
/// points are merged, so ties may leave fewer than `groups` groups (`HosmerLemeshow::groups`
/// says how many); a row falls in `(c_{k−1}, c_k]`, the first group closed on the left.
/// [`Grouping::SasRank`](kd_core::quantile::Grouping::SasRank) forms SAS `PROC RANK`'s
/// groups instead; Stata's `estat gof` groups differently again, so statistics differ on tied
/// PDs. Needs at least 3 groups. `sample` chooses the degrees of freedom (see [`HlSample`]).
pub fn hosmer_lemeshow(
    outcome: &[bool],
    pd: &[f64],
    binning: Binning,
    sample: HlSample,
) -> Result<HosmerLemeshow> {
    let groups = binning.groups;
    ensure_len("outcome and PD", outcome.len(), pd.len())?;
    ensure_probabilities("PD", pd)?;
    if groups < 3 {
        return Err(invalid_parameter("groups", format!("{groups}: Hosmer-Lemeshow needs at least 3")));
    }
    enough_rows(groups, outcome.len())?;
    let cuts = binning.cut_points(pd);
    let mut table = vec![HlGroup { n: 0, observed: 0, expected: 0.0, mean_pd: 0.0 }; cuts.len() + 1];
    for (&y, &p) in outcome.iter().zip(pd) {
        let g = &mut table[group_of(&cuts, p)];
        g.n += 1;
        g.observed += usize::from(y);
        g.expected += p;
    }
    hl_from_groups(table, sample)
}

/// Fewer rows than groups leave Hosmer–Lemeshow undefined (a note in a report).
pub(crate) fn enough_rows(groups: usize, rows: usize) -> Result<()> {
    if rows < groups {
        return Err(Error::Undefined {
            test: "Hosmer-Lemeshow".into(),
            reason: format!("{groups} groups need at least {groups} rows, got {rows} (ask for fewer groups)"),
        });
    }
    Ok(())
}

/// The test from its groups (sizes, defaults and PD sums filled, possibly empty ones).
pub(crate) fn hl_from_groups(mut table: Vec<HlGroup>, sample: HlSample) -> Result<HosmerLemeshow> {
    // Interpolated cut points can enclose no row (ties, or two cuts between the same two
    // order statistics); an empty group carries no information and is dropped (R would return
    // NaN there).
    table.retain(|g| g.n > 0);
    if table.len() < 3 {
        return Err(Error::Undefined {
            test: "Hosmer-Lemeshow".into(),
            reason: format!(
                "only {} of its groups (cut at the PDs' quantiles) hold rows, and it needs 3: the PDs take too few distinct values",
                table.len()
            ),
        });
    }
    let mut statistic = 0.0;
    for (k, g) in table.iter_mut().enumerate() {
        g.mean_pd = g.expected / g.n as f64;
        let variance = g.expected * (1.0 - g.mean_pd);
        if variance <= 0.0 {
            return Err(Error::Undefined {
                test: "Hosmer-Lemeshow".into(),
                reason: format!("group {} has PDs of exactly 0 or 1, so its expected variance is 0", k + 1),
            });
        }
        statistic += (g.observed as f64 - g.expected).powi(2) / variance;
    }
    let df = match sample {
        HlSample::Validation => table.len(),
        HlSample::Development => table.len() - 2,
    };
    let chi2 =
        ChiSquared::new(df as f64).map_err(|e| invalid_parameter("degrees of freedom", e.to_string()))?;
    Ok(HosmerLemeshow { statistic, p_value: chi2.sf(statistic), groups: table.len(), df, sample, table })
}

/// Spiegelhalter's z-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Spiegelhalter {
    /// `z = Σ (y − p)(1 − 2p) / sqrt(Σ (1 − 2p)² p (1 − p))`.
    pub statistic: f64,
    /// Two-sided p-value `2(1 − Φ(|z|))`.
    pub p_value: f64,
}

/// Spiegelhalter (1986), "Probabilistic prediction in patient management and clinical trials",
/// Statistics in Medicine 5: the Brier score standardised under the hypothesis that the PDs
/// are the true default probabilities.
pub fn spiegelhalter(outcome: &[bool], pd: &[f64]) -> Result<Spiegelhalter> {
    ensure_len("outcome and PD", outcome.len(), pd.len())?;
    ensure_probabilities("PD", pd)?;
    let numerator: f64 =
        outcome.iter().zip(pd).map(|(&y, &p)| (f64::from(u8::from(y)) - p) * (1.0 - 2.0 * p)).sum();
    let variance: f64 = pd.iter().map(|&p| (1.0 - 2.0 * p).powi(2) * p * (1.0 - p)).sum();
    spiegelhalter_from(numerator, variance)
}

/// Spiegelhalter's `z = numerator / √variance` and its two-sided p-value, from the sums
/// `Σ (y − p)(1 − 2p)` and `Σ (1 − 2p)² p (1 − p)` (over rows, or over distinct PDs weighted by
/// their counts).
pub(crate) fn spiegelhalter_from(numerator: f64, variance: f64) -> Result<Spiegelhalter> {
    if variance <= 0.0 {
        return Err(Error::Undefined {
            test: "Spiegelhalter's test".into(),
            reason: "every PD is 0, 1/2 or 1, so the statistic has no variance".into(),
        });
    }
    let statistic = numerator / variance.sqrt();
    Ok(Spiegelhalter { statistic, p_value: 2.0 * normal_sf(statistic.abs()) })
}

/// The Brier score and its decomposition over bins of rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BrierDecomposition {
    /// `mean((p − y)²)`.
    pub brier: f64,
    /// `Σ_k n_k (p̄_k − ȳ_k)² / n`: distance of the bins' mean PDs from their default rates.
    pub reliability: f64,
    /// `Σ_k n_k (ȳ_k − ȳ)² / n`: how far the bins' default rates spread around the overall rate.
    pub resolution: f64,
    /// `ȳ (1 − ȳ)`.
    pub uncertainty: f64,
    /// `Σ_k Σ_{i∈k} [(p_i − p̄_k)² + 2(p_i − p̄_k)(p̄_k − y_i)] / n`, the part due to PDs varying
    /// within bins (Stephenson, Coelho & Jolliffe 2008), so that
    /// `brier = reliability − resolution + uncertainty + within_bin` exactly.
    pub within_bin: f64,
}

/// Brier score of `pd` with Murphy's (1973) decomposition over the bins `bin[i]` (for example
/// the Hosmer–Lemeshow groups or the rating grades).
pub fn brier_decomposition(outcome: &[bool], pd: &[f64], bin: &[usize]) -> Result<BrierDecomposition> {
    ensure_len("outcome and PD", outcome.len(), pd.len())?;
    ensure_len("outcome and bins", outcome.len(), bin.len())?;
    ensure_probabilities("PD", pd)?;
    if outcome.is_empty() {
        return Err(Error::TooFewRows { what: "the Brier score (rows)".into(), needed: 1, found: 0 });
    }
    let n = outcome.len() as f64;
    let y: Vec<f64> = outcome.iter().map(|&v| f64::from(u8::from(v))).collect();
    let k = bin.iter().max().map_or(0, |m| m + 1);
    let (mut count, mut sum_p, mut sum_y) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for ((&b, &p), &yi) in bin.iter().zip(pd).zip(&y) {
        count[b] += 1.0;
        sum_p[b] += p;
        sum_y[b] += yi;
    }
    let base = y.iter().sum::<f64>() / n;
    let (mut reliability, mut resolution) = (0.0, 0.0);
    for b in (0..k).filter(|&b| count[b] > 0.0) {
        let (pbar, ybar) = (sum_p[b] / count[b], sum_y[b] / count[b]);
        reliability += count[b] * (pbar - ybar).powi(2);
        resolution += count[b] * (ybar - base).powi(2);
    }
    let brier = pd.iter().zip(&y).map(|(p, yi)| (p - yi).powi(2)).sum::<f64>() / n;
    let within_bin = pd
        .iter()
        .zip(&y)
        .zip(bin)
        .map(|((&p, &yi), &b)| {
            let pbar = sum_p[b] / count[b];
            (p - pbar).powi(2) + 2.0 * (p - pbar) * (pbar - yi)
        })
        .sum::<f64>()
        / n;
    Ok(BrierDecomposition {
        brier,
        reliability: reliability / n,
        resolution: resolution / n,
        uncertainty: base * (1.0 - base),
        within_bin,
    })
}
