//! Boosted generalised additive models: the Explainable Boosting Machine (EBM; Lou, Caruana &
//! Gehrke 2012; with pairs, GA²M, Lou, Caruana, Gehrke & Hooker 2013), as interpret implements
//! it: every feature binned (quantiles, up to 256 bins), then cyclic gradient boosting with a
//! small learning rate, each step a shallow tree on one feature's bins; outer bags (each with
//! its own validation rows for early stopping) averaged, their spread kept as error bands;
//! optional pair terms ranked by FAST on the main terms' residuals and boosted after them;
//! monotone constraints enforced on the fitted shape functions by isotonic regression.
//!
//! `η(x) = b + Σ_j f_j(x_j) + Σ_(j,k) f_jk(x_j, x_k)`; the prediction is `η` (identity link,
//! squared error) or `σ(η)` (logit link, cross-entropy on targets in `[0, 1]`, so a teacher's
//! probabilities are fitted directly). Terms are centred over the training rows; per-row
//! contributions add up to `η` exactly.
//!
//! Departures from interpret, stated: pairs are not purified (their marginals are not moved
//! into the main terms); the same 256-bin cap for every feature (interpret's default is 1024);
//! categorical features are binned as level codes.

mod boost;
mod explain;
mod model;
mod params;
pub(crate) mod shape;
mod steps;

pub use explain::ShapeRow;
pub use model::{BoostedGam, Term};
pub use params::{GamParams, Link, Monotone};
