//! A [`TextStudent`] saved as JSON (`"format": "kd-text-student"`) with a version, refused
//! clearly when it is another kd's or corrupt.

use serde::{Deserialize, Serialize};

use super::student::TextStudent;
use crate::error::{Error, Result};

/// The `format` of a saved text student.
pub const TEXT_FORMAT: &str = "kd-text-student";

/// The version this kd writes and reads.
pub const TEXT_VERSION: u32 = 1;

/// A text student with what is needed to use it on new messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTextStudent {
    /// Always [`TEXT_FORMAT`].
    pub format: String,
    /// [`TEXT_VERSION`] when written.
    pub version: u32,
    /// The target column the teacher predicts.
    pub target: String,
    /// The text column it reads.
    pub text_column: String,
    /// The teacher it was distilled from (`None` when fitted on the true labels).
    pub teacher: Option<String>,
    /// The model.
    pub student: TextStudent,
}

impl SavedTextStudent {
    /// A student ready to be saved.
    pub fn new(target: &str, text_column: &str, teacher: Option<&str>, student: TextStudent) -> Self {
        Self {
            format: TEXT_FORMAT.into(),
            version: TEXT_VERSION,
            target: target.into(),
            text_column: text_column.into(),
            teacher: teacher.map(str::to_owned),
            student,
        }
    }

    /// The JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }

    /// Reads a saved text student; refuses other formats, other versions and corrupt models.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::Load(format!("not JSON ({e})")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(TEXT_FORMAT) {
            return Err(Error::Load(format!("not a kd text student (no \"format\": \"{TEXT_FORMAT}\")")));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(TEXT_VERSION)) {
            return Err(Error::Load(format!(
                "{TEXT_FORMAT} format version {} is not the version this kd reads ({TEXT_VERSION})",
                version.map_or("missing".into(), |v| v.to_string())
            )));
        }
        let saved: Self =
            serde_json::from_value(value).map_err(|e| Error::Load(format!("corrupt text student ({e})")))?;
        saved.student.validate()?;
        Ok(saved)
    }
}
