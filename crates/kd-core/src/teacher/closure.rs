//! In-process teachers: any Rust closure or model, for library users.

use ndarray::{Array2, ArrayView2};

use super::{BatchCount, Teacher};
use crate::{Result, Task};

/// A teacher backed by a closure `f(x) -> outputs`; its outputs are checked like any other
/// teacher's.
///
/// ```
/// use kd_core::{Task, teacher::{FnTeacher, Teacher}};
/// use ndarray::{array, Array2, ArrayView2};
/// let mut t = FnTeacher::new("sum", Task::Regression, 2, |x: ArrayView2<f64>| {
///     Ok(x.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1)))
/// });
/// assert_eq!(t.predict(array![[1.0, 2.0]].view()).unwrap(), array![[3.0]]);
/// ```
pub struct FnTeacher<F> {
    name: String,
    task: Task,
    n_inputs: usize,
    f: F,
    batches: BatchCount,
}

impl<F> FnTeacher<F>
where
    F: FnMut(ArrayView2<'_, f64>) -> Result<Array2<f64>> + Send,
{
    /// A teacher named `name` that predicts `task` from `n_inputs` features with `f`.
    pub fn new(name: impl Into<String>, task: Task, n_inputs: usize, f: F) -> Self {
        Self { name: name.into(), task, n_inputs, f, batches: BatchCount::default() }
    }
}

impl<F> Teacher for FnTeacher<F>
where
    F: FnMut(ArrayView2<'_, f64>) -> Result<Array2<f64>> + Send,
{
    fn name(&self) -> &str {
        &self.name
    }
    fn task(&self) -> Task {
        self.task
    }
    fn n_inputs(&self) -> usize {
        self.n_inputs
    }
    fn batches(&mut self) -> &mut BatchCount {
        &mut self.batches
    }
    fn query(&mut self, x: ArrayView2<'_, f64>, _batch: usize) -> Result<Array2<f64>> {
        (self.f)(x)
    }
}
