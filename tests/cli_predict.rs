//! `kd predict`: a saved student's outputs and reasons for the rows of a file, driven through
//! the real binary on German credit; the unseen-value policy; its errors.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;
#[path = "common/scoring.rs"]
mod scoring;

use common::{assert_exit_2, kd};
use scoring::{column, credit_with_holes, credit_with_teacher, fit, read_csv, with_cell};

fn predict(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let out = kd(&[&["predict"], args].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    read_csv(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn a_scorecard_scores_every_row_with_reason_codes_ordered_by_points_below_the_best() {
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let model = fit(
        dir.path(),
        &file,
        "creditability",
        "column:teacher",
        "card",
        &["--student", "scorecard", "--bad-class", "bad"],
    );
    let (header, rows) =
        predict(&["--model", model.to_str().unwrap(), "--data", file.to_str().unwrap(), "--reasons", "3"]);
    assert_eq!(header, ["line", "p_bad", "p_good", "score", "reason_1", "reason_2", "reason_3"]);
    assert_eq!(rows.len(), 1000);
    assert_eq!(rows[0][0], "2");
    let (bad, good, score) =
        (column(&header, &rows, "p_bad"), column(&header, &rows, "p_good"), column(&header, &rows, "score"));
    // The default scaling: 600 points at good:bad odds 50, 20 points to double them.
    let factor = 20.0 / std::f64::consts::LN_2;
    for i in 0..rows.len() {
        assert!((bad[i] + good[i] - 1.0).abs() < 1e-12);
        let expected = 600.0 - factor * 50f64.ln() + factor * (good[i] / bad[i]).ln();
        assert!((score[i] - expected).abs() < 1e-8, "row {i}: score {} vs {expected}", score[i]);
        let shortfalls: Vec<f64> = rows[i][4..]
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.split(", ").last().unwrap().split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert!(shortfalls.windows(2).all(|w| w[0] >= w[1]), "row {i}: {:?}", &rows[i][4..]);
    }
    assert!(rows[1][4].contains(" points, ") && rows[1][4].ends_with("below the best"), "{}", rows[1][4]);
}

#[test]
fn a_tree_gives_its_path_as_the_reason_and_additive_students_their_largest_terms() {
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let data = file.to_str().unwrap();
    let tree = fit(dir.path(), &file, "creditability", "column:teacher", "tree", &["--max-depth", "3"]);
    let (header, rows) = predict(&["--model", tree.to_str().unwrap(), "--data", data, "--reasons", "2"]);
    assert_eq!(header, ["line", "p_bad", "p_good", "reason_1", "reason_2"]);
    assert_eq!(rows[0][3].matches(" and ").count(), 2, "a depth-3 path has three tests: {}", rows[0][3]);
    assert!(rows.iter().all(|r| r[4].is_empty()), "a tree has one reason");

    let features =
        "duration_in_month,credit_amount,age_in_years,installment_rate_in_percentage_of_disposable_income";
    let logistic = fit(
        dir.path(),
        &file,
        "creditability",
        "column:teacher",
        "logistic",
        &["--student", "logistic", "--features", features],
    );
    let (header, rows) = predict(&["--model", logistic.to_str().unwrap(), "--data", data, "--reasons", "4"]);
    let size =
        |r: &str| r.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse::<f64>().unwrap().abs();
    for row in &rows {
        let sizes: Vec<f64> = row[3..7].iter().map(|r| size(r)).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{row:?}");
        assert!(row[3].ends_with("to the log-odds of good"), "{}", row[3]);
    }
    assert_eq!(header.len(), 7);
}

#[test]
fn unseen_levels_and_out_of_range_values_are_errors_unless_the_fallback_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let card = fit(dir.path(), &file, "creditability", "column:teacher", "card", &["--student", "scorecard"]);
    let tree = fit(dir.path(), &file, "creditability", "column:teacher", "tree", &["--max-depth", "4"]);
    let unseen = with_cell(dir.path(), &file, "radio/television", "spaceship");
    let (card, tree, unseen_path) =
        (card.to_str().unwrap(), tree.to_str().unwrap(), unseen.to_str().unwrap());

    let out = kd(&["predict", "--model", card, "--data", unseen_path]);
    assert_exit_2(&out, &["line 3", "'purpose'", "level 'spaceship' does not occur in training"]);
    // The scorecard gives the level its neutral class: WoE 0, no points for 'purpose'.
    let (header, rows) = predict(&["--model", card, "--data", unseen_path, "--unseen", "fallback"]);
    assert_eq!(header.last().map(String::as_str), Some("unscored"));
    assert!(rows.iter().all(|r| r.last().unwrap().is_empty()), "every row scored");
    let (_, plain) = predict(&["--model", card, "--data", file.to_str().unwrap()]);
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(card).unwrap()).unwrap();
    let purpose =
        saved["student"]["features"].as_array().unwrap().iter().find(|f| f["name"] == "purpose").unwrap();
    let code = purpose["levels"].as_array().unwrap().iter().position(|l| l == "radio/television").unwrap();
    let bin = purpose["bins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["levels"].as_array().unwrap().contains(&code.into()));
    let points = bin.unwrap()["points"].as_f64().unwrap();
    let score = |rows: &[Vec<String>]| {
        rows[1][header.iter().position(|h| h == "score").unwrap()].parse::<f64>().unwrap()
    };
    assert!(
        (score(&rows) - (score(&plain) - points)).abs() < 1e-9,
        "{} against {} − {points}",
        score(&rows),
        score(&plain)
    );

    // A tree sends an unseen level down the child with more training rows.
    let (_, rows) = predict(&["--model", tree, "--data", unseen_path, "--unseen", "fallback"]);
    assert!(rows.iter().all(|r| r[1].parse::<f64>().is_ok()), "every row scored");

    // Duration 48 on line 3 becomes 480, beyond the training maximum of 72.
    let far = with_cell(dir.path(), &file, ",48,", ",480,");
    let out = kd(&["predict", "--model", card, "--data", far.to_str().unwrap()]);
    assert_exit_2(&out, &["line 3", "'duration_in_month'", "480 is outside the training range [4, 72]"]);
    let (_, rows) = predict(&["--model", card, "--data", far.to_str().unwrap(), "--unseen", "fallback"]);
    assert_eq!(rows[1][1..4], plain[1][1..4], "the outermost bin holds 480 as it holds 48");
}

#[test]
fn predict_writes_a_file_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = credit_with_teacher(dir.path());
    let tree = fit(dir.path(), &file, "creditability", "column:teacher", "tree", &["--max-depth", "2"]);
    let scores = dir.path().join("scores.csv");
    let out = kd(&[
        "predict",
        "--model",
        tree.to_str().unwrap(),
        "--data",
        file.to_str().unwrap(),
        "--out",
        scores.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1000 rows scored, 0 not scored"));
    assert_eq!(std::fs::read_to_string(&scores).unwrap().lines().count(), 1001);

    let missing_column = dir.path().join("narrow.csv");
    std::fs::write(&missing_column, "duration_in_month\n12\n").unwrap();
    let out = kd(&["predict", "--model", tree.to_str().unwrap(), "--data", missing_column.to_str().unwrap()]);
    assert_exit_2(&out, &["status_of_existing_checking_account"]);
    let out = kd(&["predict", "--model", file.to_str().unwrap(), "--data", file.to_str().unwrap()]);
    assert_exit_2(&out, &["cannot load the model"]);
}

#[test]
fn with_missing_bins_a_scorecard_a_tree_and_a_gam_score_holes_and_other_students_refuse_them() {
    let dir = tempfile::tempdir().unwrap();
    let holes = credit_with_holes(dir.path());
    let flags = ["--student", "scorecard", "--bad-class", "bad", "--missing", "bin"];
    let card = fit(dir.path(), &holes, "creditability", "column:teacher", "card", &flags);
    let explained = kd(&["explain", card.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&explained.stdout);
    let missing_rows: Vec<&str> = text.lines().filter(|l| l.contains(" missing ")).collect();
    assert_eq!(missing_rows.len(), 2, "one missing bin per feature with holes: {text}");
    assert!(missing_rows.iter().any(|l| l.starts_with("duration_in_month")));

    let (header, rows) =
        predict(&["--model", card.to_str().unwrap(), "--data", holes.to_str().unwrap(), "--reasons", "20"]);
    assert_eq!(rows.len(), 1000);
    assert!(column(&header, &rows, "score").iter().all(|s| s.is_finite()));
    assert!(
        rows.iter().flatten().any(|r| r.starts_with("duration_in_month = missing (class missing)")),
        "a hole is a reason like any class"
    );

    // Fitted without --missing bin, the same card refuses a hole, naming the line and column.
    let whole = credit_with_teacher(dir.path());
    let plain =
        fit(dir.path(), &whole, "creditability", "column:teacher", "plain", &["--student", "scorecard"]);
    let out = kd(&["predict", "--model", plain.to_str().unwrap(), "--data", holes.to_str().unwrap()]);
    assert_exit_2(&out, &["line 5", "'status_of_existing_checking_account'", "no missing-value bin"]);
    let out = common::distill(
        holes.to_str().unwrap(),
        "creditability",
        "column:teacher",
        &["--student", "logistic", "--features", "duration_in_month,credit_amount", "--missing", "bin"],
    );
    assert_exit_2(&out, &["missing value; the logistic student has no missing-value bin"]);

    // A tree on the same holes: its rules say where missing values go, every row is scored,
    // and a hole it has no side for (a tree fitted without holes) is refused.
    let flags = ["--student", "tree", "--max-depth", "4", "--missing", "bin"];
    let tree = fit(dir.path(), &holes, "creditability", "column:teacher", "tree", &flags);
    let (header, rows) =
        predict(&["--model", tree.to_str().unwrap(), "--data", holes.to_str().unwrap(), "--reasons", "1"]);
    assert_eq!(rows.len(), 1000);
    assert!(column(&header, &rows, "p_bad").iter().all(|s| s.is_finite()));
    assert!(
        rows.iter()
            .flatten()
            .any(|r| r.contains("or missing") || r.contains("is missing") || r.contains("(missing)")),
        "a hole's path is named in the reasons"
    );
    let plain =
        fit(dir.path(), &whole, "creditability", "column:teacher", "plain_tree", &["--student", "tree"]);
    let out = kd(&["predict", "--model", plain.to_str().unwrap(), "--data", holes.to_str().unwrap()]);
    assert_exit_2(&out, &["no missing-value bin"]);
}
