//! Students saved as JSON with a format version, so that a file from another kd is refused
//! clearly instead of misread.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tree::Tree;

/// The format version written by this kd.
pub const FORMAT_VERSION: u32 = 1;

/// A fitted student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Student {
    /// A CART tree.
    Tree(Tree),
}

/// A student with what is needed to use it on new data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStudent {
    /// Always `"kd-student"`.
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub version: u32,
    /// `"regression"`, `"binary"` or `"multiclass"`.
    pub task: String,
    /// The target column it imitates or predicts.
    pub target: String,
    /// Feature names, in input order.
    pub features: Vec<String>,
    /// Levels of each feature (`None` for numeric ones), for the codes it was fitted on.
    pub levels: Vec<Option<Vec<String>>>,
    /// Class labels (classification), in output order.
    pub classes: Option<Vec<String>>,
    /// The teacher it was distilled from (`None` when fitted on the true labels).
    pub teacher: Option<String>,
    /// The model.
    pub student: Student,
}

impl SavedStudent {
    /// The JSON text of the student.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }

    /// Reads a student from JSON text; refuses other formats and versions.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::Load(format!("not JSON ({e})")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some("kd-student") {
            return Err(Error::Load("not a kd student file (no \"format\": \"kd-student\")".into()));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(Error::Load(format!(
                "format version {} is not the version this kd reads ({FORMAT_VERSION})",
                version.map_or("missing".into(), |v| v.to_string())
            )));
        }
        let saved: SavedStudent =
            serde_json::from_value(value).map_err(|e| Error::Load(format!("corrupt student file ({e})")))?;
        match &saved.student {
            Student::Tree(tree) => tree.validate()?,
        }
        if saved.features.len() != saved.levels.len() {
            return Err(Error::Load("corrupt student file (features and levels differ in number)".into()));
        }
        Ok(saved)
    }
}
