//! kd's exact-mode CART against scikit-learn 1.9.1 (tests/golden/tree, made by gen.py there):
//! the same predictions on every row, the same number of leaves and depth, with and without
//! missing values.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_core::data::{Dataset, DatasetSpec, ReadOptions, TaskHint, read_csv};
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::Array2;
use serde_json::Value;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let cols = rows[0].len();
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).unwrap()
}

fn params(g: &Value) -> TreeParams {
    let p = &g["params"];
    let mut params = TreeParams::default();
    if let Some(d) = p["max_depth"].as_u64() {
        params = params.max_depth(d as usize);
    }
    if let Some(l) = p["max_leaf_nodes"].as_u64() {
        params = params.max_leaves(l as usize);
    }
    if let Some(m) = p["min_samples_leaf"].as_u64() {
        params = params.min_samples_leaf(m as usize);
    }
    if let Some(a) = p["ccp_alpha"].as_f64() {
        params = params.ccp_alpha(a);
    }
    if p["criterion"] == "entropy" {
        params = params.criterion(Criterion::Entropy);
    }
    params
}

#[test]
fn trees_choose_scikit_learns_splits() {
    // Rows whose prediction may differ because of tied candidate splits. In
    // breast_cancer_depth4, the depth-3 node of 27 rows (worst_radius <= 16.795,
    // worst_concave_points > 0.1358, worst_texture > 25.67; 24 + 3 rows) splits equally well
    // (Gini proxy −3.0 both) on mean_concavity <= 0.09679 and on mean_concave_points <= 0.0541,
    // which send different rows of the full data left; scikit-learn's random feature order
    // picks the second, kd's column order the first. In breast_cancer_ccp, scikit-learn's
    // unlimited tree splits the 190 rows with worst_radius > 16.795 on worst_texture <= 19.91
    // where kd (and scikit-learn's own depth-4 tree) splits on mean_texture <= 16.11: both
    // give children of 8 + 9 and 171 + 2 rows (Gini proxy −12.424 both); pruning keeps that
    // split, and the two thresholds send 4 rows differently.
    for (case, tied_rows) in [
        ("breast_cancer_depth4", 2),
        ("breast_cancer_full", 0),
        ("wine_entropy_8_leaves", 0),
        ("diabetes_depth5_leaf5", 0),
        ("diabetes_16_leaves", 0),
        ("wine_soft_targets_depth3", 0),
        ("breast_cancer_ccp", 4),
        ("diabetes_ccp", 0),
        ("breast_cancer_missing_depth4", 0),
        ("breast_cancer_missing_leaf10", 0),
        ("diabetes_missing_16_leaves", 0),
        ("diabetes_missing_presence", 0),
    ] {
        let g: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("tests/golden/tree/{case}.json"))).unwrap(),
        )
        .unwrap();
        let table = read_csv(&root().join(g["data"].as_str().unwrap()), &ReadOptions::default()).unwrap();
        let spec = DatasetSpec { target: "target".into(), task: TaskHint::Regression, ..Default::default() };
        let data = Dataset::from_table(&table, &spec).unwrap();
        // Cases with missing values carry their features, NaN where scikit-learn had NaN.
        let with_holes = g.get("x").map(holes);
        let x = with_holes.as_ref().map_or(data.x().view(), |x| x.view());
        let kind = g["kind"].as_str().unwrap();
        let tree = match kind {
            "classifier" => {
                let y: Vec<usize> = serde_json::from_value(g["target"].clone()).unwrap();
                let n_classes = y.iter().max().unwrap() + 1;
                Tree::fit(&params(&g), x, TreeTarget::Classes { y: &y, n_classes }).unwrap()
            }
            _ => {
                let y = if kind == "soft" {
                    matrix(&g["target"])
                } else {
                    let v: Vec<f64> = serde_json::from_value(g["target"].clone()).unwrap();
                    Array2::from_shape_vec((v.len(), 1), v).unwrap()
                };
                let p = params(&g).criterion(Criterion::SquaredError);
                Tree::fit(&p, x, TreeTarget::Values(y.view())).unwrap()
            }
        };
        assert_eq!(tree.n_leaves() as u64, g["n_leaves"].as_u64().unwrap(), "{case}: leaves");
        assert_eq!(tree.depth() as u64, g["depth"].as_u64().unwrap(), "{case}: depth");
        let ours = tree.predict(x).unwrap();
        let theirs = matrix(&g["predictions"]);
        let scale = theirs.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let differing = (0..ours.nrows())
            .filter(|&i| (&ours.row(i) - &theirs.row(i)).iter().any(|d| d.abs() > 1e-12 * scale))
            .count();
        assert_eq!(differing, tied_rows, "{case}: rows whose prediction differs from scikit-learn's");
        if let Some(probe) = g.get("probe").map(holes) {
            // Missing values also in features that had none in training.
            let ours = tree.predict(probe.view()).unwrap();
            let theirs = matrix(&g["probe_predictions"]);
            let differing = (0..ours.nrows())
                .filter(|&i| (&ours.row(i) - &theirs.row(i)).iter().any(|d| d.abs() > 1e-12 * scale))
                .count();
            // In breast_cancer_missing_depth4 two nodes have tied best splits whose sides hold
            // the same training rows: 317 rows split 316 + 1 by worst_fractal_dimension
            // (scikit-learn) or radius_error (kd), and 3 rows split 2 + 1 by worst_smoothness or
            // mean_smoothness. The probe's new missing values send 5 rows down them differently.
            let tied = if case == "breast_cancer_missing_depth4" { 5 } else { 0 };
            assert_eq!(differing, tied, "{case}: probe rows whose prediction differs from scikit-learn's");
            let presence = tree.nodes.iter().filter(|n| n.split.is_some_and(|s| s.1 == f64::MAX)).count();
            assert_eq!(
                presence as u64,
                g["presence_splits"].as_u64().unwrap(),
                "{case}: present/missing splits"
            );
        }
    }
}

/// A matrix whose `null`s are missing values.
fn holes(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<Option<f64>>> = serde_json::from_value(v.clone()).unwrap();
    let cols = rows[0].len();
    let flat: Vec<f64> = rows.concat().into_iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    Array2::from_shape_vec((flat.len() / cols, cols), flat).unwrap()
}
