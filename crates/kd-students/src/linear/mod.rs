//! Linear students: logistic regression on soft targets with a coefficient table, and the
//! credit scorecard it implies.

mod logistic;
mod scorecard;

pub use logistic::{Coefficient, Logistic, LogisticParams};
pub use scorecard::{Scorecard, ScorecardBin, ScorecardScaling};
