//! `kd.validate`: one binding for every model (the keyword arguments arrive as JSON naming it;
//! the LGD and CCF report is `validate_lgd.rs`'s) and here the PD model's: `kd validate --model
//! pd`'s report on a frame, every section built by kd-hypotheses as the program builds it (the
//! same library functions, defaults and citations): discriminatory power (AUROC with DeLong's
//! interval, Gini, KS; the challenger's DeLong test, the change since initial validation, the
//! ROC and CAP curves), predictive ability (Hosmer–Lemeshow, Spiegelhalter, Brier, Jeffreys; per
//! grade the binomial, Jeffreys and traffic-light tests and Pluto–Tasche's bounds; the long-run
//! average over the cohorts; the override rate), stability against a baseline frame with the
//! migration from an earlier snapshot or the previous date, and concentration.

use kd_core::data::Table;
use kd_core::data::columns::{ensure_probabilities, exposures, numbers, outcomes};
use kd_core::quantile::{Binning, Grouping, group_of};
use kd_hypotheses::validation::panel::SampleRows;
use kd_hypotheses::validation::scale::{Scale, labels};
use kd_hypotheses::validation::{
    Calibration, Concentration, Discrimination, Graded, HlSample, Predictive, Sample, Stability, cite,
    count_defaults, grade_sections, grade_tests, initial_auroc, overrides_of_column,
};
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

use super::validate_lgd::{LgdOptions, report as lgd_report};
use super::{FRAME, named_table, value_error};

/// The name an earlier snapshot's frame goes by in kd's messages and in the report.
const PREVIOUS: &str = "previous data frame";

/// The name a baseline frame goes by in kd's messages and in the report.
const BASELINE: &str = "baseline data frame";

/// The keyword arguments of `kd.validate` for a PD model, as its Python wrapper passes them
/// (every key, as JSON, beside `"model": "pd"`), each the namesake of a `kd validate` flag.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PdOptions {
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
    exposure: Option<String>,
    r#override: Option<String>,
    date: Option<String>,
    id: Option<String>,
    calibration_target: Option<f64>,
    binning: String,
    hl_sample: String,
    no_calibration: bool,
}

impl PdOptions {
    /// The quantile groups of `groups` by the grouping `binning` names.
    fn binning(&self, groups: usize) -> PyResult<Binning> {
        let grouping = Grouping::from_name(&self.binning).ok_or_else(|| {
            value_error(format!(
                "invalid binning: '{}': expected r, sas, sas-low, sas-high or type1 … type9",
                self.binning
            ))
        })?;
        Ok(Binning { groups, grouping })
    }

    /// Whether Hosmer–Lemeshow's sample is the validation sample (χ² on G df) or the
    /// development one (G − 2).
    fn hl_sample(&self) -> PyResult<HlSample> {
        match self.hl_sample.as_str() {
            "validation" => Ok(HlSample::Validation),
            "development" => Ok(HlSample::Development),
            other => Err(value_error(format!("invalid hl_sample: '{other}' (validation or development)"))),
        }
    }

    /// Refuses what `kd validate`'s flags refuse: a target or a confidence outside (0, 1), an
    /// asset correlation outside [0, 1).
    fn check(&self) -> PyResult<()> {
        let open = |name: &str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(value_error(format!("invalid {name}: {v} is not strictly between 0 and 1")))
            }
        };
        if let Some(target) = self.calibration_target {
            open("calibration_target", target)?;
        }
        open("prudence", self.prudence)?;
        if !(0.0..1.0).contains(&self.rho) {
            return Err(value_error(format!("invalid rho: {} is not in [0, 1)", self.rho)));
        }
        Ok(())
    }
}

