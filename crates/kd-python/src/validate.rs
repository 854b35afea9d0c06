//! `kd.validate`: a PD model's discriminatory power and predictive ability on a frame, the
//! figures of `kd validate`'s PD report with their formulas and references (the same library
//! functions, defaults and citations): AUROC with DeLong's interval, Gini, KS; Hosmer–Lemeshow
//! on R's quantile groups of the PDs, Spiegelhalter, the Brier decomposition on those groups,
//! the portfolio Jeffreys test; with the program's options, DeLong's comparison with a
//! challenger score, the change of the AUROC since initial validation, the ROC and CAP curves.

use kd_core::data::columns::{ensure_probabilities, exposures, numbers, outcomes};
use kd_core::quantile::{Binning, group_of};
use kd_hypotheses::validation::scale::{Scale, labels};
use kd_hypotheses::validation::{
    Calibration, Concentration, Discrimination, Graded, HlSample, Sample, Stability, cite, grade_sections,
    grade_tests, initial_auroc, overrides_of_column,
};
use pyo3::prelude::*;

use super::validate_panel::Rows;
use super::{FRAME, named_table, value_error};

/// The name a baseline frame goes by in kd's messages and in the report.
pub const BASELINE: &str = "baseline data frame";

/// The AUROC (gAUC) at initial validation from the keyword's list: `[value]` or `[value, s.e.]`.
pub fn initial_value(given: Option<&[f64]>) -> PyResult<Option<(f64, Option<f64>)>> {
    match given {
        None => Ok(None),
        Some([value, rest @ ..]) => Ok(Some((*value, rest.first().copied()))),
        Some([]) => Err(value_error(
            "initial_auc: give the AUROC at initial validation, and its standard error if known",
        )),
    }
}

