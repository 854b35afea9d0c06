//! [`LgdReport`]: an LGD or CCF model's report — the generalised AUROC and its change since
//! initial validation, the back-tests of realised against estimated values per segment or for
//! the portfolio (with the ELBE and LGD in-default back-tests of an LGD model), and stability —
//! built from the [`Inputs`] the [`Request`] names.

use kd_core::data::Table;
use kd_core::data::columns::{ensure_within_unit, exposures, numbers};
use serde::Serialize;

use super::inputs::Inputs;
use super::request::{Request, ValidationModel};
use super::stability::stability;
use crate::error::Result;
use crate::validation::cite;
use crate::validation::scale::Scale;
use crate::validation::{LgdDiscrimination, LgdPredictive, OUTSIDE_UNIT, Stability, initial_gauc};

/// The LGD or CCF report, as `kd validate --model lgd|ccf --format json` writes it.
#[derive(Debug, Serialize)]
pub struct LgdReport {
    /// LGD or CCF.
    pub model: ValidationModel,
    /// The instructions the report follows.
    pub instructions: &'static str,
    /// The data's name.
    pub file: String,
    /// The current sample's date, with dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Facilities validated.
    pub n_obs: usize,
    /// The segments, with a grade column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// Discriminatory power.
    pub discriminatory_power: LgdDiscrimination,
    /// Predictive ability.
    pub predictive_ability: LgdPredictive,
    /// Stability.
    pub stability: Stability,
}

/// Values of `column` at `rows`, refused outside [0, 1] unless the request allows them.
fn values(request: &Request, table: &Table, column: &str, rows: &[usize]) -> Result<Vec<f64>> {
    let x = numbers(table, column, rows)?;
    if request.bounded() {
        let what = if request.model == ValidationModel::Lgd { "an LGD" } else { "a CCF" };
        let hint = format!(
            "{OUTSIDE_UNIT}: pass {} to accept such values",
            request.spelling.switch("allow_outside_unit")
        );
        ensure_within_unit(table, column, rows, &x, what, &hint)?;
    }
    Ok(x)
}

impl LgdReport {
    /// The report of `inputs` for `request`.
    ///
    /// # Errors
    /// Values outside [0, 1] unless allowed; a column the request names that is missing or not
    /// numeric; a negative exposure.
    pub fn build(request: &Request, inputs: &Inputs) -> Result<Self> {
        let (table, rows) = (&inputs.table, inputs.current());
        let estimate = values(request, table, &request.score, rows)?;
        let realised = values(request, table, &request.outcome, rows)?;
        let weight = match &request.exposure {
            Some(column) => Some(exposures(table, column, rows)?),
            None => None,
        };
        let initial = match (request.initial_auc, &inputs.baseline) {
            (Some(given), _) => (Some(given), None),
            (None, Some(base)) if base.has_outcome => initial_gauc(
                &values(request, &base.table, &request.outcome, &base.rows)?,
                &values(request, &base.table, &request.score, &base.rows)?,
            )?,
            _ => (None, None),
        };
        let discriminatory_power = LgdDiscrimination::from_rows(&realised, &estimate, initial)?;
        let segments = inputs.grade.as_deref().zip(inputs.scale.as_ref().map(|s| s.grades.as_slice()));
        let mut predictive = LgdPredictive::from_rows(&realised, &estimate, weight.as_deref(), segments)?;
        if let Some(column) = &request.elbe {
            let elbe = values(request, table, column, rows)?;
            predictive = predictive.with_elbe(&realised, &elbe, weight.as_deref())?;
        }
        if let Some(column) = &request.lgd_in_default {
            let lgd_in_default = values(request, table, column, rows)?;
            predictive = predictive.with_lgd_in_default(&realised, &lgd_in_default, weight.as_deref())?;
        }
        Ok(LgdReport {
            model: request.model,
            instructions: cite::INSTRUCTIONS,
            file: inputs.file(),
            date: inputs.current_date(),
            n_obs: realised.len(),
            scale: inputs.scale.clone(),
            discriminatory_power,
            predictive_ability: predictive,
            stability: stability(request, inputs)?,
        })
    }
}
