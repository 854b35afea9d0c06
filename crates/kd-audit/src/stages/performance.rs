//! The performance stage: how well the model under review separates and predicts the outcome on
//! each sample — discrimination (AUROC with DeLong's interval, Gini, KS; ROC and CAP),
//! calibration when its outputs are probabilities (Hosmer–Lemeshow, Spiegelhalter, the Brier
//! decomposition, a reliability curve with Jeffreys intervals), per-grade tests when grades are
//! given, and the change of AUROC from the development to the current sample; for a model of
//! more than two classes also Hand & Till's M, each class's AUROC against the others, the
//! Brier score and log loss over all classes, the multinomial Hosmer–Lemeshow test and each
//! class's reliability curve; for a regression model R², RMSE and MAE.

use kd_core::Task;
use kd_core::data::Table;
use kd_core::metrics;
use kd_core::quantile::{Binning, group_of};
use kd_hypotheses::validation::{
    self as v, Auroc, BrierDecomposition, GradeTest, HlSample, HosmerLemeshow, KolmogorovSmirnov,
    MultinomialHosmerLemeshow, Spiegelhalter,
};
use ndarray::ArrayView2;
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

use crate::error::{Result, at};
use crate::samples::{Later, Sample};
use crate::spec::Spec;

/// Points kept of a ROC or CAP curve (evenly by rank), enough for a chart and a re-check.
const CURVE_POINTS: usize = 201;

/// Discrimination of a binary model.
#[derive(Debug, Clone, Serialize)]
pub struct Discrimination {
    /// AUROC with DeLong's standard error and interval.
    pub auroc: Auroc,
    /// `2·AUROC − 1`.
    pub gini: f64,
    /// KS between the bad and good rows' scores.
    pub ks: KolmogorovSmirnov,
    /// ROC points `(false-positive rate, true-positive rate)`.
    pub roc: Vec<(f64, f64)>,
    /// CAP points `(share of rows, share of bad outcomes)`.
    pub cap: Vec<(f64, f64)>,
}

/// One bin of the reliability curve.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBin {
    /// Rows.
    pub n: usize,
    /// Mean predicted probability.
    pub mean_pd: f64,
    /// Observed rate of bad outcomes.
    pub observed: f64,
    /// Jeffreys interval of the observed rate: quantiles of `Beta(d + ½, n − d + ½)`.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
}

/// Calibration of a probability model.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// Hosmer–Lemeshow on the PD deciles (χ² with G df: a validation sample).
    pub hosmer_lemeshow: HosmerLemeshow,
    /// Spiegelhalter's z.
    pub spiegelhalter: Spiegelhalter,
    /// Brier score and its decomposition over the same groups.
    pub brier: BrierDecomposition,
    /// The reliability curve over the same groups.
    pub reliability: Vec<ReliabilityBin>,
}

/// A regression model's accuracy.
#[derive(Debug, Clone, Serialize)]
pub struct Accuracy {
    /// R² of the predictions to the target.
    pub r2: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute error.
    pub mae: f64,
}

/// Performance on one sample.
#[derive(Debug, Clone, Serialize)]
pub struct SamplePerformance {
    /// Rows.
    pub n: usize,
    /// Bad outcomes (binary).
    pub n_bad: Option<usize>,
    /// Binary models.
    pub discrimination: Option<Discrimination>,
    /// Binary models.
    pub calibration: Option<Calibration>,
    /// Why there is no calibration (PDs too few distinct values to group, …).
    pub calibration_skipped: Option<String>,
    /// Per-grade tests, when a grade column is given.
    pub grades: Option<Vec<GradeTest>>,
    /// Why there are no per-grade tests although `data.grade` is set (a current file without
    /// the grade column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades_skipped: Option<String>,
    /// Regression models.
    pub accuracy: Option<Accuracy>,
    /// A model of more than two classes, on all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every_class: Option<EveryClass>,
}

