//! `kd validate`: the annual validation of an IRB model (PD, LGD or CCF), grouped as the ECB's
//! instructions for reporting validation results group it: discriminatory power, predictive
//! ability, stability and concentration.

mod chunked;
mod chunked_csi;
use kd::hypotheses::validation::cite;
mod inputs;
mod lgd_text;
mod text;

use std::path::PathBuf;

use kd::core::quantile::{Binning, Grouping};
use kd::hypotheses::validation::report::Report;

use super::{MissingArg, to_json};

/// Arguments of `kd validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file with the model's estimates and the outcomes: CSV, gzipped CSV (.csv.gz) or
    /// Parquet (.parquet).
    #[arg(long)]
    data: PathBuf,
    #[command(flatten)]
    file_format: super::input::FileFormat,
    /// Which model: pd (scores and 0/1 defaults), lgd or ccf (estimates and realised values).
    #[arg(long, value_enum, default_value_t = Model::Pd)]
    model: Model,
    /// Column with the model's estimate: the PD (or any score, higher = riskier), the LGD or
    /// the CCF.
    #[arg(long)]
    score: String,
    /// Column with the outcome: 1 = default, 0 = none (pd); the realised LGD or CCF (lgd, ccf);
    /// with --obligors, the group's number of defaults.
    #[arg(long)]
    outcome: String,
    /// Column with the number of obligors each row stands for: the data (and the baseline) are
    /// grade tables, a row per group of obligors sharing a PD, --outcome counting its defaults
    /// and --exposure summing its exposure; validated from summaries as with --chunk-rows (PD
    /// only, the same refusals; no CSI: the other columns describe groups, not obligors).
    #[arg(long, value_name = "COL")]
    obligors: Option<String>,
    /// Column with the rating grade or segment (read as categories).
    #[arg(long)]
    grade: Option<String>,
    /// The grades from best to worst, comma-separated; by default numbers in numeric order,
    /// other labels by their mean estimate.
    #[arg(long, value_delimiter = ',')]
    grade_order: Option<Vec<String>>,
    /// The sample at initial validation (same columns): PSI and CSI, the Herfindahl test, and
    /// the initial AUROC (gAUC) when it holds outcomes.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Column with the exposure: concentration by exposure (pd), EAD weights of the loss
    /// shortfall (lgd), undrawn amounts (ccf).
    #[arg(long)]
    exposure: Option<String>,
    /// Column with the obligor's or facility's id (for migrations; unique within a date); left
    /// out of the baseline's CSI.
    #[arg(long)]
    id: Option<String>,
    /// Column with the observation date (YYYY-MM-DD): the latest date's rows are the current
    /// sample, all dates the cohorts; grades migrate from the previous date to the latest.
    #[arg(long)]
    date: Option<String>,
    /// An earlier snapshot (same id and grade columns) to migrate from, instead of the
    /// previous date.
    #[arg(long)]
    previous: Option<PathBuf>,
    /// The AUROC (pd) or gAUC (lgd, ccf) at initial validation, optionally with its standard
    /// error: `0.78` or `0.78,0.012`; by default computed from --baseline when it has outcomes.
    #[arg(long, value_delimiter = ',', num_args = 1..=2)]
    initial_auc: Option<Vec<f64>>,
    /// A second score on the same rows (challenger, or a distilled student), compared by
    /// DeLong's test (pd).
    #[arg(long)]
    challenger: Option<String>,
    /// Column with the final grade after overrides (labels of the scale) or a 0/1 override
    /// flag (pd).
    #[arg(long, value_name = "COL")]
    r#override: Option<String>,
    /// The default rate the PDs were calibrated to, for the long-run average (pd; by default
    /// each cohort's mean PD).
    #[arg(long, allow_negative_numbers = true)]
    calibration_target: Option<f64>,
    /// Confidence level of the Pluto–Tasche most prudent bounds (pd, with --grade).
    #[arg(long, default_value_t = 0.9, allow_negative_numbers = true)]
    prudence: f64,
    /// Asset correlation ρ of the Vasicek traffic light and of the correlated Pluto–Tasche
    /// bounds (pd; 0 ≤ ρ < 1).
    #[arg(long, default_value_t = 0.12, allow_negative_numbers = true)]
    rho: f64,
    /// Add Pluto–Tasche's multi-period bounds over the dates, the systematic factor correlated
    /// this much from one date to the next (pd, with --date and --grade; 0 ≤ τ ≤ 0.99; the
    /// dates must be one horizon apart, their cohorts not overlapping).
    #[arg(long, allow_negative_numbers = true)]
    period_correlation: Option<f64>,
    /// Number of Hosmer–Lemeshow groups (pd).
    #[arg(long, default_value_t = 10)]
    groups: usize,
    /// How scores are cut into the Hosmer–Lemeshow groups and the PSI's baseline bins: `r`
    /// (R's cut of type-7 quantiles), `type1` … `type9` (R's cut of that Hyndman–Fan type), or
    /// SAS PROC RANK's groups `sas` (TIES=MEAN), `sas-low`, `sas-high`.
    #[arg(long, default_value = "r", value_parser = parse_binning)]
    binning: Grouping,
    /// Were the PDs fitted on these rows (development: χ² with G − 2 df) or elsewhere
    /// (validation: G df)?
    #[arg(long, value_enum, default_value_t = SampleArg::Validation)]
    hl_sample: SampleArg,
    /// Skip the calibration tests (pd, for scores that are not PDs).
    #[arg(long)]
    no_calibration: bool,
    /// Add the ROC/CAP curve points to the output (pd).
    #[arg(long)]
    curves: bool,
    /// Accept estimates and realised values outside [0, 1] (lgd, ccf): realised LGDs exceed 1
    /// when workout costs exceed recoveries, realised CCFs can be negative.
    #[arg(long)]
    allow_outside_unit: bool,
    /// Column with the ELBE of defaulted exposures, back-tested two-sided (lgd).
    #[arg(long)]
    elbe: Option<String>,
    /// Column with the LGD in-default, back-tested one-sided (lgd).
    #[arg(long)]
    lgd_in_default: Option<String>,
    /// Rows with a missing value in a used column: error (default) or drop.
    #[arg(long, value_enum, default_value_t)]
    missing: MissingArg,
    /// Read the data about N rows at a time and validate from summaries that merge exactly
    /// (distinct PDs with their defaults, per grade): the same figures in memory bounded by one
    /// chunk, for portfolios too large to hold (PD only; not with --date, --previous,
    /// --challenger, --override or --curves; the CSI reads the baseline twice).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    chunk_rows: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: ValidateFormat,
}

