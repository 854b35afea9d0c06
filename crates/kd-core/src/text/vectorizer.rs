//! The [`Vectorizer`]: documents to sparse rows of n-gram counts or TF-IDF weights, as
//! scikit-learn's `CountVectorizer`, `TfidfVectorizer` and `HashingVectorizer` (+
//! `TfidfTransformer`) do it, on kd's Unicode words.
//!
//! Fitting (vocabulary mode): every document's n-grams ([`ngrams`] of [`words`]) are counted;
//! n-grams in fewer documents than `min_df` are dropped; if more than `max_terms` remain, the
//! `max_terms` with the largest total count over the corpus are kept (ties: the earlier term in
//! code-point order); the vocabulary is then sorted in code-point order, which is the column
//! order (scikit-learn's). With hashing, an n-gram's column is `|h| mod buckets` where `h` is
//! MurmurHash3 (x86, 32 bit, seed 0) of its UTF-8 bytes read as a signed integer
//! (scikit-learn's `murmurhash3_32`), with no alternating sign (`alternate_sign=False`), so
//! colliding n-grams add up and counts stay non-negative.
//!
//! Weights: counts `c_ij`, or `c_ij · idf_j` with `idf_j = ln((1 + n) / (1 + df_j)) + 1` (`n`
//! fitted documents, `df_j` the documents holding column `j`), each row divided by its
//! Euclidean norm (rows with no known n-gram stay zero).
//!
//! Agreement: on 400 SMS messages with 1–2-grams, `min_df` 2 and a cap of 300 terms, the
//! vocabulary equals scikit-learn 1.9.1's and every weight matches `TfidfVectorizer` within
//! 1e-12; the hashed variant matches `HashingVectorizer` + `TfidfTransformer`
//! (`tests/golden/tfidf`).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::params::{VectorizerParams, Weighting};
use super::tokenize::{ngrams, words};
use crate::{Error, Result};

/// How many training n-grams name a hashed column.
const NAMES_PER_BUCKET: usize = 3;

/// A fitted vectoriser; see the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vectorizer {
    /// The settings it was fitted with.
    pub params: VectorizerParams,
    /// Number of documents it was fitted on.
    pub n_documents: usize,
    /// The vocabulary in column order (empty with hashing).
    terms: Vec<String>,
    /// Documents of the fitted corpus holding each column.
    document_frequency: Vec<usize>,
    /// The inverse document frequency of each column (TF-IDF only, else empty).
    idf: Vec<f64>,
    /// With hashing: the most frequent training n-grams of each used column, for its name.
    bucket_terms: BTreeMap<usize, Vec<String>>,
}

impl Vectorizer {
    /// Fits the vocabulary (or the hashed columns' document frequencies) on `documents`.
    ///
    /// Errors: invalid parameters, no documents, and no n-gram left after `min_df`.
    pub fn fit<S: AsRef<str>>(documents: &[S], params: &VectorizerParams) -> Result<Self> {
        params.check()?;
        let n = documents.len();
        if n == 0 {
            return Err(Error::TooFewRows { what: "a text vectoriser".into(), needed: 1, found: 0 });
        }
        // Per n-gram: (documents holding it, total count).
        let mut stats: HashMap<String, (usize, usize)> = HashMap::new();
        for document in documents {
            for (gram, count) in gram_counts(document.as_ref(), params) {
                let entry = stats.entry(gram).or_insert((0, 0));
                entry.0 += 1;
                entry.1 += count;
            }
        }
        let mut vectorizer = Self {
            params: params.clone(),
            n_documents: n,
            terms: Vec::new(),
            document_frequency: Vec::new(),
            idf: Vec::new(),
            bucket_terms: BTreeMap::new(),
        };
        match params.hashing {
            Some(buckets) => {
                vectorizer.fit_hashed(stats, buckets);
                vectorizer.count_hashed_documents(documents);
            }
            None => vectorizer.fit_vocabulary(stats)?,
        }
        if params.weighting == Weighting::TfIdf {
            vectorizer.idf = vectorizer
                .document_frequency
                .iter()
                .map(|&df| ((1.0 + n as f64) / (1.0 + df as f64)).ln() + 1.0)
                .collect();
        }
        Ok(vectorizer)
    }

