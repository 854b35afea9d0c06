//! The audit's samples: the development sample and an optional later one, read with the same
//! columns, the later one coded to the development sample's levels, and the model's outputs on
//! both (asked once, up front; the Bastani extraction asks again at new points).

use std::path::{Path, PathBuf};

use kd_core::Task;
use kd_core::data::{
    Dataset, DatasetSpec, FeatureSelection, MissingPolicy, ReadOptions, Table, Target, TaskHint, read_csv,
};
use kd_core::teacher::{CmdOptions, Teacher, TeacherSpec, build_teacher};
use ndarray::Array2;

use crate::error::{Error, Result, at, spec};
use crate::frames::{Frame, InProcess};
use crate::spec::{Missing, Spec};

/// One sample with the model's outputs on its rows.
pub struct Sample {
    /// The file.
    pub path: PathBuf,
    /// The file as read.
    pub table: Table,
    /// Features and target (a current sample coded to the development sample's levels).
    pub data: Dataset,
    /// The model's outputs, `(n, k)` probabilities or `(n, 1)` values.
    pub outputs: Array2<f64>,
    /// The score audited: the probability of the bad outcome, or the predicted value.
    pub score: Vec<f64>,
    /// The outcome: 1.0 for the bad outcome (0.0 otherwise), or the target's value.
    pub outcome: Vec<f64>,
}

impl Sample {
    /// The outcome as booleans (true = bad), for a binary task.
    pub fn bad(&self) -> Vec<bool> {
        self.outcome.iter().map(|&y| y == 1.0).collect()
    }
}

/// Both samples, the model (still open for the queries of the explanation stage) and the task.
pub struct Samples {
    /// The development sample.
    pub development: Sample,
    /// The later sample.
    pub current: Option<Sample>,
    /// Binary or regression.
    pub task: Task,
    /// The bad outcome's label (binary tasks).
    pub bad_label: Option<String>,
    /// Its class index.
    pub bad: Option<usize>,
    /// The model under review.
    pub teacher: Box<dyn Teacher>,
}

/// An in-process model under review (a Python callable in the Python package), made once the
/// development sample is read, for its features; `model.teacher` then only names it.
pub type MakeTeacher<'a> = &'a (dyn Fn(&Dataset) -> kd_core::Result<Box<dyn Teacher>> + Sync);

/// Columns never used as features: the spec's exclusions, the grade, candidates, the
/// teacher's stored outputs.
fn excluded(spec: &Spec, teacher: Option<&TeacherSpec>) -> Vec<String> {
    let mut out: Vec<String> = spec.data.exclude.clone();
    out.extend(spec.data.grade.iter().cloned());
    out.extend(spec.comparison.candidates.iter().cloned());
    out.extend(teacher.iter().flat_map(|t| t.output_columns()).cloned());
    out.sort();
    out.dedup();
    out
}

/// Reads a sample from its file at `path`, or from `frame` (named `path` in messages).
fn read(
    path: &Path,
    frame: Option<Frame>,
    spec: &Spec,
    task: TaskHint,
    teacher: Option<&TeacherSpec>,
) -> Result<(Table, Dataset)> {
    let mut categorical = spec.data.categorical.clone();
    categorical.extend(spec.data.grade.iter().cloned());
    let options = ReadOptions { categorical, ..ReadOptions::default() };
    let table = match frame {
        Some(frame) => frame.into_table(path, &options)?,
        None => read_csv(path, &options).map_err(Error::Input)?,
    };
    let dataset = DatasetSpec {
        target: spec.data.target.clone(),
        features: if spec.data.features.is_empty() {
            FeatureSelection::AllOthers
        } else {
            FeatureSelection::Named(spec.data.features.clone())
        },
        exclude: excluded(spec, teacher),
        missing: match spec.data.missing {
            Missing::Error => MissingPolicy::Error,
            Missing::Drop => MissingPolicy::Drop,
        },
        task,
    };
    let data = Dataset::from_table(&table, &dataset).map_err(Error::Input)?;
    Ok((table, data))
}

