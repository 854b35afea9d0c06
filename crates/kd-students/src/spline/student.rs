//! The spline GAM as a student: what the kind is ([`KIND`]), its fit from [`SplineGamParams`]
//! and its [`FittedStudent`] answers.

use kd_core::data::FormedTarget;
use ndarray::{Array2, ArrayView2};

use super::{SplineGam, SplineGamParams};
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::{
    BINARY_OR_REGRESSION, Family, FitInput, FittedStudent, KindSpec, Student, StudentKind,
    binary_or_regression, class_one_probability, column,
};

/// The `spline` kind: binary tasks through the logit and regression, numeric features only.
pub(crate) const KIND: KindSpec = KindSpec {
    name: "spline",
    supports: binary_or_regression,
    needs: BINARY_OR_REGRESSION,
    takes_missing: false,
    numeric_only: true,
    classification_target: class_one_probability,
};

impl Family for SplineGamParams {
    fn kind(&self) -> StudentKind {
        StudentKind::Spline
    }
    fn check(&self) -> Result<()> {
        Ok(())
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        Ok(Student::Spline(SplineGam::fit(self, input.x, column(formed)?.view(), input.link())?))
    }
}

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
