//! The audit spec: a TOML file (`kd audit --spec audit.toml`) or the CLI's flags, every default
//! filled in by serde's defaults and [`Spec::check`]ed, and written back into the report as "the spec as resolved".
//!
//! Every table refuses unknown keys (serde's `deny_unknown_fields`), so a misspelt key is an
//! error naming it, with its line and column, never a setting silently ignored. Paths are read
//! relative to the current folder, as the teacher's command line is.
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `title` | "Model validation report" | the report's title |
//! | `seed` | 0 | every random choice: splits, bags, resamples, draws |
//! | `data.development` | required | the development (validation) sample: CSV with a header |
//! | `data.current` | none | a later sample with the same features: drift, novelty, stability; performance on the rows whose outcome is known |
//! | `data.target` | required | the outcome column: classes (two, or more audited one against the others), or numbers for regression |
//! | `data.features` | all other columns | the model's inputs, in the order the teacher takes them |
//! | `data.exclude` | none | columns that are never features (ids, dates) |
//! | `data.categorical` | none | columns read as categories although they hold numbers |
//! | `data.missing` | "error" | rows with a missing cell: "error" or "drop" |
//! | `data.grade` | none | the rating grade column, for the per-grade tests |
//! | `data.target_kind` | "auto" | "classes", "values" (a regression model), or "auto": classes when the column holds text or at most 10 distinct whole numbers |
//! | `data.bad_class` | the second label in sorted order (two classes); required for more | the target's label of the bad outcome; a model of more than two classes is audited for it against the others (its outputs, a `column:` teacher's columns too, in the classes' sorted order); refused for a regression target |
//! | `model.teacher` | required | the model under review: `cmd:…`, `torchscript:…`, `column:…` |
//! | `model.batch_size` | 10000 | rows per request to a `cmd:` teacher |
//! | `model.timeout_s` | 120 | seconds a `cmd:` teacher may take to answer one batch |
//! | `stages.*` | see [`Stages`] | which stages run |
//! | `performance.*` | see [`PerformanceSpec`] | discrimination and calibration settings |
//! | `explanation.*` | see [`ExplanationSpec`] | the distilled tree, GAM and Bastani tree |
//! | `comparison.*` | see [`ComparisonSpec`] | Distill-and-Compare |
//! | `gam.*` | see [`GamSpec`] | the boosted GAMs of explanation and comparison |
//! | `novelty.*` | see [`NoveltySpec`] | random network distillation |
//! | `thresholds.*` | see [`Thresholds`] | severity bars |

mod sections;
mod thresholds;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use sections::{
    ComparisonSpec, ExplanationSpec, GamSpec, NoveltySpec, PerformanceSpec, Regression, Stages,
};
pub use thresholds::{Bar, Thresholds};

use crate::error::{Error, Result, spec};

/// An audit spec (see the module's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Spec {
    /// The report's title.
    pub title: String,
    /// Seed of every random choice.
    pub seed: u64,
    /// The samples.
    pub data: DataSpec,
    /// The model under review.
    pub model: ModelSpec,
    /// Which stages run.
    pub stages: Stages,
    /// Discrimination and calibration.
    pub performance: PerformanceSpec,
    /// Explanation by distillation.
    pub explanation: ExplanationSpec,
    /// Distill-and-Compare.
    pub comparison: ComparisonSpec,
    /// The boosted GAMs.
    pub gam: GamSpec,
    /// Novelty of the current rows.
    pub novelty: NoveltySpec,
    /// Severity bars.
    pub thresholds: Thresholds,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            title: "Model validation report".into(),
            seed: 0,
            data: DataSpec::default(),
            model: ModelSpec::default(),
            stages: Stages::default(),
            performance: PerformanceSpec::default(),
            explanation: ExplanationSpec::default(),
            comparison: ComparisonSpec::default(),
            gam: GamSpec::default(),
            novelty: NoveltySpec::default(),
            thresholds: Thresholds::default(),
        }
    }
}

