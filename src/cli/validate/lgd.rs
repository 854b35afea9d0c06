//! The LGD and CCF report: discriminatory power (gAUC), predictive ability (back-tests of
//! realised against estimated values per segment and for the portfolio, ELBE and LGD in-default)
//! and stability.

use kd::core::data::Table;
use kd::hypotheses::validation::{self as v, Alternative, AucChange, Backtest, GeneralisedAuc};
use serde::Serialize;

use super::super::columns::{exposures, invalid_value, numbers};
use super::cite::{self, Cited, Rows, cite};
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

#[derive(Debug, Serialize)]
pub struct LgdDiscrimination {
    pub gauc: Cited<GeneralisedAuc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauc_change: Option<Cited<AucChange>>,
}

#[derive(Debug, Serialize)]
pub struct LgdPredictive {
    pub backtests: Cited<Rows<Backtest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elbe: Option<Cited<Backtest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lgd_in_default: Option<Cited<Backtest>>,
}

/// Values of `column` at `rows`, refused outside [0, 1] unless `--allow-outside-unit`.
fn values(args: &Args, table: &Table, column: &str, rows: &[usize]) -> anyhow::Result<Vec<f64>> {
    let x = numbers(table, column, rows)?;
    if let Some(i) = x.iter().position(|v| !(0.0..=1.0).contains(v)).filter(|_| bounded(args)) {
        let what = if args.model == Model::Lgd { "an LGD" } else { "a CCF" };
        anyhow::bail!(invalid_value(
            table,
            column,
            rows[i],
            format!(
                "{} lies outside [0, 1] for {what}; a realised LGD can exceed 1 (workout costs above \
                 recoveries) and a realised CCF can fall below 0 or exceed 1: pass --allow-outside-unit to \
                 accept such values",
                x[i]
            ),
        ));
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
    let gauc = v::generalised_auc(&realised, &estimate)?;
    let initial = match (&args.initial_auc, &inputs.baseline) {
        (Some(given), _) => Some((given[0], given.get(1).copied())),
        (None, Some(base)) if base.has_outcome => {
            let r = values(args, &base.table, &args.outcome, &base.rows)?;
            let e = values(args, &base.table, &args.score, &base.rows)?;
            let g = v::generalised_auc(&r, &e)?;
            Some((g.value, Some(g.std_error)))
        }
        _ => None,
    };
    let gauc_change = match initial {
        Some((value, se)) => {
            Some(cite(v::auc_change(gauc.value, gauc.std_error, value, se)?, cite::AUC_CHANGE))
        }
        None => None,
    };
    let backtests = match (&inputs.grade, &inputs.scale) {
        (Some(codes), Some(scale)) => v::segment_backtests(
            &realised,
            &estimate,
            weight.as_deref(),
            codes,
            &scale.grades,
            Alternative::Greater,
        )?,
        _ => vec![v::backtest("portfolio", &realised, &estimate, weight.as_deref(), Alternative::Greater)?],
    };
    let extra = |column: &Option<String>, alternative, citation| -> anyhow::Result<Option<Cited<Backtest>>> {
        match column {
            Some(c) => {
                let e = values(args, table, c, rows)?;
                Ok(Some(cite(
                    v::backtest("portfolio", &realised, &e, weight.as_deref(), alternative)?,
                    citation,
                )))
            }
            None => Ok(None),
        }
    };
    if args.model == Model::Ccf && (args.elbe.is_some() || args.lgd_in_default.is_some()) {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "--elbe / --lgd-in-default".into(),
            reason: "ELBE and LGD in-default back-tests are for --model lgd".into(),
        });
    }
    Ok(LgdReport {
        model: args.model,
        instructions: cite::INSTRUCTIONS,
        file: inputs.file(),
        date: inputs.current_date.clone(),
        n_obs: realised.len(),
        scale: inputs.scale.clone(),
        discriminatory_power: LgdDiscrimination { gauc: cite(gauc, cite::GAUC), gauc_change },
        predictive_ability: LgdPredictive {
            backtests: cite(Rows { rows: backtests }, cite::BACKTEST),
            elbe: extra(&args.elbe, Alternative::TwoSided, cite::ELBE)?,
            lgd_in_default: extra(&args.lgd_in_default, Alternative::Greater, cite::LGD_IN_DEFAULT)?,
        },
        stability: stability(args, inputs)?,
    })
}
