//! A [`Dataset`]: a target and the features chosen from a [`Table`], as a dense matrix, with the
//! missing-value policy applied.

use std::path::Path;

use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::Serialize;

use super::feature_rows::FeatureRows;
use super::table::{ColumnData, Table};
use crate::{Error, Result, Task};

/// What to do with rows that have a missing cell in a used column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingPolicy {
    /// Refuse the data, naming the first missing cell (the default).
    #[default]
    Error,
    /// Drop such rows; [`Dataset::dropped_rows`] says how many.
    Drop,
    /// Keep them, a missing feature as NaN in `x`, for a student with a place for missing
    /// values (the WoE scorecard's bin, a tree's learned side); a missing target is still an
    /// error.
    Bin,
}

/// Which columns are the features.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FeatureSelection {
    /// Every column but the target and the excluded ones.
    #[default]
    AllOthers,
    /// These columns, in this order.
    Named(Vec<String>),
}

/// Whether the target is a class or a value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskHint {
    /// Categorical targets, and numeric targets whose values are all integers with at most
    /// [`MAX_AUTO_CLASSES`] distinct values, are classification; other targets are regression.
    #[default]
    Auto,
    /// Force regression (the target must be numeric).
    Regression,
    /// Force classification (each distinct value is a class).
    Classification,
}

impl TaskHint {
    /// The hint that reads a second sample's target as the same kind as `task` (a later or
    /// held-out sample whose classes may be fewer than the first one's).
    pub fn like(task: Task) -> Self {
        if task.is_classification() { Self::Classification } else { Self::Regression }
    }
}

/// The most distinct integer values a numeric target may have to be read as classes by
/// [`TaskHint::Auto`].
pub const MAX_AUTO_CLASSES: usize = 10;

/// How to build a [`Dataset`] from a [`Table`].
#[derive(Debug, Clone, Default)]
pub struct DatasetSpec {
    /// The target column.
    pub target: String,
    /// The feature columns.
    pub features: FeatureSelection,
    /// Columns never used as features (for example the columns holding a teacher's outputs):
    /// left out of [`FeatureSelection::AllOthers`], refused by name in
    /// [`FeatureSelection::Named`].
    pub exclude: Vec<String>,
    /// Missing-value policy.
    pub missing: MissingPolicy,
    /// Classification or regression.
    pub task: TaskHint,
}

/// One feature of a [`Dataset`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feature {
    /// Column name.
    pub name: String,
    /// Levels of a categorical feature (its values in `x` are level codes); `None` if numeric.
    pub levels: Option<Vec<String>>,
}

impl Feature {
    /// A numeric feature named `name`.
    pub fn numeric(name: impl Into<String>) -> Self {
        Self { name: name.into(), levels: None }
    }

    /// What the feature holds: a number, or a level code `0..levels`.
    pub fn kind(&self) -> FeatureKind {
        self.levels.as_ref().map_or(FeatureKind::Numeric, |l| FeatureKind::Categorical { levels: l.len() })
    }
}

/// What a feature holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// A real number.
    Numeric,
    /// A level code `0..levels`.
    Categorical {
        /// Number of levels.
        levels: usize,
    },
}

/// The target of a [`Dataset`].
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Real values.
    Values(Array1<f64>),
    /// Class indices into `labels`.
    Classes {
        /// Class labels, in class-index order.
        labels: Vec<String>,
        /// One class index per row.
        y: Vec<usize>,
    },
}

