//! The spec's tables of settings, each with its defaults: the audit's defaults, chosen so that
//! the German credit audit takes well under two minutes and the Taiwan one under ten on two cores
//! (README, "kd audit"), with figures that a second seed leaves at the same severity.

use serde::{Deserialize, Serialize};

use super::{at_least, in_range};
use crate::error::Result;

/// Which stages run.
///
/// | key | default | stage |
/// |---|---|---|
/// | `data` | true | rows, columns, missing cells; drift of the current sample |
/// | `novelty` | true | random network distillation (needs kd built with libtorch and a current sample) |
/// | `performance` | true | discrimination, calibration, grades, stability |
/// | `explanation` | true | distilled tree and GAM, Bastani tree, fidelity |
/// | `comparison` | true | Distill-and-Compare and the missing-feature test |
/// | `regression` | "auto" | the regression battery: "auto" (numeric targets), "always", "never" |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Stages {
    /// Data profile and drift.
    pub data: bool,
    /// Novelty.
    pub novelty: bool,
    /// Performance.
    pub performance: bool,
    /// Explanation by distillation.
    pub explanation: bool,
    /// Distill-and-Compare.
    pub comparison: bool,
    /// The regression battery.
    pub regression: Regression,
}

impl Default for Stages {
    fn default() -> Self {
        Self {
            data: true,
            novelty: true,
            performance: true,
            explanation: true,
            comparison: true,
            regression: Regression::Auto,
        }
    }
}

/// When the regression battery runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regression {
    /// When the target is numeric (a regression model under review).
    #[default]
    Auto,
    /// On any numeric target (a 0/1 outcome as a linear probability model).
    Always,
    /// Never.
    Never,
}

/// Discrimination and calibration.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `confidence` | 0.95 | level of every interval |
/// | `hl_groups` | 10 | Hosmer–Lemeshow groups (and reliability bins) |
/// | `rho` | 0.12 | asset correlation of the Vasicek traffic light (Basel's lower bound for retail) |
/// | `psi_bins` | 10 | PSI bins (deciles of the development sample) |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PerformanceSpec {
    /// Interval level.
    pub confidence: f64,
    /// Hosmer–Lemeshow groups.
    pub hl_groups: usize,
    /// Vasicek ρ.
    pub rho: f64,
    /// PSI bins.
    pub psi_bins: usize,
}

impl Default for PerformanceSpec {
    fn default() -> Self {
        Self { confidence: 0.95, hl_groups: 10, rho: 0.12, psi_bins: 10 }
    }
}

impl PerformanceSpec {
    pub(crate) fn check(&self) -> Result<()> {
        in_range("performance.confidence", self.confidence, 0.5, 0.999)?;
        at_least("performance.hl_groups", self.hl_groups, 3)?;
        in_range("performance.rho", self.rho, 0.0, 0.99)?;
        at_least("performance.psi_bins", self.psi_bins, 2)
    }
}

/// Explanation by distillation.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `holdout_fraction` | 0.3 | development rows held out to measure fidelity (stratified) |
/// | `tree_max_depth` | 4 | depth of the born-again and Bastani trees (at most 16 leaves: readable on a page) |
/// | `tree_min_samples_leaf` | 20 | rows per leaf of the born-again tree |
/// | `bastani` | true | extract a Bastani tree too (queryable teachers only) |
/// | `bastani_samples_per_node` | 1000 | points each Bastani node is decided on |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExplanationSpec {
    /// Held-out share.
    pub holdout_fraction: f64,
    /// Tree depth.
    pub tree_max_depth: usize,
    /// Rows per leaf.
    pub tree_min_samples_leaf: usize,
    /// Whether to extract a Bastani tree.
    pub bastani: bool,
    /// Points per Bastani node.
    pub bastani_samples_per_node: usize,
}

impl Default for ExplanationSpec {
    fn default() -> Self {
        Self {
            holdout_fraction: 0.3,
            tree_max_depth: 4,
            tree_min_samples_leaf: 20,
            bastani: true,
            bastani_samples_per_node: 1000,
        }
    }
}

impl ExplanationSpec {
    pub(crate) fn check(&self) -> Result<()> {
        in_range("explanation.holdout_fraction", self.holdout_fraction, 0.05, 0.8)?;
        at_least("explanation.tree_max_depth", self.tree_max_depth, 1)?;
        at_least("explanation.tree_min_samples_leaf", self.tree_min_samples_leaf, 1)?;
        at_least("explanation.bastani_samples_per_node", self.bastani_samples_per_node, 10)
    }
}

