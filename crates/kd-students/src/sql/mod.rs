//! A saved student as one SQL `SELECT` over a table holding its features as columns (the
//! names it was fitted with; categorical features as their level text), so that it scores
//! where the data live. The query returns every column of the table and the student's
//! outputs under the names `kd predict` writes (`p_<class>` per class or `prediction`, and
//! `score` for a WoE scorecard); a tree adds its leaf `kd_leaf`, additive students add their predictor `kd_eta` (the
//! log-odds, or `kd_eta_<class>` per class of a multinomial student).
//!
//! | student | SQL |
//! |---|---|
//! | tree | `kd_leaf`: one `WHEN` per leaf with its path's tests (level-set splits as `IN (...)`, unseen levels to the larger child as in `kd predict --unseen fallback`), then a lookup of the leaf's value per output |
//! | WoE scorecard | `CASE WHEN` per feature for its WoE and its points, a level in no class the neutral class's 0 as in `kd predict --unseen fallback`; `P(bad) = 1 / (1 + EXP(−η))` |
//! | boosted GAM | a sum of binned lookups (`CASE WHEN` on the bin edges; pairs as nested lookups), through the link |
//! | linear, logistic, multinomial | the linear predictor, through the identity, logistic or softmax link |
//!
//! The spline GAM has no SQL form (its B-spline basis would be a polynomial per knot span);
//! it is refused. A missing value or an unseen level (other than a tree's or a scorecard's)
//! gives NULL outputs, never a guess.
//!
//! Dialects differ in one thing that matters for exactness: PostgreSQL and DuckDB read a
//! decimal literal as an exact `NUMERIC`/`DECIMAL`, so those dialects (and ANSI) cast every
//! constant to double precision; SQLite reads it as a double already. All four have `EXP`
//! (SQLite since 3.35 with its math functions, which Python's `sqlite3` builds include).
//! The export's tests run the query in SQLite and DuckDB on the shipped data and compare it
//! with `kd predict` to 1e-12.

mod expr;
mod models;

use crate::error::{Result, invalid_parameter};
use crate::student::{SavedStudent, Student};

pub use expr::{Dialect, Sql};

impl SavedStudent {
    /// The `SELECT` computing this student's outputs from the rows of `table`, in `dialect`.
    /// Errors: a spline GAM (no SQL form), an empty table name.
    pub fn to_sql(&self, dialect: Dialect, table: &str) -> Result<String> {
        if table.is_empty() {
            return Err(invalid_parameter("table", "an empty name"));
        }
        let sql = Sql { dialect, features: &self.features, levels: &self.levels };
        let outputs = output_names(self);
        let from = sql.ident(table);
        let header = format!(
            "-- kd student ({}) of '{}'{}: outputs {}\n",
            self.student.kind(),
            self.target,
            self.teacher.as_ref().map_or(String::new(), |t| format!(" distilled from {t}")),
            outputs.join(", ")
        );
        let select = |columns, from: String| sql.select(columns, &from);
        let body = match &self.student {
            Student::Tree(tree) => {
                let (leaf, columns) = models::tree(&sql, tree, &outputs);
                select(columns, sql.subquery(&select(leaf, from), "kd_leaves"))
            }
            Student::Spline(_) => {
                return Err(invalid_parameter(
                    "student",
                    "a spline GAM has no SQL form; export a boosted GAM",
                ));
            }
            other => {
                let layers = models::additive(&sql, other, &outputs)?;
                let inner = select(layers.predictors, from);
                let middle = sql.subquery(&inner, "kd_eta");
                let outer = select(layers.outputs, middle);
                match layers.after {
                    Some(after) => select(after, sql.subquery(&outer, "kd_outputs")),
                    None => outer,
                }
            }
        };
        Ok(format!("{header}{body};\n"))
    }
}

/// The output columns of a saved student, in the order of its outputs: `p_<class>` per
/// class or `prediction`, then `score` for a WoE scorecard. `kd predict` writes the same.
pub fn output_names(saved: &SavedStudent) -> Vec<String> {
    let mut names: Vec<String> = match &saved.classes {
        Some(classes) => classes.iter().map(|c| format!("p_{c}")).collect(),
        None => vec!["prediction".into()],
    };
    if matches!(saved.student, Student::Scorecard(_)) {
        names.push("score".into());
    }
    names
}
