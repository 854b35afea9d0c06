//! TREPAN: a tree of m-of-n tests extracted from a trained classifier by querying it
//! (M. W. Craven & J. W. Shavlik, "Extracting tree-structured representations of trained
//! networks", NIPS 8, 1996; M. W. Craven, *Extracting comprehensible models from trained neural
//! networks*, PhD thesis, University of Wisconsin–Madison, 1996).
//!
//! The algorithm, as implemented in [`trepan`]:
//! 1. The training rows are labelled by the oracle (the teacher's most probable class).
//! 2. Every node `N` is decided on its *examples*: the training rows that reach it plus
//!    queries drawn to make up `S_min` examples ([`TrepanParams::min_samples`], 1000 as in the
//!    paper), labelled by the oracle. Queries come from per-feature marginal models (Gaussian
//!    kernel densities for numeric features, level frequencies for categorical ones) fitted to
//!    the training rows reaching `N`, or inherited from the parent when fewer than
//!    `min_model_rows` rows reach it, and drawn independently per feature subject to the tests
//!    on the path to `N` (see `sampling.rs`).
//! 3. Best-first expansion: the node with the largest `reach(N) × (1 − fidelity(N))` is split
//!    next, where `reach(N)` is the estimated share of the input distribution reaching `N` (the
//!    product of the branch shares of the examples on its path) and `fidelity(N)` the share of
//!    its examples whose oracle class is its majority class.
//! 4. Its split is an m-of-n test ([`MofN`]) found by beam search (width 2) from the best single
//!    test `x_j ≤ t` / `x_j > t`, by information gain on its examples (`search.rs`); a node
//!    whose best test gains less than `min_gain` bits stays a leaf.
//! 5. A new node is a leaf when the one-sided binomial ε/δ test says its majority class holds
//!    a share `≥ 1 − ε` with confidence `1 − δ` ([`passes_stopping_test`]); growth stops when
//!    `max_internal` nodes are internal or no node is left to split.
//!
//! Departures from the paper, each documented where it is made: the marginal model of a node
//! is its parent's when fewer than `min_model_rows` training rows reach it (the paper decides
//! with a Kolmogorov–Smirnov / χ² test whether the local distribution differs); m-of-n
//! constraints on the path are enforced by rejection with a cap rather than by the paper's
//! sequential sampling; numeric queries stay within the training rows' range of each feature;
//! an m-of-n test grows only by literals whose gain passes a χ² test at `literal_alpha` (our
//! reading of the thesis's significance test) and has at most `max_literals` literals;
//! categorical features are tested on their level codes (`x_j ≤ t`) rather than by `x_j = v`.
//!
//! ```
//! use kd_core::{Task, teacher::FnTeacher};
//! use kd_extract::{Oracle, input::FeatureKind, trepan::{TrepanParams, trepan}};
//! use ndarray::{Array2, ArrayView2};
//! // Class 1 when x0 > 0.5.
//! let mut teacher = FnTeacher::new("step", Task::Binary, 2, |x: ArrayView2<f64>| {
//!     Ok(Array2::from_shape_fn((x.nrows(), 2), |(i, k)| f64::from(u8::from((x[[i, 0]] > 0.5) == (k == 1)))))
//! });
//! let x = Array2::from_shape_fn((50, 2), |(i, j)| ((i * 7 + j * 13) % 50) as f64 / 50.0);
//! let mut oracle = Oracle::new(&mut teacher).unwrap();
//! let params = TrepanParams { min_samples: 300, ..TrepanParams::default() };
//! let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, 0).unwrap();
//! assert_eq!(tree.predict(ndarray::array![[0.9, 0.1], [0.1, 0.9]].view()).unwrap(), vec![1, 0]);
//! ```

mod export;
mod grow;
mod mofn;
mod params;
mod prune;
mod sampling;
mod search;
mod stopping;
mod tree;

pub use grow::trepan;
pub use mofn::{Literal, MofN};
pub use params::{Bandwidth, TrepanParams};
pub use stopping::{majority_p_value, passes_stopping_test};
pub use tree::{TrepanNode, TrepanSplit, TrepanTree};
