//! `kd.validate`: a PD model's discriminatory power and predictive ability on a frame, the
//! figures of `kd validate`'s PD report with their formulas and references (the same library
//! functions, defaults and citations): AUROC with DeLong's interval, Gini, KS; Hosmer–Lemeshow
//! on R's quantile groups of the PDs, Spiegelhalter, the Brier decomposition on those groups,
//! the portfolio Jeffreys test; with the program's options, DeLong's comparison with a
//! challenger score, the change of the AUROC since initial validation, the ROC and CAP curves.

use kd_core::data::columns::{ensure_probabilities, numbers, outcomes};
use kd_core::quantile::{Binning, group_of};
use kd_hypotheses::validation::cite::{self, Number, cite};
use kd_hypotheses::validation::{
    self as v, HlSample, brier_decomposition, hosmer_lemeshow, portfolio_jeffreys, spiegelhalter,
};
use pyo3::prelude::*;

use super::{table, value_error};

/// The PD report's discriminatory power and predictive ability for the frame's PD column
/// `score` and 0/1 column `outcome` (1 = default), with `groups` Hosmer–Lemeshow groups, as
/// JSON shaped as `kd validate --model pd --format json`'s; `challenger` (a second score
/// column), `initial_auc` (`[auc]` or `[auc, s.e.]`) and `curves` as its `--challenger`,
/// `--initial-auc` and `--curves`.
#[pyfunction]
#[pyo3(signature = (names, cells, score, outcome, groups, challenger, initial_auc, curves))]
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
) -> PyResult<String> {
    let table = table(names, cells)?;
    py.detach(|| {
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        let pd = numbers(&table, &score, &rows).map_err(value_error)?;
        let default = outcomes(&table, &outcome, &rows).map_err(value_error)?;
        let n_defaults = default.iter().filter(|d| **d).count();
        if n_defaults == 0 || n_defaults == default.len() {
            return Err(value_error(format!(
                "invalid outcome: the column '{outcome}' holds {} in the {} rows; discriminatory power needs both",
                if n_defaults == 0 { "no defaults (1)" } else { "only defaults (1)" },
                default.len()
            )));
        }
        ensure_probabilities(&table, &score, &rows, &pd, "calibration tests need PDs").map_err(value_error)?;
        let binning = Binning::r_default(groups);
        let (auroc, ks) = v::discriminatory_power(&default, &pd, 0.95).map_err(value_error)?;
        let cuts = binning.cut_points(&pd);
        let bins: Vec<usize> = pd.iter().map(|&p| group_of(&cuts, p)).collect();
        let mut discrimination = serde_json::json!({
            "gini": cite(Number { value: 2.0 * auroc.value - 1.0 }, cite::GINI),
            "auroc": cite(auroc, cite::AUROC),
            "ks": cite(ks, cite::KS),
        });
        let options = optional_figures(&table, &rows, &default, &pd, &auroc, challenger, initial_auc, curves)?;
        if let (Some(doc), serde_json::Value::Object(options)) = (discrimination.as_object_mut(), options) {
            doc.extend(options);
        }
        let doc = serde_json::json!({
            "model": "pd",
            "instructions": cite::INSTRUCTIONS,
            "n_obs": default.len(),
            "n_defaults": n_defaults,
            "discriminatory_power": discrimination,
            "predictive_ability": {
                "hosmer_lemeshow": cite(
                    hosmer_lemeshow(&default, &pd, binning, HlSample::Validation).map_err(value_error)?,
                    cite::HOSMER_LEMESHOW,
                ),
                "spiegelhalter": cite(spiegelhalter(&default, &pd).map_err(value_error)?, cite::SPIEGELHALTER),
                "brier": cite(brier_decomposition(&default, &pd, &bins).map_err(value_error)?, cite::BRIER),
                "jeffreys": cite(portfolio_jeffreys(&default, &pd).map_err(value_error)?, cite::PORTFOLIO_JEFFREYS),
            },
        });
        Ok(doc.to_string())
    })
}

/// The discriminatory-power figures that options ask for, keyed as the program's report keys
/// them: `comparison` (DeLong's test against the `challenger` column), `auc_change` (against
/// `initial_auc`), `curves` (ROC and CAP points).
#[allow(clippy::too_many_arguments)] // the frame, the sample and the three options
fn optional_figures(
    table: &kd_core::data::Table,
    rows: &[usize],
    default: &[bool],
    pd: &[f64],
    auroc: &v::Auroc,
    challenger: Option<String>,
    initial_auc: Option<Vec<f64>>,
    curves: bool,
) -> PyResult<serde_json::Value> {
    let mut out = serde_json::Map::new();
    let json = |v: serde_json::Result<serde_json::Value>| v.map_err(value_error);
    if let Some(name) = challenger {
        let other = numbers(table, &name, rows).map_err(value_error)?;
        let test = v::delong_test(default, pd, &other).map_err(value_error)?;
        let mut figure = json(serde_json::to_value(cite(test, cite::CHALLENGER)))?;
        if let Some(doc) = figure.as_object_mut() {
            doc.insert("challenger".into(), name.into());
        }
        out.insert("comparison".into(), figure);
    }
    if let Some(initial) = initial_auc {
        let Some(&value) = initial.first() else {
            return Err(value_error(
                "initial_auc: give the AUROC at initial validation, and its standard error if known",
            ));
        };
        let change = v::auc_change(auroc.value, auroc.std_error, value, initial.get(1).copied())
            .map_err(value_error)?;
        out.insert("auc_change".into(), json(serde_json::to_value(cite(change, cite::AUC_CHANGE)))?);
    }
    if curves {
        let points = v::curve_points(default, pd).map_err(value_error)?;
        out.insert(
            "curves".into(),
            json(serde_json::to_value(cite(cite::Rows { rows: points }, cite::CURVES)))?,
        );
    }
    Ok(serde_json::Value::Object(out))
}
