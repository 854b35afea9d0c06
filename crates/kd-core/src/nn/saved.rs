//! The `kd-mlp` file format of an MLP student: typed, versioned and validated on load, and
//! readable without libtorch (`kd explain`); with `torch`, `MlpStudent::saved` writes it and
//! `MlpStudent::from_saved` loads it back into a student that predicts as the saved one did.
//!
//! Fields: `format` (`"kd-mlp"`), `version` ([`MLP_VERSION`]), `task`, `features`, `classes`,
//! `hidden`, the input standardisation `mean` and `sd`, `output_scale` (regression: value =
//! output · scale.1 + scale.0), every variable's `name`, `shape` and float32 `values`
//! (`l0.weight` is `(out, in)` as in PyTorch), and the `training` log.

use serde::{Deserialize, Serialize};

use super::TrainingLog;
use crate::{Error, Result, Task};

/// The `format` of a saved MLP student.
pub const MLP_FORMAT: &str = "kd-mlp";
/// The version of that format this kd writes and reads.
pub const MLP_VERSION: u64 = 1;

/// One variable of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLayer {
    /// `l{i}.weight` or `l{i}.bias`.
    pub name: String,
    /// Its shape.
    pub shape: Vec<i64>,
    /// Its values, row-major.
    pub values: Vec<f32>,
}

/// A saved MLP student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMlp {
    /// Always [`MLP_FORMAT`].
    pub format: String,
    /// [`MLP_VERSION`] when written.
    pub version: u64,
    /// `"regression"`, `"binary"` or `"multiclass"`.
    pub task: String,
    /// Feature names, in input order.
    pub features: Vec<String>,
    /// Class labels (classification), in output order.
    pub classes: Option<Vec<String>>,
    /// Hidden widths.
    pub hidden: Vec<i64>,
    /// Training mean of each feature.
    pub mean: Vec<f64>,
    /// Training standard deviation of each feature (1 where it was 0).
    pub sd: Vec<f64>,
    /// Regression: the target's mean and standard deviation; `(0, 1)` otherwise.
    pub output_scale: (f64, f64),
    /// Every variable, by name.
    pub layers: Vec<SavedLayer>,
    /// How it was trained.
    pub training: TrainingLog,
}

pub(super) fn corrupt(reason: impl Into<String>) -> Error {
    Error::Load { format: MLP_FORMAT, reason: reason.into() }
}

impl SavedMlp {
    /// The JSON text (pretty, with a final newline).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map(|t| t + "\n").map_err(|e| corrupt(e.to_string()))
    }

    /// Reads a saved MLP from JSON text: refuses another format or version and a file whose
    /// parts do not fit together ([`SavedMlp::validate`]).
    pub fn from_json(text: &str) -> Result<Self> {
        let value = crate::saved_format::read_versioned(text, MLP_FORMAT, MLP_VERSION..=MLP_VERSION)
            .map_err(corrupt)?;
        let saved: SavedMlp =
            serde_json::from_value(value).map_err(|e| corrupt(format!("corrupt file ({e})")))?;
        saved.validate()?;
        Ok(saved)
    }

    /// The task the file names.
    pub fn task(&self) -> Result<Task> {
        match (self.task.as_str(), &self.classes) {
            ("regression", None) => Ok(Task::Regression),
            ("binary" | "multiclass", Some(classes)) if classes.len() >= 2 => {
                Ok(Task::classification(classes.len()))
            }
            (task, _) => Err(corrupt(format!("task '{task}' does not fit its classes"))),
        }
    }

    /// Layer widths `d → hidden… → k`.
    pub fn widths(&self) -> Result<Vec<i64>> {
        let outputs = self.task()?.n_outputs() as i64;
        Ok(std::iter::once(self.features.len() as i64)
            .chain(self.hidden.iter().copied())
            .chain([outputs])
            .collect())
    }

    /// Checks that the parts fit: a known task with its classes, positive widths, one mean and
    /// one positive standard deviation per feature, a positive output scale, and exactly the
    /// variables `l{i}.weight` `(out, in)` and `l{i}.bias` `(out)` of those widths, each with
    /// as many finite values as its shape holds.
    pub fn validate(&self) -> Result<()> {
        let widths = self.widths()?;
        if let Some(w) = widths.iter().find(|&&w| w < 1) {
            return Err(corrupt(format!("layer width {w} in {widths:?}")));
        }
        if self.mean.len() != self.features.len() || self.sd.len() != self.features.len() {
            return Err(corrupt(format!(
                "{} means and {} standard deviations for {} features",
                self.mean.len(),
                self.sd.len(),
                self.features.len()
            )));
        }
        if self.mean.iter().any(|m| !m.is_finite()) || self.sd.iter().any(|s| !(*s > 0.0 && s.is_finite())) {
            return Err(corrupt("a mean that is not finite or a standard deviation that is not positive"));
        }
        if !(self.output_scale.0.is_finite() && self.output_scale.1 > 0.0 && self.output_scale.1.is_finite())
        {
            return Err(corrupt(format!("output scale {:?}", self.output_scale)));
        }
        let mut expected: Vec<(String, Vec<i64>)> = widths
            .windows(2)
            .enumerate()
            .flat_map(|(i, w)| {
                [(format!("l{i}.bias"), vec![w[1]]), (format!("l{i}.weight"), vec![w[1], w[0]])]
            })
            .collect();
        expected.sort();
        let mut found: Vec<(String, Vec<i64>)> =
            self.layers.iter().map(|l| (l.name.clone(), l.shape.clone())).collect();
        found.sort();
        if found != expected {
            return Err(corrupt(format!("variables {found:?} where widths {widths:?} need {expected:?}")));
        }
        for layer in &self.layers {
            let size: i64 = layer.shape.iter().product();
            if layer.values.len() as i64 != size || layer.values.iter().any(|v| !v.is_finite()) {
                return Err(corrupt(format!(
                    "variable {} holds {} values for shape {:?}, or one that is not finite",
                    layer.name,
                    layer.values.len(),
                    layer.shape
                )));
            }
        }
        Ok(())
    }

    /// Trainable parameters.
    pub fn n_parameters(&self) -> usize {
        self.layers.iter().map(|l| l.values.len()).sum()
    }

    /// What `kd explain` prints: the shape, size and training, since the weights are not
    /// readable.
    pub fn summary(&self) -> Result<String> {
        let widths: Vec<String> = self.widths()?.iter().map(i64::to_string).collect();
        let t = &self.training;
        Ok(format!(
            "MLP student ({}), {} (ReLU), {} parameters; not readable: judge it by its fidelity\n\
             trained {} epochs on {} rows in {:.2} s; final training loss {}\n",
            self.task,
            widths.join(" → "),
            self.n_parameters(),
            t.epochs.len(),
            t.n_train,
            t.seconds,
            t.epochs.last().map_or("—".into(), |e| format!("{:.5}", e.train_loss))
        ))
    }
}
