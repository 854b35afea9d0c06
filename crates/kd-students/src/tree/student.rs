//! The tree as a [`FittedStudent`].

use ndarray::{Array2, ArrayView2};

use super::Tree;
use crate::error::{Error, Result};
use crate::student::FittedStudent;

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
}
