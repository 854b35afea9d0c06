//! `kd --help` and `kd describe`, driving the real binary on shipped and malformed files.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, data, kd};

#[test]
fn help_lists_the_subcommands() {
    let out = kd(&["--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("describe"));
}

#[test]
fn describe_reports_types_levels_and_ranges_as_json() -> anyhow::Result<()> {
    let file = data("credit/german_credit.csv");
    let out = kd(&["describe", "--data", file.to_str().unwrap_or_default(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(doc["n_rows"], 1000);
    assert_eq!(doc["n_columns"], 21);
    let columns = doc["columns"].as_array().expect("columns");
    let age = columns.iter().find(|c| c["name"] == "age_in_years").expect("age");
    assert_eq!(
        (age["kind"].as_str(), age["min"].as_f64(), age["max"].as_f64()),
        (Some("numeric"), Some(19.0), Some(75.0))
    );
    let target = columns.iter().find(|c| c["name"] == "creditability").expect("target");
    assert_eq!(target["levels"], serde_json::json!(["bad", "good"]));
    assert_eq!(target["missing"], 0);
    Ok(())
}

#[test]
fn describe_prints_a_table_by_default() {
    let file = data("statsmodels/longley.csv");
    let out = kd(&["describe", "--data", file.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("16 rows, 8 columns") && text.contains("TOTEMP"), "{text}");
}

fn assert_bad_input(contents: &str, words: &[&str]) {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, contents).expect("write");
    assert_exit_2(&kd(&["describe", "--data", path.to_str().unwrap_or_default(), "--format", "json"]), words);
}

#[test]
fn a_malformed_file_is_named_with_its_line_and_exit_code_2() {
    assert_bad_input("a,b\n1,2\n3,oops\n", &["bad.csv, line 3, column 2 ('b')", "'oops' is not a number"]);
    assert_bad_input("a,b\n1,2\n3,4,5\n", &["bad.csv, line 3", "3 fields"]);
    assert_bad_input("", &["bad.csv", "empty"]);
    assert_bad_input("a,b\n1,inf\n", &["line 2", "infinity"]);
}

#[test]
fn bad_arguments_exit_with_code_2() {
    assert_eq!(kd(&["describe"]).status.code(), Some(2));
    let out = kd(&["describe", "--data", "/no/such.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such.csv"));
}
