//! Students saved as JSON with a format version, so that a file from another kd is refused
//! clearly instead of misread.

use serde::{Deserialize, Serialize};

use std::fmt::Write as _;

use ndarray::{Array2, ArrayView2, Axis, stack};

use crate::error::{Error, Result};
use crate::gam::BoostedGam;
use crate::linear::{Coefficient, Linear, Logistic, Multinomial};
use crate::scorecard::WoeScorecard;
use crate::spline::SplineGam;
use crate::tree::Tree;

/// The format version written by this kd: 2 since trees may split categorical features by level
/// sets (`Node::levels`); version-1 files hold nothing version 2 reads differently and are
/// still read.
pub const FORMAT_VERSION: u32 = 2;

/// The oldest format version this kd reads.
const OLDEST_READABLE: u32 = 1;

/// A fitted student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Student {
    /// A CART tree.
    Tree(Tree),
    /// A logistic regression (binary tasks).
    Logistic(Logistic),
    /// A boosted GAM (binary tasks through the logit, or regression).
    Gam(BoostedGam),
    /// An OLS or ridge regression (regression tasks).
    Linear(Linear),
    /// A multinomial logistic regression (multiclass tasks).
    Multinomial(Multinomial),
    /// A WoE scorecard (binary tasks).
    Scorecard(WoeScorecard),
    /// A penalised-spline GAM (binary tasks through the logit, or regression).
    Spline(SplineGam),
}

impl Student {
    /// The student's outputs for the rows of `x`: class probabilities (a logistic student gives
    /// `[1 − p, p]`) or values, shape `(n, outputs)`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        match self {
            Student::Tree(tree) => tree.predict(x),
            Student::Logistic(model) => {
                let p = model.predict_proba(x)?;
                stack(Axis(1), &[p.mapv(|v| 1.0 - v).view(), p.view()])
                    .map_err(|e| Error::Load(e.to_string()))
            }
            Student::Gam(gam) => gam.predict(x),
            Student::Spline(gam) => gam.predict(x),
            Student::Linear(model) => Ok(model.predict(x)?.insert_axis(ndarray::Axis(1))),
            Student::Multinomial(model) => model.predict_proba(x),
            Student::Scorecard(card) => {
                let bad = card.predict_proba(x)?;
                let good = bad.mapv(|v| 1.0 - v);
                let columns = if card.params.bad_class == 0 {
                    [bad.view(), good.view()]
                } else {
                    [good.view(), bad.view()]
                };
                stack(Axis(1), &columns).map_err(|e| Error::Load(e.to_string()))
            }
        }
    }

    /// `"tree"`, `"logistic"` or `"gam"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Student::Tree(_) => "tree",
            Student::Logistic(_) => "logistic",
            Student::Gam(_) => "gam",
            Student::Linear(_) => "linear",
            Student::Multinomial(_) => "multinomial",
            Student::Scorecard(_) => "scorecard",
            Student::Spline(_) => "spline",
        }
    }

    /// Its size, for reports: leaves and depth, or the number of coefficients.
    pub fn complexity(&self) -> serde_json::Value {
        match self {
            Student::Tree(tree) => serde_json::json!({ "n_leaves": tree.n_leaves(), "depth": tree.depth() }),
            Student::Logistic(model) => serde_json::json!({ "n_coefficients": model.coefficients.len() }),
            Student::Linear(model) => serde_json::json!({ "n_coefficients": model.coefficients.len() }),
            Student::Multinomial(model) => {
                serde_json::json!({ "n_coefficients": model.coefficients.iter().map(Vec::len).sum::<usize>() })
            }
            Student::Scorecard(card) => serde_json::json!({
                "n_features": card.features.len(),
                "n_classes": card.features.iter().map(|f| f.bins.len()).sum::<usize>(),
            }),
            Student::Gam(gam) => serde_json::json!({
                "n_terms": gam.terms.len(),
                "n_pairs": gam.terms.iter().filter(|t| t.features.len() == 2).count(),
                "n_scores": gam.terms.iter().map(|t| t.scores.len()).sum::<usize>(),
            }),
            Student::Spline(gam) => serde_json::json!({
                "n_terms": gam.terms.len(),
                "n_coefficients": gam.coefficients().len(),
                "edof": gam.statistics.edof,
            }),
        }
    }

    /// The student in words: the tree's rules, the coefficient table, or the GAM's terms by
    /// importance and its shape functions.
    pub fn explain(&self, names: &[String], classes: Option<&[String]>) -> String {
        match self {
            Student::Tree(tree) => {
                format!(
                    "{} leaves, depth {}:\n{}",
                    tree.n_leaves(),
                    tree.depth(),
                    tree.export_text(names, classes)
                )
            }
            Student::Logistic(model) => {
                let mut out = coefficient_table("log-odds of class 1", "z", &model.coefficients);
                if let Some(card) = &model.scorecard {
                    let s = card.scaling;
                    let _ = writeln!(
                        out,
                        "\nscorecard: {:.0} points = good:bad odds {}:1, {} points double the odds; base points {:.0}",
                        s.base_score, s.base_odds, s.pdo, card.base_points
                    );
                    for bin in &card.bins {
                        let bound =
                            |b: Option<f64>, open: &str| b.map_or(open.to_owned(), |v| format!("{v:.4}"));
                        let range = format!("({}, {}]", bound(bin.lower, "-inf"), bound(bin.upper, "+inf"));
                        let _ = writeln!(out, "  {:<28} {range:<28} {:>7.0}", bin.feature, bin.points);
                    }
                }
                out
            }
            Student::Gam(gam) => gam.explain(names),
            Student::Spline(gam) => gam.explain(names),
            Student::Scorecard(card) => card.explain(),
            Student::Multinomial(model) => {
                let mut out = String::new();
                for (c, table) in model.coefficients.iter().enumerate() {
                    let label =
                        classes.and_then(|l| l.get(c + 1)).cloned().unwrap_or_else(|| (c + 1).to_string());
                    let base = classes.and_then(|l| l.first()).cloned().unwrap_or_else(|| "0".into());
                    out.push_str(&coefficient_table(&format!("log-odds of {label} vs {base}"), "z", table));
                    out.push('\n');
                }
                out
            }
            Student::Linear(model) => {
                let what = if model.params.l2 > 0.0 {
                    format!("ridge (λ = {})", model.params.l2)
                } else {
                    "OLS".into()
                };
                let fit = format!(
                    "{what}: residual standard error {:.6} on {} degrees of freedom\n",
                    model.sigma, model.df_resid
                );
                fit + &coefficient_table("term", "t", &model.coefficients)
            }
        }
    }
}