/// A model of more than two classes measured on all of them, beside its bad class against the
/// others (kd-core's metrics). An AUROC is `None` where a class has no row in the sample.
#[derive(Debug, Clone, Serialize)]
pub struct EveryClass {
    /// Hand & Till's (2001) M: the mean over every pair of classes of the AUROC of each one's
    /// probability between the two (scikit-learn's `roc_auc_score(multi_class="ovo")`).
    pub hand_till: Option<f64>,
    /// Each class's AUROC against the others, its probability as the score, in the order of
    /// the audit's `classes`.
    pub one_against_rest: Vec<Option<f64>>,
    /// The multiclass Brier score, `mean_i Σ_c (p_ic − [y_i = c])²` (kd-core's `brier_score`,
    /// scikit-learn's `brier_score_loss`): calibration and sharpness over all classes at once.
    pub brier: Option<f64>,
    /// The log loss, `−mean_i log p_{i, y_i}` (scikit-learn's `log_loss`, probabilities clipped
    /// to `[ε, 1 − ε]`).
    pub log_loss: Option<f64>,
    /// The multinomial Hosmer–Lemeshow test over `performance.hl_groups` groups of `1 − p` of
    /// the first class: Fagerland, Hosmer & Bofin's `C` on `G (k − 1)` df (conservative here)
    /// and kd-hypotheses' `T` beside it, which findings grade (`C` where `T` is undefined).
    pub calibration: Option<MultinomialHosmerLemeshow>,
    /// Why there is no such test (too few distinct probabilities to form 3 groups, a class the
    /// model gives probability 0 throughout a group); classes are numbered from 0 in the order
    /// of the audit's `classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration_skipped: Option<String>,
    /// Each class's reliability curve against the others, in the order of the audit's
    /// `classes`: its probability cut into groups by the rule of the bad class's curve, the
    /// observed share of the class in each with its Jeffreys interval.
    pub reliability: Vec<Vec<ReliabilityBin>>,
}

impl EveryClass {
    /// The figures of the outputs `probs` (`(n, k)`, one column per class) for the classes `y`.
    fn of(spec: &Spec, y: &[usize], probs: ArrayView2<'_, f64>) -> Self {
        let is = |k: usize| -> Vec<usize> { y.iter().map(|&c| usize::from(c == k)).collect() };
        let one_against_rest =
            (0..probs.ncols()).map(|k| metrics::auroc(&is(k), probs.column(k)).ok()).collect();
        let binning = Binning::r_default(spec.performance.hl_groups);
        let test = v::hosmer_lemeshow_multinomial(y, probs, binning, HlSample::Validation);
        let reliability = (0..probs.ncols())
            .map(|k| {
                let p = probs.column(k).to_vec();
                let member: Vec<bool> = y.iter().map(|&c| c == k).collect();
                let (bins, groups) = binned(binning, &p);
                reliability(&member, &p, &bins, groups, spec.performance.confidence)
            })
            .collect();
        Self {
            hand_till: metrics::auroc_hand_till(y, probs).ok(),
            one_against_rest,
            brier: metrics::brier_score(y, probs).ok(),
            log_loss: metrics::log_loss(y, probs).ok(),
            calibration_skipped: test
                .as_ref()
                .err()
                .map(|e| format!("{e} (classes numbered from 0 in the order of the audit's classes)")),
            calibration: test.ok(),
            reliability,
        }
    }
}

/// The fall of AUROC from the development to the current sample, with the one-sided test of
/// ECB (2019) §2.5.4.1 (kd-hypotheses' `auc_change`): `S = (AUC_dev − AUC_cur) / s_cur`,
/// `p = 1 − Φ(S)`.
#[derive(Debug, Clone, Serialize)]
pub struct AurocChange {
    /// AUROC on the development sample.
    pub development: f64,
    /// AUROC on the current sample.
    pub current: f64,
    /// `(AUC_dev − AUC_cur) / AUC_dev`.
    pub relative_drop: f64,
    /// `S`.
    pub statistic: f64,
    /// `1 − Φ(S)`.
    pub p_value: f64,
}

/// The stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct PerformanceReport {
    /// On the development sample.
    pub development: SamplePerformance,
    /// On the current sample.
    pub current: Option<SamplePerformance>,
    /// Development to current.
    pub auroc_change: Option<AurocChange>,
    /// Why the current sample's performance is not measured, where it has one but not enough
    /// known outcomes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_not_measured: Option<String>,
}

