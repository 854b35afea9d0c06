//! The `kd` command-line program. Each subcommand lives in `cli/<name>.rs`.
//!
//! Conventions: `--format json` writes one JSON document to stdout, the default is a readable
//! table; errors go to stderr with nothing on stdout, exit code 2 for bad input or arguments
//! and 1 for anything else.

use std::io::Write as _;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    one_blas_thread();
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

/// Runs OpenBLAS on one thread unless `OPENBLAS_NUM_THREADS` says otherwise. kd's matrices are
/// narrow (tens of columns) and its parallel work runs on rayon's threads; OpenBLAS's idle
/// workers wait by spinning on `sched_yield` and only take the cores from it (a third of
/// `kd hypotheses`' CPU time at 200,000 rows went to that spinning). Lowering the count is not
/// enough: the library starts its workers when it is loaded, before `main`, and they spin for
/// their first ~10⁸ cycles whatever the count (half of `kd describe`'s samples on a 43 MB file),
/// so they are also stopped; OpenBLAS starts them again should a call ever ask for threads.
#[allow(unsafe_code)] // two calls into OpenBLAS's C API, which no safe crate wraps
fn one_blas_thread() {
    if std::env::var_os("OPENBLAS_NUM_THREADS").is_some() {
        return;
    }
    unsafe extern "C" {
        fn openblas_set_num_threads(threads: std::os::raw::c_int);
        fn blas_thread_shutdown_() -> std::os::raw::c_int;
    }
    // SAFETY: OpenBLAS's documented setter takes any positive count, and its shutdown joins
    // the idle workers it started at load time; both run before any other thread of kd's
    // exists and before any BLAS call.
    unsafe {
        openblas_set_num_threads(1);
        blas_thread_shutdown_();
    }
}
