//! Boosted generalised additive models: the Explainable Boosting Machine (EBM; Lou, Caruana &
//! Gehrke 2012; with pairs, GA²M, Lou, Caruana, Gehrke & Hooker 2013), as interpret 0.7.8
//! implements it: every feature binned (quantiles), then boosting of one term at a time with a
//! small learning rate, each step a shallow tree on one feature's bins — first cyclic rounds
//! with random cuts (smoothing), then greedy steps on the term of largest gain — on outer bags
//! (each with its own validation rows for early stopping) whose shape functions are averaged,
//! their spread kept as error bands; optional pair terms ranked by FAST in every bag on the
//! residuals of its main terms and boosted after them; monotone constraints enforced on the
//! fitted shape functions by isotonic regression.
//!
//! `η(x) = b + Σ_j f_j(x_j) + Σ_(j,k) f_jk(x_j, x_k)`; the prediction is `η` (identity link,
//! squared error) or `σ(η)` (logit link, cross-entropy on targets in `[0, 1]`, so a teacher's
//! probabilities are fitted directly). Terms are centred over the training rows; per-row
//! contributions add up to `η` exactly.
//!
//! Departures from interpret, stated: pairs are not purified (their marginals are not moved
//! into the main terms); at most 256 bins per feature (interpret's default is 1024); a pair's
//! greedy step is FAST's best quadrant split (interpret grows a small tree on the pair's grid);
//! one intercept, the mean target, for every bag; no separate bin for missing values (kd's
//! data have none by then); categorical features are binned as level codes — as interpret does
//! with numeric columns (`feature_types='auto'` makes every numeric column continuous outside
//! differential privacy).

mod boost;
mod explain;
mod model;
mod params;
mod settings;
pub(crate) mod shape;
mod steps;
mod student;

/// The link of a GAM's predictor (shared with the spline GAM).
pub use crate::link::Link;
pub use explain::ShapeRow;
pub use model::{BoostedGam, Term};
pub use params::{GamParams, Monotone};
pub use settings::GamSettings;
pub(crate) use student::{KIND, PAIRS_KIND};
