//! [`TextStudent`]: a readable student of a text classifier — a [`Vectorizer`] (n-grams,
//! TF-IDF or counts) and a [`SparseLogistic`] model over its columns with at most a given
//! number of non-zero weights, fitted to the teacher's probability of class 1.

use ndarray::{Array2, ArrayView1};
use serde::{Deserialize, Serialize};

use kd_core::text::{Vectorizer, VectorizerParams};

use crate::error::{Error, Result};
use crate::sparse::{SparseLogistic, SparseLogisticParams};

/// Settings of a [`TextStudent`]: the vectoriser's and the sparse model's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextStudentParams {
    /// How documents become rows.
    pub vectorizer: VectorizerParams,
    /// The penalty path and the budget of non-zero weights.
    pub logistic: SparseLogisticParams,
}

/// An n-gram with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedTerm {
    /// The n-gram (or a hashed column's name).
    pub term: String,
    /// Its weight on the log-odds of class 1 per unit of its TF-IDF value (or count).
    pub weight: f64,
}

/// A fitted text student for a binary teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextStudent {
    /// Documents to rows.
    pub vectorizer: Vectorizer,
    /// The sparse logistic model over the vectoriser's columns.
    pub model: SparseLogistic,
    /// The two class labels; the model gives the log-odds of the second.
    pub classes: [String; 2],
}

impl TextStudent {
    /// Fits the vectoriser on `texts` and the sparse model to `target`, the teacher's
    /// probability of class 1 (`classes[1]`) for each text.
    pub fn fit(
        params: &TextStudentParams,
        texts: &[String],
        target: ArrayView1<'_, f64>,
        classes: [String; 2],
    ) -> Result<Self> {
        if texts.len() != target.len() {
            return Err(Error::ShapeMismatch {
                context: "texts and targets".into(),
                expected: texts.len(),
                got: target.len(),
            });
        }
        let (vectorizer, x) = Vectorizer::fit_transform(texts, &params.vectorizer)?;
        let model = SparseLogistic::fit(&params.logistic, &x, target)?;
        Ok(Self { vectorizer, model, classes })
    }

    /// The log-odds of class 1 for each text.
    pub fn log_odds(&self, texts: &[String]) -> Result<ndarray::Array1<f64>> {
        self.model.log_odds(&self.vectorizer.transform(texts)?)
    }

    /// Class probabilities `[P(class 0), P(class 1)]` per text, shape `(n, 2)`.
    pub fn predict_texts(&self, texts: &[String]) -> Result<Array2<f64>> {
        let p = self.model.predict_proba(&self.vectorizer.transform(texts)?)?;
        Ok(Array2::from_shape_fn((p.len(), 2), |(i, c)| if c == 1 { p[i] } else { 1.0 - p[i] }))
    }

    /// Number of non-zero weights.
    pub fn n_terms(&self) -> usize {
        self.model.weights.len()
    }

    /// The weighted n-grams, positive (towards class 1) and negative (towards class 0), each
    /// sorted by the size of the weight, largest first.
    pub fn terms_by_class(&self) -> (Vec<WeightedTerm>, Vec<WeightedTerm>) {
        let mut terms: Vec<WeightedTerm> = self
            .model
            .weights
            .iter()
            .map(|&(j, weight)| WeightedTerm { term: self.vectorizer.column_name(j), weight })
            .collect();
        terms.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()).then_with(|| a.term.cmp(&b.term)));
        terms.into_iter().partition(|t| t.weight > 0.0)
    }

    /// Checks a loaded student: its vectoriser, its model, and that they fit together.
    pub fn validate(&self) -> Result<()> {
        self.vectorizer.validate()?;
        self.model.validate()?;
        if self.model.n_columns != self.vectorizer.n_columns() {
            return Err(Error::Load(
                "corrupt text student (the model and the vectoriser differ in columns)".into(),
            ));
        }
        Ok(())
    }
}
