//! `kd.compare`: Distill-and-Compare (Tan et al. 2018) on a frame, as `kd compare` runs it: a
//! mimic GAM of the teacher's scores beside an outcome GAM of the true outcomes on the same
//! bootstrap resamples, feature by feature, and the missing-feature test of each candidate
//! column. The teacher's scores arrive computed (the probability of class 1, or values).

use kd_core::data::{Dataset, DatasetSpec, TaskHint};
use kd_students::compare::{CompareInputs, CompareParams, distill_and_compare};
use ndarray::Array1;
use pyo3::prelude::*;

use super::{table, value_error};

/// Distill-and-Compare of `scores` (one per row) against the frame's `target`, the
/// `candidates` columns left out of the features and tested one by one. `bootstrap`,
/// `flag_share` and `seed` are `kd compare`'s flags, with its defaults given by the caller;
/// with `svg`, the shapes drawn as `kd compare --svg` draws them come second.
#[pyfunction]
#[pyo3(signature = (names, cells, target, scores, candidates, bootstrap, flag_share, seed, svg))]
#[allow(clippy::too_many_arguments)] // one Python call's keyword arguments
pub fn compare(
    py: Python<'_>,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    target: String,
    scores: Vec<f64>,
    candidates: Vec<String>,
    bootstrap: usize,
    flag_share: f64,
    seed: u64,
    svg: bool,
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
        let inputs = CompareInputs::new(&table, &data, &candidates).map_err(value_error)?;
        let params = CompareParams { bootstrap, flag_share, seed, ..CompareParams::default() };
        let found =
            distill_and_compare(&params, &inputs, Array1::from(scores).view()).map_err(value_error)?;
        // The JSON of `kd compare --format json` without its teacher and seconds.
        let report = found.report();
        let shapes = if svg { Some(found.svg().map_err(value_error)?) } else { None };
        Ok((serde_json::to_string(&report).map_err(value_error)?, shapes))
    })
}
