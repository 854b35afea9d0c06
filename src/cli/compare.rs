//! `kd compare`: Distill-and-Compare (Tan et al. 2018). A mimic GAM of the teacher's scores
//! beside an outcome GAM of the true outcomes, feature by feature with bootstrap bands, and the
//! test for candidate features the teacher may have used.

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::TaskHint;
use kd::core::teacher::{CmdOptions, TeacherSpec, build_teacher};
use kd::students::compare::{CompareInputs, CompareParams, ComparisonReport, distill_and_compare};
use serde::Serialize;

use super::input::TeacherInput;
use super::{Format, to_json};

/// Arguments of `kd compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: TeacherInput,
    /// Seconds a cmd: teacher may take to answer (more than 0, at most 86400).
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = super::holdout::parse_teacher_timeout)]
    teacher_timeout: CmdOptions,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 100)]
    bootstrap: usize,
    /// A column the teacher may have used that is not an audit feature (repeatable): tested by
    /// whether it improves the mimic's fidelity.
    #[arg(long)]
    candidate: Vec<String>,
    /// Flag a feature when bins whose difference band excludes 0 hold at least this share of rows.
    #[arg(long, default_value_t = 0.1)]
    flag_share: f64,
    /// The class audited against the others: its probability is the teacher's score and the
    /// outcome is 1 for its rows (needed with more than two classes; by default the second of a
    /// binary target's two labels, sorted).
    #[arg(long, value_name = "LABEL")]
    class: Option<String>,
    /// Seed of the resamples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Draw the mimic's and the outcome model's shape functions here (SVG).
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Serialize)]
struct Report<'a> {
    teacher: &'a str,
    #[serde(flatten)]
    comparison: ComparisonReport<'a>,
    seconds: f64,
}

/// Audits and reports.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("svg", args.svg.as_deref())?;
    let progress = super::progress::Progress::start("reading the data");
    let spec: TeacherSpec = args.data.teacher.parse()?;
    let mut exclude: Vec<String> = spec.output_columns().to_vec();
    exclude.extend(args.candidate.iter().cloned());
    let (table, data) = args.data.input.load(TaskHint::Auto, &exclude)?;
    let params = CompareParams {
        bootstrap: args.bootstrap,
        flag_share: args.flag_share,
        seed: args.seed,
        ..CompareParams::default()
    };
    let inputs = match CompareInputs::new(&params, &table, &data, &args.candidate, args.class.as_deref()) {
        Err(kd::students::Error::InvalidParameter { name, reason }) if name == "class" => {
            anyhow::bail!(crate::cli::UsageError::new("--class", reason))
        }
        other => other?,
    };
    progress.step("asking the teacher");
    let rows: Vec<usize> = (0..data.n_rows()).collect();
    let mut teacher = build_teacher(&spec, &table, &data, args.teacher_timeout)?;
    let outputs = teacher.predict_rows(&data, &rows)?;
    let scores = inputs.audited().scores(outputs.view())?;
    progress.step("fitting mimic and outcome GAMs on bootstrap resamples, testing candidate features");
    let found = distill_and_compare(&inputs, scores.view())?;
    if let Some(path) = &args.svg {
        super::write_file(path, &found.svg()?)?;
    }
    let report =
        Report { teacher: &args.data.teacher, comparison: found.report(), seconds: progress.finish() };
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(text(&report)),
    }
}

fn text(r: &Report<'_>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Distill-and-Compare of {} ({}), {} rows, {} bootstrap resamples; shapes on the scale of {}",
        r.teacher, r.comparison.task, r.comparison.n_rows, r.comparison.bootstrap, r.comparison.scale
    );
    let _ = writeln!(
        o,
        "\n{:<32} {:>12} {:>12} {:>8} {:>10} {:>15}  verdict",
        "feature", "mimic range", "outcome rng", "ratio", "differs", "95% (redraws)"
    );
    let flag_share = r.comparison.flag_share;
    for f in &r.comparison.features {
        let c = f.figure;
        let ratio =
            if c.outcome_amplitude > 0.0 { c.mimic_amplitude / c.outcome_amplitude } else { f64::NAN };
        let (lo, hi) = c.share_interval;
        let at_bar =
            if (lo < flag_share) != (hi < flag_share) { " (at the bar: depends on the seed)" } else { "" };
        let verdict = if c.flagged { "teacher uses it differently" } else { "" };
        let _ = writeln!(
            o,
            "{:<32} {:>12.4} {:>12.4} {:>8.2} {:>9.1}% {:>6.1}–{:>5.1}%  {verdict}{at_bar}",
            f.name,
            c.mimic_amplitude,
            c.outcome_amplitude,
            ratio,
            100.0 * c.differing_share,
            100.0 * lo,
            100.0 * hi
        );
    }
    if !r.comparison.candidates.is_empty() {
        let _ = writeln!(
            o,
            "\ncandidate features (does adding one improve the mimic's out-of-bag R² to the teacher?)"
        );
        for c in &r.comparison.candidates {
            let t = c.figure;
            let _ = writeln!(
                o,
                "  {:<30} R² {:.4} -> {:.4}, improvement {:+.4} [{:+.4}, {:+.4}], p = {:.4}  {}",
                c.name,
                t.fidelity_without,
                t.fidelity_with,
                t.improvement,
                t.improvement_ci.0,
                t.improvement_ci.1,
                t.p_value,
                if t.detected { "the teacher probably used it" } else { "no evidence" }
            );
        }
    }
    let _ = writeln!(o, "\n{:.1} s", r.seconds);
    o
}