/// Runs the stage: on the development sample, and on the current one where its outcomes are
/// known.
pub fn run(spec: &Spec, task: Task, dev: &Sample, current: Option<&Later>) -> Result<PerformanceReport> {
    let mut development = measure(spec, task, &dev.score, &dev.outcome, &dev.table, dev.data.source_rows())?;
    development.every_class = dev.every_class().map(|(y, probs)| EveryClass::of(spec, y, probs));
    let (current, current_not_measured) = match current.map(|c| (c, c.known_scores())) {
        None => (None, None),
        Some((c, None)) => {
            let (file, target) = (c.path.display(), &spec.data.target);
            (None, Some(format!("{file} has no value in '{target}': no outcome is known yet")))
        }
        Some((_, Some((_, outcome, _))))
            if task == Task::Binary && outcome.iter().all(|&y| y == outcome[0]) =>
        {
            (None, Some(format!("its {} known outcomes are all of one class", outcome.len())))
        }
        Some((c, Some((score, outcome, source)))) => {
            let mut measured = measure(spec, task, &score, outcome, &c.table, &source)?;
            measured.every_class = c.every_class().map(|(y, probs)| EveryClass::of(spec, y, probs.view()));
            (Some(measured), None)
        }
    };
    let auroc_change =
        match (&development.discrimination, current.as_ref().and_then(|c| c.discrimination.as_ref())) {
            (Some(d), Some(c)) => {
                // A current AUROC of 1 has a standard error of 0 and cannot have fallen: no test
                // and no finding on the fall (a fall with a standard error of 0 stays an error).
                let initial = Some((d.auroc.value, Some(d.auroc.std_error)));
                let (test, _no_fall) = v::auc_change_or_note(c.auroc.value, c.auroc.std_error, initial)
                    .map_err(at("performance"))?;
                test.map(|test| AurocChange {
                    development: d.auroc.value,
                    current: c.auroc.value,
                    relative_drop: (d.auroc.value - c.auroc.value) / d.auroc.value,
                    statistic: test.statistic,
                    p_value: test.p_value,
                })
            }
            _ => None,
        };
    Ok(PerformanceReport { development, current, auroc_change, current_not_measured })
}

/// The performance of the scores `score` against `outcome` (1.0 for the bad outcome, or the
/// target's value), the rows being `source_rows` of `table` (for their grades).
fn measure(
    spec: &Spec,
    task: Task,
    score: &[f64],
    outcome: &[f64],
    table: &Table,
    source_rows: &[usize],
) -> Result<SamplePerformance> {
    let stage = "performance";
    if task == Task::Regression {
        let n = score.len() as f64;
        let mean = outcome.iter().sum::<f64>() / n;
        let ss_res: f64 = score.iter().zip(outcome).map(|(p, y)| (y - p).powi(2)).sum();
        let ss_tot: f64 = outcome.iter().map(|y| (y - mean).powi(2)).sum();
        let mae = score.iter().zip(outcome).map(|(p, y)| (y - p).abs()).sum::<f64>() / n;
        return Ok(SamplePerformance {
            n: score.len(),
            n_bad: None,
            discrimination: None,
            calibration: None,
            calibration_skipped: None,
            grades: None,
            grades_skipped: None,
            accuracy: Some(Accuracy { r2: 1.0 - ss_res / ss_tot, rmse: (ss_res / n).sqrt(), mae }),
            every_class: None,
        });
    }
    let bad: Vec<bool> = outcome.iter().map(|&y| y == 1.0).collect();
    let (auroc, ks) = v::discriminatory_power(&bad, score, spec.performance.confidence).map_err(at(stage))?;
    let points = v::curve_points(&bad, score).map_err(at(stage))?;
    let step = (points.len() as f64 / (CURVE_POINTS - 1) as f64).max(1.0);
    let kept: Vec<_> = (0..CURVE_POINTS)
        .map(|k| ((k as f64 * step).round() as usize).min(points.len() - 1))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|i| &points[i])
        .collect();
    let discrimination = Discrimination {
        auroc,
        gini: 2.0 * auroc.value - 1.0,
        ks,
        roc: kept.iter().map(|p| (p.fpr, p.tpr)).collect(),
        cap: kept.iter().map(|p| (p.population, p.tpr)).collect(),
    };
    // A statistic the scores cannot support (too few distinct PDs to group, a PD of exactly 0
    // or 1) is reported as not computed, with the reason, rather than stopping the audit.
    let (calibration, calibration_skipped) = match calibration(spec, &bad, score) {
        Ok(c) => (Some(c), None),
        Err(e) => (None, Some(e.to_string())),
    };
    // A current file may come without the grade column (its outcomes read from another
    // system than its grades); its per-grade tests are then reported as not run.
    let (grades, grades_skipped) = match &spec.data.grade {
        None => (None, None),
        Some(name) if table.column(name).is_err() => {
            (None, Some(format!("{} has no column '{name}'", table.file().display())))
        }
        Some(name) => {
            let (codes, labels) = grade_codes(table, name, source_rows).map_err(at(stage))?;
            let tests =
                v::grade_tests(&bad, score, &codes, &labels, spec.performance.rho).map_err(at(stage))?;
            (Some(tests), None)
        }
    };
    Ok(SamplePerformance {
        n: bad.len(),
        n_bad: Some(bad.iter().filter(|b| **b).count()),
        discrimination: Some(discrimination),
        calibration,
        calibration_skipped,
        grades,
        grades_skipped,
        accuracy: None,
        every_class: None,
    })
}

