//! kd-audit: the model-validation report a validator hands in.
//!
//! `kd audit` challenges a model it did not build from its outputs alone and writes what a
//! model risk team files: findings graded green / amber / red against documented bars, each
//! backed by a figure with its method, reference and interval, in one self-contained HTML file
//! (inline CSS and SVG, no script, no external resource) and an `audit.json` with every figure
//! and its provenance (kd version, inputs with SHA-256, the spec as resolved, seed, times).
//!
//! Stages ([`stages`]): data profile and drift (PSI), novelty (random network distillation,
//! with the `torch` feature), performance (AUROC with DeLong's interval, Gini, KS, ROC and CAP;
//! Hosmer–Lemeshow, Spiegelhalter, Brier, reliability; per-grade tests; the AUROC's change),
//! explanation by distillation (a born-again tree, a boosted GAM and a Bastani tree with their
//! fidelity), Distill-and-Compare with the missing-feature test, and the regression battery.
//! [`spec`] is the audit's TOML specification with its defaults and severity bars; [`html`]
//! writes the report page (escaping every name it writes) and its SVG charts; [`diagram`]
//! draws a saved student (a tree, a boosted GAM's shapes) as the report does, for notebooks.
//! [`run_with`] takes the model and the samples from the caller's process ([`InProcess`]: a
//! model builder, [`Frame`]s of cells) instead of the spec's teacher and files.
//!
//! ```no_run
//! # fn main() -> kd_audit::Result<()> {
//! let mut spec = kd_audit::Spec::default();
//! spec.data.development = "data/credit/german_credit.csv".into();
//! spec.data.target = "creditability".into();
//! spec.data.bad_class = Some("bad".into());
//! spec.model.teacher = "cmd:python3 serve_model.py".into();
//! let audit = kd_audit::run(spec, None, &kd_audit::Silent)?;
//! kd_audit::write_report(&audit, std::path::Path::new("report"))?;
//! # Ok(()) }
//! ```
//!
//! Place in the workspace: depends on kd-core, kd-hypotheses, kd-students and kd-extract (never
//! the other way); builds and tests without libtorch (`torch` adds novelty). Never prints: the
//! caller receives progress through an [`Observer`].

mod audit;
pub mod diagram;
mod error;
mod finding;
mod findings;
mod frames;
pub mod html;
mod one_against_rest;
mod output;
mod progress;
mod provenance;
mod report;
mod samples;
pub mod spec;
pub mod stages;

pub use audit::{run, run_with};
pub use error::{Error, Result};
pub use finding::{Finding, Severity, Tally};
pub use frames::{Frame, InProcess};
pub use progress::{Event, Observer, Silent};
pub use report::{Audit, FORMAT, InputFile, Provenance, StageTime, TIME_FIELDS, VERSION};
pub use samples::MakeTeacher;
pub use spec::Spec;

/// The report's files: `report.html`, `audit.json`, and `spec.toml` (the spec as resolved).
pub fn report_files(audit: &Audit) -> Result<output::Files> {
    let json =
        serde_json::to_string_pretty(audit).map_err(|e| error::spec("audit.json", e.to_string()))? + "\n";
    Ok(vec![
        ("report.html", html::render(audit)),
        ("audit.json", json),
        ("spec.toml", audit.provenance.spec.to_toml()?),
    ])
}

/// Writes the report's files into the folder `out`, atomically (see [`report_files`]).
pub fn write_report(audit: &Audit, out: &std::path::Path) -> Result<()> {
    output::write_folder(out, &report_files(audit)?)
}
