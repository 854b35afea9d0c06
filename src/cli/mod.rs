//! Argument parsing and dispatch for the `kd` program.

use clap::{Parser, Subcommand, ValueEnum};

mod columns;
mod compare;
mod describe;
mod distill;
mod explain;
mod extract;
mod holdout;
mod hypotheses;
mod input;
#[cfg(feature = "torch")]
mod neural;
#[cfg(feature = "torch")]
mod novelty;
mod progress;
mod shape_plot;
mod validate;

/// kd: knowledge distillation for model risk management.
#[derive(Debug, Parser)]
#[command(name = "kd", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a data file and print its columns, types, levels, missing counts and ranges.
    Describe(describe::Args),
    /// Test the assumptions of a linear regression (independence, homoscedasticity, normality,
    /// linearity, multicollinearity, stability) and report influential rows.
    Hypotheses(hypotheses::Args),
    /// Distill a teacher into a readable student and measure its fidelity on held-out rows.
    Distill(Box<distill::Args>),
    /// Audit a black box by Distill-and-Compare: a mimic GAM of its scores beside an outcome GAM
    /// of the true outcomes, and tests for features it may have used that the audit data lack.
    Compare(compare::Args),
    /// Extract a readable tree from a black box by querying it (Bastani), with born-again and
    /// CART baselines, and measure its fidelity on held-out rows.
    Extract(extract::Args),
    /// Print a saved student: its tree as text, rules, Graphviz DOT or JSON.
    Explain(explain::Args),
    /// Score how unlike a reference sample new rows are (random network distillation; needs the
    /// `torch` feature).
    #[cfg(feature = "torch")]
    Novelty(novelty::Args),
    /// Validate a PD model: discrimination, calibration (and per grade) and stability tests.
    Validate(validate::Args),
}

/// How a subcommand writes its result to stdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// One JSON document.
    Json,
}

/// What to do with rows that have a missing value in a used column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum MissingArg {
    /// Stop with an error naming the first missing cell.
    #[default]
    Error,
    /// Drop such rows.
    Drop,
}

/// Runs the subcommand and returns what it prints on stdout.
pub fn run(cli: Cli) -> anyhow::Result<String> {
    match cli.command {
        Command::Describe(args) => describe::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Hypotheses(args) => hypotheses::run(&args),
        Command::Distill(args) => distill::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::Compare(args) => compare::run(&args),
        #[cfg(feature = "torch")]
        Command::Novelty(args) => novelty::run(&args),
    }
}

/// 2 for errors in the user's input or arguments, 1 for anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let bad_input = error.chain().any(|cause| {
        cause.is::<kd::core::Error>()
            || cause.is::<kd::hypotheses::Error>()
            || cause.is::<kd::students::Error>()
            || cause.is::<kd::extract::Error>()
    });
    if bad_input { 2 } else { 1 }
}

/// The `format` of a saved MLP student (`kd distill --student mlp:…`).
pub const MLP_FORMAT: &str = "kd-mlp";
/// The version of that format this kd writes and reads.
pub const MLP_VERSION: u64 = 1;

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// A student ready to be saved with what is needed to use it on new rows of `data`'s columns.
pub fn saved_student(
    data: &kd::core::data::Dataset,
    teacher: Option<&str>,
    student: kd::students::Student,
) -> kd::students::SavedStudent {
    kd::students::SavedStudent {
        format: "kd-student".into(),
        version: kd::students::FORMAT_VERSION,
        task: data.task().name().into(),
        target: data.target_name().to_owned(),
        features: data.feature_names(),
        levels: data.levels(),
        classes: data.class_labels().map(<[String]>::to_vec),
        teacher: teacher.map(str::to_owned),
        student,
    }
}

/// Writes `text` to `path`, naming the file in the error.
pub fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
