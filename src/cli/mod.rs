//! Argument parsing and dispatch for the `kd` program.

use clap::{Parser, Subcommand, ValueEnum};

mod describe;

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

/// Runs the subcommand and returns what it prints on stdout.
pub fn run(cli: Cli) -> anyhow::Result<String> {
    match cli.command {
        Command::Describe(args) => describe::run(&args),
    }
}

/// 2 for errors in the user's input or arguments, 1 for anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error.chain().any(|cause| cause.is::<kd::core::Error>()) { 2 } else { 1 }
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
