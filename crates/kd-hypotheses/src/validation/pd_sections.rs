//! The two sections of a PD model's validation report that need only the scores and the
//! outcomes, each figure with its formula and reference ([`cite`]): discriminatory power
//! ([`Discrimination`]: AUROC with DeLong's interval, Gini `2·AUC − 1`, KS; on request DeLong's
//! comparison with a challenger, the change since initial validation, the ROC and CAP points)
//! and the portfolio's calibration tests ([`Calibration`]: Hosmer–Lemeshow, Spiegelhalter, the
//! Brier decomposition, Jeffreys), with the per-grade tests and Pluto–Tasche bounds
//! ([`grade_sections`]) where the rows are graded. `kd validate` (from rows or from mergeable
//! summaries) and the Python package's `kd.validate` build them here, so their figures and
//! JSON are one.

use kd_core::quantile::Binning;
use serde::Serialize;

use super::cite::{self, Cited, Number, Rows, cite};
use super::{
    Auroc, BrierDecomposition, CurvePoint, DelongComparison, GradeTest, HlSample, HosmerLemeshow,
    KolmogorovSmirnov, LongRunAverage, Overrides, PeriodBound, PortfolioJeffreys, PrudentBound, ScoreCounts,
    Spiegelhalter,
};
use crate::error::{Error, Result, invalid_parameter, or_undefined};

/// The number of defaults among `outcome` (the column `column` of the rows of `file`
/// validated), as [`check_both_classes`] accepts it.
pub fn count_defaults(file: &str, column: &str, outcome: &[bool]) -> Result<usize> {
    let defaults = outcome.iter().filter(|d| **d).count();
    check_both_classes(file, column, outcome.len(), defaults)?;
    Ok(defaults)
}

/// Refuses `n` rows of `file` validated with fewer than 2 defaults or fewer than 2
/// non-defaults (in outcome column `column`): the AUROC cannot rank one class, and DeLong's
/// standard error needs two of each.
pub fn check_both_classes(file: &str, column: &str, n: usize, defaults: usize) -> Result<()> {
    let others = n - defaults.min(n);
    let (held, lacks) = match (defaults, others) {
        (0, _) => ("no defaults (1)".to_owned(), "defaults"),
        (_, 0) => ("only defaults (1)".to_owned(), "non-defaults"),
        (1, _) => ("1 default (1)".to_owned(), "defaults"),
        (_, 1) => ("1 non-default".to_owned(), "non-defaults"),
        _ => return Ok(()),
    };
    Err(invalid_parameter(
        "outcome",
        format!(
            "{file}: the column '{column}' holds {held} in the {n} rows validated; discriminatory power needs at least 2 {lacks} (DeLong's standard error)"
        ),
    ))
}

/// `error` from the predictive-ability section; a test undefined on these PDs (a group of PDs
/// all exactly 0 or 1, too few distinct PDs) says how to go on without the section (`skip`:
/// the flag or keyword that leaves it out).
pub fn with_skip_hint(error: Error, skip: &str) -> Error {
    match error {
        Error::Undefined { test, reason } => Error::Undefined {
            test,
            reason: format!(
                "{reason} (pass {skip} to go on without predictive ability: its calibration and per-grade tests, bounds and cohorts)"
            ),
        },
        other => other,
    }
}

/// Discriminatory power, as the report's `discriminatory_power`.
#[derive(Debug, Serialize)]
pub struct Discrimination {
    /// AUROC with DeLong's standard error and interval.
    pub auroc: Cited<Auroc>,
    /// `2·AUC − 1`.
    pub gini: Cited<Number>,
    /// KS between defaulters' and non-defaulters' scores.
    pub ks: Cited<KolmogorovSmirnov>,
    /// The AUROC against its value at initial validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auc_change: Option<Cited<super::AucChange>>,
    /// Why that test is not computed where it is undefined (a current AUROC of exactly 0 or 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auc_change_note: Option<String>,
    /// DeLong's test against a challenger score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Cited<Comparison>>,
    /// ROC and CAP points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curves: Option<Cited<Rows<CurvePoint>>>,
}

