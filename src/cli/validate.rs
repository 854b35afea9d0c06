//! `kd validate`: discrimination, calibration and stability tests of a PD model's scores.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ColumnKind, ReadOptions, Table, read_csv};
use kd::core::quantile::{Binning, Grouping, QuantileDef, Ties, group_of};
use kd::hypotheses::validation::{
    self as v, Auroc, BrierDecomposition, ChiSquareTest, CurvePoint, DelongComparison, GradeTest, HlSample,
    HosmerLemeshow, KolmogorovSmirnov, PsiVerdict, Spiegelhalter,
};
use serde::Serialize;

use super::columns::{complete_rows, ensure_probabilities, levels, numbers, outcomes};
use super::{Format, MissingArg, to_json};

/// Arguments of `kd validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file with the scores and outcomes.
    #[arg(long)]
    data: PathBuf,
    /// Column with the model's score (a PD in [0, 1] for the calibration tests; higher = riskier).
    #[arg(long)]
    score: String,
    /// Column with the outcome: 1 = default, 0 = no default.
    #[arg(long)]
    outcome: String,
    /// Column with the rating grade, for the per-grade tests (read as categories).
    #[arg(long)]
    grade: Option<String>,
    /// A second score on the same rows (challenger, or a distilled student), compared by DeLong's test.
    #[arg(long)]
    challenger: Option<String>,
    /// A baseline sample (same columns) for the stability tests: PSI, CSI, KS, grade shift.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Asset correlation ρ of the Vasicek traffic light.
    #[arg(long, default_value_t = 0.12)]
    rho: f64,
    /// Number of Hosmer–Lemeshow groups.
    #[arg(long, default_value_t = 10)]
    groups: usize,
    /// How scores are cut into the Hosmer–Lemeshow groups and the PSI's baseline deciles: `r`
    /// (R's cut of type-7 quantiles), `type1` … `type9` (R's cut of that Hyndman–Fan type), or
    /// SAS PROC RANK's groups `sas` (TIES=MEAN), `sas-low`, `sas-high`.
    #[arg(long, default_value = "r", value_parser = parse_binning)]
    binning: Grouping,
    /// Were the PDs fitted on these rows (development: χ² with G − 2 df) or elsewhere
    /// (validation: G df)?
    #[arg(long, value_enum, default_value_t = SampleArg::Validation)]
    hl_sample: SampleArg,
    /// Skip the calibration tests (for scores that are not PDs).
    #[arg(long)]
    no_calibration: bool,
    /// Add the ROC/CAP curve points to the output.
    #[arg(long)]
    curves: bool,
    /// Rows with a missing value in a used column: error (default) or drop.
    #[arg(long, value_enum, default_value_t)]
    missing: MissingArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SampleArg {
    Validation,
    Development,
}

#[derive(Serialize)]
struct Report {
    file: String,
    n_obs: usize,
    n_defaults: usize,
    discrimination: Discrimination,
    #[serde(skip_serializing_if = "Option::is_none")]
    calibration: Option<Calibration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stability: Option<Stability>,
}

#[derive(Serialize)]
struct Discrimination {
    auroc: Auroc,
    gini: f64,
    ks: KolmogorovSmirnov,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<Comparison>,
    #[serde(skip_serializing_if = "Option::is_none")]
    curves: Option<Vec<CurvePoint>>,
}

#[derive(Serialize)]
struct Comparison {
    challenger: String,
    #[serde(flatten)]
    test: DelongComparison,
}

#[derive(Serialize)]
struct Calibration {
    hosmer_lemeshow: HosmerLemeshow,
    spiegelhalter: Spiegelhalter,
    brier: f64,
    brier_decomposition: BrierDecomposition,
    #[serde(skip_serializing_if = "Option::is_none")]
    grades: Option<Vec<GradeTest>>,
}

#[derive(Serialize)]
struct Stability {
    baseline: String,
    psi: f64,
    psi_verdict: PsiVerdict,
    csi: BTreeMap<String, f64>,
    csi_verdict: BTreeMap<String, PsiVerdict>,
    ks: KolmogorovSmirnov,
    #[serde(skip_serializing_if = "Option::is_none")]
    grades: Option<GradeShift>,
}

