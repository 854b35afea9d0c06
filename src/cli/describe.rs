//! `kd describe`: what the loader makes of a data file.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ColumnKind, ReadOptions, Table, read_csv};
use serde::Serialize;

use super::{Format, to_json};

/// Arguments of `kd describe`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file (with a header row).
    #[arg(long)]
    data: PathBuf,
    /// Columns to read as categories even when they hold numbers.
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Serialize)]
struct Description {
    file: String,
    n_rows: usize,
    n_columns: usize,
    columns: Vec<ColumnSummary>,
}

#[derive(Serialize)]
struct ColumnSummary {
    name: String,
    kind: ColumnKind,
    missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    levels: Option<Vec<String>>,
}

fn describe(table: &Table) -> Description {
    let columns = table
        .columns()
        .iter()
        .map(|c| {
            let range = c.range();
            ColumnSummary {
                name: c.name.clone(),
                kind: c.kind(),
                missing: c.n_missing(),
                min: range.map(|r| r.0),
                max: range.map(|r| r.1),
                levels: c.levels().map(<[String]>::to_vec),
            }
        })
        .collect();
    Description {
        file: table.file().display().to_string(),
        n_rows: table.n_rows(),
        n_columns: table.columns().len(),
        columns,
    }
}

fn table_text(d: &Description) -> String {
    let mut out = format!("{}: {} rows, {} columns\n", d.file, d.n_rows, d.n_columns);
    let width = d.columns.iter().map(|c| c.name.len()).max().unwrap_or(6).max(6);
    let _ = writeln!(out, "{:width$}  {:11}  {:>7}  range or levels", "column", "type", "missing");
    for c in &d.columns {
        let detail = match (&c.levels, c.min, c.max) {
            (Some(levels), _, _) => {
                let shown: Vec<&str> = levels.iter().take(8).map(String::as_str).collect();
                let more =
                    if levels.len() > 8 { format!(", ... ({} levels)", levels.len()) } else { String::new() };
                format!("{}{more}", shown.join(", "))
            }
            (None, Some(lo), Some(hi)) => format!("{lo} .. {hi}"),
            _ => "(all missing)".to_owned(),
        };
        let kind = match c.kind {
            ColumnKind::Numeric => "numeric",
            ColumnKind::Categorical => "categorical",
        };
        let _ = writeln!(out, "{:width$}  {kind:11}  {:>7}  {detail}", c.name, c.missing);
    }
    out
}

/// Reads the file and describes it.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let options = ReadOptions { categorical: args.categorical.clone(), ..ReadOptions::default() };
    let progress = super::progress::Progress::start("reading the data");
    let table = read_csv(&args.data, &options)?;
    drop(progress);
    let description = describe(&table);
    match args.format {
        Format::Json => to_json(&description),
        Format::Table => Ok(table_text(&description)),
    }
}
