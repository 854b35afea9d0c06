//! The settings of a [`Vectorizer`](super::Vectorizer), with scikit-learn's names beside them.
//!
//! | field | default | meaning | range | scikit-learn |
//! |---|---|---|---|---|
//! | `ngrams` | `1..=2` | n-gram lengths | `1 ≤ min ≤ max ≤ 5` | `ngram_range=(1, 2)` |
//! | `min_df` | `Count(2)` | drop n-grams in fewer documents | count ≥ 1, or share in (0, 1] | `min_df=2` (int) / float |
//! | `max_terms` | 20,000 | vocabulary cap: the most frequent n-grams over the corpus | ≥ 1 | `max_features` |
//! | `weighting` | `TfIdf` | see [`Weighting`] | | `TfidfVectorizer` / `CountVectorizer` |
//! | `hashing` | `None` | hash n-grams into this many columns instead of a vocabulary | 1 … 2³¹ | `HashingVectorizer(n_features=…)` |

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The longest n-gram kd builds.
pub const MAX_NGRAM: usize = 5;

/// How a document's n-gram counts become its row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// scikit-learn's default `TfidfVectorizer`: raw counts times the smooth inverse document
    /// frequency `idf = ln((1 + n) / (1 + df)) + 1`, each row scaled to unit Euclidean norm
    /// (`smooth_idf=True, sublinear_tf=False, norm="l2"`).
    #[default]
    TfIdf,
    /// Raw counts (`CountVectorizer`).
    Counts,
}

/// The least number of documents an n-gram must occur in to enter the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinDf {
    /// At least this many documents.
    Count(usize),
    /// At least this share of the documents (scikit-learn's float `min_df`).
    Share(f64),
}

impl MinDf {
    /// Whether an n-gram in `df` of `n` documents is kept.
    pub fn keeps(self, df: usize, n: usize) -> bool {
        match self {
            MinDf::Count(c) => df >= c,
            MinDf::Share(s) => df as f64 >= s * n as f64,
        }
    }
}

/// The settings of a [`Vectorizer`](super::Vectorizer); see the module's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VectorizerParams {
    /// Shortest and longest n-gram.
    pub ngrams: (usize, usize),
    /// Minimum document frequency (ignored with hashing).
    pub min_df: MinDf,
    /// Vocabulary cap (ignored with hashing).
    pub max_terms: usize,
    /// Counts or TF-IDF.
    pub weighting: Weighting,
    /// Number of hashed columns, instead of a vocabulary.
    pub hashing: Option<usize>,
}

impl Default for VectorizerParams {
    fn default() -> Self {
        Self {
            ngrams: (1, 2),
            min_df: MinDf::Count(2),
            max_terms: 20_000,
            weighting: Weighting::TfIdf,
            hashing: None,
        }
    }
}

impl VectorizerParams {
    /// The n-gram lengths as a range.
    pub fn ngram_range(&self) -> RangeInclusive<usize> {
        self.ngrams.0..=self.ngrams.1
    }

    /// Refuses settings outside the ranges of the module's table.
    pub fn check(&self) -> Result<()> {
        let bad = |name: &str, reason: String| Error::InvalidParameter { name: name.into(), reason };
        let (lo, hi) = self.ngrams;
        if !(1 <= lo && lo <= hi && hi <= MAX_NGRAM) {
            return Err(bad("ngrams", format!("{lo}..{hi}; need 1 ≤ shortest ≤ longest ≤ {MAX_NGRAM}")));
        }
        match self.min_df {
            MinDf::Count(0) => return Err(bad("min-df", "0 documents; give at least 1".into())),
            MinDf::Share(s) if !(s > 0.0 && s <= 1.0) => {
                return Err(bad("min-df", format!("share {s}; give a share in (0, 1] or a count")));
            }
            _ => {}
        }
        if self.max_terms == 0 {
            return Err(bad("max-vocabulary", "0 terms; give at least 1".into()));
        }
        if let Some(buckets) = self.hashing
            && !(1..=1 << 31).contains(&buckets)
        {
            return Err(bad("hash-buckets", format!("{buckets}; give 1 to 2^31 columns")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_ranges() {
        assert!(VectorizerParams::default().check().is_ok());
        let with = |f: fn(&mut VectorizerParams)| {
            let mut p = VectorizerParams::default();
            f(&mut p);
            p.check()
        };
        assert!(with(|p| p.ngrams = (2, 1)).is_err());
        assert!(with(|p| p.ngrams = (0, 1)).is_err());
        assert!(with(|p| p.ngrams = (1, 6)).is_err());
        assert!(with(|p| p.min_df = MinDf::Count(0)).is_err());
        assert!(with(|p| p.min_df = MinDf::Share(1.5)).is_err());
        assert!(with(|p| p.max_terms = 0).is_err());
        assert!(with(|p| p.hashing = Some(0)).is_err());
        assert!(MinDf::Share(0.5).keeps(2, 4) && !MinDf::Share(0.5).keeps(1, 4));
    }
}
