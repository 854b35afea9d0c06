//! `kd novelty` (feature `torch`): random network distillation trained on reference rows (the
//! data a model was validated on) scores each new row; rows far from the reference score high.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ColumnKind, Table, read_csv};
use kd::core::novelty::{Rnd, RndConfig};
use kd::core::quantile::{QuantileDef, quantile};
use ndarray::Array2;
use serde::Serialize;

use super::columns;
use super::{Format, to_json};

/// Arguments of `kd novelty`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reference rows (CSV with a header): what the model was validated on.
    #[arg(long)]
    reference: PathBuf,
    /// The rows to score (same columns).
    #[arg(long)]
    data: PathBuf,
    /// The columns to use, comma separated; all columns of the reference by default (all must be
    /// numeric).
    #[arg(long, value_delimiter = ',')]
    features: Vec<String>,
    /// Training passes over the reference rows.
    #[arg(long, default_value_t = 100)]
    epochs: usize,
    /// Seed of the networks and batches.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write each scored row's line and score here (CSV).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    file_format: super::input::FileFormat,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Serialize)]
struct Report {
    n_reference: usize,
    n_rows: usize,
    features: Vec<String>,
    reference_p99: f64,
    share_above_p99: f64,
    mean_score: f64,
    scores: Vec<f64>,
}

/// The named numeric columns of `table`, shape `(n, k)`.
fn matrix(table: &Table, names: &[String]) -> anyhow::Result<Array2<f64>> {
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    let mut x = Array2::zeros((rows.len(), names.len()));
    for (j, name) in names.iter().enumerate() {
        if table.column(name)?.kind() == ColumnKind::Categorical {
            anyhow::bail!(super::UsageError::new(
                "features",
                format!(
                    "'{name}' in {} is categorical; novelty scores numeric columns",
                    table.file().display()
                ),
            ));
        }
        x.column_mut(j).assign(&ndarray::Array1::from(columns::numbers(table, name, &rows)?));
    }
    Ok(x)
}

/// Trains on the reference and scores the rows.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let progress = super::progress::Progress::start("reading the data");
    let options = args.file_format.options(Vec::new(), None);
    let reference = read_csv(&args.reference, &options)?;
    let data = read_csv(&args.data, &options)?;
    let names: Vec<String> = if args.features.is_empty() {
        reference.columns().iter().map(|c| c.name.clone()).collect()
    } else {
        args.features.clone()
    };
    let (x_ref, x) = (matrix(&reference, &names)?, matrix(&data, &names)?);
    progress.step("training the predictor on the reference rows");
    let rnd =
        Rnd::fit(&RndConfig { epochs: args.epochs, seed: args.seed, ..RndConfig::default() }, x_ref.view())?;
    let mut reference_scores = rnd.score(x_ref.view())?.to_vec();
    reference_scores.sort_by(f64::total_cmp);
    // The order statistic at the rounded type-7 position of the 99th percentile.
    let p99 = quantile(&reference_scores, 0.99, QuantileDef::RoundedLinear)
        .ok_or_else(|| anyhow::anyhow!("the reference file has no rows to score"))?;
    let scores = rnd.score(x.view())?.to_vec();
    drop(progress);
    if let Some(path) = &args.out {
        let mut csv = String::from("line,score\n");
        for (row, s) in scores.iter().enumerate() {
            let _ = writeln!(csv, "{},{s}", data.line_of(row));
        }
        super::write_file(path, &csv)?;
    }
    let above = scores.iter().filter(|&&s| s > p99).count();
    let report = Report {
        n_reference: x_ref.nrows(),
        n_rows: x.nrows(),
        features: names,
        reference_p99: p99,
        share_above_p99: above as f64 / scores.len().max(1) as f64,
        mean_score: scores.iter().sum::<f64>() / scores.len().max(1) as f64,
        scores,
    };
    Ok(match args.format {
        Format::Json => to_json(&report)?,
        Format::Table => format!(
            "random network distillation trained on {} reference rows ({} features)\n\
             {} rows scored: mean novelty {:.4}; {:.1}% above the reference's 99th percentile ({:.4})\n\
             (an in-distribution sample puts about 1% there; --out writes every row's score)\n",
            report.n_reference,
            report.features.len(),
            report.n_rows,
            report.mean_score,
            100.0 * report.share_above_p99,
            report.reference_p99
        ),
    })
}
