//! The regression stage: kd-hypotheses' battery of regression-assumption tests on an OLS fit of
//! the target on the features of the development sample (categorical ones treatment-coded, as
//! `kd hypotheses` codes them), grouped by assumption (independence, homoscedasticity,
//! normality, linearity, stability), with VIFs and the condition number.

use std::collections::BTreeMap;

use kd_hypotheses::regression::{
    Battery, BatteryOptions, CodedFeature, Design, Gvif, Ols, TESTS, TestRow, battery,
};
use serde::Serialize;

use crate::error::{Result, at};
use crate::samples::Sample;

const STAGE: &str = "regression";

/// One assumption and its tests.
#[derive(Debug, Clone, Serialize)]
pub struct Assumption {
    /// "independence", "homoscedasticity", ….
    pub name: String,
    /// The tests, by key.
    pub tests: BTreeMap<String, TestRow>,
    /// The smallest p-value among them.
    pub min_p_value: Option<f64>,
}

/// The stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct RegressionReport {
    /// Rows.
    pub n_obs: usize,
    /// The design's columns (a categorical feature as its indicators).
    pub features: Vec<String>,
    /// How the categorical features were coded.
    pub categorical: Vec<CodedFeature>,
    /// R² of the OLS fit.
    pub r_squared: f64,
    /// Condition number of the design (`None` beyond `f64`'s range).
    pub condition_number: Option<f64>,
    /// VIF per feature.
    pub vif: Vec<(String, f64)>,
    /// Generalised VIF of each categorical feature's columns together (absent when every
    /// feature is numeric).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gvif: Vec<Gvif>,
    /// The assumptions in the battery's order.
    pub assumptions: Vec<Assumption>,
    /// Tests that could not be computed, with the reason.
    pub skipped: BTreeMap<String, String>,
}

/// Runs the stage. `Ok(Err(reason))` where the regression cannot be fitted on these data (a
/// categorical feature with too many levels, collinear features, too few rows for the
/// indicators), which the audit reports as the stage skipped with that reason: the other
/// stages' findings stand without it.
pub fn run(dev: &Sample) -> Result<std::result::Result<RegressionReport, String>> {
    let y = ndarray::Array1::from(dev.outcome.clone());
    let fitted = Design::of(&dev.data).and_then(|design| Ok((Ols::fit_design(&design, y.view())?, design)));
    let (ols, design) = match fitted {
        Ok(fitted) => fitted,
        Err(e) => return Ok(Err(format!("the regression cannot be fitted on the development sample: {e}"))),
    };
    let b: Battery = battery(&ols, &BatteryOptions::default()).map_err(at(STAGE))?;
    let mut assumptions: Vec<Assumption> = Vec::new();
    for spec in &TESTS {
        let (key, assumption) = (spec.key, spec.assumption.name());
        let Some(row) = b.tests.get(key) else { continue };
        let entry = match assumptions.iter_mut().find(|a| a.name == assumption) {
            Some(a) => a,
            None => {
                assumptions.push(Assumption {
                    name: assumption.to_owned(),
                    tests: BTreeMap::new(),
                    min_p_value: None,
                });
                assumptions.last_mut().ok_or_else(|| at(STAGE)(std::fmt::Error))?
            }
        };
        entry.tests.insert(key.to_owned(), row.clone());
        let p = row.p_value;
        entry.min_p_value = Some(entry.min_p_value.map_or(p, |m: f64| m.min(p)));
    }
    Ok(Ok(RegressionReport {
        n_obs: b.n_obs,
        features: design.names().to_vec(),
        categorical: design.categorical().to_vec(),
        r_squared: b.r_squared,
        condition_number: b.condition_number,
        vif: b.vif.clone(),
        gvif: b.gvif.clone(),
        assumptions,
        skipped: b.skipped.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
    }))
}
