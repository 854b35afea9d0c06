//! The PD report: discriminatory power, predictive ability, stability and concentration of a
//! probability-of-default model.

use kd::core::quantile::group_of;
use kd::hypotheses::validation::{
    self as v, Bounds, Calibration, Discrimination, GradeTest, HerfindahlTest, HlSample, LongRunAverage,
    Overrides, grade_sections,
};
use serde::Serialize;

use super::super::UsageError;
use super::super::columns::{ensure_probabilities, invalid_value, numbers, outcomes};
use super::cite::{self, Cited, Rows, cite};
use super::inputs::Inputs;
use super::stability::stability;
use super::{Args, SampleArg};
use kd::hypotheses::validation::Stability;
use kd::hypotheses::validation::scale::{Scale, labels};

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

#[derive(Debug, Serialize)]
pub struct Predictive {
    #[serde(flatten)]
    pub calibration: Calibration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades: Option<Cited<Rows<GradeTest>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pluto_tasche: Option<Cited<Bounds>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_run: Option<Cited<LongRunAverage>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Cited<Overrides>>,
}

#[derive(Debug, Serialize)]
pub struct Concentration {
    pub obligors: Cited<Herfindahl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Cited<Herfindahl>>,
}

/// The Herfindahl index now, with the test against the baseline when there is one.
#[derive(Debug, Serialize)]
pub struct Herfindahl {
    #[serde(flatten)]
    pub index: v::Herfindahl,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<HerfindahlTest>,
}

/// Builds the PD report.
pub fn report(args: &Args, inputs: &Inputs) -> anyhow::Result<PdReport> {
    let (table, rows) = (&inputs.table, inputs.current());
    let score = numbers(table, &args.score, rows)?;
    let outcome = outcomes(table, &args.outcome, rows)?;
    let defaults = outcome.iter().filter(|y| **y).count();
    if defaults == 0 || defaults == outcome.len() {
        let (held, lacks) = if defaults == 0 {
            ("no defaults (1)", "defaults")
        } else {
            ("only defaults (1)", "non-defaults")
        };
        anyhow::bail!(UsageError::new(
            "outcome",
            format!(
                "{}: the column '{}' holds {held} in the {} rows validated; discriminatory power needs {lacks} too",
                inputs.file(),
                args.outcome,
                outcome.len()
            )
        ));
    }
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
        date: inputs.current_date.clone(),
        n_obs: outcome.len(),
        n_defaults: outcome.iter().filter(|y| **y).count(),
        scale: inputs.scale.clone(),
        discriminatory_power,
        predictive_ability,
        stability: stability(args, inputs)?,
        concentration: concentration(args, inputs)?,
    })
}

/// The AUROC at initial validation with its standard error: given, or from the baseline.
fn initial_auc(args: &Args, inputs: &Inputs) -> anyhow::Result<Option<(f64, Option<f64>)>> {
    if let Some(given) = &args.initial_auc {
        return Ok(Some((given[0], given.get(1).copied())));
    }
    match &inputs.baseline {
        Some(base) if base.has_outcome => {
            let y = outcomes(&base.table, &args.outcome, &base.rows)?;
            let s = numbers(&base.table, &args.score, &base.rows)?;
            let auc = v::auroc_delong(&y, &s, 0.95)?;
            Ok(Some((auc.value, Some(auc.std_error))))
        }
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
    let long_run = match &inputs.cohorts {
        Some(cohorts) => {
            let all_score = numbers(&inputs.table, &args.score, &inputs.all)?;
            let all_outcome = outcomes(&inputs.table, &args.outcome, &inputs.all)?;
            ensure_probabilities(&inputs.table, &args.score, &inputs.all, &all_score, "cohort PDs")?;
            let lra = v::long_run_average(
                &all_outcome,
                &all_score,
                &cohorts.of_row,
                &cohorts.labels,
                args.calibration_target,
            )?;
            Some(cite(lra, cite::LONG_RUN))
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
    let (table, rows) = (&inputs.table, inputs.current());
    let final_labels = labels(table, column, rows)?;
    let flags = final_labels.iter().all(|l| l == "0" || l == "1");
    let is_grade = |l: &String| inputs.scale.as_ref().is_some_and(|s| s.grades.contains(l));
    let figure = match (&inputs.scale, &inputs.grade) {
        (Some(scale), Some(model)) if !flags || final_labels.iter().all(is_grade) => {
            v::overrides_by_grade(model, &scale.codes(&final_labels, table, column, rows)?)?
        }
        _ if flags => v::overrides_by_flag(&final_labels.iter().map(|l| l == "1").collect::<Vec<_>>())?,
        _ => anyhow::bail!(kd::core::Error::InvalidParameter {
            name: "--override".into(),
            reason: format!("column '{column}' holds final grades, which need --grade; or give 0/1 flags"),
        }),
    };
    Ok(Some(cite(figure, cite::OVERRIDES)))
}

fn concentration(args: &Args, inputs: &Inputs) -> anyhow::Result<Option<Concentration>> {
    let (Some(scale), Some(grade)) = (&inputs.scale, &inputs.grade) else { return Ok(None) };
    let k = scale.grades.len();
    let sum_by_grade = |codes: &[usize], weight: Option<&[f64]>| {
        let mut w = vec![0.0; k];
        for (i, &g) in codes.iter().enumerate() {
            w[g] += weight.map_or(1.0, |x| x[i]);
        }
        w
    };
    let figure = |current: Vec<f64>, initial: Option<Vec<f64>>| -> anyhow::Result<Herfindahl> {
        Ok(Herfindahl {
            index: v::herfindahl(&current)?,
            test: initial.map(|i| v::herfindahl_test(&current, &i)).transpose()?,
        })
    };
    let base = inputs.baseline.as_ref().and_then(|b| b.grade.as_ref().map(|g| (b, g)));
    let obligors = figure(sum_by_grade(grade, None), base.map(|(_, g)| sum_by_grade(g, None)))?;
    let exposure = match &args.exposure {
        Some(column) => {
            let now = nonnegative(&inputs.table, column, inputs.current())?;
            let initial = match base {
                Some((b, g)) => Some(sum_by_grade(g, Some(&nonnegative(&b.table, column, &b.rows)?))),
                None => None,
            };
            Some(cite(figure(sum_by_grade(grade, Some(&now)), initial)?, cite::HERFINDAHL))
        }
        None => None,
    };
    Ok(Some(Concentration { obligors: cite(obligors, cite::HERFINDAHL), exposure }))
}

/// Exposures: numbers ≥ 0, the first negative one an error naming its line.
pub fn nonnegative(table: &kd::core::data::Table, column: &str, rows: &[usize]) -> anyhow::Result<Vec<f64>> {
    let values = numbers(table, column, rows)?;
    if let Some(i) = values.iter().position(|&x| x < 0.0) {
        anyhow::bail!(invalid_value(table, column, rows[i], format!("{} is a negative exposure", values[i])));
    }
    Ok(values)
}
