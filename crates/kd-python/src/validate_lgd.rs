//! `kd.validate(model="lgd" | "ccf")`: an LGD or CCF model's report on a frame, the figures of
//! `kd validate --model lgd|ccf` (kd-hypotheses' `LgdDiscrimination`, `LgdPredictive` and
//! `Stability`, the program's sections): the generalised AUROC and its change since initial
//! validation, the back-tests of realised against estimated values per segment or for the
//! portfolio, the ELBE and LGD in-default back-tests, and the stability against a baseline.

use kd_core::data::Table;
use kd_core::data::columns::{ensure_within_unit, exposures, numbers};
use kd_core::quantile::Binning;
use kd_hypotheses::validation::scale::{Scale, labels};
use kd_hypotheses::validation::{
    LgdDiscrimination, LgdPredictive, OUTSIDE_UNIT, Sample, Stability, cite, initial_gauc,
};
use pyo3::prelude::*;

use super::validate::{BASELINE, initial_value};
use super::{FRAME, named_table, value_error};

/// The report of an LGD or CCF model (`model`) for the frame's estimate column `score` and
/// realised column `outcome`, as JSON shaped as `kd validate --model lgd|ccf --format json`'s;
/// `grade` (segments, ordered by `grade_order` or the mean estimate), `exposure` (EAD
/// weights), `elbe` and `lgd_in_default` (LGD only), `allow_outside_unit`, `initial_auc` and
/// `baseline` as the program's flags.
#[pyfunction]
#[pyo3(signature = (names, cells, model, score, outcome, grade, grade_order, exposure, elbe, lgd_in_default, allow_outside_unit, initial, baseline))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn validate_lgd(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    model: String,
    score: String,
    outcome: String,
    grade: Option<String>,
    grade_order: Option<Vec<String>>,
    exposure: Option<String>,
    elbe: Option<String>,
    lgd_in_default: Option<String>,
    allow_outside_unit: bool,
    initial: Option<Vec<f64>>,
    baseline: Option<(Vec<String>, Vec<Vec<String>>)>,
) -> PyResult<String> {
    let what = match model.as_str() {
        "lgd" => "an LGD",
        "ccf" if elbe.is_none() && lgd_in_default.is_none() => "a CCF",
        "ccf" => {
            return Err(value_error("invalid elbe / lgd_in_default: their back-tests are for model='lgd'"));
        }
        other => return Err(value_error(format!("invalid model: '{other}' (pd, lgd or ccf)"))),
    };
    let categorical: Vec<String> = grade.iter().cloned().collect();
    let table = named_table(FRAME, names, cells, categorical.clone())?;
    let base_table = match baseline {
        Some((names, cells)) => Some(named_table(BASELINE, names, cells, categorical)?),
        None => None,
    };
    let initial = initial_value(initial.as_deref())?;
    let hint = format!("{OUTSIDE_UNIT}: pass allow_outside_unit=True to accept such values");
    let values = |table: &Table, column: &str, rows: &[usize]| -> PyResult<Vec<f64>> {
        let x = numbers(table, column, rows).map_err(value_error)?;
        if !allow_outside_unit {
            ensure_within_unit(table, column, rows, &x, what, &hint).map_err(value_error)?;
        }
        Ok(x)
    };
    py.detach(|| {
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        let estimate = values(&table, &score, &rows)?;
        let realised = values(&table, &outcome, &rows)?;
        let weight = exposure.as_deref().map(|c| exposures(&table, c, &rows));
        let weight = weight.transpose().map_err(value_error)?;
        let base_rows: Vec<usize> = (0..base_table.as_ref().map_or(0, Table::n_rows)).collect();
        let initial = match (initial, &base_table) {
            (Some(given), _) => Some(given),
            (None, Some(base)) if base.column(&outcome).is_ok() => Some(
                initial_gauc(&values(base, &outcome, &base_rows)?, &values(base, &score, &base_rows)?)
                    .map_err(value_error)?,
            ),
            _ => None,
        };
        let graded = match &grade {
            Some(column) => {
                let labels = labels(&table, column, &rows).map_err(value_error)?;
                let scale = Scale::resolve(grade_order.as_deref(), &labels, &estimate, &table, column, &rows)
                    .map_err(value_error)?;
                let codes = scale.codes(&labels, &table, column, &rows).map_err(value_error)?;
                Some((scale, codes))
            }
            None => None,
        };
        let segments = graded.as_ref().map(|(scale, codes)| (codes.as_slice(), scale.grades.as_slice()));
        let mut predictive = LgdPredictive::from_rows(&realised, &estimate, weight.as_deref(), segments)
            .map_err(value_error)?;
        if let Some(column) = &elbe {
            let elbe = values(&table, column, &rows)?;
            predictive = predictive.with_elbe(&realised, &elbe, weight.as_deref()).map_err(value_error)?;
        }
        if let Some(column) = &lgd_in_default {
            let in_default = values(&table, column, &rows)?;
            predictive = predictive
                .with_lgd_in_default(&realised, &in_default, weight.as_deref())
                .map_err(value_error)?;
        }
        let discrimination =
            LgdDiscrimination::from_rows(&realised, &estimate, initial).map_err(value_error)?;
        let mut doc = serde_json::json!({
            "model": model,
            "instructions": cite::INSTRUCTIONS,
            "n_obs": realised.len(),
            "discriminatory_power": discrimination,
            "predictive_ability": predictive,
        });
        if let Some(base) = &base_table {
            let base_grade = match (&grade, &graded) {
                (Some(column), Some((scale, _))) => {
                    let labels = labels(base, column, &base_rows).map_err(value_error)?;
                    Some(scale.codes(&labels, base, column, &base_rows).map_err(value_error)?)
                }
                _ => None,
            };
            // The columns the validation reads as estimate, outcome and segment stay out of the CSI.
            let used = [Some(&score), Some(&outcome), grade.as_ref()];
            let skip: Vec<&str> = used.into_iter().flatten().map(String::as_str).collect();
            let current_grade = graded.as_ref().map(|(_, c)| c.as_slice());
            let current = Sample { table: &table, rows: &rows, grade: current_grade };
            let before = Sample { table: base, rows: &base_rows, grade: base_grade.as_deref() };
            let grades = graded.as_ref().map(|(scale, _)| scale.grades.len());
            let bins = Binning::r_default(10);
            let stability = Stability::against_baseline(current, before, &score, &skip, grades, bins)
                .map_err(value_error)?;
            doc["stability"] = serde_json::to_value(stability).map_err(value_error)?;
        }
        if let Some((scale, _)) = graded {
            doc["scale"] = serde_json::to_value(scale).map_err(value_error)?;
        }
        Ok(doc.to_string())
    })
}
