//! The data arguments every modelling subcommand shares: `--data FILE --target COL
//! [--features a,b,c] [--missing error|drop]`, and the file-format arguments every subcommand
//! that reads data shares: `[--delimiter ;] [--decimal-comma]`.

use std::path::{Path, PathBuf};

use kd::core::data::{
    Dataset, DatasetSpec, FeatureSelection, MissingPolicy, ReadOptions, Table, TaskHint, read_csv,
};

use super::MissingArg;

/// How a data file is written: CSV (gzipped when the name ends in `.gz`) or Parquet (`.parquet`).
#[derive(Debug, Clone, clap::Args)]
pub struct FileFormat {
    /// Field delimiter of a CSV file: one character (`;`, `|`) or `tab`.
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,
    /// Numbers in CSV files use a decimal comma (`1,5`), as in European extracts; needs another
    /// --delimiter (usually `;`). A `.` in a number is then an error, never a decimal point.
    #[arg(long)]
    pub decimal_comma: bool,
}

impl FileFormat {
    /// Read options for these arguments, forcing `categorical` columns to categories and
    /// reading only `columns` (all when `None`).
    pub fn options(&self, categorical: Vec<String>, columns: Option<Vec<String>>) -> ReadOptions {
        ReadOptions {
            categorical,
            delimiter: self.delimiter,
            decimal_comma: self.decimal_comma,
            columns,
            ..ReadOptions::default()
        }
    }
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err(format!("'{text}': the delimiter is one ASCII character, or 'tab'")),
    }
}

/// The data and the black box asked about its rows: what `kd distill`, `kd extract` and
/// `kd compare` share.
#[derive(Debug, clap::Args)]
pub struct TeacherInput {
    #[command(flatten)]
    pub input: Input,
    /// The black box: cmd:<command line> or torchscript:<file.pt>, asked for its outputs; or
    /// column:<name>[,<name>...], its outputs stored in the data file (the probability of class
    /// 1, one column per class, or values).
    #[arg(long)]
    pub teacher: String,
}

/// Where the rows come from and which columns are used.
#[derive(Debug, clap::Args)]
pub struct Input {
    /// The data file with a header: CSV, gzipped CSV (.csv.gz) or Parquet (.parquet).
    #[arg(long)]
    pub data: PathBuf,
    /// The target column.
    #[arg(long)]
    pub target: String,
    /// The features, comma separated; all other columns by default.
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    /// Rows with a missing value in a used column: error (default), drop, or bin (the
    /// scorecard's missing-value bin, the side a tree's split learns for missing values).
    #[arg(long, value_enum, default_value_t)]
    pub missing: MissingArg,
    #[command(flatten)]
    pub format: FileFormat,
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
        // Only the columns used are read: the target, the named features and the excluded
        // columns (a teacher's outputs); every column when the features are all the others.
        let columns = (!self.features.is_empty()).then(|| {
            let mut c = vec![self.target.clone()];
            c.extend(self.features.iter().chain(exclude).cloned());
            c
        });
        let table = read_csv(file, &self.format.options(Vec::new(), columns))?;
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
