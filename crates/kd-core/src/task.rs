//! What a model predicts: a value (regression) or class probabilities.

use serde::{Deserialize, Serialize};

/// The prediction task of a teacher or student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// One real value per row.
    Regression,
    /// Two classes; outputs are the probabilities of class 0 and class 1.
    Binary,
    /// `k > 2` classes; outputs are `k` probabilities per row.
    Multiclass(usize),
}

impl Task {
    /// The task for a classification target with `n_classes` classes (at least 2).
    pub fn classification(n_classes: usize) -> Self {
        if n_classes <= 2 { Task::Binary } else { Task::Multiclass(n_classes) }
    }

    /// Number of output columns: 1 for regression, the number of classes otherwise.
    pub fn n_outputs(self) -> usize {
        match self {
            Task::Regression => 1,
            Task::Binary => 2,
            Task::Multiclass(k) => k,
        }
    }

    /// Whether outputs are class probabilities.
    pub fn is_classification(self) -> bool {
        !matches!(self, Task::Regression)
    }

    /// The name used in JSON reports: "regression", "binary" or "multiclass".
    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Binary => "binary",
            Task::Multiclass(_) => "multiclass",
        }
    }
}
