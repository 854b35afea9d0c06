//! Argument parsing and dispatch for the `kd` program.

use clap::{Parser, Subcommand, ValueEnum};

mod columns;
mod describe;
mod distill;
mod explain;
mod hypotheses;
mod input;
mod progress;
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
    Distill(distill::Args),
    /// Print a saved student: its tree as text, rules, Graphviz DOT or JSON.
    Explain(explain::Args),
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
    }
}

/// 2 for errors in the user's input or arguments, 1 for anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let bad_input = error.chain().any(|cause| {
        cause.is::<kd::core::Error>()
            || cause.is::<kd::hypotheses::Error>()
            || cause.is::<kd::students::Error>()
    });
    if bad_input { 2 } else { 1 }
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
