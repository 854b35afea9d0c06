//! Scoring new rows with a saved m-of-n tree or decision set, as `kd predict` scores them with a
//! saved student: the file's columns coded by kd-students' [`code_rows`] against the saved
//! features and levels (neither model saves training ranges, has a place for a missing value
//! or a rule for an unseen level, so a missing cell is an error and an unseen level an error or,
//! under [`Unseen::Fallback`], an unscored row), then the model's class outputs.

use kd_core::data::Table;
use kd_students::{Rows, Schema, Unseen, code_rows};
use ndarray::{Array2, ArrayView2};

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

    /// The output columns, in the order of [`SavedExtraction::outputs`]: `p_<class>` per class.
    pub fn output_names(&self) -> Vec<String> {
        self.classes.iter().flatten().map(|c| format!("p_{c}")).collect()
    }
}

/// Classes as one-hot rows, shape `(classes.len(), k)`.
pub(crate) fn one_hot(classes: &[usize], k: usize) -> Array2<f64> {
    Array2::from_shape_fn((classes.len(), k), |(i, c)| f64::from(u8::from(classes[i] == c)))
}
