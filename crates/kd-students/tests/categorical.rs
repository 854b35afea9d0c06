//! Level-set splits of categorical features: the ordered scan finds the best partition of all
//! (exhaustive search here, and on German credit against numpy and scikit-learn 1.9.1's
//! `HistGradientBoostingRegressor` in tests/golden/categorical_tree), a planted effect takes one
//! split where codes take several, unseen levels go to the larger child, and exports, pruning,
//! histograms and the saved format carry level sets.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod saved_tree;

use kd_core::data::{Dataset, DatasetSpec, ReadOptions, TaskHint, read_csv};
use kd_students::tree::{CategoricalSplits, Criterion, Tree, TreeParams, TreeTarget};
use kd_students::{Error, SavedStudent, Student};
use ndarray::{Array2, Axis, array};
use proptest::prelude::*;
use serde_json::Value;

fn level_names(levels: usize) -> Vec<Option<Vec<String>>> {
    vec![Some((0..levels).map(|l| format!("L{l}")).collect())]
}

/// `n · impurity` of the rows of `y` (one-hot classes or values).
fn weighted_impurity(y: &Array2<f64>, criterion: Criterion) -> f64 {
    let n = y.nrows() as f64;
    let Some(mean) = y.mean_axis(Axis(0)) else { return 0.0 };
    n * match criterion {
        Criterion::Gini => 1.0 - mean.iter().map(|p| p * p).sum::<f64>(),
        Criterion::Entropy => -mean.iter().filter(|&&p| p > 0.0).map(|p| p * p.log2()).sum::<f64>(),
        Criterion::SquaredError => (y - &mean).mapv(|d| d * d).sum() / n / y.ncols() as f64,
    }
}

/// The impurity decrease `n·imp − n_l·imp_l − n_r·imp_r` of sending the rows in `left` left.
fn decrease(y: &Array2<f64>, left: &[bool], criterion: Criterion) -> f64 {
    let side = |s: bool| y.select(Axis(0), &(0..left.len()).filter(|&i| left[i] == s).collect::<Vec<_>>());
    weighted_impurity(y, criterion)
        - weighted_impurity(&side(true), criterion)
        - weighted_impurity(&side(false), criterion)
}

/// The best decrease over every partition of the levels (brute force over subsets).
fn exhaustive(codes: &[usize], y: &Array2<f64>, criterion: Criterion, levels: usize) -> f64 {
    (1..(1u32 << levels) - 1)
        .map(|mask| {
            let left: Vec<bool> = codes.iter().map(|&c| mask >> c & 1 == 1).collect();
            if left.iter().all(|&l| l) || left.iter().all(|&l| !l) {
                0.0
            } else {
                decrease(y, &left, criterion)
            }
        })
        .fold(0.0, f64::max)
}

/// The decrease of a fitted stump's root split.
fn stump_decrease(tree: &Tree, codes: &[usize], y: &Array2<f64>, criterion: Criterion) -> f64 {
    let Some((_, _, left, _)) = tree.nodes[0].split else { return 0.0 };
    let x = Array2::from_shape_fn((codes.len(), 1), |(i, _)| codes[i] as f64);
    let goes_left: Vec<bool> = x.rows().into_iter().map(|r| tree.leaf_of(|f| r[f]) == left).collect();
    decrease(y, &goes_left, criterion)
}

