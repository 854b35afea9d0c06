//! kd's logistic student against statsmodels (Logit, GLM Binomial on soft targets) and
//! scikit-learn (L2 LogisticRegression): tests/golden/logistic/cases.json, made by gen.py.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, FeatureSelection, ReadOptions, TaskHint, read_csv};
use kd_students::linear::{Logistic, LogisticParams};
use kd_test_support::{Tolerance, assert_close};
use ndarray::Array1;
use serde_json::Value;

fn vector(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

#[track_caller]
fn close(what: &str, ours: f64, theirs: f64, tol: f64) {
    assert_close!(ours, theirs, Tolerance::relative(tol).floor(1e-6), "{what}");
}

/// The breast-cancer rows with the named features, and the 0/1 target as numbers.
fn breast_cancer(names: &[String]) -> (Dataset, Array1<f64>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = read_csv(&root.join("data/sklearn/breast_cancer.csv"), &ReadOptions::default()).unwrap();
    let spec = DatasetSpec {
        target: "target".into(),
        features: FeatureSelection::Named(names.to_vec()),
        task: TaskHint::Regression,
        ..Default::default()
    };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let kd_core::data::Target::Values(y) = data.target() else { panic!("values") };
    let y = y.clone();
    (data, y)
}

#[test]
fn logistic_fits_match_statsmodels_and_scikit_learn() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let g: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/golden/logistic/cases.json")).unwrap(),
    )
    .unwrap();
    let names: Vec<String> = serde_json::from_value(g["features"].clone()).unwrap();
    let (data, y) = breast_cancer(&names);
    let x = data.x().view();
    let soft = Array1::from(vector(&g["soft_targets"]));
    // scikit-learn's L2 fit comes from L-BFGS, precise to about 1e-7 relative; statsmodels'
    // Newton fits to 1e-12.
    for (case, target, l2) in [
        ("hard", y.clone(), 0.0),
        ("soft", soft, 0.0),
        ("l2", y.clone(), 1.0 / g["l2"]["C"].as_f64().unwrap()),
    ] {
        let fit =
            Logistic::fit(&LogisticParams { l2, ..Default::default() }, x, target.view(), &names).unwrap();
        let reference = &g[case];
        for (c, theirs) in fit.coefficients.iter().zip(vector(&reference["params"])) {
            close(&format!("{case} {}", c.name), c.estimate, theirs, if case == "l2" { 1e-5 } else { 1e-7 });
        }
        if case != "l2" {
            for (c, theirs) in fit.coefficients.iter().zip(vector(&reference["bse"])) {
                close(&format!("{case} se {}", c.name), c.std_error, theirs, 1e-6);
            }
        }
        if case == "hard" {
            for (c, theirs) in fit.coefficients.iter().zip(vector(&reference["pvalues"])) {
                close(&format!("{case} p {}", c.name), c.p_value, theirs, 1e-6);
            }
        }
        let proba = fit.predict_proba(x).unwrap();
        for (i, (o, t)) in proba.iter().zip(vector(&reference["proba"])).enumerate() {
            close(&format!("{case} row {i}"), *o, t, if case == "l2" { 1e-5 } else { 1e-7 });
        }
    }
}

#[test]
fn separable_data_and_bad_targets_are_clear_errors() {
    let x = ndarray::array![[1.0], [2.0], [3.0], [4.0]];
    let names = vec!["x".to_string()];
    let separable = Logistic::fit(
        &LogisticParams::default(),
        x.view(),
        ndarray::array![0.0, 0.0, 1.0, 1.0].view(),
        &names,
    );
    assert!(separable.unwrap_err().to_string().contains("separable"));
    let penalised = Logistic::fit(
        &LogisticParams { l2: 1.0, ..Default::default() },
        x.view(),
        ndarray::array![0.0, 0.0, 1.0, 1.0].view(),
        &names,
    );
    assert!(penalised.is_ok(), "an L2 penalty makes separable data fit");
    let bad = Logistic::fit(
        &LogisticParams::default(),
        x.view(),
        ndarray::array![0.0, 1.5, 1.0, 0.0].view(),
        &names,
    );
    assert!(bad.unwrap_err().to_string().contains("row 1"));
}

#[test]
fn the_scorecard_follows_its_scaling_and_the_model() {
    use kd_students::scorecard::{QuantileScorecard, ScorecardScaling};
    let names: Vec<String> =
        ["mean_radius", "mean_texture", "mean_smoothness"].iter().map(|s| s.to_string()).collect();
    let (data, y) = breast_cancer(&names);
    let model = Logistic::fit(&LogisticParams::default(), data.x().view(), y.view(), &names).unwrap();
    let scaling = ScorecardScaling::default();
    // One bin per row: every bin mean is the row's own value, so the table gives the exact score.
    let fine = QuantileScorecard::new(&model, data.x().view(), &names, data.n_rows(), scaling).unwrap();
    let pd = model.predict_proba(data.x().view()).unwrap();
    for (i, row) in data.x().rows().into_iter().enumerate().take(50) {
        let exact = fine.score_of_pd(pd[i]);
        close(&format!("row {i} score"), fine.score(row.as_slice().unwrap(), &names), exact, 1e-9);
    }
    // The scaling: base odds at the base score, and PDO points per doubling of the odds.
    let odds_pd = |odds: f64| 1.0 / (1.0 + odds);
    close("base score", fine.score_of_pd(odds_pd(50.0)), 600.0, 1e-12);
    close("PDO", fine.score_of_pd(odds_pd(100.0)) - fine.score_of_pd(odds_pd(50.0)), 20.0, 1e-12);
    // Five bins per feature still rank the rows like the model.
    let coarse = QuantileScorecard::new(&model, data.x().view(), &names, 5, scaling).unwrap();
    assert_eq!(coarse.bins.len(), 15);
    let binned: Vec<f64> =
        data.x().rows().into_iter().map(|r| coarse.score(r.as_slice().unwrap(), &names)).collect();
    let exact: Vec<f64> = pd.iter().map(|&p| coarse.score_of_pd(p)).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mb, me) = (mean(&binned), mean(&exact));
    let cov: f64 = binned.iter().zip(&exact).map(|(b, e)| (b - mb) * (e - me)).sum();
    let sb = binned.iter().map(|b| (b - mb).powi(2)).sum::<f64>().sqrt();
    let se = exact.iter().map(|e| (e - me).powi(2)).sum::<f64>().sqrt();
    assert!(cov / (sb * se) > 0.95, "binned and exact scores correlate at {}", cov / (sb * se));
}