/// The index of the class labelled `label` among `labels`: the label as written, or, where
/// both are numbers, the one label of equal value (`1.0` finds kd's `1`, as a numeric target's
/// labels are written in their shortest form). `None` when no label matches, or when several
/// labels of text have the value and none is written as `label` (`01` and `1` for `1.0`).
pub fn class_index(labels: &[String], label: &str) -> Option<usize> {
    let number = |text: &str| text.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    labels.iter().position(|l| l == label).or_else(|| {
        let value = number(label)?;
        let mut equal = labels.iter().enumerate().filter(|(_, l)| number(l) == Some(value)).map(|(i, _)| i);
        match (equal.next(), equal.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

impl Target {
    /// The target of rows `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Self {
        match self {
            Target::Values(v) => Target::Values(rows.iter().map(|&r| v[r]).collect()),
            Target::Classes { labels, y } => {
                Target::Classes { labels: labels.clone(), y: rows.iter().map(|&r| y[r]).collect() }
            }
        }
    }
}

/// Features and target ready for a model: `x` has shape `(n_rows, n_features)`, categorical
/// features hold their level codes.
#[derive(Debug, Clone)]
pub struct Dataset {
    target_name: String,
    features: Vec<Feature>,
    target: Target,
    /// The rows: file, feature matrix, source rows, lines, rows dropped.
    rows: FeatureRows,
}

impl Dataset {
    /// Picks the target and features from `table` as `spec` says.
    ///
    /// Errors: a named column that is not in the table, a missing cell under
    /// [`MissingPolicy::Error`] (naming its line and column), no rows left after dropping, a
    /// classification target with a single class, a categorical target forced to regression.
    pub fn from_table(table: &Table, spec: &DatasetSpec) -> Result<Self> {
        let target_index = table.column_index(&spec.target)?;
        for name in &spec.exclude {
            table.column_index(name)?;
        }
        let feature_indices: Vec<usize> = match &spec.features {
            FeatureSelection::AllOthers => (0..table.columns.len())
                .filter(|&i| i != target_index && !spec.exclude.contains(&table.columns[i].name))
                .collect(),
            FeatureSelection::Named(names) => {
                names.iter().map(|n| table.column_index(n)).collect::<Result<_>>()?
            }
        };
        if let Some(&i) = feature_indices.iter().find(|&&i| spec.exclude.contains(&table.columns[i].name)) {
            return Err(crate::error::invalid_parameter(
                "features",
                format!(
                    "'{}' holds the teacher's output (or another excluded column) and cannot also be a feature",
                    table.columns[i].name
                ),
            ));
        }
        if let Some(&i) = feature_indices.iter().find(|&&i| i == target_index) {
            return Err(crate::error::invalid_parameter(
                "features",
                format!("'{}' is the target and cannot also be a feature", table.columns[i].name),
            ));
        }
        let kept = kept_rows(table, Some(target_index), &feature_indices, spec.missing)?;
        let rows = FeatureRows::at(table, &feature_indices, kept)?;
        let target = build_target(table, target_index, rows.source_rows(), spec.task)?;
        let features = feature_indices
            .iter()
            .map(|&c| Feature {
                name: table.columns[c].name.clone(),
                levels: table.columns[c].levels().map(<[String]>::to_vec),
            })
            .collect();
        Ok(Self { target_name: spec.target.clone(), features, target, rows })
    }

    /// The file the data came from.
    pub fn file(&self) -> &Path {
        self.rows.file()
    }
    /// The target column's name.
    pub fn target_name(&self) -> &str {
        &self.target_name
    }
    /// The features, in column order of `x`.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }
    /// The features' names, in column order of `x`.
    pub fn feature_names(&self) -> Vec<String> {
        self.features.iter().map(|f| f.name.clone()).collect()
    }
    /// Each feature's levels (`None` for a numeric feature), in column order of `x`.
    pub fn levels(&self) -> Vec<Option<Vec<String>>> {
        self.features.iter().map(|f| f.levels.clone()).collect()
    }
    /// Each feature's kind, in column order of `x`.
    pub fn feature_kinds(&self) -> Vec<FeatureKind> {
        self.features.iter().map(Feature::kind).collect()
    }
    /// The class labels of a classification target, in class-index order; `None` for regression.
    pub fn class_labels(&self) -> Option<&[String]> {
        match &self.target {
            Target::Classes { labels, .. } => Some(labels),
            Target::Values(_) => None,
        }
    }
    /// Feature matrix, shape `(n_rows, n_features)`.
    pub fn x(&self) -> &Array2<f64> {
        self.rows.x()
    }
    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.rows.n_rows()
    }
    /// Rows dropped for missing values.
    pub fn dropped_rows(&self) -> usize {
        self.rows.dropped_rows()
    }
    /// For each row, its row index in the [`Table`] it came from.
    pub fn source_rows(&self) -> &[usize] {
        self.rows.source_rows()
    }
    /// For each row, its 1-based line in the file.
    pub fn lines(&self) -> &[u64] {
        self.rows.lines()
    }

    /// The rows without their target.
    pub fn feature_rows(&self) -> &FeatureRows {
        &self.rows
    }

    /// Regression, or classification with the target's number of classes.
    pub fn task(&self) -> Task {
        match &self.target {
            Target::Values(_) => Task::Regression,
            Target::Classes { labels, .. } => Task::classification(labels.len()),
        }
    }

    /// Class indices of a classification target; `None` for regression.
    pub fn classes(&self) -> Option<&[usize]> {
        match &self.target {
            Target::Classes { y, .. } => Some(y),
            Target::Values(_) => None,
        }
    }

    /// Errors unless the data has at least `needed` rows for `what`.
    pub fn require_rows(&self, needed: usize, what: &str) -> Result<()> {
        if self.n_rows() < needed {
            return Err(Error::TooFewRows { what: what.to_owned(), needed, found: self.n_rows() });
        }
        Ok(())
    }

    /// This data set with its categorical features and classes coded as in `reference` (a
    /// training file), so that a model fitted there reads these rows right. Errors: other
    /// features, or a level or class that `reference` does not have (naming the line and
    /// column of its first row).
    pub fn aligned_to(&self, reference: &Dataset) -> Result<Self> {
        let names = Dataset::feature_names;
        if names(self) != names(reference) {
            return Err(crate::error::invalid_parameter(
                "test file",
                format!(
                    "{} has features [{}] where {} has [{}]",
                    self.file().display(),
                    names(self).join(", "),
                    reference.file().display(),
                    names(reference).join(", ")
                ),
            ));
        }
        let from = Provenance {
            parameter: "test file",
            file: self.file(),
            lines: self.lines(),
            reference: reference.file(),
        };
        let mut aligned = self.clone();
        for (j, (ours, theirs)) in self.features.iter().zip(&reference.features).enumerate() {
            recode_levels(&mut aligned.rows.x, j, ours.levels.as_deref(), theirs, &from)?;
            aligned.features[j].levels = theirs.levels.clone();
        }
        aligned.target = match (&self.target, &reference.target) {
            (Target::Classes { labels, y }, Target::Classes { labels: reference_labels, .. }) => {
                let y = y
                    .iter()
                    .enumerate()
                    .map(|(row, &c)| {
                        reference_labels.iter().position(|l| *l == labels[c]).ok_or_else(|| {
                            from.not_in_reference(row, &self.target_name, &format!("class '{}'", labels[c]))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Target::Classes { labels: reference_labels.clone(), y }
            }
            (Target::Values(v), Target::Values(_)) => Target::Values(v.clone()),
            _ => {
                return Err(crate::error::invalid_parameter(
                    "test file",
                    format!("target '{}' is a class in one file and a value in the other", self.target_name),
                ));
            }
        };
        Ok(aligned)
    }

    /// The rows `rows`, in that order, as a new data set.
    pub fn select(&self, rows: &[usize]) -> Self {
        Self {
            target_name: self.target_name.clone(),
            features: self.features.clone(),
            target: self.target.select(rows),
            rows: self.rows.select(rows),
        }
    }
}

/// Where rows being coded as a reference data set's come from, for the messages: the parameter
/// that named their file (`test file`, `current file`), the file, each row's line, and the
/// reference's file.
pub(super) struct Provenance<'a> {
    pub parameter: &'a str,
    pub file: &'a Path,
    pub lines: &'a [u64],
    pub reference: &'a Path,
}

impl Provenance<'_> {
    /// The error for `what` (a level or class) in `column` of row `row` that the reference
    /// lacks.
    pub(super) fn not_in_reference(&self, row: usize, column: &str, what: &str) -> Error {
        crate::error::invalid_parameter(
            self.parameter,
            format!(
                "{}, line {}, '{column}': {what} does not occur in {}",
                self.file.display(),
                self.lines[row],
                self.reference.display()
            ),
        )
    }
}

/// Column `j` of `x`, coded by the levels `ours` (`None`: numeric), recoded to the codes of
/// the reference feature `theirs`. Errors: a level `theirs` lacks, and a feature numeric in one
/// file and categorical in the other.
pub(super) fn recode_levels(
    x: &mut Array2<f64>,
    j: usize,
    ours: Option<&[String]>,
    theirs: &Feature,
    from: &Provenance<'_>,
) -> Result<()> {
    let (Some(levels), Some(reference_levels)) = (ours, &theirs.levels) else {
        if ours.is_some() != theirs.levels.is_some() {
            return Err(crate::error::invalid_parameter(
                from.parameter,
                format!("feature '{}' is numeric in one file and categorical in the other", theirs.name),
            ));
        }
        return Ok(());
    };
    for row in 0..x.nrows() {
        let own = x[[row, j]];
        if own.is_nan() {
            continue;
        }
        let level = &levels[own as usize];
        let code = reference_levels
            .iter()
            .position(|l| l == level)
            .ok_or_else(|| from.not_in_reference(row, &theirs.name, &format!("level '{level}'")))?;
        x[[row, j]] = code as f64;
    }
    Ok(())
}

/// Rows per task of [`feature_matrix`]: a block of the row-major matrix stays in cache while
/// its columns are written one after another.
const MATRIX_BLOCK_ROWS: usize = 8192;

/// The `rows × features` matrix (row-major) of the `features` columns at `rows`, a missing
/// value as NaN; row blocks are filled in parallel (the fresh pages too).
pub(super) fn feature_matrix(table: &Table, features: &[usize], rows: &[usize]) -> Result<Array2<f64>> {
    let k = features.len();
    let mut values = vec![0.0; rows.len() * k];
    if k > 0 {
        values.par_chunks_mut(MATRIX_BLOCK_ROWS * k).zip(rows.par_chunks(MATRIX_BLOCK_ROWS)).for_each(
            |(block, block_rows)| {
                for (j, &c) in features.iter().enumerate() {
                    let column = &table.columns[c];
                    for (out, &r) in block.iter_mut().skip(j).step_by(k).zip(block_rows) {
                        *out = column.value(r).unwrap_or(f64::NAN);
                    }
                }
            },
        );
    }
    Array2::from_shape_vec((rows.len(), k), values).map_err(|e| Error::ShapeMismatch {
        context: "the feature matrix".into(),
        expected: format!("{} × {k}", rows.len()),
        got: e.to_string(),
    })
}

/// The rows of `table` kept under `policy`: a row missing a cell of the `target` column or of
/// a `features` column is refused or dropped; under [`MissingPolicy::Bin`] only a missing
/// target stops a row (missing features stay as holes).
pub(super) fn kept_rows(
    table: &Table,
    target: Option<usize>,
    features: &[usize],
    policy: MissingPolicy,
) -> Result<Vec<usize>> {
    let checked: Vec<usize> = match policy {
        MissingPolicy::Bin => target.into_iter().collect(),
        _ => target.into_iter().chain(features.iter().copied()).collect(),
    };
    let mut rows = Vec::with_capacity(table.n_rows());
    for r in 0..table.n_rows() {
        match checked.iter().find(|&&c| table.columns[c].is_missing(r)) {
            None => rows.push(r),
            Some(&c) if policy != MissingPolicy::Drop => {
                return Err(Error::InvalidValue {
                    file: table.file.clone(),
                    line: table.line_of(r),
                    column: table.columns[c].position(),
                    name: table.columns[c].name.clone(),
                    reason: "missing value; drop such rows with the missing-value policy 'drop'".into(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(rows)
}

fn build_target(table: &Table, index: usize, rows: &[usize], hint: TaskHint) -> Result<Target> {
    let column = &table.columns[index];
    let target = match (&column.data, hint) {
        (ColumnData::Categorical { .. }, TaskHint::Regression) => {
            return Err(crate::error::invalid_parameter(
                "task",
                format!("target '{}' is categorical and cannot be a regression target", column.name),
            ));
        }
        (ColumnData::Categorical { levels, codes }, _) => {
            let used: Vec<usize> = rows.iter().filter_map(|&r| codes[r]).map(|c| c as usize).collect();
            compact_classes(levels, &used)
        }
        (ColumnData::Numeric(values), hint) => {
            let v: Vec<f64> = rows.iter().map(|&r| values[r]).filter(|x| !x.is_nan()).collect();
            let mut distinct = v.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let integral = v.iter().all(|x| x.fract() == 0.0);
            let classify = match hint {
                TaskHint::Classification => true,
                TaskHint::Regression => false,
                TaskHint::Auto => integral && distinct.len() <= MAX_AUTO_CLASSES,
            };
            if classify {
                // From 2^53 on, f64 cannot hold every integer: two labels may have become one.
                const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;
                if let Some(&r) = rows.iter().find(|&&r| values[r].abs() >= EXACT_INTEGERS) {
                    return Err(Error::InvalidValue {
                        file: table.file().to_owned(),
                        line: table.line_of(r),
                        column: column.position,
                        name: column.name.clone(),
                        reason: format!(
                            "class label {} is at or beyond 2^53, where 64-bit floats cannot tell neighbouring integers apart (two labels may have become one); recode the labels as small integers or text",
                            values[r]
                        ),
                    });
                }
                let labels: Vec<String> = distinct.iter().map(|x| format!("{x}")).collect();
                let y = v.iter().map(|x| distinct.partition_point(|d| d < x)).collect();
                Target::Classes { labels, y }
            } else {
                Target::Values(Array1::from(v))
            }
        }
    };
    if let Target::Classes { labels, .. } = &target
        && labels.len() < 2
    {
        return Err(Error::SingleClass {
            file: table.file.clone(),
            target: column.name.clone(),
            class: labels.first().cloned().unwrap_or_default(),
        });
    }
    Ok(target)
}

/// Keeps only the levels that occur in the used rows, renumbered in level order.
fn compact_classes(levels: &[String], codes: &[usize]) -> Target {
    let mut present = vec![false; levels.len()];
    for &c in codes {
        present[c] = true;
    }
    let mut new_index = vec![0; levels.len()];
    let mut labels = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        if present[i] {
            new_index[i] = labels.len();
            labels.push(level.clone());
        }
    }
    Target::Classes { labels, y: codes.iter().map(|&c| new_index[c]).collect() }
}
