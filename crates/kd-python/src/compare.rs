//! `kd.compare`: Distill-and-Compare (Tan et al. 2018) on a frame, as `kd compare` runs it: a
//! mimic GAM of the teacher's scores beside an outcome GAM of the true outcomes on the same
//! bootstrap resamples, feature by feature, and the missing-feature test of each candidate
//! column. The teacher is asked through the package's Python half once the data and settings
//! are checked, as the program asks it.

use kd_core::data::{Dataset, DatasetSpec, TaskHint};
use kd_core::teacher::check_outputs;
use kd_students::compare::{CompareInputs, CompareParams, distill_and_compare};
use pyo3::prelude::*;

use super::{outputs_array, table, value_error};

/// Distill-and-Compare of the teacher's outputs against the frame's `target`, the `candidates`
/// columns left out of the features and tested one by one. `ask()` gives the teacher's outputs
/// (a row per row of the frame: the probability of every class, or the value), called once
/// the frame, the target and the settings are checked, so that a bad input is refused before
/// the teacher works. `class_` names the class audited against the others (needed with more
/// than two classes; a binary target's class 1 by default). `bootstrap`, `flag_share` and
/// `seed` are `kd compare`'s flags, with its defaults given by the caller; with `svg`, the
/// shapes drawn as `kd compare --svg` draws them come second.
#[pyfunction]
#[pyo3(signature = (names, cells, target, ask, candidates, bootstrap, flag_share, seed, svg, class_))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn compare(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    ask: Py<PyAny>,
    candidates: Vec<String>,
    bootstrap: usize,
    flag_share: f64,
    seed: u64,
    svg: bool,
    class_: Option<String>,
) -> PyResult<(String, Option<String>)> {
    let table = table(names, cells)?;
    py.detach(|| {
        let spec = DatasetSpec {
            target,
            task: TaskHint::Auto,
            exclude: candidates.clone(),
            ..DatasetSpec::default()
        };
        let data = Dataset::from_table(&table, &spec).map_err(value_error)?;
        let params = CompareParams { bootstrap, flag_share, seed, ..CompareParams::default() };
        let inputs = CompareInputs::new(&params, &table, &data, &candidates, class_.as_deref()).map_err(
            |e| match e {
                kd_students::Error::InvalidParameter { name, reason } if name == "class" => {
                    value_error(format!("invalid class_: {reason}"))
                }
                other => value_error(other),
            },
        )?;
        let outputs: Vec<Vec<f64>> = Python::attach(|py| ask.call0(py)?.extract(py))?;
        // The program's checks of a teacher's answer: rows, widths, finite, probabilities.
        let outputs = outputs_array(&outputs, data.n_rows(), "frame")?;
        check_outputs("teacher", data.task(), 0, data.n_rows(), &outputs).map_err(value_error)?;
        let scores = inputs.audited().scores(outputs.view()).map_err(value_error)?;
        let found = distill_and_compare(&inputs, scores.view()).map_err(value_error)?;
        // The JSON of `kd compare --format json` without its teacher and seconds.
        let report = found.report();
        let shapes = if svg { Some(found.svg().map_err(value_error)?) } else { None };
        Ok((serde_json::to_string(&report).map_err(value_error)?, shapes))
    })
}
