//! [`PdReport`]: a PD model's report — discriminatory power, predictive ability, stability and
//! concentration — built from the [`Inputs`] the [`Request`] names, the sections being this
//! crate's ([`Discrimination`], [`Predictive`], [`Stability`], [`Concentration`]).

use kd_core::data::columns::{ensure_probabilities, exposures, numbers, outcomes};
use kd_core::quantile::group_of;
use serde::Serialize;

use super::inputs::Inputs;
use super::request::Request;
use super::stability::stability;
use crate::error::{Result, invalid_parameter};
use crate::validation::cite::{self, Cited, cite};
use crate::validation::scale::Scale;
use crate::validation::{
    Calibration, Concentration, Discrimination, DiscriminatoryPower, Graded, InitialAuroc, Overrides,
    PeriodBounds, Predictive, Stability, auroc_delong, check_both_classes, grade_sections, grade_tests,
    initial_auroc, overrides_of_column,
};

/// The PD report, as `kd validate --format json` writes it.
#[derive(Debug, Serialize)]
pub struct PdReport {
    /// `"pd"`.
    pub model: &'static str,
    /// The instructions the report follows.
    pub instructions: &'static str,
    /// The data's name.
    pub file: String,
    /// The current sample's date, with dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Rows validated.
    pub n_obs: usize,
    /// Defaults among them.
    pub n_defaults: usize,
    /// The rating scale, with grades.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// Discriminatory power, or why it is undefined (fewer than 2 defaults or non-defaults).
    pub discriminatory_power: DiscriminatoryPower,
    /// Predictive ability (none when calibration is left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predictive_ability: Option<Predictive>,
    /// Stability.
    pub stability: Stability,
    /// Concentration, with grades.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concentration: Option<Concentration>,
}

impl PdReport {
    /// The report of `inputs` for `request`.
    ///
    /// # Errors
    /// PDs outside [0, 1] unless calibration is left out; a column the request names that is missing or of the wrong kind; an override column
    /// of final grades without grades.
    pub fn build(request: &Request, inputs: &Inputs) -> Result<Self> {
        let (table, rows) = (&inputs.table, inputs.current());
        let score = numbers(table, &request.score, rows)?;
        let outcome = outcomes(table, &request.outcome, rows)?;
        let n_defaults = outcome.iter().filter(|d| **d).count();
        let classes = check_both_classes(&inputs.file(), &request.outcome, outcome.len(), n_defaults);
        // The baseline is read (and its outcomes checked) whether or not the current sample
        // has the classes that discriminatory power needs.
        let initial = initial_auc(request, inputs)?;
        let discriminatory_power = DiscriminatoryPower::unless_undefined(classes, || {
            discrimination(request, inputs, &score, &outcome, initial)
        })?;
        let predictive_ability = if request.no_calibration {
            None
        } else {
            let skip = request.spelling.switch("no_calibration");
            let hint = format!("calibration tests need PDs (pass {skip} to skip them)");
            ensure_probabilities(table, &request.score, rows, &score, &hint)?;
            Some(predictive(request, inputs, &score, &outcome)?)
        };
        Ok(PdReport {
            model: "pd",
            instructions: cite::INSTRUCTIONS,
            file: inputs.file(),
            date: inputs.current_date(),
            n_obs: outcome.len(),
            n_defaults,
            scale: inputs.scale.clone(),
            discriminatory_power,
            predictive_ability,
            stability: stability(request, inputs)?,
            concentration: concentration(request, inputs)?,
        })
    }
}

/// The AUROC at initial validation with its standard error: given, or from the baseline; or
/// why it is undefined (the baseline holds fewer than 2 of a class).
fn initial_auc(request: &Request, inputs: &Inputs) -> Result<InitialAuroc> {
    if let Some(given) = request.initial_auc {
        return Ok((Some(given), None));
    }
    match &inputs.baseline {
        Some(base) if base.has_outcome => {
            let outcome = outcomes(&base.table, &request.outcome, &base.rows)?;
            let file = base.table.file().display().to_string();
            let defaults = outcome.iter().filter(|d| **d).count();
            let classes = check_both_classes(&file, &request.outcome, outcome.len(), defaults);
            initial_auroc(classes, || {
                auroc_delong(&outcome, &numbers(&base.table, &request.score, &base.rows)?, 0.95)
            })
        }
        _ => Ok((None, None)),
    }
}

