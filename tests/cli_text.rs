//! `kd describe` on a text column and `kd distill --text … --student sparse` end to end on
//! the shipped SMS messages (the example text teacher, a logistic model to keep the test
//! short), the saved student through `kd explain`, and the errors for unusable text.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, data, kd, python_with_sklearn, root};
use serde_json::Value;

/// `kd distill` of `file`'s `label` from its text column `column` into `student`, then `rest`.
fn distill_text(
    file: &str,
    column: &str,
    student: &str,
    teacher: &str,
    rest: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "distill",
        "--data",
        file,
        "--target",
        "label",
        "--text",
        column,
        "--student",
        student,
        "--teacher",
        teacher,
    ];
    args.extend_from_slice(rest);
    kd(&args)
}

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap()
}

#[test]
fn describe_reports_the_text_column() {
    let sms = data("text/sms_spam.csv");
    let out = json(&kd(&["describe", "--data", sms.to_str().unwrap(), "--format", "json"]));
    let text = &out["columns"][1];
    assert_eq!(text["kind"], "text");
    assert_eq!(text["text"]["documents"], 5574);
    assert_eq!(text["text"]["words"]["median"], 12);
    assert!(text["text"]["vocabulary"].as_u64().unwrap() > 8000);
    assert_eq!(text["text"]["top_terms"][0][0], "i");
    assert_eq!(out["columns"][0]["kind"], "categorical");
    let table = kd(&["describe", "--data", sms.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("most frequent: i (2300)"));
}

#[test]
fn a_sparse_student_of_a_text_teacher() {
    let python = python_with_sklearn();
    let dir = tempfile::tempdir().unwrap();
    let sms = data("text/sms_spam.csv");
    let teacher = format!(
        "cmd:{python} {} --train {} --text text --target label --model logistic",
        root().join("examples/teachers/sklearn_text_teacher.py").display(),
        sms.display()
    );
    let model = dir.path().join("student.json");
    let predictions = dir.path().join("predictions.csv");
    let rest = [
        "--max-terms",
        "60",
        "--out",
        model.to_str().unwrap(),
        "--predictions",
        predictions.to_str().unwrap(),
    ];
    let report = json(&distill_text(
        sms.to_str().unwrap(),
        "text",
        "sparse",
        &teacher,
        &[&rest[..], &["--format", "json"]].concat(),
    ));
    assert_eq!(report["student"], "sparse");
    assert_eq!(report["n_test"], 1672);
    assert!(report["complexity"]["n_terms"].as_u64().unwrap() <= 60);
    assert!(report["fidelity"]["agreement"].as_f64().unwrap() > 0.93, "{}", report["fidelity"]);
    let faithful = &report["faithfulness"];
    assert_eq!(faithful["holds"], true, "{faithful}");
    assert!(faithful["top_change"].as_f64().unwrap() > faithful["random_change"].as_f64().unwrap());
    assert_eq!(report["terms"]["spam"][0]["term"], "txt", "{}", report["terms"]);
    // Each example's contributions add up to its log-odds.
    for e in report["examples"].as_array().unwrap() {
        let x = &e["explanation"];
        let sum: f64 = x["intercept"].as_f64().unwrap()
            + x["terms"].as_array().unwrap().iter().map(|t| t["contribution"].as_f64().unwrap()).sum::<f64>();
        assert!((sum - x["log_odds"].as_f64().unwrap()).abs() < 1e-12);
    }
    let rows = std::fs::read_to_string(&predictions).unwrap();
    assert_eq!(rows.lines().count(), 1673);
    // The saved student: its n-grams, and one message explained.
    let explained = kd(&["explain", model.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&explained.stdout).contains("n-grams pushing towards spam"));
    let one = json(&kd(&[
        "explain",
        model.to_str().unwrap(),
        "--message",
        "Txt WIN to claim your FREE prize",
        "--format",
        "json",
    ]));
    assert!(one["probability"].as_f64().unwrap() > 0.5, "{one}");
    let dot = kd(&["explain", model.to_str().unwrap(), "--format", "dot"]);
    assert_exit_2(&dot, &["text student"]);
}

#[test]
fn a_stored_teacher_column_works_without_the_deletion_test() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stored.csv");
    std::fs::write(&file, stored_messages(0, 40)).unwrap();
    let report = json(&distill_text(
        file.to_str().unwrap(),
        "text",
        "sparse",
        "column:p_ham,p_spam",
        &["--format", "json"],
    ));
    assert_eq!(report["fidelity"]["agreement"], 1.0);
    assert!(report["faithfulness"]["skipped"].as_str().unwrap().contains("column:"));
}