/// Distill-and-Compare.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `bootstrap` | 30 | resamples; each fits a mimic and an outcome GAM of one bag |
/// | `materiality` | 0.2 | the smallest difference of mimic and outcome that counts: on the log-odds scale (an odds ratio of 1.22), or in standard deviations of a numeric target |
/// | `candidates` | none | columns the model may have used that are not features: the missing-feature test |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComparisonSpec {
    /// Resamples.
    pub bootstrap: usize,
    /// Smallest difference that counts.
    pub materiality: f64,
    /// Candidate columns.
    pub candidates: Vec<String>,
}

impl Default for ComparisonSpec {
    fn default() -> Self {
        Self { bootstrap: 30, materiality: 0.2, candidates: Vec::new() }
    }
}

impl ComparisonSpec {
    pub(crate) fn check(&self) -> Result<()> {
        at_least("comparison.bootstrap", self.bootstrap, 10)?;
        in_range("comparison.materiality", self.materiality, 0.0, 10.0)
    }
}

/// The boosted GAMs of the audit (kd-students' `GamParams` with interpret's schedule; these keys
/// shorten it for an audit: interpret's classifier boosts at 0.015 for up to 50,000 rounds with
/// 14 bags, which on 20,000 rows takes minutes per fit).
///
/// | key | default | meaning |
/// |---|---|---|
/// | `learning_rate` | 0.05 | shrinkage of each boosting step |
/// | `max_rounds` | 2000 | boosting rounds at most |
/// | `outer_bags` | 8 | bags of the explanation GAM (Distill-and-Compare fits one per resample) |
/// | `max_bins` | 128 | quantile bins per feature |
/// | `early_stopping_rounds` | 50 | patience of early stopping, in rounds |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GamSpec {
    /// Learning rate.
    pub learning_rate: f64,
    /// Rounds at most.
    pub max_rounds: usize,
    /// Bags.
    pub outer_bags: usize,
    /// Bins per feature.
    pub max_bins: usize,
    /// Early-stopping patience.
    pub early_stopping_rounds: usize,
}

impl Default for GamSpec {
    fn default() -> Self {
        Self {
            learning_rate: 0.05,
            max_rounds: 2000,
            outer_bags: 8,
            max_bins: 128,
            early_stopping_rounds: 50,
        }
    }
}

impl GamSpec {
    pub(crate) fn check(&self) -> Result<()> {
        in_range("gam.learning_rate", self.learning_rate, 1e-4, 1.0)?;
        at_least("gam.max_rounds", self.max_rounds, 1)?;
        at_least("gam.outer_bags", self.outer_bags, 1)?;
        at_least("gam.max_bins", self.max_bins, 2)?;
        if self.max_bins > 256 {
            return Err(crate::error::spec("gam.max_bins", format!("{}; at most 256", self.max_bins)));
        }
        at_least("gam.early_stopping_rounds", self.early_stopping_rounds, 1)
    }

    /// kd-students' parameters for `link`: interpret's schedule with these keys applied.
    pub fn params(
        &self,
        link: kd_students::gam::Link,
        outer_bags: usize,
        seed: u64,
    ) -> kd_students::gam::GamParams {
        kd_students::gam::GamParams {
            learning_rate: self.learning_rate,
            max_rounds: self.max_rounds,
            outer_bags,
            max_bins: self.max_bins,
            early_stopping_rounds: self.early_stopping_rounds,
            seed,
            ..kd_students::gam::GamParams::for_link(link)
        }
    }
}

/// Novelty by random network distillation.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `epochs` | 30 | passes of the predictor over the development rows |
/// | `holdout_fraction` | 0.2 | development rows kept out of training: their 99th percentile is the bar |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NoveltySpec {
    /// Epochs.
    pub epochs: usize,
    /// Held-out share.
    pub holdout_fraction: f64,
}

impl Default for NoveltySpec {
    fn default() -> Self {
        Self { epochs: 30, holdout_fraction: 0.2 }
    }
}

impl NoveltySpec {
    pub(crate) fn check(&self) -> Result<()> {
        at_least("novelty.epochs", self.epochs, 1)?;
        in_range("novelty.holdout_fraction", self.holdout_fraction, 0.05, 0.5)
    }
}