/// The PD report's discriminatory power and predictive ability for the frame's PD column
/// `score` and 0/1 column `outcome` (1 = default), with `groups` Hosmer–Lemeshow groups, as
/// JSON shaped as `kd validate --model pd --format json`'s; `challenger` (a second score
/// column), `initial_auc` (`[auc]` or `[auc, s.e.]`) and `curves` as its `--challenger`,
/// `--initial-auc` and `--curves`; `grade` (a column of rating grades), `grade_order` (best
/// first), `rho` and `prudence` as its `--grade`, `--grade-order`, `--rho` and `--prudence`:
/// the per-grade tests and Pluto–Tasche bounds, and the Brier decomposition on the grades;
/// `baseline` (a second frame's names and cells, the sample at initial validation) as its
/// `--baseline`: the stability section (PSI, KS, CSI of the shared columns, the grade shift).
/// Both build the sections in the library (`kd_hypotheses::validation`).
#[pyfunction]
#[pyo3(signature = (names, cells, score, outcome, groups, challenger, initial_auc, curves, grade, grade_order, rho, prudence, baseline, exposure, override_column, date, id, calibration_target))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn validate(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    score: String,
    outcome: String,
    groups: usize,
    challenger: Option<String>,
    initial_auc: Option<Vec<f64>>,
    curves: bool,
    grade: Option<String>,
    grade_order: Option<Vec<String>>,
    rho: f64,
    prudence: f64,
    baseline: Option<(Vec<String>, Vec<Vec<String>>)>,
    exposure: Option<String>,
    override_column: Option<String>,
    date: Option<String>,
    id: Option<String>,
    calibration_target: Option<f64>,
) -> PyResult<String> {
    // Grades, override columns, dates and ids are labels even when they are numbers, as
    // `kd validate` reads them.
    let categorical: Vec<String> =
        [&grade, &override_column, &date, &id].into_iter().flatten().cloned().collect();
    let table = named_table(FRAME, names, cells, categorical.clone())?;
    let base_table = match baseline {
        Some((names, cells)) => Some(named_table(BASELINE, names, cells, categorical)?),
        None => None,
    };
    let given_initial = initial_value(initial_auc.as_deref())?;
    py.detach(|| {
        let panel = Rows::read(&table, date.as_deref(), id.as_deref())?;
        let rows = panel.current.as_slice();
        let pd = numbers(&table, &score, rows).map_err(value_error)?;
        let default = outcomes(&table, &outcome, rows).map_err(value_error)?;
        let n_defaults = default.iter().filter(|d| **d).count();
        if n_defaults == 0 || n_defaults == default.len() {
            return Err(value_error(format!(
                "invalid outcome: the column '{outcome}' holds {} in the {} rows; discriminatory power needs both",
                if n_defaults == 0 { "no defaults (1)" } else { "only defaults (1)" },
                default.len()
            )));
        }
        ensure_probabilities(&table, &score, rows, &pd, "calibration tests need PDs").map_err(value_error)?;
        // The AUROC at initial validation: given, or the baseline's when it has outcomes.
        let initial = match (given_initial, &base_table) {
            (Some(given), _) => Some(given),
            (None, Some(base)) if base.column(&outcome).is_ok() => {
                let base_rows: Vec<usize> = (0..base.n_rows()).collect();
                let base_default = outcomes(base, &outcome, &base_rows).map_err(value_error)?;
                let base_pd = numbers(base, &score, &base_rows).map_err(value_error)?;
                Some(initial_auroc(&base_default, &base_pd).map_err(value_error)?)
            }
            _ => None,
        };
        let mut discrimination = Discrimination::from_rows(&default, &pd, initial).map_err(value_error)?;
        if let Some(name) = &challenger {
            let other = numbers(&table, name, rows).map_err(value_error)?;
            discrimination =
                discrimination.with_challenger(name, &default, &pd, &other).map_err(value_error)?;
        }
        if curves {
            discrimination = discrimination.with_curves(&default, &pd).map_err(value_error)?;
        }
        let binning = Binning::r_default(groups);
        let (bins, graded) = match &grade {
            Some(column) => {
                let names = labels(&table, column, rows).map_err(value_error)?;
                let scale = Scale::resolve(grade_order.as_deref(), &names, &pd, &table, column, rows)
                    .map_err(value_error)?;
                let codes = scale.codes(&names, &table, column, rows).map_err(value_error)?;
                let tests = grade_tests(&default, &pd, &codes, &scale.grades, rho).map_err(value_error)?;
                let sections = grade_sections(tests, &scale.grades, prudence).map_err(value_error)?;
                (codes, Some((scale, sections)))
            }
            None => {
                let cuts = binning.cut_points(&pd);
                (pd.iter().map(|&p| group_of(&cuts, p)).collect(), None)
            }
        };
        let scale = graded.as_ref().map(|(scale, _)| scale);
        let base_rows: Vec<usize> = (0..base_table.as_ref().map_or(0, |b| b.n_rows())).collect();
        let base_grade = match (&base_table, &grade, scale) {
            (Some(base), Some(column), Some(scale)) => {
                let names = labels(base, column, &base_rows).map_err(value_error)?;
                Some(scale.codes(&names, base, column, &base_rows).map_err(value_error)?)
            }
            _ => None,
        };
        let mut stability = match &base_table {
            Some(base) => {
                // The columns the validation uses are left out of the CSI.
                let used = [&grade, &challenger, &override_column, &date, &id];
                let mut skip: Vec<&str> = used.into_iter().flatten().map(String::as_str).collect();
                skip.extend([score.as_str(), outcome.as_str()]);
                let current_grade = scale.map(|_| bins.as_slice());
                let current = Sample { table: &table, rows, grade: current_grade };
                let before = Sample { table: base, rows: &base_rows, grade: base_grade.as_deref() };
                Some(
                    Stability::against_baseline(
                        current,
                        before,
                        &score,
                        &skip,
                        scale.map(|s| s.grades.len()),
                        Binning::r_default(10),
                    )
                    .map_err(value_error)?,
                )
            }
            None => None,
        };
        if let (Some(column), Some(scale)) = (&grade, scale)
            && let Some((from_date, (from, to))) = panel.migration(&table, column, scale)?
        {
            let section = stability.unwrap_or_default();
            let section = section.with_migration(&from_date, &scale.grades, &from, &to);
            stability = Some(section.map_err(value_error)?);
        }
        let long_run = panel.long_run(&table, &score, &outcome, calibration_target)?;
        let concentration = match scale {
            Some(scale) => {
                let now = exposure.as_deref().map(|c| exposures(&table, c, rows));
                let now = now.transpose().map_err(value_error)?;
                let before = match (&base_table, exposure.as_deref(), &base_grade) {
                    (Some(base), Some(c), Some(_)) => {
                        Some(exposures(base, c, &base_rows).map_err(value_error)?)
                    }
                    _ => None,
                };
                let current = Graded { codes: &bins, exposure: now.as_deref() };
                let baseline =
                    base_grade.as_deref().map(|codes| Graded { codes, exposure: before.as_deref() });
                Some(Concentration::from_rows(scale.grades.len(), current, baseline).map_err(value_error)?)
            }
            None => None,
        };
        let overrides = match &override_column {
            Some(column) => {
                let model = scale.map(|scale| (scale, bins.as_slice()));
                let figure = overrides_of_column(&table, column, rows, model).map_err(value_error)?;
                Some(cite::cite(figure, cite::OVERRIDES))
            }
            None => None,
        };
        let calibration = Calibration::from_rows(&default, &pd, binning, HlSample::Validation, &bins)
            .map_err(value_error)?;
        let mut predictive = serde_json::to_value(calibration).map_err(value_error)?;
        let mut doc = serde_json::json!({
            "model": "pd",
            "instructions": cite::INSTRUCTIONS,
            "n_obs": default.len(),
            "n_defaults": n_defaults,
            "discriminatory_power": discrimination,
        });
        if let Some((scale, (tests, bounds))) = graded {
            if let Some(section) = predictive.as_object_mut() {
                section.insert("grades".into(), serde_json::to_value(tests).map_err(value_error)?);
                section.insert("pluto_tasche".into(), serde_json::to_value(bounds).map_err(value_error)?);
            }
            doc["scale"] = serde_json::to_value(scale).map_err(value_error)?;
        }
        if let Some(section) = predictive.as_object_mut() {
            if let Some(long_run) = long_run {
                section.insert("long_run".into(), serde_json::to_value(long_run).map_err(value_error)?);
            }
            if let Some(overrides) = overrides {
                section.insert("overrides".into(), serde_json::to_value(overrides).map_err(value_error)?);
            }
        }
        if let Some(latest) = panel.panel.as_ref().map(|p| p.latest()) {
            doc["date"] = serde_json::Value::String(latest.to_string());
        }
        doc["predictive_ability"] = predictive;
        if let Some(stability) = stability {
            doc["stability"] = serde_json::to_value(stability).map_err(value_error)?;
        }
        if let Some(concentration) = concentration {
            doc["concentration"] = serde_json::to_value(concentration).map_err(value_error)?;
        }
        Ok(doc.to_string())
    })
}
