//! The regression stage: kd-hypotheses' battery of regression-assumption tests on an OLS fit of
//! the target on the numeric features of the development sample, grouped by assumption
//! (independence, homoscedasticity, normality, linearity, stability), with VIFs and the
//! condition number. Categorical features are left out (their level codes are not quantities).

use std::collections::BTreeMap;

use kd_hypotheses::regression::{Battery, BatteryOptions, Ols, TESTS, TestRow, battery};
use ndarray::Axis;
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
    /// The numeric features used.
    pub features: Vec<String>,
    /// Categorical features left out.
    pub left_out: Vec<String>,
    /// R² of the OLS fit.
    pub r_squared: f64,
    /// Condition number of the design (`None` beyond `f64`'s range).
    pub condition_number: Option<f64>,
    /// VIF per feature.
    pub vif: Vec<(String, f64)>,
    /// The assumptions in the battery's order.
    pub assumptions: Vec<Assumption>,
    /// Tests that could not be computed, with the reason.
    pub skipped: BTreeMap<String, String>,
}

/// Runs the stage.
pub fn run(dev: &Sample) -> Result<RegressionReport> {
    let features = dev.data.features();
    let numeric: Vec<usize> = (0..features.len()).filter(|&j| features[j].levels.is_none()).collect();
    let names: Vec<String> = numeric.iter().map(|&j| features[j].name.clone()).collect();
    let x = dev.data.x().select(Axis(1), &numeric);
    let y = ndarray::Array1::from(dev.outcome.clone());
    let ols = Ols::fit(x.view(), y.view(), &names).map_err(at(STAGE))?;
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
    Ok(RegressionReport {
        n_obs: b.n_obs,
        left_out: features.iter().filter(|f| f.levels.is_some()).map(|f| f.name.clone()).collect(),
        features: names,
        r_squared: b.r_squared,
        condition_number: b.condition_number,
        vif: b.vif.clone(),
        assumptions,
        skipped: b.skipped.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
    })
}
