//! Scoring new rows with a saved m-of-n tree or decision set, as `kd predict` scores them with a
//! saved student: the file's columns coded by kd-students' [`code_rows`] against the saved
//! features and levels (neither model saves training ranges, has a place for a missing value
//! or a rule for an unseen level, so a missing cell is an error and an unseen level an error or,
//! under [`Unseen::Fallback`], an unscored row), then the model's class outputs and the rule
//! behind each (`kd predict --reasons`).

use kd_core::data::Table;
use kd_students::{Rows, Schema, Unseen, code_rows};
use ndarray::{Array2, ArrayView2};

use crate::beta::conjunction;
use crate::error::Result;
use crate::saved::{ExtractedModel, SavedExtraction};

impl SavedExtraction {
    /// The rows of `table` coded for this model.
    pub fn rows(&self, table: &Table, unseen: Unseen) -> Result<Rows> {
        let schema = Schema { features: &self.features, levels: &self.levels, ranges: &[], model: None };
        Ok(code_rows(table, schema, unseen)?)
    }

    /// The model's outputs for coded rows `x`, shape `(n, classes)`: an m-of-n tree's class
    /// proportions in the leaf each row reaches, a decision set's class as one-hot (the first
    /// matching rule's, or the default rule's).
    pub fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        match &self.model {
            ExtractedModel::Trepan(tree) => tree.predict_proba(x),
            ExtractedModel::Beta(set) => Ok(one_hot(&set.predict(x)?, set.n_classes)),
        }
    }

    /// The rule behind each row of coded rows `x`: an m-of-n tree's path, its tests from the
    /// root as the row meets them (`2 of {a <= 1, b > 3} and fewer than 2 of {c > 2, d <= 0}`), or the
    /// decision set's first matching rule (its outer and inner conditions), else `no rule
    /// applies`.
    pub fn reasons(&self, x: ArrayView2<'_, f64>) -> Result<Vec<String>> {
        match &self.model {
            ExtractedModel::Trepan(tree) => {
                tree.check_width(x)?;
                Ok(x.rows()
                    .into_iter()
                    .map(|row| {
                        let mut tests = Vec::new();
                        let mut node = 0;
                        while let Some(split) = tree.nodes.get(node).and_then(|n| n.split.as_ref()) {
                            let held = split.test.holds(row);
                            tests.push(if held {
                                split.test.describe(&self.features, &self.levels)
                            } else {
                                split.test.describe_failed(&self.features, &self.levels)
                            });
                            node = if held { split.satisfied } else { split.failed };
                        }
                        tests.join(" and ")
                    })
                    .collect())
            }
            ExtractedModel::Beta(set) => {
                set.check_columns(x)?;
                Ok(x.rows()
                    .into_iter()
                    .map(|row| {
                        let row = row.to_vec();
                        match set.rules.iter().find(|r| r.matches(&row)) {
                            Some(rule) => {
                                let all: Vec<_> = rule.outer.iter().chain(&rule.inner).copied().collect();
                                conjunction(&all, &self.features, &self.levels)
                            }
                            None => "no rule applies".to_owned(),
                        }
                    })
                    .collect())
            }
        }
    }

    /// The output columns, in the order of [`SavedExtraction::outputs`]: `p_<class>` per class.
    pub fn output_names(&self) -> Vec<String> {
        self.classes.iter().flatten().map(|c| format!("p_{c}")).collect()
    }
}

/// Classes as one-hot rows, shape `(classes.len(), k)`.
pub(crate) fn one_hot(classes: &[usize], k: usize) -> Array2<f64> {
    Array2::from_shape_fn((classes.len(), k), |(i, c)| f64::from(u8::from(classes[i] == c)))
}
