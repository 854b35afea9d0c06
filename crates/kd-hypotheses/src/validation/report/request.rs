//! [`Request`]: what a validation is asked to do, its settings as the user gives them (the
//! flags of `kd validate`, the keywords of `kd.validate`; the field is named in parentheses
//! where its name differs), and [`Spelling`], how a message names them back to that user.
//!
//! | setting | models | default | meaning |
//! |---|---|---|---|
//! | `model` | — | — | PD, LGD or CCF |
//! | `score`, `outcome` | all | — | the estimate's and the outcome's columns |
//! | `grade`, `grade_order` | all | none; numbers in order, other labels by mean estimate | the grade or segment column and its order, best first |
//! | `exposure` | all | none | exposures: concentration (PD), EAD weights (LGD), undrawn amounts (CCF) |
//! | `id`, `date` | all | none | obligor ids and observation dates: the latest date's rows, cohorts, migrations |
//! | `challenger`, `curves`, `override` (`override_column`) | PD | none | DeLong's paired test, ROC/CAP points, the override rate |
//! | `calibration_target` | PD | each cohort's mean PD | the rate the long-run average is tested against |
//! | `prudence`, `rho` | PD | 0.9, 0.12 | Pluto–Tasche's confidence; the asset correlation of the traffic light and of the correlated Pluto–Tasche bounds |
//! | `period_correlation` | PD | none | with `date` and `grade`: Pluto–Tasche's multi-period bounds over the dates, the factor correlated this much from one date to the next |
//! | `groups` | PD | 10 | Hosmer–Lemeshow's groups |
//! | `binning` (`grouping`) | all | R's type-7 cut | how scores are cut into Hosmer–Lemeshow's groups and the PSI's 10 bins |
//! | `hl_sample` | PD | validation | Hosmer–Lemeshow's degrees of freedom |
//! | `no_calibration` | PD | false | leave out predictive ability |
//! | `allow_outside_unit`, `elbe`, `lgd_in_default` | LGD, CCF | false, none, none | values outside [0, 1]; the ELBE and LGD in-default back-tests (LGD) |
//! | `initial_auc` | all | from the baseline when it has outcomes | the AUROC (gAUC) at initial validation, with its standard error when known |
//! | `missing` (`drop_missing`) | all | error | drop rows with a missing value in a used column instead of refusing them |
//!
//! A PD model's settings given for an LGD or CCF model are refused, never ignored.

use kd_core::quantile::{Binning, Grouping, QuantileDef};
use serde::Serialize;

use crate::error::{Result, invalid_parameter};
use crate::validation::HlSample;

/// The kind of model validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValidationModel {
    /// Probability of default: scores and 0/1 defaults.
    Pd,
    /// Loss given default: estimates and realised values.
    Lgd,
    /// Credit conversion factor: estimates and realised values.
    Ccf,
}

/// How messages name a setting: as the program's flags or as the Python package's keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// `--no-calibration`, `--model lgd`.
    Flags,
    /// `no_calibration=True`, `model='lgd'`.
    Keywords,
}

impl Spelling {
    /// A setting's name: `--grade-order` or `grade_order`.
    pub fn name(self, setting: &str) -> String {
        match self {
            Spelling::Flags => format!("--{}", setting.replace('_', "-")),
            Spelling::Keywords => setting.to_owned(),
        }
    }

    /// A switch turned on: `--no-calibration` or `no_calibration=True`.
    pub fn switch(self, setting: &str) -> String {
        match self {
            Spelling::Flags => self.name(setting),
            Spelling::Keywords => format!("{setting}=True"),
        }
    }

    /// A setting one must give: `--grade` or `grade=`.
    pub fn given(self, setting: &str) -> String {
        match self {
            Spelling::Flags => self.name(setting),
            Spelling::Keywords => format!("{setting}="),
        }
    }

    /// A setting given a value: `--model lgd` or `model='lgd'`.
    pub fn setting(self, setting: &str, value: &str) -> String {
        match self {
            Spelling::Flags => format!("{} {value}", self.name(setting)),
            Spelling::Keywords => format!("{setting}='{value}'"),
        }
    }
}