#[derive(Serialize)]
struct GradeShift {
    psi: f64,
    chi_square: ChiSquareTest,
}

fn binning(args: &Args, groups: usize) -> Binning {
    Binning { groups, grouping: args.binning }
}

fn parse_binning(text: &str) -> Result<Grouping, String> {
    let r_cut = |t: u8| QuantileDef::from_hyndman_fan_type(t).map(Grouping::RCut);
    match text {
        "r" => Ok(Grouping::RCut(QuantileDef::Linear)),
        "sas" => Ok(Grouping::SasRank(Ties::Mean)),
        "sas-low" => Ok(Grouping::SasRank(Ties::Low)),
        "sas-high" => Ok(Grouping::SasRank(Ties::High)),
        _ => text
            .strip_prefix("type")
            .and_then(|t| t.parse().ok())
            .and_then(r_cut)
            .ok_or_else(|| format!("'{text}': expected r, sas, sas-low, sas-high or type1 … type9")),
    }
}

fn read(path: &std::path::Path, grade: Option<&String>) -> anyhow::Result<Table> {
    let options = ReadOptions { categorical: grade.into_iter().cloned().collect(), ..ReadOptions::default() };
    Ok(read_csv(path, &options)?)
}

/// Runs the tests and formats the report.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let progress = super::progress::Progress::start("reading the data");
    let table = read(&args.data, args.grade.as_ref())?;
    let mut used = vec![args.score.as_str(), args.outcome.as_str()];
    used.extend(args.grade.as_deref());
    used.extend(args.challenger.as_deref());
    let rows = complete_rows(&table, &used, args.missing == MissingArg::Drop)?;
    let score = numbers(&table, &args.score, &rows)?;
    let outcome = outcomes(&table, &args.outcome, &rows)?;
    let grades = args.grade.as_deref().map(|g| levels(&table, g, &rows)).transpose()?;

    progress.step("running the tests");
    let auroc = v::auroc_delong(&outcome, &score, 0.95)?;
    let (defaulters, others) = v::split_by_outcome(&outcome, &score);
    let comparison = match &args.challenger {
        Some(name) => Some(Comparison {
            challenger: name.clone(),
            test: v::delong_test(&outcome, &score, &numbers(&table, name, &rows)?)?,
        }),
        None => None,
    };
    let discrimination = Discrimination {
        auroc,
        gini: 2.0 * auroc.value - 1.0,
        ks: v::ks_two_sample(&defaulters, &others)?,
        comparison,
        curves: if args.curves { Some(v::curve_points(&outcome, &score)?) } else { None },
    };

    let calibration = if args.no_calibration {
        None
    } else {
        ensure_probabilities(
            &table,
            &args.score,
            &rows,
            &score,
            "calibration tests need PDs (pass --no-calibration to skip them)",
        )?;
        let sample = match args.hl_sample {
            SampleArg::Validation => HlSample::Validation,
            SampleArg::Development => HlSample::Development,
        };
        let hosmer_lemeshow = v::hosmer_lemeshow(&outcome, &score, binning(args, args.groups), sample)?;
        let bins: Vec<usize> = match &grades {
            Some((codes, _)) => codes.clone(),
            None => {
                let cuts = binning(args, args.groups).cut_points(&score);
                score.iter().map(|&s| group_of(&cuts, s)).collect()
            }
        };
        let brier_decomposition = v::brier_decomposition(&outcome, &score, &bins)?;
        let grade_tests = match &grades {
            Some((codes, labels)) => Some(v::grade_tests(&outcome, &score, codes, labels, args.rho)?),
            None => None,
        };
        Some(Calibration {
            hosmer_lemeshow,
            spiegelhalter: v::spiegelhalter(&outcome, &score)?,
            brier: brier_decomposition.brier,
            brier_decomposition,
            grades: grade_tests,
        })
    };

    let stability = match &args.baseline {
        Some(path) => Some(stability(args, &table, &score, grades.as_ref(), path)?),
        None => None,
    };
    let report = Report {
        file: args.data.display().to_string(),
        n_obs: outcome.len(),
        n_defaults: outcome.iter().filter(|y| **y).count(),
        discrimination,
        calibration,
        stability,
    };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report, args)),
    }
}

