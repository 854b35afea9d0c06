//! `kd distill --student mlp:…` end to end (feature `torch`): a neural student of a scikit-learn
//! forest on the digits, deterministic for a seed, saved with its training log; bad neural
//! options refused by name (exit 2), a diverging run reported as a failure inside kd (exit 1).
#![cfg(feature = "torch")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use serde_json::Value;

#[test]
fn an_mlp_student_mimics_a_forest_and_refits_identically() {
    let data = common::data("sklearn/digits.csv");
    let dir = tempfile::tempdir().unwrap();
    let teacher = common::sklearn_teacher("sklearn/digits.csv", "target", "random_forest", dir.path());
    let (out_file, log) = (dir.path().join("mlp.json"), dir.path().join("log.json"));
    let run = || {
        let out = common::distill(
            data.to_str().unwrap(),
            "target",
            &teacher,
            &[
                "--student",
                "mlp:32",
                "--loss",
                "kd:T=2,alpha=0.7",
                "--epochs",
                "15",
                "--seed",
                "4",
                "--out",
                out_file.to_str().unwrap(),
                "--log",
                log.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let (first, second) = (run(), run());
    assert_eq!(first["fidelity"], second["fidelity"], "same seed, different student");
    assert_eq!((first["student"].as_str(), first["task"].as_str()), (Some("mlp"), Some("multiclass")));
    assert!(first["fidelity"]["agreement"].as_f64().unwrap() > 0.85, "{first}");
    assert_eq!(first["complexity"]["parameters"].as_i64(), Some(64 * 32 + 32 + 32 * 10 + 10));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!((saved["format"].as_str(), saved["version"].as_u64()), (Some("kd-mlp"), Some(1)));
    assert_eq!(saved["features"].as_array().unwrap().len(), 64);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    assert_eq!(log["epochs"].as_array().unwrap().len(), 15);
    let explained = kd(&["explain", out_file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(text.contains("64 → 32 → 10") && text.contains("2410 parameters"), "{text}");
    assert!(text.contains("trained 15 epochs"), "{text}");
    let mut wrong = saved.clone();
    wrong["version"] = 99.into();
    std::fs::write(&out_file, wrong.to_string()).unwrap();
    assert_exit_2(&kd(&["explain", out_file.to_str().unwrap()]), &["kd-mlp", "version 99"]);
}

#[test]
fn a_regression_student_learns_stored_values() {
    let data = common::data("sklearn/diabetes.csv");
    let out = common::distill(
        data.to_str().unwrap(),
        "target",
        "column:target",
        &["--student", "mlp:16", "--epochs", "60", "--lr", "0.01", "--format", "json"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.3, "{r}");
}

#[test]
fn bad_neural_options_are_refused_by_name() {
    let data = common::data("sklearn/diabetes.csv");
    let base =
        ["distill", "--data", data.to_str().unwrap(), "--target", "target", "--teacher", "column:target"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [base, extra].concat()
    }
    assert_exit_2(&kd(&with(&base, &["--student", "mlp"])), &["widths"]);
    assert_exit_2(&kd(&with(&base, &["--student", "mlp:0"])), &["'0' is not a layer width"]);
    assert_exit_2(&kd(&with(&base, &["--student", "tree:4"])), &["takes no widths"]);
    assert_exit_2(&kd(&with(&base, &["--student", "mlp:8", "--loss", "kd:T=0"])), &["loss", "T > 0"]);
    assert_exit_2(&kd(&with(&base, &["--student", "mlp:8", "--loss", "kd:T=2"])), &["regression"]);
    assert_exit_2(&kd(&with(&base, &["--student", "mlp:8", "--device", "tpu"])), &["--device"]);
    let diverged = kd(&with(&base, &["--student", "mlp:8", "--lr", "1e30", "--epochs", "20"]));
    let stderr = String::from_utf8_lossy(&diverged.stderr);
    assert_eq!(diverged.status.code(), Some(1), "a failure inside kd, not bad input: {stderr}");
    assert!(stderr.contains("training diverged") && diverged.stdout.is_empty(), "{stderr}");
}
