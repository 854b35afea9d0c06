//! TREPAN against in-process teachers whose truth is known.

use kd_core::Task;
use kd_core::teacher::{FnTeacher, Teacher};
use kd_extract::Oracle;
use kd_extract::fidelity::class_fidelity;
use kd_extract::input::FeatureKind;
use kd_extract::trepan::{
    Literal, MofN, TrepanParams, TrepanTree, majority_p_value, passes_stopping_test, trepan,
};
use ndarray::{Array2, ArrayView2, array};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Class 1 when at least two of `x0 > 0`, `x1 > 0.5`, `x2 ≤ −0.3` hold (`x3` is noise).
fn two_of_three(x: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
        let hits = [x[[i, 0]] > 0.0, x[[i, 1]] > 0.5, x[[i, 2]] <= -0.3].iter().filter(|&&h| h).count();
        f64::from(u8::from((hits >= 2) == (k == 1)))
    })
}

fn planted_teacher() -> impl Teacher {
    FnTeacher::new("2-of-3", Task::Binary, 4, |x: ArrayView2<'_, f64>| Ok(two_of_three(x)))
}

/// Class 1 inside the unit disc of `(x0, x1)`: a boundary axis-aligned tests can only staircase.
fn disc(x: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
        let inside = x[[i, 0]].powi(2) + x[[i, 1]].powi(2) < 1.0;
        f64::from(u8::from(inside == (k == 1)))
    })
}

fn disc_teacher() -> impl Teacher {
    FnTeacher::new("disc", Task::Binary, 2, |x: ArrayView2<'_, f64>| Ok(disc(x)))
}

fn gaussian_rows(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| (0..12).map(|_| rng.r#gen::<f64>()).sum::<f64>() - 6.0)
}

fn classes(p: &Array2<f64>) -> Vec<usize> {
    kd_core::metrics::argmax(p.view())
}

fn names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("x{j}")).collect()
}

#[test]
fn m_of_n_tests_count_satisfied_literals() {
    let test =
        MofN::new(2, vec![Literal::at_most(0, 1.0), Literal::above(1, 2.0), Literal::above(2, 3.0)]).unwrap();
    assert_eq!(test.count(array![1.0, 2.0, 3.0].view()), 1, "x0 ≤ 1 holds at the threshold; x1 > 2 does not");
    assert!(!test.holds(array![1.0, 2.0, 3.0].view()));
    assert!(test.holds(array![0.0, 2.5, 0.0].view()));
    assert!(test.holds(array![5.0, 2.5, 3.5].view()));
    assert!(test.holds(array![0.0, 9.0, 9.0].view()), "three of three satisfy two of three");
    assert_eq!(test.count(array![0.0, 9.0, 9.0].view()), 3);
    let named = ["age", "income", "debt"].map(String::from);
    assert_eq!(test.describe(&named, &[]), "2 of {age <= 1, income > 2, debt > 3}");
    assert_eq!(test.describe_failed(&named, &[]), "fewer than 2 of {age <= 1, income > 2, debt > 3}");
    assert_eq!(MofN::single(Literal::at_most(0, 40.5)).describe_failed(&named, &[]), "age > 40.5");
    // On a categorical feature, the levels a threshold on the codes admits.
    let levels = [Some(["a", "b", "c"].map(String::from).to_vec()), None, None];
    assert_eq!(Literal::at_most(0, 1.5).describe(&named, &levels), "age in {a, b}");
    assert_eq!(Literal::above(0, 1.5).describe(&named, &levels), "age == c");
    assert_eq!(Literal::at_most(0, 2.5).describe(&named, &levels), "age <= 2.5", "all levels: no set");
    assert_eq!(test.describe(&named, &levels), "2 of {age in {a, b}, income > 2, debt > 3}");
    // Boxes: a satisfied conjunction and a failed disjunction; nothing else.
    assert_eq!(test.as_box(true), None);
    let all = MofN::new(2, vec![Literal::at_most(0, 1.0), Literal::above(1, 2.0)]).unwrap();
    assert_eq!(all.as_box(true).unwrap(), all.literals);
    let any = MofN::new(1, vec![Literal::at_most(0, 1.0), Literal::above(1, 2.0)]).unwrap();
    assert_eq!(any.as_box(false).unwrap(), vec![Literal::above(0, 1.0), Literal::at_most(1, 2.0)]);
    // Literals on one feature: an interval is allowed; implied or disjoint pairs are not.
    assert!(MofN::new(2, vec![Literal::above(0, 1.0), Literal::at_most(0, 3.0)]).is_ok());
    for pair in [
        [Literal::at_most(0, 1.0), Literal::at_most(0, 3.0)],
        [Literal::above(0, 1.0), Literal::above(0, 3.0)],
        [Literal::at_most(0, 1.0), Literal::above(0, 3.0)],
        [Literal::at_most(0, 1.0), Literal::above(0, 1.0)],
    ] {
        assert!(pair[0].conflicts(&pair[1]) && pair[1].conflicts(&pair[0]), "{pair:?}");
        assert!(MofN::new(1, pair.to_vec()).is_err());
    }
    assert!(MofN::new(0, vec![Literal::at_most(0, 1.0)]).is_err());
    assert!(MofN::new(3, vec![Literal::at_most(0, 1.0), Literal::above(1, 2.0)]).is_err());
}

