//! The sparse logistic solver against scikit-learn 1.9.1's saga and scipy's L-BFGS-B optima
//! (tests/golden/sparse_logistic, made by gen.py there), and its path and budget.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_students::sparse::{SparseLogistic, SparseLogisticParams};
use ndarray::Array1;
use serde_json::Value;
use sprs::CsMat;

fn golden() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sparse_logistic/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

fn data(g: &Value) -> (CsMat<f64>, Array1<f64>) {
    let (n, p) = (g["n"].as_u64().unwrap() as usize, g["p"].as_u64().unwrap() as usize);
    let x =
        CsMat::new((n, p), usizes(&g["x"]["indptr"]), usizes(&g["x"]["indices"]), floats(&g["x"]["data"]));
    (x, Array1::from(floats(&g["y"])))
}

#[test]
fn optimum_matches_saga_and_lbfgsb() {
    let g = golden();
    let (x, y) = data(&g);
    for case in g["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let params = SparseLogisticParams {
            lambda: Some(case["lambda"].as_f64().unwrap()),
            l1_ratio: case["l1_ratio"].as_f64().unwrap(),
            n_lambdas: 30,
            tolerance: 1e-14,
            ..SparseLogisticParams::default()
        };
        let model = SparseLogistic::fit(&params, &x, y.view()).unwrap();
        let ours = model.objective(&x, y.view()).unwrap();
        let saga = case["saga"]["objective"].as_f64().unwrap();
        let lbfgsb = case["lbfgsb"]["objective"].as_f64().unwrap();
        let reference = saga.min(lbfgsb);
        // Never worse than the anchors' optimum, and equal to it within 1e-12.
        assert!(ours <= reference + 1e-13, "{name}: objective {ours} above the anchors' {reference}");
        assert!((ours - reference).abs() < 1e-12, "{name}: objective {ours} vs {reference}");
        let coef = floats(&case["saga"]["coef"]);
        let gap = coef.iter().enumerate().map(|(j, c)| (model.weight(j) - c).abs()).fold(0.0, f64::max);
        eprintln!("{name}: objective {ours} (anchors {reference}), weights within {gap:e} of saga's");
        // The objective is flat to 1e-12 along the remaining differences (more so the denser
        // the model), so weights are compared at 1e-5.
        assert!(gap < 1e-5, "{name}: weights differ from saga's by {gap:e}");
        let intercept = case["saga"]["intercept"].as_f64().unwrap();
        assert!((model.intercept - intercept).abs() < 1e-5, "{name}: intercept");
        assert_eq!(
            model.weights.len(),
            case["saga"]["n_nonzero"].as_u64().unwrap() as usize,
            "{name}: support"
        );
    }
}

#[test]
fn the_budget_picks_the_least_penalised_model_within_it() {
    let g = golden();
    let (x, y) = data(&g);
    for budget in [1, 5, 20] {
        let params = SparseLogisticParams { max_terms: Some(budget), ..SparseLogisticParams::default() };
        let model = SparseLogistic::fit(&params, &x, y.view()).unwrap();
        assert!(model.weights.len() <= budget);
        // The path went one penalty further, to a model over the budget, and stopped there.
        let last = model.path.last().unwrap();
        assert!(last.n_nonzero > budget, "budget {budget}: the path ended at {} terms", last.n_nonzero);
        assert!(last.lambda < model.lambda);
        // Penalties fall along the path and the first one has no term.
        assert!(model.path.windows(2).all(|w| w[0].lambda > w[1].lambda));
        assert_eq!(model.path[0].n_nonzero, 0);
        assert!((model.path[0].lambda - model.lambda_max).abs() < 1e-15);
    }
}

#[test]
fn bad_targets_are_refused() {
    let x = CsMat::new((2, 1), vec![0, 1, 2], vec![0, 0], vec![1.0, 2.0]);
    let params = SparseLogisticParams::default();
    let err = SparseLogistic::fit(&params, &x, ndarray::array![0.5, 1.5].view()).unwrap_err();
    assert!(err.to_string().contains("row 1") && err.to_string().contains("1.5"), "{err}");
    let err = SparseLogistic::fit(&params, &x, ndarray::array![0.0, 0.0].view()).unwrap_err();
    assert!(err.to_string().contains("both classes"), "{err}");
    let err = SparseLogistic::fit(&params, &x, ndarray::array![0.5].view()).unwrap_err();
    assert!(err.to_string().contains("shape mismatch"), "{err}");
    let bad = SparseLogisticParams { l1_ratio: 0.0, ..SparseLogisticParams::default() };
    assert!(SparseLogistic::fit(&bad, &x, ndarray::array![0.2, 0.8].view()).is_err());
}