proptest! {
    #[test]
    fn the_ordered_scan_finds_the_best_partition(seed in 0u64..500, levels in 2usize..7, criterion in 0usize..4) {
        let n = 60;
        let codes: Vec<usize> = (0..n).map(|i| ((i as u64 * 7 + seed * 13 + (i * i) as u64) % levels as u64) as usize).collect();
        let x = Array2::from_shape_fn((n, 1), |(i, _)| codes[i] as f64);
        let noise = |i: usize| (((i as u64 + 3) * (seed + 11) * 2_654_435_761) % 1000) as f64 / 1000.0;
        let (tree, y, crit) = match criterion {
            0 | 1 => {
                let crit = if criterion == 0 { Criterion::Gini } else { Criterion::Entropy };
                let y: Vec<usize> = (0..n).map(|i| usize::from(noise(i) < 0.2 + 0.12 * codes[i] as f64 * ((seed % 3) as f64 - 0.8).abs())).collect();
                let onehot = Array2::from_shape_fn((n, 2), |(i, k)| f64::from(u8::from(y[i] == k)));
                let params = TreeParams::default().criterion(crit).max_depth(1);
                let target = TreeTarget::Classes { y: &y, n_classes: 2 };
                (Tree::fit_with_levels(&params, x.view(), target, &level_names(levels)).unwrap(), onehot, crit)
            }
            2 => {
                let y = Array2::from_shape_fn((n, 1), |(i, _)| noise(i) + ((codes[i] as u64 * (seed + 5)) % 7) as f64);
                let params = TreeParams::default().criterion(Criterion::SquaredError).max_depth(1);
                (Tree::fit_with_levels(&params, x.view(), TreeTarget::Values(y.view()), &level_names(levels)).unwrap(), y, Criterion::SquaredError)
            }
            _ => {
                // Soft targets [1 − p, p] of a binary teacher: the principal direction is (−1, 1).
                let p: Vec<f64> = (0..n).map(|i| (0.3 * noise(i) + 0.1 * ((codes[i] as u64 * (seed + 3)) % 7) as f64).min(1.0)).collect();
                let y = Array2::from_shape_fn((n, 2), |(i, k)| if k == 1 { p[i] } else { 1.0 - p[i] });
                let params = TreeParams::default().criterion(Criterion::SquaredError).max_depth(1);
                (Tree::fit_with_levels(&params, x.view(), TreeTarget::Values(y.view()), &level_names(levels)).unwrap(), y, Criterion::SquaredError)
            }
        };
        let best = exhaustive(&codes, &y, crit, levels);
        let found = stump_decrease(&tree, &codes, &y, crit);
        prop_assert!((found - best).abs() <= 1e-9 * best.max(1.0), "found {found}, best {best}");
    }
}

/// Eight levels; levels 1, 4 and 6 default.
fn planted() -> (Array2<f64>, Vec<usize>) {
    let x = Array2::from_shape_fn((160, 1), |(i, _)| (i % 8) as f64);
    let y = (0..160).map(|i| usize::from([1, 4, 6].contains(&(i % 8)))).collect();
    (x, y)
}

#[test]
fn a_planted_level_set_takes_one_split_where_codes_take_several() {
    let (x, y) = planted();
    let target = TreeTarget::Classes { y: &y, n_classes: 2 };
    let levels = vec![Some(
        ["car", "furniture", "radio", "repairs", "education", "business", "others", "tv"]
            .map(String::from)
            .to_vec(),
    )];
    let native = Tree::fit_with_levels(&TreeParams::default(), x.view(), target, &levels).unwrap();
    assert_eq!((native.n_leaves(), native.depth()), (2, 1));
    let codes = TreeParams::default().categorical(CategoricalSplits::Codes);
    let ordinal = Tree::fit_with_levels(&codes, x.view(), target, &levels).unwrap();
    assert_eq!(ordinal.n_leaves(), 7, "codes 0 | 1 | 2–3 | 4 | 5 | 6 | 7 need seven pure leaves");
    assert_eq!(native.predict(x.view()).unwrap(), ordinal.predict(x.view()).unwrap());
    assert!(native.levels.len() == 1 && ordinal.levels.is_empty());

    let names = ["purpose".to_string()];
    let text = native.export_text(&names, Some(&["good".into(), "bad".into()]));
    assert_eq!(
        text,
        "|--- purpose not in {furniture, education, others}\n|   |--- class: good (1.00)\n\
         |--- purpose in {furniture, education, others}\n|   |--- class: bad (1.00)\n"
    );
    let rules = native.rules(&names);
    assert_eq!(rules[0].conditions, ["purpose not in {furniture, education, others}"]);
    assert_eq!(rules[1].conditions, ["purpose in {furniture, education, others}"]);
    let dot = native.export_dot(&names);
    assert!(
        dot.contains("purpose in {furniture, education, others}") && dot.contains("n0 -> n2 [label=\"yes\"]"),
        "{dot}"
    );
}

