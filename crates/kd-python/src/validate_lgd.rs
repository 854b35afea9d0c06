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
    LgdDiscrimination, LgdPredictive, OUTSIDE_UNIT, Sample, Stability, cite, generalised_auc, initial_gauc,
};
use pyo3::PyResult;
use serde::Deserialize;

use super::validate::{every_row, initial_value, json};
use super::value_error;

/// The keyword arguments of `kd.validate` for an LGD or CCF model, as its Python wrapper passes
/// them (every key, as JSON), each the namesake of a `kd validate` flag.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LgdOptions {
    model: String,
    score: String,
    outcome: String,
    /// The segment column, read as labels.
    pub(crate) grade: Option<String>,
    grade_order: Option<Vec<String>>,
    exposure: Option<String>,
    elbe: Option<String>,
    lgd_in_default: Option<String>,
    allow_outside_unit: bool,
    initial_auc: Option<Vec<f64>>,
}

impl LgdOptions {
    /// The model in the words of a refusal ("an LGD"), after checking the model's options.
    pub fn what(&self) -> PyResult<&'static str> {
        match self.model.as_str() {
            "lgd" => Ok("an LGD"),
            "ccf" if self.elbe.is_none() && self.lgd_in_default.is_none() => Ok("a CCF"),
            "ccf" => Err(value_error("invalid elbe / lgd_in_default: their back-tests are for model='lgd'")),
            other => Err(value_error(format!("invalid model: '{other}' (pd, lgd or ccf)"))),
        }
    }

    /// `column` at `rows`, refused outside [0, 1] unless `allow_outside_unit`.
    fn values(&self, table: &Table, column: &str, rows: &[usize]) -> PyResult<Vec<f64>> {
        let x = numbers(table, column, rows).map_err(value_error)?;
        if !self.allow_outside_unit {
            let hint = format!("{OUTSIDE_UNIT}: pass allow_outside_unit=True to accept such values");
            ensure_within_unit(table, column, rows, &x, self.what()?, &hint).map_err(value_error)?;
        }
        Ok(x)
    }
}

/// The LGD or CCF report of `table` with `o`, against `base` when given, as JSON shaped as
/// `kd validate --model lgd|ccf --format json`'s.
pub fn report(table: &Table, base: Option<&Table>, o: &LgdOptions) -> PyResult<serde_json::Value> {
    let rows = every_row(table);
    let estimate = o.values(table, &o.score, &rows)?;
    let realised = o.values(table, &o.outcome, &rows)?;
    let weight =
        o.exposure.as_deref().map(|c| exposures(table, c, &rows)).transpose().map_err(value_error)?;
    let gauc = generalised_auc(&realised, &estimate).map_err(value_error)?;
    let initial = match (initial_value(o.initial_auc.as_deref())?, base) {
        (Some(given), _) => Some(given),
        (None, Some(base)) if base.column(&o.outcome).is_ok() => {
            let base_rows = every_row(base);
            let (r, e) = (o.values(base, &o.outcome, &base_rows)?, o.values(base, &o.score, &base_rows)?);
            Some(initial_gauc(&r, &e).map_err(value_error)?)
        }
        _ => None,
    };
    let discrimination = LgdDiscrimination::new(gauc, initial).map_err(value_error)?;
    let graded = match &o.grade {
        Some(column) => {
            let labels = labels(table, column, &rows).map_err(value_error)?;
            let scale = Scale::resolve(o.grade_order.as_deref(), &labels, &estimate, table, column, &rows)
                .map_err(value_error)?;
            let codes = scale.codes(&labels, table, column, &rows).map_err(value_error)?;
            Some((scale, codes))
        }
        None => None,
    };
    let segments = graded.as_ref().map(|(scale, codes)| (codes.as_slice(), scale.grades.as_slice()));
    let mut predictive =
        LgdPredictive::from_rows(&realised, &estimate, weight.as_deref(), segments).map_err(value_error)?;
    if let Some(column) = &o.elbe {
        let elbe = o.values(table, column, &rows)?;
        predictive = predictive.with_elbe(&realised, &elbe, weight.as_deref()).map_err(value_error)?;
    }
    if let Some(column) = &o.lgd_in_default {
        let in_default = o.values(table, column, &rows)?;
        predictive =
            predictive.with_lgd_in_default(&realised, &in_default, weight.as_deref()).map_err(value_error)?;
    }
    let mut doc = serde_json::json!({
        "model": o.model,
        "instructions": cite::INSTRUCTIONS,
        "n_obs": realised.len(),
        "discriminatory_power": discrimination,
        "predictive_ability": predictive,
    });
    if let Some(base) = base {
        let base_rows = every_row(base);
        let base_grade = match (&o.grade, &graded) {
            (Some(column), Some((scale, _))) => {
                let labels = labels(base, column, &base_rows).map_err(value_error)?;
                Some(scale.codes(&labels, base, column, &base_rows).map_err(value_error)?)
            }
            _ => None,
        };
        // The estimate, outcome and segment columns stay out of the CSI, as in `kd validate`.
        let skip: Vec<&str> = [Some(&o.score), Some(&o.outcome), o.grade.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let current =
            Sample { table, rows: &rows, grade: graded.as_ref().map(|(_, codes)| codes.as_slice()) };
        let before = Sample { table: base, rows: &base_rows, grade: base_grade.as_deref() };
        let grades = graded.as_ref().map(|(scale, _)| scale.grades.len());
        let stability =
            Stability::against_baseline(current, before, &o.score, &skip, grades, Binning::r_default(10))
                .map_err(value_error)?;
        doc["stability"] = json(stability)?;
    }
    if let Some((scale, _)) = graded {
        doc["scale"] = json(scale)?;
    }
    Ok(doc)
}