#[test]
fn recovers_a_planted_two_of_three_rule() {
    let x = gaussian_rows(200, 4, 1);
    let mut teacher = planted_teacher();
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let tree =
        trepan(&TrepanParams::default(), x.view(), &[FeatureKind::Numeric; 4], &mut oracle, 0).unwrap();
    let root = tree.nodes[0].split.as_ref().unwrap();
    assert_eq!((root.test.m, root.test.n()), (2, 3), "{}", tree.export_text(&names(4), &[], None));
    let mut features: Vec<usize> = root.test.literals.iter().map(|l| l.feature).collect();
    features.sort_unstable();
    assert_eq!(features, vec![0, 1, 2]);
    let test = gaussian_rows(5000, 4, 2);
    let fidelity =
        class_fidelity(&tree.predict(test.view()).unwrap(), &classes(&two_of_three(test.view())), 0).unwrap();
    assert!(fidelity.value >= 0.98, "{fidelity:?}\n{}", tree.export_text(&names(4), &[], None));
    // Queries: every node was decided on S_min examples, and the oracle counted them all.
    let queries: usize = tree.nodes.iter().map(|n| n.n_queries).sum();
    assert_eq!(oracle.queries(), 200 + queries);
    assert_eq!(tree.nodes[0].n_examples, 1000);
    assert_eq!(tree.nodes[0].n_train, 200);
    let reach: f64 = tree.nodes.iter().filter(|n| n.split.is_none()).map(|n| n.reach).sum();
    assert!((reach - 1.0).abs() < 1e-9, "leaf reaches add up to 1, got {reach}");
}

#[test]
fn stopping_test_makes_pure_nodes_leaves_and_keeps_mixed_ones() {
    assert!(passes_stopping_test(&[1000, 0], 0.05, 0.05));
    assert!(passes_stopping_test(&[10, 990], 0.05, 0.05));
    assert!(!passes_stopping_test(&[900, 100], 0.05, 0.05));
    assert!(!passes_stopping_test(&[960, 40], 0.05, 0.05), "0.96 is not clearly above 0.95 with n = 1000");
    assert!(!passes_stopping_test(&[30, 0], 0.05, 0.05), "30 pure examples cannot show 0.95 at δ = 0.05");
    assert!(!passes_stopping_test(&[0, 0], 0.05, 0.05));
    // The p-value is P(X ≥ k) for X ~ Bin(n, 0.95): 0.95^n when k = n.
    assert!((majority_p_value(50, 50, 0.05) - 0.95f64.powi(50)).abs() < 1e-12);
    let p: Vec<f64> = (900..=1000).map(|k| majority_p_value(k, 1000, 0.05)).collect();
    assert!(p.windows(2).all(|w| w[1] <= w[0]) && p.iter().all(|v| (0.0..=1.0).contains(v)));

    // In a tree: a constant teacher gives a lone leaf; a mixed one does not stop at the root.
    let x = gaussian_rows(100, 2, 3);
    let mut constant = FnTeacher::new("constant", Task::Binary, 2, |x: ArrayView2<'_, f64>| {
        Ok(Array2::from_shape_fn((x.nrows(), 2), |(_, k)| f64::from(u8::from(k == 1))))
    });
    let mut oracle = Oracle::new(&mut constant).unwrap();
    let params = TrepanParams { min_samples: 500, ..TrepanParams::default() };
    let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, 0).unwrap();
    assert_eq!((tree.n_leaves(), tree.n_internal(), tree.depth()), (1, 0, 0));
    assert!(tree.nodes[0].stopped && tree.nodes[0].class == 1);
    let mut disc = disc_teacher();
    let mut oracle = Oracle::new(&mut disc).unwrap();
    let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, 0).unwrap();
    assert!(!tree.nodes[0].stopped && tree.nodes[0].split.is_some());
    for node in tree.nodes.iter().filter(|n| n.stopped) {
        assert!(node.fidelity >= 0.95, "a stopped node is nearly pure: {node:?}");
    }
}

