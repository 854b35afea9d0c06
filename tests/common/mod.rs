//! Helpers shared by the end-to-end tests of the `kd` program.
#![allow(clippy::expect_used, clippy::unwrap_used)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped data file.
pub fn data(file: &str) -> PathBuf {
    root().join("data").join(file)
}

/// Runs the `kd` binary built for these tests.
pub fn kd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kd")).args(args).current_dir(root()).output().expect("kd runs")
}

/// The Python of kd's provisioned environment (`KD_PYTHON`, set by `cargo xtask test`), which
/// has scikit-learn. Fails with the command to run when it is not there.
pub fn python_with_sklearn() -> String {
    let python = std::env::var("KD_PYTHON").ok().or_else(|| {
        let home = std::env::var("HOME").ok()?;
        let default = Path::new(&home).join(".cache/kd/torch-2.13.0/bin/python");
        default.exists().then(|| default.display().to_string())
    });
    let ok = python
        .as_ref()
        .is_some_and(|p| Command::new(p).args(["-c", "import sklearn"]).status().is_ok_and(|s| s.success()));
    assert!(ok, "these tests need kd's Python environment: run them with `cargo xtask test`");
    python.unwrap_or_default()
}

/// A scikit-learn `model` (a name `examples/teachers/sklearn_teacher.py` knows:
/// `random_forest`, `gradient_boosting`, …) trained on the shipped `file` (relative to `data/`)
/// and saved in `dir`, as a `cmd:` teacher spec that loads it.
pub fn sklearn_teacher(file: &str, target: &str, model: &str, dir: &Path) -> String {
    let python = python_with_sklearn();
    let script = root().join("examples/teachers/sklearn_teacher.py");
    let saved = dir.join(format!("{model}.joblib"));
    let data = data(file);
    let trained = Command::new(&python)
        .arg(&script)
        .args(["--train", data.to_str().unwrap(), "--target", target, "--model", model])
        .args(["--fit-only", "--save"])
        .arg(&saved)
        .status()
        .unwrap();
    assert!(trained.success(), "{model} trained on {file}");
    format!("cmd:{python} {} --load {}", script.display(), saved.display())
}

/// Asserts that `kd` refused its input: exit code 2, nothing on stdout, and every one of
/// `words` in the message on stderr.
#[track_caller]
pub fn assert_exit_2(out: &Output, words: &[&str]) {
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    for w in words {
        assert!(err.contains(w), "stderr lacks '{w}': {err}");
    }
}

/// Asserts that two JSON numbers agree to 1e-10 relative (absolute below 1e-3): the tolerance
/// of the validation goldens.
#[track_caller]
pub fn close(ours: &serde_json::Value, theirs: &serde_json::Value) {
    use kd_test_support::Reference;
    kd_test_support::assert_close!(ours.value(), theirs, kd_test_support::VALIDATION);
}

/// Asserts that two JSON documents are equal but for their numbers, which may differ by
/// `relative · max(|a|, |b|, floor)` (sums taken in another order), naming the first place that
/// differs by its path from `at`.
pub fn same_within(a: &serde_json::Value, b: &serde_json::Value, relative: f64, floor: f64, at: &str) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= relative * x.abs().max(y.abs()).max(floor), "{at}: {x} vs {y}");
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{at}");
            x.iter().for_each(|(k, v)| same_within(v, &y[k], relative, floor, &format!("{at}.{k}")));
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                same_within(u, v, relative, floor, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

/// The columns of the PD examples' `kd validate`: score `pd`, outcome `default`, grade `grade`.
pub const PD_COLUMNS: [&str; 6] = ["--score", "pd", "--outcome", "default", "--grade", "grade"];

/// Runs `kd distill --data DATA --target TARGET --teacher TEACHER` followed by `extra`.
pub fn distill(data: &str, target: &str, teacher: &str, extra: &[&str]) -> Output {
    let mut args = vec!["distill", "--data", data, "--target", target, "--teacher", teacher];
    args.extend_from_slice(extra);
    kd(&args)
}
