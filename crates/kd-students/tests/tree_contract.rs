//! The tree's contract: errors on bad input and parameters, a JSON round trip that keeps
//! predictions, deterministic refits, readable exports, `Send + Sync`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use kd_students::Error;
use kd_students::tree::{Criterion, Tree, TreeParams, TreeTarget};
use ndarray::{Array2, array};
use proptest::prelude::*;

fn sample() -> (Array2<f64>, Vec<usize>) {
    let x = Array2::from_shape_fn((60, 3), |(i, j)| ((i * 7 + j * 13) % 17) as f64 + 0.1 * j as f64);
    let y = (0..60).map(|i| usize::from((i * 31 + i * i) % 7 > 3)).collect();
    (x, y)
}

#[test]
fn bad_input_and_parameters_are_named_errors() {
    let (x, y) = sample();
    let classes = TreeTarget::Classes { y: &y, n_classes: 2 };
    let params = TreeParams::default();
    let mut infinite = x.clone();
    infinite[[5, 1]] = f64::INFINITY;
    assert!(matches!(
        Tree::fit(&params, infinite.view(), classes),
        Err(Error::InvalidInput { row: 5, column: 1, .. })
    ));
    let short = TreeTarget::Classes { y: &y[..10], n_classes: 2 };
    assert!(matches!(Tree::fit(&params, x.view(), short), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(
        Tree::fit(&params.criterion(Criterion::SquaredError), x.view(), classes),
        Err(Error::InvalidParameter { .. })
    ));
    for bad in [params.min_samples_leaf(0), params.min_samples_split(1), params.max_leaves(1)] {
        assert!(matches!(Tree::fit(&bad, x.view(), classes), Err(Error::InvalidParameter { .. })));
    }
    let tree = Tree::fit(&params, x.view(), classes).unwrap();
    assert!(matches!(tree.predict(array![[1.0, 2.0]].view()), Err(Error::ShapeMismatch { .. })));
}

#[test]
fn a_json_round_trip_keeps_predictions_and_refits_are_identical() {
    let (x, y) = sample();
    let params = TreeParams::default().max_leaves(6);
    let tree = Tree::fit(&params, x.view(), TreeTarget::Classes { y: &y, n_classes: 2 }).unwrap();
    let back: Tree = serde_json::from_str(&tree.to_json().unwrap()).unwrap();
    assert_eq!(back.predict(x.view()).unwrap(), tree.predict(x.view()).unwrap());
    let again = Tree::fit(&params, x.view(), TreeTarget::Classes { y: &y, n_classes: 2 }).unwrap();
    assert_eq!(again, tree);
    assert_eq!(tree.n_leaves(), 6);
    tree.validate().unwrap();
    let mut broken = tree.clone();
    broken.nodes[0].split = Some((0, 1.0, 0, 99));
    assert!(broken.validate().is_err());
    broken.nodes.clear();
    assert!(broken.validate().is_err());
    fn send_sync<T: Send + Sync>(_: &T) {}
    send_sync(&tree);
}

#[test]
fn the_text_export_reads_like_scikit_learns() {
    let x = array![[1.0], [2.0], [3.0], [4.0]];
    let tree =
        Tree::fit(&TreeParams::default(), x.view(), TreeTarget::Classes { y: &[0, 0, 1, 1], n_classes: 2 })
            .unwrap();
    let text = tree.export_text(&["age".into()], Some(&["good".into(), "bad".into()]));
    assert_eq!(
        text,
        "|--- age <= 2.50\n|   |--- class: good (1.00)\n|--- age >  2.50\n|   |--- class: bad (1.00)\n"
    );
}

proptest! {
    #[test]
    fn leaves_respect_the_limits(seed in 0u64..1000, depth in 1usize..6, leaf in 1usize..10) {
        let x = Array2::from_shape_fn((80, 2), |(i, j)| (((i as u64 + 1) * (j as u64 + 3) * (seed + 7)) % 101) as f64);
        let y = Array2::from_shape_fn((80, 1), |(i, _)| ((i as u64 * (seed + 1)) % 13) as f64);
        let params = TreeParams::default().criterion(Criterion::SquaredError).max_depth(depth).min_samples_leaf(leaf);
        let tree = Tree::fit(&params, x.view(), TreeTarget::Values(y.view())).unwrap();
        prop_assert!(tree.depth() <= depth);
        for node in tree.nodes.iter().filter(|n| n.split.is_none()) {
            prop_assert!(node.n_samples >= leaf);
        }
        // A regression tree's leaf values are means of its rows, so they average to y's mean.
        let total: f64 = tree.nodes.iter().filter(|n| n.split.is_none()).map(|n| n.value[0] * n.n_samples as f64).sum();
        prop_assert!((total / 80.0 - y.mean().unwrap()).abs() < 1e-9);
    }
}

#[test]
fn histogram_trees_equal_exact_trees_when_bins_hold_every_value() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = kd_core::data::read_csv(&root.join("data/sklearn/digits.csv"), &Default::default()).unwrap();
    let spec = kd_core::data::DatasetSpec { target: "target".into(), ..Default::default() };
    let data = kd_core::data::Dataset::from_table(&table, &spec).unwrap();
    let y = data.classes().unwrap();
    // Digits' pixels take at most 17 values, so 32 bins keep every threshold. The same with
    // holes: a tenth of the cells missing, and in pixel 36 most of class 0's (so that the
    // missing bin matters), where both modes search the same sides for missing values.
    let mut holes = data.x().to_owned();
    for ((i, j), v) in holes.indexed_iter_mut() {
        if (i * 7 + j * 3) % 10 == 0 || (j == 36 && y[i] == 0 && i % 4 != 0) {
            *v = f64::NAN;
        }
    }
    for x in [data.x().view(), holes.view()] {
        for params in [
            TreeParams::default().max_depth(6),
            TreeParams::default().max_leaves(20).criterion(Criterion::Entropy),
        ] {
            let target = TreeTarget::Classes { y, n_classes: 10 };
            let exact = Tree::fit(&params, x, target).unwrap();
            let histogram = Tree::fit(&params.histogram(32), x, target).unwrap();
            assert_eq!(histogram.predict(x).unwrap(), exact.predict(x).unwrap());
            assert_eq!(histogram.n_leaves(), exact.n_leaves());
        }
    }
    assert!(
        Tree::fit(
            &TreeParams::default().histogram(1),
            data.x().view(),
            TreeTarget::Classes { y, n_classes: 10 }
        )
        .is_err()
    );
}

