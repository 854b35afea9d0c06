//! Project tasks. `cargo xtask <task>`; every task provisions what it needs first (see
//! `provision.rs`), idempotently.
//!
//! - `setup`: OpenBLAS and the Python environment with libtorch;
//! - `test`: the whole test suite (what CI runs);
//! - `reproduce [PAPER ...|all] [--quick|--full] [--list]`: the paper reproductions;
//! - `bench [NAME ...]`: the benchmarks in `benches/`, each against its anchor in the same run;
//! - `install`: the `kd` program, with libtorch, into cargo's bin folder.

mod provision;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  setup                              install OpenBLAS (apt) and the Python environment with libtorch
  test                               run the whole test suite (what CI runs)
  reproduce [PAPER ...|all] [--quick|--full] [--list]
                                     re-run the reference papers; results in target/reproduce/
  bench [NAME ...]                   benchmarks against their anchors (validate, hypotheses, students, extract, gam, spline, kd, loader, scale, merge)
  install                            install the kd program (with libtorch) into ~/.cargo/bin";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let root = workspace_root();
    match task.as_str() {
        "setup" => provision::all().map(|_| ()),
        "test" => test(&root, rest),
        "reproduce" => reproduce(&root, rest),
        "bench" => bench(&root, rest),
        "install" => install(&root),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task '{other}'\n\n{USAGE}"),
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), Path::to_path_buf)
}

/// `cargo <args>` in the workspace root with the provisioned environment; fails on failure.
fn cargo(root: &Path, env: &provision::Env, args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    println!("xtask: cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .envs(env.vars())
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Crates that link libtorch with the `torch` feature; every other crate is tested without it.
const TORCH_CRATES: [&str; 3] = ["kd-core", "kd-reproduce", "kd"];

fn test(root: &Path, extra: &[String]) -> Result<()> {
    let mut env = provision::all()?;
    provision::chromium()?;
    // The slow statistical tests (size and power over many simulations) run here and in CI.
    env.set("KD_SLOW_TESTS", "1");
    // Tests run two at a time on two cores; OpenBLAS's own threads then only contend for them
    // (the regression battery's simulations spent 3 minutes of system time waking them; 7 s
    // with one thread each).
    env.set("OPENBLAS_NUM_THREADS", "1");
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    // Two runs, so that cargo's feature unification cannot link libtorch into the crates that
    // must build and test without it: first those, then the libtorch crates with `torch`.
    let mut free = vec!["test", "--locked", "--no-fail-fast", "--workspace", "--exclude", "kd-python"];
    for krate in TORCH_CRATES {
        free.extend(["--exclude", krate]);
    }
    free.extend(&extra);
    cargo(root, &env, &free)?;
    let mut torch = vec!["test", "--locked", "--no-fail-fast", "--all-features"];
    for krate in TORCH_CRATES {
        torch.extend(["-p", krate]);
    }
    torch.extend(&extra);
    cargo(root, &env, &torch)?;
    outside_workspace(root, &env)?;
    python_package(root, &env)
}

/// A user's crate outside the workspace (`examples/outside-workspace`) that uses kd-core with
/// `torch`: built in the workspace's target folder with the workspace's lock file (so the
/// libtorch crates the run above built are reused), then run without `LD_LIBRARY_PATH`. It starts
/// only if its build script wrote libtorch's folder into its rpath, the step the README asks of
/// such a crate.
fn outside_workspace(root: &Path, env: &provision::Env) -> Result<()> {
    let dir = root.join("examples").join("outside-workspace");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .context("cannot copy Cargo.lock beside examples/outside-workspace/Cargo.toml")?;
    let manifest = "examples/outside-workspace/Cargo.toml";
    cargo(root, env, &["build", "--offline", "--manifest-path", manifest, "--target-dir", "target"])?;
    let program = root.join("target").join("debug").join("outside-workspace");
    println!("xtask: {} (without LD_LIBRARY_PATH)", program.display());
    let output = Command::new(&program)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.trim() != "logits [2, 10]" {
        bail!(
            "{} failed ({}): {stdout}{}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// The Python package: `maturin develop` builds `crates/kd-python` into kd's Python
/// environment (maturin and pytest pinned in `python-requirements.txt`), then pytest runs its
/// tests against the `kd` binary the cargo runs above built.
fn python_package(root: &Path, env: &provision::Env) -> Result<()> {
    let python = env.get("KD_PYTHON").context("provisioning did not set KD_PYTHON")?;
    let crate_dir = root.join("crates").join("kd-python");
    let kd = root.join("target").join("debug").join("kd");
    for (what, args, dir) in [
        ("maturin develop", vec!["-m", "maturin", "develop", "--quiet"], &crate_dir),
        ("pytest", vec!["-m", "pytest", "-q", "crates/kd-python/tests"], &root.to_path_buf()),
    ] {
        println!("xtask: python {}", args.join(" "));
        let status = Command::new(python)
            .args(&args)
            .current_dir(dir)
            .envs(env.vars())
            .env("PYO3_PYTHON", python)
            .env("KD_BIN", &kd)
            .status()
            .with_context(|| format!("cannot run {what}"))?;
        if !status.success() {
            bail!("{what} failed ({status})");
        }
    }
    Ok(())
}

fn reproduce(root: &Path, extra: &[String]) -> Result<()> {
    let env = provision::all()?;
    let out = root.join("target").join("reproduce");
    let out = out.to_string_lossy();
    let mut args = vec![
        "run",
        "--release",
        "--locked",
        "--quiet",
        "-p",
        "kd-reproduce",
        "--features",
        "torch",
        "--",
        "--out",
        &out,
    ];
    args.extend(extra.iter().map(String::as_str));
    cargo(root, &env, &args)
}

fn bench(root: &Path, names: &[String]) -> Result<()> {
    let mut env = provision::all()?;
    if names.is_empty() || names.iter().any(|n| n == "spline") {
        let python = provision::pygam_python()?;
        env.set("KD_PYGAM_PYTHON", python.to_string_lossy());
    }
    // With libtorch, so that the neural benchmark (`kd`) is built too.
    let mut args = vec!["bench", "--locked", "-p", "kd", "--features", "torch"];
    for name in names {
        args.extend(["--bench", name.as_str()]);
    }
    cargo(root, &env, &args)
}

fn install(root: &Path) -> Result<()> {
    let env = provision::all()?;
    cargo(root, &env, &["install", "--locked", "--force", "--path", ".", "--features", "torch"])?;
    println!("xtask: installed `kd`; run `kd --help`");
    Ok(())
}
