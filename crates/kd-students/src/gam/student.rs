//! The boosted GAM as a student: what the kinds are ([`KIND`], with pairs [`PAIRS_KIND`]), its
//! fit from [`GamSettings`] and its [`FittedStudent`] answers.

use kd_core::data::FormedTarget;
use ndarray::{Array2, ArrayView2};

use super::{BoostedGam, GamSettings};
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::{
    BINARY_OR_REGRESSION, Family, FitInput, FittedStudent, KindSpec, Student, StudentKind,
    binary_or_regression, class_one_probability, column,
};

/// The `gam` kind: binary tasks through the logit and regression, missing values in their own
/// bin, categorical features as binned codes.
pub(crate) const KIND: KindSpec = KindSpec {
    name: "gam",
    supports: binary_or_regression,
    needs: BINARY_OR_REGRESSION,
    takes_missing: true,
    numeric_only: false,
    classification_target: class_one_probability,
};

/// The `gam2` kind: [`KIND`] with pair terms (GA²M).
pub(crate) const PAIRS_KIND: KindSpec = KindSpec { name: "gam2", ..KIND };

impl Family for GamSettings {
    fn kind(&self) -> StudentKind {
        if self.pairs { StudentKind::Gam2 } else { StudentKind::Gam }
    }
    fn check(&self) -> Result<()> {
        Ok(())
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        let link = input.link();
        let params = self.params(input.names, link)?;
        let gam = BoostedGam::fit_reporting(&params, input.x, column(formed)?.view(), link, input.report)?;
        Ok(Student::Gam(gam))
    }
}

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
    /// A missing-value bin in every term that reads `j`.
    fn takes_missing_in(&self, j: usize) -> bool {
        self.has_missing_bin(j)
    }
}
