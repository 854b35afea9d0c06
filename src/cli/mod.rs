//! Argument parsing and dispatch for the `kd` program.

use clap::{Parser, Subcommand, ValueEnum};

pub mod audio;
#[cfg(feature = "torch")]
mod audio_run;
mod audit;
use kd::core::data::columns;
mod choice;
mod compare;
mod describe;
mod distill;
mod distill_report;
mod explain;
mod explain_text;
mod export;
mod extract;
mod holdout;
mod hypotheses;
mod hypotheses_text;
mod input;
#[cfg(feature = "torch")]
mod novelty;
mod predict;
mod progress;
mod student_args;
mod text;
mod text_report;
mod validate;

/// kd: knowledge distillation for model risk management.
#[derive(Debug, Parser)]
#[command(name = "kd", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// Parses `argv`, exiting with clap's message (code 2) on a usage error. Every option
    /// takes a negative number as its value, so that `--alpha -0.05` is refused by the
    /// option's own range check, naming it, rather than read as an unknown flag `-0`.
    pub fn parse_args(argv: Vec<std::ffi::OsString>) -> Self {
        parse_with_negative_values(argv, |command| command.mut_subcommands(negative_numbers_as_values))
    }
}

/// `command` with every option that takes a value taking a negative number as one.
fn negative_numbers_as_values(command: clap::Command) -> clap::Command {
    command.mut_args(|arg| {
        let takes_values = arg.get_action().takes_values();
        arg.allow_negative_numbers(takes_values)
    })
}

/// Parses `argv` as `P` with its command adapted by `adapt` (which applies
/// [`negative_numbers_as_values`]), exiting with clap's message (code 2) on a usage error.
fn parse_with_negative_values<P: clap::Parser>(
    argv: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
    adapt: impl FnOnce(clap::Command) -> clap::Command,
) -> P {
    let matches = adapt(P::command()).get_matches_from(argv);
    P::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

// Parsed once per run: the size of the largest variant's arguments costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Read a data file and print its columns, types, levels, missing counts and ranges.
    Describe(describe::Args),
    /// Test the assumptions of a linear regression (independence, homoscedasticity, normality,
    /// linearity, multicollinearity, stability) and report influential rows.
    Hypotheses(hypotheses::Args),
    /// Distill a teacher into a readable student and measure its fidelity on held-out rows.
    /// With --audio PATH: a CNN student for recordings (`kd distill --audio PATH --help`).
    Distill(Box<distill::Args>),
    /// Audit a black box by Distill-and-Compare: a mimic GAM of its scores beside an outcome GAM
    /// of the true outcomes, and tests for features it may have used that the audit data lack.
    Compare(compare::Args),
    /// Extract a readable tree from a black box by querying it (Bastani), with born-again and
    /// CART baselines, and measure its fidelity on held-out rows.
    Extract(extract::Args),
    /// Print a saved student: its tree as text, rules, Graphviz DOT or JSON.
    Explain(explain::Args),
    /// Score the rows of a file with a saved student or extracted model, with each row's top
    /// reasons.
    Predict(predict::Args),
    /// Write a saved student or extracted model as one SQL SELECT that scores a table's rows.
    Export(export::Args),
    /// Score how unlike a reference sample new rows are (random network distillation; needs the
    /// `torch` feature).
    #[cfg(feature = "torch")]
    Novelty(novelty::Args),
    /// Validate an IRB model (PD, LGD or CCF) as the ECB's instructions group it: discriminatory
    /// power, predictive ability, stability and concentration.
    Validate(validate::Args),
    /// Write the model-validation report: data, performance, explanation by distillation,
    /// Distill-and-Compare and findings graded green / amber / red, as HTML and audit.json.
    Audit(Box<audit::Args>),
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
    /// Keep them: a missing feature goes to the scorecard's missing-value bin or down the
    /// side each of a tree's splits learned for it (`kd distill --student scorecard|tree`;
    /// other students refuse it, naming the row).
    Bin,
}

/// Runs the subcommand and returns what it prints on stdout.
pub fn run(cli: Cli) -> anyhow::Result<String> {
    match cli.command {
        Command::Describe(args) => describe::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Hypotheses(args) => hypotheses::run(&args),
        Command::Distill(args) => distill::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Predict(args) => predict::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Audit(args) => audit::run(&args),
        #[cfg(feature = "torch")]
        Command::Novelty(args) => novelty::run(&args),
    }
}

