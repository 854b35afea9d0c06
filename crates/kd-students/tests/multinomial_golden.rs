//! kd's multinomial student against statsmodels' MNLogit and, with an L2 penalty, scikit-learn's
//! LogisticRegression (tests/golden/multinomial, made by its gen.py), and its behaviour on soft
//! targets.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, FeatureSelection, ReadOptions, read_csv};
use kd_students::linear::{LogisticParams, Multinomial};
use ndarray::Array2;
use serde_json::Value;

fn wine() -> (Dataset, Array2<f64>, Vec<String>, Value) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let g: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/golden/multinomial/cases.json")).unwrap(),
    )
    .unwrap();
    let names: Vec<String> = serde_json::from_value(g["features"].clone()).unwrap();
    let table = read_csv(&root.join("data/sklearn/wine.csv"), &ReadOptions::default()).unwrap();
    let spec = DatasetSpec {
        target: "target".into(),
        features: FeatureSelection::Named(names.clone()),
        ..Default::default()
    };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let y = data.classes().unwrap();
    let onehot = Array2::from_shape_fn((y.len(), 3), |(i, c)| f64::from(u8::from(y[i] == c)));
    (data, onehot, names, g)
}

/// Each class's estimates (intercept first) equal `theirs` (one list per non-reference class)
/// to 1e-7 relative.
#[track_caller]
fn same_estimates(fit: &Multinomial, theirs: &Value, what: &str) {
    let theirs: Vec<Vec<f64>> = serde_json::from_value(theirs.clone()).unwrap();
    assert_eq!(fit.coefficients.len(), theirs.len(), "{what}");
    for (c, (class, expected)) in fit.coefficients.iter().zip(&theirs).enumerate() {
        for (coef, &p) in class.iter().zip(expected) {
            let close = (coef.estimate - p).abs() <= 1e-7 * p.abs().max(1.0);
            assert!(close, "{what}, class {} {}: {} vs {p}", c + 1, coef.name, coef.estimate);
        }
    }
}

#[test]
fn matches_statsmodels_mnlogit() {
    let (data, onehot, names, g) = wine();
    let fit = Multinomial::fit(&LogisticParams::default(), data.x().view(), onehot.view(), &names).unwrap();
    same_estimates(&fit, &g["params"], "statsmodels");
    let bse: Vec<Vec<f64>> = serde_json::from_value(g["bse"].clone()).unwrap();
    for (c, class) in fit.coefficients.iter().enumerate() {
        for (j, coef) in class.iter().enumerate() {
            let s = bse[c][j];
            assert!(
                (coef.std_error - s).abs() <= 1e-6 * s,
                "class {} {} se: {} vs {s}",
                c + 1,
                coef.name,
                coef.std_error
            );
        }
    }
    let proba = fit.predict_proba(data.x().view()).unwrap();
    assert!(proba.rows().into_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
}

#[test]
fn with_an_l2_penalty_matches_scikit_learn() {
    let (data, onehot, names, g) = wine();
    for case in g["penalised"].as_array().unwrap() {
        let l2 = case["l2"].as_f64().unwrap();
        let params = LogisticParams { l2, max_iter: 200, ..LogisticParams::default() };
        let fit = Multinomial::fit(&params, data.x().view(), onehot.view(), &names).unwrap();
        same_estimates(&fit, &case["params"], &format!("scikit-learn, λ {l2}"));
        let proba = fit.predict_proba(data.x().view()).unwrap();
        let theirs: Vec<Vec<f64>> = serde_json::from_value(case["proba"].clone()).unwrap();
        for (row, expected) in proba.rows().into_iter().zip(&theirs) {
            for (a, b) in row.iter().zip(expected) {
                assert!((a - b).abs() <= 1e-9, "λ {l2}: probability {a} vs {b}");
            }
        }
    }
}

#[test]
fn soft_targets_from_a_model_give_back_that_model() {
    let (data, onehot, names, _) = wine();
    let first = Multinomial::fit(&LogisticParams::default(), data.x().view(), onehot.view(), &names).unwrap();
    let soft = first.predict_proba(data.x().view()).unwrap();
    let again = Multinomial::fit(&LogisticParams::default(), data.x().view(), soft.view(), &names).unwrap();
    for (a, b) in first.coefficients.iter().flatten().zip(again.coefficients.iter().flatten()) {
        assert!(
            (a.estimate - b.estimate).abs() < 1e-6 * a.estimate.abs().max(1.0),
            "{}: {} vs {}",
            a.name,
            a.estimate,
            b.estimate
        );
    }
    let two = Array2::from_shape_fn((onehot.nrows(), 2), |(i, c)| {
        if c == 0 { 1.0 - onehot[[i, 0]] } else { onehot[[i, 0]] }
    });
    assert!(
        Multinomial::fit(&LogisticParams::default(), data.x().view(), two.view(), &names)
            .unwrap_err()
            .to_string()
            .contains("at least 3")
    );
    let mut bad = soft.clone();
    bad[[5, 1]] += 0.5;
    let err = Multinomial::fit(&LogisticParams::default(), data.x().view(), bad.view(), &names).unwrap_err();
    assert!(err.to_string().contains("row 5"), "{err}");
}