    fn fit_vocabulary(&mut self, stats: HashMap<String, (usize, usize)>) -> Result<()> {
        let n = self.n_documents;
        let mut kept: Vec<(String, (usize, usize))> =
            stats.into_iter().filter(|(_, (df, _))| self.params.min_df.keeps(*df, n)).collect();
        if kept.is_empty() {
            return Err(Error::InvalidParameter {
                name: "min-df".into(),
                reason: format!(
                    "no n-gram occurs in enough documents ({:?} of {n}); lower the minimum document frequency",
                    self.params.min_df
                ),
            });
        }
        if kept.len() > self.params.max_terms {
            kept.sort_by(|(a, (_, ta)), (b, (_, tb))| tb.cmp(ta).then_with(|| a.cmp(b)));
            kept.truncate(self.params.max_terms);
        }
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        self.document_frequency = kept.iter().map(|(_, (df, _))| *df).collect();
        self.terms = kept.into_iter().map(|(term, _)| term).collect();
        Ok(())
    }

    fn fit_hashed(&mut self, stats: HashMap<String, (usize, usize)>, buckets: usize) {
        // A column's documents: those holding any of its n-grams, counted again per document.
        let mut by_bucket: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
        for (gram, (_, total)) in stats {
            by_bucket.entry(bucket(&gram, buckets)).or_default().push((total, gram));
        }
        for names in by_bucket.values_mut() {
            names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            names.truncate(NAMES_PER_BUCKET);
        }
        self.bucket_terms = by_bucket
            .into_iter()
            .map(|(b, names)| (b, names.into_iter().map(|(_, g)| g).collect()))
            .collect();
        self.document_frequency = vec![0; buckets];
        self.terms.clear();
    }

    /// Hashed document frequencies need the documents again: an n-gram's own frequency does
    /// not give its column's when n-grams collide.
    fn count_hashed_documents<S: AsRef<str>>(&mut self, documents: &[S]) {
        for document in documents {
            for (column, _) in self.counts(document.as_ref()) {
                self.document_frequency[column] += 1;
            }
        }
    }

    /// Number of columns: the vocabulary size, or the number of hashed buckets.
    pub fn n_columns(&self) -> usize {
        self.params.hashing.unwrap_or(self.terms.len())
    }

    /// The vocabulary in column order (empty with hashing).
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Documents of the fitted corpus holding each column.
    pub fn document_frequency(&self) -> &[usize] {
        &self.document_frequency
    }

    /// The inverse document frequencies (TF-IDF), empty for counts.
    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    /// The column's name: its n-gram, or with hashing `#j (free | call | txt)`, the column's
    /// most frequent training n-grams.
    pub fn column_name(&self, column: usize) -> String {
        match self.params.hashing {
            None => self.terms.get(column).cloned().unwrap_or_else(|| format!("#{column}")),
            Some(_) => match self.bucket_terms.get(&column) {
                Some(names) => format!("#{column} ({})", names.join(" | ")),
                None => format!("#{column}"),
            },
        }
    }

    /// The column of an n-gram, if it has one.
    pub fn column_of(&self, gram: &str) -> Option<usize> {
        match self.params.hashing {
            Some(buckets) => Some(bucket(gram, buckets)),
            None => self.terms.binary_search_by(|t| t.as_str().cmp(gram)).ok(),
        }
    }

    /// The columns of the document's n-grams in the order they occur, repeats included and
    /// unknown n-grams left out: the bag a fastText-like network averages.
    pub fn column_sequence(&self, document: &str) -> Vec<usize> {
        ngrams(&words(document), self.params.ngram_range()).iter().filter_map(|g| self.column_of(g)).collect()
    }

