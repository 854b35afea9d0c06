//! The readable students as one family: what each one is ([`StudentKind`]: its tasks, its
//! target form, the features it reads), its typed parameters ([`StudentParams`]) and the
//! settings by name that a program or binding fills to get them ([`StudentOptions`],
//! [`StudentKind::params`]), the one fit entry point ([`fit_student`]), the fitted model
//! ([`Student`]: outputs, size, contributions, words), its file format ([`SavedStudent`]) and
//! the report of a distillation ([`DistillReport`]).
//!
//! A new student is a module of its own whose `student.rs` gives its `KindSpec` (what it is),
//! its `Family` answers (checks and fit) and its [`FittedStudent`] answers, and its variants and
//! arms in `registry.rs`.

mod fit;
mod kind;
mod model;
mod options;
mod params;
mod registry;
mod report;
mod rows;
mod saved;

pub use fit::{fit_student, fit_student_reporting};
pub(crate) use kind::{BINARY_OR_REGRESSION, KindSpec, binary_or_regression, class_one_probability};
pub use model::FittedStudent;
pub use options::StudentOptions;
pub(crate) use params::{Family, FitInput, column};
pub use registry::{Student, StudentKind, StudentParams};
pub use report::{DistillReport, Distilled};
pub use rows::{Rows, Schema, Unseen, code_rows};
pub use saved::{FORMAT_VERSION, SavedStudent};
