//! kd-students: readable models to stand beside (or in place of) a black box.
//!
//! [`tree`], CART decision trees in scikit-learn's exact mode (and a histogram mode), for
//! classes and for values or soft targets (born-again trees), with level-set splits of
//! categorical features; [`linear`], OLS, ridge and logistic regression on soft targets with a
//! coefficient table; [`scorecard`], the WoE credit scorecard; [`gam`], boosted GAMs;
//! [`compare`], the Distill-and-Compare audit. [`linfa_traits`] gives them linfa's `Fit` and
//! `Predict`.
//!
//! Depends on kd-core (and linfa's traits) only; never on libtorch. Never prints.
//!
//! ```
//! use kd_students::tree::{Tree, TreeParams, TreeTarget};
//! let x = ndarray::array![[1.0], [2.0], [3.0], [4.0]];
//! let tree = Tree::fit(&TreeParams::default(), x.view(), TreeTarget::Classes { y: &[0, 0, 1, 1], n_classes: 2 }).unwrap();
//! assert_eq!(tree.n_leaves(), 2);
//! assert_eq!(tree.predict(ndarray::array![[3.5]].view()).unwrap()[[0, 1]], 1.0);
//! ```

pub mod compare;
mod error;
pub mod gam;
pub mod linear;
pub mod linfa_traits;
mod saved;
pub mod scorecard;
pub mod spline;
pub mod tree;

pub use error::{Error, Result};
pub use saved::{FORMAT_VERSION, SavedStudent, Student};
