//! Teachers: the black boxes under review.
//!
//! A [`Teacher`] answers batches of feature rows with class probabilities (classification,
//! shape `(n, k)`) or values (regression, shape `(n, 1)`). Adapters:
//! - [`CmdTeacher`]: an external process speaking newline-delimited JSON (`cmd:<command line>`);
//! - [`ColumnTeacher`]: precomputed outputs stored in the data file (`column:<name>`), which
//!   cannot be queried at new points;
//! - [`FnTeacher`]: an in-process Rust closure or model;
//! - [`TextTeacher`]: a teacher that reads raw documents (a `cmd:` process, or
//!   [`FnTextTeacher`]), for text columns;
//! - `TorchScriptTeacher` (feature `torch`): a model saved with `torch.jit.script`/`trace`.
//!
//! Every adapter checks what the teacher returns with [`check_outputs`]: a wrong row count, NaN,
//! infinity, negative probabilities or probabilities that do not sum to 1 are errors naming the
//! teacher and the batch, never numbers passed on.

mod check;
mod closure;
mod cmd;
mod column;
mod process;
mod spec;
mod text;
#[cfg(feature = "torch")]
mod torchscript;

use std::path::Path;

use ndarray::{Array2, ArrayView2, Axis};

pub use check::{PROBABILITY_SUM_TOLERANCE, check_outputs};
pub use closure::FnTeacher;
pub use cmd::{CmdOptions, CmdTeacher};
pub use column::ColumnTeacher;
pub use spec::{TeacherSpec, TorchOutput, build_teacher};
pub use text::{FnTextTeacher, TextTeacher, spawn_text_teacher};
#[cfg(feature = "torch")]
pub use torchscript::TorchScriptTeacher;

use crate::data::{Dataset, FeatureRows};
use crate::{Error, Result, Task};

/// How many batches a teacher has been asked: the number the next one gets in messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCount(usize);

impl BatchCount {
    /// Starts a batch: its number (0-based), counted.
    pub fn start(&mut self) -> usize {
        self.0 += 1;
        self.0 - 1
    }
    /// Batches asked so far.
    pub fn asked(&self) -> usize {
        self.0
    }
}

/// What an adapter knows of its teacher, held in one field so that [`Teacher`]'s accessors are
/// written once: the name in messages, the task, the input width and the batches asked so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherInfo {
    /// The spec or name that identifies the teacher in messages.
    pub name: String,
    /// What the teacher predicts.
    pub task: Task,
    /// Number of input features.
    pub n_inputs: usize,
    /// Batches asked so far; [`Teacher::predict`] advances it.
    pub batches: BatchCount,
}

impl TeacherInfo {
    /// A teacher named `name` that predicts `task` from `n_inputs` features, not yet asked.
    pub fn new(name: impl Into<String>, task: Task, n_inputs: usize) -> Self {
        Self { name: name.into(), task, n_inputs, batches: BatchCount::default() }
    }
}

/// A model under review that kd can ask for predictions.
///
/// An adapter holds a [`TeacherInfo`] and implements [`Teacher::query`], the raw answer to one
/// batch; the provided [`Teacher::predict`] checks the input width, cuts the rows into batches
/// of [`Teacher::batch_size`], numbers them with the info's [`BatchCount`] and passes every
/// answer through [`check_outputs`], so that no adapter can skip the checks. A teacher that
/// only knows its outputs on the rows of a data file answers [`Teacher::stored`] instead (its
/// answers are checked by [`Teacher::predict_rows`] the same way).
pub trait Teacher: Send {
    /// What the adapter knows of its teacher.
    fn info(&self) -> &TeacherInfo;

    /// The same, for [`Teacher::predict`] to count batches.
    fn info_mut(&mut self) -> &mut TeacherInfo;

    /// The spec or name that identifies the teacher in messages.
    fn name(&self) -> &str {
        &self.info().name
    }

    /// What the teacher predicts.
    fn task(&self) -> Task {
        self.info().task
    }

    /// Number of input features.
    fn n_inputs(&self) -> usize {
        self.info().n_inputs
    }

