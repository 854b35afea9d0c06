//! In-process teachers: any Rust closure or model, for library users.

use ndarray::{Array2, ArrayView2};

use super::{Teacher, TeacherInfo};
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
    info: TeacherInfo,
    f: F,
}

impl<F> FnTeacher<F>
where
    F: FnMut(ArrayView2<'_, f64>) -> Result<Array2<f64>> + Send,
{
    /// A teacher named `name` that predicts `task` from `n_inputs` features with `f`.
    pub fn new(name: impl Into<String>, task: Task, n_inputs: usize, f: F) -> Self {
        Self { info: TeacherInfo::new(name, task, n_inputs), f }
    }
}

impl<F> Teacher for FnTeacher<F>
where
    F: FnMut(ArrayView2<'_, f64>) -> Result<Array2<f64>> + Send,
{
    fn info(&self) -> &TeacherInfo {
        &self.info
    }
    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }
    fn query(&mut self, x: ArrayView2<'_, f64>, _batch: usize) -> Result<Array2<f64>> {
        (self.f)(x)
    }
}
