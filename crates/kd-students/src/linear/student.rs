//! The linear students as [`FittedStudent`]s: OLS / ridge, logistic (with its quantile-bin
//! scorecard) and multinomial, each read as coefficient tables.

use std::fmt::Write as _;

use ndarray::{Array2, ArrayView2, Axis, stack};

use super::{Coefficient, Linear, Logistic, Multinomial};
use crate::contributions::Additive;
use crate::error::{Error, Result};
use crate::student::FittedStudent;

/// Refuses a table whose rows are not an intercept and one coefficient per feature.
fn check_table(table: &[Coefficient], n_features: usize) -> Result<()> {
    if table.len() == n_features + 1 {
        Ok(())
    } else {
        Err(Error::Load("corrupt student file (coefficients and features differ in number)".into()))
    }
}

impl FittedStudent for Linear {
    fn kind(&self) -> &'static str {
        "linear"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        Ok(self.predict(x)?.insert_axis(Axis(1)))
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({ "n_coefficients": self.coefficients.len() })
    }
    fn describe(&self, _names: &[String], _classes: Option<&[String]>) -> String {
        let what =
            if self.params.l2 > 0.0 { format!("ridge (λ = {})", self.params.l2) } else { "OLS".into() };
        let fit = format!(
            "{what}: residual standard error {:.6} on {} degrees of freedom\n",
            self.sigma, self.df_resid
        );
        fit + &coefficient_table("term", "t", &self.coefficients)
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        check_table(&self.coefficients, n_features)
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
}

impl FittedStudent for Logistic {
    fn kind(&self) -> &'static str {
        "logistic"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let p = self.predict_proba(x)?;
        stack(Axis(1), &[p.mapv(|v| 1.0 - v).view(), p.view()]).map_err(|e| Error::Load(e.to_string()))
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({ "n_coefficients": self.coefficients.len() })
    }
    fn describe(&self, _names: &[String], _classes: Option<&[String]>) -> String {
        let model = self;
        let mut out = coefficient_table("log-odds of class 1", "z", &model.coefficients);
        if let Some(card) = &model.scorecard {
            let s = card.scaling;
            let _ = writeln!(
                out,
                "\nscorecard: {:.0} points = good:bad odds {}:1, {} points double the odds; base points {:.0}",
                s.base_score, s.base_odds, s.pdo, card.base_points
            );
            for bin in &card.bins {
                let bound = |b: Option<f64>, open: &str| b.map_or(open.to_owned(), |v| format!("{v:.4}"));
                let range = format!("({}, {}]", bound(bin.lower, "-inf"), bound(bin.upper, "+inf"));
                let _ = writeln!(out, "  {:<28} {range:<28} {:>7.0}", bin.feature, bin.points);
            }
        }
        out
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        check_table(&self.coefficients, n_features)
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
}

impl FittedStudent for Multinomial {
    fn kind(&self) -> &'static str {
        "multinomial"
    }
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.predict_proba(x)
    }
    fn complexity(&self) -> serde_json::Value {
        serde_json::json!({ "n_coefficients": self.coefficients.iter().map(Vec::len).sum::<usize>() })
    }
    fn describe(&self, _names: &[String], classes: Option<&[String]>) -> String {
        let model = self;
        let mut out = String::new();
        for (c, table) in model.coefficients.iter().enumerate() {
            let label = classes.and_then(|l| l.get(c + 1)).cloned().unwrap_or_else(|| (c + 1).to_string());
            let base = classes.and_then(|l| l.first()).cloned().unwrap_or_else(|| "0".into());
            out.push_str(&coefficient_table(&format!("log-odds of {label} vs {base}"), "z", table));
            out.push('\n');
        }
        out
    }
    fn check_loaded(&self, n_features: usize) -> Result<()> {
        if self.coefficients.len() + 1 != self.n_classes
            || self.coefficients.iter().any(|c| c.len() != n_features + 1)
        {
            return Err(Error::Load("corrupt student file (a coefficient table does not fit)".into()));
        }
        Ok(())
    }
    fn additive(&self) -> Option<&dyn Additive> {
        Some(self)
    }
}

/// A coefficient table: estimate, standard error, the test statistic (`z` or `t`) and p-value.
fn coefficient_table(title: &str, statistic: &str, rows: &[Coefficient]) -> String {
    let mut out = format!("{title:<28} {:>12} {:>11} {statistic:>9} {:>9}\n", "estimate", "std error", "p");
    for c in rows {
        let _ = writeln!(
            out,
            "{:<28} {:>12.6} {:>11.6} {:>9.3} {:>9.4}",
            c.name, c.estimate, c.std_error, c.z, c.p_value
        );
    }
    out
}
