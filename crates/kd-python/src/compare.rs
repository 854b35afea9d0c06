//! `kd.compare`: Distill-and-Compare (Tan et al. 2018) on a frame, as `kd compare` runs it: a
//! mimic GAM of the teacher's scores beside an outcome GAM of the true outcomes on the same
//! bootstrap resamples, feature by feature, and the missing-feature test of each candidate
//! column. The teacher's scores arrive computed (the probability of class 1, or values).

use kd_core::data::columns::values;
use kd_core::data::{Dataset, DatasetSpec, TaskHint};
use kd_students::compare::{
    CandidateTest, CompareParams, ComparisonReport, candidate_test, compare_shapes, link_of, outcome_of,
};
use ndarray::Array1;
use pyo3::prelude::*;

use super::{table, value_error};

/// Distill-and-Compare of `scores` (one per row) against the frame's `target`, the
/// `candidates` columns left out of the features and tested one by one. `bootstrap`,
/// `flag_share` and `seed` are `kd compare`'s flags, with its defaults given by the caller.
#[pyfunction]
#[pyo3(signature = (names, cells, target, scores, candidates, bootstrap, flag_share, seed))]
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
) -> PyResult<String> {
    let table = table(names, cells)?;
    py.detach(|| {
        let spec = DatasetSpec {
            target,
            task: TaskHint::Auto,
            exclude: candidates.clone(),
            ..DatasetSpec::default()
        };
        let data = Dataset::from_table(&table, &spec).map_err(value_error)?;
        let (link, scale) = link_of(data.task()).map_err(value_error)?;
        if scores.len() != data.n_rows() {
            return Err(value_error(format!(
                "invalid teacher: it gave {} scores for {} rows",
                scores.len(),
                data.n_rows()
            )));
        }
        let outcome = outcome_of(&data);
        let scores = Array1::from(scores);
        let columns: Vec<Array1<f64>> = candidates
            .iter()
            .map(|name| values(&table, name, data.source_rows()).map(Array1::from).map_err(value_error))
            .collect::<PyResult<_>>()?;
        let params = CompareParams { bootstrap, flag_share, seed, ..CompareParams::default() };
        let comparisons = compare_shapes(&params, data.x().view(), outcome.view(), scores.view(), link)
            .map_err(value_error)?;
        let tests: Vec<CandidateTest> = columns
            .iter()
            .map(|c| candidate_test(&params, data.x().view(), c.view(), scores.view(), link))
            .collect::<Result<_, _>>()
            .map_err(value_error)?;
        let names: Vec<&str> = data.features().iter().map(|f| f.name.as_str()).collect();
        // The JSON of `kd compare --format json` without its teacher and seconds.
        let report = ComparisonReport::new(
            data.task().name(),
            scale,
            data.n_rows(),
            &params,
            &names,
            &comparisons,
            &candidates,
            &tests,
        );
        serde_json::to_string(&report).map_err(value_error)
    })
}
