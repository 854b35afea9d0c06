//! `kd distill` end to end: a scikit-learn random forest served over the `cmd:` protocol and a
//! stored-score teacher, distilled into trees; the saved student and the predictions file.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use kd::students::{SavedStudent, Student};
use serde_json::Value;

#[test]
fn a_random_forest_distills_into_a_faithful_tree() {
    let data = common::data("sklearn/breast_cancer.csv");
    let dir = tempfile::tempdir().unwrap();
    let teacher = common::sklearn_teacher("sklearn/breast_cancer.csv", "target", "random_forest", dir.path());
    let (out_file, predictions) = (dir.path().join("student.json"), dir.path().join("predictions.csv"));
    let out = common::distill(
        data.to_str().unwrap(),
        "target",
        &teacher,
        &[
            "--max-leaves",
            "16",
            "--seed",
            "3",
            "--out",
            out_file.to_str().unwrap(),
            "--predictions",
            predictions.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["student"].as_str(), r["task"].as_str()), (Some("tree"), Some("binary")));
    assert_eq!(r["n_train"].as_u64().unwrap() + r["n_test"].as_u64().unwrap(), 569);
    assert!(r["fidelity"]["agreement"].as_f64().unwrap() > 0.85, "{r}");
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.5, "{r}");
    assert!(r["performance"]["teacher"]["auroc"].as_f64().unwrap() > 0.9);
    assert!(r["complexity"]["n_leaves"].as_u64().unwrap() <= 16);

    let saved = SavedStudent::from_json(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(saved.features.len(), 30);
    assert!(matches!(saved.student, Student::Tree(_)));
    let model = out_file.to_str().unwrap();
    let rules = String::from_utf8(kd(&["explain", model, "--format", "rules"]).stdout).unwrap();
    let coverage: f64 = rules
        .lines()
        .map(|l| l.split("covers ").nth(1).unwrap().split('%').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((coverage - 100.0).abs() < 0.5, "the rules cover every training row: {rules}");
    assert_eq!(rules.lines().count() as u64, r["complexity"]["n_leaves"].as_u64().unwrap());
    assert!(
        String::from_utf8(kd(&["explain", model, "--format", "dot"]).stdout)
            .unwrap()
            .starts_with("digraph tree {")
    );
    assert!(String::from_utf8(kd(&["explain", model]).stdout).unwrap().contains("|--- "));
    let lines = std::fs::read_to_string(&predictions).unwrap();
    assert_eq!(lines.lines().count() as u64, r["n_test"].as_u64().unwrap() + 1);
    assert!(lines.starts_with("line,teacher_0,teacher_1,student_0,student_1"));
}

#[test]
fn a_stored_score_teacher_and_the_outcome_model_work_without_querying() {
    let data = common::root().join("tests/golden/validation/german_pd_current.csv");
    let data = data.to_str().unwrap();
    for extra in [&[][..], &["--labels"][..], &["--max-bins", "32", "--ccp-alpha", "0.001"][..]] {
        let mut args = vec![
            "distill",
            "--data",
            data,
            "--target",
            "default",
            "--teacher",
            "column:pd",
            "--max-depth",
            "3",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = kd(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["fitted_to"], if extra == ["--labels"] { "labels" } else { "teacher" });
        assert!(r["complexity"]["depth"].as_u64().unwrap() <= 3);
    }
}

#[test]
fn a_logistic_student_reports_its_coefficients() {
    let data = common::root().join("tests/golden/validation/german_pd_current.csv");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("logistic.json");
    let features = "duration_in_month,credit_amount,age_in_years";
    let args = ["distill", "--data", data.to_str().unwrap(), "--target", "default", "--teacher", "column:pd"];
    let mut json = args.to_vec();
    json.extend([
        "--student",
        "logistic",
        "--features",
        features,
        "--scorecard",
        "4",
        "--out",
        model.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let out = kd(&json);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["student"], "logistic");
    assert_eq!(r["complexity"]["n_coefficients"], 4);
    assert!(r["fidelity"]["agreement"].as_f64().unwrap() > 0.9, "{r}");
    let explained = String::from_utf8(kd(&["explain", model.to_str().unwrap()]).stdout).unwrap();
    assert!(explained.contains("duration_in_month") && explained.contains("std error"), "{explained}");
    assert!(explained.contains("600 points = good:bad odds 50:1, 20 points double the odds"), "{explained}");
    let saved = SavedStudent::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let Student::Logistic(logistic) = saved.student else { panic!("a logistic student") };
    assert!(logistic.scorecard.is_some_and(|card| card.bins.len() <= 12));
    assert_exit_2(&kd(&["explain", model.to_str().unwrap(), "--format", "dot"]), &["describe trees"]);
    let mut categorical = args.to_vec();
    categorical.extend(["--student", "logistic", "--features", "housing"]);
    assert_exit_2(&kd(&categorical), &["'housing' is categorical"]);
    let iris = common::data("sklearn/iris.csv");
    let cmd = format!(
        "cmd:{} {} --train {} --target target",
        common::python_with_sklearn(),
        common::root().join("examples/teachers/sklearn_teacher.py").display(),
        iris.display()
    );
    let multiclass = common::distill(
        iris.to_str().unwrap(),
        "target",
        &cmd,
        &["--student", "logistic", "--l2", "0.1", "--format", "json"],
    );
    // Three classes: the multinomial form, one coefficient table per class against class 0.
    assert!(multiclass.status.success(), "{}", String::from_utf8_lossy(&multiclass.stderr));
    let r: Value = serde_json::from_slice(&multiclass.stdout).unwrap();
    assert_eq!(r["complexity"]["n_coefficients"], 10, "{r}");
    assert!(r["fidelity"]["agreement"].as_f64().unwrap() > 0.9, "{r}");
    // Its AUROC is Hand & Till's M over the three classes' pairs.
    assert!(r["performance"]["student"]["auroc"].as_f64().unwrap() > 0.9, "{r}");
}

#[test]
fn a_test_file_is_read_with_the_training_files_codes() {
    let golden = common::root().join("tests/golden/validation");
    let (train, test) = (golden.join("german_pd_baseline.csv"), golden.join("german_pd_current.csv"));
    let out = common::distill(
        train.to_str().unwrap(),
        "default",
        "column:pd",
        &["--test", test.to_str().unwrap(), "--max-depth", "3", "--format", "json"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["n_train"].as_u64(), r["n_test"].as_u64()), (Some(500), Some(500)));
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.0, "{r}");

    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("train.csv"), dir.path().join("test.csv"));
    std::fs::write(&a, "colour,x,y,p\nred,1,0,0.2\nblue,2,1,0.7\nred,3,0,0.3\nblue,4,1,0.8\n").unwrap();
    std::fs::write(&b, "colour,x,y,p\nred,1,0,0.2\ngreen,2,1,0.7\n").unwrap();
    let unseen = common::distill(a.to_str().unwrap(), "y", "column:p", &["--test", b.to_str().unwrap()]);
    assert_exit_2(&unseen, &["test.csv, line 3, 'colour': level 'green' does not occur in"]);
}

#[test]
fn bad_teachers_and_files_are_refused() {
    let data = common::data("sklearn/iris.csv");
    let data = data.to_str().unwrap();
    assert_exit_2(&common::distill(data, "target", "sql:select", &[]), &["unknown teacher kind 'sql'"]);
    assert_exit_2(&common::distill(data, "target", "column:nope", &[]), &["no column named 'nope'"]);
    assert_exit_2(&common::distill(data, "target", "cmd:exit 3", &[]), &["teacher 'cmd:exit 3', batch 0"]);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not-a-student.json");
    std::fs::write(&bad, "{\"format\": \"kd-student\", \"version\": 99}").unwrap();
    let error = SavedStudent::from_json(&std::fs::read_to_string(&bad).unwrap()).unwrap_err();
    assert!(error.to_string().contains("format version 99"), "{error}");
    assert_exit_2(&kd(&["explain", bad.to_str().unwrap()]), &["format version 99"]);
    std::fs::write(&bad, "{\"format\": \"kd-student\", \"version\": 1, \"task\": 3}").unwrap();
    assert_exit_2(&kd(&["explain", bad.to_str().unwrap()]), &["corrupt student file"]);
    assert_exit_2(&kd(&["explain", "/no/model.json"]), &["/no/model.json"]);
    let bins = common::distill(data, "target", "cmd:sleep 60", &["--max-bins", "999"]);
    assert_exit_2(&bins, &["max_bins"]);
    // The teacher's output column named as a feature: the student would copy the teacher.
    let leaky = dir.path().join("leaky.csv");
    let rows: String = (0..40).map(|i| format!("{i},{},{}\n", f64::from(i) / 40.0, i % 2)).collect();
    std::fs::write(&leaky, format!("x,p,y\n{rows}")).unwrap();
    let leaky = leaky.to_str().unwrap();
    assert_exit_2(
        &kd(&["distill", "--data", leaky, "--target", "y", "--features", "x,p", "--teacher", "column:p"]),
        &["'p' holds the teacher's output"],
    );
}

#[test]
fn a_scorecard_student_and_level_set_splits() {
    let data = common::root().join("tests/golden/validation/german_pd_current.csv");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("scorecard.json");
    let base = ["distill", "--data", data.to_str().unwrap(), "--target", "default", "--teacher", "column:pd"];
    let features = ["--features", "duration_in_month,credit_amount,age_in_years,housing"];
    let mut args = base.to_vec();
    args.extend(features);
    args.extend(["--student", "scorecard", "--bins", "10", "--pdo", "40", "--out", model.to_str().unwrap()]);
    args.extend(["--format", "json"]);
    let out = kd(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["student"].as_str(), r["complexity"]["n_features"].as_u64()), (Some("scorecard"), Some(4)));
    assert!(r["fidelity"]["agreement"].as_f64().unwrap() > 0.8, "{r}");
    let text = String::from_utf8(kd(&["explain", model.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("40 points double the odds") && text.contains("housing"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("housing") && l.contains('{')), "{text}");
    let json = kd(&["explain", model.to_str().unwrap(), "--format", "json"]);
    let explained: Value = serde_json::from_slice(&json.stdout).unwrap();
    let table = explained["points_table"].as_array().unwrap();
    let saved = SavedStudent::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let Student::Scorecard(card) = &saved.student else { panic!("a scorecard") };
    assert_eq!(table.len(), card.features.iter().map(|f| f.bins.len()).sum::<usize>());
    assert!(table.iter().all(|row| row["points"].is_number() && row["woe"].is_number()));
    // Naming class 0 the bad outcome mirrors the card: every class's WoE and points change
    // sign, and the predictions stay probabilities of the same classes.
    let flipped = dir.path().join("flipped.json");
    let mut args = base.to_vec();
    args.extend(features);
    args.extend(["--student", "scorecard", "--bins", "10", "--pdo", "40", "--bad-class", "0"]);
    args.extend(["--out", flipped.to_str().unwrap(), "--format", "json"]);
    let out = kd(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r0: Value = serde_json::from_slice(&out.stdout).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
    assert!(close(r0["fidelity"]["r2"].as_f64().unwrap(), r["fidelity"]["r2"].as_f64().unwrap()), "{r0}");
    let saved0 = SavedStudent::from_json(&std::fs::read_to_string(&flipped).unwrap()).unwrap();
    let Student::Scorecard(card0) = &saved0.student else { panic!("a scorecard") };
    assert_eq!((card0.params.bad_class, card.params.bad_class), (0, 1));
    // Per feature, its classes' (WoE, points) sorted by WoE; categorical classes are ordered by
    // bad rate, so that order reverses.
    let classes = |f: &kd::students::scorecard::WoeFeature, sign: f64| {
        let mut c: Vec<(f64, f64)> = f.bins.iter().map(|b| (sign * b.woe, sign * b.points)).collect();
        c.sort_by(|a, b| a.0.total_cmp(&b.0));
        c
    };
    for (f0, f1) in card0.features.iter().zip(&card.features) {
        for ((w0, p0), (w1, p1)) in classes(f0, 1.0).into_iter().zip(classes(f1, -1.0)) {
            assert!(close(w0, w1) && close(p0, p1), "{}: {w0} {p0} against {w1} {p1}", f0.name);
        }
    }
    let mut args = base.to_vec();
    args.extend(["--student", "scorecard", "--bad-class", "defaulted"]);
    assert_exit_2(&kd(&args), &["bad_class", "'defaulted' is not a label"]);
    let iris = common::data("sklearn/iris.csv");
    let multiclass =
        ["distill", "--data", iris.to_str().unwrap(), "--target", "target", "--teacher", "cmd:sleep 60"];
    let mut args = multiclass.to_vec();
    args.extend(["--student", "scorecard"]);
    assert_exit_2(&kd(&args), &["scorecard student needs a binary task"]);

    let tree = dir.path().join("tree.json");
    for splits in ["native", "codes"] {
        let mut args = base.to_vec();
        args.extend(["--features", "housing", "--max-depth", "1", "--categorical-splits", splits]);
        args.extend(["--out", tree.to_str().unwrap(), "--format", "json"]);
        let out = kd(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(kd(&["explain", tree.to_str().unwrap()]).stdout).unwrap();
        let level_set = text.contains("housing in {") && text.contains("housing not in {");
        assert_eq!(
            (level_set, text.contains("housing <= ")),
            (splits == "native", splits == "codes"),
            "{text}"
        );
    }
}

#[test]
fn a_scorecard_gives_a_level_found_only_in_held_out_rows_its_neutral_class() {
    // One row of 200 holds level 'rare': where the split holds it out, the scorecard has no
    // training rows for it, scores it with WoE 0 and no points, and says so in its table.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rare.csv");
    let mut csv = String::from("x,c,y\n");
    for i in 0..200u32 {
        let level = if i == 7 { "rare" } else { ["a", "b", "c"][(i % 3) as usize] };
        let x = f64::from(i % 17) / 17.0;
        let y = u8::from((i * 7919) % 10 < if level == "a" { 7 } else { 4 });
        csv.push_str(&format!("{x},{level},{y}\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let mut neutral = 0;
    for seed in 1..=20 {
        let seed = seed.to_string();
        let flags = ["--student", "scorecard", "--seed", &seed];
        let out = common::distill(file.to_str().unwrap(), "y", "column:y", &flags);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "seed {seed}: {}", String::from_utf8_lossy(&out.stderr));
        neutral += usize::from(text.contains("{rare} or unseen"));
    }
    assert!(neutral > 0, "in 20 splits the rare level was never held out");
}