    /// The raw answer to one batch `x` (shape `(m, n_inputs)`, `1 ≤ m ≤ batch_size`,
    /// categorical features as level codes), numbered `batch` in messages: `(m, k)` class
    /// probabilities or `(m, 1)` values. Not checked here: [`Teacher::predict`] checks it.
    fn query(&mut self, x: ArrayView2<'_, f64>, batch: usize) -> Result<Array2<f64>>;

    /// Rows per [`Teacher::query`] (default: every row in one batch).
    fn batch_size(&self) -> usize {
        usize::MAX
    }

    /// Predictions for the rows of `x` (shape `(n, n_inputs)`, categorical features as level
    /// codes): `(n, k)` class probabilities or `(n, 1)` values, every batch checked by
    /// [`check_outputs`]. No rows give an empty `(0, k)` answer without a query.
    fn predict(&mut self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        crate::error::ensure_same_len("teacher input (features)", self.n_inputs(), x.ncols())?;
        let size = self.batch_size().max(1);
        let mut parts = Vec::new();
        let mut start = 0;
        while start < x.nrows() {
            let end = start.saturating_add(size).min(x.nrows());
            let rows = x.slice(ndarray::s![start..end, ..]);
            let batch = self.info_mut().batches.start();
            let out = self.query(rows, batch)?;
            check_outputs(self.name(), self.task(), batch, rows.nrows(), &out)?;
            parts.push(out);
            start = end;
        }
        match parts.len() {
            0 => Ok(Array2::zeros((0, self.task().n_outputs()))),
            1 => Ok(parts.swap_remove(0)),
            _ => {
                let views: Vec<_> = parts.iter().map(Array2::view).collect();
                ndarray::concatenate(Axis(0), &views).map_err(|e| Error::Teacher {
                    teacher: self.name().to_owned(),
                    batch: parts.len(),
                    reason: format!("cannot join the batches: {e}"),
                })
            }
        }
    }

    /// Outputs the teacher holds for the rows `source_rows` of the file `file` without being
    /// queried (a [`ColumnTeacher`]'s stored column); `None` (the default) for teachers that
    /// are queried.
    fn stored(&mut self, file: &Path, source_rows: &[usize]) -> Option<Result<Array2<f64>>> {
        let _ = (file, source_rows);
        None
    }

    /// Predictions for rows `rows` of `data`: the [`Teacher::stored`] outputs when the teacher
    /// has them (checked by [`check_outputs`] as batch 0), otherwise [`Teacher::predict`].
    fn predict_rows(&mut self, data: &Dataset, rows: &[usize]) -> Result<Array2<f64>> {
        let source: Vec<usize> = rows.iter().map(|&r| data.source_rows()[r]).collect();
        stored_or_asked(self, data.file(), &source, || data.x().select(Axis(0), rows))
    }

    /// Predictions for rows of a later file coded as the training data's features (a sample
    /// without outcomes): stored outputs where the teacher has them, else asked.
    fn predict_feature_rows(&mut self, rows: &FeatureRows) -> Result<Array2<f64>> {
        stored_or_asked(self, rows.file(), rows.source_rows(), || rows.x().clone())
    }

    /// Whether [`Teacher::predict`] works at points that are not rows of the data file.
    fn is_queryable(&self) -> bool {
        true
    }
}

/// The [`Teacher::stored`] outputs of `source_rows` of `file`, checked by [`check_outputs`] as
/// batch 0, or [`Teacher::predict`] on the rows `x` gives (made only when asked).
fn stored_or_asked<T: Teacher + ?Sized>(
    teacher: &mut T,
    file: &Path,
    source_rows: &[usize],
    x: impl FnOnce() -> Array2<f64>,
) -> Result<Array2<f64>> {
    match teacher.stored(file, source_rows) {
        Some(outputs) => {
            let outputs = outputs?;
            check_outputs(teacher.name(), teacher.task(), 0, source_rows.len(), &outputs)?;
            Ok(outputs)
        }
        None => teacher.predict(x().view()),
    }
}