#[test]
fn respects_the_internal_node_limit() {
    let x = gaussian_rows(150, 2, 4);
    for limit in [1, 3, 6] {
        let mut disc = disc_teacher();
        let mut oracle = Oracle::new(&mut disc).unwrap();
        let params = TrepanParams { max_internal: limit, min_samples: 400, ..TrepanParams::default() };
        let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, 1).unwrap();
        assert_eq!(tree.n_internal(), limit, "the disc keeps every budget busy");
        assert_eq!(tree.n_leaves(), limit + 1);
        assert!(tree.depth() <= limit);
    }
}

#[test]
fn is_deterministic_for_a_seed() {
    let x = gaussian_rows(120, 2, 5);
    let run = |seed| {
        let mut disc = disc_teacher();
        let mut oracle = Oracle::new(&mut disc).unwrap();
        let params = TrepanParams { max_internal: 5, min_samples: 300, ..TrepanParams::default() };
        trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, seed).unwrap()
    };
    let (a, b, c) = (run(7), run(7), run(8));
    assert_eq!(a, b);
    assert_ne!(a, c, "another seed draws other queries");
}

#[test]
fn refuses_a_regression_teacher_and_bad_inputs() {
    let x = gaussian_rows(30, 2, 6);
    let kinds = [FeatureKind::Numeric; 2];
    let mut regression = FnTeacher::new("sum", Task::Regression, 2, |x: ArrayView2<'_, f64>| {
        Ok(x.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1)))
    });
    let mut oracle = Oracle::new(&mut regression).unwrap();
    let err = trepan(&TrepanParams::default(), x.view(), &kinds, &mut oracle, 0).unwrap_err();
    assert!(
        matches!(err, kd_extract::Error::InvalidParameter { ref name, .. } if name == "teacher"),
        "{err}"
    );
    assert!(err.to_string().contains("regression"), "{err}");
    assert_eq!(oracle.queries(), 0, "refused before asking");

    let mut disc = disc_teacher();
    let mut oracle = Oracle::new(&mut disc).unwrap();
    let base = TrepanParams::default();
    for (params, name) in [
        (TrepanParams { epsilon: 0.0, ..base }, "epsilon"),
        (TrepanParams { delta: 1.0, ..base }, "delta"),
        (TrepanParams { max_internal: 0, ..base }, "max_internal"),
        (TrepanParams { beam_width: 0, ..base }, "beam_width"),
        (TrepanParams { min_samples: 0, ..base }, "min_samples"),
        (TrepanParams { min_gain: f64::NAN, ..base }, "min_gain"),
        (TrepanParams { min_model_rows: Some(0), ..base }, "min_model_rows"),
    ] {
        let err = trepan(&params, x.view(), &kinds, &mut oracle, 0).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
    }
    let err = trepan(&base, x.view(), &kinds[..1], &mut oracle, 0).unwrap_err().to_string();
    assert!(err.contains("kinds"), "{err}");
    let mut bad = x.clone();
    bad[[3, 1]] = f64::NAN;
    let err = trepan(&base, bad.view(), &kinds, &mut oracle, 0).unwrap_err().to_string();
    assert!(err.contains("row 3, feature 1"), "{err}");
    let err = trepan(
        &base,
        x.view(),
        &[FeatureKind::Numeric, FeatureKind::Categorical { levels: 3 }],
        &mut oracle,
        0,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("level codes"), "{err}");
}

#[test]
fn json_round_trip_preserves_predictions() {
    let x = gaussian_rows(150, 4, 7);
    let mut teacher = planted_teacher();
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = TrepanParams { min_samples: 500, max_internal: 4, ..TrepanParams::default() };
    let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 4], &mut oracle, 3).unwrap();
    let text = tree.to_json().unwrap();
    let back = TrepanTree::from_json(&text).unwrap();
    assert_eq!(back, tree);
    let test = gaussian_rows(2000, 4, 8);
    assert_eq!(back.predict(test.view()).unwrap(), tree.predict(test.view()).unwrap());
    assert_eq!(back.predict_proba(test.view()).unwrap(), tree.predict_proba(test.view()).unwrap());
    assert!(tree.predict(gaussian_rows(3, 3, 9).view()).is_err(), "wrong width refused");
    // A tree whose child points back at its parent is refused, not followed for ever.
    let mut broken = tree.clone();
    if let Some(split) = broken.nodes[0].split.as_mut() {
        split.failed = 0;
    }
    assert!(TrepanTree::from_json(&broken.to_json().unwrap()).is_err());
}

