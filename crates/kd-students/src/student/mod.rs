//! The readable students as one family: what each one is ([`StudentKind`]: its tasks, its
//! target form, the features it reads), its typed parameters ([`StudentParams`]), the one fit
//! entry point ([`fit_student`]), the fitted model ([`Student`]: outputs, size, contributions,
//! words) and its file format ([`SavedStudent`]).
//!
//! A new student is a module of its own (its params, fit and predict, and `student.rs`: its
//! [`FittedStudent`] answers), a variant in [`StudentKind`] (`kind.rs`), in [`StudentParams`]
//! with its fit arm (`params.rs`) and in [`Student`] with its dispatch arm (`model.rs`).

mod fit;
mod kind;
mod model;
mod params;
mod rows;
mod saved;

pub use fit::{fit_student, fit_student_reporting};
pub use kind::StudentKind;
pub use model::{FittedStudent, Student};
pub use params::{GamSettings, LogisticSettings, PointsTableParams, StudentParams};
pub use rows::{Rows, Unseen};
pub use saved::{FORMAT_VERSION, SavedStudent};
