//! Linear students: ordinary least squares and ridge regression, logistic regression on soft
//! targets, each with a coefficient table, and the credit scorecard a logistic student implies.

mod logistic;
mod multinomial;
mod ordinary;
mod scorecard;

pub use logistic::{Coefficient, Logistic, LogisticParams};
pub use multinomial::Multinomial;
pub use ordinary::{Linear, LinearParams};
pub use scorecard::{Scorecard, ScorecardBin, ScorecardScaling};