#[test]
fn categorical_features_are_sampled_as_level_codes() {
    // Class 1 for levels 2 and 3 of a four-level feature, whatever the numeric one says.
    let mut teacher = FnTeacher::new("level", Task::Binary, 2, |x: ArrayView2<'_, f64>| {
        Ok(Array2::from_shape_fn((x.nrows(), 2), |(i, k)| {
            f64::from(u8::from((x[[i, 1]] >= 2.0) == (k == 1)))
        }))
    });
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let x = Array2::from_shape_fn((80, 2), |(_, j)| {
        if j == 0 { rng.r#gen::<f64>() } else { f64::from(rng.gen_range(0..4u8)) }
    });
    let kinds = [FeatureKind::Numeric, FeatureKind::Categorical { levels: 4 }];
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = TrepanParams { min_samples: 400, ..TrepanParams::default() };
    let tree = trepan(&params, x.view(), &kinds, &mut oracle, 0).unwrap();
    let root = tree.nodes[0].split.as_ref().unwrap();
    assert_eq!(root.test.literals[0].feature, 1);
    assert!((root.test.literals[0].threshold - 1.5).abs() < 1e-12, "{root:?}");
    assert_eq!(tree.n_internal(), 1, "both children are pure");
    assert_eq!(
        tree.predict(array![[0.3, 0.0], [0.3, 3.0], [0.9, 1.0], [0.1, 2.0]].view()).unwrap(),
        vec![0, 1, 0, 1]
    );
}

#[test]
fn exports_m_of_n_tests_as_text() {
    let x = gaussian_rows(200, 4, 11);
    let mut teacher = planted_teacher();
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = TrepanParams { min_samples: 600, ..TrepanParams::default() };
    let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 4], &mut oracle, 0).unwrap();
    let labels = ["no".to_string(), "yes".to_string()];
    let text = tree.export_text(&names(4), &[], Some(&labels));
    assert!(text.starts_with("|--- 2 of {"), "{text}");
    assert!(text.contains("\n|--- fewer than 2 of {"), "{text}");
    assert!(text.contains("|   |--- class: yes (") && text.contains("class: no ("), "{text}");
    assert_eq!(text.matches("class:").count(), tree.n_leaves());
}

#[test]
fn queries_reach_their_node_and_stay_within_the_training_range() {
    use std::sync::{Arc, Mutex};
    let batches: Arc<Mutex<Vec<Array2<f64>>>> = Arc::default();
    let seen = Arc::clone(&batches);
    let mut teacher = FnTeacher::new("recorded disc", Task::Binary, 2, move |x: ArrayView2<'_, f64>| {
        seen.lock().unwrap().push(x.to_owned());
        Ok(disc(x))
    });
    let x = gaussian_rows(120, 2, 12);
    let mut oracle = Oracle::new(&mut teacher).unwrap();
    let params = TrepanParams { min_samples: 400, max_internal: 6, ..TrepanParams::default() };
    let tree = trepan(&params, x.view(), &[FeatureKind::Numeric; 2], &mut oracle, 2).unwrap();
    assert!(tree.depth() >= 3, "deep enough to test paths of several m-of-n constraints");
    let batches = batches.lock().unwrap();
    assert_eq!(batches[0], x, "the training rows are asked first, once");
    // Then one batch per node that drew queries, in node order.
    let drawing: Vec<usize> = (0..tree.nodes.len()).filter(|&i| tree.nodes[i].n_queries > 0).collect();
    assert_eq!(batches.len(), 1 + drawing.len());
    for (batch, &node) in batches[1..].iter().zip(&drawing) {
        assert_eq!(batch.nrows(), tree.nodes[node].n_queries);
        for row in batch.rows() {
            let mut at = 0;
            while at != node {
                let split = tree.nodes[at].split.as_ref().expect("the node lies below");
                at = if split.test.holds(row) { split.satisfied } else { split.failed };
                assert!(at <= node, "query {row} of node {node} left its path at {at}");
            }
            for j in 0..2 {
                let col = x.column(j);
                let (lo, hi) = (
                    col.fold(f64::INFINITY, |a, &b| a.min(b)),
                    col.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
                );
                assert!(row[j] >= lo && row[j] <= hi, "{row} outside the training range");
            }
        }
    }
}
