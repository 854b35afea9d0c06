//! kd's linear student against statsmodels' OLS and scikit-learn's Ridge:
//! tests/golden/linear/cases.json, made by gen.py.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, ReadOptions, Target, TaskHint, read_csv};
use kd_students::linear::{Linear, LinearParams};
use kd_test_support::{Tolerance, assert_close};
use serde_json::Value;

fn vector(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

#[track_caller]
fn close(what: &str, ours: f64, theirs: f64, tol: f64) {
    assert_close!(ours, theirs, Tolerance::relative(tol).floor(1e-12), "{what}");
}

fn load(file: &str, target: &str, exclude: &[&str]) -> (Dataset, ndarray::Array1<f64>, Vec<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = read_csv(&root.join(file), &ReadOptions::default()).unwrap();
    let spec = DatasetSpec {
        target: target.into(),
        exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
        task: TaskHint::Regression,
        ..Default::default()
    };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let Target::Values(y) = data.target() else { panic!("values") };
    let y = y.clone();
    let names = data.feature_names();
    (data, y, names)
}

#[test]
fn ols_and_ridge_match_statsmodels_and_scikit_learn() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let g: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tests/golden/linear/cases.json")).unwrap())
            .unwrap();
    let (data, y, names) = load("data/sklearn/diabetes.csv", "target", &[]);
    let ols = Linear::fit(&LinearParams::default(), data.x().view(), y.view(), &names).unwrap();
    let d = &g["diabetes"];
    for (j, c) in ols.coefficients.iter().enumerate() {
        close(&format!("estimate {}", c.name), c.estimate, vector(&d["params"])[j], 1e-9);
        close(&format!("se {}", c.name), c.std_error, vector(&d["bse"])[j], 1e-9);
        close(&format!("t {}", c.name), c.z, vector(&d["tvalues"])[j], 1e-9);
        close(&format!("p {}", c.name), c.p_value, vector(&d["pvalues"])[j], 1e-7);
    }
    close("sigma", ols.sigma, d["sigma"].as_f64().unwrap(), 1e-10);

    let ridge = Linear::fit(&LinearParams { l2: 10.0 }, data.x().view(), y.view(), &names).unwrap();
    for (c, r) in ridge.coefficients.iter().zip(vector(&g["ridge"]["params"])) {
        close(&format!("ridge {}", c.name), c.estimate, r, 1e-8);
    }
    let predicted = ridge.predict(data.x().view()).unwrap();
    assert!(predicted.iter().all(|v| v.is_finite()) && predicted.len() == y.len());

    // Longley: condition number ~ 5e9; statsmodels solves by pinv, kd by the normal equations.
    let (data, y, names) = load("data/statsmodels/longley.csv", "TOTEMP", &["Obs"]);
    let fit = Linear::fit(&LinearParams::default(), data.x().view(), y.view(), &names).unwrap();
    for (j, c) in fit.coefficients.iter().enumerate() {
        close(&format!("longley {}", c.name), c.estimate, vector(&g["longley"]["params"])[j], 1e-5);
        close(&format!("longley se {}", c.name), c.std_error, vector(&g["longley"]["bse"])[j], 1e-5);
    }
}

#[test]
fn collinear_constant_and_short_inputs_are_named_errors() {
    let x = ndarray::Array2::from_shape_fn((20, 2), |(i, j)| if j == 0 { i as f64 } else { 2.0 * i as f64 });
    let y = ndarray::Array1::from_iter((0..20).map(|i| i as f64 * 0.5 + 1.0));
    let names = vec!["a".to_owned(), "b".to_owned()];
    let err = Linear::fit(&LinearParams::default(), x.view(), y.view(), &names).unwrap_err().to_string();
    assert!(err.contains("singular") && err.contains("L2"), "{err}");
    assert!(
        Linear::fit(&LinearParams { l2: 1.0 }, x.view(), y.view(), &names).is_ok(),
        "ridge resolves collinearity"
    );
    let short = x.slice(ndarray::s![..3, ..]).to_owned();
    let err =
        Linear::fit(&LinearParams::default(), short.view(), y.slice(ndarray::s![..3]), &names).unwrap_err();
    assert!(err.to_string().contains("3 rows"), "{err}");
    let err = Linear::fit(&LinearParams { l2: -1.0 }, x.view(), y.view(), &names).unwrap_err();
    assert!(err.to_string().contains("l2"), "{err}");
}

/// The cross-check of kd's own solver: the ridge path (normal equations on ndarray-linalg) at
/// a vanishing penalty gives linfa-linear's least-squares OLS, which the OLS student uses.
#[test]
fn kds_normal_equations_agree_with_linfa_linear() {
    use linfa::prelude::{DatasetBase, Fit};
    let (data, y, names) = load("data/sklearn/diabetes.csv", "target", &[]);
    let theirs =
        linfa_linear::LinearRegression::default().fit(&DatasetBase::new(data.x().view(), y.view())).unwrap();
    let ours = Linear::fit(&LinearParams { l2: 1e-12 }, data.x().view(), y.view(), &names).unwrap();
    close("intercept", ours.coefficients[0].estimate, theirs.intercept(), 1e-9);
    for (c, w) in ours.coefficients[1..].iter().zip(theirs.params()) {
        close(&format!("normal equations {}", c.name), c.estimate, *w, 1e-9);
    }
}