/// A student with what is needed to use it on new data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStudent {
    /// Always `"kd-student"`.
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub version: u32,
    /// `"regression"`, `"binary"` or `"multiclass"`.
    pub task: String,
    /// The target column it imitates or predicts.
    pub target: String,
    /// Feature names, in input order.
    pub features: Vec<String>,
    /// Levels of each feature (`None` for numeric ones), for the codes it was fitted on.
    pub levels: Vec<Option<Vec<String>>>,
    /// Class labels (classification), in output order.
    pub classes: Option<Vec<String>>,
    /// The teacher it was distilled from (`None` when fitted on the true labels).
    pub teacher: Option<String>,
    /// The model.
    pub student: Student,
}

impl SavedStudent {
    /// The JSON text of the student.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Load(e.to_string()))
    }

    /// Reads a student from JSON text; refuses other formats and versions.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::Load(format!("not JSON ({e})")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some("kd-student") {
            return Err(Error::Load("not a kd student file (no \"format\": \"kd-student\")".into()));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        if !version.is_some_and(|v| (u64::from(OLDEST_READABLE)..=u64::from(FORMAT_VERSION)).contains(&v)) {
            return Err(Error::Load(format!(
                "format version {} is not a version this kd reads ({OLDEST_READABLE} to {FORMAT_VERSION})",
                version.map_or("missing".into(), |v| v.to_string())
            )));
        }
        let saved: SavedStudent =
            serde_json::from_value(value).map_err(|e| Error::Load(format!("corrupt student file ({e})")))?;
        match &saved.student {
            Student::Tree(tree) => tree.validate()?,
            Student::Logistic(model) if model.coefficients.len() != saved.features.len() + 1 => {
                return Err(Error::Load(
                    "corrupt student file (coefficients and features differ in number)".into(),
                ));
            }
            Student::Logistic(_) => {}
            Student::Gam(gam) => gam.validate()?,
            Student::Spline(gam) if gam.n_features != saved.features.len() => {
                return Err(Error::Load("corrupt student file (terms and features differ in number)".into()));
            }
            Student::Spline(gam) => gam.validate()?,
            Student::Linear(model) if model.coefficients.len() != saved.features.len() + 1 => {
                return Err(Error::Load(
                    "corrupt student file (coefficients and features differ in number)".into(),
                ));
            }
            Student::Linear(_) => {}
            Student::Multinomial(model)
                if model.coefficients.len() + 1 != model.n_classes
                    || model.coefficients.iter().any(|c| c.len() != saved.features.len() + 1) =>
            {
                return Err(Error::Load("corrupt student file (a coefficient table does not fit)".into()));
            }
            Student::Multinomial(_) => {}
            Student::Scorecard(card) => card.validate(saved.features.len())?,
        }
        if saved.features.len() != saved.levels.len() {
            return Err(Error::Load("corrupt student file (features and levels differ in number)".into()));
        }
        Ok(saved)
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
