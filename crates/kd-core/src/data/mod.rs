//! Data: CSV (plain or gzipped) and Parquet files read into typed columns ([`Table`]), whole
//! or chunk by chunk ([`read_chunks`]), features and target chosen from them ([`Dataset`]),
//! seeded train/test splits, and the target a student is fitted to ([`FitTarget`] in a
//! [`TargetForm`]); [`columns`] reads named columns one by one (scores, 0/1 outcomes, PDs);
//! [`describe`] says what the loader made of a table.
//!
//! ```
//! # fn main() -> kd_core::Result<()> {
//! use kd_core::data::{read_csv, Dataset, DatasetSpec, ReadOptions};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("d.csv");
//! std::fs::write(&path, "x,colour,y\n1.5,red,0\n2.5,blue,1\n0.5,red,1\n").unwrap();
//! let table = read_csv(&path, &ReadOptions::default())?;
//! let data = Dataset::from_table(&table, &DatasetSpec { target: "y".into(), ..Default::default() })?;
//! assert_eq!(data.x().shape(), &[3, 2]);
//! assert_eq!(data.features()[1].levels.as_deref(), Some(&["blue".to_string(), "red".to_string()][..]));
//! # Ok(()) }
//! ```

mod assemble;
mod blocks;
mod cells;
pub mod columns;
mod dataset;
mod describe;
mod feature_rows;
mod fit_target;
mod from_cells;
mod lines;
mod parquet;
mod piece;
mod plain;
mod read;
mod split;
mod table;
mod unseen;

pub use dataset::{
    Dataset, DatasetSpec, Feature, FeatureKind, FeatureSelection, MAX_AUTO_CLASSES, MissingPolicy, Target,
    TaskHint, class_index,
};
pub use describe::{ColumnSummary, Description, describe};
pub use feature_rows::FeatureRows;
pub use fit_target::{FitTarget, FormedTarget, TargetForm};
pub use from_cells::table_from_cells;
pub use read::{Chunks, MISSING_TOKENS, ReadOptions, read_chunks, read_csv};
pub use split::{Split, train_test_split};
pub use table::{Column, ColumnData, ColumnKind, Table};
pub use unseen::{SetAside, UnseenLevel};
