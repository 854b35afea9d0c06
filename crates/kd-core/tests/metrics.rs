//! kd-core's metrics against scikit-learn and scipy (tests/golden/metrics, made by gen.py).
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::metrics;
use kd_test_support::{Tolerance, assert_close};
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use serde_json::Value;

fn golden(case: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../tests/golden/metrics/{case}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file")).expect("golden JSON")
}

fn vector(v: &Value) -> Array1<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Array1<f64>> = v.as_array().expect("array").iter().map(vector).collect();
    let views: Vec<_> = rows.iter().map(|r| r.view()).collect();
    ndarray::stack(ndarray::Axis(0), &views).expect("rectangular")
}

fn classes(v: &Value) -> Vec<usize> {
    v.as_array().expect("array").iter().map(|x| x.as_u64().expect("class") as usize).collect()
}

#[track_caller]
fn close(ours: f64, theirs: &Value, tolerance: f64, what: &str) {
    assert_close!(ours, theirs, Tolerance::relative(tolerance), "{what}");
}

#[test]
fn classification_metrics_match_scikit_learn() {
    for case in ["binary", "multiclass"] {
        let g = golden(case);
        let tol = g["tolerance"].as_f64().expect("tolerance");
        let (y, teacher, student) = (classes(&g["y"]), matrix(&g["teacher"]), matrix(&g["student"]));
        let predicted = metrics::argmax(teacher.view());
        close(metrics::accuracy(&y, &predicted).unwrap(), &g["accuracy"], tol, "accuracy");
        close(metrics::agreement(student.view(), teacher.view()).unwrap(), &g["agreement"], tol, "agreement");
        close(metrics::log_loss(&y, student.view()).unwrap(), &g["log_loss"], tol, "log loss");
        close(metrics::brier_score(&y, student.view()).unwrap(), &g["brier"], tol, "brier");
        close(metrics::mean_kl_divergence(teacher.view(), student.view()).unwrap(), &g["mean_kl"], tol, "KL");
        if case == "binary" {
            let score = student.column(1).to_owned();
            close(metrics::auroc(&y, score.view()).unwrap(), &g["auroc"], tol, "auroc");
            let tied = score.mapv(|s| (s * 10.0).round() / 10.0);
            close(metrics::auroc(&y, tied.view()).unwrap(), &g["auroc_tied"], tol, "auroc with ties");
            // For two classes Hand & Till's M is the AUROC.
            close(
                metrics::auroc_hand_till(&y, student.view()).unwrap(),
                &g["auroc"],
                tol,
                "M of two classes",
            );
        } else {
            close(metrics::auroc_hand_till(&y, student.view()).unwrap(), &g["auroc_hand_till"], tol, "M");
            // Renaming the classes (their columns with them) leaves M as it is.
            let renamed: Vec<usize> = y.iter().map(|&c| (c + 1) % 3).collect();
            let moved =
                ndarray::stack![ndarray::Axis(1), student.column(2), student.column(0), student.column(1)];
            close(
                metrics::auroc_hand_till(&renamed, moved.view()).unwrap(),
                &g["auroc_hand_till"],
                tol,
                "M renamed",
            );
            for (k, theirs) in g["auroc_one_against_rest"].as_array().unwrap().iter().enumerate() {
                let rest: Vec<usize> = y.iter().map(|&c| usize::from(c == k)).collect();
                close(
                    metrics::auroc(&rest, student.column(k)).unwrap(),
                    theirs,
                    tol,
                    "class against the rest",
                );
            }
        }
    }
}

#[test]
fn regression_metrics_match_scikit_learn() {
    let g = golden("regression");
    let tol = g["tolerance"].as_f64().expect("tolerance");
    let (y, pred) = (vector(&g["y"]), vector(&g["pred"]));
    close(metrics::r2(y.view(), pred.view()).unwrap(), &g["r2"], tol, "r2");
    close(metrics::rmse(y.view(), pred.view()).unwrap(), &g["rmse"], tol, "rmse");
}

#[test]
fn undefined_metrics_are_errors_not_nan() {
    let constant = ndarray::array![1.0, 1.0, 1.0];
    assert!(metrics::r2(constant.view(), constant.view()).is_err());
    assert!(metrics::auroc(&[1, 1, 1], constant.view()).is_err());
    assert!(metrics::auroc(&[0, 2, 1], constant.view()).is_err());
    assert!(metrics::accuracy(&[], &[]).is_err());
    assert!(metrics::accuracy(&[0, 1], &[0]).is_err());
    let bad = ndarray::array![[0.5, 0.5], [1.5, -0.5]];
    assert!(metrics::log_loss(&[0, 1], bad.view()).is_err());
    let three = ndarray::array![[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]];
    assert!(metrics::auroc_hand_till(&[0, 1, 1], three.view()).is_err(), "class 2 has no rows");
    assert!(metrics::auroc_hand_till(&[0, 1, 2], three.view()).is_ok());
}

#[test]
fn kl_is_zero_for_equal_and_infinite_for_impossible_classes() {
    let p = ndarray::array![[0.2, 0.8], [1.0, 0.0]];
    assert_eq!(metrics::mean_kl_divergence(p.view(), p.view()).unwrap(), 0.0);
    let q = ndarray::array![[0.2, 0.8], [0.0, 1.0]];
    assert_eq!(metrics::mean_kl_divergence(p.view(), q.view()).unwrap(), f64::INFINITY);
}

proptest! {
    #[test]
    fn auroc_is_unchanged_by_increasing_maps_and_flips_under_negation(
        pairs in proptest::collection::vec((0usize..2, -50i32..50), 2..200)
    ) {
        let y: Vec<usize> = pairs.iter().map(|p| p.0).collect();
        prop_assume!(y.contains(&0) && y.contains(&1));
        let score: Array1<f64> = pairs.iter().map(|p| f64::from(p.1) / 10.0).collect();
        let auc = metrics::auroc(&y, score.view()).unwrap();
        let mapped = score.mapv(|s| s.exp() * 3.0 + 1.0);
        prop_assert!((metrics::auroc(&y, mapped.view()).unwrap() - auc).abs() < 1e-12);
        let negated = score.mapv(|s| -s);
        prop_assert!((metrics::auroc(&y, negated.view()).unwrap() - (1.0 - auc)).abs() < 1e-12);
        prop_assert!((0.0..=1.0).contains(&auc));
    }
}
