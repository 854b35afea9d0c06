//! Distill-and-Compare's results as reports write them (`kd compare --format json`, the Python
//! package's `kd.compare`): each feature's comparison and each candidate's test under its name.

use serde::Serialize;

use super::{CandidateTest, CompareParams, FeatureComparison};

/// A figure under the name of the feature or candidate it belongs to (`{"name": …, …}`).
#[derive(Debug, Serialize)]
pub struct Named<'a, T> {
    /// The feature's or candidate's name.
    pub name: &'a str,
    /// Its figure, whose fields follow the name.
    #[serde(flatten)]
    pub figure: &'a T,
}

/// The comparison of every feature and the test of every candidate, with the settings that
/// produced them.
#[derive(Debug, Serialize)]
pub struct ComparisonReport<'a> {
    /// The task's name (binary, multiclass or regression).
    pub task: &'static str,
    /// The class audited against the others (a classification target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<&'a str>,
    /// The scale of the shapes ("log-odds of class yes", "the target's units").
    pub scale: &'a str,
    /// Rows compared.
    pub n_rows: usize,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Share of rows that flags a feature.
    pub flag_share: f64,
    /// Every feature's comparison, in feature order.
    pub features: Vec<Named<'a, FeatureComparison>>,
    /// The flagged features' names.
    pub flagged: Vec<&'a str>,
    /// Every candidate's test.
    pub candidates: Vec<Named<'a, CandidateTest>>,
}

impl<'a> ComparisonReport<'a> {
    /// The report of `comparisons` (their `feature` indexing `names`) and of the candidates
    /// `candidates` tested by `tests`, computed with `params` on `n_rows` rows.
    #[allow(clippy::too_many_arguments)] // the report's parts, each from its own computation
    pub fn new(
        task: &'static str,
        scale: &'a str,
        n_rows: usize,
        params: &CompareParams,
        names: &[&'a str],
        comparisons: &'a [FeatureComparison],
        candidates: &'a [String],
        tests: &'a [CandidateTest],
    ) -> Self {
        Self {
            task,
            class: None,
            scale,
            n_rows,
            bootstrap: params.bootstrap,
            flag_share: params.flag_share,
            features: comparisons.iter().map(|c| Named { name: names[c.feature], figure: c }).collect(),
            flagged: comparisons.iter().filter(|c| c.flagged).map(|c| names[c.feature]).collect(),
            candidates: candidates
                .iter()
                .zip(tests)
                .map(|(name, test)| Named { name, figure: test })
                .collect(),
        }
    }
}