/// The samples and their columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataSpec {
    /// The development sample.
    pub development: PathBuf,
    /// A later sample, its outcomes known for every row, some, or none (its performance is
    /// measured on the rows whose outcome is known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<PathBuf>,
    /// The outcome column.
    pub target: String,
    /// The features (empty: every other column).
    pub features: Vec<String>,
    /// Columns never used as features.
    pub exclude: Vec<String>,
    /// Columns read as categories.
    pub categorical: Vec<String>,
    /// "error" or "drop".
    pub missing: Missing,
    /// The rating grade column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The bad outcome's label (filled in from the data when resolved); with more than two
    /// classes, the one audited against the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_class: Option<String>,
    /// How the target is read: as classes or values by its contents, or as either by force.
    #[serde(skip_serializing_if = "TargetKind::is_auto")]
    pub target_kind: TargetKind,
}

/// How the target column is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Classes when the column holds text, or whole numbers of at most 10 distinct values;
    /// values otherwise.
    #[default]
    Auto,
    /// Classes, each distinct value one.
    Classes,
    /// Values: a regression model (the column must be numeric).
    Values,
}

impl TargetKind {
    fn is_auto(&self) -> bool {
        *self == Self::Auto
    }

    /// The data set's reading of the target.
    pub fn hint(self) -> kd_core::data::TaskHint {
        match self {
            Self::Auto => kd_core::data::TaskHint::Auto,
            Self::Classes => kd_core::data::TaskHint::Classification,
            Self::Values => kd_core::data::TaskHint::Regression,
        }
    }
}

/// Rows with a missing cell in a used column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Refuse the data, naming the first missing cell.
    #[default]
    Error,
    /// Drop such rows (the report says how many).
    Drop,
}

/// The model under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelSpec {
    /// Teacher spec.
    pub teacher: String,
    /// Rows per request to a `cmd:` teacher.
    pub batch_size: usize,
    /// Seconds a `cmd:` teacher may take to answer one batch (more than 0, at most 86400).
    pub timeout_s: f64,
}

impl Default for ModelSpec {
    fn default() -> Self {
        Self { teacher: String::new(), batch_size: 10_000, timeout_s: 120.0 }
    }
}

impl Spec {
    /// Reads a spec file. Errors: the file cannot be read; not TOML; an unknown key or a value
    /// of the wrong type (naming the key, line and column).
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::SpecFile { file: path.to_owned(), source })?;
        Self::from_toml(&text).map_err(|e| match e {
            Error::SpecSyntax { reason, .. } => Error::SpecSyntax { file: path.to_owned(), reason },
            other => other,
        })
    }

    /// Parses a spec from TOML text.
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::SpecSyntax {
            file: PathBuf::from("spec"),
            reason: e.to_string().trim().to_owned(),
        })
    }

    /// The spec as TOML (the spec as resolved, when called on a resolved spec).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| spec("spec", e.to_string()))
    }

    /// Checks every value, naming the key of the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.data.development.as_os_str().is_empty() {
            return Err(spec("data.development", "required: the development sample (a CSV file)"));
        }
        if self.data.target.is_empty() {
            return Err(spec("data.target", "required: the outcome column"));
        }
        if self.model.teacher.is_empty() {
            return Err(spec(
                "model.teacher",
                "required: cmd:<command line>, torchscript:<file.pt> or column:<name>",
            ));
        }
        if self.model.batch_size == 0 {
            return Err(spec("model.batch_size", "at least 1"));
        }
        if !(self.model.timeout_s > 0.0 && self.model.timeout_s <= 86_400.0) {
            return Err(spec("model.timeout_s", "more than 0 and at most 86400 seconds"));
        }
        self.performance.check()?;
        self.explanation.check()?;
        self.comparison.check()?;
        self.gam.check()?;
        self.novelty.check()?;
        self.thresholds.check()
    }
}

/// Checks that `value` lies in `[low, high]`, naming `key` otherwise.
pub(crate) fn in_range(key: &str, value: f64, low: f64, high: f64) -> Result<()> {
    if value.is_finite() && value >= low && value <= high {
        Ok(())
    } else {
        Err(spec(key, format!("{value} is outside [{low}, {high}]")))
    }
}

/// Checks that `value` is at least `low`, naming `key` otherwise.
pub(crate) fn at_least(key: &str, value: usize, low: usize) -> Result<()> {
    if value >= low { Ok(()) } else { Err(spec(key, format!("{value}; at least {low}"))) }
}