/// A command line that cannot be run as given: a flag that does not apply, a combination the
/// program refuses. Exit code 2, like the libraries' errors about the user's input.
#[derive(Debug, thiserror::Error)]
#[error("invalid {flag}: {reason}")]
pub struct UsageError {
    /// The flag or setting at fault, as the message names it (`--class`, `model`).
    pub flag: String,
    /// What is wrong and what to do instead.
    pub reason: String,
}

impl UsageError {
    /// A usage error about `flag`.
    pub fn new(flag: &str, reason: impl Into<String>) -> Self {
        Self { flag: flag.to_owned(), reason: reason.into() }
    }
}

/// Whether a kd-core error is a failure inside kd (libtorch failing, a training run
/// diverging, a chart that cannot be drawn) rather than bad input.
fn core_failure(error: &kd::core::Error) -> bool {
    matches!(
        error,
        kd::core::Error::Torch { .. } | kd::core::Error::Diverged { .. } | kd::core::Error::Draw { .. }
    )
}

/// What a cause says about the exit code: `Some(2)` for the user's input or arguments,
/// `Some(1)` for a failure inside kd, `None` for a cause that is not kd's (I/O, formatting).
fn classify(cause: &(dyn std::error::Error + 'static)) -> Option<u8> {
    let code = |failure: bool| Some(if failure { 1 } else { 2 });
    if cause.is::<UsageError>() || cause.is::<clap::Error>() {
        return Some(2);
    }
    if let Some(e) = cause.downcast_ref::<kd::core::Error>() {
        return code(core_failure(e));
    }
    if let Some(e) = cause.downcast_ref::<kd::students::Error>() {
        return code(matches!(e, kd::students::Error::Core(inner) if core_failure(inner)));
    }
    if let Some(e) = cause.downcast_ref::<kd::extract::Error>() {
        return code(match e {
            kd::extract::Error::Core(inner) => core_failure(inner),
            kd::extract::Error::Students(kd::students::Error::Core(inner)) => core_failure(inner),
            _ => false,
        });
    }
    if let Some(e) = cause.downcast_ref::<kd::audit::Error>() {
        // An audit error that is not about the input says nothing itself: its causes decide.
        if e.is_bad_input() {
            return Some(2);
        }
    }
    // A report that cannot be written as JSON is kd's failure; the others are about the input.
    cause
        .downcast_ref::<kd::hypotheses::Error>()
        .and_then(|e| code(matches!(e, kd::hypotheses::Error::Json(_))))
}

/// 2 for errors in the user's input or arguments (a usage error, or a library's error about
/// the data, a parameter, a teacher or a saved file), 1 for a failure inside kd (libtorch,
/// a diverging training run, a chart) and for anything else (a file that cannot be written).
pub fn exit_code(error: &anyhow::Error) -> u8 {
    error.chain().find_map(classify).unwrap_or(1)
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// The text of the saved model at `path` (`--model`), or a usage error naming the file.
pub fn read_model_file(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        UsageError::new("model", format!("{}: cannot read the file: {e}", path.display())).into()
    })
}

/// A model read from the file at `path`, its error prefixed by the file's name (the cause stays
/// in the chain, where it sets the exit code).
pub fn in_model_file<T, E: Into<anyhow::Error>>(
    path: &std::path::Path,
    read: Result<T, E>,
) -> anyhow::Result<T> {
    read.map_err(|e| {
        let e: anyhow::Error = e.into();
        let message = format!("{}: {e}", path.display());
        e.context(message)
    })
}

/// Refuses, before any work, an output path (`--flag`) that cannot be written: its folder does
/// not exist, or the path is a folder.
pub fn check_output(flag: &str, path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let reason = if path.is_dir() {
        "is a folder; give a file name"
    } else if !folder.is_dir() {
        "cannot be written: its folder does not exist"
    } else {
        return Ok(());
    };
    Err(UsageError::new(flag, format!("{} {reason}", path.display())).into())
}

/// Writes `text` to `path`, naming the file in the error.
pub fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
