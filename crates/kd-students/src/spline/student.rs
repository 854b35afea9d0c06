//! The spline GAM as a [`FittedStudent`].

use ndarray::{Array2, ArrayView2};

use super::SplineGam;
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::FittedStudent;

impl FittedStudent for SplineGam {
    fn kind(&self) -> &'static str {
        "spline"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.predict(x)
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({
            "n_terms": self.terms.len(),
            "n_coefficients": self.coefficients().len(),
            "edof": self.statistics.edof,
        })
    }
    fn describe(&self, names: &[String], _classes: Option<&[String]>) -> String {
        self.explain(names)
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        if self.n_features != n_features {
            return Err(Error::Load("corrupt student file (terms and features differ in number)".into()));
        }
        self.validate()
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
}