/// Reads the samples (the frames of `given` where it has them, else the spec's files) and asks
/// the model for its outputs on every row: the model `given` builds, else the one
/// `model.teacher` specifies. `spec.data.bad_class` is filled in with the label used.
pub fn load(spec: &mut Spec, given: InProcess<'_>) -> Result<Samples> {
    let InProcess { teacher: make, development: development_frame, current: current_frame } = given;
    let teacher_spec: Option<TeacherSpec> = match make {
        Some(_) => None,
        None => Some(
            spec.model
                .teacher
                .parse()
                .map_err(|e: kd_core::Error| crate::error::spec("model.teacher", e.to_string()))?,
        ),
    };
    let (table, data) =
        read(&spec.data.development, development_frame, spec, TaskHint::Auto, teacher_spec.as_ref())?;
    let task = data.task();
    let bad = match (task, data.target()) {
        (Task::Binary, Target::Classes { labels, .. }) => {
            let index = match &spec.data.bad_class {
                None => 1,
                Some(label) => labels
                    .iter()
                    .position(|l| l == label)
                    .ok_or_else(|| spec_error_labels("data.bad_class", label, labels))?,
            };
            spec.data.bad_class = Some(labels[index].clone());
            Some(index)
        }
        (Task::Multiclass(k), _) => {
            return Err(crate::error::spec(
                "data.target",
                format!(
                    "kd audit reviews binary and regression models; '{}' has {k} classes",
                    spec.data.target
                ),
            ));
        }
        _ => None,
    };
    let options = CmdOptions { batch_size: spec.model.batch_size, ..CmdOptions::default() }
        .with_timeout_secs(spec.model.timeout_s)
        .map_err(at("model.timeout_s"))?;
    let mut teacher = match (make, &teacher_spec) {
        (Some(make), _) => make(&data).map_err(at("teacher"))?,
        (None, Some(t)) => build_teacher(t, &table, &data, options).map_err(at("teacher"))?,
        (None, None) => return Err(crate::error::spec("model.teacher", "no model to audit")),
    };
    let rows: Vec<usize> = (0..data.n_rows()).collect();
    let outputs = teacher.predict_rows(&data, &rows).map_err(at("teacher"))?;
    let development = sample(spec.data.development.clone(), table, data, outputs, bad);
    let current = match spec.data.current.clone() {
        None => None,
        Some(path) => {
            let (table, raw) = read(&path, current_frame, spec, TaskHint::like(task), teacher_spec.as_ref())?;
            let data = raw.aligned_to(&development.data).map_err(Error::Input)?;
            let outputs = match &teacher_spec {
                Some(stored) if !teacher.is_queryable() => {
                    let rows: Vec<usize> = (0..data.n_rows()).collect();
                    build_teacher(stored, &table, &data, options)
                        .and_then(|mut t| t.predict_rows(&data, &rows))
                        .map_err(at("teacher"))?
                }
                _ => teacher.predict(data.x().view()).map_err(at("teacher"))?,
            };
            Some(sample(path, table, data, outputs, bad))
        }
    };
    Ok(Samples { development, current, task, bad_label: spec.data.bad_class.clone(), bad, teacher })
}

fn spec_error_labels(key: &str, label: &str, labels: &[String]) -> Error {
    spec(key, format!("'{label}' is not a label of the target; its labels are {}", labels.join(", ")))
}

fn sample(path: PathBuf, table: Table, data: Dataset, outputs: Array2<f64>, bad: Option<usize>) -> Sample {
    let (score, outcome) = match (bad, data.target()) {
        (Some(b), Target::Classes { y, .. }) => {
            (outputs.column(b).to_vec(), y.iter().map(|&c| f64::from(u8::from(c == b))).collect())
        }
        (_, Target::Values(v)) => (outputs.column(0).to_vec(), v.to_vec()),
        (None, Target::Classes { y, .. }) => {
            (outputs.column(0).to_vec(), y.iter().map(|&c| c as f64).collect())
        }
    };
    Sample { path, table, data, outputs, score, outcome }
}
