//! kd: knowledge distillation for model risk management.
//!
//! This facade re-exports the workspace's crates and builds the `kd` command-line program:
//! - [`core`] (kd-core): data, teachers, metrics;
//! - [`hypotheses`] (kd-hypotheses): assumption and validation tests;
//! - [`students`] (kd-students): interpretable students;
//! - [`extract`] (kd-extract): model extraction;
//! - [`audit`] (kd-audit): the model-validation report.

pub use kd_audit as audit;
pub use kd_core as core;
pub use kd_extract as extract;
pub use kd_hypotheses as hypotheses;
pub use kd_students as students;