fn stability(
    args: &Args,
    table: &Table,
    score: &[f64],
    grades: Option<&(Vec<usize>, Vec<String>)>,
    path: &std::path::Path,
) -> anyhow::Result<Stability> {
    let base = read(path, args.grade.as_ref())?;
    let drop = args.missing == MissingArg::Drop;
    let base_rows = complete_rows(&base, &[args.score.as_str()], drop)?;
    let base_score = numbers(&base, &args.score, &base_rows)?;
    let psi = v::psi_numeric(&base_score, score, binning(args, 10))?;
    let skip: Vec<&str> = [
        Some(args.score.as_str()),
        Some(args.outcome.as_str()),
        args.grade.as_deref(),
        args.challenger.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut csi = BTreeMap::new();
    for column in table.columns().iter().filter(|c| !skip.contains(&c.name.as_str())) {
        let Ok(base_column) = base.column(&column.name) else { continue };
        let name = column.name.as_str();
        let (cur_rows, b_rows) = (complete_rows(table, &[name], true)?, complete_rows(&base, &[name], true)?);
        let value = match (column.kind(), base_column.kind()) {
            (ColumnKind::Numeric, ColumnKind::Numeric) => {
                v::psi_numeric(
                    &numbers(&base, name, &b_rows)?,
                    &numbers(table, name, &cur_rows)?,
                    binning(args, 10),
                )?
                .value
            }
            (ColumnKind::Categorical, ColumnKind::Categorical) => {
                let (b, b_levels) = levels(&base, name, &b_rows)?;
                let (c, c_levels) = levels(table, name, &cur_rows)?;
                let (b, c, n) = shared_levels(&b, &b_levels, &c, &c_levels);
                v::psi_categorical(&b, &c, n)?.value
            }
            _ => continue,
        };
        csi.insert(column.name.clone(), value);
    }
    let grade_shift = match (grades, &args.grade) {
        (Some((codes, labels)), Some(name)) => {
            let b_rows = complete_rows(&base, &[name.as_str()], drop)?;
            let (b_codes, b_labels) = levels(&base, name, &b_rows)?;
            let (b, c, n) = shared_levels(&b_codes, &b_labels, codes, labels);
            let count =
                |x: &[usize]| (0..n).map(|l| x.iter().filter(|&&g| g == l).count()).collect::<Vec<_>>();
            Some(GradeShift {
                psi: v::psi_categorical(&b, &c, n)?.value,
                chi_square: v::chi_square_homogeneity(&count(&b), &count(&c))?,
            })
        }
        _ => None,
    };
    let csi_verdict = csi.iter().map(|(k, &x)| (k.clone(), PsiVerdict::from_psi(x))).collect();
    Ok(Stability {
        baseline: path.display().to_string(),
        psi: psi.value,
        psi_verdict: psi.verdict,
        csi,
        csi_verdict,
        ks: v::ks_two_sample(&base_score, score)?,
        grades: grade_shift,
    })
}

/// Re-codes two samples' level codes onto the union of their levels (sorted).
fn shared_levels(
    a: &[usize],
    a_levels: &[String],
    b: &[usize],
    b_levels: &[String],
) -> (Vec<usize>, Vec<usize>, usize) {
    let mut all: Vec<&String> = a_levels.iter().chain(b_levels).collect();
    all.sort();
    all.dedup();
    let index = |levels: &[String], codes: &[usize]| -> Vec<usize> {
        codes.iter().map(|&c| all.binary_search(&&levels[c]).unwrap_or(0)).collect()
    };
    (index(a_levels, a), index(b_levels, b), all.len())
}

fn text(r: &Report, args: &Args) -> String {
    let mut o = String::new();
    let d = &r.discrimination;
    let _ = writeln!(
        o,
        "PD model validation of '{}' in {} (n = {}, defaults = {})\n",
        args.score, r.file, r.n_obs, r.n_defaults
    );
    let _ = writeln!(o, "Discrimination");
    let _ = writeln!(
        o,
        "  AUROC        {:.4}  s.e. {:.4}, 95% CI [{:.4}, {:.4}]   P(score_D > score_N) + ½P(=); s.e. DeLong et al. (1988)",
        d.auroc.value, d.auroc.std_error, d.auroc.ci_low, d.auroc.ci_high
    );
    let _ = writeln!(o, "  Gini (AR)    {:.4}                                      2·AUROC − 1", d.gini);
    let _ = writeln!(
        o,
        "  KS           {:.4}  p = {:.4} ({:?})                   sup|F_D − F_N|; Smirnov two-sample test",
        d.ks.statistic, d.ks.p_value, d.ks.method
    );
    if let Some(c) = &d.comparison {
        let _ = writeln!(
            o,
            "  vs '{}'  AUROC {:.4} vs {:.4}, z = {:.3}, p = {:.4}   DeLong et al. (1988) test of equal AUROCs",
            c.challenger, c.test.auroc_a, c.test.auroc_b, c.test.statistic, c.test.p_value
        );
    }
    if let Some(c) = &r.calibration {
        let hl = &c.hosmer_lemeshow;
        let _ = writeln!(o, "\nCalibration");
        let _ = writeln!(
            o,
            "  Hosmer-Lemeshow  {:.3}  p = {:.4} ({} groups, df {}, {:?} sample)   Σ(O−E)²/(E(1−E/n)); Hosmer & Lemeshow (1980)",
            hl.statistic, hl.p_value, hl.groups, hl.df, hl.sample
        );
        let _ = writeln!(
            o,
            "  Spiegelhalter z  {:.3}  p = {:.4}   Σ(y−p)(1−2p) / √Σ(1−2p)²p(1−p); Spiegelhalter (1986)",
            c.spiegelhalter.statistic, c.spiegelhalter.p_value
        );
        let b = &c.brier_decomposition;
        let _ = writeln!(
            o,
            "  Brier            {:.4}  = reliability {:.4} − resolution {:.4} + uncertainty {:.4} + within-bin {:.4}; Murphy (1973)",
            b.brier, b.reliability, b.resolution, b.uncertainty, b.within_bin
        );
        if let Some(grades) = &c.grades {
            let _ = writeln!(
                o,
                "\n  Per grade: binomial p = P(X ≥ d | n, PD); Jeffreys p = Beta(d+½, n−d+½) cdf at PD; light: Vasicek ρ = {} at 95% / 99.9%",
                args.rho
            );
            let _ = writeln!(
                o,
                "  {:>8} {:>7} {:>8} {:>8} {:>9} {:>11} {:>11}  light",
                "grade", "n", "defaults", "PD", "observed", "binomial p", "Jeffreys p"
            );
            for g in grades {
                let _ = writeln!(
                    o,
                    "  {:>8} {:>7} {:>8} {:>8.4} {:>9.4} {:>11.4} {:>11.4}  {:?}",
                    g.grade,
                    g.n,
                    g.defaults,
                    g.pd,
                    g.observed_rate,
                    g.binomial_p_value,
                    g.jeffreys_p_value,
                    g.traffic_light
                );
            }
        }
    }
    if let Some(s) = &r.stability {
        let _ = writeln!(o, "\nStability against {}", s.baseline);
        let _ = writeln!(
            o,
            "  PSI of the score  {:.4} ({:?})   Σ(a−e)·ln(a/e) over the baseline's deciles; < 0.1 stable, ≥ 0.25 significant",
            s.psi, s.psi_verdict
        );
        let _ = writeln!(o, "  KS of the score   {:.4}  p = {:.4}", s.ks.statistic, s.ks.p_value);
        if let Some(g) = &s.grades {
            let _ = writeln!(
                o,
                "  Grades: PSI {:.4}, χ² = {:.3} (df {}), p = {:.4}",
                g.psi, g.chi_square.statistic, g.chi_square.df, g.chi_square.p_value
            );
        }
        for (feature, value) in &s.csi {
            let _ = writeln!(o, "  CSI {feature:<40} {value:.4} ({:?})", s.csi_verdict[feature]);
        }
    }
    o
}