/// AUROC, Gini and KS, with the change since initial validation, the challenger's test and the
/// curves as asked.
fn discrimination(
    request: &Request,
    inputs: &Inputs,
    score: &[f64],
    outcome: &[bool],
    (initial, initial_note): InitialAuroc,
) -> Result<Discrimination> {
    let mut section = Discrimination::from_rows(outcome, score, initial)?.with_initial_note(initial_note);
    if let Some(name) = &request.challenger {
        let other = numbers(&inputs.table, name, inputs.current())?;
        section = section.with_challenger(name, outcome, score, &other)?;
    }
    if request.curves {
        section = section.with_curves(outcome, score)?;
    }
    Ok(section)
}

/// Hosmer–Lemeshow and Brier on the grades (else on quantile groups of the PDs), Spiegelhalter
/// and Jeffreys; with grades the per-grade tests and Pluto–Tasche's bounds (with dates and a
/// period correlation, over the dates too); with dates the long-run average; with an override column the override rate.
fn predictive(request: &Request, inputs: &Inputs, score: &[f64], outcome: &[bool]) -> Result<Predictive> {
    let binning = request.binning(request.groups);
    let bins: Vec<usize> = match &inputs.grade {
        Some(codes) => codes.clone(),
        None => {
            let cuts = binning.cut_points(score);
            score.iter().map(|&s| group_of(&cuts, s)).collect()
        }
    };
    let (grades, pluto_tasche) = match (&inputs.grade, &inputs.scale) {
        (Some(codes), Some(scale)) => {
            let (tests, bounds) = grade_sections(
                grade_tests(outcome, score, codes, &scale.grades, request.rho)?,
                &scale.grades,
                request.prudence,
                request.rho,
            )?;
            (Some(tests), Some(bounds))
        }
        _ => (None, None),
    };
    let pluto_tasche_periods = period_bounds(request, inputs)?;
    let long_run = match inputs.panel() {
        Some(panel) => Some(panel.long_run(
            &inputs.table,
            &request.score,
            &request.outcome,
            request.calibration_target,
        )?),
        None => None,
    };
    Ok(Predictive {
        calibration: Calibration::from_rows(outcome, score, binning, request.hl_sample, &bins)?,
        grades,
        pluto_tasche,
        pluto_tasche_periods,
        long_run,
        overrides: overrides(request, inputs)?,
    })
}

/// Pluto–Tasche's multi-period bounds over the dates, when a period correlation is asked
/// (the request's check has made sure of dates and grades).
fn period_bounds(request: &Request, inputs: &Inputs) -> Result<Option<Cited<PeriodBounds>>> {
    let (Some(tau), Some(panel), Some(scale), Some(column)) =
        (request.period_correlation, inputs.panel(), &inputs.scale, &request.grade)
    else {
        return Ok(None);
    };
    if let Some(reason) = panel.yearly_refusal() {
        return Err(invalid_parameter(&request.spelling.name("period_correlation"), reason));
    }
    let (obligors, defaults) = panel.counts_by_cohort(&inputs.table, &request.outcome, column, scale)?;
    let settings = (request.prudence, request.rho, tau);
    Ok(Some(PeriodBounds::cited(
        obligors.view(),
        defaults.view(),
        panel.cohort_labels(),
        &scale.grades,
        settings,
    )?))
}

/// The override rate: a 0/1 flag column, or the final grade on the model's scale.
fn overrides(request: &Request, inputs: &Inputs) -> Result<Option<Cited<Overrides>>> {
    let Some(column) = &request.override_column else { return Ok(None) };
    let graded = inputs.scale.as_ref().zip(inputs.grade.as_deref());
    let Some(figure) = overrides_of_column(&inputs.table, column, inputs.current(), graded)? else {
        let s = request.spelling;
        return Err(invalid_parameter(
            &s.name("override"),
            format!(
                "column '{column}' holds final grades, which need {}; or give 0/1 flags",
                s.given("grade")
            ),
        ));
    };
    Ok(Some(cite(figure, cite::OVERRIDES)))
}

/// The Herfindahl indices of the grades, by obligors and by exposure, against the baseline's
/// when it is graded.
fn concentration(request: &Request, inputs: &Inputs) -> Result<Option<Concentration>> {
    let (Some(scale), Some(codes)) = (&inputs.scale, &inputs.grade) else { return Ok(None) };
    let exposure = match &request.exposure {
        Some(column) => Some(exposures(&inputs.table, column, inputs.current())?),
        None => None,
    };
    let base = inputs.baseline.as_ref().and_then(|b| b.grade.as_ref().map(|codes| (b, codes)));
    let base_exposure = match (&request.exposure, base) {
        (Some(column), Some((b, _))) => Some(exposures(&b.table, column, &b.rows)?),
        _ => None,
    };
    let current = Graded { codes, exposure: exposure.as_deref() };
    let baseline = base.map(|(_, codes)| Graded { codes, exposure: base_exposure.as_deref() });
    Ok(Some(Concentration::from_rows(scale.grades.len(), current, baseline)?))
}
