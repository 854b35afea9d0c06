//! The Hosmer–Lemeshow test of a model of more than two classes: Fagerland, Hosmer & Bofin
//! (2008), "Multinomial goodness-of-fit tests for logistic regression models", Statistics in
//! Medicine 27, 4238–4253 (the multinomial form of R `generalhoslem::logitgof`).
//!
//! | symbol | meaning |
//! |---|---|
//! | `p_ic` | the model's probability of class `c` for row `i` (`(n, k)`, rows summing to 1) |
//! | `g` | a group of rows, cut from `1 − p_i0`, the probability of not being the first class |
//! | `O_gc` | rows of group `g` whose class is `c` |
//! | `E_gc` | `Σ_{i ∈ g} p_ic`, the count the model expects |
//!
//! `C = Σ_g Σ_c (O_gc − E_gc)² / E_gc`, compared with χ² on `G (k − 1)` degrees of freedom
//! for a validation sample (each group's `k` counts are tied by their total) or on
//! `(G − 2)(k − 1)` for the rows a multinomial logistic model was fitted on (the paper's
//! reference). With two classes `C` is the binary Hosmer–Lemeshow statistic.
//!
//! On a validation sample `C` on `G (k − 1)` degrees of freedom is conservative: under the
//! model `E[C_g] = k − Σ_c Σ_{i ∈ g} p_ic² / E_gc ≤ k − 1`, with equality only where every row
//! of the group has the same probabilities, and the groups are cut from `p_0` alone, so the
//! other classes' probabilities vary within them (in 1,000 simulated calibrated samples of 600
//! rows and 3 classes `C` rejected 2.0% at 5%). kd therefore also gives
//! `T = Σ_g d_g' V_g⁻¹ d_g`, with `d_g = (O_gc − E_gc)` and `V_g = Σ_{i ∈ g} (diag(p_i) −
//! p_i p_i')` over every class but the one the group expects most (which one is left out does
//! not change `T`; leaving out the largest keeps `V_g` well conditioned when probabilities are
//! rounded), the exact covariance of the group's counts under the model: each group's term
//! tends to χ²_{k−1}, so `T` to χ²_{G (k − 1)}, whatever the spread within groups (kd's
//! construction, a Pearson form with the exact covariance; 4.8% at 5% in the same simulation).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use ndarray_linalg::SolveC;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::calibration::HlSample;
use crate::error::{Error, Result, ensure_len, invalid_parameter};
use kd_core::quantile::{Binning, group_of};
use kd_core::teacher::PROBABILITY_SUM_TOLERANCE;

/// One group of the multinomial test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultinomialHlGroup {
    /// Rows in the group.
    pub n: usize,
    /// `O_gc`, one per class.
    pub observed: Vec<usize>,
    /// `E_gc`, one per class.
    pub expected: Vec<f64>,
}

/// The multinomial Hosmer–Lemeshow test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultinomialHosmerLemeshow {
    /// `C = Σ_g Σ_c (O_gc − E_gc)² / E_gc`.
    pub statistic: f64,
    /// `P(χ²_df > C)`.
    pub p_value: f64,
    /// `T = Σ_g d_g' V_g⁻¹ d_g`, the deviations in their exact covariance (validation samples);
    /// `None` where a group's `V_g` is singular (its rows' classes split into sets no row
    /// shares, such as rows on classes 0 and 1 beside rows on 2 and 3).
    pub covariance_statistic: Option<f64>,
    /// `P(χ²_{G (k − 1)} > T)`.
    pub covariance_p_value: Option<f64>,
    /// `T`'s degrees of freedom, `G (k − 1)`.
    pub covariance_df: usize,
    /// Number of groups `G` formed.
    pub groups: usize,
    /// `G (k − 1)` for a validation sample, `(G − 2)(k − 1)` for the development sample.
    pub df: usize,
    /// The reference used.
    pub sample: HlSample,
    /// The groups, from low to high `1 − p_0`.
    pub table: Vec<MultinomialHlGroup>,
}

