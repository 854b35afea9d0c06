//! `kd extract` end to end: a scikit-learn gradient-boosting model on German credit (categorical
//! features sent as strings) served over the `cmd:` protocol, extracted by the Bastani method and
//! by born-again CART; refusals of teachers and parameters the sampling methods cannot use.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use kd::students::{SavedStudent, Student};
use serde_json::Value;

/// A gradient-boosting teacher trained on German credit, saved in `dir`, as a `cmd:` spec.
fn credit_teacher(dir: &std::path::Path) -> String {
    common::sklearn_teacher("credit/german_credit.csv", "creditability", "gradient_boosting", dir)
}

fn extract(teacher: &str, method: &str, extra: &[&str]) -> std::process::Output {
    let data = common::data("credit/german_credit.csv");
    let mut args = vec!["extract", "--data", data.to_str().unwrap(), "--target", "creditability"];
    args.extend(["--teacher", teacher, "--method", method, "--max-leaves", "8", "--seed", "2"]);
    args.extend(extra);
    kd(&args)
}

#[test]
fn extracts_a_tree_from_a_scikit_learn_model_with_categorical_features() {
    let dir = tempfile::tempdir().unwrap();
    let teacher = credit_teacher(dir.path());
    let saved = dir.path().join("tree.json");
    let out = extract(
        &teacher,
        "bastani",
        &[
            "--samples-per-node",
            "300",
            "--components",
            "3",
            "--format",
            "json",
            "--out",
            saved.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "method",
        "n_leaves",
        "depth",
        "fidelity",
        "fidelity_ci",
        "accuracy",
        "teacher_accuracy",
        "n_queries",
        "seconds",
    ] {
        assert!(!r[key].is_null(), "{key} missing: {r}");
    }
    assert_eq!(r["method"], "bastani");
    assert_eq!(r["n_leaves"].as_u64(), Some(8));
    assert_eq!(r["mixture_components"].as_u64(), Some(3));
    let (f, lo, hi) = (
        r["fidelity"].as_f64().unwrap(),
        r["fidelity_ci"][0].as_f64().unwrap(),
        r["fidelity_ci"][1].as_f64().unwrap(),
    );
    assert!(lo <= f && f <= hi && f > 0.7, "{r}");
    // The 700 validator rows are asked once, then every node is topped up to 300 points.
    assert!(r["n_queries"].as_u64().unwrap() > 700, "{r}");
    let tree = SavedStudent::from_json(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert!(matches!(tree.student, Student::Tree(_)));
    let text = String::from_utf8(kd(&["explain", saved.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("class:"), "{text}");

    let trepan_file = dir.path().join("trepan.json");
    let trepan = extract(
        &teacher,
        "trepan",
        &["--samples-per-node", "200", "--format", "json", "--out", trepan_file.to_str().unwrap()],
    );
    assert!(trepan.status.success(), "{}", String::from_utf8_lossy(&trepan.stderr));
    let t: Value = serde_json::from_slice(&trepan.stdout).unwrap();
    assert_eq!(t["method"], "trepan");
    assert!(t["fidelity"].as_f64().unwrap() > 0.7 && t["n_queries"].as_u64().unwrap() > 700, "{t}");
    assert!(t["n_leaves"].as_u64().unwrap() <= 8);
    let text = String::from_utf8(kd(&["explain", trepan_file.to_str().unwrap()]).stdout).unwrap();
    assert!(
        text.starts_with("trepan model of cmd:") && text.contains(" of {") && text.contains("class: "),
        "{text}"
    );
    assert_exit_2(&kd(&["explain", trepan_file.to_str().unwrap(), "--format", "dot"]), &["text or json"]);
    // kd predict scores rows with the m-of-n tree: its leaves' class proportions.
    let credit = common::data("credit/german_credit.csv");
    let (model, rows) = (trepan_file.to_str().unwrap(), credit.to_str().unwrap());
    let scored = kd(&["predict", "--model", model, "--data", rows]);
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
    let csv = String::from_utf8(scored.stdout).unwrap();
    assert!(csv.starts_with("line,p_bad,p_good\n2,"), "{}", &csv[..80]);
    assert_eq!(csv.lines().count(), 1001);
    for line in csv.lines().skip(1) {
        let p: Vec<f64> = line.split(',').skip(1).map(|v| v.parse().unwrap()).collect();
        assert!((p[0] + p[1] - 1.0).abs() < 1e-9 && (0.0..=1.0).contains(&p[0]), "{line}");
    }
    // With reasons: one, the path of m-of-n tests each row meets from the root.
    let reasoned = kd(&["predict", "--model", model, "--data", rows, "--reasons", "2"]);
    assert!(reasoned.status.success(), "{}", String::from_utf8_lossy(&reasoned.stderr));
    let mut reader = csv::Reader::from_reader(reasoned.stdout.as_slice());
    assert_eq!(reader.headers().unwrap(), vec!["line", "p_bad", "p_good", "reason_1", "reason_2"]);
    let tree: Value = serde_json::from_str(&std::fs::read_to_string(&trepan_file).unwrap()).unwrap();
    let first = tree["model"]["nodes"][0]["split"]["test"]["literals"][0]["feature"].as_u64().unwrap();
    let named = tree["features"][first as usize].as_str().unwrap().to_owned();
    let mut paths = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        assert!(row[3].contains(&named) && row[4].is_empty(), "{row:?}");
        paths.insert(row[3].to_owned());
    }
    assert!(paths.len() > 1 && paths.len() <= 8, "one path per leaf reached: {}", paths.len());
    let newer =
        std::fs::read_to_string(&trepan_file).unwrap().replacen("\"version\": 1", "\"version\": 7", 1);
    std::fs::write(&trepan_file, newer).unwrap();
    assert_exit_2(&kd(&["explain", trepan_file.to_str().unwrap()]), &["version 7"]);

    let born_again: Value =
        serde_json::from_slice(&extract(&teacher, "born-again", &["--format", "json"]).stdout).unwrap();
    assert_eq!(born_again["n_queries"].as_u64(), Some(700));
    assert!(born_again["n_leaves"].as_u64().unwrap() <= 8);
}

#[test]
fn sampling_methods_refuse_stored_scores_and_bad_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let scored = dir.path().join("scored.csv");
    let rows: String = (0..60)
        .map(|i| format!("{i},{},{},{}\n", (i * 7) % 11, i % 2, if i % 2 == 1 { 0.8 } else { 0.3 }))
        .collect();
    std::fs::write(&scored, format!("x,z,y,p\n{rows}")).unwrap();
    let scored_holes = dir.path().join("holes.csv");
    // `kd extract` on the stored scores `p`, by `method`, with `extra` arguments.
    let stored = |method: &str, extra: &[&str]| {
        let mut args = vec!["extract", "--data", scored.to_str().unwrap(), "--target", "y"];
        args.extend(["--teacher", "column:p", "--method", method]);
        args.extend(extra);
        kd(&args)
    };
    assert_exit_2(&stored("bastani", &[]), &["teacher", "cannot label new points", "born-again"]);
    assert_exit_2(&stored("trepan", &[]), &["teacher", "cannot label new points"]);
    let born_again = stored("born-again", &[]);
    assert!(born_again.status.success(), "{}", String::from_utf8_lossy(&born_again.stderr));
    let beta_file = dir.path().join("beta.json");
    let data = scored.to_str().unwrap();
    let beta = stored("beta", &["--out", beta_file.to_str().unwrap()]);
    assert!(beta.status.success(), "{}", String::from_utf8_lossy(&beta.stderr));
    let text = String::from_utf8(kd(&["explain", beta_file.to_str().unwrap()]).stdout).unwrap();
    assert!(text.starts_with("beta model of column:p") && text.contains("Otherwise"), "{text}");
    // kd predict scores rows with the decision set (its class, one-hot); a hole is refused.
    let predicted = kd(&["predict", "--model", beta_file.to_str().unwrap(), "--data", data]);
    let csv = String::from_utf8(predicted.stdout).unwrap();
    assert!(csv.starts_with("line,p_0,p_1\n"), "{csv}");
    for line in csv.lines().skip(1) {
        assert!(line.ends_with(",0,1") || line.ends_with(",1,0"), "{line}");
    }
    std::fs::write(&scored_holes, "x,z,y,p\n1,,0,0.3\n").unwrap();
    let holes =
        kd(&["predict", "--model", beta_file.to_str().unwrap(), "--data", scored_holes.to_str().unwrap()]);
    assert_exit_2(&holes, &["line 2, column 'z'", "missing value"]);
    let teacher = credit_teacher(dir.path());
    let out = extract(&teacher, "bastani", &["--samples-per-node", "1"]);
    assert_exit_2(&out, &["samples_per_node", "at least 2"]);
    let out = stored("cart", &["--max-leaves", "1"]);
    assert_exit_2(&out, &["max_leaves", "at least 2"]);
}
