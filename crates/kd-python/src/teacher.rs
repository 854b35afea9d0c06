//! A Python model as a kd teacher: kd calls the package's Python half, the GIL re-taken, with
//! rows of numbers (categorical features as level codes), and the Python half asks the user's
//! model in the user's own terms (a DataFrame with the column and level names).

use kd_core::data::Dataset;
use kd_core::teacher::FnTeacher;
use ndarray::{Array2, ArrayView2};
use pyo3::prelude::*;

/// What the Python function is given besides the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// `query(rows)`: the Python half knows the frame it was given.
    Rows,
    /// `query(rows, names, levels, task)`: kd read the data (an audit's files), so the Python
    /// half learns the features' names and levels and the task from kd.
    Described,
}

/// The teacher error of a failed Python call, naming the teacher.
fn teacher_error(name: &str, reason: impl std::fmt::Display) -> kd_core::Error {
    kd_core::Error::Teacher { teacher: name.to_owned(), batch: 0, reason: reason.to_string() }
}

/// A teacher that calls the Python function `query` (rows as lists of numbers → outputs as
/// lists of numbers, `data`'s outputs per row) with the GIL.
pub fn python_teacher(
    name: String,
    data: &Dataset,
    query: Py<PyAny>,
    context: Context,
) -> FnTeacher<impl FnMut(ArrayView2<'_, f64>) -> kd_core::Result<Array2<f64>> + Send + use<>> {
    let label = name.clone();
    let k = data.task().n_outputs();
    let names: Vec<String> = data.features().iter().map(|f| f.name.clone()).collect();
    let levels: Vec<Option<Vec<String>>> = data.features().iter().map(|f| f.levels.clone()).collect();
    let task = data.task().name().to_owned();
    FnTeacher::new(name, data.task(), data.features().len(), move |x: ArrayView2<'_, f64>| {
        let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
        let answer: Vec<Vec<f64>> = Python::attach(|py| match context {
            Context::Rows => query.call1(py, (rows,))?.extract(py),
            Context::Described => {
                query.call1(py, (rows, names.clone(), levels.clone(), task.clone()))?.extract(py)
            }
        })
        .map_err(|e: PyErr| teacher_error(&label, e))?;
        if answer.iter().any(|r| r.len() != k) {
            return Err(teacher_error(&label, format!("it must give {k} outputs per row")));
        }
        Array2::from_shape_vec((answer.len(), k), answer.concat()).map_err(|e| teacher_error(&label, e))
    })
}