/// The report of the frame (`names`, `cells`) for the model `options` names (a JSON object:
/// `"model"` with [`PdOptions`] or, for `"lgd"` and `"ccf"`, `LgdOptions`), against the
/// `baseline` frame when given (the sample at initial validation) and, for a PD model's
/// migration matrix, the `previous` frame (an earlier snapshot with ids and grades), as JSON
/// shaped as `kd validate --model pd|lgd|ccf --format json`'s.
#[pyfunction]
#[pyo3(signature = (names, cells, options, baseline, previous))]
pub fn validate(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    options: String,
    baseline: Option<(Vec<String>, Vec<Vec<String>>)>,
    previous: Option<(Vec<String>, Vec<Vec<String>>)>,
) -> PyResult<String> {
    let options: serde_json::Value = serde_json::from_str(&options).map_err(value_error)?;
    let doc = match options.get("model").and_then(serde_json::Value::as_str) {
        Some("pd") => {
            let mut options = options;
            if let Some(keys) = options.as_object_mut() {
                keys.remove("model");
            }
            let o: PdOptions = serde_json::from_value(options).map_err(value_error)?;
            o.check()?;
            // Grades, override columns, dates and ids are labels even when they are numbers, as
            // `kd validate` reads them.
            let categorical: Vec<String> =
                [&o.grade, &o.r#override, &o.date, &o.id].into_iter().flatten().cloned().collect();
            let table = named_table(FRAME, names, cells, categorical.clone())?;
            let base = frame(BASELINE, baseline, &categorical)?;
            let previous = frame(PREVIOUS, previous, &categorical)?;
            py.detach(|| report(&table, base.as_ref(), previous.as_ref(), &o))?
        }
        Some("lgd" | "ccf") => {
            let o: LgdOptions = serde_json::from_value(options).map_err(value_error)?;
            o.what()?;
            if previous.is_some() {
                return Err(value_error("invalid previous: a migration matrix is for model='pd'"));
            }
            let categorical: Vec<String> = o.grade.iter().cloned().collect();
            let table = named_table(FRAME, names, cells, categorical.clone())?;
            let base = frame(BASELINE, baseline, &categorical)?;
            py.detach(|| lgd_report(&table, base.as_ref(), &o))?
        }
        other => {
            let model = other.unwrap_or("none");
            return Err(value_error(format!("invalid model: '{model}' (pd, lgd or ccf)")));
        }
    };
    Ok(doc.to_string())
}

/// A second frame (`names`, `cells`), when given, as a table that messages call `name`, the
/// `categorical` columns read as labels.
fn frame(
    name: &str,
    given: Option<(Vec<String>, Vec<Vec<String>>)>,
    categorical: &[String],
) -> PyResult<Option<Table>> {
    given.map(|(names, cells)| named_table(name, names, cells, categorical.to_vec())).transpose()
}

/// The AUROC (gAUC) at initial validation from the keyword's list: `[value]` or `[value, s.e.]`.
pub fn initial_value(given: Option<&[f64]>) -> PyResult<Option<(f64, Option<f64>)>> {
    match given {
        None => Ok(None),
        Some([value]) => Ok(Some((*value, None))),
        Some([value, std_error]) => Ok(Some((*value, Some(*std_error)))),
        Some(_) => Err(value_error(
            "initial_auc: give the AUROC at initial validation, and its standard error if known",
        )),
    }
}

/// Every row of a frame.
pub fn every_row(table: &Table) -> Vec<usize> {
    (0..table.n_rows()).collect()
}

/// `value` as JSON, its error a Python `ValueError`.
pub fn json(value: impl Serialize) -> PyResult<serde_json::Value> {
    serde_json::to_value(value).map_err(value_error)
}

/// The rating scale of the current rows and their grades.
struct GradedRows {
    scale: Scale,
    codes: Vec<usize>,
}

fn report(
    table: &Table,
    base: Option<&Table>,
    previous: Option<&Table>,
    o: &PdOptions,
) -> PyResult<serde_json::Value> {
    let panel =
        SampleRows::read(table, every_row(table), o.date.as_deref(), o.id.as_deref()).map_err(value_error)?;
    let rows = panel.current();
    let pd = numbers(table, &o.score, rows).map_err(value_error)?;
    let default = outcomes(table, &o.outcome, rows).map_err(value_error)?;
    let n_defaults = count_defaults(&o.outcome, &default).map_err(value_error)?;
    if !o.no_calibration {
        let hint = "calibration tests need PDs (pass no_calibration=True to skip them)";
        ensure_probabilities(table, &o.score, rows, &pd, hint).map_err(value_error)?;
    }
    let graded = match &o.grade {
        Some(column) => Some(grades(table, column, rows, &pd, o)?),
        None => None,
    };
    let base_grade = match (base, &o.grade, &graded) {
        (Some(base), Some(column), Some(g)) => {
            let base_rows = every_row(base);
            let labels = labels(base, column, &base_rows).map_err(value_error)?;
            Some(g.scale.codes(&labels, base, column, &base_rows).map_err(value_error)?)
        }
        _ => None,
    };
    let mut doc = serde_json::json!({
        "model": "pd",
        "instructions": cite::INSTRUCTIONS,
        "n_obs": default.len(),
        "n_defaults": n_defaults,
        "discriminatory_power": discrimination(table, base, o, rows, &default, &pd)?,
    });
    if let Some(latest) = panel.panel().map(|p| p.latest()) {
        doc["date"] = json(latest.to_string())?;
    }
    if let Some(g) = &graded {
        doc["scale"] = json(&g.scale)?;
    }
    if !o.no_calibration {
        doc["predictive_ability"] = json(predictive(table, o, &panel, &default, &pd, graded.as_ref())?)?;
    }
    let current_grade = graded.as_ref().map(|g| (&g.scale, g.codes.as_slice()));
    if previous.is_some() && (o.id.is_none() || o.grade.is_none()) {
        return Err(value_error("invalid previous: a migration matrix needs id and grade"));
    }
    let frames = (base, previous);
    if let Some(stability) = stability(table, frames, o, &panel, current_grade, base_grade.as_deref())? {
        doc["stability"] = json(stability)?;
    }
    if let Some(g) = &graded {
        let now =
            o.exposure.as_deref().map(|c| exposures(table, c, rows)).transpose().map_err(value_error)?;
        let before = match (base, &o.exposure, &base_grade) {
            (Some(base), Some(c), Some(_)) => {
                Some(exposures(base, c, &every_row(base)).map_err(value_error)?)
            }
            _ => None,
        };
        let current = Graded { codes: &g.codes, exposure: now.as_deref() };
        let baseline = base_grade.as_deref().map(|codes| Graded { codes, exposure: before.as_deref() });
        doc["concentration"] =
            json(Concentration::from_rows(g.scale.grades.len(), current, baseline).map_err(value_error)?)?;
    }
    Ok(doc)
}

/// AUROC, Gini and KS, with the change since initial validation (given, or the baseline's
/// AUROC when it has outcomes), the challenger's test and the curves as asked.
fn discrimination(
    table: &Table,
    base: Option<&Table>,
    o: &PdOptions,
    rows: &[usize],
    default: &[bool],
    pd: &[f64],
) -> PyResult<Discrimination> {
    let initial = match (initial_value(o.initial_auc.as_deref())?, base) {
        (Some(given), _) => Some(given),
        (None, Some(base)) if base.column(&o.outcome).is_ok() => {
            let base_rows = every_row(base);
            let base_default = outcomes(base, &o.outcome, &base_rows).map_err(value_error)?;
            let base_pd = numbers(base, &o.score, &base_rows).map_err(value_error)?;
            Some(initial_auroc(&base_default, &base_pd).map_err(value_error)?)
        }
        _ => None,
    };
    let mut section = Discrimination::from_rows(default, pd, initial).map_err(value_error)?;
    if let Some(name) = &o.challenger {
        let other = numbers(table, name, rows).map_err(value_error)?;
        section = section.with_challenger(name, default, pd, &other).map_err(value_error)?;
    }
    if o.curves {
        section = section.with_curves(default, pd).map_err(value_error)?;
    }
    Ok(section)
}

/// The scale of the current rows' grades (given order, numeric, or by mean PD) and their codes.
fn grades(table: &Table, column: &str, rows: &[usize], pd: &[f64], o: &PdOptions) -> PyResult<GradedRows> {
    let names = labels(table, column, rows).map_err(value_error)?;
    let scale =
        Scale::resolve(o.grade_order.as_deref(), &names, pd, table, column, rows).map_err(value_error)?;
    let codes = scale.codes(&names, table, column, rows).map_err(value_error)?;
    Ok(GradedRows { scale, codes })
}

/// Predictive ability: Hosmer–Lemeshow and Brier on the grades (else on quantile groups of the
/// PDs), Spiegelhalter and Jeffreys; with grades the per-grade tests and Pluto–Tasche's bounds;
/// with dates the long-run average; with an override column the override rate.
fn predictive(
    table: &Table,
    o: &PdOptions,
    panel: &SampleRows,
    default: &[bool],
    pd: &[f64],
    graded: Option<&GradedRows>,
) -> PyResult<Predictive> {
    let rows = panel.current();
    let binning = o.binning(o.groups)?;
    let bins: Vec<usize> = match graded {
        Some(g) => g.codes.clone(),
        None => {
            let cuts = binning.cut_points(pd);
            pd.iter().map(|&p| group_of(&cuts, p)).collect()
        }
    };
    let calibration =
        Calibration::from_rows(default, pd, binning, o.hl_sample()?, &bins).map_err(value_error)?;
    let mut section =
        Predictive { calibration, grades: None, pluto_tasche: None, long_run: None, overrides: None };
    if let Some(g) = graded {
        let tests = grade_tests(default, pd, &g.codes, &g.scale.grades, o.rho).map_err(value_error)?;
        let (tests, bounds) = grade_sections(tests, &g.scale.grades, o.prudence).map_err(value_error)?;
        (section.grades, section.pluto_tasche) = (Some(tests), Some(bounds));
    }
    if let Some(dates) = panel.panel() {
        let long_run = dates.long_run(table, &o.score, &o.outcome, o.calibration_target);
        section.long_run = Some(long_run.map_err(value_error)?);
    }
    if let Some(column) = &o.r#override {
        let model = graded.map(|g| (&g.scale, g.codes.as_slice()));
        let Some(figure) = overrides_of_column(table, column, rows, model).map_err(value_error)? else {
            return Err(value_error(format!(
                "invalid override: column '{column}' holds final grades, which need grade=; or give 0/1 flags"
            )));
        };
        section.overrides = Some(cite::cite(figure, cite::OVERRIDES));
    }
    Ok(section)
}

