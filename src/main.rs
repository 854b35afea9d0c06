//! The `kd` command-line program. Each subcommand lives in `cli/<name>.rs`.
//!
//! Conventions: `--format json` writes one JSON document to stdout, the default is a readable
//! table; errors go to stderr with nothing on stdout, exit code 2 for bad input or arguments
//! and 1 for anything else.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Every kd error carries its cause in its own message, so the chain is not repeated.
            eprintln!("kd: error: {error}");
            ExitCode::from(cli::exit_code(&error))
        }
    }
}
