//! `kd distill --student spline` and `kd explain` on its saved model, end to end: a stored-score
//! teacher on German credit (binary, through the logit) and a stored-value teacher on diabetes
//! (regression), the shapes as CSV and SVG, and the refusals (multiclass, categorical).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use common::{assert_exit_2, kd};
use kd::students::{SavedStudent, Student};
use serde_json::Value;

fn distill(data: &str, target: &str, teacher: &str, features: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "distill",
        "--data",
        data,
        "--target",
        target,
        "--teacher",
        teacher,
        "--student",
        "spline",
        "--features",
        features,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = kd(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_spline_student_distills_saves_and_explains_itself() {
    let data = common::root().join("tests/golden/validation/german_pd_current.csv");
    let data = data.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("spline.json");
    let features = "duration_in_month,credit_amount,age_in_years";
    let r = distill(data, "default", "column:pd", features, &["--out", model.to_str().unwrap()]);
    assert_eq!((r["student"].as_str(), r["task"].as_str()), (Some("spline"), Some("binary")));
    assert_eq!(r["complexity"]["n_coefficients"], 61);
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.7, "{r}");

    let saved = SavedStudent::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let Student::Spline(gam) = &saved.student else { panic!("a spline student") };
    assert!(gam.statistics.search.len() == 11 && gam.statistics.ubre.is_some(), "λ chosen by UBRE");
    let model = model.to_str().unwrap();
    let text = String::from_utf8(kd(&["explain", model]).stdout).unwrap();
    assert!(text.contains("spline GAM on the log-odds") && text.contains("credit_amount"), "{text}");
    let shapes = String::from_utf8(kd(&["explain", model, "--format", "shapes"]).stdout).unwrap();
    let mut lines = shapes.lines();
    assert_eq!(lines.next(), Some("term,x,score,band_lower,band_upper"));
    assert_eq!(lines.count(), 300, "100 points per term");
    let svg = String::from_utf8(kd(&["explain", model, "--format", "svg"]).stdout).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("age_in_years"), "an SVG with a panel per term");
    let json: Value = serde_json::from_slice(&kd(&["explain", model, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["student"]["kind"], "spline");
    assert_exit_2(&kd(&["explain", model, "--format", "dot"]), &["describe trees"]);

    let mut categorical = vec!["distill", "--data", data, "--target", "default", "--teacher", "column:pd"];
    categorical.extend(["--student", "spline", "--features", "housing"]);
    assert_exit_2(&kd(&categorical), &["'housing' is categorical"]);
}

#[test]
fn a_regression_teacher_with_a_fixed_lambda() {
    let data = common::data("sklearn/diabetes.csv");
    let data = data.to_str().unwrap();
    let r = distill(data, "target", "column:s5", "age,bmi,bp,s1,s2", &["--lam", "2.5", "--n-splines", "8"]);
    assert_eq!((r["student"].as_str(), r["task"].as_str()), (Some("spline"), Some("regression")));
    assert_eq!(r["complexity"]["n_coefficients"], 41);
    assert!(r["fidelity"]["r2"].as_f64().unwrap() > 0.3, "{r}");
    let iris = common::data("sklearn/iris.csv");
    let args = ["distill", "--data", iris.to_str().unwrap(), "--target", "target", "--teacher", "cmd:true"];
    let mut multiclass = args.to_vec();
    multiclass.extend(["--student", "spline"]);
    assert_exit_2(&kd(&multiclass), &["binary and regression tasks"]);
}
