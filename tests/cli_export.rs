//! `kd export --to sql`: the query run in SQLite (Python's sqlite3) and DuckDB (the pinned
//! `duckdb` package) on shipped data gives `kd predict`'s outputs to 1e-12, for a tree, a WoE
//! scorecard (also one with missing-value bins, a tree and a GAM, on a file with holes), a boosted GAM with a
//! pair, a logistic and a linear student, and for an extracted TREPAN m-of-n tree and BETA
//! decision set (whose query gives NULL outputs for a row with a hole).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;
#[path = "common/scoring.rs"]
mod scoring;

use std::path::Path;
use std::process::Command;

use common::{assert_exit_2, data, kd, python_with_sklearn, root};
use scoring::{column, credit_with_holes, credit_with_teacher, fit, read_csv, with_cell};

/// Runs `model`'s SQL in `engine` over `file` and compares every output with `kd predict`'s.
fn agrees_with_predict(python: &str, dir: &Path, model: &Path, file: &Path, engine: &str) {
    agrees_with_predict_under(python, dir, (model, file, engine), &[]);
}

/// [`agrees_with_predict`] with `kd predict` given `flags` too.
fn agrees_with_predict_under(
    python: &str,
    dir: &Path,
    (model, file, engine): (&Path, &Path, &str),
    flags: &[&str],
) {
    let out = kd(&["export", model.to_str().unwrap(), "--to", "sql", "--dialect", engine, "--table", "rows"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let query = dir.join(format!("query.{engine}.sql"));
    std::fs::write(&query, &out.stdout).unwrap();
    let predicted =
        kd(&[&["predict", "--model", model.to_str().unwrap(), "--data", file.to_str().unwrap()], flags]
            .concat());
    assert!(predicted.status.success(), "{}", String::from_utf8_lossy(&predicted.stderr));
    let (header, rows) = read_csv(&String::from_utf8_lossy(&predicted.stdout));
    // The outputs; with `--unseen fallback`, the `unscored` column must be empty on every row.
    let outputs: Vec<String> = header[1..].iter().filter(|h| *h != "unscored").cloned().collect();
    if let Some(k) = header.iter().position(|h| h == "unscored") {
        assert!(rows.iter().all(|r| r[k].is_empty()), "every row scored");
    }
    let script = root().join("tests/sql/run_sql.py");
    let ran = Command::new(python)
        .arg(&script)
        .args([engine, file.to_str().unwrap(), query.to_str().unwrap(), "rows", &outputs.join(",")])
        .output()
        .unwrap();
    assert!(ran.status.success(), "{engine}: {}", String::from_utf8_lossy(&ran.stderr));
    let (sql_header, sql_rows) = read_csv(&String::from_utf8_lossy(&ran.stdout));
    assert_eq!(sql_rows.len(), rows.len());
    for name in &outputs {
        let (ours, theirs) = (column(&header, &rows, name), column(&sql_header, &sql_rows, name));
        let worst = ours.iter().zip(&theirs).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        eprintln!("{}, {engine}, {name}: largest difference {worst:e}", model.display());
        assert!(worst <= 1e-12, "{engine}, {name}: largest difference {worst:e}");
    }
}

#[test]
fn every_exportable_student_scores_in_sqlite_and_duckdb_as_kd_predict_does() {
    let python = python_with_sklearn();
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let numeric =
        "duration_in_month,credit_amount,age_in_years,installment_rate_in_percentage_of_disposable_income";
    let students: Vec<(&str, Vec<&str>)> = vec![
        ("tree", vec!["--student", "tree", "--max-depth", "6"]),
        ("scorecard", vec!["--student", "scorecard", "--bad-class", "bad"]),
        ("gam", vec!["--student", "gam", "--interactions", "2", "--outer-bags", "2"]),
        ("logistic", vec!["--student", "logistic", "--features", numeric]),
    ];
    for (name, flags) in &students {
        let model = fit(dir.path(), &file, "creditability", "column:teacher", name, flags);
        for engine in ["sqlite", "duckdb"] {
            agrees_with_predict(&python, dir.path(), &model, &file, engine);
        }
    }
    // A level the training file lacks: the scorecard's neutral class, as `--unseen fallback`.
    let card = dir.path().join("scorecard.json");
    let unseen = with_cell(dir.path(), &file, "radio/television", "spaceship");
    for engine in ["sqlite", "duckdb"] {
        agrees_with_predict_under(&python, dir.path(), (&card, &unseen, engine), &["--unseen", "fallback"]);
    }
    // A scorecard with missing-value bins: a hole is NULL in the table and takes the bin's WoE.
    let holes = credit_with_holes(dir.path());
    let flags = ["--student", "scorecard", "--bad-class", "bad", "--missing", "bin"];
    let card = fit(dir.path(), &holes, "creditability", "column:teacher", "holes", &flags);
    // A tree fitted on the holes: a NULL follows the side its split learned (`IS NULL` tests).
    let tree_flags = ["--student", "tree", "--max-depth", "6", "--missing", "bin"];
    let tree = fit(dir.path(), &holes, "creditability", "column:teacher", "holes_tree", &tree_flags);
    // A boosted GAM with pairs on the holes: a NULL takes the missing-value bin.
    let gam_flags = ["--student", "gam", "--interactions", "2", "--outer-bags", "2", "--missing", "bin"];
    let gam = fit(dir.path(), &holes, "creditability", "column:teacher", "holes_gam", &gam_flags);
    for model in [&card, &tree, &gam] {
        for engine in ["sqlite", "duckdb"] {
            agrees_with_predict(&python, dir.path(), model, &holes, engine);
        }
    }
    let diabetes = data("sklearn/diabetes.csv");
    let linear = fit(dir.path(), &diabetes, "target", "column:target", "linear", &["--student", "linear"]);
    for engine in ["sqlite", "duckdb"] {
        agrees_with_predict(&python, dir.path(), &linear, &diabetes, engine);
    }
}

#[test]
fn extracted_models_score_in_sqlite_and_duckdb_as_kd_predict_does() {
    let python = python_with_sklearn();
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let credit = data("credit/german_credit.csv");
    let teacher =
        common::sklearn_teacher("credit/german_credit.csv", "creditability", "gradient_boosting", dir.path());
    let extract = |method: &str, data: &Path, teacher: &str| {
        let model = dir.path().join(format!("{method}.json"));
        let out = kd(&[
            "extract",
            "--data",
            data.to_str().unwrap(),
            "--target",
            "creditability",
            "--teacher",
            teacher,
            "--method",
            method,
            "--max-leaves",
            "8",
            "--samples-per-node",
            "200",
            "--seed",
            "2",
            "--out",
            model.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        model
    };
    let trepan = extract("trepan", &credit, &teacher);
    let beta = extract("beta", &file, "column:teacher");
    // The shapes with nothing to test: a tree that is its root alone, a set without rules.
    let reshaped = |model: &Path, name: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
        change(&mut doc["model"]);
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, doc.to_string()).unwrap();
        path
    };
    let root_alone = reshaped(&trepan, "root_alone", &|m| {
        let mut root = m["nodes"][0].clone();
        root["split"] = serde_json::Value::Null;
        m["nodes"] = serde_json::json!([root]);
    });
    let no_rules = reshaped(&beta, "no_rules", &|m| m["rules"] = serde_json::json!([]));
    for engine in ["sqlite", "duckdb"] {
        agrees_with_predict(&python, dir.path(), &trepan, &credit, engine);
        agrees_with_predict(&python, dir.path(), &beta, &file, engine);
        agrees_with_predict(&python, dir.path(), &root_alone, &credit, engine);
        agrees_with_predict(&python, dir.path(), &no_rules, &file, engine);
    }
    // A hole in a feature the model reads: NULL outputs (kd predict refuses the row).
    let text = std::fs::read_to_string(&credit).unwrap();
    let mut lines: Vec<String> = text.lines().take(3).map(str::to_owned).collect();
    let duration = lines[0].split(',').position(|c| c == "duration_in_month").unwrap();
    let mut cells: Vec<&str> = lines[2].split(',').collect();
    cells[duration] = "";
    lines[2] = cells.join(",");
    let holes = dir.path().join("hole.csv");
    std::fs::write(&holes, lines.join("\n") + "\n").unwrap();
    let query = dir.path().join("trepan.sql");
    let sql =
        kd(&["export", trepan.to_str().unwrap(), "--to", "sql", "--dialect", "sqlite", "--table", "rows"]);
    std::fs::write(&query, &sql.stdout).unwrap();
    let ran = Command::new(&python)
        .arg(root().join("tests/sql/run_sql.py"))
        .args(["sqlite", holes.to_str().unwrap(), query.to_str().unwrap(), "rows", "p_bad,p_good"])
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let (_, rows) = read_csv(&String::from_utf8_lossy(&ran.stdout));
    assert!(rows[0].iter().all(|v| !v.is_empty()), "{rows:?}");
    assert!(rows[1].iter().all(String::is_empty), "a hole in duration_in_month gives NULL: {rows:?}");
}

#[test]
fn the_sql_names_its_outputs_casts_constants_by_dialect_and_refuses_a_spline_gam() {
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let card = fit(dir.path(), &file, "creditability", "column:teacher", "card", &["--student", "scorecard"]);
    let sql = |dialect: &str| {
        let out =
            kd(&["export", card.to_str().unwrap(), "--to", "sql", "--dialect", dialect, "--table", "loans"]);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let postgres = sql("postgres");
    assert!(
        postgres.contains("AS \"p_bad\"")
            && postgres.contains("AS \"score\"")
            && postgres.contains("FROM \"loans\"")
    );
    assert!(postgres.contains("CAST(") && postgres.contains("AS DOUBLE PRECISION)"));
    assert!(sql("duckdb").contains("AS DOUBLE)") && !sql("sqlite").contains("CAST("));

    let diabetes = data("sklearn/diabetes.csv");
    let spline = fit(dir.path(), &diabetes, "target", "column:target", "spline", &["--student", "spline"]);
    let out = kd(&["export", spline.to_str().unwrap(), "--to", "sql"]);
    assert_exit_2(&out, &["spline GAM has no SQL form"]);
}
