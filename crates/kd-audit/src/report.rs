//! The audit as one serialisable value: what `audit.json` holds and what the HTML shows, every
//! figure once, with the provenance that lets it be filed and re-run.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::{Finding, Tally};
use crate::spec::Spec;
use crate::stages::comparison::ComparisonReport;
use crate::stages::data::DataReport;
use crate::stages::explanation::ExplanationReport;
use crate::stages::novelty::NoveltyReport;
use crate::stages::performance::PerformanceReport;
use crate::stages::regression::RegressionReport;

/// The `format` of `audit.json`.
pub const FORMAT: &str = "kd-audit";
/// Its version. 2: the regression section's `features` are the design's columns, a
/// categorical feature treatment-coded, and `categorical` (how) replaces `left_out` (the
/// categorical features version 1 left out); a current sample's outcomes may be unknown for
/// some rows or all (`data.current.outcome_mean` null, `rows_with_outcome`,
/// `performance.current_not_measured`). 3: the `unseen_levels` bar, `data.unseen_levels` and
/// `data.current.rows_set_aside` (the current rows set aside for a level the development sample
/// lacks, which version 2 refused), `grades_skipped` (a current file without the grade column,
/// which version 2 refused), `regression.gvif` (a categorical feature's generalised VIF) and
/// `classes` (a model of more than two classes, audited for `bad_class` against the others,
/// which version 2 refused, with `performance.*.every_class`, its figures on all classes, to
/// which `calibration`, `calibration_skipped` and `reliability` were added within version 3); a
/// Bastani tree's leaves hold the shares of the other classes and of `bad_class`, in that
/// order (version 2 held the model's classes in sorted order).
pub const VERSION: u32 = 3;

/// A finished audit.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// [`FORMAT`].
    pub format: &'static str,
    /// [`VERSION`].
    pub version: u32,
    /// The report's title.
    pub title: String,
    /// The model under review (its teacher spec).
    pub model: String,
    /// "binary" or "regression" (a model of more than two classes is audited as a binary one:
    /// `bad_class` against the others).
    pub task: &'static str,
    /// The bad outcome's label (binary).
    pub bad_class: Option<String>,
    /// The target's classes, where the model has more than two.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<String>>,
    /// Counts of findings by severity.
    pub tally: Tally,
    /// The findings, most severe first.
    pub findings: Vec<Finding>,
    /// Data profile and drift.
    pub data: Option<DataReport>,
    /// Novelty of the current rows.
    pub novelty: Option<NoveltyReport>,
    /// Performance.
    pub performance: Option<PerformanceReport>,
    /// Explanation by distillation.
    pub explanation: Option<ExplanationReport>,
    /// Distill-and-Compare.
    pub comparison: Option<ComparisonReport>,
    /// The regression battery.
    pub regression: Option<RegressionReport>,
    /// Stages that did not run, with the reason.
    pub skipped: BTreeMap<&'static str, String>,
    /// Where the figures come from.
    pub provenance: Provenance,
}

/// An input file with its fingerprint.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// "development", "current", "spec", or "model file" (a file named on the teacher's
    /// command line).
    pub role: &'static str,
    /// The path as given.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
}

/// One stage's wall time.
#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    /// The stage.
    pub stage: &'static str,
    /// Seconds.
    pub seconds: f64,
}

/// What produced the report.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The kd version.
    pub kd_version: &'static str,
    /// Whether this kd has libtorch (novelty).
    pub torch: bool,
    /// The input files.
    pub inputs: Vec<InputFile>,
    /// The spec as resolved: every default filled in.
    pub spec: Spec,
    /// The seed of every random choice.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Start, UTC (RFC 3339).
    pub started: String,
    /// End, UTC.
    pub finished: String,
    /// Wall seconds of the whole audit.
    pub seconds: f64,
    /// Wall seconds per stage (stages in parallel overlap).
    pub stages: Vec<StageTime>,
}

/// The fields that change from run to run of the same spec (times), which a comparison of two
/// runs leaves out.
pub const TIME_FIELDS: [&str; 4] = ["started", "finished", "seconds", "stages"];
