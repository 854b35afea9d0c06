//! kd-students: readable models to stand beside (or in place of) a black box.
//!
//! The students as one family: [`StudentKind`] (what each student fits and on which tasks),
//! [`StudentParams`] (their typed parameters), [`fit_student`] (the one entry point, on a
//! teacher's outputs or the true labels), [`Student`] (the fitted model) and [`SavedStudent`]
//! (its file). The students: [`tree`], CART decision trees in scikit-learn's exact mode (and a
//! histogram mode), for classes and for values or soft targets (born-again trees), with
//! level-set splits of categorical features; [`linear`], OLS, ridge, logistic and multinomial
//! regression on soft targets with coefficient tables; [`scorecard`], the WoE scorecard and the
//! quantile-bin scorecard of a logistic student; [`gam`], boosted GAMs; [`spline`], penalised
//! spline GAMs; [`sparse`], L1 / elastic-net logistic regression on
//! sparse columns; [`text`], the n-gram student of text teachers with its local explanations
//! and their faithfulness check. [`contributions`] explains every additive student by terms that add up to its
//! prediction; [`compare`] is the Distill-and-Compare audit; [`linfa_traits`] gives every
//! student linfa's `ParamGuard`, `Fit` and `Predict`. [`reasons`] gives each row's reasons in
//! the order of adverse-action reason codes, and [`sql`] writes a saved student as one SQL
//! `SELECT` (ANSI, PostgreSQL, DuckDB, SQLite).
//!
//! Depends on kd-core, linfa's traits and linfa-linear only; never on libtorch. Never prints.
//!
//! ```
//! use kd_students::tree::{Tree, TreeParams, TreeTarget};
//! let x = ndarray::array![[1.0], [2.0], [3.0], [4.0]];
//! let tree = Tree::fit(&TreeParams::default(), x.view(), TreeTarget::Classes { y: &[0, 0, 1, 1], n_classes: 2 }).unwrap();
//! assert_eq!(tree.n_leaves(), 2);
//! assert_eq!(tree.predict(ndarray::array![[3.5]].view()).unwrap()[[0, 1]], 1.0);
//! ```

pub mod compare;
pub mod contributions;
mod error;
pub mod gam;
pub mod linear;
pub mod linfa_traits;
mod link;
mod progress;
pub mod reasons;
pub mod scorecard;
pub mod sparse;
pub mod spline;
pub mod sql;
mod student;
pub mod text;
pub mod tree;

pub use error::{Error, Result};
pub use gam::GamSettings;
pub use linear::{LogisticSettings, PointsTableParams};
pub use link::Link;
pub use progress::FitProgress;
pub use student::{
    DistillReport, Distilled, FORMAT_VERSION, FittedStudent, Rows, SavedStudent, Schema, Student,
    StudentKind, StudentOptions, StudentParams, Unseen, code_rows, fit_student, fit_student_reporting,
};
