//! Sparse logistic regression for many sparse columns (n-grams): an L1 or elastic-net penalty
//! chosen along a warm-started path so that the model keeps at most a given number of
//! non-zero weights, fitted by glmnet's coordinate descent to soft targets (a teacher's
//! probabilities). [`SparseLogistic`] is the model, [`SparseLogisticParams`] its settings.
//!
//! ```
//! # fn main() -> kd_students::Result<()> {
//! use kd_students::sparse::{SparseLogistic, SparseLogisticParams};
//! // Column 0 says class 1, column 1 says nothing.
//! let x = sprs::CsMat::new((4, 2), vec![0, 1, 2, 4, 4], vec![0, 1, 0, 1], vec![1.0; 4]);
//! let y = ndarray::array![0.9, 0.2, 0.8, 0.1];
//! let params = SparseLogisticParams { max_terms: Some(1), ..SparseLogisticParams::default() };
//! let model = SparseLogistic::fit(&params, &x, y.view())?;
//! assert_eq!(model.weights.len(), 1);
//! assert_eq!(model.weights[0].0, 0);
//! # Ok(()) }
//! ```

mod model;
mod params;
mod solver;

pub use model::{PathPoint, SparseLogistic};
pub use params::SparseLogisticParams;
