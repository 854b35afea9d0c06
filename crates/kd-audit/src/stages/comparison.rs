//! The comparison stage: Distill-and-Compare (Tan, Caruana, Hooker & Lou 2018). A mimic GAM of
//! the model's score beside an outcome GAM of the true outcomes, on the same bootstrap
//! resamples of the development rows, compared feature by feature (kd-students' `compare`);
//! and for each candidate column of the spec, whether adding it improves the mimic's
//! out-of-bag fidelity (the missing-feature test). Needs no queries: it reads the scores the
//! model gave on the development rows.

use kd_core::Task;
use kd_core::data::Table;
use kd_core::data::columns::values;
use kd_students::compare::{CandidateTest, CompareParams, FeatureComparison, candidate_test, compare_shapes};
use kd_students::gam::Link;
use ndarray::Array1;
use serde::Serialize;

use crate::error::{Result, at, spec};
use crate::samples::Sample;
use crate::spec::Spec;

const STAGE: &str = "comparison";

/// One feature's comparison, named.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedFeature {
    /// The feature.
    pub name: String,
    /// Its levels, when categorical (grid values are level codes).
    pub levels: Option<Vec<String>>,
    /// Share of rows in bins where the 95% band of mimic − outcome excludes 0 and the difference
    /// is material (at least `comparison.materiality`): the figure the audit grades (kd-students'
    /// `differing_share` with that materiality; without it, centring alone, a large level
    /// shifted by a few hundredths when a rare one differs, could fill the share).
    pub material_share: f64,
    /// Shapes, bands, amplitudes and the flag.
    #[serde(flatten)]
    pub comparison: FeatureComparison,
}

/// One candidate column's test.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateResult {
    /// The column.
    pub name: String,
    /// The test.
    #[serde(flatten)]
    pub test: CandidateTest,
}

/// The stage's result.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonReport {
    /// Rows.
    pub n_rows: usize,
    /// Resamples.
    pub bootstrap: usize,
    /// The shapes' scale.
    pub scale: String,
    /// The smallest difference that counts, on the shapes' scale.
    pub materiality: f64,
    /// Features, the most differing first.
    pub features: Vec<ComparedFeature>,
    /// Candidate columns.
    pub candidates: Vec<CandidateResult>,
}

/// Runs the stage.
pub fn run(spec: &Spec, task: Task, dev: &Sample, bad_label: Option<&str>) -> Result<ComparisonReport> {
    let (link, scale) = match task {
        Task::Binary => (Link::Logit, format!("log-odds of '{}'", bad_label.unwrap_or_default())),
        _ => (Link::Identity, format!("the units of '{}'", dev.data.target_name())),
    };
    // Material on the log-odds scale, or in standard deviations of a numeric target.
    let unit = match link {
        Link::Logit => 1.0,
        Link::Identity => {
            let mean = dev.outcome.iter().sum::<f64>() / dev.outcome.len().max(1) as f64;
            (dev.outcome.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / dev.outcome.len().max(1) as f64)
                .sqrt()
        }
    };
    let materiality = spec.comparison.materiality * unit;
    let params = CompareParams {
        bootstrap: spec.comparison.bootstrap,
        gam: spec.gam.params(link, 1, spec.seed),
        flag_share: spec.thresholds.comparison_share.amber.clamp(f64::MIN_POSITIVE, 1.0),
        materiality,
        seed: spec.seed,
        ..CompareParams::default()
    };
    // The candidate columns are read before the fits, so that a bad one is refused at once.
    let columns = spec
        .comparison
        .candidates
        .iter()
        .map(|name| candidate(&dev.table, name, dev.data.source_rows()))
        .collect::<Result<Vec<_>>>()?;
    let x = dev.data.x().view();
    let outcome = Array1::from(dev.outcome.clone());
    let score = Array1::from(dev.score.clone());
    let comparisons = compare_shapes(&params, x, outcome.view(), score.view(), link).map_err(at(STAGE))?;
    let mut features: Vec<ComparedFeature> = comparisons
        .into_iter()
        .map(|c| {
            let f = &dev.data.features()[c.feature];
            ComparedFeature {
                name: f.name.clone(),
                levels: f.levels.clone(),
                material_share: c.differing_share,
                comparison: c,
            }
        })
        .collect();
    features.sort_by(|a, b| b.material_share.total_cmp(&a.material_share));
    let candidates = spec
        .comparison
        .candidates
        .iter()
        .zip(&columns)
        .map(|(name, column)| {
            let test = candidate_test(&params, dev.data.x().view(), column.view(), score.view(), link)
                .map_err(at(STAGE))?;
            Ok(CandidateResult { name: name.clone(), test })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ComparisonReport {
        n_rows: dev.data.n_rows(),
        bootstrap: params.bootstrap,
        scale,
        materiality,
        features,
        candidates,
    })
}

/// A candidate column at the used rows: numbers, or level codes. A missing cell is an error
/// naming the key, file, line and column.
fn candidate(table: &Table, name: &str, rows: &[usize]) -> Result<Array1<f64>> {
    let column = values(table, name, rows).map_err(|e| spec("comparison.candidates", e.to_string()))?;
    Ok(Array1::from(column))
}
