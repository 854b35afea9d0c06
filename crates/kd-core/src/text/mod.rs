//! Text columns: documents cut into lower-cased Unicode words ([`words`]), n-grams of them
//! ([`ngrams`]), and a [`Vectorizer`] that turns documents into sparse rows of counts or TF-IDF
//! weights over a fitted vocabulary or hashed columns, as scikit-learn's `TfidfVectorizer`,
//! `CountVectorizer` and `HashingVectorizer` do. [`read_texts`] takes a column's texts from a
//! [`Table`](crate::data::Table) and refuses empty cells and constant columns; [`summarize`]
//! is what `kd describe` reports.
//!
//! Rows are `sprs` CSR matrices ([`CsMat`]): `sprs` 0.11 is the sparse crate linfa already
//! uses, on the workspace's ndarray 0.16, with CSR and CSC storage and conversion between them.
//!
//! ```
//! # fn main() -> kd_core::Result<()> {
//! use kd_core::text::{Vectorizer, VectorizerParams, MinDf};
//! let texts = ["Free entry now", "free call now", "see you at home"];
//! let params = VectorizerParams { min_df: MinDf::Count(1), ..VectorizerParams::default() };
//! let (vectorizer, x) = Vectorizer::fit_transform(&texts, &params)?;
//! assert_eq!(x.rows(), 3);
//! assert_eq!(vectorizer.column_of("free"), Some(6));
//! assert!((x.outer_view(0).unwrap().l2_norm() - 1.0).abs() < 1e-12);
//! # Ok(()) }
//! ```

mod column;
mod params;
mod summary;
mod tokenize;
mod vectorizer;

pub use column::read_texts;
pub use params::{MAX_NGRAM, MinDf, VectorizerParams, Weighting};
pub use sprs::CsMat;
pub use summary::{LengthDistribution, TOP_TERMS, TextSummary, looks_like_text, summarize};
pub use tokenize::{ngrams, remove_words, words};
pub use vectorizer::{Vectorizer, bucket};