/// How `kd validate` writes its report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
enum ValidateFormat {
    /// A table for people.
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// One self-contained HTML page, laid out as the ECB's instructions group the figures
    /// (redirect it to a file: `> validation.html`).
    Html,
}

/// The report in `format`, with its flags.
fn written(report: &Report, format: ValidateFormat) -> anyhow::Result<String> {
    let document = report.document()?;
    Ok(match format {
        ValidateFormat::Json => to_json(&document)?,
        ValidateFormat::Table => text::render(report, &document.flags),
        ValidateFormat::Html => kd::audit::html::validation::render(&serde_json::to_value(&document)?),
    })
}

/// The kind of model validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Model {
    /// Probability of default.
    Pd,
    /// Loss given default.
    Lgd,
    /// Credit conversion factor.
    Ccf,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SampleArg {
    Validation,
    Development,
}

impl Args {
    fn binning(&self, groups: usize) -> Binning {
        Binning { groups, grouping: self.binning }
    }

    /// `--initial-auc`: the AUROC (gAUC) at initial validation and its standard error if given.
    fn initial_given(&self) -> Option<(f64, Option<f64>)> {
        let given = self.initial_auc.as_deref()?;
        given.first().map(|&value| (value, given.get(1).copied()))
    }
}

fn parse_binning(text: &str) -> Result<Grouping, String> {
    Grouping::from_name(text)
        .ok_or_else(|| format!("'{text}': expected r, sas, sas-low, sas-high or type1 … type9"))
}

/// Runs the validation and formats the report.
pub fn run(args: &Args) -> anyhow::Result<String> {
    if args.chunk_rows.is_some() || args.obligors.is_some() {
        let what = if args.obligors.is_some() {
            "reading the grade table"
        } else {
            "reading the data chunk by chunk"
        };
        let progress = super::progress::Progress::start(what);
        let report = Report::Pd(Box::new(chunked::report(args)?));
        drop(progress);
        return written(&report, args.format);
    }
    let request = args.request();
    // The settings are checked (by the report builder's own check) before any file is read.
    request.check()?;
    let progress = super::progress::Progress::start("reading the data");
    let (table, baseline, previous) = inputs::read_files(args, &request)?;
    progress.step("running the tests");
    let report = Report::build(&request, table, baseline, previous)?;
    drop(progress);
    written(&report, args.format)
}
