//! Students saved as JSON with a format version, so that a file from another kd is refused
//! clearly instead of misread.

use serde::{Deserialize, Serialize};

use kd_core::data::Dataset;

use super::Student;
use crate::error::{Error, Result};

/// The format version written by this kd: 2 since trees may split categorical features by level
/// sets (`Node::levels`); version-1 files hold nothing version 2 reads differently and are
/// still read.
pub const FORMAT_VERSION: u32 = 2;

/// The oldest format version this kd reads.
const OLDEST_READABLE: u32 = 1;

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
    /// The training range `[min, max]` of each numeric feature (`None` for categorical ones),
    /// for `kd predict`'s out-of-range policy; empty in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Option<(f64, f64)>>,
    /// The model.
    pub student: Student,
}

impl SavedStudent {
    /// `student`, fitted on the columns of `data`, ready to be saved: the task, target,
    /// features, levels and classes it needs to read new rows of those columns, and the
    /// teacher it was distilled from (`None`: fitted on the true labels).
    pub fn new(student: Student, data: &Dataset, teacher: Option<&str>) -> Self {
        SavedStudent {
            format: "kd-student".into(),
            version: FORMAT_VERSION,
            task: data.task().name().into(),
            target: data.target_name().to_owned(),
            features: data.feature_names(),
            levels: data.levels(),
            classes: data.class_labels().map(<[String]>::to_vec),
            teacher: teacher.map(str::to_owned),
            ranges: training_ranges(data),
            student,
        }
    }

    /// The JSON text of the student.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }

    /// Reads a student from JSON text; refuses other formats and versions.
    pub fn from_json(text: &str) -> Result<Self> {
        let readable = u64::from(OLDEST_READABLE)..=u64::from(FORMAT_VERSION);
        let value =
            kd_core::saved_format::read_versioned(text, "kd-student", readable).map_err(Error::Load)?;
        let saved: SavedStudent =
            serde_json::from_value(value).map_err(|e| Error::Load(format!("corrupt student file ({e})")))?;
        saved.student.model().check_loaded(saved.features.len())?;
        if saved.features.len() != saved.levels.len()
            || !(saved.ranges.is_empty() || saved.ranges.len() == saved.features.len())
        {
            return Err(Error::Load(
                "corrupt student file (features, levels and ranges differ in number)".into(),
            ));
        }
        Ok(saved)
    }
}

/// The smallest and largest finite value of each numeric feature of `data` (`None` for
/// categorical features and for a feature without rows).
fn training_ranges(data: &Dataset) -> Vec<Option<(f64, f64)>> {
    data.features()
        .iter()
        .zip(data.x().columns())
        .map(|(feature, column)| {
            if feature.levels.is_some() {
                return None;
            }
            column.iter().filter(|v| v.is_finite()).fold(None, |range, &v| match range {
                None => Some((v, v)),
                Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
            })
        })
        .collect()
}
