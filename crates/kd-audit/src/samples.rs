//! The audit's samples: the development sample and an optional later one, read with the same
//! columns, the later one coded to the development sample's levels, and the model's outputs on
//! both (asked once, up front; the Bastani extraction asks again at new points). A later file
//! without the target column is a sample without outcomes (monitoring before they are known):
//! its drift, novelty and scores are audited, its performance is not.

use std::path::{Path, PathBuf};

use kd_core::Task;
use kd_core::data::{
    Dataset, DatasetSpec, FeatureRows, FeatureSelection, MissingPolicy, ReadOptions, Table, Target, TaskHint,
    read_csv,
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

/// The later sample: its rows coded as the development sample's features, the model's
/// outputs on them, and the outcome where the file has the target column.
pub struct Later {
    /// The file.
    pub path: PathBuf,
    /// The file as read.
    pub table: Table,
    /// The rows used, coded as the development sample's features.
    pub rows: FeatureRows,
    /// The model's outputs, `(n, k)` probabilities or `(n, 1)` values.
    pub outputs: Array2<f64>,
    /// The score audited.
    pub score: Vec<f64>,
    /// The outcome, as [`Sample::outcome`]; `None` where the file has no target column.
    pub outcome: Option<Vec<f64>>,
}

/// What the data and performance stages read of either sample.
pub trait Scored {
    /// The file.
    fn path(&self) -> &Path;
    /// The file as read.
    fn table(&self) -> &Table;
    /// Rows used.
    fn n_rows(&self) -> usize;
    /// Rows dropped for missing values.
    fn dropped_rows(&self) -> usize;
    /// Each used row's index in the table.
    fn source_rows(&self) -> &[usize];
    /// The score audited.
    fn score(&self) -> &[f64];
    /// The outcome, where known.
    fn outcome(&self) -> Option<&[f64]>;
}

impl Scored for Sample {
    fn path(&self) -> &Path {
        &self.path
    }
    fn table(&self) -> &Table {
        &self.table
    }
    fn n_rows(&self) -> usize {
        self.data.n_rows()
    }
    fn dropped_rows(&self) -> usize {
        self.data.dropped_rows()
    }
    fn source_rows(&self) -> &[usize] {
        self.data.source_rows()
    }
    fn score(&self) -> &[f64] {
        &self.score
    }
    fn outcome(&self) -> Option<&[f64]> {
        Some(&self.outcome)
    }
}

impl Scored for Later {
    fn path(&self) -> &Path {
        &self.path
    }
    fn table(&self) -> &Table {
        &self.table
    }
    fn n_rows(&self) -> usize {
        self.rows.n_rows()
    }
    fn dropped_rows(&self) -> usize {
        self.rows.dropped_rows()
    }
    fn source_rows(&self) -> &[usize] {
        self.rows.source_rows()
    }
    fn score(&self) -> &[f64] {
        &self.score
    }
    fn outcome(&self) -> Option<&[f64]> {
        self.outcome.as_deref()
    }
}

/// Both samples, the model (still open for the queries of the explanation stage) and the task.
pub struct Samples {
    /// The development sample.
    pub development: Sample,
    /// The later sample.
    pub current: Option<Later>,
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

/// The table of a sample's file at `path`, or of `frame` (named `path` in messages).
fn read_table(path: &Path, frame: Option<Frame>, spec: &Spec) -> Result<Table> {
    let mut categorical = spec.data.categorical.clone();
    categorical.extend(spec.data.grade.iter().cloned());
    let options = ReadOptions { categorical, ..ReadOptions::default() };
    match frame {
        Some(frame) => frame.into_table(path, &options),
        None => read_csv(path, &options).map_err(Error::Input),
    }
}

/// The spec's missing-value policy.
fn missing_policy(spec: &Spec) -> MissingPolicy {
    match spec.data.missing {
        Missing::Error => MissingPolicy::Error,
        Missing::Drop => MissingPolicy::Drop,
    }
}

/// The data set of a sample's `table` (its file at `path`).
fn dataset(table: &Table, spec: &Spec, task: TaskHint, teacher: Option<&TeacherSpec>) -> Result<Dataset> {
    let dataset = DatasetSpec {
        target: spec.data.target.clone(),
        features: if spec.data.features.is_empty() {
            FeatureSelection::AllOthers
        } else {
            FeatureSelection::Named(spec.data.features.clone())
        },
        exclude: excluded(spec, teacher),
        missing: missing_policy(spec),
        task,
    };
    Dataset::from_table(table, &dataset).map_err(Error::Input)
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
    let table = read_table(&spec.data.development, development_frame, spec)?;
    let data = dataset(&table, spec, TaskHint::Auto, teacher_spec.as_ref())?;
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
            let table = read_table(&path, current_frame, spec)?;
            // A target column with no value at all is a sample whose outcomes are not known yet.
            let outcomes = table.column(&spec.data.target).is_ok_and(|c| c.n_missing() < table.n_rows());
            let mut ask = |rows: &FeatureRows| match &teacher_spec {
                Some(stored) if !teacher.is_queryable() => {
                    build_teacher(stored, &table, &development.data, options)
                        .and_then(|mut t| t.predict_feature_rows(rows))
                        .map_err(at("teacher"))
                }
                _ => teacher.predict(rows.x().view()).map_err(at("teacher")),
            };
            // Rows coded as the development sample's features, with their outcome where known.
            let (rows, outputs, outcome) = if outcomes {
                let raw = dataset(&table, spec, TaskHint::like(task), teacher_spec.as_ref())?;
                let data = raw.aligned_to(&development.data).map_err(Error::Input)?;
                let outputs = ask(data.feature_rows())?;
                let outcome = outcome_of(&data, bad);
                (data.into_feature_rows(), outputs, Some(outcome))
            } else {
                let rows = FeatureRows::like(&table, &development.data, missing_policy(spec))
                    .map_err(Error::Input)?;
                let outputs = ask(&rows)?;
                (rows, outputs, None)
            };
            let score = score_of(&outputs, bad);
            Some(Later { path, table, rows, outputs, score, outcome })
        }
    };
    Ok(Samples { development, current, task, bad_label: spec.data.bad_class.clone(), bad, teacher })
}

fn spec_error_labels(key: &str, label: &str, labels: &[String]) -> Error {
    spec(key, format!("'{label}' is not a label of the target; its labels are {}", labels.join(", ")))
}

fn sample(path: PathBuf, table: Table, data: Dataset, outputs: Array2<f64>, bad: Option<usize>) -> Sample {
    let (score, outcome) = (score_of(&outputs, bad), outcome_of(&data, bad));
    Sample { path, table, data, outputs, score, outcome }
}

/// The score audited: the probability of the bad outcome (class `bad`), or the predicted
/// value (the first output).
fn score_of(outputs: &Array2<f64>, bad: Option<usize>) -> Vec<f64> {
    outputs.column(bad.unwrap_or(0)).to_vec()
}

/// The outcome of `data`'s rows: 1.0 for the bad outcome (class `bad`), else 0.0; or the
/// target's value.
fn outcome_of(data: &Dataset, bad: Option<usize>) -> Vec<f64> {
    match (bad, data.target()) {
        (Some(b), Target::Classes { y, .. }) => y.iter().map(|&c| f64::from(u8::from(c == b))).collect(),
        (_, Target::Values(v)) => v.to_vec(),
        (None, Target::Classes { y, .. }) => y.iter().map(|&c| c as f64).collect(),
    }
}
