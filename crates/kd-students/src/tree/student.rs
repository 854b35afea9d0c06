//! The tree as a student: what the kind is ([`KIND`]), its fit from [`TreeParams`] and its
//! [`FittedStudent`] answers.

use kd_core::data::{FormedTarget, TargetForm};
use ndarray::{Array2, ArrayView2};

use super::{Criterion, Tree, TreeParams, TreeTarget};
use crate::error::{Error, Result};
use crate::student::{Family, FitInput, FittedStudent, KindSpec, Student, StudentKind};

/// The `tree` kind: every task, missing values down a learnt side, categorical features by
/// level sets; the true classes as classes (Gini), a teacher's outputs as probabilities
/// (squared error).
pub(crate) const KIND: KindSpec = KindSpec {
    name: "tree",
    supports: |_| true,
    needs: "fits every task",
    takes_missing: true,
    numeric_only: false,
    classification_target: |_, labels| {
        if labels { TargetForm::Classes } else { TargetForm::ClassProbabilities }
    },
};

impl Family for TreeParams {
    fn kind(&self) -> StudentKind {
        StudentKind::Tree
    }
    fn check(&self) -> Result<()> {
        TreeParams::check(self)
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        let tree = |params, target| Tree::fit_with_levels(params, input.x, target, input.levels);
        Ok(Student::Tree(match formed {
            FormedTarget::Classes { y, n_classes } => {
                let criterion = match self.criterion {
                    Criterion::SquaredError => Criterion::Gini,
                    classification => classification,
                };
                tree(&self.criterion(criterion), TreeTarget::Classes { y: &y, n_classes })?
            }
            other => {
                let outputs = other.into_matrix();
                tree(&self.criterion(Criterion::SquaredError), TreeTarget::Values(outputs.view()))?
            }
        }))
    }
}

impl FittedStudent for Tree {
    fn kind(&self) -> &'static str {
        "tree"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.predict(x)
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({ "n_leaves": self.n_leaves(), "depth": self.depth() })
    }
    fn describe(&self, names: &[String], classes: Option<&[String]>) -> String {
        format!("{} leaves, depth {}:\n{}", self.n_leaves(), self.depth(), self.export_text(names, classes))
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        if self.n_features != n_features {
            return Err(Error::Load(format!(
                "corrupt student file (the tree reads {} features, the file names {n_features})",
                self.n_features
            )));
        }
        self.validate()
    }
    /// Every split on `j` learnt where missing values go (a tree that never splits on `j` does
    /// not read it).
    fn takes_missing_in(&self, j: usize) -> bool {
        self.nodes.iter().all(|node| match node.split {
            Some((f, ..)) if f == j => node.missing_left.is_some(),
            _ => true,
        })
    }
    /// Every split on `j` is a level-set split: unseen levels follow the child with more
    /// training rows.
    fn takes_unseen_levels_in(&self, j: usize) -> bool {
        self.nodes.iter().all(|node| match node.split {
            Some((f, ..)) if f == j => node.levels.is_some(),
            _ => true,
        })
    }
}
