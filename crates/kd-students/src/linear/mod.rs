//! Linear students: ordinary least squares and ridge regression, logistic regression on soft
//! targets (binary and multinomial), each with a coefficient table. The quantile-bin scorecard
//! a logistic student implies lives with the other scorecard in [`crate::scorecard`].

mod family;
mod logistic;
mod multinomial;
mod ordinary;
mod student;

pub(crate) use family::{LINEAR_KIND, LOGISTIC_KIND};
pub use family::{LogisticSettings, PointsTableParams};
pub use logistic::{Coefficient, Logistic, LogisticParams};
pub use multinomial::Multinomial;
pub use ordinary::{Linear, LinearParams};