/// DeLong's comparison with the challenger it names.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// The challenger's column.
    pub challenger: String,
    /// The test; `None` where it is undefined (see `note`).
    #[serde(flatten)]
    pub test: Option<DelongComparison>,
    /// Why there is no test: the two scores rank the rows alike (a challenger that is a
    /// monotone transform of the score, a recalibration), so their AUROCs are equal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The PD report's predictive-ability section: the calibration tests and, as the inputs allow,
/// the per-grade tests with Pluto–Tasche's bounds ([`grade_sections`]), the long-run average
/// over the cohorts and the override rate.
#[derive(Debug, Serialize)]
pub struct Predictive {
    /// Hosmer–Lemeshow, Spiegelhalter, Brier, Jeffreys.
    #[serde(flatten)]
    pub calibration: Calibration,
    /// Per grade: exact binomial, Jeffreys and traffic-light tests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades: Option<Cited<Rows<GradeTest>>>,
    /// Pluto–Tasche's most prudent upper bounds per grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pluto_tasche: Option<Cited<Bounds>>,
    /// The same over the cohorts as periods, the factor persisting between them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pluto_tasche_periods: Option<Cited<PeriodBounds>>,
    /// The long-run average default rate over the cohorts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_run: Option<Cited<LongRunAverage>>,
    /// The override rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Cited<Overrides>>,
}

/// The AUROC of the sample at initial validation with its standard error (DeLong's), for the
/// test of its change when the baseline has outcomes.
pub fn initial_auroc(outcome: &[bool], score: &[f64]) -> Result<(f64, Option<f64>)> {
    let auc = super::auroc_delong(outcome, score, 0.95)?;
    Ok((auc.value, Some(auc.std_error)))
}

impl Discrimination {
    /// The section from the AUROC and KS (of rows or of summaries), with the change since
    /// initial validation when the AUROC then (and its standard error, if known) is given.
    pub fn new(auroc: Auroc, ks: KolmogorovSmirnov, initial: Option<(f64, Option<f64>)>) -> Result<Self> {
        let (change, auc_change_note) = super::auc_change_or_note(auroc.value, auroc.std_error, initial)?;
        Ok(Self {
            gini: cite(Number { value: 2.0 * auroc.value - 1.0 }, cite::GINI),
            auroc: cite(auroc, cite::AUROC),
            ks: cite(ks, cite::KS),
            auc_change: change.map(|c| cite(c, cite::AUC_CHANGE)),
            auc_change_note,
            comparison: None,
            curves: None,
        })
    }

    /// The section from rows: `score` (higher = riskier) against `outcome` (true = default),
    /// with the change since `initial` validation when given.
    pub fn from_rows(outcome: &[bool], score: &[f64], initial: Option<(f64, Option<f64>)>) -> Result<Self> {
        let (auroc, ks) = super::discriminatory_power(outcome, score, 0.95)?;
        Self::new(auroc, ks, initial)
    }

    /// Adds DeLong's test of `score` against the `challenger` score named `name`, on the same
    /// rows.
    pub fn with_challenger(
        mut self,
        name: &str,
        outcome: &[bool],
        score: &[f64],
        challenger: &[f64],
    ) -> Result<Self> {
        let (test, note) = or_undefined(super::delong_test(outcome, score, challenger))?;
        self.comparison =
            Some(cite(Comparison { challenger: name.to_owned(), test, note }, cite::CHALLENGER));
        Ok(self)
    }

    /// Adds the ROC and CAP points.
    pub fn with_curves(mut self, outcome: &[bool], score: &[f64]) -> Result<Self> {
        self.curves = Some(cite(Rows { rows: super::curve_points(outcome, score)? }, cite::CURVES));
        Ok(self)
    }
}

/// The portfolio's calibration tests, the first figures of the report's `predictive_ability`.
#[derive(Debug, Serialize)]
pub struct Calibration {
    /// Hosmer–Lemeshow on the binning's groups.
    pub hosmer_lemeshow: Cited<HosmerLemeshow>,
    /// Spiegelhalter's z.
    pub spiegelhalter: Cited<Spiegelhalter>,
    /// The Brier score and its decomposition on the groups (or grades).
    pub brier: Cited<BrierDecomposition>,
    /// Jeffreys' test of the portfolio's default rate.
    pub jeffreys: Cited<PortfolioJeffreys>,
}