/// The stability section: against the baseline (PSI, KS, CSI of the columns the validation
/// does not use, the grade shift) and the migration from the previous snapshot or the panel's
/// previous date; `None` with neither. `frames` are the baseline and the previous snapshot.
fn stability(
    table: &Table,
    (base, previous): (Option<&Table>, Option<&Table>),
    o: &PdOptions,
    panel: &SampleRows,
    graded: Option<(&Scale, &[usize])>,
    base_grade: Option<&[usize]>,
) -> PyResult<Option<Stability>> {
    let mut section = match base {
        Some(base) => {
            let used = [&o.grade, &o.challenger, &o.r#override, &o.date, &o.id];
            let mut skip: Vec<&str> = used.into_iter().flatten().map(String::as_str).collect();
            skip.extend([o.score.as_str(), o.outcome.as_str()]);
            let current = Sample { table, rows: panel.current(), grade: graded.map(|(_, codes)| codes) };
            let base_rows = every_row(base);
            let before = Sample { table: base, rows: &base_rows, grade: base_grade };
            let grades = graded.map(|(scale, _)| scale.grades.len());
            let bins = o.binning(10)?;
            Some(
                Stability::against_baseline(current, before, &o.score, &skip, grades, bins)
                    .map_err(value_error)?,
            )
        }
        None => None,
    };
    let earlier_rows = previous.map(every_row);
    let earlier = previous
        .zip(o.id.as_deref())
        .zip(earlier_rows.as_deref())
        .map(|((t, id), rows)| (PREVIOUS, t, id, rows));
    if let (Some(column), Some((scale, codes))) = (&o.grade, graded)
        && let Some((source, (from, to))) =
            panel.migration(table, column, scale, codes, earlier).map_err(value_error)?
    {
        let with = section.unwrap_or_default().with_migration(&source, &scale.grades, &from, &to);
        section = Some(with.map_err(value_error)?);
    }
    Ok(section)
}
