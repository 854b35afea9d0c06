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
use crate::error::{Error, Result, or_undefined};

/// Checks that `n` rows of `file` validated hold at least 2 defaults and 2 non-defaults (in
/// outcome column `column`); otherwise discriminatory power is undefined ([`Error::Undefined`]
/// naming the file and column): the AUROC cannot rank one class, and DeLong's standard error
/// needs two of each. A low-default portfolio with no default yet is validated without it
/// ([`DiscriminatoryPower::Undefined`]).
///
/// # Errors
/// No row at all: an error naming the file, not a note (an empty sample is not a portfolio).
pub fn check_both_classes(file: &str, column: &str, n: usize, defaults: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::TooFewRows {
            what: format!("{file}: the validation (rows validated)"),
            needed: 1,
            found: 0,
        });
    }
    let others = n - defaults.min(n);
    let (held, lacks) = match (defaults, others) {
        (0, _) => ("no defaults (no 1)", "defaults"),
        (_, 0) => ("only defaults (no 0)", "non-defaults"),
        (1, _) => ("1 default (1)", "defaults"),
        (_, 1) => ("1 non-default (0)", "non-defaults"),
        _ => return Ok(()),
    };
    Err(Error::Undefined {
        test: "discriminatory power".into(),
        reason: format!(
            "{file}: the column '{column}' holds {held} in the {n} rows validated; the AUROC needs at least 2 {lacks} (DeLong's standard error)"
        ),
    })
}

/// Discriminatory power as a PD report holds it: its figures, or why there are none.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum DiscriminatoryPower {
    /// The figures.
    Figures(Box<Discrimination>),
    /// Fewer than 2 defaults or 2 non-defaults (a low-default portfolio with no default yet):
    /// no AUROC; the calibration tests and Pluto–Tasche's bounds still stand.
    Undefined {
        /// Why, in words (the file, the column and what it holds).
        auroc_note: String,
    },
}

impl DiscriminatoryPower {
    /// The figures `build` gives when `classes` (a [`check_both_classes`]) passes; when it
    /// finds discriminatory power undefined, the note saying why.
    pub fn unless_undefined(
        classes: Result<()>,
        build: impl FnOnce() -> Result<Discrimination>,
    ) -> Result<Self> {
        match or_undefined(classes)? {
            (Some(()), _) => Ok(Self::Figures(Box::new(build()?))),
            (None, note) => Ok(Self::Undefined { auroc_note: note.unwrap_or_default() }),
        }
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
    /// monotone transform of the score, a recalibration), so their AUROCs are equal; or each
    /// separates the classes completely or not at all (the note gives both AUROCs).
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

/// The AUROC at initial validation with its standard error when known, or why it is undefined.
pub type InitialAuroc = (Option<(f64, Option<f64>)>, Option<String>);

/// The AUROC at initial validation and its standard error (DeLong's), for the test of its
/// change, from a baseline with outcomes: `auroc()` when `classes` (the baseline's
/// [`check_both_classes`]) passes; otherwise no AUROC and why (the `auc_change_note`).
pub fn initial_auroc(classes: Result<()>, auroc: impl FnOnce() -> Result<Auroc>) -> Result<InitialAuroc> {
    match or_undefined(classes)? {
        (Some(()), _) => {
            let auc = auroc()?;
            Ok((Some((auc.value, Some(auc.std_error))), None))
        }
        (None, note) => Ok((None, note.map(|n| format!("at initial validation, {n}")))),
    }
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

    /// Says why the change since initial validation is not tested, where the AUROC at initial
    /// validation is undefined (`note`: the baseline holds fewer than 2 of a class).
    pub fn with_initial_note(mut self, note: Option<String>) -> Self {
        if note.is_some() {
            self.auc_change_note = note;
        }
        self
    }
}

/// The portfolio's calibration tests, the first figures of the report's `predictive_ability`.
#[derive(Debug, Serialize)]
pub struct Calibration {
    /// Hosmer–Lemeshow on the binning's groups; `None` where it is undefined (see the note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosmer_lemeshow: Option<Cited<HosmerLemeshow>>,
    /// Why Hosmer–Lemeshow is not computed: fewer than 3 of its quantile groups hold rows (PDs
    /// of few distinct values, a PD per grade), a group's PDs are all exactly 0 or 1, or there
    /// are fewer rows than groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosmer_lemeshow_note: Option<String>,
    /// Spiegelhalter's z; `None` where it is undefined (see the note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spiegelhalter: Option<Cited<Spiegelhalter>>,
    /// Why Spiegelhalter's z is not computed: every PD is 0, ½ or 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spiegelhalter_note: Option<String>,
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
        Self::new(
            super::hosmer_lemeshow(outcome, pd, binning, sample),
            super::spiegelhalter(outcome, pd),
            super::brier_decomposition(outcome, pd, bins)?,
            super::portfolio_jeffreys(outcome, pd)?,
        )
    }

    /// The same tests from summaries: `all` the portfolio, `bins` its groups (or grades).
    pub fn from_counts(
        all: &ScoreCounts,
        binning: Binning,
        sample: HlSample,
        bins: &[ScoreCounts],
    ) -> Result<Self> {
        Self::new(
            super::hosmer_lemeshow_of(all, binning, sample),
            super::spiegelhalter_of(all),
            super::brier_of(bins)?,
            super::jeffreys_of(all)?,
        )
    }

    /// The section from its tests; a test undefined on these PDs is left out with its note.
    fn new(
        hosmer_lemeshow: Result<HosmerLemeshow>,
        spiegelhalter: Result<Spiegelhalter>,
        brier: BrierDecomposition,
        jeffreys: PortfolioJeffreys,
    ) -> Result<Self> {
        let (hosmer_lemeshow, hosmer_lemeshow_note) = or_undefined(hosmer_lemeshow)?;
        let (spiegelhalter, spiegelhalter_note) = or_undefined(spiegelhalter)?;
        Ok(Self {
            hosmer_lemeshow: hosmer_lemeshow.map(|t| cite(t, cite::HOSMER_LEMESHOW)),
            hosmer_lemeshow_note,
            spiegelhalter: spiegelhalter.map(|t| cite(t, cite::SPIEGELHALTER)),
            spiegelhalter_note,
            brier: cite(brier, cite::BRIER),
            jeffreys: cite(jeffreys, cite::PORTFOLIO_JEFFREYS),
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
