//! The data arguments every modelling subcommand shares: `--data FILE --target COL
//! [--features a,b,c] [--missing error|drop]`.

use std::path::{Path, PathBuf};

use kd::core::data::{
    Dataset, DatasetSpec, FeatureSelection, MissingPolicy, ReadOptions, Table, TaskHint, read_csv,
};

use super::MissingArg;

/// Where the rows come from and which columns are used.
#[derive(Debug, clap::Args)]
pub struct Input {
    /// The CSV file (with a header row).
    #[arg(long)]
    pub data: PathBuf,
    /// The target column.
    #[arg(long)]
    pub target: String,
    /// The features, comma separated; all other columns by default.
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    /// Rows with a missing value in a used column: error (default), drop, or bin (a
    /// scorecard's missing-value bin).
    #[arg(long, value_enum, default_value_t)]
    pub missing: MissingArg,
}

impl Input {
    /// Reads the file and picks the target and features (`exclude` never being features).
    pub fn load(&self, task: TaskHint, exclude: &[String]) -> anyhow::Result<(Table, Dataset)> {
        self.load_file(&self.data, task, exclude)
    }

    /// The same, from another file with the same columns (a test file).
    pub fn load_file(
        &self,
        file: &Path,
        task: TaskHint,
        exclude: &[String],
    ) -> anyhow::Result<(Table, Dataset)> {
        let table = read_csv(file, &ReadOptions::default())?;
        let spec = DatasetSpec {
            target: self.target.clone(),
            features: if self.features.is_empty() {
                FeatureSelection::AllOthers
            } else {
                FeatureSelection::Named(self.features.clone())
            },
            exclude: exclude.to_vec(),
            missing: match self.missing {
                MissingArg::Error => MissingPolicy::Error,
                MissingArg::Drop => MissingPolicy::Drop,
                MissingArg::Bin => MissingPolicy::Bin,
            },
            task,
        };
        let data = Dataset::from_table(&table, &spec)?;
        Ok((table, data))
    }
}
