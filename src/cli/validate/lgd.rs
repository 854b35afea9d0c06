//! The LGD and CCF report: discriminatory power (gAUC), predictive ability (back-tests of
//! realised against estimated values per segment and for the portfolio, ELBE and LGD in-default)
//! and stability; the sections are kd-hypotheses' (`LgdDiscrimination`, `LgdPredictive`), this file
//! reads their columns and refuses values outside [0, 1] unless `--allow-outside-unit`.

use kd::core::data::Table;
use kd::hypotheses::validation::{
    LgdDiscrimination, LgdPredictive, OUTSIDE_UNIT, generalised_auc, initial_gauc,
};
use serde::Serialize;

use super::super::columns::{ensure_within_unit, exposures, numbers};
use super::cite;
use super::inputs::{Inputs, bounded};
use super::stability::stability;
use super::{Args, Model};
use kd::hypotheses::validation::Stability;
use kd::hypotheses::validation::scale::Scale;

/// The LGD or CCF report.
#[derive(Debug, Serialize)]
pub struct LgdReport {
    pub model: Model,
    pub instructions: &'static str,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub n_obs: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    pub discriminatory_power: LgdDiscrimination,
    pub predictive_ability: LgdPredictive,
    pub stability: Stability,
}

/// Values of `column` at `rows`, refused outside [0, 1] unless `--allow-outside-unit`.
fn values(args: &Args, table: &Table, column: &str, rows: &[usize]) -> anyhow::Result<Vec<f64>> {
    let x = numbers(table, column, rows)?;
    if bounded(args) {
        let what = if args.model == Model::Lgd { "an LGD" } else { "a CCF" };
        let hint = format!("{OUTSIDE_UNIT}: pass --allow-outside-unit to accept such values");
        ensure_within_unit(table, column, rows, &x, what, &hint)?;
    }
    Ok(x)
}

/// Builds the LGD or CCF report.
pub fn report(args: &Args, inputs: &Inputs) -> anyhow::Result<LgdReport> {
    let (table, rows) = (&inputs.table, inputs.current());
    let estimate = values(args, table, &args.score, rows)?;
    let realised = values(args, table, &args.outcome, rows)?;
    let weight = match &args.exposure {
        Some(column) => Some(exposures(table, column, rows)?),
        None => None,
    };
    let gauc = generalised_auc(&realised, &estimate)?;
    let initial = match (args.initial_given(), &inputs.baseline) {
        (Some(given), _) => Some(given),
        (None, Some(base)) if base.has_outcome => Some(initial_gauc(
            &values(args, &base.table, &args.outcome, &base.rows)?,
            &values(args, &base.table, &args.score, &base.rows)?,
        )?),
        _ => None,
    };
    let discriminatory_power = LgdDiscrimination::new(gauc, initial)?;
    let segments = inputs.grade.as_deref().zip(inputs.scale.as_ref().map(|s| s.grades.as_slice()));
    let mut predictive = LgdPredictive::from_rows(&realised, &estimate, weight.as_deref(), segments)?;
    if args.model == Model::Ccf && (args.elbe.is_some() || args.lgd_in_default.is_some()) {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "--elbe / --lgd-in-default".into(),
            reason: "ELBE and LGD in-default back-tests are for --model lgd".into(),
        });
    }
    if let Some(column) = &args.elbe {
        predictive =
            predictive.with_elbe(&realised, &values(args, table, column, rows)?, weight.as_deref())?;
    }
    if let Some(column) = &args.lgd_in_default {
        let lgd_in_default = values(args, table, column, rows)?;
        predictive = predictive.with_lgd_in_default(&realised, &lgd_in_default, weight.as_deref())?;
    }
    Ok(LgdReport {
        model: args.model,
        instructions: cite::INSTRUCTIONS,
        file: inputs.file(),
        date: inputs.current_date(),
        n_obs: realised.len(),
        scale: inputs.scale.clone(),
        discriminatory_power,
        predictive_ability: predictive,
        stability: stability(args, inputs)?,
    })
}
