//! The WoE scorecard as a [`FittedStudent`]: `P(bad)` in the bad class's column.

use ndarray::{Array2, ArrayView2, Axis, stack};

use super::WoeScorecard;
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::FittedStudent;

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
}
