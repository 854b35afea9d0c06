//! What `kd describe` says about a text column: how long its documents are, how many distinct
//! words they use, and which words are most frequent.

use std::collections::HashMap;

use serde::Serialize;

use super::tokenize::words;
use crate::data::{Column, ColumnData};

/// How many most frequent words a summary lists.
pub const TOP_TERMS: usize = 10;

/// Quantiles of the number of words per document (nearest rank: the smallest length at or
/// above the share of documents).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LengthDistribution {
    /// Shortest.
    pub min: usize,
    /// 25th percentile.
    pub p25: usize,
    /// Median.
    pub median: usize,
    /// 75th percentile.
    pub p75: usize,
    /// 95th percentile.
    pub p95: usize,
    /// Longest.
    pub max: usize,
    /// Mean.
    pub mean: f64,
}

/// A text column in numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TextSummary {
    /// Non-missing documents.
    pub documents: usize,
    /// Distinct documents.
    pub distinct: usize,
    /// Words per document.
    pub words: LengthDistribution,
    /// Distinct lower-cased words over all documents.
    pub vocabulary: usize,
    /// The most frequent words with their counts, most frequent first (ties in code-point
    /// order).
    pub top_terms: Vec<(String, usize)>,
}

/// Summarises the non-missing cells of a categorical column read as text; `None` for a numeric
/// or empty column.
pub fn summarize(column: &Column) -> Option<TextSummary> {
    let ColumnData::Categorical { levels, codes } = &column.data else { return None };
    let level_words: Vec<Vec<String>> = levels.iter().map(|l| words(l)).collect();
    let mut lengths = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for code in codes.iter().flatten() {
        let document = &level_words[*code as usize];
        lengths.push(document.len());
        for word in document {
            *counts.entry(word.as_str()).or_insert(0) += 1;
        }
    }
    if lengths.is_empty() {
        return None;
    }
    lengths.sort_unstable();
    let rank = |q: f64| lengths[((q * lengths.len() as f64).ceil() as usize).clamp(1, lengths.len()) - 1];
    let mut top: Vec<(String, usize)> = counts.iter().map(|(w, c)| ((*w).to_owned(), *c)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(TOP_TERMS);
    let distinct = {
        let mut used = vec![false; levels.len()];
        codes.iter().flatten().for_each(|c| used[*c as usize] = true);
        used.iter().filter(|u| **u).count()
    };
    Some(TextSummary {
        documents: lengths.len(),
        distinct,
        words: LengthDistribution {
            min: lengths[0],
            p25: rank(0.25),
            median: rank(0.5),
            p75: rank(0.75),
            p95: rank(0.95),
            max: lengths[lengths.len() - 1],
            mean: lengths.iter().sum::<usize>() as f64 / lengths.len() as f64,
        },
        vocabulary: counts.len(),
        top_terms: top,
    })
}

/// Whether a column reads as free text rather than categories: categorical, most cells
/// distinct (more than half of the non-missing cells) and three words or more on average.
pub fn looks_like_text(column: &Column) -> bool {
    summarize(column).is_some_and(|s| 2 * s.distinct > s.documents && s.words.mean >= 3.0)
}
