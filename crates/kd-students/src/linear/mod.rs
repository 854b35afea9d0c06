//! Linear students: logistic regression on soft targets with a coefficient table.

mod logistic;

pub use logistic::{Coefficient, Logistic, LogisticParams};