#[test]
fn unseen_and_bad_codes() {
    let (x, y) = planted();
    let levels = level_names(10);
    let target = TreeTarget::Classes { y: &y, n_classes: 2 };
    let tree = Tree::fit_with_levels(&TreeParams::default(), x.view(), target, &levels).unwrap();
    let split = tree.nodes[0].levels.clone().unwrap();
    assert!(split.unseen_left, "the left child (five levels, 100 rows) is the larger");
    // Levels 8 and 9 exist but were never seen, 12 is beyond the levels: all go left.
    let out = tree.predict(array![[8.0], [9.0], [12.0], [4.0]].view()).unwrap();
    assert_eq!(out.column(1).to_vec(), [0.0, 0.0, 0.0, 1.0]);
    assert!(matches!(tree.predict(array![[1.5]].view()), Err(Error::InvalidInput { row: 0, column: 0, .. })));
    assert!(matches!(tree.predict(array![[-1.0]].view()), Err(Error::InvalidInput { .. })));
    let mut beyond = x.clone();
    beyond[[3, 0]] = 10.0;
    assert!(matches!(
        Tree::fit_with_levels(&TreeParams::default(), beyond.view(), target, &levels),
        Err(Error::InvalidInput { row: 3, column: 0, .. })
    ));
    assert!(matches!(
        Tree::fit_with_levels(&TreeParams::default(), x.view(), target, &[None, None]),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn pruning_histograms_multiclass_and_the_saved_format_keep_level_sets() {
    // Two features: a numeric one and an 6-level one; three classes set by the level.
    let n = 240;
    let x =
        Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { ((i * 37) % 101) as f64 } else { (i % 6) as f64 });
    let y: Vec<usize> = (0..n).map(|i| [2, 0, 1, 0, 0, 1][i % 6]).collect();
    let levels = vec![None, Some(["a", "b", "c", "d", "e", "f"].map(String::from).to_vec())];
    let target = TreeTarget::Classes { y: &y, n_classes: 3 };
    let tree = Tree::fit_with_levels(&TreeParams::default(), x.view(), target, &levels).unwrap();
    assert_eq!(tree.n_leaves(), 3, "two level-set splits separate three classes");
    assert!(tree.nodes.iter().filter(|n| n.split.is_some()).all(|n| n.levels.is_some()));
    let histogram =
        Tree::fit_with_levels(&TreeParams::default().histogram(16), x.view(), target, &levels).unwrap();
    assert_eq!(histogram.predict(x.view()).unwrap(), tree.predict(x.view()).unwrap());
    let pruned = (1..100).map(|a| tree.pruned(f64::from(a) / 100.0)).find(|t| t.n_leaves() == 2).unwrap();
    pruned.validate().unwrap();
    assert!(pruned.nodes.iter().all(|n| n.split.is_some() == n.levels.is_some()));

    let saved = saved_tree::wrap(tree.clone(), levels);
    let text = saved.to_json().unwrap();
    assert!(text.contains("\"version\": 2") && text.contains("\"unseen_left\""));
    let back = SavedStudent::from_json(&text).unwrap();
    assert_eq!(back.student.predict(x.view()).unwrap(), tree.predict(x.view()).unwrap());
    let mut broken: Value = serde_json::from_str(&text).unwrap();
    broken["student"]["nodes"][0]["levels"]["left"] = serde_json::json!([9]);
    assert!(SavedStudent::from_json(&broken.to_string()).unwrap_err().to_string().contains("level set"));

    // A version-1 file (no level sets) is still read.
    let numeric = Tree::fit(&TreeParams::default(), x.view(), target).unwrap();
    let old = SavedStudent {
        version: 1,
        levels: vec![None, None],
        student: Student::Tree(numeric.clone()),
        ..saved
    };
    let back = SavedStudent::from_json(&old.to_json().unwrap()).unwrap();
    assert_eq!(back.student, Student::Tree(numeric));
}

#[test]
fn german_credit_splits_match_the_exhaustive_search_and_scikit_learn() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/golden/categorical_tree/cases.json")).unwrap(),
    )
    .unwrap();
    let table = read_csv(&root.join("../..").join(golden["data"].as_str().unwrap()), &ReadOptions::default())
        .unwrap();
    let spec =
        DatasetSpec { target: "creditability".into(), task: TaskHint::Classification, ..Default::default() };
    let data = Dataset::from_table(&table, &spec).unwrap();
    let column = |name: &str| data.features().iter().position(|f| f.name == name).unwrap();
    let credit_amount = data.x().column(column("credit_amount")).mapv(f64::ln);
    let bad: Vec<f64> =
        data.classes().unwrap().iter().map(|&c| f64::from(u8::from(data_label(&data, c) == "bad"))).collect();
    let mut with_hgb = 0;
    for case in golden["cases"].as_array().unwrap() {
        let j = column(case["feature"].as_str().unwrap());
        let levels = vec![data.features()[j].levels.clone()];
        let names = levels[0].clone().unwrap();
        let y: Vec<f64> = match case["target"].as_str().unwrap() {
            "bad" => bad.clone(),
            _ => credit_amount.to_vec(),
        };
        let y = Array2::from_shape_vec((y.len(), 1), y).unwrap();
        let x = data.x().slice(ndarray::s![.., j..j + 1]).to_owned();
        let params = TreeParams::default().criterion(Criterion::SquaredError).max_depth(1);
        let tree = Tree::fit_with_levels(&params, x.view(), TreeTarget::Values(y.view()), &levels).unwrap();
        let split = tree.nodes[0].levels.clone().unwrap();
        let named = |codes: &[usize]| {
            let mut v: Vec<String> = codes.iter().map(|&c| names[c].clone()).collect();
            v.sort();
            v
        };
        let ours = [named(&split.left), named(&split.right)];
        let side = |v: &Value| -> Vec<String> { serde_json::from_value(v.clone()).unwrap() };
        let partition = |r: &Value| {
            let (l, rr) = (side(&r["left"]), side(&r["right"]));
            (ours[0] == l && ours[1] == rr) || (ours[0] == rr && ours[1] == l)
        };
        let case_name = format!("{} / {}", case["feature"], case["target"]);
        assert!(partition(&case["exhaustive"]), "{case_name}: {ours:?}");
        let n = tree.nodes[0].n_samples as f64;
        let children: f64 =
            [1, 2].iter().map(|&c| tree.nodes[c].impurity * tree.nodes[c].n_samples as f64).sum();
        let found = n * tree.nodes[0].impurity - children;
        let expected = case["exhaustive"]["decrease"].as_f64().unwrap();
        assert!((found - expected).abs() <= 1e-9 * expected, "{case_name}: {found} vs {expected}");
        if case["hgb"].is_object() && case["hgb_matches_exhaustive"] == true {
            assert!(partition(&case["hgb"]), "{case_name}");
            let gain = case["hgb"]["gain"].as_f64().unwrap();
            assert!((found - gain).abs() <= 1e-6 * gain, "{case_name}: {found} vs scikit-learn's {gain}");
            with_hgb += 1;
        }
    }
    assert_eq!(
        with_hgb, 24,
        "every feature whose levels all have 10 rows (all but purpose) is checked twice"
    );
}

fn data_label(data: &Dataset, class: usize) -> String {
    match data.target() {
        kd_core::data::Target::Classes { labels, .. } => labels[class].clone(),
        kd_core::data::Target::Values(_) => String::new(),
    }
}
