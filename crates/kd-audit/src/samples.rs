//! The audit's samples: the development sample and an optional later one, read with the same
//! columns, the later one coded to the development sample's levels, and the model's outputs on
//! both (asked once, up front; the Bastani extraction asks again at new points). The later
//! sample's outcomes may be known for some rows or none (monitoring before they mature): every
//! row kept is scored and counts for drift and novelty; performance is measured on the rows
//! whose outcome its file has. A later row whose categorical feature holds a level the development
//! sample lacks cannot be coded for the model: it is set aside, unscored, and reported by the
//! data stage.

use std::path::{Path, PathBuf};

use kd_core::Task;
use kd_core::data::{
    Dataset, DatasetSpec, FeatureRows, FeatureSelection, MissingPolicy, ReadOptions, SetAside, Table, Target,
    TaskHint, class_index, read_csv,
};
use kd_core::teacher::{CmdOptions, Teacher, TeacherSpec, build_teacher};
use ndarray::{Array2, ArrayView2, Axis};

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
/// scores on them, and the outcomes its file has.
pub struct Later {
    /// The file.
    pub path: PathBuf,
    /// The file as read.
    pub table: Table,
    /// The rows used, coded as the development sample's features.
    pub rows: FeatureRows,
    /// The rows set aside for a level the development sample lacks.
    pub set_aside: SetAside,
    /// The score audited, one per row.
    pub score: Vec<f64>,
    /// The model's outputs, one row per row used.
    pub outputs: Array2<f64>,
    /// The rows whose outcome the file has; `None` where it has none (no target column, or no
    /// value in it).
    pub known: Option<Known>,
}

/// The rows of the later sample whose outcome is known, and that outcome.
pub struct Known {
    /// Indices into the later sample's rows.
    pub rows: Vec<usize>,
    /// Their outcome, as [`Sample::outcome`].
    pub outcome: Vec<f64>,
    /// Their classes, where the target has classes.
    pub classes: Option<Vec<usize>>,
}

impl Sample {
    /// The classes of a model of more than two, with its probabilities of each (`(n, k)`).
    pub fn every_class(&self) -> Option<(&[usize], ArrayView2<'_, f64>)> {
        match self.data.target() {
            Target::Classes { y, .. } if self.outputs.ncols() > 2 => Some((y, self.outputs.view())),
            _ => None,
        }
    }
}

impl Later {
    /// The scores of the rows whose outcome is known, with the outcome and the rows' indices in
    /// the table.
    pub fn known_scores(&self) -> Option<(Vec<f64>, &[f64], Vec<usize>)> {
        let known = self.known.as_ref()?;
        let score = known.rows.iter().map(|&i| self.score[i]).collect();
        let source = known.rows.iter().map(|&i| self.rows.source_rows()[i]).collect();
        Some((score, &known.outcome, source))
    }

    /// As [`Sample::every_class`], on the rows whose class is known.
    pub fn every_class(&self) -> Option<(&[usize], Array2<f64>)> {
        let known = self.known.as_ref()?;
        let y = known.classes.as_deref().filter(|_| self.outputs.ncols() > 2)?;
        Some((y, self.outputs.select(Axis(0), &known.rows)))
    }
}