fn calibration(spec: &Spec, bad: &[bool], score: &[f64]) -> kd_hypotheses::Result<Calibration> {
    let groups = spec.performance.hl_groups;
    let binning = Binning::r_default(groups);
    let hosmer_lemeshow = v::hosmer_lemeshow(bad, score, binning, HlSample::Validation)?;
    let (bins, groups) = binned(binning, score);
    Ok(Calibration {
        spiegelhalter: v::spiegelhalter(bad, score)?,
        brier: v::brier_decomposition(bad, score, &bins)?,
        reliability: reliability(bad, score, &bins, groups, spec.performance.confidence),
        hosmer_lemeshow,
    })
}

/// Each value's group under `binning` (cut from `values` themselves), and how many groups.
fn binned(binning: Binning, values: &[f64]) -> (Vec<usize>, usize) {
    let cuts = binning.cut_points(values);
    (values.iter().map(|&x| group_of(&cuts, x)).collect(), cuts.len() + 1)
}

/// Mean PD, observed rate and Jeffreys interval per group.
fn reliability(
    bad: &[bool],
    pd: &[f64],
    bins: &[usize],
    groups: usize,
    confidence: f64,
) -> Vec<ReliabilityBin> {
    let tail = (1.0 - confidence) / 2.0;
    (0..groups)
        .filter_map(|g| {
            let rows: Vec<usize> = (0..bad.len()).filter(|&i| bins[i] == g).collect();
            if rows.is_empty() {
                return None;
            }
            let n = rows.len() as f64;
            let d = rows.iter().filter(|&&i| bad[i]).count() as f64;
            let beta = Beta::new(d + 0.5, n - d + 0.5).ok()?;
            Some(ReliabilityBin {
                n: rows.len(),
                mean_pd: rows.iter().map(|&i| pd[i]).sum::<f64>() / n,
                observed: d / n,
                low: if d == 0.0 { 0.0 } else { beta.inverse_cdf(tail) },
                high: if d == n { 1.0 } else { beta.inverse_cdf(1.0 - tail) },
            })
        })
        .collect()
}

/// The grade of each used row (`rows`: the dataset's rows in the file) as codes and labels.
fn grade_codes(table: &Table, name: &str, rows: &[usize]) -> kd_core::Result<(Vec<usize>, Vec<String>)> {
    let column = table.column(name)?;
    let labels: Vec<String> = column.levels().map(<[String]>::to_vec).unwrap_or_default();
    let codes = rows
        .iter()
        .map(|&r| match &column.data {
            kd_core::data::ColumnData::Categorical { codes, .. } => {
                codes[r].map(|c| c as usize).ok_or_else(|| kd_core::Error::InvalidParameter {
                    name: "data.grade".into(),
                    reason: format!(
                        "{}, line {}: the grade is missing",
                        table.file().display(),
                        table.line_of(r)
                    ),
                })
            }
            kd_core::data::ColumnData::Numeric(_) => Err(kd_core::Error::InvalidParameter {
                name: "data.grade".into(),
                reason: format!("'{name}' was not read as categories"),
            }),
        })
        .collect::<kd_core::Result<Vec<_>>>()?;
    Ok((codes, labels))
}
