//! Parameters of a CART tree, checked before fitting.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

/// The impurity a split reduces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity `1 − Σ p_k²` (classification; the default).
    #[default]
    Gini,
    /// Entropy `−Σ p_k log₂ p_k` (classification).
    Entropy,
    /// Mean squared error, averaged over outputs (regression, including soft targets).
    SquaredError,
}

/// How candidate thresholds are found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum SplitMode {
    /// Every threshold between distinct values, as scikit-learn (the default).
    #[default]
    Exact,
    /// Thresholds only between quantile bins of each feature (at most `max_bins`, 2 to 256),
    /// found from per-node histograms built in parallel over features: far faster on large
    /// data, and exact when a feature has no more distinct values than bins.
    Histogram {
        /// Bins per feature.
        max_bins: usize,
    },
}

/// How categorical features (given with their levels to
/// [`Tree::fit_with_levels`](super::Tree::fit_with_levels)) are split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoricalSplits {
    /// By level sets, `x ∈ S` goes left, the levels ordered by their mean target (the default).
    #[default]
    Native,
    /// By thresholds on the level codes, as if they were numbers.
    Codes,
}

/// Parameters of [`Tree::fit`](super::Tree::fit) (defaults as scikit-learn's trees).
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `criterion` | `Gini` | impurity; `SquaredError` for values and soft targets |
/// | `max_depth` | none | depth of the deepest leaf (root = 0) |
/// | `min_samples_split` | 2 | rows a node needs to be split |
/// | `min_samples_leaf` | 1 | rows each child must keep |
/// | `max_leaves` | none | grow best-first (largest impurity decrease first) up to this many leaves |
/// | `mode` | `Exact` | exact thresholds, or `Histogram { max_bins }` |
/// | `ccp_alpha` | 0 | minimal cost-complexity pruning after growth |
/// | `categorical` | `Native` | level-set splits of categorical features, or thresholds on their `Codes` |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Impurity criterion.
    pub criterion: Criterion,
    /// Maximum depth.
    pub max_depth: Option<usize>,
    /// Minimum rows to split a node (at least 2).
    pub min_samples_split: usize,
    /// Minimum rows per leaf (at least 1).
    pub min_samples_leaf: usize,
    /// Maximum number of leaves (at least 2).
    pub max_leaves: Option<usize>,
    /// Exact or histogram thresholds.
    #[serde(default)]
    pub mode: SplitMode,
    /// Cost-complexity pruning after growth (0: none).
    #[serde(default)]
    pub ccp_alpha: f64,
    /// How categorical features are split.
    #[serde(default)]
    pub categorical: CategoricalSplits,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_leaves: None,
            mode: SplitMode::Exact,
            ccp_alpha: 0.0,
            categorical: CategoricalSplits::Native,
        }
    }
}

impl TreeParams {
    /// Sets the criterion.
    pub fn criterion(mut self, criterion: Criterion) -> Self {
        self.criterion = criterion;
        self
    }
    /// Sets the maximum depth.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = Some(depth);
        self
    }
    /// Sets the minimum rows per leaf.
    pub fn min_samples_leaf(mut self, rows: usize) -> Self {
        self.min_samples_leaf = rows;
        self
    }
    /// Sets the minimum rows to split.
    pub fn min_samples_split(mut self, rows: usize) -> Self {
        self.min_samples_split = rows;
        self
    }
    /// Sets the maximum number of leaves.
    pub fn max_leaves(mut self, leaves: usize) -> Self {
        self.max_leaves = Some(leaves);
        self
    }

    /// Prunes at cost complexity `alpha` after growth.
    pub fn ccp_alpha(mut self, alpha: f64) -> Self {
        self.ccp_alpha = alpha;
        self
    }

    /// Splits categorical features by level sets (`Native`) or thresholds on their codes.
    pub fn categorical(mut self, splits: CategoricalSplits) -> Self {
        self.categorical = splits;
        self
    }

    /// Uses histogram thresholds with `max_bins` bins per feature.
    pub fn histogram(mut self, max_bins: usize) -> Self {
        self.mode = SplitMode::Histogram { max_bins };
        self
    }

    /// Checks the ranges (linfa's `ParamGuard` idea): an error names the parameter.
    pub fn check(&self) -> Result<()> {
        if self.min_samples_split < 2 {
            return Err(invalid_parameter(
                "min_samples_split",
                format!("{} (at least 2)", self.min_samples_split),
            ));
        }
        if self.min_samples_leaf < 1 {
            return Err(invalid_parameter("min_samples_leaf", "0 (at least 1)"));
        }
        if let SplitMode::Histogram { max_bins } = self.mode
            && !(2..=256).contains(&max_bins)
        {
            return Err(invalid_parameter("max_bins", format!("{max_bins} (2 to 256)")));
        }
        if !(self.ccp_alpha >= 0.0 && self.ccp_alpha.is_finite()) {
            return Err(invalid_parameter("ccp_alpha", format!("{} (a finite value ≥ 0)", self.ccp_alpha)));
        }
        if self.max_depth == Some(0) {
            return Err(invalid_parameter(
                "max_depth",
                "0 (at least 1, as scikit-learn: a tree of depth 0 is a constant)",
            ));
        }
        if let Some(leaves) = self.max_leaves.filter(|&l| l < 2) {
            return Err(invalid_parameter("max_leaves", format!("{leaves} (at least 2)")));
        }
        Ok(())
    }
}