#[test]
fn missing_values_go_where_the_fit_sent_them() {
    // Class 1 exactly where feature 0 is missing: the root separates present from missing
    // values (scikit-learn's threshold of +inf, kd's f64::MAX) and sends missing ones right.
    let (mut x, _) = sample();
    let y: Vec<usize> = (0..60).map(|i| usize::from(i % 5 == 0)).collect();
    for i in (0..60).filter(|i| i % 5 == 0) {
        x[[i, 0]] = f64::NAN;
    }
    let tree =
        Tree::fit(&TreeParams::default(), x.view(), TreeTarget::Classes { y: &y, n_classes: 2 }).unwrap();
    let root = &tree.nodes[0];
    assert_eq!(root.split.map(|s| (s.0, s.1)), Some((0, f64::MAX)));
    assert_eq!(root.missing_left, Some(false));
    assert_eq!(tree.n_leaves(), 2);
    let text = tree.export_text(&["a".into(), "b".into(), "c".into()], None);
    assert!(text.contains("a is missing") && text.contains("a is not missing"), "{text}");
    // Saved and read back, the tree routes missing values alike.
    let back: Tree = serde_json::from_str(&tree.to_json().unwrap()).unwrap();
    back.validate().unwrap();
    assert_eq!(back.predict(x.view()).unwrap(), tree.predict(x.view()).unwrap());
    assert_eq!(back.predict(array![[f64::NAN, 1.0, 1.0]].view()).unwrap()[[0, 1]], 1.0);
    // A tree fitted without missing values sends them to the child with more training rows.
    let (complete, y) = sample();
    let tree = Tree::fit(
        &TreeParams::default().max_depth(1),
        complete.view(),
        TreeTarget::Classes { y: &y, n_classes: 2 },
    )
    .unwrap();
    let Some((f, _, left, right)) = tree.nodes[0].split else { panic!("no split") };
    assert_eq!(tree.nodes[0].missing_left, None);
    let mut row = complete.row(0).to_owned();
    row[f] = f64::NAN;
    let larger = if tree.nodes[left].n_samples > tree.nodes[right].n_samples { left } else { right };
    assert_eq!(tree.leaf_of(|j| row[j]), larger);
}

proptest! {
    #[test]
    fn a_categorical_features_missing_values_split_as_one_more_level(
        codes in proptest::collection::vec(0usize..5, 40..80),
        flips in proptest::collection::vec(any::<bool>(), 80),
    ) {
        // Level 4 written as missing (NaN) or as a level of its own: the same partitions are
        // searched, so the trees predict alike on every training row.
        let n = codes.len();
        let y: Vec<usize> = (0..n).map(|i| usize::from((codes[i] % 3 == 0) ^ flips[i])).collect();
        let named = |k: usize| vec![Some((0..k).map(|l| format!("l{l}")).collect::<Vec<_>>())];
        let as_level = Array2::from_shape_fn((n, 1), |(i, _)| codes[i] as f64);
        let as_missing = as_level.mapv(|v| if v == 4.0 { f64::NAN } else { v });
        let target = TreeTarget::Classes { y: &y, n_classes: 2 };
        let params = TreeParams::default().max_depth(3);
        let level = Tree::fit_with_levels(&params, as_level.view(), target, &named(5)).unwrap();
        let missing = Tree::fit_with_levels(&params, as_missing.view(), target, &named(4)).unwrap();
        prop_assert_eq!(level.predict(as_level.view()).unwrap(), missing.predict(as_missing.view()).unwrap());
    }
}
