//! Per-grade calibration tests of a rating system: the exact binomial test, the Jeffreys test
//! and the Basel traffic light on the Vasicek one-factor distribution.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::beta_reg;

use crate::error::{Error, Result, ensure_len, ensure_probabilities, invalid_parameter};

/// Traffic-light colour of a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrafficLight {
    /// Observed default rate at most the 95% Vasicek quantile.
    Green,
    /// Between the 95% and 99.9% quantiles.
    Yellow,
    /// Above the 99.9% quantile.
    Red,
}

/// The tests of one grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GradeTest {
    /// The grade's label.
    pub grade: String,
    /// Rows in the grade.
    pub n: usize,
    /// Observed defaults `d`.
    pub defaults: usize,
    /// The grade's PD: the mean score of its rows.
    pub pd: f64,
    /// Expected defaults `n·PD`.
    pub expected_defaults: f64,
    /// `d / n`.
    pub observed_rate: f64,
    /// Exact one-sided binomial test, `P(X ≥ d)` for `X ~ Binomial(n, PD)`.
    pub binomial_p_value: f64,
    /// Jeffreys test, the `Beta(d + ½, n − d + ½)` distribution function at PD.
    pub jeffreys_p_value: f64,
    /// 95% quantile of the Vasicek default-rate distribution.
    pub vasicek_q95: f64,
    /// 99.9% quantile of the Vasicek default-rate distribution.
    pub vasicek_q999: f64,
    /// Green, yellow or red.
    pub traffic_light: TrafficLight,
}

/// `P(X ≥ d)` for `X ~ Binomial(n, p)`, as the regularised incomplete beta `I_p(d, n − d + 1)`.
pub fn binomial_upper_tail(n: usize, d: usize, p: f64) -> f64 {
    match (d, p) {
        (0, _) => 1.0,
        (_, p) if p <= 0.0 => 0.0,
        (_, p) if p >= 1.0 => 1.0,
        _ if d > n => 0.0,
        _ => beta_reg(d as f64, (n - d) as f64 + 1.0, p),
    }
}

/// The Jeffreys test's p-value: the posterior probability, under the Jeffreys prior
/// `Beta(½, ½)`, that the true default rate is below `pd` — `Beta(d + ½, n − d + ½).cdf(pd)`
/// (ECB instructions for reporting the validation results of internal models, 2019). Small
/// values reject "PD is not below the true rate".
pub fn jeffreys_p_value(n: usize, d: usize, pd: f64) -> f64 {
    if pd <= 0.0 {
        0.0
    } else if pd >= 1.0 {
        1.0
    } else {
        beta_reg(d as f64 + 0.5, (n - d) as f64 + 0.5, pd)
    }
}

/// The Jeffreys test of a whole portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PortfolioJeffreys {
    /// Obligors `N`.
    pub n: usize,
    /// Defaults `D`.
    pub defaults: usize,
    /// The portfolio's PD: the mean PD of its obligors.
    pub pd: f64,
    /// `D / N`.
    pub observed_rate: f64,
    /// `Beta(D + ½, N − D + ½)` distribution function at PD.
    pub p_value: f64,
}

/// The Jeffreys test at portfolio level (ECB instructions 2019, §2.5, applied to the whole
/// portfolio as to each grade): `N` obligors, `D` defaults, PD the mean of `pd`.
pub fn portfolio_jeffreys(outcome: &[bool], pd: &[f64]) -> Result<PortfolioJeffreys> {
    ensure_len("outcome and PD", outcome.len(), pd.len())?;
    ensure_probabilities("PD", pd)?;
    if outcome.is_empty() {
        return Err(Error::TooFewRows { what: "the Jeffreys test (obligors)".into(), needed: 1, found: 0 });
    }
    let n = outcome.len();
    let defaults = outcome.iter().filter(|y| **y).count();
    let mean_pd = pd.iter().sum::<f64>() / n as f64;
    Ok(PortfolioJeffreys {
        n,
        defaults,
        pd: mean_pd,
        observed_rate: defaults as f64 / n as f64,
        p_value: jeffreys_p_value(n, defaults, mean_pd),
    })
}

/// Quantile `α` of the default rate in Vasicek's one-factor model with asset correlation `ρ`:
/// `Φ((Φ⁻¹(PD) + √ρ Φ⁻¹(α)) / √(1 − ρ))` (Vasicek 2002; the Basel IRB formula).
pub fn vasicek_quantile(pd: f64, rho: f64, alpha: f64) -> f64 {
    if pd <= 0.0 || pd >= 1.0 {
        return pd.clamp(0.0, 1.0);
    }
    let normal = Normal::standard();
    normal.cdf((normal.inverse_cdf(pd) + rho.sqrt() * normal.inverse_cdf(alpha)) / (1.0 - rho).sqrt())
}

/// The binomial, Jeffreys and traffic-light tests of every grade. `grade[i]` indexes
/// `labels`; a grade's PD is the mean of `pd` over its rows; grades without rows are left out.
///
/// Traffic light (the variant used here, after Tasche 2003, "A traffic lights approach to PD
/// validation"): green when the observed default rate is at most the 95% quantile of the
/// Vasicek distribution with asset correlation `rho`, yellow up to the 99.9% quantile, red
/// above. It compares rates, not counts, so it ignores the binomial noise of small grades;
/// read it beside the binomial test.
pub fn grade_tests(
    outcome: &[bool],
    pd: &[f64],
    grade: &[usize],
    labels: &[String],
    rho: f64,
) -> Result<Vec<GradeTest>> {
    ensure_len("outcome and PD", outcome.len(), pd.len())?;
    ensure_len("outcome and grade", outcome.len(), grade.len())?;
    ensure_probabilities("PD", pd)?;
    if !(0.0..1.0).contains(&rho) {
        return Err(invalid_parameter("rho", format!("{rho}: the asset correlation must be in [0, 1)")));
    }
    if let Some(row) = grade.iter().position(|&g| g >= labels.len()) {
        return Err(Error::InvalidInput { column: "grade".into(), row, reason: "unknown grade".into() });
    }
    let mut n = vec![0usize; labels.len()];
    let mut d = vec![0usize; labels.len()];
    let mut sum = vec![0.0; labels.len()];
    for ((&g, &y), &p) in grade.iter().zip(outcome).zip(pd) {
        n[g] += 1;
        d[g] += usize::from(y);
        sum[g] += p;
    }
    Ok((0..labels.len())
        .filter(|&g| n[g] > 0)
        .map(|g| grade_test(&labels[g], n[g], d[g], sum[g], rho))
        .collect())
}

/// The tests of one grade from its obligors `n`, defaults `d` and the sum of their PDs.
pub(crate) fn grade_test(label: &str, n: usize, d: usize, pd_sum: f64, rho: f64) -> GradeTest {
    let grade_pd = pd_sum / n as f64;
    let rate = d as f64 / n as f64;
    let (q95, q999) = (vasicek_quantile(grade_pd, rho, 0.95), vasicek_quantile(grade_pd, rho, 0.999));
    let traffic_light = if rate <= q95 {
        TrafficLight::Green
    } else if rate <= q999 {
        TrafficLight::Yellow
    } else {
        TrafficLight::Red
    };
    GradeTest {
        grade: label.to_owned(),
        n,
        defaults: d,
        pd: grade_pd,
        expected_defaults: grade_pd * n as f64,
        observed_rate: rate,
        binomial_p_value: binomial_upper_tail(n, d, grade_pd),
        jeffreys_p_value: jeffreys_p_value(n, d, grade_pd),
        vasicek_q95: q95,
        vasicek_q999: q999,
        traffic_light,
    }
}
