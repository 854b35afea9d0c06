//! The WoE scorecard as a student: what the kind is ([`KIND`]), its fit from [`WoeParams`] on
//! `P(bad)`, and its [`FittedStudent`] answers (`P(bad)` in the bad class's column).

use kd_core::Task;
use kd_core::data::FormedTarget;
use ndarray::{Array2, ArrayView2, Axis, stack};

use super::{WoeParams, WoeScorecard};
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::{
    Family, FitInput, FittedStudent, KindSpec, Student, StudentKind, class_one_probability, column,
};

/// The `scorecard` kind: binary tasks, missing values in their own class, categorical levels
/// as classes.
pub(crate) const KIND: KindSpec = KindSpec {
    name: "scorecard",
    supports: |task| task == Task::Binary,
    needs: "needs a binary task",
    takes_missing: true,
    numeric_only: false,
    classification_target: class_one_probability,
};

impl Family for WoeParams {
    fn kind(&self) -> StudentKind {
        StudentKind::Scorecard
    }
    fn check(&self) -> Result<()> {
        WoeParams::check(self)
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        let class_one = column(formed)?;
        let bad = if self.bad_class == 1 { class_one } else { class_one.mapv(|p| 1.0 - p) };
        let card = WoeScorecard::fit(self, input.x, bad.view(), input.names, input.levels)?;
        Ok(Student::Scorecard(card))
    }
}

impl FittedStudent for WoeScorecard {
    fn kind(&self) -> &'static str {
        "scorecard"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let bad = self.predict_proba(x)?;
        let good = bad.mapv(|v| 1.0 - v);
        let columns =
            if self.params.bad_class == 0 { [bad.view(), good.view()] } else { [good.view(), bad.view()] };
        stack(Axis(1), &columns).map_err(|e| Error::Load(e.to_string()))
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({
            "n_features": self.features.len(),
            "n_classes": self.features.iter().map(|f| f.bins.len()).sum::<usize>(),
        })
    }
    fn describe(&self, _names: &[String], _classes: Option<&[String]>) -> String {
        self.explain()
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        self.validate(n_features)
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
    /// A missing-value class among `j`'s.
    fn takes_missing_in(&self, j: usize) -> bool {
        self.features.get(j).is_some_and(|f| f.bins.iter().any(|b| b.missing))
    }
    /// A categorical feature's unseen levels take its neutral class (WoE 0, no points).
    fn takes_unseen_levels_in(&self, j: usize) -> bool {
        self.features.get(j).is_some_and(|f| f.levels.is_some())
    }
}