impl Calibration {
    /// The tests from rows of PDs: Hosmer–Lemeshow on `binning`'s groups for the `sample`,
    /// the Brier decomposition on the groups `bins` (one per row).
    pub fn from_rows(
        outcome: &[bool],
        pd: &[f64],
        binning: Binning,
        sample: HlSample,
        bins: &[usize],
    ) -> Result<Self> {
        Ok(Self {
            hosmer_lemeshow: cite(
                super::hosmer_lemeshow(outcome, pd, binning, sample)?,
                cite::HOSMER_LEMESHOW,
            ),
            spiegelhalter: cite(super::spiegelhalter(outcome, pd)?, cite::SPIEGELHALTER),
            brier: cite(super::brier_decomposition(outcome, pd, bins)?, cite::BRIER),
            jeffreys: cite(super::portfolio_jeffreys(outcome, pd)?, cite::PORTFOLIO_JEFFREYS),
        })
    }

    /// The same tests from summaries: `all` the portfolio, `bins` its groups (or grades).
    pub fn from_counts(
        all: &ScoreCounts,
        binning: Binning,
        sample: HlSample,
        bins: &[ScoreCounts],
    ) -> Result<Self> {
        Ok(Self {
            hosmer_lemeshow: cite(super::hosmer_lemeshow_of(all, binning, sample)?, cite::HOSMER_LEMESHOW),
            spiegelhalter: cite(super::spiegelhalter_of(all)?, cite::SPIEGELHALTER),
            brier: cite(super::brier_of(bins)?, cite::BRIER),
            jeffreys: cite(super::jeffreys_of(all)?, cite::PORTFOLIO_JEFFREYS),
        })
    }
}

/// Pluto–Tasche's most prudent upper bounds with the grades they bound, as the report's
/// `pluto_tasche`.
#[derive(Debug, Serialize)]
pub struct Bounds {
    /// The confidence level.
    pub confidence: f64,
    /// The asset correlation of the correlated bounds.
    pub rho: f64,
    /// The grades, best first.
    pub grades: Vec<String>,
    /// One bound per grade.
    pub bounds: Vec<PrudentBound>,
}

/// Pluto–Tasche's multi-period bounds with the periods and grades they pool, as the report's
/// `pluto_tasche_periods`.
#[derive(Debug, Serialize)]
pub struct PeriodBounds {
    /// The confidence level.
    pub confidence: f64,
    /// The asset correlation.
    pub rho: f64,
    /// The factor's correlation from one period to the next.
    pub period_correlation: f64,
    /// The periods, earliest first.
    pub periods: Vec<String>,
    /// The grades, best first.
    pub grades: Vec<String>,
    /// One bound per grade, with its pool's obligors period by period.
    pub bounds: Vec<PeriodBound>,
}

impl PeriodBounds {
    /// The bounds at `confidence`, `rho` and `period_correlation` from `obligors[t, k]` and
    /// `defaults[t, k]` of `periods` × `grades` (best grade first).
    pub fn cited(
        obligors: ndarray::ArrayView2<usize>,
        defaults: ndarray::ArrayView2<usize>,
        periods: Vec<String>,
        grades: &[String],
        (confidence, rho, period_correlation): (f64, f64, f64),
    ) -> Result<Cited<Self>> {
        let bounds = super::pluto_tasche_periods(obligors, defaults, confidence, rho, period_correlation)?;
        let section = Self { confidence, rho, period_correlation, periods, grades: grades.to_vec(), bounds };
        Ok(cite(section, cite::PLUTO_TASCHE_PERIODS))
    }
}

/// The per-grade tests as the report's cited `grades` rows, and the Pluto–Tasche bounds at
/// `confidence` (independent, and correlated at asset correlation `rho`) from their counts
/// (`grades`, best first, names the scale).
pub fn grade_sections(
    tests: Vec<GradeTest>,
    grades: &[String],
    confidence: f64,
    rho: f64,
) -> Result<(Cited<Rows<GradeTest>>, Cited<Bounds>)> {
    let n: Vec<usize> = tests.iter().map(|g| g.n).collect();
    let d: Vec<usize> = tests.iter().map(|g| g.defaults).collect();
    let bounds = Bounds {
        confidence,
        rho,
        grades: grades.to_vec(),
        bounds: super::pluto_tasche(&n, &d, confidence, rho)?,
    };
    Ok((cite(Rows { rows: tests }, cite::GRADES), cite(bounds, cite::PLUTO_TASCHE)))
}