/// What a validation is asked to do; see the module's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The kind of model.
    pub model: ValidationModel,
    /// The estimate's column: the PD (or any score, higher = riskier), the LGD or the CCF.
    pub score: String,
    /// The outcome's column: 1 = default (PD), the realised LGD or CCF.
    pub outcome: String,
    /// The grade or segment column, read as labels.
    pub grade: Option<String>,
    /// The grades, best first.
    pub grade_order: Option<Vec<String>>,
    /// The exposure column.
    pub exposure: Option<String>,
    /// The obligor's or facility's id column (unique within a date).
    pub id: Option<String>,
    /// The observation date column (YYYY-MM-DD).
    pub date: Option<String>,
    /// A second score column, compared by DeLong's paired test (PD).
    pub challenger: Option<String>,
    /// The final grade after overrides, or a 0/1 override flag (PD).
    pub override_column: Option<String>,
    /// The default rate the PDs were calibrated to (PD).
    pub calibration_target: Option<f64>,
    /// Pluto–Tasche's confidence level (PD).
    pub prudence: f64,
    /// The Vasicek traffic light's asset correlation (PD).
    pub rho: f64,
    /// The systematic factor's correlation from one date to the next, for Pluto–Tasche's
    /// multi-period bounds over the dates (PD, with dates and grades).
    pub period_correlation: Option<f64>,
    /// Hosmer–Lemeshow's groups (PD).
    pub groups: usize,
    /// How scores are cut into groups and the PSI's bins.
    pub grouping: Grouping,
    /// Hosmer–Lemeshow's reference distribution (PD).
    pub hl_sample: HlSample,
    /// Leave out predictive ability (PD, for scores that are not PDs).
    pub no_calibration: bool,
    /// Add the ROC and CAP points (PD).
    pub curves: bool,
    /// Accept estimates and realised values outside [0, 1] (LGD, CCF).
    pub allow_outside_unit: bool,
    /// The ELBE column of defaulted exposures (LGD).
    pub elbe: Option<String>,
    /// The LGD in-default column (LGD).
    pub lgd_in_default: Option<String>,
    /// The AUROC (gAUC) at initial validation and its standard error if known.
    pub initial_auc: Option<(f64, Option<f64>)>,
    /// Drop rows with a missing value in a used column instead of refusing them.
    pub drop_missing: bool,
    /// How messages name the settings.
    pub spelling: Spelling,
}

impl Request {
    /// A validation of `model` with its estimate in `score` and its outcome in `outcome`, every
    /// other setting at its default, messages spelt as `spelling`.
    pub fn new(model: ValidationModel, score: &str, outcome: &str, spelling: Spelling) -> Self {
        Self {
            model,
            score: score.to_owned(),
            outcome: outcome.to_owned(),
            grade: None,
            grade_order: None,
            exposure: None,
            id: None,
            date: None,
            challenger: None,
            override_column: None,
            calibration_target: None,
            prudence: 0.9,
            rho: 0.12,
            period_correlation: None,
            groups: 10,
            grouping: Grouping::RCut(QuantileDef::Linear),
            hl_sample: HlSample::Validation,
            no_calibration: false,
            curves: false,
            allow_outside_unit: false,
            elbe: None,
            lgd_in_default: None,
            initial_auc: None,
            drop_missing: false,
            spelling,
        }
    }

