//! Back-tests of LGD, CCF and ELBE estimates: realised against estimated values, per facility.
//!
//! ECB, *Instructions for reporting the validation results of internal models* (2019), §2.6
//! (LGD), §2.7 (ELBE), §2.8 (LGD in-default) and §2.9 (CCF), "predictive ability": for the `N`
//! facilities of a grade, a segment or the portfolio, with differences `eᵢ = Rᵢ − Eᵢ` of the
//! realised and the estimated value, `ē` their mean and `s² = Σ (eᵢ − ē)² / (N − 1)`,
//! `t = √N ē / s` is Student's t with `N − 1` degrees of freedom under the null that the
//! estimates are not too low on average; the one-sided p-value `P(T > t)` is small when
//! realised values run above the estimates (for LGD, CCF and LGD in-default). ELBE is a best
//! estimate, so kd tests it two-sided, `2 P(T > |t|)`. kd's choices where the instructions are
//! silent: a segment with fewer than 2 facilities, or whose differences are all equal (to 1e-12
//! of their size), gets no
//! t-test (the statistic is undefined) but keeps its error measures; facilities are weighted
//! equally in the t-test and by exposure only in the loss shortfall.
//!
//! The loss shortfall (same sections) is `LS = 1 − Σ wᵢ Eᵢ / Σ wᵢ Rᵢ` with `wᵢ` the exposure at
//! default (1 without exposures): positive when the estimates fall short of the losses. The
//! mean absolute and squared errors are `Σ |eᵢ| / N` and `Σ eᵢ² / N`.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{Error, Result, ensure_finite, ensure_len, invalid_parameter};

/// Which departure the t-test looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// Realised values above the estimates (under-estimation): `P(T > t)`.
    Greater,
    /// Either way: `2 P(T > |t|)`.
    TwoSided,
}

/// The paired t-test of realised against estimated values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PairedTTest {
    /// `t = √N ē / s`.
    pub statistic: f64,
    /// `N − 1`.
    pub df: usize,
    /// The p-value for `alternative`.
    pub p_value: f64,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Realised against estimated values of one group of facilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Backtest {
    /// The grade or segment (`"portfolio"` for all facilities).
    pub segment: String,
    /// Facilities `N`.
    pub n: usize,
    /// Mean estimate `Σ Eᵢ / N`.
    pub mean_estimate: f64,
    /// Mean realised value `Σ Rᵢ / N`.
    pub mean_realised: f64,
    /// `ē`, realised minus estimated.
    pub mean_difference: f64,
    /// The t-test; `None` when undefined (see `skipped`).
    pub t_test: Option<PairedTTest>,
    /// Why there is no t-test.
    pub skipped: Option<String>,
    /// `Σ |eᵢ| / N`.
    pub mean_absolute_error: f64,
    /// `Σ eᵢ² / N`.
    pub mean_squared_error: f64,
    /// `1 − Σ wᵢ Eᵢ / Σ wᵢ Rᵢ`; `None` when the realised losses sum to 0.
    pub loss_shortfall: Option<f64>,
}

/// The back-test of one group: realised `r`, estimated `e`, optional exposure weights `w`.
pub fn backtest(
    segment: &str,
    r: &[f64],
    e: &[f64],
    w: Option<&[f64]>,
    alternative: Alternative,
) -> Result<Backtest> {
    ensure_len("realised and estimated values", r.len(), e.len())?;
    ensure_finite("realised value", r)?;
    ensure_finite("estimate", e)?;
    if let Some(w) = w {
        ensure_len("realised values and exposures", r.len(), w.len())?;
        if let Some(i) = w.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
            return Err(Error::InvalidInput {
                column: "exposure".into(),
                row: i,
                reason: format!("{}: exposures are ≥ 0", w[i]),
            });
        }
    }
    let n = r.len();
    if n == 0 {
        return Err(Error::TooFewRows {
            what: format!("the back-test of '{segment}' (facilities)"),
            needed: 1,
            found: 0,
        });
    }
    let nf = n as f64;
    let diff: Vec<f64> = r.iter().zip(e).map(|(r, e)| r - e).collect();
    let mean_difference = diff.iter().sum::<f64>() / nf;
    let weight = |i: usize| w.map_or(1.0, |w| w[i]);
    let (we, wr) = (0..n).fold((0.0, 0.0), |(a, b), i| (a + weight(i) * e[i], b + weight(i) * r[i]));
    let (t_test, skipped) = match t_test(&diff, mean_difference, alternative)? {
        Ok(t) => (Some(t), None),
        Err(reason) => (None, Some(reason)),
    };
    Ok(Backtest {
        segment: segment.to_owned(),
        n,
        mean_estimate: e.iter().sum::<f64>() / nf,
        mean_realised: r.iter().sum::<f64>() / nf,
        mean_difference,
        t_test,
        skipped,
        mean_absolute_error: diff.iter().map(|d| d.abs()).sum::<f64>() / nf,
        mean_squared_error: diff.iter().map(|d| d * d).sum::<f64>() / nf,
        loss_shortfall: (wr != 0.0).then(|| 1.0 - we / wr),
    })
}

/// The t-test of differences `diff` with mean `mean`, or why it is undefined.
fn t_test(
    diff: &[f64],
    mean: f64,
    alternative: Alternative,
) -> Result<std::result::Result<PairedTTest, String>> {
    let n = diff.len();
    if n < 2 {
        return Ok(Err(format!("{n} facility: the t-test needs at least 2")));
    }
    let var = diff.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    // Differences equal up to rounding (a spread below 1e-12 of their size) count as equal.
    let scale = diff.iter().fold(0.0f64, |m, d| m.max(d.abs()));
    if var.sqrt() <= 1e-12 * scale || var <= 0.0 {
        return Ok(Err("every difference is the same, so the t statistic is undefined".into()));
    }
    let statistic = (n as f64).sqrt() * mean / var.sqrt();
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .map_err(|e| invalid_parameter("degrees of freedom", e.to_string()))?;
    let p_value = match alternative {
        Alternative::Greater => t.sf(statistic),
        Alternative::TwoSided => 2.0 * t.sf(statistic.abs()),
    };
    Ok(Ok(PairedTTest { statistic, df: n - 1, p_value, alternative }))
}

/// Back-tests of every segment (`segment[i]` indexing `labels`, segments without facilities
/// left out) followed by the portfolio's.
pub fn segment_backtests(
    r: &[f64],
    e: &[f64],
    w: Option<&[f64]>,
    segment: &[usize],
    labels: &[String],
    alternative: Alternative,
) -> Result<Vec<Backtest>> {
    ensure_len("realised values and segments", r.len(), segment.len())?;
    if let Some(row) = segment.iter().position(|&s| s >= labels.len()) {
        return Err(Error::InvalidInput { column: "segment".into(), row, reason: "unknown segment".into() });
    }
    let mut out = Vec::with_capacity(labels.len() + 1);
    for (s, label) in labels.iter().enumerate() {
        let rows: Vec<usize> = (0..r.len()).filter(|&i| segment[i] == s).collect();
        if rows.is_empty() {
            continue;
        }
        let pick = |x: &[f64]| rows.iter().map(|&i| x[i]).collect::<Vec<f64>>();
        let ws = w.map(pick);
        out.push(backtest(label, &pick(r), &pick(e), ws.as_deref(), alternative)?);
    }
    out.push(backtest("portfolio", r, e, w, alternative)?);
    Ok(out)
}
