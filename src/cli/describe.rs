//! `kd describe`: what the loader makes of a data file (kd-core's `data::describe`), as JSON
//! or a table for people.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{Description, describe, read_csv};
use kd::core::text::TextSummary;

use super::{Format, to_json};

/// Arguments of `kd describe`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data file with a header: CSV, gzipped CSV (.csv.gz) or Parquet (.parquet).
    #[arg(long)]
    data: PathBuf,
    /// Only these columns, comma separated (all by default).
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    #[command(flatten)]
    file_format: super::input::FileFormat,
    /// Columns to read as categories even when they hold numbers.
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
    /// Columns to report as free text (by default: categorical columns whose cells are mostly
    /// distinct and three words or longer on average).
    #[arg(long, value_delimiter = ',')]
    text: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn table_text(d: &Description) -> String {
    let mut out = format!("{}: {} rows, {} columns\n", d.file, d.n_rows, d.n_columns);
    let width = d.columns.iter().map(|c| c.name.len()).max().unwrap_or(6).max(6);
    let _ = writeln!(out, "{:width$}  {:11}  {:>7}  range or levels", "column", "type", "missing");
    for c in &d.columns {
        let detail = match (&c.levels, c.min, c.max) {
            _ if c.text.is_some() => c.text.as_ref().map(text_detail).unwrap_or_default(),
            (Some(levels), _, _) => {
                let shown: Vec<&str> = levels.iter().take(8).map(String::as_str).collect();
                let more =
                    if levels.len() > 8 { format!(", ... ({} levels)", levels.len()) } else { String::new() };
                format!("{}{more}", shown.join(", "))
            }
            (None, Some(lo), Some(hi)) => format!("{lo} .. {hi}"),
            _ => "(all missing)".to_owned(),
        };
        let _ = writeln!(out, "{:width$}  {:11}  {:>7}  {detail}", c.name, c.kind, c.missing);
    }
    out
}

/// A text column in one line: documents, words per document, vocabulary, frequent words.
fn text_detail(t: &TextSummary) -> String {
    let w = &t.words;
    let top: Vec<String> = t.top_terms.iter().map(|(term, n)| format!("{term} ({n})")).collect();
    format!(
        "{} documents ({} distinct); words per document: median {}, quartiles {}-{}, 95% {}, range {}-{}, mean {:.1}; vocabulary {} words; most frequent: {}",
        t.documents,
        t.distinct,
        w.median,
        w.p25,
        w.p75,
        w.p95,
        w.min,
        w.max,
        w.mean,
        t.vocabulary,
        top.join(", ")
    )
}

/// Reads the file and describes it.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let mut categorical = args.categorical.clone();
    categorical.extend(args.text.iter().cloned());
    let columns = (!args.columns.is_empty()).then(|| args.columns.clone());
    let options = args.file_format.options(categorical, columns);
    let progress = super::progress::Progress::start("reading the data");
    let table = read_csv(&args.data, &options)?;
    drop(progress);
    let description = describe(&table, &args.text);
    match args.format {
        Format::Json => to_json(&description),
        Format::Table => Ok(table_text(&description)),
    }
}
