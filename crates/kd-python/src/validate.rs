//! `kd.validate`: the report of `kd validate --model pd|lgd|ccf` on data frames. The keyword
//! arguments arrive as JSON, each the namesake of a `kd validate` flag, and become
//! kd-hypotheses' `Request`; the frames become tables; the report is kd-hypotheses' `Report`,
//! the program's own (the same reading of rows, dates, ids, grades and baseline, the same
//! sections), its messages naming the keywords.

use kd_core::data::Table;
use kd_core::quantile::Grouping;
use kd_hypotheses::validation::HlSample;
use kd_hypotheses::validation::report::{Report, Request, Spelling, ValidationModel};
use pyo3::prelude::*;
use serde::Deserialize;

use super::{FRAME, named_table, value_error};

/// The name an earlier snapshot's frame goes by in kd's messages and in the report.
const PREVIOUS: &str = "previous data frame";

/// The name a baseline frame goes by in kd's messages and in the report.
const BASELINE: &str = "baseline data frame";

/// The keyword arguments of `kd.validate`, as its Python wrapper passes them (every key, as
/// JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    model: String,
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
    period_correlation: Option<f64>,
    exposure: Option<String>,
    r#override: Option<String>,
    date: Option<String>,
    id: Option<String>,
    calibration_target: Option<f64>,
    binning: String,
    hl_sample: String,
    no_calibration: bool,
    elbe: Option<String>,
    lgd_in_default: Option<String>,
    allow_outside_unit: bool,
    missing: String,
}

impl Options {
    /// The report's request, its messages naming the keywords.
    fn request(self) -> PyResult<Request> {
        let model = match self.model.as_str() {
            "pd" => ValidationModel::Pd,
            "lgd" => ValidationModel::Lgd,
            "ccf" => ValidationModel::Ccf,
            other => return Err(value_error(format!("invalid model: '{other}' (pd, lgd or ccf)"))),
        };
        let grouping = Grouping::from_name(&self.binning).ok_or_else(|| {
            value_error(format!(
                "invalid binning: '{}': expected r, sas, sas-low, sas-high or type1 … type9",
                self.binning
            ))
        })?;
        let hl_sample = match self.hl_sample.as_str() {
            "validation" => HlSample::Validation,
            "development" => HlSample::Development,
            other => {
                return Err(value_error(format!("invalid hl_sample: '{other}' (validation or development)")));
            }
        };
        let drop_missing = match self.missing.as_str() {
            "error" => false,
            "drop" => true,
            other => return Err(value_error(format!("invalid missing: '{other}' (error or drop)"))),
        };
        let initial_auc = match self.initial_auc.as_deref() {
            None => None,
            Some([value]) => Some((*value, None)),
            Some([value, std_error]) => Some((*value, Some(*std_error))),
            Some(_) => {
                return Err(value_error(
                    "initial_auc: give the AUROC at initial validation, and its standard error if known",
                ));
            }
        };
        Ok(Request {
            grade: self.grade,
            grade_order: self.grade_order,
            exposure: self.exposure,
            id: self.id,
            date: self.date,
            challenger: self.challenger,
            override_column: self.r#override,
            calibration_target: self.calibration_target,
            prudence: self.prudence,
            rho: self.rho,
            period_correlation: self.period_correlation,
            groups: self.groups,
            grouping,
            hl_sample,
            no_calibration: self.no_calibration,
            curves: self.curves,
            allow_outside_unit: self.allow_outside_unit,
            elbe: self.elbe,
            lgd_in_default: self.lgd_in_default,
            initial_auc,
            drop_missing,
            ..Request::new(model, &self.score, &self.outcome, Spelling::Keywords)
        })
    }
}

/// The report of the frame (`names`, `cells`) with the keyword arguments `options` (a JSON
/// object, [`Options`]), against the `baseline` frame when given (the sample at initial
/// validation) and migrating from the `previous` frame (an earlier snapshot with ids and
/// grades), as JSON shaped as `kd validate --format json`'s (its `file` the frame's name).
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
    let options: Options = serde_json::from_str(&options).map_err(value_error)?;
    let request = options.request()?;
    // Grades, override columns, dates and ids are labels even when they are numbers, as
    // `kd validate` reads them.
    let labels = request.label_columns();
    let table = named_table(FRAME, names, cells, labels.clone())?;
    let baseline = frame(BASELINE, baseline, &labels)?;
    let previous = frame(PREVIOUS, previous, &labels)?;
    py.detach(|| {
        let report = Report::build(&request, table, baseline, previous).map_err(value_error)?;
        serde_json::to_string(&report.document().map_err(value_error)?).map_err(value_error)
    })
}

/// A second frame (`names`, `cells`), when given, as a table that messages call `name`, the
/// `labels` columns read as labels.
fn frame(
    name: &str,
    given: Option<(Vec<String>, Vec<Vec<String>>)>,
    labels: &[String],
) -> PyResult<Option<Table>> {
    given.map(|(names, cells)| named_table(name, names, cells, labels.to_vec())).transpose()
}
