//! `kd.validate`: a PD model's discriminatory power and predictive ability on a frame, the
//! figures of `kd validate`'s PD report with their formulas and references (the same library
//! functions, defaults and citations): AUROC with DeLong's interval, Gini, KS; Hosmer–Lemeshow
//! on R's quantile groups of the PDs, Spiegelhalter, the Brier decomposition on those groups,
//! the portfolio Jeffreys test.

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
/// JSON shaped as `kd validate --model pd --format json`'s.
#[pyfunction]
pub fn validate(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    score: String,
    outcome: String,
    groups: usize,
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
        let doc = serde_json::json!({
            "model": "pd",
            "instructions": cite::INSTRUCTIONS,
            "n_obs": default.len(),
            "n_defaults": n_defaults,
            "discriminatory_power": {
                "gini": cite(Number { value: 2.0 * auroc.value - 1.0 }, cite::GINI),
                "auroc": cite(auroc, cite::AUROC),
                "ks": cite(ks, cite::KS),
            },
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
