//! The weight-of-evidence scorecard, the banking standard (Siddiqi 2006, *Credit Risk Scorecards*, ch. 6–7;
//! Thomas, Edelman & Crook 2002, ch. 8): every feature fine-classed (quantile bins, categorical
//! levels as their own bins) and coarse-classed (adjacent bins merged until each holds
//! `min_bin_share` of the rows and both outcomes, then until the WoE is monotone), each class
//! replaced by its weight of evidence, a logistic regression on the WoE features, and points
//! per class with the PDO / base-odds scaling of [`ScorecardScaling`](super::ScorecardScaling).
//!
//! With `t` the probability of the bad outcome (class `bad_class` of [`WoeParams`], 1 by
//! default; a 0/1 label or a teacher's probability), good mass `g_b = Σ_{i∈b} (1 − t_i)`, bad mass `d_b = Σ_{i∈b} t_i`, totals `G`
//! and `D`: `WoE_b = ln((g_b / G) / (d_b / D))`, and when `g_b` or `d_b` is 0 both get 0.5
//! first (the usual correction of an empty cell; the totals are not changed). Information
//! value `IV = Σ_b (g_b/G − d_b/D) · WoE_b`. The regression is `P(bad) = σ(b + Σ_j w_j WoE_j)`
//! ([`Logistic`](crate::linear::Logistic), soft targets allowed); a feature left with a single
//! class has WoE 0 everywhere and stays out of it. With `factor = PDO / ln 2` and
//! `offset = base score − factor · ln(base odds)`, class `b` of feature `j` earns
//! `−factor · w_j · WoE_b` points and everyone starts with `offset − factor · b`, so a row's
//! points add up to `offset + factor · ln(odds good)` exactly, and
//! [`ScorecardScaling::pd_of_score`](super::ScorecardScaling::pd_of_score) maps that
//! score back to the predicted probability. Checked against pandas and statsmodels 0.15.0 on
//! German credit (tests/golden/woe_scorecard): WoE and IV to 1e-10, coefficients to 1e-6.

mod classing;
mod explain;
mod model;
mod params;
mod student;

pub use explain::PointsRow;
pub use model::{WoeBin, WoeClass, WoeFeature, WoeScorecard};
pub use params::WoeParams;
pub(crate) use student::KIND;
