//! The PD report: discriminatory power, predictive ability, stability and concentration of a
//! probability-of-default model, its sections built by `kd_hypotheses::validation` from the
//! columns the flags name.

use kd::core::quantile::group_of;
use kd::hypotheses::validation::{
    self as v, Calibration, Concentration, Discrimination, Graded, HlSample, Overrides, Predictive,
    grade_sections,
};
use serde::Serialize;

use super::super::UsageError;
use super::super::columns::{ensure_probabilities, exposures, numbers, outcomes};
use super::cite::{self, Cited, cite};
use super::inputs::Inputs;
use super::stability::stability;
use super::{Args, SampleArg};
use kd::hypotheses::validation::Stability;
use kd::hypotheses::validation::scale::Scale;

/// The PD report.
#[derive(Debug, Serialize)]
pub struct PdReport {
    pub model: &'static str,
    pub instructions: &'static str,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub n_obs: usize,
    pub n_defaults: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    pub discriminatory_power: Discrimination,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predictive_ability: Option<Predictive>,
    pub stability: Stability,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concentration: Option<Concentration>,
}

/// Builds the PD report.
pub fn report(args: &Args, inputs: &Inputs) -> anyhow::Result<PdReport> {
    let (table, rows) = (&inputs.table, inputs.current());
    let score = numbers(table, &args.score, rows)?;
    let outcome = outcomes(table, &args.outcome, rows)?;
    let defaults = v::count_defaults(&args.outcome, &outcome).map_err(|e| match e {
        // The program names the file, as it does for every refusal of its inputs.
        kd::hypotheses::Error::InvalidParameter { name, reason } => {
            anyhow::Error::new(UsageError::new(&name, format!("{}: {reason}", inputs.file())))
        }
        other => other.into(),
    })?;
    let discriminatory_power = discrimination(args, inputs, &score, &outcome)?;
    let predictive_ability = if args.no_calibration {
        None
    } else {
        ensure_probabilities(
            table,
            &args.score,
            rows,
            &score,
            "calibration tests need PDs (pass --no-calibration to skip them)",
        )?;
        Some(predictive(args, inputs, &score, &outcome)?)
    };
    Ok(PdReport {
        model: "pd",
        instructions: cite::INSTRUCTIONS,
        file: inputs.file(),
        date: inputs.current_date(),
        n_obs: outcome.len(),
        n_defaults: defaults,
        scale: inputs.scale.clone(),
        discriminatory_power,
        predictive_ability,
        stability: stability(args, inputs)?,
        concentration: concentration(args, inputs)?,
    })
}

/// The AUROC at initial validation with its standard error: given, or from the baseline.
fn initial_auc(args: &Args, inputs: &Inputs) -> anyhow::Result<Option<(f64, Option<f64>)>> {
    if let Some(given) = args.initial_given() {
        return Ok(Some(given));
    }
    match &inputs.baseline {
        Some(base) if base.has_outcome => Ok(Some(v::initial_auroc(
            &outcomes(&base.table, &args.outcome, &base.rows)?,
            &numbers(&base.table, &args.score, &base.rows)?,
        )?)),
        _ => Ok(None),
    }
}

fn discrimination(
    args: &Args,
    inputs: &Inputs,
    score: &[f64],
    outcome: &[bool],
) -> anyhow::Result<Discrimination> {
    let mut section = Discrimination::from_rows(outcome, score, initial_auc(args, inputs)?)?;
    if let Some(name) = &args.challenger {
        section = section.with_challenger(
            name,
            outcome,
            score,
            &numbers(&inputs.table, name, inputs.current())?,
        )?;
    }
    if args.curves {
        section = section.with_curves(outcome, score)?;
    }
    Ok(section)
}

fn predictive(args: &Args, inputs: &Inputs, score: &[f64], outcome: &[bool]) -> anyhow::Result<Predictive> {
    let sample = match args.hl_sample {
        SampleArg::Validation => HlSample::Validation,
        SampleArg::Development => HlSample::Development,
    };
    let bins: Vec<usize> = match &inputs.grade {
        Some(codes) => codes.clone(),
        None => {
            let cuts = args.binning(args.groups).cut_points(score);
            score.iter().map(|&s| group_of(&cuts, s)).collect()
        }
    };
    let (grades, pluto_tasche) = match (&inputs.grade, &inputs.scale) {
        (Some(codes), Some(scale)) => {
            let (tests, bounds) = grade_sections(
                v::grade_tests(outcome, score, codes, &scale.grades, args.rho)?,
                &scale.grades,
                args.prudence,
            )?;
            (Some(tests), Some(bounds))
        }
        _ => (None, None),
    };
    let long_run = match inputs.panel() {
        Some(panel) => {
            Some(panel.long_run(&inputs.table, &args.score, &args.outcome, args.calibration_target)?)
        }
        None => None,
    };
    Ok(Predictive {
        calibration: Calibration::from_rows(outcome, score, args.binning(args.groups), sample, &bins)?,
        grades,
        pluto_tasche,
        long_run,
        overrides: overrides(args, inputs)?,
    })
}

/// The override rate: a 0/1 flag column, or the final grade on the model's scale.
fn overrides(args: &Args, inputs: &Inputs) -> anyhow::Result<Option<Cited<Overrides>>> {
    let Some(column) = &args.r#override else { return Ok(None) };
    let graded = inputs.scale.as_ref().zip(inputs.grade.as_deref());
    let Some(figure) = v::overrides_of_column(&inputs.table, column, inputs.current(), graded)? else {
        anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "--override".into(),
            reason: format!("column '{column}' holds final grades, which need --grade; or give 0/1 flags"),
        });
    };
    Ok(Some(cite(figure, cite::OVERRIDES)))
}

/// The Herfindahl indices of the grades, by obligors and by exposure, against the baseline's
/// when it is graded.
fn concentration(args: &Args, inputs: &Inputs) -> anyhow::Result<Option<Concentration>> {
    let (Some(scale), Some(codes)) = (&inputs.scale, &inputs.grade) else { return Ok(None) };
    let exposure = match &args.exposure {
        Some(column) => Some(exposures(&inputs.table, column, inputs.current())?),
        None => None,
    };
    let base = inputs.baseline.as_ref().and_then(|b| b.grade.as_ref().map(|codes| (b, codes)));
    let base_exposure = match (&args.exposure, base) {
        (Some(column), Some((b, _))) => Some(exposures(&b.table, column, &b.rows)?),
        _ => None,
    };
    let current = Graded { codes, exposure: exposure.as_deref() };
    let baseline = base.map(|(_, codes)| Graded { codes, exposure: base_exposure.as_deref() });
    Ok(Some(Concentration::from_rows(scale.grades.len(), current, baseline)?))
}
