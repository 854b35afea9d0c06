//! kd-extract: readable models drawn from any black box by querying it.
//!
//! A validator can usually query the model under review far more than they can obtain data for
//! it. Extraction turns queries into a global, readable picture:
//! - [`input`]: where to query, a mixture of axis-aligned Gaussians fitted by EM and sampled
//!   exactly within a box;
//! - [`bastani`]: Bastani, Kim & Bastani (2017), a CART tree grown greedily with fresh samples
//!   from the input model at every node, so deep nodes are not starved of data;
//! - [`fidelity`]: agreement with the teacher on held-out real rows, with a bootstrap interval;
//! - [`trepan`], [`beta`], [`munge`]: TREPAN's m-of-n trees, BETA's decision sets, MUNGE's
//!   synthetic rows;
//! - [`SavedExtraction`]: the `kd-extracted` file of an m-of-n tree or decision set, which
//!   scores new rows as `kd predict` does (`rows`, `outputs`) and writes itself as one SQL
//!   `SELECT` (`to_sql`, `sql.rs`, with kd-students' SQL pieces);
//! - [`SavedModel`]: a saved student or extraction, told apart by its `format`, scored on a
//!   table's rows with its reasons ([`Scores`]) or written as SQL: what `kd predict`, `kd
//!   export` and the Python package read;
//! - [`run`]: one extraction as a validator runs it, a named method on the validator's rows
//!   measured on held-out rows (what `kd extract` and the Python package report).
//!
//! The black box is any kd-core [`Teacher`](kd_core::teacher::Teacher) that can be queried,
//! wrapped in an [`Oracle`] that counts queries. Depends on kd-core and kd-students; never on
//! libtorch. Never prints.
//!
//! ```
//! use kd_extract::input::{Mixture, Region};
//! use rand::SeedableRng;
//! let mixture = Mixture::random(3, 2, 7);
//! let (left, _) = Region::everywhere(2).split(0, 0.0);
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let points = mixture.sample(&left, 100, &mut rng).unwrap();
//! assert!(points.column(0).iter().all(|&v| v <= 0.0));
//! ```

pub mod bastani;
pub mod beta;
mod error;
pub mod fidelity;
pub mod input;
pub mod munge;
mod oracle;
pub mod run;
mod saved;
mod saved_rows;
mod scoring;
mod sql;
pub mod trepan;

pub use error::{Error, Result};
pub use oracle::{Answers, Oracle, answers_of};
pub use saved::{EXTRACTED_FORMAT, EXTRACTED_VERSION, ExtractedModel, SavedExtraction};
pub use scoring::{RowScore, SavedModel, Scores};
