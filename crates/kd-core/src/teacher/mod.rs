//! Teachers: the black boxes under review.
//!
//! A [`Teacher`] answers batches of feature rows with class probabilities (classification,
//! shape `(n, k)`) or values (regression, shape `(n, 1)`). Adapters:
//! - [`CmdTeacher`]: an external process speaking newline-delimited JSON (`cmd:<command line>`);
//! - [`ColumnTeacher`]: precomputed outputs stored in the data file (`column:<name>`), which
//!   cannot be queried at new points;
//! - [`FnTeacher`]: an in-process Rust closure or model;
//! - `TorchScriptTeacher` (feature `torch`): a model saved with `torch.jit.script`/`trace`.
//!
//! Every adapter checks what the teacher returns with [`check_outputs`]: a wrong row count, NaN,
//! infinity, negative probabilities or probabilities that do not sum to 1 are errors naming the
//! teacher and the batch, never numbers passed on.

mod check;
mod closure;
mod cmd;
mod column;
mod spec;
#[cfg(feature = "torch")]
mod torchscript;

use ndarray::{Array2, ArrayView2, Axis};

pub use check::{PROBABILITY_SUM_TOLERANCE, check_outputs};
pub use closure::FnTeacher;
pub use cmd::{CmdOptions, CmdTeacher};
pub use column::ColumnTeacher;
pub use spec::{TeacherSpec, TorchOutput, build_teacher};
#[cfg(feature = "torch")]
pub use torchscript::TorchScriptTeacher;

use crate::Result;
use crate::Task;
use crate::data::Dataset;

/// A model under review that kd can ask for predictions.
pub trait Teacher: Send {
    /// The spec or name that identifies the teacher in messages.
    fn name(&self) -> &str;

    /// What the teacher predicts.
    fn task(&self) -> Task;

    /// Number of input features.
    fn n_inputs(&self) -> usize;

    /// Predictions for the rows of `x` (shape `(n, n_inputs)`, categorical features as level
    /// codes): `(n, k)` class probabilities or `(n, 1)` values, checked by [`check_outputs`].
    fn predict(&mut self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>>;

    /// Predictions for rows `rows` of `data`. By default this queries [`Teacher::predict`];
    /// a [`ColumnTeacher`] looks its stored outputs up instead.
    fn predict_rows(&mut self, data: &Dataset, rows: &[usize]) -> Result<Array2<f64>> {
        let x = data.x().select(Axis(0), rows);
        self.predict(x.view())
    }

    /// Whether [`Teacher::predict`] works at points that are not rows of the data file.
    fn is_queryable(&self) -> bool {
        true
    }
}
