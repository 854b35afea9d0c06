//! `kd.extract`: a readable model drawn from a Python model (a Bastani tree, a TREPAN m-of-n
//! tree, a BETA decision set, a born-again or plain CART tree), as `kd extract` draws it: the
//! same split, method, queries and fidelity (`kd_extract::run`).
//!
//! The teacher is a Python function of rows of numbers (categorical features as level codes)
//! that the package's Python half turns into the user's own frame; kd calls it, the GIL
//! re-taken, whenever the extraction needs the model's answer at new points.

use kd_core::data::{Dataset, DatasetSpec, TaskHint, train_test_split};
use kd_core::teacher::Teacher;
use kd_extract::run::{ExtractionReport, Method, RunParams, measure, run};
use pyo3::prelude::*;

use super::teacher::{Context, python_teacher};
use super::{table, value_error};

/// `kd extract` on a frame: `method` (bastani, trepan, beta, born-again, cart) with
/// `max_leaves`, `samples_per_node`, `components` (None: chosen by BIC up to 10),
/// `test_fraction` and `seed` as the program's flags. Returns the model as the program saves it
/// (a tree as a kd student, an m-of-n tree or a decision set as a `kd-extracted` file), the
/// report (JSON, its figures named as the program's) and the model in words.
#[pyfunction]
#[pyo3(signature = (names, cells, target, query, teacher, method, max_leaves, samples_per_node, components, test_fraction, seed))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn extract(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    query: Py<PyAny>,
    teacher: String,
    method: &str,
    max_leaves: usize,
    samples_per_node: usize,
    components: Option<usize>,
    test_fraction: f64,
    seed: u64,
) -> PyResult<(String, String, String)> {
    let table = table(names, cells)?;
    let method: Method = method.parse().map_err(value_error)?;
    py.detach(|| {
        let spec = DatasetSpec { target, task: TaskHint::Auto, ..DatasetSpec::default() };
        let data = Dataset::from_table(&table, &spec).map_err(value_error)?;
        let split =
            train_test_split(data.n_rows(), test_fraction, seed, data.classes()).map_err(value_error)?;
        let mut model = python_teacher(teacher.clone(), &data, query, Context::Rows);
        let params = RunParams { method, max_leaves, samples_per_node, components, seed };
        let extraction = run(&params, &data, &split.train, &mut model).map_err(value_error)?;
        let teacher_test = model.predict_rows(&data, &split.test).map_err(value_error)?;
        let measured =
            measure(&extraction.model, &data, &split.test, &teacher_test, seed).map_err(value_error)?;
        let report = ExtractionReport::new(
            method,
            &teacher,
            &data,
            (split.train.len(), split.test.len()),
            &extraction,
            measured,
        );
        let report = serde_json::to_string(&report).map_err(value_error)?;
        let fitted_to_truth = method == Method::Cart;
        let saved = extraction
            .model
            .to_json(&data, (!fitted_to_truth).then_some(teacher.as_str()))
            .map_err(value_error)?;
        Ok((saved, report, extraction.model.text(&data)))
    })
}
