//! Data: CSV files read into typed columns ([`Table`]), features and target chosen from them
//! ([`Dataset`]), seeded train/test splits, and the target a student is fitted to
//! ([`FitTarget`] in a [`TargetForm`]).
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

mod dataset;
mod fit_target;
mod read;
mod split;
mod table;

pub use dataset::{
    Dataset, DatasetSpec, Feature, FeatureKind, FeatureSelection, MAX_AUTO_CLASSES, MissingPolicy, Target,
    TaskHint,
};
pub use fit_target::{FitTarget, FormedTarget, TargetForm};
pub use read::{MISSING_TOKENS, ReadOptions, read_csv, table_from_cells};
pub use split::{Split, train_test_split};
pub use table::{Column, ColumnData, ColumnKind, Table};