/// `n` messages of a stored teacher (`label,text,p_ham,p_spam`), every fourth spam, numbered
/// from `first`.
fn stored_messages(first: usize, n: usize) -> String {
    let mut csv = String::from("label,text,p_ham,p_spam\n");
    for i in first..first + n {
        let spam = i % 4 == 0;
        let text =
            if spam { format!("free prize txt {i} now") } else { format!("see you at home {i} later") };
        let p = if spam { 0.9 } else { 0.1 };
        csv.push_str(&format!("{},{text},{},{p}\n", if spam { "spam" } else { "ham" }, 1.0 - p));
    }
    csv
}

#[test]
fn held_out_messages_come_from_a_test_file() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = (dir.path().join("train.csv"), dir.path().join("test.csv"));
    std::fs::write(&train, stored_messages(0, 40)).unwrap();
    std::fs::write(&test, stored_messages(100, 12)).unwrap();
    let predictions = dir.path().join("predictions.csv");
    let report = json(&distill_text(
        train.to_str().unwrap(),
        "text",
        "sparse",
        "column:p_ham,p_spam",
        &[
            "--test",
            test.to_str().unwrap(),
            "--predictions",
            predictions.to_str().unwrap(),
            "--format",
            "json",
        ],
    ));
    assert_eq!((report["n_train"].as_u64(), report["n_test"].as_u64()), (Some(40), Some(12)));
    assert_eq!(report["fidelity"]["agreement"], 1.0);
    // The predictions name the test file's lines, its messages in order.
    let rows = std::fs::read_to_string(&predictions).unwrap();
    assert_eq!(rows.lines().count(), 13, "{rows}");
    assert!(rows.lines().nth(1).unwrap().starts_with("2,"), "{rows}");
    // A class the data file lacks is refused, naming the test file's line.
    let odd = dir.path().join("odd.csv");
    std::fs::write(&odd, stored_messages(100, 3).replacen("\nham,", "\nmaybe,", 1)).unwrap();
    let refused = distill_text(
        train.to_str().unwrap(),
        "text",
        "sparse",
        "column:p_ham,p_spam",
        &["--test", odd.to_str().unwrap()],
    );
    assert_exit_2(&refused, &["odd.csv", "line", "class 'maybe'", "train.csv"]);
}

fn write(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn unusable_text_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |file: &str, column: &str, student: &str| distill_text(file, column, student, "column:p", &[]);
    let empty =
        write(&dir, "label,text,p\nham,hello there,0.1\nspam,,0.9\nham,see you,0.2\nspam,win now,0.8\n");
    assert_exit_2(&run(&empty, "text", "sparse"), &["line 3", "text", "missing"]);
    let same = write(&dir, "label,text,p\nham,same words,0.1\nspam,same words,0.9\n");
    assert_exit_2(&run(&same, "text", "sparse"), &["one distinct text", "same words"]);
    assert_exit_2(&run(&same, "body", "sparse"), &["no column named 'body'"]);
    assert_exit_2(&run(&same, "text", "tree"), &["--student sparse"]);
    let sms = data("text/sms_spam.csv");
    let out = kd(&[
        "distill",
        "--data",
        sms.to_str().unwrap(),
        "--target",
        "label",
        "--student",
        "sparse",
        "--teacher",
        "column:x",
    ]);
    assert_exit_2(&out, &["--text"]);
}
