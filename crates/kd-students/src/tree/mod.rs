//! CART decision trees (Breiman, Friedman, Olshen & Stone 1984) in scikit-learn's exact mode:
//! the same candidate thresholds, the same proxy of the impurity decrease, the same stopping
//! rules and, with `max_leaves`, the same best-first growth as `DecisionTreeClassifier` /
//! `DecisionTreeRegressor`, so that kd chooses the same splits wherever candidates are not tied
//! (scikit-learn visits features in a random order and keeps the first of tied candidates;
//! kd visits them in column order). Features are rounded to `f32` first, as scikit-learn
//! stores them. Checked against scikit-learn 1.9.1 on breast cancer, wine and diabetes
//! (tests/golden/tree).
//!
//! `SplitMode::Histogram` trades exactness for speed on large data: thresholds only between
//! quantile bins, histograms per node built in parallel over features (rayon).
//!
//! Missing values (NaN) are split as scikit-learn (≥ 1.3) splits them: each node learns which
//! side they go to, or separates present from missing values ([`PRESENT_LEFT`]); checked
//! against scikit-learn on data with holes (tests/golden/tree). Categorical features search
//! missing values as one more level. [`Node::missing_left`] saves the side.
//!
//! Targets: classes (Gini or entropy) or a matrix of values (squared error), which covers
//! regression and the multi-output soft targets of born-again trees.
//!
//! Categorical features given with their levels ([`Tree::fit_with_levels`]) are split by level
//! sets, `purpose ∈ {car, furniture}` ([`LevelSplit`], `categorical.rs`): the levels ordered by
//! their mean target and the ordered partitions scanned, exact for one output and two classes
//! (Breiman et al. 1984, §9.4), the first-principal-direction order of Coppersmith, Hong &
//! Hosking (1999) otherwise. `CategoricalSplits::Codes` keeps thresholds on the level codes.

pub(crate) mod binning;
mod categorical;
mod check;
mod export;
mod grow;
mod params;
mod prune;
mod search;
mod split;
mod stats;
mod student;

pub use categorical::LevelSplit;
pub use export::{Rule, TextNode, indented_text};
pub use grow::{Node, Tree, TreeTarget};
pub use params::{CategoricalSplits, Criterion, SplitMode, TreeParams};
pub use search::{NodeSplit, best_node_split};
pub use split::PRESENT_LEFT;
pub(crate) use student::KIND;
