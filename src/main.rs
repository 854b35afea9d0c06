//! The `kd` command-line program. Each subcommand lives in `cli/<name>.rs`.
//!
//! Conventions: `--format json` writes one JSON document to stdout, the default is a readable
//! table; errors go to stderr with nothing on stdout, exit code 2 for bad input or arguments
//! and 1 for anything else.

use std::io::Write as _;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let result = match cli::audio::audio_args(&argv) {
        Some(audio) => cli::audio::run(&audio),
        None => cli::run(cli::Cli::parse_args(argv)),
    };
    match result {
        Ok(output) => {
            // A closed pipe (`kd ... | head`) is not an error of kd's.
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("kd: error: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(error) => {
            // Every kd error carries its cause in its own message, so the chain is not repeated.
            eprintln!("kd: error: {error}");
            ExitCode::from(cli::exit_code(&error))
        }
    }
}
