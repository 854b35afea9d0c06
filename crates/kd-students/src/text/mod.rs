//! The readable student of a text classifier: n-grams ([`kd_core::text::Vectorizer`]) and a
//! sparse logistic model fitted to the teacher's probabilities ([`TextStudent`]); per message,
//! the n-gram contributions that add up to its log-odds ([`Explanation`]); the deletion test
//! of their faithfulness to the teacher ([`deletion_check`]); and the saved format
//! ([`SavedTextStudent`], read by `kd explain`).
//!
//! ```
//! # fn main() -> kd_students::Result<()> {
//! use kd_students::text::{TextStudent, TextStudentParams};
//! use kd_core::text::MinDf;
//! let texts: Vec<String> = ["win cash now", "win a prize", "see you soon", "see you at home"]
//!     .iter().map(|s| s.to_string()).collect();
//! let mut params = TextStudentParams::default();
//! params.vectorizer.min_df = MinDf::Count(1);
//! params.logistic.max_terms = Some(2);
//! let p_spam = ndarray::array![0.95, 0.9, 0.05, 0.1];
//! let student = TextStudent::fit(&params, &texts, p_spam.view(), ["ham".into(), "spam".into()])?;
//! assert!(student.n_terms() <= 2);
//! let why = student.explain_text("win cash");
//! let total: f64 = why.intercept + why.terms.iter().map(|t| t.contribution).sum::<f64>();
//! assert!((total - why.log_odds).abs() < 1e-12);
//! # Ok(()) }
//! ```

mod explain;
mod faithfulness;
mod saved;
mod student;

pub use explain::{Contribution, Explanation};
pub use faithfulness::{DeletionCheck, DeletionParams, deletion_check};
pub use saved::{SavedTextStudent, TEXT_FORMAT, TEXT_VERSION};
pub use student::{TextStudent, TextStudentParams, WeightedTerm};
