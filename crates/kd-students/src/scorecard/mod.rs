//! Credit scorecards, the two methods kd has, told apart by name:
//!
//! - [`WoeScorecard`] (`woe/`): the weight-of-evidence scorecard, the banking standard — fine
//!   and coarse classing, WoE per class, a logistic regression on the WoE features, points per
//!   class that add up exactly to the model's log-odds. The `scorecard` student of `kd distill`.
//! - [`QuantileScorecard`] (`quantile.rs`): points per quantile bin of each feature read off a
//!   fitted logistic student (`kd distill --student logistic --scorecard BINS`); it refits
//!   nothing, so its points approximate the student.
//!
//! Both use the same points scale, [`ScorecardScaling`] (`scaling.rs`).

mod quantile;
mod scaling;
mod woe;

pub use quantile::{QuantileBin, QuantileScorecard};
pub use scaling::ScorecardScaling;
pub(crate) use woe::KIND as WOE_KIND;
pub use woe::{PointsRow, WoeBin, WoeClass, WoeFeature, WoeParams, WoeScorecard};
