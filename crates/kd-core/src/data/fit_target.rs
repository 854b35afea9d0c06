//! What a student is fitted to: the teacher's outputs or the true target of the training rows
//! ([`FitTarget`]), and the form a student takes it in ([`TargetForm`] → [`FormedTarget`]).
//!
//! | form | teacher's outputs | true classes | true values |
//! |---|---|---|---|
//! | [`TargetForm::Classes`] | refused | class indices | refused |
//! | [`TargetForm::ClassOneProbability`] | column 1, `P(class 1)` | 0/1 as `f64` | refused |
//! | [`TargetForm::ClassProbabilities`] | the `(n, k)` probabilities | one-hot `(n, k)` | refused |
//! | [`TargetForm::Values`] | column 0 | refused | the values |

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use super::Target;
use crate::{Error, Result};

/// The target a student learns from, on its training rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FitTarget<'a> {
    /// The teacher's outputs: `(n, k)` class probabilities or `(n, 1)` values.
    Teacher(ArrayView2<'a, f64>),
    /// The true classes, indices below `n_classes`.
    Classes {
        /// One class index per row.
        y: &'a [usize],
        /// Number of classes of the task.
        n_classes: usize,
    },
    /// The true values.
    Values(ArrayView1<'a, f64>),
}

impl<'a> FitTarget<'a> {
    /// The true target of a data set (all its rows; see [`Target::select`]).
    pub fn labels(target: &'a Target) -> Self {
        match target {
            Target::Classes { labels, y } => FitTarget::Classes { y, n_classes: labels.len() },
            Target::Values(v) => FitTarget::Values(v.view()),
        }
    }

    /// Whether the target is the truth rather than a teacher.
    pub fn is_labels(&self) -> bool {
        !matches!(self, FitTarget::Teacher(_))
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        match self {
            FitTarget::Teacher(outputs) => outputs.nrows(),
            FitTarget::Classes { y, .. } => y.len(),
            FitTarget::Values(v) => v.len(),
        }
    }
}

/// The form in which a student takes its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetForm {
    /// Class indices (a classification tree on the true classes).
    Classes,
    /// One column: the probability of class 1, fitted through the logit (binary tasks).
    ClassOneProbability,
    /// Class probabilities, one-hot for true classes, shape `(n, k)`.
    ClassProbabilities,
    /// One column of values (regression).
    Values,
}

/// A target in the form a student takes it.
#[derive(Debug, Clone, PartialEq)]
pub enum FormedTarget {
    /// Class indices with the number of classes.
    Classes {
        /// One class index per row.
        y: Vec<usize>,
        /// Number of classes.
        n_classes: usize,
    },
    /// One number per row: a probability of class 1 or a value.
    Column(Array1<f64>),
    /// Rows of class probabilities.
    Matrix(Array2<f64>),
}

impl FormedTarget {
    /// The target as a matrix: a column becomes `(n, 1)`, classes become one-hot rows.
    pub fn into_matrix(self) -> Array2<f64> {
        match self {
            FormedTarget::Matrix(m) => m,
            FormedTarget::Column(c) => c.insert_axis(Axis(1)),
            FormedTarget::Classes { y, n_classes } => one_hot(&y, n_classes),
        }
    }
}

fn one_hot(y: &[usize], n_classes: usize) -> Array2<f64> {
    Array2::from_shape_fn((y.len(), n_classes), |(i, c)| f64::from(u8::from(y[i] == c)))
}

impl TargetForm {
    /// `target` in this form; an error when the target cannot take it (a regression target
    /// as classes, a teacher's outputs as class indices, fewer than two output columns for the
    /// probability of class 1).
    pub fn build(self, target: &FitTarget<'_>) -> Result<FormedTarget> {
        let refuse = || Error::InvalidParameter {
            name: "target".into(),
            reason: format!("{} cannot be fitted as {}", source_name(target), self.name()),
        };
        Ok(match (self, target) {
            (TargetForm::Classes, FitTarget::Classes { y, n_classes }) => {
                FormedTarget::Classes { y: y.to_vec(), n_classes: *n_classes }
            }
            (TargetForm::ClassOneProbability, FitTarget::Teacher(outputs)) if outputs.ncols() >= 2 => {
                FormedTarget::Column(outputs.column(1).to_owned())
            }
            (TargetForm::ClassOneProbability, FitTarget::Classes { y, .. }) => {
                FormedTarget::Column(y.iter().map(|&c| c as f64).collect())
            }
            (TargetForm::ClassProbabilities, FitTarget::Teacher(outputs)) => {
                FormedTarget::Matrix(outputs.to_owned())
            }
            (TargetForm::ClassProbabilities, FitTarget::Classes { y, n_classes }) => {
                FormedTarget::Matrix(one_hot(y, *n_classes))
            }
            (TargetForm::Values, FitTarget::Teacher(outputs)) if outputs.ncols() >= 1 => {
                FormedTarget::Column(outputs.column(0).to_owned())
            }
            (TargetForm::Values, FitTarget::Values(v)) => FormedTarget::Column(v.to_owned()),
            _ => return Err(refuse()),
        })
    }

    /// The form's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            TargetForm::Classes => "classes",
            TargetForm::ClassOneProbability => "the probability of class 1",
            TargetForm::ClassProbabilities => "class probabilities",
            TargetForm::Values => "values",
        }
    }
}

fn source_name(target: &FitTarget<'_>) -> &'static str {
    match target {
        FitTarget::Teacher(_) => "the teacher's outputs",
        FitTarget::Classes { .. } => "true classes",
        FitTarget::Values(_) => "true values",
    }
}