/// Both samples, the model (still open for the queries of the explanation stage) and the task.
pub struct Samples {
    /// The development sample.
    pub development: Sample,
    /// The later sample.
    pub current: Option<Later>,
    /// Binary or regression: a model of more than two classes is audited as a binary one, its
    /// bad class against the others.
    pub task: Task,
    /// The target's classes, where the model has more than two.
    pub classes: Option<Vec<String>>,
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

/// The name the current sample's file goes by in messages.
const CURRENT: &str = "current file";

/// The table of a sample's file at `path`, or of `frame` (named `path` in messages). A
/// `later` sample may lack the target and the grade (it is read without outcomes then), so
/// they are read as categories only where it has them.
fn read_table(path: &Path, frame: Option<Frame>, spec: &Spec, later: bool) -> Result<Table> {
    let mut categorical = spec.data.categorical.clone();
    categorical.extend(spec.data.grade.iter().cloned());
    let (categorical, categorical_if_present) = if later {
        categorical.into_iter().partition(|c| *c != spec.data.target && Some(c) != spec.data.grade.as_ref())
    } else {
        (categorical, Vec::new())
    };
    let options = ReadOptions { categorical, categorical_if_present, ..ReadOptions::default() };
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
    let table = read_table(&spec.data.development, development_frame, spec, false)?;
    let data = dataset(&table, spec, spec.data.target_kind.hint(), teacher_spec.as_ref())?;
    // A model of more than two classes is audited for one of them against the others: its
    // probability is the score, its outcome the bad one, and every stage sees a binary model.
    let (bad, classes) = match (data.task(), data.target()) {
        (Task::Binary | Task::Multiclass(_), Target::Classes { labels, .. }) => {
            let index = match &spec.data.bad_class {
                None if labels.len() == 2 => 1,
                None => {
                    return Err(crate::error::spec(
                        "data.bad_class",
                        format!(
                            "'{}' has {} classes ({}): name the one to audit against the others (or, for a regression model, set data.target_kind = \"values\")",
                            spec.data.target,
                            labels.len(),
                            labels.join(", ")
                        ),
                    ));
                }
                Some(label) => class_index(labels, label)
                    .ok_or_else(|| spec_error_labels("data.bad_class", label, labels))?,
            };
            spec.data.bad_class = Some(labels[index].clone());
            (Some(index), (labels.len() > 2).then(|| labels.clone()))
        }
        _ => {
            if let Some(label) = &spec.data.bad_class {
                return Err(crate::error::spec(
                    "data.bad_class",
                    format!(
                        "'{label}' names a class, and '{}' is read as values (a regression model; data.target_kind = \"classes\" reads it as classes)",
                        spec.data.target
                    ),
                ));
            }
            (None, None)
        }
    };
    let task = if bad.is_some() { Task::Binary } else { data.task() };
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
            let table = read_table(&path, current_frame, spec, true)?;
            let (rows, set_aside) =
                FeatureRows::like_setting_aside(&table, &development.data, missing_policy(spec), CURRENT)
                    .map_err(Error::Input)?;
            let known = rows.outcomes_like(&table, &development.data, CURRENT).map_err(Error::Input)?.map(
                |(rows, target)| {
                    let classes = match &target {
                        Target::Classes { y, .. } => Some(y.clone()),
                        Target::Values(_) => None,
                    };
                    Known { outcome: outcome_of(&target, bad), rows, classes }
                },
            );
            let outputs = match &teacher_spec {
                Some(stored) if !teacher.is_queryable() => {
                    build_teacher(stored, &table, &development.data, options)
                        .and_then(|mut t| t.predict_feature_rows(&rows))
                }
                _ => teacher.predict(rows.x().view()),
            }
            .map_err(at("teacher"))?;
            Some(Later { path, table, rows, set_aside, score: score_of(&outputs, bad), outputs, known })
        }
    };
    Ok(Samples { development, current, task, classes, bad_label: spec.data.bad_class.clone(), bad, teacher })
}

fn spec_error_labels(key: &str, label: &str, labels: &[String]) -> Error {
    spec(key, format!("'{label}' is not a label of the target; its labels are {}", labels.join(", ")))
}

fn sample(path: PathBuf, table: Table, data: Dataset, outputs: Array2<f64>, bad: Option<usize>) -> Sample {
    let (score, outcome) = (score_of(&outputs, bad), outcome_of(data.target(), bad));
    Sample { path, table, data, outputs, score, outcome }
}

/// The score audited: the probability of the bad outcome (class `bad`), or the predicted
/// value (the first output).
fn score_of(outputs: &Array2<f64>, bad: Option<usize>) -> Vec<f64> {
    outputs.column(bad.unwrap_or(0)).to_vec()
}

/// The outcome of a target's rows: 1.0 for the bad outcome (class `bad`), else 0.0; or the
/// target's value.
fn outcome_of(target: &Target, bad: Option<usize>) -> Vec<f64> {
    match (bad, target) {
        (Some(b), Target::Classes { y, .. }) => y.iter().map(|&c| f64::from(u8::from(c == b))).collect(),
        (_, Target::Values(v)) => v.to_vec(),
        (None, Target::Classes { y, .. }) => y.iter().map(|&c| c as f64).collect(),
    }
}
