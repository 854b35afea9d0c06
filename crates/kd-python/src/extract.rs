//! `kd.extract`: a tree drawn from a Python model by querying it (Bastani, Kim & Bastani 2017),
//! as `kd extract` draws it: the same split, input mixture, queries and fidelity.
//!
//! The teacher is a Python function of rows of numbers (categorical features as level codes)
//! that the package's Python half turns into the user's own frame; kd calls it, the GIL
//! re-taken, whenever the extraction needs the model's answer at new points.

use kd_core::data::{Dataset, DatasetSpec, TaskHint, train_test_split};
use kd_core::metrics::{accuracy, argmax};
use kd_core::teacher::Teacher;
use kd_extract::Oracle;
use kd_extract::bastani::{BastaniParams, extract as bastani};
use kd_extract::fidelity::{class_fidelity, value_fidelity};
use kd_extract::input::{Components, MixtureParams};
use kd_students::{SavedStudent, Student};
use ndarray::Axis;
use pyo3::prelude::*;

use super::teacher::{Context, python_teacher};
use super::{table, value_error};

/// Bastani extraction on a frame: `max_leaves`, `samples_per_node`, `components` (None: chosen
/// by BIC up to 10), `test_fraction` and `seed` as `kd extract`'s flags. Returns the tree as a
/// saved student and the report (JSON), with the report's figures named as the program's.
#[pyfunction]
#[pyo3(signature = (names, cells, target, query, teacher, max_leaves, samples_per_node, components, test_fraction, seed))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn extract(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    query: Py<PyAny>,
    teacher: String,
    max_leaves: usize,
    samples_per_node: usize,
    components: Option<usize>,
    test_fraction: f64,
    seed: u64,
) -> PyResult<(String, String)> {
    let table = table(names, cells)?;
    py.detach(|| {
        let spec = DatasetSpec { target, task: TaskHint::Auto, ..DatasetSpec::default() };
        let data = Dataset::from_table(&table, &spec).map_err(value_error)?;
        let split =
            train_test_split(data.n_rows(), test_fraction, seed, data.classes()).map_err(value_error)?;
        let mut model = python_teacher(teacher.clone(), &data, query, Context::Rows);
        let x_train = data.x().select(Axis(0), &split.train);
        let params = BastaniParams {
            max_leaves,
            samples_per_node,
            mixture: MixtureParams {
                components: components.map_or(Components::Bic { max: 10 }, Components::Fixed),
                seed,
                ..MixtureParams::default()
            },
            seed,
            ..BastaniParams::default()
        };
        let found = {
            let mut oracle = Oracle::new(&mut model).map_err(value_error)?;
            bastani(&params, x_train.view(), &data.feature_kinds(), &mut oracle).map_err(value_error)?
        };
        let teacher_test = model.predict_rows(&data, &split.test).map_err(value_error)?;
        let tree_test =
            found.tree.predict(data.x().select(Axis(0), &split.test).view()).map_err(value_error)?;
        let task = data.task();
        let fidelity = if task.is_classification() {
            class_fidelity(&argmax(tree_test.view()), &argmax(teacher_test.view()), seed)
        } else {
            value_fidelity(tree_test.column(0), teacher_test.column(0), seed)
        }
        .map_err(value_error)?;
        let (accuracy, teacher_accuracy) = match data.target() {
            kd_core::data::Target::Classes { y, .. } => {
                let truth: Vec<usize> = split.test.iter().map(|&r| y[r]).collect();
                (
                    Some(accuracy(&truth, &argmax(tree_test.view())).map_err(value_error)?),
                    Some(accuracy(&truth, &argmax(teacher_test.view())).map_err(value_error)?),
                )
            }
            kd_core::data::Target::Values(_) => (None, None),
        };
        let report = serde_json::json!({
            "method": "bastani", "teacher": teacher, "task": task.name(),
            "n_train": split.train.len(), "n_test": split.test.len(),
            "n_leaves": found.tree.n_leaves(), "depth": found.tree.depth(),
            "fidelity": fidelity.value, "fidelity_ci": [fidelity.ci.0, fidelity.ci.1],
            "accuracy": accuracy, "teacher_accuracy": teacher_accuracy,
            "n_queries": found.n_queries, "mixture_components": found.mixture.components.len(),
        });
        let saved = SavedStudent::new(Student::Tree(found.tree), &data, Some(&teacher))
            .to_json()
            .map_err(value_error)?;
        Ok((saved, report.to_string()))
    })
}
