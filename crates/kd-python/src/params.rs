//! The student parameters of `kd.distill`'s keyword arguments, with the `kd` program's
//! defaults (its flags' defaults are the libraries' defaults).
//!
//! | keyword | students | default | meaning |
//! |---|---|---|---|
//! | `max_depth`, `max_leaves` | tree | none | the tree's size limits |
//! | `min_samples_leaf` | tree | 1 | rows per leaf |
//! | `bad_class` | scorecard | the second label | the label of the bad outcome |
//! | `l2` | logistic, linear, scorecard | 0 | L2 penalty |

use kd_core::data::Dataset;
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
    let options: serde_json::Value = serde_json::from_str(options).map_err(value_error)?;
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