    /// Refuses a calibration target or a confidence outside (0, 1) (with a correlation above 0,
    /// a confidence outside [1e-9, 1 − 1e-9]), an asset correlation outside [0, 1), a period
    /// correlation outside [0, 0.99] or without dates and grades, a PD model's settings given
    /// for an LGD or CCF model (none is silently ignored), and ELBE or LGD in-default
    /// back-tests for a model other than an LGD one; each named as the user spells it.
    pub fn check(&self) -> Result<()> {
        let s = self.spelling;
        let open = |name: &str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(invalid_parameter(&s.name(name), format!("{v} is not strictly between 0 and 1")))
            }
        };
        if let Some(target) = self.calibration_target {
            open("calibration_target", target)?;
        }
        open("prudence", self.prudence)?;
        if let Some((auc, se)) = self.initial_auc {
            crate::validation::check_initial_auc(auc, se)
                .map_err(|e| invalid_parameter(&s.name("initial_auc"), e.to_string()))?;
        }
        if !(0.0..1.0).contains(&self.rho) {
            return Err(invalid_parameter(&s.name("rho"), format!("{} is not in [0, 1)", self.rho)));
        }
        if let Some(reason) =
            crate::validation::low_default::correlated_confidence_refusal(self.prudence, self.rho)
        {
            return Err(invalid_parameter(&s.name("prudence"), reason));
        }
        if self.model != ValidationModel::Pd {
            let defaults = Request::new(self.model, &self.score, &self.outcome, s);
            let pd_only = [
                ("challenger", self.challenger.is_some()),
                ("curves", self.curves),
                ("override", self.override_column.is_some()),
                ("calibration_target", self.calibration_target.is_some()),
                ("groups", self.groups != defaults.groups),
                ("rho", self.rho != defaults.rho),
                ("prudence", self.prudence != defaults.prudence),
                ("period_correlation", self.period_correlation.is_some()),
                ("hl_sample", self.hl_sample != defaults.hl_sample),
                ("no_calibration", self.no_calibration),
            ];
            if let Some((name, _)) = pd_only.iter().find(|(_, given)| *given) {
                return Err(invalid_parameter(
                    &s.name(name),
                    format!("it is an option of {}", s.setting("model", "pd")),
                ));
            }
        }
        if let Some(tau) = self.period_correlation {
            self.check_period_correlation(tau)?;
        }
        if self.model != ValidationModel::Lgd && (self.elbe.is_some() || self.lgd_in_default.is_some()) {
            return Err(invalid_parameter(
                &format!("{} / {}", s.name("elbe"), s.name("lgd_in_default")),
                format!("ELBE and LGD in-default back-tests are for {}", s.setting("model", "lgd")),
            ));
        }
        Ok(())
    }

    /// Refuses a period correlation outside [0, 0.99], with predictive ability left out, or
    /// without the dates that make the periods and the grades that make the pools.
    fn check_period_correlation(&self, tau: f64) -> Result<()> {
        let s = self.spelling;
        let max = crate::validation::MAX_PERIOD_CORRELATION;
        if !(0.0..=max).contains(&tau) {
            return Err(invalid_parameter(
                &s.name("period_correlation"),
                format!("{tau} is not in [0, {max}]"),
            ));
        }
        if self.no_calibration {
            return Err(invalid_parameter(
                &s.name("period_correlation"),
                format!(
                    "the multi-period bounds are part of predictive ability, which {} leaves out",
                    s.switch("no_calibration")
                ),
            ));
        }
        if self.date.is_none() || self.grade.is_none() {
            return Err(invalid_parameter(
                &s.name("period_correlation"),
                format!(
                    "the multi-period bounds pool each grade's obligors over the dates: give {} and {}",
                    s.given("date"),
                    s.given("grade")
                ),
            ));
        }
        Ok(())
    }

    /// The quantile groups of `groups` by the request's rule.
    pub fn binning(&self, groups: usize) -> Binning {
        Binning { groups, grouping: self.grouping }
    }

    /// The columns read as labels even when they hold numbers: grades, ids, dates, overrides.
    pub fn label_columns(&self) -> Vec<String> {
        [&self.grade, &self.id, &self.date, &self.override_column].into_iter().flatten().cloned().collect()
    }

    /// The columns left out of the CSI: identifiers and dates, which have no distribution to
    /// compare, and the model's own columns, which other figures test (the score, outcome,
    /// grade, challenger, overrides, ELBE and LGD in-default). The exposure keeps its CSI: a
    /// shift in exposures is a finding of its own.
    pub fn csi_skipped(&self) -> Vec<&str> {
        [
            Some(&self.score),
            Some(&self.outcome),
            self.grade.as_ref(),
            self.challenger.as_ref(),
            self.id.as_ref(),
            self.date.as_ref(),
            self.override_column.as_ref(),
            self.elbe.as_ref(),
            self.lgd_in_default.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }

    /// The columns the validation uses: the score and outcome, and the optional ones given.
    pub fn used_columns(&self) -> Vec<&str> {
        let optional = [
            &self.grade,
            &self.exposure,
            &self.id,
            &self.date,
            &self.challenger,
            &self.override_column,
            &self.elbe,
            &self.lgd_in_default,
        ];
        let mut used = vec![self.score.as_str(), self.outcome.as_str()];
        used.extend(optional.into_iter().flatten().map(String::as_str));
        used
    }

    /// Whether values outside [0, 1] are refused (LGD and CCF without `allow_outside_unit`).
    pub fn bounded(&self) -> bool {
        self.model != ValidationModel::Pd && !self.allow_outside_unit
    }
}