/// Fagerland, Hosmer & Bofin's test of the probabilities `probs` (`(n, k)`, `k ≥ 2`, each row
/// summing to 1 within kd-core's `PROBABILITY_SUM_TOLERANCE`, 1e-4, as a teacher's outputs must)
/// against the classes `classes` (`n` indices below `k`).
///
/// Grouping: `binning` over `1 − p_i0`; [`Binning::r_default`] is `logitgof`'s rule (type-7
/// quantiles, repeated cut points merged, a row in `(c_{j−1}, c_j]`, the first group closed on
/// the left). Empty groups are dropped; at least 3 must remain, and a class the model gives
/// probability 0 throughout a group leaves the statistic undefined.
pub fn hosmer_lemeshow_multinomial(
    classes: &[usize],
    probs: ArrayView2<'_, f64>,
    binning: Binning,
    sample: HlSample,
) -> Result<MultinomialHosmerLemeshow> {
    let (n, k) = probs.dim();
    ensure_len("classes and probabilities", n, classes.len())?;
    if k < 2 {
        return Err(invalid_parameter("probabilities", format!("{k} column(s): one per class, at least 2")));
    }
    check_rows(classes, probs)?;
    let groups = binning.groups;
    if groups < 3 {
        return Err(invalid_parameter("groups", format!("{groups}: Hosmer-Lemeshow needs at least 3")));
    }
    if n < groups {
        return Err(Error::TooFewRows {
            what: format!("Hosmer-Lemeshow with {groups} groups (rows)"),
            needed: groups,
            found: n,
        });
    }
    let not_first: Vec<f64> = probs.column(0).iter().map(|p| 1.0 - p).collect();
    let cuts = binning.cut_points(&not_first);
    // Each group's rows, then its counts and `Σ_i p_i p_i'` (`P_g' P_g`, the part of `V_g`
    // beyond `diag(E_g)`) in one product per group.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); cuts.len() + 1];
    for (i, &score) in not_first.iter().enumerate() {
        members[group_of(&cuts, score)].push(i);
    }
    let mut table: Vec<(MultinomialHlGroup, Array2<f64>)> = members
        .iter()
        .map(|rows| {
            let p = probs.select(Axis(0), rows);
            let mut observed = vec![0; k];
            rows.iter().for_each(|&i| observed[classes[i]] += 1);
            let expected = p.sum_axis(Axis(0)).to_vec();
            (MultinomialHlGroup { n: rows.len(), observed, expected }, p.t().dot(&p))
        })
        .collect();
    table.retain(|(g, _)| g.n > 0);
    if table.len() < 3 {
        return Err(undefined(format!(
            "the probabilities of not being the first class take too few distinct values to form 3 groups ({} formed)",
            table.len()
        )));
    }
    let mut statistic = 0.0;
    for (j, (g, _)) in table.iter().enumerate() {
        for (c, (&o, &e)) in g.observed.iter().zip(&g.expected).enumerate() {
            if e <= 0.0 {
                return Err(undefined(format!(
                    "group {} expects no row of class {c} (the model gives it probability 0 on every row of the group)",
                    j + 1
                )));
            }
            statistic += (o as f64 - e).powi(2) / e;
        }
    }
    let covariance_statistic: Option<f64> = table.iter().map(|(g, outer)| in_its_covariance(g, outer)).sum();
    let per_group = k - 1;
    let df = match sample {
        HlSample::Validation => table.len() * per_group,
        HlSample::Development => (table.len() - 2) * per_group,
    };
    let upper = |df: usize, x: f64| {
        ChiSquared::new(df as f64)
            .map(|chi2| chi2.sf(x))
            .map_err(|e| invalid_parameter("degrees of freedom", e.to_string()))
    };
    let covariance_df = table.len() * per_group;
    let covariance_p_value = covariance_statistic.map(|t| upper(covariance_df, t)).transpose()?;
    Ok(MultinomialHosmerLemeshow {
        statistic,
        p_value: upper(df, statistic)?,
        covariance_statistic,
        covariance_p_value,
        covariance_df,
        groups: table.len(),
        df,
        sample,
        table: table.into_iter().map(|(g, _)| g).collect(),
    })
}

fn undefined(reason: String) -> Error {
    Error::Undefined { test: "the multinomial Hosmer-Lemeshow test".into(), reason }
}

/// `d' V⁻¹ d`, `d = O − E` and `V = diag(E) − outer`, over every class but the one of the
/// largest `E`; `None` where that `V` is not positive definite.
fn in_its_covariance(g: &MultinomialHlGroup, outer: &Array2<f64>) -> Option<f64> {
    let left_out = (0..g.expected.len()).max_by(|&a, &b| g.expected[a].total_cmp(&g.expected[b]))?;
    let kept: Vec<usize> = (0..g.expected.len()).filter(|&c| c != left_out).collect();
    let v = Array2::from_shape_fn((kept.len(), kept.len()), |(a, b)| {
        let (a, b) = (kept[a], kept[b]);
        f64::from(u8::from(a == b)) * g.expected[a] - outer[[a, b]]
    });
    let d = Array1::from_shape_fn(kept.len(), |j| g.observed[kept[j]] as f64 - g.expected[kept[j]]);
    let solved = v.solvec(&d).ok()?;
    let form = d.dot(&solved);
    form.is_finite().then_some(form)
}

/// Refuses a class index out of range, a probability outside [0, 1] and a row that does not
/// sum to 1, naming the row.
fn check_rows(classes: &[usize], probs: ArrayView2<'_, f64>) -> Result<()> {
    let k = probs.ncols();
    for (i, (row, &class)) in probs.rows().into_iter().zip(classes).enumerate() {
        let bad = |reason: String| Error::InvalidInput { column: "probabilities".into(), row: i, reason };
        if class >= k {
            return Err(Error::InvalidInput {
                column: "classes".into(),
                row: i,
                reason: format!("class index {class}, with {k} classes"),
            });
        }
        if let Some(c) = row.iter().position(|p| !(0.0..=1.0).contains(p)) {
            return Err(bad(format!("{} (class {c}) is not a probability in [0, 1]", row[c])));
        }
        let sum: f64 = row.sum();
        if (sum - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
            return Err(bad(format!("the classes' probabilities sum to {sum}, not 1")));
        }
    }
    Ok(())
}