    /// Raw counts of the document's known columns, sorted by column.
    pub fn counts(&self, document: &str) -> Vec<(usize, f64)> {
        let mut columns: BTreeMap<usize, f64> = BTreeMap::new();
        for (gram, count) in gram_counts(document, &self.params) {
            if let Some(column) = self.column_of(&gram) {
                *columns.entry(column).or_insert(0.0) += count as f64;
            }
        }
        columns.into_iter().collect()
    }

    /// The document's row: `(column, weight)` sorted by column.
    pub fn row(&self, document: &str) -> Vec<(usize, f64)> {
        let mut row = self.counts(document);
        if self.params.weighting == Weighting::TfIdf {
            for (column, value) in &mut row {
                *value *= self.idf[*column];
            }
            let norm = row.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, value) in &mut row {
                    *value /= norm;
                }
            }
        }
        row
    }

    /// The rows of `documents` as a CSR matrix `(documents, n_columns)`.
    pub fn transform<S: AsRef<str>>(&self, documents: &[S]) -> Result<CsMat<f64>> {
        let mut indptr = Vec::with_capacity(documents.len() + 1);
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        indptr.push(0);
        for document in documents {
            for (column, value) in self.row(document.as_ref()) {
                indices.push(column);
                data.push(value);
            }
            indptr.push(indices.len());
        }
        CsMat::try_new((documents.len(), self.n_columns()), indptr, indices, data).map_err(|(_, _, _, e)| {
            Error::ShapeMismatch {
                context: "text matrix".into(),
                expected: "a CSR matrix".into(),
                got: e.to_string(),
            }
        })
    }

    /// Fits on `documents` and returns their rows.
    pub fn fit_transform<S: AsRef<str>>(
        documents: &[S],
        params: &VectorizerParams,
    ) -> Result<(Self, CsMat<f64>)> {
        let vectorizer = Self::fit(documents, params)?;
        let x = vectorizer.transform(documents)?;
        Ok((vectorizer, x))
    }

    /// Checks a loaded vectoriser: settings in range, a sorted vocabulary without repeats, one
    /// document frequency (and idf) per column, finite positive idf.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        let corrupt = |what: &str| Error::InvalidParameter { name: "vectorizer".into(), reason: what.into() };
        if self.params.hashing.is_none() && self.terms.windows(2).any(|w| w[0] >= w[1]) {
            return Err(corrupt("the vocabulary is not sorted or repeats a term"));
        }
        if self.document_frequency.len() != self.n_columns() {
            return Err(corrupt("document frequencies and columns differ in number"));
        }
        let expected_idf = if self.params.weighting == Weighting::TfIdf { self.n_columns() } else { 0 };
        if self.idf.len() != expected_idf || self.idf.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(corrupt("the inverse document frequencies do not fit the columns"));
        }
        Ok(())
    }
}

/// Each distinct n-gram of `document` with its count, in first-seen order.
fn gram_counts(document: &str, params: &VectorizerParams) -> Vec<(String, usize)> {
    let grams = ngrams(&words(document), params.ngram_range());
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<(String, usize)> = Vec::new();
    for gram in &grams {
        match index.get(gram.as_str()) {
            Some(&i) => out[i].1 += 1,
            None => {
                index.insert(gram.as_str(), out.len());
                out.push((gram.clone(), 1));
            }
        }
    }
    out
}

/// scikit-learn's hashed column of a feature: `|h| mod buckets` for the signed 32-bit
/// MurmurHash3 `h` of its UTF-8 bytes (seed 0); `h = −2³¹` maps as scikit-learn maps it.
pub fn bucket(gram: &str, buckets: usize) -> usize {
    let hash = murmur3::murmur3_32(&mut gram.as_bytes(), 0).unwrap_or(0) as i32;
    let buckets = buckets as i64;
    let column = if hash == i32::MIN {
        (i64::from(i32::MAX) - (buckets - 1)).rem_euclid(buckets)
    } else {
        i64::from(hash).abs() % buckets
    };
    column as usize
}
