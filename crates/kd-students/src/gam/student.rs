//! The boosted GAM as a [`FittedStudent`].

use ndarray::{Array2, ArrayView2};

use super::BoostedGam;
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::FittedStudent;

impl FittedStudent for BoostedGam {
    fn kind(&self) -> &'static str {
        "gam"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.predict(x)
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({
            "n_terms": self.terms.len(),
            "n_pairs": self.terms.iter().filter(|t| t.features.len() == 2).count(),
            "n_scores": self.terms.iter().map(|t| t.scores.len()).sum::<usize>(),
        })
    }
    fn describe(&self, names: &[String], _classes: Option<&[String]>) -> String {
        self.explain(names)
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        if self.n_features != n_features {
            return Err(Error::Load(format!(
                "corrupt student file (the GAM reads {} features, the file names {n_features})",
                self.n_features
            )));
        }
        self.validate()
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
}
