//! `kd hypotheses`: the assumptions of a linear regression of the target on the features.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kd::core::data::{Dataset, Target, TaskHint};
use kd::hypotheses::regression::{Battery, BatteryOptions, BpVariant, Ols, TESTS, battery};
use serde::Serialize;

use super::input::Input;
use super::{Format, to_json};

/// Arguments of `kd hypotheses`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Lags of Breusch–Godfrey and Ljung–Box (default min(10, n div 5)).
    #[arg(long)]
    lags: Option<usize>,
    /// Significance level of the verdicts.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Run the Chow test with the first K rows as the first regime.
    #[arg(long, value_name = "K")]
    break_at: Option<usize>,
    /// Breusch–Pagan statistic: koenker (robust, default) or original.
    #[arg(long, value_enum, default_value_t = BpArg::Koenker)]
    breusch_pagan: BpArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum BpArg {
    Koenker,
    Original,
}

#[derive(Serialize)]
struct FlaggedRow {
    row: usize,
    line: u64,
    value: f64,
}

#[derive(Serialize)]
struct InfluenceSummary {
    cooks_threshold: f64,
    influential: Vec<FlaggedRow>,
    outliers: Vec<FlaggedRow>,
    max_leverage: f64,
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    battery: &'a Battery,
    influence: InfluenceSummary,
}

fn load(args: &Args) -> anyhow::Result<(Dataset, Ols)> {
    let (_, data) = args.input.load(TaskHint::Regression, &[])?;
    if let Some(f) = data.features().iter().find(|f| f.levels.is_some()) {
        return Err(super::UsageError::new(
            "features",
            format!(
                "'{}' is categorical; the regression battery needs numeric features (encode it first)",
                f.name
            ),
        )
        .into());
    }
    let Target::Values(y) = data.target() else {
        anyhow::bail!("the target must be numeric");
    };
    let names: Vec<String> = data.feature_names();
    let ols = Ols::fit(data.x().view(), y.view(), &names)?;
    Ok((data, ols))
}

/// Fits the regression, runs the battery and formats the report.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let progress = super::progress::Progress::start("reading the data and fitting OLS");
    let (data, ols) = load(args)?;
    progress.step("running the tests");
    let options = BatteryOptions {
        lags: args.lags,
        alpha: args.alpha,
        break_at: args.break_at,
        bp_variant: match args.breusch_pagan {
            BpArg::Koenker => BpVariant::Koenker,
            BpArg::Original => BpVariant::Original,
        },
        skip_harvey_collier: false,
    };
    let b = battery(&ols, &options)?;
    let inf = &b.influence;
    let flag = |rows: &[usize], values: &[f64]| -> Vec<FlaggedRow> {
        rows.iter().map(|&r| FlaggedRow { row: r, line: data.lines()[r], value: values[r] }).collect()
    };
    let summary = InfluenceSummary {
        cooks_threshold: 4.0 / b.n_obs as f64,
        influential: flag(&inf.influential_rows, &inf.cooks_distance),
        outliers: flag(&inf.outlier_rows, &inf.bonferroni_p),
        max_leverage: inf.leverage.iter().fold(0.0, |m: f64, v| m.max(*v)),
    };
    match args.format {
        Format::Json => to_json(&Report { battery: &b, influence: summary }),
        Format::Table => Ok(text(&b, &summary, args)),
    }
}

fn text(b: &Battery, inf: &InfluenceSummary, args: &Args) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "OLS of {} on {} features, {} rows: R² = {:.4}, condition number {:.3e}",
        args.input.target, b.n_features, b.n_obs, b.r_squared, b.condition_number
    );
    let _ = writeln!(o, "\n{:<20} {:>14} {:>12}", "coefficient", "estimate", "VIF");
    for (name, value) in &b.params {
        let vif = b.vif.iter().find(|(n, _)| n == name).map_or(String::new(), |(_, v)| format!("{v:.2}"));
        let _ = writeln!(o, "{name:<20} {value:>14.6} {vif:>12}");
    }
    let mut assumption = "";
    let verdicts: BTreeMap<&str, bool> = b
        .tests
        .values()
        .filter_map(|t| t.reject.map(|r| (t.assumption, r)))
        .fold(BTreeMap::new(), |mut m, (a, r)| {
            *m.entry(a).or_insert(false) |= r;
            m
        });
    for (key, test_assumption, _, _) in TESTS {
        if test_assumption != assumption {
            assumption = test_assumption;
            let verdict = match verdicts.get(assumption) {
                Some(true) => format!("doubtful: some test rejects at α = {}", args.alpha),
                Some(false) => format!("no test rejects at α = {}", args.alpha),
                None => "no verdict".into(),
            };
            let _ = writeln!(o, "\n{assumption} — {verdict}");
        }
        if let Some(t) = b.tests.get(key) {
            let p = t.p_value.map_or("      ".into(), |p| format!("p = {p:.4}"));
            let mark = if t.reject == Some(true) { "reject" } else { "" };
            let _ = writeln!(
                o,
                "  {key:<18} {:>12.4}  {p:<12} {mark:<7} H0: {}; {}",
                t.statistic, t.null_hypothesis, t.reference
            );
        } else if let Some(reason) = b.skipped.get(key) {
            let _ = writeln!(o, "  {key:<18} skipped: {reason}");
        }
    }
    let _ = writeln!(
        o,
        "\ninfluence: {} rows with Cook's distance above 4/n = {:.4}, {} Bonferroni outliers, largest leverage {:.4}",
        inf.influential.len(),
        inf.cooks_threshold,
        inf.outliers.len(),
        inf.max_leverage
    );
    for r in inf.outliers.iter().take(10) {
        let _ = writeln!(o, "  outlier: line {} (Bonferroni p = {:.4})", r.line, r.value);
    }
    o
}
