//! The parameters behind the keyword arguments of `kd.distill` and `kd.hypotheses`, with the
//! `kd` program's defaults (its flags' defaults are the libraries' defaults). A keyword kd does
//! not know is refused by name, never ignored.
//!
//! | keyword | students | default | meaning |
//! |---|---|---|---|
//! | `max_depth`, `max_leaves` | tree | none | the tree's size limits |
//! | `min_samples_leaf` | tree | 1 | rows per leaf |
//! | `bad_class` | scorecard | the second label | the label of the bad outcome |
//! | `l2` | logistic, linear, scorecard | 0 | L2 penalty |
//! | `interactions`, `outer_bags`, `max_rounds`, `lr`, `max_bins` | gam, gam2 | the GAM's | boosting schedule |
//!
//! | keyword of `kd.hypotheses` | default | meaning |
//! |---|---|---|
//! | `alpha` | 0.05 | level of the verdicts |
//! | `lags` | min(10, n div 5) | lags of the autocorrelation and ARCH tests |
//! | `fitdf` | 0 | degrees of freedom Ljung–Box and Box–Pierce subtract |
//! | `break_at` | none | the Chow test with the first K rows as the first regime |
//! | `hac_lags` | ⌊4 (n/100)^(2/9)⌋ | Newey–West lag |

use kd_core::data::Dataset;
use kd_hypotheses::regression::BatteryOptions;
use kd_students::linear::{LinearParams, LogisticParams};
use kd_students::scorecard::WoeParams;
use kd_students::tree::TreeParams;
use kd_students::{GamSettings, LogisticSettings, StudentKind, StudentParams};
use pyo3::PyResult;

use super::value_error;

/// The parameters of `kind` for `data` from `options` (a JSON object of keyword arguments).
pub fn student_params(
    kind: StudentKind,
    data: &Dataset,
    options: &str,
    seed: u64,
) -> PyResult<StudentParams> {
    let options = keywords(
        options,
        &[
            "max_depth",
            "max_leaves",
            "min_samples_leaf",
            "bad_class",
            "l2",
            "interactions",
            "outer_bags",
            "max_rounds",
            "lr",
            "max_bins",
        ],
    )?;
    let number = |name: &str| options.get(name).and_then(serde_json::Value::as_f64);
    let count = |name: &str| options.get(name).and_then(serde_json::Value::as_u64).map(|v| v as usize);
    let logistic = LogisticParams { l2: number("l2").unwrap_or(0.0), ..LogisticParams::default() };
    Ok(match kind {
        StudentKind::Tree => {
            let mut params = TreeParams::default().min_samples_leaf(count("min_samples_leaf").unwrap_or(1));
            params.max_depth = count("max_depth");
            params.max_leaves = count("max_leaves");
            StudentParams::Tree(params)
        }
        StudentKind::Linear => StudentParams::Linear(LinearParams { l2: number("l2").unwrap_or(0.0) }),
        StudentKind::Logistic => StudentParams::Logistic(LogisticSettings { logistic, points: None }),
        StudentKind::Gam | StudentKind::Gam2 => StudentParams::Gam(GamSettings {
            pairs: kind == StudentKind::Gam2,
            interactions: count("interactions"),
            max_bins: count("max_bins"),
            outer_bags: count("outer_bags"),
            learning_rate: number("lr"),
            max_rounds: count("max_rounds"),
            monotone: Vec::new(),
            seed,
        }),
        StudentKind::Scorecard => StudentParams::Scorecard(WoeParams {
            bad_class: match (options.get("bad_class").and_then(|v| v.as_str()), data.class_labels()) {
                (Some(label), Some(labels)) => {
                    WoeParams::class_of_label(label, labels).map_err(value_error)?
                }
                _ => 1,
            },
            logistic,
            ..WoeParams::default()
        }),
        other => return Err(value_error(format!("the {other} student is not offered in Python yet"))),
    })
}

/// The keyword arguments in `options` (a JSON object), refusing one not in `known` by name.
fn keywords(options: &str, known: &[&str]) -> PyResult<serde_json::Value> {
    let options: serde_json::Value = serde_json::from_str(options).map_err(value_error)?;
    if let Some(unknown) = options.as_object().and_then(|o| o.keys().find(|k| !known.contains(&k.as_str()))) {
        return Err(value_error(format!(
            "invalid keyword argument '{unknown}': kd knows {}",
            known.join(", ")
        )));
    }
    Ok(options)
}

/// The battery's options from `kd.hypotheses`' keyword arguments (a JSON object).
pub fn battery_options(options: &str) -> PyResult<BatteryOptions> {
    let options = keywords(options, &["alpha", "lags", "fitdf", "break_at", "hac_lags"])?;
    let count = |name: &str| -> PyResult<Option<usize>> {
        match options.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|v| Some(v as usize))
                .ok_or_else(|| value_error(format!("invalid {name}: {v} is not a whole number ≥ 0"))),
        }
    };
    let defaults = BatteryOptions::default();
    Ok(BatteryOptions {
        alpha: match options.get("alpha") {
            None | Some(serde_json::Value::Null) => defaults.alpha,
            Some(v) => {
                v.as_f64().ok_or_else(|| value_error(format!("invalid alpha: {v} is not a number")))?
            }
        },
        lags: count("lags")?,
        fitdf: count("fitdf")?.unwrap_or(defaults.fitdf),
        break_at: count("break_at")?,
        hac_lags: count("hac_lags")?,
        ..defaults
    })
}
