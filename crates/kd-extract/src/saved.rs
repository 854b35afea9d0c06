//! The `kd-extracted` file format: an m-of-n tree (TREPAN) or a decision set (BETA) with the
//! feature names, levels and classes it reads, versioned and validated on load. (A tree
//! extracted by Bastani's method is a kd-students tree, saved as a `kd-student`.)
//!
//! Fields: `format` (`"kd-extracted"`), `version` ([`EXTRACTED_VERSION`]), `teacher`,
//! `features`, `levels`, `classes`, `method` (`"trepan"` or `"beta"`) and `model`.

use serde::{Deserialize, Serialize};

use crate::beta::DecisionSet;
use crate::error::{Error, Result};
use crate::trepan::TrepanTree;

/// The `format` of a saved m-of-n tree or decision set.
pub const EXTRACTED_FORMAT: &str = "kd-extracted";
/// The version of that format this kd writes and reads.
pub const EXTRACTED_VERSION: u64 = 1;

/// An extracted model, tagged by its method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", content = "model", rename_all = "snake_case")]
pub enum ExtractedModel {
    /// A TREPAN tree of m-of-n tests.
    Trepan(TrepanTree),
    /// A BETA two-level decision set.
    Beta(DecisionSet),
}

/// A saved extracted model with what is needed to read new rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedExtraction {
    /// Always [`EXTRACTED_FORMAT`].
    pub format: String,
    /// [`EXTRACTED_VERSION`] when written.
    pub version: u64,
    /// The teacher it was extracted from.
    pub teacher: String,
    /// Feature names, in input order.
    pub features: Vec<String>,
    /// Levels of each feature (`None` for numeric ones).
    pub levels: Vec<Option<Vec<String>>>,
    /// Class labels, in class order.
    pub classes: Option<Vec<String>>,
    /// The model and its method.
    #[serde(flatten)]
    pub model: ExtractedModel,
}

fn corrupt(reason: impl Into<String>) -> Error {
    Error::Load { format: EXTRACTED_FORMAT, reason: reason.into() }
}

impl SavedExtraction {
    /// A model extracted from `teacher`, for features `features` (with their `levels`) and
    /// `classes`.
    pub fn new(
        model: ExtractedModel,
        teacher: &str,
        features: Vec<String>,
        levels: Vec<Option<Vec<String>>>,
        classes: Option<Vec<String>>,
    ) -> Self {
        Self {
            format: EXTRACTED_FORMAT.into(),
            version: EXTRACTED_VERSION,
            teacher: teacher.to_owned(),
            features,
            levels,
            classes,
            model,
        }
    }

    /// The method's name: `"trepan"` or `"beta"`.
    pub fn method(&self) -> &'static str {
        match self.model {
            ExtractedModel::Trepan(_) => "trepan",
            ExtractedModel::Beta(_) => "beta",
        }
    }

    /// The JSON text (pretty, with a final newline).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map(|t| t + "\n").map_err(|e| corrupt(e.to_string()))
    }

    /// Reads a saved model: refuses another format or version, and a model whose features,
    /// levels or classes do not fit the names saved with it.
    pub fn from_json(text: &str) -> Result<Self> {
        let value = kd_core::saved_format::read_versioned(
            text,
            EXTRACTED_FORMAT,
            EXTRACTED_VERSION..=EXTRACTED_VERSION,
        )
        .map_err(corrupt)?;
        let saved: Self =
            serde_json::from_value(value).map_err(|e| corrupt(format!("corrupt file ({e})")))?;
        saved.validate()?;
        Ok(saved)
    }

    /// Checks that the model reads as many features as there are names and levels, and
    /// predicts as many classes as there are labels.
    pub fn validate(&self) -> Result<()> {
        let (n_features, n_classes) = match &self.model {
            ExtractedModel::Trepan(tree) => {
                tree.validate()?;
                (tree.n_features, tree.n_classes)
            }
            ExtractedModel::Beta(set) => {
                set.validate()?;
                (set.n_features, set.n_classes)
            }
        };
        let classes = self.classes.as_ref().map_or(0, Vec::len);
        if n_features != self.features.len()
            || self.levels.len() != self.features.len()
            || n_classes != classes
        {
            return Err(corrupt(format!(
                "the model reads {n_features} features and {n_classes} classes; the file names {} features, {} levels and {classes} classes",
                self.features.len(),
                self.levels.len()
            )));
        }
        Ok(())
    }

    /// The model in words: its tree or rules with the saved names.
    pub fn export_text(&self) -> String {
        let classes = self.classes.as_deref();
        let body = match &self.model {
            ExtractedModel::Trepan(tree) => tree.export_text(&self.features, &self.levels, classes),
            ExtractedModel::Beta(set) => {
                set.export_text(&self.features, &self.levels, classes.unwrap_or_default())
            }
        };
        format!("{} model of {}\n\n{body}", self.method(), self.teacher)
    }
}
